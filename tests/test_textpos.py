"""Line starts and positions: the same with and without carriage returns."""

from __future__ import annotations

import pytest

from linklint.model import Span
from linklint.textpos import LineIndex, split_lines


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("", [0]),
        ("a", [0]),
        ("a\n", [0, 2]),
        ("\n\n", [0, 1, 2]),
        ("ab\ncd", [0, 3]),
        ("ab\ncd\n", [0, 3, 6]),
        ("ab\r\ncd\n", [0, 4, 7]),
        ("ab\rcd\r\n\nx", [0, 3, 7, 8]),
        ("é\nü\n", [0, 2, 4]),
    ],
)
def test_line_starts(text: str, starts: list[int]) -> None:
    assert LineIndex(text).starts == starts


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_positions_do_not_depend_on_the_line_ending(ending: str) -> None:
    text = ending.join(["first", "", "third line", "x"])
    index = LineIndex(text)
    third = text.index("third")
    assert index.position(third + 6) == (3, 7)
    assert index.line_text(3) == "third line"
    assert index.line_text(2) == ""
    assert index.offset(3, 7) == third + 6
    assert index.line_count == 4
    assert index.span(third, third + 5)[2:] == (3, 1, 3, 6)
    assert split_lines(text) == ["first", "", "third line", "x"]


def test_a_line_separator_other_than_the_three_endings_is_text() -> None:
    text = "a\u2028b\x0cc\nd"
    index = LineIndex(text)
    assert index.starts == [0, 6]
    assert index.position(text.index("c")) == (1, 5)


def test_spans_are_the_positions_of_their_two_ends() -> None:
    import random

    rng = random.Random(3)
    for _ in range(300):
        text = "".join(rng.choice(["a", "bc", "\n", "\r\n", "\r", "\u2028", ""]) for _ in range(rng.randint(0, 30)))
        index = LineIndex(text)
        for _ in range(30):
            start = rng.randint(0, len(text))
            end = rng.randint(0, len(text) + 2)  # before the start too, and past the end
            line, column = index.position(start)
            end_line, end_column = index.position(end)
            span = index.span(start, end)
            assert span == Span(start, end, line, column, end_line, end_column), (text, start, end)
            assert type(span) is Span


def test_an_index_of_the_same_lines_reads_its_own_text() -> None:
    text = "---\ntitle: T\n---\n# Heading\n\nBody text\n"
    blanked = "   \n        \n   \n# Heading\n\nBody text\n"  # front matter blanked, as the parser sees it
    own, shared = LineIndex(blanked), LineIndex.of_same_lines(blanked, LineIndex(text))
    assert shared.starts == own.starts == [0, 4, 13, 17, 27, 28, 38]
    assert [shared.line_text(n) for n in range(1, 8)] == [own.line_text(n) for n in range(1, 8)]
    assert shared.line_text(2) == "        "
    assert shared.span(17, 26) == own.span(17, 26) == Span(17, 26, 4, 1, 4, 10)


@pytest.mark.parametrize(("ending", "indexed"), [("\n", 1), ("\r\n", 2)])
def test_a_page_is_indexed_once_unless_its_line_endings_change_offsets(monkeypatch, ending: str, indexed: int) -> None:
    import linklint.textpos
    from linklint.document import parse_document

    made = []
    real = linklint.textpos.LineIndex.__init__

    def counted(self, text: str) -> None:
        made.append(text)
        real(self, text)

    monkeypatch.setattr(linklint.textpos.LineIndex, "__init__", counted)
    text = ending.join(["---", "title: T", "---", "# Heading", "", "[a](a.md) and [b][ref]", "", "[ref]: b.md", ""])
    doc = parse_document("p.md", text.encode())
    assert len(made) == indexed
    assert [(link.destination, link.span.line, link.span.column) for link in doc.links] == [("a.md", 6, 1), ("b.md", 6, 15)]
    assert (doc.links[1].dest_span.line, doc.links[1].dest_span.column) == (8, 8)
