"""A page's prose items kept as numbers (``ProseRuns``) behave as the tuple of
``Prose`` they stand for."""

from __future__ import annotations

import pickle
from array import array

import pytest

from linklint.document import parse_document
from linklint.model import Prose, ProseRuns, Span, prose_in_heading, prose_texts

TEXT = "# Soil notes\n\nCompost *heats* up.\r\nLeaves rot slowly.\n"


def _items() -> tuple[Prose, ...]:
    return (
        Prose("Soil notes", Span(2, 12, 1, 3, 1, 13), True),
        Prose("Compost", Span(14, 21, 3, 1, 3, 8)),
        Prose("heats", Span(23, 28, 3, 10, 3, 15)),  # emphasis markers are not prose
        Prose("up.", Span(30, 33, 3, 17, 3, 20)),
        Prose("Leaves rot slowly.", Span(35, 53, 4, 1, 4, 19)),  # after \r\n
    )


def test_a_parsed_page_keeps_its_prose_as_numbers_whose_texts_are_slices() -> None:
    doc = parse_document("soil.md", TEXT.encode("utf-8"))
    assert isinstance(doc.prose, ProseRuns)
    assert doc.prose.text is doc.text and doc.prose.own == {}
    assert list(doc.prose) == list(_items())
    assert doc.prose.numbers == array(
        "q",
        [2, 12, 1, 3, 1, 13, 1]
        + [14, 21, 3, 1, 3, 8, 0]
        + [23, 28, 3, 10, 3, 15, 0]
        + [30, 33, 3, 17, 3, 20, 0]
        + [35, 53, 4, 1, 4, 19, 0],
    )


def test_it_is_a_sequence_of_prose_items() -> None:
    runs = ProseRuns.of(TEXT, _items())
    items = _items()
    assert len(runs) == 5
    assert runs[0] == items[0] and runs[-1] == items[4] and runs[-5] == items[0]
    assert type(runs[1]) is Prose and type(runs[1].span) is Span and runs[1].in_heading is False
    assert runs[1:3] == items[1:3] and runs[::-1] == items[::-1]
    assert tuple(runs) == items and list(reversed(runs)) == list(reversed(items))
    assert items[2] in runs and runs.index(items[3]) == 3
    for index in (5, -6):
        with pytest.raises(IndexError):
            runs[index]
    assert runs == items and items == runs and runs == list(items) and runs != items[:4]
    assert ProseRuns.of(TEXT, ()) == () and not ProseRuns.of(TEXT, ())
    assert prose_texts(runs) == prose_texts(items) == ["Soil notes", "Compost", "heats", "up.", "Leaves rot slowly."]
    assert prose_in_heading(runs) == prose_in_heading(items) == [True, False, False, False, False]


def test_an_item_whose_text_is_not_its_slice_keeps_its_own_text() -> None:
    odd = (Prose("SOIL", Span(2, 6, 1, 3, 1, 7), True), Prose("Compost", Span(14, 21, 3, 1, 3, 8)))
    runs = ProseRuns.of(TEXT, odd)
    assert runs.own == {0: "SOIL"}
    assert tuple(runs) == odd and runs.texts() == ["SOIL", "Compost"]
    assert runs != ProseRuns.of(TEXT, (Prose("Soil", odd[0].span, True), odd[1]))


def test_it_pickles_to_an_equal_sequence() -> None:
    runs = ProseRuns.of(TEXT, _items())
    back = pickle.loads(pickle.dumps(runs))
    assert type(back) is ProseRuns and back == runs and back.texts() == runs.texts()


def test_of_gives_back_runs_over_the_same_text() -> None:
    runs = ProseRuns.of(TEXT, _items())
    assert ProseRuns.of(TEXT, runs) is runs
    assert ProseRuns.of(TEXT.upper(), runs) == ProseRuns(TEXT.upper(), runs.numbers, {i: t for i, t in enumerate(runs.texts())})


@pytest.mark.parametrize("numbers", [array("q", [1, 2, 3]), array("i", [0] * 7)])
def test_numbers_of_another_shape_are_refused(numbers: array) -> None:
    with pytest.raises(ValueError):
        ProseRuns(TEXT, numbers)


def test_a_line_of_plain_text_gets_the_prose_the_general_walk_gives(monkeypatch) -> None:
    """Inline tokens of one line of text take a shorter way (``_plain_line``):
    the same prose items as the walk for any inline content, on lines of
    every container, indent, line ending, front matter and odd character."""
    import random

    from linklint import markdown

    chosen = random.Random(23)
    lines = [
        "plain words", "  lead and trail  ", "\ttabbed", "x\u00a0nbsp\u00a0", "nul\0here", "é ü 😀", "a * b", "5 < 6",
        "- item", "  - nested item", "> quoted", "> > deep", "1. one", "lazy continuation", "    code", "| a | b |",
        "|---|---|", "# heading", "text {{ tag }}", "setext", "===", "", "   ", "* * *", "<div>", "[ref]: /x", "trailing  ",
    ]
    texts = []
    for _ in range(1500):
        body = "".join(chosen.choice(lines) + chosen.choice(["\n", "\n", "\r\n", "\r"]) for _ in range(chosen.randint(1, 12)))
        front = chosen.choice(["", "---\ntitle: T\n---\n", "---\r\ntitle: T\r\n---\r\n"])
        texts.append(front + body)
    fast = 0
    real_plain_line = markdown._plain_line

    def counting(token):
        nonlocal fast
        taken = real_plain_line(token)
        fast += taken
        return taken

    for text in texts:
        monkeypatch.setattr(markdown, "_plain_line", counting)
        ours = parse_document("p.md", text.encode())
        monkeypatch.setattr(markdown, "_plain_line", lambda token: False)
        assert ours == parse_document("p.md", text.encode()), repr(text)
    assert fast > 800
