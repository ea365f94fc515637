"""Turn a :class:`~linklint.report.Report` into text for people or for tools.

Every format is a pure function of the report, so the same run can be written as
text on a terminal, as annotations under GitHub Actions or as a SARIF file for code
scanning. Paths are POSIX and relative to the repository root; lines and columns
are 1-based and count Unicode code points, as in :mod:`linklint.model`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from linklint.model import Applicability, Violation
from linklint.report import Report
from linklint.textpos import LineIndex

FORMATS = ("text", "concise", "json", "github", "sarif", "junit")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class RuleInfo:
    """What a report needs to know about a rule it may mention (SARIF lists every
    rule that ran, not only the ones that found something)."""

    code: str
    name: str
    summary: str  # one line
    help_uri: str | None = None


def render(
    report: Report,
    fmt: str,
    *,
    color: bool = False,
    rules: Mapping[str, RuleInfo] | None = None,
    jobs: int | None = 1,
) -> str:
    """The whole report in format ``fmt`` (one of :data:`FORMATS`), ending with a
    newline. ``color`` only affects the formats meant for people; ``jobs``
    (processes, this one included; None: one per core) only how a large
    ``text`` report is rendered, never what it says."""
    from linklint.heap import no_collection

    with no_collection():
        return _renderer(fmt, jobs)(report, color, rules)


_Renderer = Callable[[Report, bool, "Mapping[str, RuleInfo] | None"], str]


def _renderer(fmt: str, jobs: int | None) -> _Renderer:
    # The format modules are imported on demand: a run prints one format only.
    if fmt == "text":
        from linklint.output.text import render_full

        return lambda report, color, rules: render_full(report, color=color, jobs=jobs)
    if fmt == "concise":
        from linklint.output.text import render_concise

        return lambda report, color, rules: render_concise(report, color=color)
    if fmt == "json":
        from linklint.output.json_format import render_json

        return lambda report, color, rules: render_json(report)
    if fmt == "github":
        from linklint.output.github import render_github

        return lambda report, color, rules: render_github(report)
    if fmt == "sarif":
        from linklint.output.sarif import render_sarif

        return lambda report, color, rules: render_sarif(report, rules)
    if fmt == "junit":
        from linklint.output.junit import render_junit

        return lambda report, color, rules: render_junit(report)
    raise ValueError(f"unknown output format `{fmt}`; choose one of {', '.join(FORMATS)}")


def one_line(text: str) -> str:
    """``text`` with its line breaks turned into spaces, for formats whose consumers
    read one line per violation."""
    return _LINE_BREAK.sub(" ", text)


def detailed_message(violation: Violation) -> str:
    """The message followed by one line per suggestion and the fix, for formats
    that show a single block of text (annotations, SARIF results)."""
    lines = [violation.message]
    lines.extend(f"Suggestion: {s}" for s in violation.suggestions)
    if violation.fix is not None:
        lines.append(f"Fix ({violation.fix.applicability.value}): {violation.fix.title}")
    return "\n".join(lines)


def is_applicable(violation: Violation) -> bool:
    """Whether ``linklint fix`` can apply the violation's fix (with or without
    ``--unsafe-fixes``), as :attr:`Report.fixable` counts it; display-only fixes
    are advice."""
    fix = violation.fix
    return fix is not None and fix.applicability is not Applicability.DISPLAY_ONLY


class SourceLines:
    """The source lines of the report's files, indexed once per file on demand."""

    def __init__(self, report: Report) -> None:
        self._texts = report.texts
        self._indexes: dict[str, LineIndex] = {}

    def line(self, path: str, line: int) -> str | None:
        """The text of 1-based ``line`` of ``path`` without its line ending, or
        ``None`` when the report does not carry that file or line."""
        index = self._indexes.get(path)
        if index is None:
            text = self._texts.get(path)
            if text is None:
                return None
            index = self._indexes[path] = LineIndex(text)
        if not 1 <= line <= index.line_count:
            return None
        return index.line_text(line)


def indented_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` plus a final line
    break, about three times as fast (see ``_indented``)."""
    out: list[str] = []
    _indented(value, out, "\n")
    out.append("\n")
    return "".join(out)


def _indented(value: Any, out: list[str], newline: str) -> None:
    """Append ``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)``
    writes it (keys are strings). That encoder indents in Python, with a
    generator per nested value: for a report of tens of thousands of
    violations, most of the printing. ``newline`` is a line break followed by
    the current indentation. Strings go through the encoder's own (C)
    escaping; only the layout is done here."""
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict) and value:
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_string(key))
            out.append(": ")
            _indented(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)) and value:
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _indented(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    else:  # other numbers, empty containers
        out.append(json.dumps(value))


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]
