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
