"""Faster stand-ins for markdown-it-py helpers, with exactly their results.

markdown-it-py walks every link destination a character at a time twice: once
to find where it ends (``parseLinkDestination``) and once to percent-encode it
(``mdurl.encode`` inside ``normalizeLink``). On a site of long pages with many
links that is a fifth of the parsing time. Both are answered here with regular
expressions for the common case and handed to markdown-it-py's own code for
everything else, so what the parser builds does not change.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import mdurl
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination, parseLinkLabel
from markdown_it.utils import OptionsDict

# Characters `mdurl.encode` keeps as they are (letters, digits and its default
# exclusions), and `%`, which it keeps where it starts an escape.
_KEPT = re.compile(r"[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#%]*")
_NOT_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# A run of destination characters with no meaning to the destination's scan:
# not space, an ASCII control character, a backslash or a parenthesis.
_ORDINARY = re.compile(r"[^\x00-\x20\x7f\\()]+")
# The same inside angle brackets, where only a line break, `<`, `>` and a
# backslash mean something (a `data:` URL there can be 100,000 characters).
_BRACKETED_ORDINARY = re.compile(r"[^\n<>\\]+")
_MAX_NESTING = 32


class DestinationResult:
    """What markdown-it-py's rules read from a destination's scan."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, string: str = "") -> None:
        self.ok = ok
        self.pos = pos
        self.str = string


class PlainOptions(OptionsDict):
    """The parser's options, read by its rules on every list item and inline
    block: ``get`` straight from the dictionary, not through the generic
    ``Mapping.get`` and ``__getitem__``."""

    def get(self, key: str, default: Any = None) -> Any:
        return self._options.get(key, default)


def normalize_link(url: str) -> str:
    """``markdown_it``'s ``normalizeLink``, remembered per URL: a site's
    pages link to the same few hundred URLs again and again."""
    found = _NORMALIZED.get(url)
    if found is None:
        found = _normalized(url)
        if len(url) <= _NORMALIZED_LONGEST:
            if len(_NORMALIZED) >= _NORMALIZED_MAX:
                _NORMALIZED.clear()
            _NORMALIZED[url] = found
    return found


# URL -> normalised link; cleared when full, so a run's memory stays bounded.
# Long URLs (a `data:` image is one of a kind and can be 100,000 characters)
# are not kept.
_NORMALIZED: dict[str, str] = {}
_NORMALIZED_MAX = 50_000
_NORMALIZED_LONGEST = 1_000


# An http(s) URL that ``mdurl.parse`` takes apart and ``mdurl.format`` puts
# back as it was: a host of dot-separated names of letters, digits and `-`
# (each at most 63 characters, as mdurl's host check wants), an optional port
# of digits, then a path, query or fragment of URL characters only, so no
# `@` (user info), space or other character that ends mdurl's host early.
_SIMPLE_URL = re.compile(
    r"https?://([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*)(?::[0-9]+)?(?:[/?#][A-Za-z0-9;/?:@&=+$,\-_.!~*'()#%]*)?"
)
# mdurl drops a host name longer than this: such URLs take its way.
_LONGEST_HOST = 255


def _normalized(url: str) -> str:
    """``normalizeLink``. Its last step percent-encodes the reassembled URL;
    when that is already encoded (ASCII letters, digits, URL punctuation,
    ``%XX``) the step changes nothing, and the host, being ASCII, needed no
    punycode."""
    simple = _SIMPLE_URL.fullmatch(url)
    if simple is not None and len(simple.group(1)) <= _LONGEST_HOST:
        formatted = url  # what mdurl's parse and format give back
    else:
        formatted = mdurl.format(mdurl.parse(url, slashes_denote_host=True))
    if _KEPT.fullmatch(formatted) and ("%" not in formatted or not _NOT_ESCAPE.search(formatted)):
        return formatted
    return normalizeLink(url)


def link_label_parser(markup: str) -> Callable[..., int]:
    """``markdown_it.helpers.parseLinkLabel`` for a parser whose inline rules,
    but ``text`` and ``newline``, can start only at the characters in
    ``markup``. It steps from the opening `[` one token at a time, trying
    every inline rule at each stop (``skipToken``), to the `]` that closes
    it; the link rule asks it once and linklint again for where the label
    ends. Up to a first `]` with none of those characters and no `[` before
    it, no rule can start, the text rule stops at the `]` and line breaks
    too, so that `]` closes the label (unless the nesting limit makes
    ``skipToken`` jump to the end); anything else is markdown-it-py's own
    walk."""
    plain = re.compile("[^" + re.escape("".join(sorted(set(markup) | {"[", "]"}))) + "]*\\]")

    def parse_link_label(state: Any, start: int, disableNested: bool = False) -> int:
        found = plain.match(state.src, start + 1, state.posMax)
        if found is not None and (found.end() == start + 2 or state.level < state.md.options["maxNesting"]):
            return found.end() - 1
        return parseLinkLabel(state, start, disableNested)

    return parse_link_label


def parse_link_destination(string: str, pos: int, maximum: int) -> DestinationResult:
    """``markdown_it.helpers.parseLinkDestination``, skipping over runs of
    ordinary characters."""
    if pos >= maximum:
        return parseLinkDestination(string, pos, maximum)  # type: ignore[return-value]
    if string[pos : pos + 1] == "<":
        return _bracketed_destination(string, pos, maximum)
    start = pos
    level = 0
    while pos < maximum:
        run = _ORDINARY.match(string, pos, maximum)
        if run:
            pos = run.end()
            if pos >= maximum:
                break
        char = string[pos : pos + 1]  # past the end: "", where the original stops too
        if char == "\\":
            if pos + 1 < maximum:
                if string[pos + 1 : pos + 2] == " ":
                    break
                pos += 2
                continue
        elif char == "(":
            level += 1
            if level > _MAX_NESTING:
                return DestinationResult()
        elif char == ")":
            if level == 0:
                break
            level -= 1
        else:
            break  # a space or an ASCII control character ends the destination
        pos += 1
    if start == pos or level != 0:
        return DestinationResult()
    return DestinationResult(True, pos, unescapeAll(string[start:pos]))


def _bracketed_destination(string: str, pos: int, maximum: int) -> DestinationResult:
    """The scan of a destination in angle brackets (``string[pos]`` is ``<``):
    it ends at the first ``>`` not escaped by a backslash, and fails at a line
    break, a ``<`` or the end."""
    start = pos
    pos += 1
    while pos < maximum:
        run = _BRACKETED_ORDINARY.match(string, pos, maximum)
        if run:
            pos = run.end()
            if pos >= maximum:
                break
        char = string[pos : pos + 1]  # past the end: "", where the original stops too
        if char == ">":
            return DestinationResult(True, pos + 1, unescapeAll(string[start + 1 : pos]))
        if char != "\\":
            break  # a line break, a `<` or the end of the text
        pos += 2  # past the escaped character (or the limit, failing as the original)
    return DestinationResult()
