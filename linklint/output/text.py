"""The formats for people: ``text`` (each violation with its source line) and
``concise`` (one line per violation), both closed by a summary line.

The first line of a violation is ``path:line:col: CODE …`` in both, so editors and
terminals that recognise that shape can jump to the place.
"""

from __future__ import annotations

import unicodedata
from operator import attrgetter
from typing import Any, Callable

from linklint.model import Severity, Span, Violation
from linklint.output import AS_STR, Parts, Prerendered, SourceLines, one_line
from linklint.report import Report
from linklint.textpos import split_lines

TAB_WIDTH = 4

# ANSI SGR parameters by role, so the colour scheme lives in one place.
_STYLES = {
    "location": "1",  # bold
    Severity.ERROR: "1;31",  # bold red
    Severity.WARNING: "1;33",  # bold yellow
    "gutter": "1;34",  # bold blue
    "note": "1;36",  # bold cyan
    "ok": "1;32",  # bold green
}

# Control characters from a file (or its name) are never written as they are:
# a tab becomes a space, anything else a visible replacement character.
_PRINTABLE = {"\t": " "}
_REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


class _Painter:
    """Wraps text in ANSI colours, or leaves it alone when colour is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, role: object) -> str:
        if not self.color or not text:
            return text
        return f"\x1b[{_STYLES[role]}m{text}\x1b[0m"


def render_full(report: Report, *, color: bool = False, prerendered: Prerendered | None = None, parts: Parts = AS_STR) -> Any:
    """Every violation with an excerpt of its source, suggestions and fix, then the
    summary line; a blank line separates the blocks. ``prerendered``: blocks
    made already (for this colour), see ``Prerendered``. A string, or with
    ``parts`` the bytes the command writes (``render_printout``)."""
    paint = _Painter(color)
    sources = SourceLines(report.texts)
    blocks = parts.texts(report.violations, lambda v: _block(v, sources, paint), prerendered)
    blocks.append(parts.of(_summary(report, paint) + "\n"))  # not a copy of the whole text to end it
    return parts.of("\n\n").join(blocks)


def block_maker(color: bool) -> Callable[[Violation, SourceLines], str]:
    """The block ``render_full`` prints for one violation."""
    paint = _Painter(color)
    return lambda violation, sources: _block(violation, sources, paint)


def render_concise(report: Report, *, color: bool = False) -> str:
    """One line per violation, then the summary line."""
    paint = _Painter(color)
    lines = [
        f"{_location(v, paint)} {paint(v.code, v.severity)} {_message(v.message)}"
        for v in report.violations
    ]
    lines.append(_summary(report, paint))
    return "\n".join(lines) + "\n"


def summary_line(report: Report, *, color: bool = False) -> str:
    """``Found 3 errors and 2 warnings in 2 of 40 files (1 fixable with `linklint fix`).``
    or ``No problems found in 40 files.``"""
    return _summary(report, _Painter(color))


def _summary(report: Report, paint: _Painter) -> str:
    if not report.violations:
        if report.files == 0:
            return paint("No Markdown files checked.", "ok")
        return f"{paint('No problems found', 'ok')} in {_count(report.files, 'file')}."
    counts = []
    errors, warnings = report.counts()
    if errors:
        counts.append(paint(_count(errors, "error"), Severity.ERROR))
    if warnings:
        counts.append(paint(_count(warnings, "warning"), Severity.WARNING))
    return f"Found {' and '.join(counts)} in {_where(report)}{_fixable(report)}."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_path_of = attrgetter("path")


def _where(report: Report) -> str:
    affected = len(set(map(_path_of, report.violations)))
    # "in 2 of 2 files" reads oddly, and a site-wide rule may report a file that
    # was not among those checked; both just name the affected files.
    if affected >= report.files:
        return _count(affected, "file")
    return f"{affected} of {_count(report.files, 'file')}"


def _fixable(report: Report) -> str:
    safe, unsafe = report.fix_counts()
    if safe and unsafe:
        return f" ({safe} fixable with `linklint fix`, {unsafe} more with `linklint fix --unsafe-fixes`)"
    if safe:
        return f" ({safe} fixable with `linklint fix`)"
    if unsafe:
        return f" ({unsafe} fixable with `linklint fix --unsafe-fixes`)"
    return ""


def _location(v: Violation, paint: _Painter) -> str:
    return paint(f"{_printable(v.path)}:{v.span.line}:{v.span.column}:", "location")


def _block(v: Violation, sources: SourceLines, paint: _Painter) -> str:
    header = f"{_location(v, paint)} {paint(v.code, v.severity)} {v.name}: {_message(v.message)}"
    pad = " " * len(str(v.span.line))
    lines = [header]
    source = sources.line(v.path, v.span.line)
    if source is not None:
        lines.extend(_excerpt(source, v, pad, paint))
    lines.extend(_note(pad, "suggestion", s, paint) for s in v.suggestions)
    if v.fix is not None:
        lines.append(_note(pad, f"fix ({v.fix.applicability.value})", v.fix.title, paint))
    return "\n".join(lines)


def _excerpt(source: str, v: Violation, pad: str, paint: _Painter) -> list[str]:
    first, last = _caret_range(v.span, len(source))
    if source.isascii() and source.isprintable():
        # Most lines: one column per character (no tab, no control character).
        shown, indent, end = source, first, last
    else:
        shown, starts = _layout(source)
        indent, end = starts[first], starts[last]
    carets = "^" * max(1, end - indent)
    bar = paint(f"{pad} |", "gutter")
    number = paint(f"{v.span.line} |", "gutter")
    return [
        bar,
        f"{number} {shown}" if shown else number,
        f"{bar} {' ' * indent}{paint(carets, v.severity)}",
    ]


def _caret_range(span: Span, length: int) -> tuple[int, int]:
    """Character indexes ``[first, last)`` of the span within its first line; a
    span that goes on past this line is underlined to the line's end."""
    first = min(max(span.column - 1, 0), length)
    last = length if span.end_line > span.line else span.end_column - 1
    return first, min(max(last, first), length)


def _layout(source: str) -> tuple[str, list[int]]:
    """The line as printed, and the display column where each of its characters
    starts (plus one for the end), so the carets line up under tabs and wide or
    combining characters the same way the terminal shows them."""
    shown: list[str] = []
    starts: list[int] = []
    width = 0
    for char in source:
        starts.append(width)
        if char == "\t":
            # Tab stops count from the start of the source line, not the gutter.
            spaces = TAB_WIDTH - width % TAB_WIDTH
            shown.append(" " * spaces)
            width += spaces
        else:
            char = _printable(char)
            shown.append(char)
            width += _char_width(char)
    starts.append(width)
    return "".join(shown), starts


def _char_width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _message(text: str) -> str:
    """A message on one line, as it can be printed."""
    return text if text.isprintable() else _printable(one_line(text))


def _printable(text: str) -> str:
    """``text`` with tabs as spaces and other control characters replaced, so a
    file cannot send escape sequences to the reader's terminal."""
    if text.isprintable():  # no control character at all: nothing to replace
        return text
    return "".join(_PRINTABLE.get(c, _REPLACEMENT) if unicodedata.category(c) == "Cc" else c for c in text)


def _note(pad: str, label: str, text: str, paint: _Painter) -> str:
    """``   = label: text``; further lines of ``text`` are aligned under its first."""
    if text.isprintable():  # one line, nothing to replace
        return f"{pad} {paint('=', 'gutter')} {paint(label, 'note')}: {text}"
    lead = f"{pad} = {label}: "
    indent = " " * len(lead)
    lines = split_lines(text) or [""]
    first = f"{pad} {paint('=', 'gutter')} {paint(label, 'note')}: {_printable(lines[0])}"
    return "\n".join([first, *(indent + _printable(line) for line in lines[1:])])

