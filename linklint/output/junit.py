"""The ``junit`` format: JUnit XML for CI systems that show test reports.

One ``<testsuite name="linklint">`` with one failing ``<testcase>`` per violation,
its ``classname`` the file's path so that reports group them by file. Readers of
JUnit XML commonly take only the first ``<failure>`` of a test case, so a case per
violation shows them all. A report only counts the files checked, without naming
the clean ones, so a clean run is one passing test case named ``linklint``:
a suite with no tests at all reads as "nothing ran" in some CI systems.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from linklint.model import Violation
from linklint.output import one_line
from linklint.report import Report

# Characters XML 1.0 cannot carry even escaped; ElementTree would write them
# as they are and produce a file no parser accepts.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_junit(report: Report) -> str:
    failures = len(report.violations)
    cases = [_failing_case(v) for v in report.violations] or [_passing_case()]
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    root = ET.Element("testsuites", {"name": "linklint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "linklint", **counts, "skipped": "0"})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _failing_case(v: Violation) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": _xml(v.path),
            "name": _xml(f"{v.code} {v.name} at {v.span.line}:{v.span.column}"),
            "file": _xml(v.path),
            "line": str(v.span.line),
        },
    )
    failure = ET.SubElement(case, "failure", {"message": _xml(one_line(f"{v.code}: {v.message}")), "type": v.code})
    failure.text = _xml(_details(v))
    return case


def _details(v: Violation) -> str:
    lines = [f"{v.path}:{v.span.line}:{v.span.column}"]
    lines.extend(f"suggestion: {s}" for s in v.suggestions)
    if v.fix is not None:
        lines.append(f"fix ({v.fix.applicability.value}): {v.fix.title}")
    return "\n".join(lines)


def _passing_case() -> ET.Element:
    return ET.Element("testcase", {"classname": "linklint", "name": "linklint"})


def _xml(text: str) -> str:
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", text)
