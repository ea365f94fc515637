"""The ``github`` format: GitHub Actions workflow commands, which the runner turns
into annotations on the pull request's changed files.

``::error file=a.md,line=3,col=11,endLine=3,endColumn=26,title=linklint LL003 (broken-link)::message``

Escaping follows ``escapeData`` and ``escapeProperty`` in the Actions toolkit
(``packages/core/src/command.ts``); anything else in the text is passed through,
because the runner reads the rest of the line literally.
"""

from __future__ import annotations

from typing import Any

from linklint.model import Violation
from linklint.output import AS_STR, Parts, Prerendered, detailed_message
from linklint.report import Report


def render_github(report: Report, *, prerendered: Prerendered | None = None, parts: Parts = AS_STR) -> Any:
    """One workflow command per violation; ``prerendered``: commands made
    already, see ``Prerendered``. A string, or with ``parts`` the bytes the
    command writes (``render_printout``)."""
    texts = parts.texts(report.violations, command, prerendered)
    texts.append(parts.of(""))  # a line break after the last command, not a copy of the whole to add it
    return parts.of("\n").join(texts)


def command(v: Violation) -> str:
    """One workflow command; suggestions and the fix follow the message on lines
    of their own, which the annotation shows as written."""
    properties = {
        "file": v.path,
        "line": v.span.line,
        "col": v.span.column,
        "endLine": v.span.end_line,
        "endColumn": v.span.end_column,
        "title": f"linklint {v.code} ({v.name})",
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{v.severity.value} {props}::{escape_data(detailed_message(v))}"


def escape_data(text: str) -> str:
    # `%` first, or the escapes added after it would be escaped again.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    # `:` and `,` end a property value in the command syntax.
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
