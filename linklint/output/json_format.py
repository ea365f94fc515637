"""The ``json`` format: one object with the run's facts and every violation, as
documented in the project's design (keys in that order, violations in report
order)."""

from __future__ import annotations

from typing import Any

from linklint.model import Fix, Violation
from linklint.output import indented_json
from linklint.report import Report


def render_json(report: Report) -> str:
    document = {
        "version": report.version,
        "root": report.root,
        "generator": report.generator,
        "files": report.files,
        "summary": {
            "errors": report.errors,
            "warnings": report.warnings,
            "fixable": report.fixable,
        },
        "violations": [violation_object(v) for v in report.violations],
    }
    return indented_json(document)


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
