"""Compiled regular expressions kept as the engine's code (``linklint.regexcode``)."""

from __future__ import annotations

import pickle
import re

import pytest

from linklint import regexcode
from linklint.regexcode import compile_keeping, from_code

PATTERNS = [
    (r"(?P<word>[a-z]+)-(?P<number>\d+)|(x)?", 0),
    (r"(?i)straw(?=berr)", 0),
    (r"(?<=[0-9])(?:km|m|kg)$", re.IGNORECASE),
    (r"^[\[\(\"'“‘]", re.UNICODE),
    (r"\w+\.(?:com|org)\b", re.ASCII),
]
TEXTS = ["soil-42", "Strawberry", "10km", "10KM", "(soil", "“curly”", "www.example.org.", "", "x", "naïve-7"]


def _behaviour(pattern: re.Pattern[str]) -> list:
    return [
        (pattern.pattern, pattern.flags, pattern.groups, dict(pattern.groupindex)),
        *[(m.span(), m.groups()) if (m := pattern.search(text)) else None for text in TEXTS],
        *[[m.span() for m in pattern.finditer(text)] for text in TEXTS],
    ]


@pytest.mark.parametrize("pattern,flags", PATTERNS)
def test_kept_code_makes_the_pattern_re_compile_makes(pattern: str, flags: int) -> None:
    compiled, kept = compile_keeping(pattern, flags)
    assert compiled == re.compile(pattern, flags)
    assert kept is not None
    # Stored as the cache stores it: plain tuples, ints and strings.
    kept = pickle.loads(pickle.dumps(kept))
    made = from_code(pattern, flags, kept)
    assert made is not None and made is not compiled
    assert made == compiled  # pattern objects compare their flags, text and code
    assert _behaviour(made) == _behaviour(compiled)


def test_the_tokenizers_patterns_are_made_from_kept_code() -> None:
    from linklint import nlp
    from linklint.lexicon import Rules

    rules = Rules.of(nlp.get_nlp("en").tokenizer)
    made = 0
    for name, value in rules.patterns.items():
        if value is None:
            continue
        compiled, kept = compile_keeping(*value)
        again = from_code(value[0], value[1], pickle.loads(pickle.dumps(kept)))
        assert again == compiled, name
        for text in ("(don't),", "x):", "https://x.com/a?b=1,", "10km", "well-known", "foo...bar", "“curly”"):
            assert [m.span() for m in again.finditer(text)] == [m.span() for m in compiled.finditer(text)], (name, text)
        made += 1
    assert made == 4  # prefix, suffix, infix, URL


def test_code_that_does_not_fit_is_not_used() -> None:
    pattern, flags = PATTERNS[0]
    _, kept = compile_keeping(pattern, flags)
    assert kept is not None
    interpreter, crc, asked, final, code, groups, names = kept
    # Another interpreter, other flags, another pattern.
    assert from_code(pattern, flags, (("cpython", "2.7.18"), *kept[1:])) is None
    assert from_code(pattern, flags | re.IGNORECASE, kept) is None
    assert from_code(pattern + "?", flags, kept) is None
    # Damaged: the engine refuses code that is no pattern's (no crash).
    assert from_code(pattern, flags, (interpreter, crc, asked, final, code[:-3], groups, names)) is None
    assert from_code(pattern, flags, (interpreter, crc, asked, final, (99999, *code[1:]), groups, names)) is None
    # Not of the shape kept at all.
    for damaged in (
        None,
        list(kept),
        kept[:-1],
        (interpreter, crc, asked, final, list(code), groups, names),
        (interpreter, crc, asked, final, (*code[:-1], "1"), groups, names),
        (interpreter, crc, asked, final, code, 0, names),
        (interpreter, crc, asked, final, code, groups, (("word", groups),)),  # a group past the last
        (interpreter, crc, asked, final, code, groups, (("word", -1),)),
        (interpreter, crc, str(asked), final, code, groups, names),
    ):
        assert from_code(pattern, flags, damaged) is None, damaged


def test_without_the_internals_it_expects_nothing_is_kept(monkeypatch) -> None:
    pattern, flags = PATTERNS[1]

    def missing(*args, **kwargs):
        raise AttributeError("_code")

    monkeypatch.setattr(re._compiler, "_code", missing)
    compiled, kept = compile_keeping(pattern, flags)
    assert compiled == re.compile(pattern, flags) and kept is None


def test_code_the_engine_call_cannot_take_is_not_used(monkeypatch) -> None:
    pattern, flags = PATTERNS[1]
    _, kept = compile_keeping(pattern, flags)

    class Refusing:
        MAGIC, CODESIZE = regexcode._sre.MAGIC, regexcode._sre.CODESIZE

        @staticmethod
        def compile(*args):
            raise TypeError("compile() takes 7 arguments")

    monkeypatch.setattr(regexcode, "_sre", Refusing)
    assert from_code(pattern, flags, kept) is None
    # ... and what it would make is not kept either.
    assert compile_keeping(pattern, flags)[1] is None
