"""Offsets, lines and columns in a decoded text.

CommonMark knows three line endings (``\\r\\n``, ``\\r``, ``\\n``); ``str.splitlines``
also splits on U+2028, form feed and others, which would shift every position after
them, so it is never used for positions.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

from linklint.model import Span

_LINE_END = re.compile(r"\r\n|\r|\n")
_new = tuple.__new__


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line endings (a final empty line after a
    trailing newline is not included)."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return lines


class LineIndex:
    """Maps offsets to 1-based (line, column) and back, in O(log lines)."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            starts = [0]
            starts.extend(m.end() for m in _LINE_END.finditer(text))
        else:
            # Most texts: a line starts one past the end of the line before.
            # Built in C (every page is indexed twice while parsing): about
            # three times faster than walking the matches.
            starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
            starts.pop()
        self.starts = starts

    @classmethod
    def of_same_lines(cls, text: str, like: LineIndex) -> LineIndex:
        """The index of ``text``, whose lines are those of ``like``'s text
        with characters replaced (none added, removed or made a line break):
        its line starts are ``like``'s, not worked out again."""
        index = cls.__new__(cls)
        index.text = text
        index.starts = like.starts
        return index

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based (line, column)."""
        return self.starts[line - 1] + column - 1

    def line_start(self, line: int) -> int:
        return self.starts[line - 1]

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line ending."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n") if end > start else ""

    def span(self, start: int, end: int) -> Span:
        starts = self.starts
        line = bisect.bisect_right(starts, start) - 1
        # Most spans end on the line they start on: one search, not two.
        if starts[line] <= end and (line + 1 == len(starts) or end < starts[line + 1]):
            end_line = line
        else:
            end_line = bisect.bisect_right(starts, end) - 1
        # Built in C: a page's parse makes hundreds of spans.
        return _new(Span, (start, end, line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1))
