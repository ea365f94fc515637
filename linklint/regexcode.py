"""Compiled regular expressions kept from run to run.

spaCy's English tokenizer has four patterns of 3,000 to 15,000 characters
with large Unicode classes; Python's ``re`` parses and compiles them in Python
code, 60–80 ms, which a pre-commit run that tokenizes an edited post's new
text would pay every time (``linklint.lexicon``). ``re`` turns a pattern into
a list of integers, the code its C engine runs, and hands it to
``_sre.compile``; kept with the lexicon, that code makes the same pattern
object in well under a millisecond.

The code is an internal of CPython's ``re``, so it is kept with the exact
interpreter version and only used by that one. It is kept only when the
object made from it equals ``re.compile``'s (pattern objects compare their
code), and anything else — another interpreter, an ``re`` without these
internals, code the engine refuses (``_sre.compile`` validates what it is
given and raises) — falls back to ``re.compile``.
"""

from __future__ import annotations

import re
import sys
import zlib
from typing import Any, Optional, Tuple

try:
    import _sre
except ImportError:  # pragma: no cover - every CPython has it
    _sre = None  # type: ignore[assignment]

# What is kept of one compiled pattern: the interpreter it is valid for, a
# CRC-32 of the pattern (code is never used for another one), the flags it was
# compiled with and the flags it ended with (inline ones and ``re.UNICODE``
# added), the engine's code, the number of groups (the whole match counted)
# and the group names with their numbers.
Code = Tuple[Tuple[Any, ...], int, int, int, Tuple[int, ...], int, Tuple[Tuple[str, int], ...]]


def _interpreter() -> tuple[Any, ...]:
    return (sys.implementation.name, sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))


def compile_keeping(pattern: str, flags: int) -> tuple[re.Pattern[str], Optional[Code]]:
    """``re.compile(pattern, flags)``, and its code to keep (None when this
    interpreter's ``re`` does not give it the way this module expects)."""
    compiled = re.compile(pattern, flags)
    try:
        parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
        # Plain ints: the opcodes are an int subclass of ``re``'s own.
        code = tuple(map(int, re._compiler._code(parsed, flags)))  # type: ignore[attr-defined]
        groupindex = tuple(sorted(parsed.state.groupdict.items()))
        final = int(flags | parsed.state.flags)
        kept: Code = (_interpreter(), _crc(pattern), int(flags), final, code, parsed.state.groups, groupindex)
    except Exception:  # internals of another shape: nothing to keep
        return compiled, None
    remade = from_code(pattern, flags, kept)
    return compiled, kept if remade is not None and remade == compiled else None


def from_code(pattern: str, flags: int, kept: object) -> Optional[re.Pattern[str]]:
    """``re.compile(pattern, flags)`` made from kept code, or None when the
    code is not for this interpreter and these flags, or no valid pattern's."""
    if not _is_code(kept):
        return None
    interpreter, crc, asked, final, code, groups, groupindex = kept  # type: ignore[misc]
    if interpreter != _interpreter() or asked != flags or _sre is None or crc != _crc(pattern):
        return None
    indexgroup: list[Optional[str]] = [None] * groups
    for name, index in groupindex:
        indexgroup[index] = name
    try:
        made = _sre.compile(pattern, final, list(code), groups - 1, dict(groupindex), tuple(indexgroup))
    except Exception:  # refused by the engine, or a call of another shape
        return None
    return made if isinstance(made, re.Pattern) and made.pattern == pattern and made.flags == final else None


def _crc(pattern: str) -> int:
    return zlib.crc32(pattern.encode("utf-8", "surrogatepass"))


def _is_code(kept: object) -> bool:
    return (
        type(kept) is tuple
        and len(kept) == 7
        and type(kept[0]) is tuple
        and all(type(number) is int for number in kept[1:4])
        and type(kept[4]) is tuple
        and all(type(word) is int for word in kept[4])
        and type(kept[5]) is int
        and kept[5] >= 1
        and type(kept[6]) is tuple
        and all(
            type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is int and 0 < pair[1] < kept[5]
            for pair in kept[6]
        )
    )
