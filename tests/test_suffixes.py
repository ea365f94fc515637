"""A suffix pattern searched by the text's last character gives the pattern's
own answer (linklint.suffixes)."""

from __future__ import annotations

import random
import re

from linklint import english_data
from linklint.suffixes import _alternatives, _last_characters, last_char_search

SUFFIX = re.compile(*english_data.PATTERNS["suffix"])


def _span(match):
    return None if match is None else (match.span(), match.group())


def _texts() -> list[str]:
    """Every character an alternative of spaCy's suffix pattern can end
    with, alone and after a word, a number, a mark; words with marks; random
    strings of letters, digits, marks, quotes and symbols."""
    ends = set()
    for alternative in _alternatives(SUFFIX) or ():
        ends |= _last_characters(alternative, SUFFIX.flags) or set()
    texts = [""]
    for char in sorted(ends):
        texts += [char, "word" + char, "9" + char, "a." + char, char + char, "(x" + char]
    rng = random.Random(3)
    pool = list("abcxyzKMS09.,;:!?'\"()[]{}<>-_/\\%°$€…’”“*#&@~|^`") + ["km", "'s", "’s", "n't", "..", "mm²", "\u00a9", "\u2122"]
    for _ in range(30_000):
        texts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 8))))
    texts += ["links,", "(see", "[here]", "pages.", "10km", "5°C.", "U.S.", "it's", "ok...", "a)\n", "x\n"]
    return texts


def test_the_english_suffix_search_answers_as_the_whole_pattern() -> None:
    search = last_char_search(SUFFIX)
    assert search != SUFFIX.search  # the pattern is split by last character
    texts = _texts()
    assert len(texts) > 60_000
    differing = [text for text in texts if _span(search(text)) != _span(SUFFIX.search(text))]
    assert differing == []
    assert sum(SUFFIX.search(text) is not None for text in texts) > 20_000


def test_only_the_alternatives_that_can_end_with_the_last_character_are_tried() -> None:
    pattern = re.compile(r"\)$|(?<=[0-9])km$|x+$|(?:ab|c[de])$")
    assert [sorted(_last_characters(a, pattern.flags) or ()) for a in _alternatives(pattern) or ()] == [
        [")"], ["m"], ["x"], ["b", "d", "e"],
    ]
    search = last_char_search(pattern)
    for text in ["abc", "a)", "5km", "akm", "xx", "yxx", "cd", "ce", "zab", "", ")\n", "q"]:
        assert _span(search(text)) == _span(pattern.search(text)), text
    # An alternative whose end cannot be told is tried on every text.
    anything = re.compile(r"\)$|[^a]$|(?=z)z?$")
    search = last_char_search(anything)
    assert [_last_characters(a, anything.flags) for a in _alternatives(anything) or ()] == [frozenset(")"), None, None]
    for text in ["b", ")", "a", "z", "az", ""]:
        assert _span(search(text)) == _span(anything.search(text)), text


def test_the_parts_are_compiled_by_the_compile_part_given_once_each() -> None:
    pattern = re.compile(r"\)$|(?<=[0-9])km$|x+$|(?:ab|c[de])$")
    asked: list[tuple[str, str, int]] = []

    def compile_part(name: str, source: str, flags: int) -> re.Pattern[str]:
        asked.append((name, source, flags))
        return re.compile(source, flags)

    search = last_char_search(pattern, compile_part)
    for text in ["5km", "akm", "a)", "b)", "zab", "cd", "q", "xx"]:
        assert _span(search(text)) == _span(pattern.search(text)), text
    # A part per last character met, named by its alternatives' numbers.
    assert asked == [
        ("1", "(?<=[0-9])km$", pattern.flags),
        ("0", "\\)$", pattern.flags),
        ("3", "(?:ab|c[de])$", pattern.flags),
        ("2", "x+$", pattern.flags),
    ]


def test_a_pattern_that_is_not_alternatives_ending_at_the_end_is_searched_whole() -> None:
    for source, flags in [("a|b", 0), ("a$|b", 0), ("a\\$", 0), ("(a|b$)", 0), ("a$|b$", re.IGNORECASE), ("[$]", 0)]:
        pattern = re.compile(source, flags)
        assert last_char_search(pattern) == pattern.search, source
    # Alternatives split at the top level only: not inside a group or a class.
    assert _alternatives(re.compile(r"(?:a|b)$|[|)]$|\|$")) == ["(?:a|b)$", "[|)]$", "\\|$"]
    assert _alternatives(re.compile(r"[]|]$|x$")) == ["[]|]$", "x$"]
