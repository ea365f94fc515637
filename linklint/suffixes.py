"""Searching a tokenizer's suffix pattern by the text's last character.

spaCy's suffix pattern is one alternation of about eighty alternatives, each
ending with ``$`` (``compile_suffix_regex``): a closing bracket, a quote,
"'s", units after a number, a class of 6,000 symbols. ``re`` tries every
alternative at every position of the text, 3–4 µs a word, and the first time
a cold run meets a word with a mark on it (half a million times on a large
site) it asks. Every alternative's match ends where the text does, so only
the alternatives whose last character can be the text's last one can match.
``last_char_search`` gives a search that runs only those, in their order:
the same match (the leftmost, and at it the first alternative that matches),
an eighth of the time. The alternatives kept for each character are compiled
when first needed, by ``compile_part`` when one is given (the alternatives of a
text ending with a full stop hold a class of every lower-case letter: 5 ms
that ``linklint.lexicon`` saves from run to run).
"""

from __future__ import annotations

import re
from typing import Callable, Optional

try:
    from re import _constants as _sre, _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["last_char_search"]

Search = Callable[[str], Optional["re.Match[str]"]]

# A character class wider than this is taken as "any character".
_WIDEST_CLASS = 20_000


def last_char_search(pattern: re.Pattern[str], compile_part: Callable[[str, str, int], re.Pattern[str]] | None = None) -> Search:
    """``pattern.search``, or a search that gives the same answer faster when
    ``pattern`` is an alternation whose every alternative ends with ``$``
    (see the module's docstring). ``compile_part(name, source, flags)``
    compiles a part of the pattern, ``name`` telling which (``re.compile``
    without it)."""
    alternatives = _alternatives(pattern)
    if alternatives is None:
        return pattern.search
    ends = [_last_characters(alternative, pattern.flags) for alternative in alternatives]
    anywhere = tuple(i for i, end in enumerate(ends) if end is None)
    # Each character's alternatives, in their order: a pass over each
    # alternative's characters (a symbol class holds 6,000), not over every
    # alternative for every character.
    found: dict[str, list[int]] = {}
    for i, end in enumerate(ends):
        for char in end or ():
            found.setdefault(char, []).append(i)
    keys = {char: tuple(sorted({*indexes, *anywhere})) if anywhere else tuple(indexes) for char, indexes in found.items()}
    compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
    if compile_part is None:
        compile_part = _compiled
    full = pattern.search
    flags = pattern.flags

    def search(text: str) -> Optional[re.Match[str]]:
        if not text or text[-1] == "\n":
            return full(text)  # `$` matches before a last line break too
        key = keys.get(text[-1], anywhere)
        if not key:
            return None
        found = compiled.get(key)
        if found is None:
            source = "|".join(alternatives[i] for i in key)
            found = compiled[key] = compile_part(",".join(map(str, key)), source, flags)
        return found.search(text)

    return search


def _compiled(name: str, source: str, flags: int) -> re.Pattern[str]:
    """A part of a pattern, compiled (its name says nothing to ``re``)."""
    return re.compile(source, flags)


def _alternatives(pattern: re.Pattern[str]) -> Optional[list[str]]:
    """The top-level alternatives of ``pattern``'s source when each ends with
    an unescaped ``$`` and case matters, else None."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE):
        return None
    source = pattern.pattern
    out: list[str] = []
    depth = 0
    in_class = False
    start = 0
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            # A `]` right after `[` or `[^` is a member, not the end.
            if source.startswith("]", i + 1):
                i += 1
            elif source.startswith("^]", i + 1):
                i += 2
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    out.append(source[start:])
    if depth != 0 or in_class or "|".join(out) != source:
        return None
    for alternative in out:
        if not alternative.endswith("$") or alternative.endswith("\\$"):
            return None
    return out


def _last_characters(alternative: str, flags: int) -> Optional[frozenset[str]]:
    """The characters a match of ``alternative`` can end with (None: any, or
    not known)."""
    try:
        parsed = list(_sre_parse.parse(alternative, flags))
    except (re.error, RecursionError):  # pragma: no cover - it compiled whole
        return None
    if not parsed or parsed[-1] != (_sre.AT, _sre.AT_END):
        return None
    found = _ends(parsed[:-1])
    return None if found is None else frozenset(found)


def _ends(items: list) -> Optional[set[str]]:
    if not items:
        return None  # an empty match: it ends with what comes before it
    op, av = items[-1]
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is _sre.IN:
        out: set[str] = set()
        for member, value in av:
            if member is _sre.LITERAL:
                out.add(chr(value))
            elif member is _sre.RANGE and value[1] - value[0] <= _WIDEST_CLASS:
                out.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None  # a negated class, a category ...
        return out
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, _, repeated = av
        return _ends(list(repeated)) if low >= 1 else None
    if op is _sre.SUBPATTERN:
        _, add_flags, _, inner = av
        return None if add_flags & re.IGNORECASE else _ends(list(inner))
    if op is _sre.BRANCH:
        out = set()
        for branch in av[1]:
            ends = _ends(list(branch))
            if ends is None:
                return None
            out |= ends
        return out
    return None  # an assertion, a backreference, any character ...
