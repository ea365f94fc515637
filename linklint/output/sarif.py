"""The ``sarif`` format: SARIF 2.1.0, one run, for GitHub code scanning and other
tools that collect static-analysis results.

Columns count Unicode code points (``run.columnKind``), like every position in
linklint; without that setting SARIF readers would count UTF-16 code units.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Mapping
from urllib.parse import quote

from linklint.model import Fix, Violation
from linklint.output import RuleInfo, SourceLines, _utf8, detailed_message, indented_json, is_applicable
from linklint.report import Report

SARIF_VERSION = "2.1.0"
# The `id` of the OASIS schema this output is written against.
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Paths are relative to the repository root, which SARIF consumers know by this name.
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "linklint/v1"
# Characters kept as they are in a path; `:` is not among them, because in the
# first segment of a relative reference it would read as a URI scheme.
_URI_SAFE = "/!$&'()*+,;=@"


def render_sarif(report: Report, rules: Mapping[str, RuleInfo] | None = None) -> str:
    return indented_json(sarif_log(report, rules))


def sarif_log(report: Report, rules: Mapping[str, RuleInfo] | None = None) -> dict[str, Any]:
    descriptors = _rule_descriptors(report, rules)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    driver: dict[str, Any] = {"name": "linklint", "version": report.version, "rules": descriptors}
    fingerprints = _fingerprints(report)
    results = [_result(v, index[v.code], fp) for v, fp in zip(report.violations, fingerprints)]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }


def _rule_descriptors(report: Report, rules: Mapping[str, RuleInfo] | None) -> list[dict[str, Any]]:
    """Every rule the caller knows, in its order, then any code a violation uses
    that it does not know (by then sorted), so every ``ruleIndex`` is valid."""
    known = dict(rules or {})
    names = {v.code: v.name for v in report.violations}
    descriptors = [_descriptor(info) for info in known.values()]
    descriptors.extend({"id": code, "name": names[code]} for code in sorted(names.keys() - known.keys()))
    return descriptors


def _descriptor(info: RuleInfo) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
    }
    if info.help_uri:
        descriptor["helpUri"] = info.help_uri
    return descriptor


def _result(v: Violation, rule_index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": v.code,
        "ruleIndex": rule_index,
        "level": v.severity.value,
        "message": {"text": detailed_message(v)},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(v.path), "region": _region(v)}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if v.fix is not None and v.fix.edits and is_applicable(v):
        result["fixes"] = [_fix(v.path, v.fix)]
    return result


def _artifact(path: str) -> dict[str, str]:
    # As the name's bytes: one Git gave as bytes that are not UTF-8 holds
    # surrogates, which stand for those bytes.
    return {"uri": quote(_utf8(path), safe=_URI_SAFE), "uriBaseId": SRCROOT}


def _region(v: Violation) -> dict[str, int]:
    return {
        "startLine": v.span.line,
        "startColumn": v.span.column,
        "endLine": v.span.end_line,
        "endColumn": v.span.end_column,
    }


def _fix(path: str, fix: Fix) -> dict[str, Any]:
    replacements = [
        {
            # Offsets and lengths count code points of the decoded text (no BOM).
            "deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
            "insertedContent": {"text": e.content},
        }
        for e in fix.edits
    ]
    return {
        "description": {"text": fix.title},
        "artifactChanges": [{"artifactLocation": _artifact(path), "replacements": replacements}],
        # SARIF has no notion of fix safety; keep ours for tools that apply fixes.
        "properties": {"applicability": fix.applicability.value},
    }


def _fingerprints(report: Report) -> list[str]:
    """A fingerprint per violation from what identifies it but not where the line
    is (code, path, message, the trimmed source line), so a result keeps its
    identity when lines are added above it. Identical violations get ``:1``,
    ``:2`` … in report order, as GitHub numbers its own line hashes."""
    sources = SourceLines(report.texts)
    seen: Counter[str] = Counter()
    fingerprints = []
    for v in report.violations:
        line = sources.line(v.path, v.span.line) or ""
        key = "\0".join((v.code, v.path, v.message, line.strip()))
        # A file name Git gave as bytes that are not UTF-8 holds surrogates.
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        seen[digest] += 1
        fingerprints.append(f"{digest}:{seen[digest]}")
    return fingerprints
