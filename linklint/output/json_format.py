"""The ``json`` format: one object with the run's facts and every violation, as
documented in the project's design (keys in that order, violations in report
order)."""

from __future__ import annotations

from typing import Any

from linklint.model import Fix, Violation
from linklint.output import AS_STR, Parts, Prerendered, indented_json, indented_json_at
from linklint.report import Report

# Where each violation's object starts: an item of the top-level object's
# "violations" list, indented two steps.
_ITEM_NEWLINE = "\n    "
_ITEM_SEPARATOR = "," + _ITEM_NEWLINE


def render_json(report: Report, *, prerendered: Prerendered | None = None, parts: Parts = AS_STR) -> Any:
    """``prerendered``: the violations' objects as text, made by the processes
    that found them (``violation_json``): at 10,000 posts making them all
    here was 0.7 s of a cold run's serial end. A string, or with ``parts``
    the bytes the command writes (``render_printout``)."""
    errors, warnings = report.counts()
    head = {
        "version": report.version,
        "root": report.root,
        "generator": report.generator,
        "files": report.files,
        "summary": {
            "errors": errors,
            "warnings": warnings,
            "fixable": report.fixable,
        },
    }
    of = parts.of
    if not report.violations:
        return of(indented_json({**head, "violations": []}))
    # The head's text without its closing brace, then the list: the text
    # ``indented_json`` makes of the whole object.
    opened = indented_json(head)[: -len("\n}\n")]
    items = parts.texts(report.violations, violation_json, prerendered)
    # One join over every part: joining the items, then adding the head and
    # the tail, copied a large report's text twice more (23 MB at 26,000
    # violations).
    separator = of(_ITEM_SEPARATOR)
    pieces = [of(opened + ',\n  "violations": [' + _ITEM_NEWLINE)]
    for i, item in enumerate(items):
        if i:
            pieces.append(separator)
        pieces.append(item)
    pieces.append(of("\n  ]\n}\n"))
    return of("").join(pieces)


def violation_json(v: Violation) -> str:
    """One violation's object as the report's list holds it (indented as an
    item of the top-level "violations" list)."""
    return indented_json_at(violation_object(v), _ITEM_NEWLINE)


def violation_object(v: Violation) -> dict[str, Any]:
    return {
        "code": v.code,
        "name": v.name,
        "severity": v.severity.value,
        "path": v.path,
        "line": v.span.line,
        "column": v.span.column,
        "end_line": v.span.end_line,
        "end_column": v.span.end_column,
        "message": v.message,
        "target": v.target,
        "suggestions": list(v.suggestions),
        "fix": None if v.fix is None else _fix_object(v.fix),
    }


def _fix_object(fix: Fix) -> dict[str, Any]:
    return {
        "applicability": fix.applicability.value,
        "title": fix.title,
        # Offsets index the decoded text (code points), the same text `fix` edits.
        "edits": [{"start": e.start, "end": e.end, "text": e.content} for e in fix.edits],
    }
