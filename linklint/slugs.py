"""Heading ids ("slugs") exactly as the renderers compute them.

A link such as ``page.md#some-heading`` is only valid if the renderer gives one of
the page's headings the id ``some-heading``. Each renderer has its own algorithm, so
each lives here as a small class with the same interface (:class:`HeadingSlugger`):

* ``slug(text)`` -- the id of the next heading of the document, made unique against
  the ids handed out before it;
* ``reserve(heading_id)`` -- mark an id as taken without producing it (explicit ids);
* ``reset()`` -- start a new document.

``SLUGGERS`` maps the algorithm names used in configuration to these classes.

The input is always the *plain text* of a heading, the way the renderer sees it
after inline parsing: ``## The `foo()` *call*`` is ``"The foo() call"``. Extracting
that text is the parser's job, not this module's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Protocol

__all__ = [
    "ALGORITHMS",
    "SLUGGERS",
    "TEMPLATE_TAG",
    "CountingSlugger",
    "FirstFreeSlugger",
    "FragmentIds",
    "PythonMarkdownSlugger",
    "GitHubSlugger",
    "GitLabLegacySlugger",
    "GitLabSlugger",
    "HeadingSlugger",
    "Slugger",
    "github_slug",
    "gitlab_legacy_slug",
    "gitlab_slug",
    "heading_ids",
    "make_slugger",
]


class HeadingSlugger(Protocol):
    """What every slug algorithm offers; one instance serves one document."""

    def slug(self, text: str) -> str: ...

    def reserve(self, heading_id: str) -> None: ...

    def reset(self) -> None: ...


# -- character classes ---------------------------------------------------------
#
# GitHub keeps the characters of Ruby's ``\p{Word}`` (Alphabetic + Mark +
# Decimal_Number + Connector_Punctuation), plus ``-`` and the ASCII space. The
# github-slugger package expresses the same set the other way round: it deletes the
# general categories below, minus every Alphabetic code point, the space and ``-``.
# We follow that formulation because ``unicodedata`` exposes general categories.
# Checked code point by code point against github-slugger 2.0.0's generated
# regular expression: the two agree on every character assigned in Unicode 13.
# github-slugger pins Unicode 13 and deletes anything newer as unassigned; here
# newer letters and digits are judged by the running Python's Unicode database.
_GITHUB_DELETED_CATEGORIES = frozenset(
    {
        "No",  # other numbers: ², ½, ① (decimal digits and letter numbers stay)
        "Pd", "Ps", "Pe", "Pi", "Pf", "Po",  # all punctuation except connectors (_)
        "Sm", "Sc", "Sk", "So",  # symbols, which includes emoji
        "Cc", "Cf", "Co", "Cn",  # controls, format (ZWJ, soft hyphen), private, unassigned
        "Zs", "Zl", "Zp",  # separators other than the ASCII space (NBSP is deleted)
    }
)  # fmt: skip

# The only Alphabetic code points whose general category is in the deleted set:
# circled and squared Latin letters (So, but Other_Alphabetic), e.g. Ⓐ and 🄰. The
# remaining Other_Alphabetic characters are marks, which are kept anyway.
_ALPHABETIC_SYMBOLS = (
    (0x24B6, 0x24E9),  # Ⓐ..ⓩ
    (0x1F130, 0x1F149),  # 🄰..🅉
    (0x1F150, 0x1F169),  # 🅐..🅩
    (0x1F170, 0x1F189),  # 🅰..🆉
)


def _is_alphabetic_symbol(code_point: int) -> bool:
    return any(low <= code_point <= high for low, high in _ALPHABETIC_SYMBOLS)


def _github_keeps(code_point: int) -> bool:
    if unicodedata.category(chr(code_point)) not in _GITHUB_DELETED_CATEGORIES:
        return True
    return _is_alphabetic_symbol(code_point)


def _gitlab_keeps(code_point: int) -> bool:
    # comrak's anchorizer (GitLab 17.0 and later): letters, marks, *all* numbers
    # (so ² and ½ survive, unlike on GitHub) and connector punctuation. No
    # Alphabetic exception: Ⓐ is a symbol there and goes.
    category = unicodedata.category(chr(code_point))
    return category[0] in "LMN" or category == "Pc"


class _SlugTable(dict[int, "int | str | None"]):
    """A ``str.translate`` table that classifies each code point on first sight.

    Filtering and turning spaces into hyphens then take a single C-level pass over
    the text, and the table only ever holds the characters actually seen, instead of
    a class spanning all of Unicode built at import time.
    """

    def __init__(self, keeps: Callable[[int], bool]) -> None:
        super().__init__({ord(" "): "-", ord("-"): ord("-")})
        self._keeps = keeps

    def __missing__(self, code_point: int) -> int | None:
        value = code_point if self._keeps(code_point) else None
        self[code_point] = value
        return value


_GITHUB_TABLE = _SlugTable(_github_keeps)
_GITLAB_TABLE = _SlugTable(_gitlab_keeps)
_HYPHEN_RUNS = re.compile("-{2,}")


# -- stateless slug functions ----------------------------------------------------


def github_slug(text: str) -> str:
    """The id github.com gives a heading with this text, before de-duplication.

    Lower-case (Python's ``str.lower`` is the full Unicode mapping, Final_Sigma
    included, as JavaScript's ``toLowerCase`` and Ruby's ``downcase``), delete what
    is not a letter, mark, decimal digit, letter number, ``_``, ``-`` or space, then
    turn each space into ``-``. Nothing is trimmed and runs of hyphens are not
    collapsed: ``"a - b"`` is ``"a---b"``.
    """
    return text.lower().translate(_GITHUB_TABLE)


def gitlab_slug(text: str) -> str:
    """The id GitLab 17.0 and later gives a heading, before de-duplication.

    GitLab renders with comrak, whose anchorizer differs from GitHub's only in the
    characters it keeps (all numbers, no alphabetic symbols). Hyphen runs are kept,
    as on GitHub; 17.0 stopped collapsing them.
    """
    return text.lower().translate(_GITLAB_TABLE)


def gitlab_legacy_slug(text: str) -> str:
    """The id GitLab before 17.0 gives a heading, before de-duplication.

    Same characters as GitHub (Ruby's ``\\p{Word}``), but runs of hyphens are
    collapsed to one: ``"a - b"`` is ``"a-b"``. Those versions replaced ``:emoji:``
    codes with images before computing ids, so callers should pass the text without
    them.
    """
    return _HYPHEN_RUNS.sub("-", github_slug(text))


# -- stateful sluggers -------------------------------------------------------------


class Slugger:
    """GitHub's per-document slugger (the algorithm of the github-slugger package).

    Repeats get ``-1``, ``-2``, ...; the counter belongs to the base slug, and a
    candidate that is already taken (because a heading is literally called
    ``foo-1``) is skipped: ``foo``, ``foo``, ``foo-1``, ``foo`` give ``foo``,
    ``foo-1``, ``foo-1-1``, ``foo-2``.
    """

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = self._base(text)
        result = base
        while result in self._occurrences:
            self._occurrences[base] += 1
            result = f"{base}-{self._occurrences[base]}"
        self._occurrences[result] = 0
        return result

    def reserve(self, heading_id: str) -> None:
        # Registered like a generated slug with no repeats yet: a later heading with
        # the same base slug continues at -1, exactly as if this id had been slugged.
        self._occurrences.setdefault(heading_id, 0)

    def reset(self) -> None:
        self._occurrences = {}

    @staticmethod
    def _base(text: str) -> str:
        return github_slug(text)


GitHubSlugger = Slugger


class GitLabSlugger:
    """GitLab 17.0+ (comrak): the first free ``base``, ``base-1``, ``base-2``, ...

    Trying suffixes from 1 each time gives the same ids as GitHub's counter, since
    a taken id never becomes free again; only the kept characters differ.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def slug(self, text: str) -> str:
        base = gitlab_slug(text)
        result = base
        suffix = 0
        while result in self._taken:
            suffix += 1
            result = f"{base}-{suffix}"
        self._taken.add(result)
        return result

    def reserve(self, heading_id: str) -> None:
        self._taken.add(heading_id)

    def reset(self) -> None:
        self._taken = set()


class GitLabLegacySlugger:
    """GitLab before 17.0: a plain count per base slug, with no collision check.

    ``foo``, ``foo``, ``foo-1`` give ``foo``, ``foo-1`` and ``foo-1`` again: that
    version really produced duplicate ids, and a link reaches the first of them.
    """

    def __init__(self) -> None:
        self._counts: defaultdict[str, int] = defaultdict(int)

    def slug(self, text: str) -> str:
        base = gitlab_legacy_slug(text)
        count = self._counts[base]
        self._counts[base] += 1
        return f"{base}-{count}" if count else base

    def reserve(self, heading_id: str) -> None:
        # The counter only knows base slugs; a reserved id makes its next plain
        # occurrence a repeat.
        self._counts[heading_id] = max(self._counts[heading_id], 1)

    def reset(self) -> None:
        self._counts = defaultdict(int)


# -- the site generators' renderers ------------------------------------------------
#
# Each function below is the base id of one renderer, before de-duplication; the
# classes after them number the repeats the way that renderer does. Where a
# renderer is written in another language, the character classes of that language
# are mapped onto Unicode general categories (Go's ``unicode.IsLetter`` is
# category L*, ``unicode.IsDigit`` is Nd, ``unicode.IsNumber`` is N*).


def _simple_lower(ch: str) -> str:
    """One character lower-cased the way Go's ``unicode.ToLower`` and .NET's
    ``ToLowerInvariant`` do: one code point in, one out (``İ`` → ``i``)."""
    low = ch.lower()
    return low[0] if low else ch


def _hugo_char(code_point: int) -> str | None:
    ch = chr(code_point)
    if ch in "- \t":
        return "-"
    category = unicodedata.category(ch)
    if ch == "_" or category[0] == "L" or category == "Nd":
        return _simple_lower(ch)
    return None


class _MapTable(dict[int, "str | None"]):
    """A ``str.translate`` table filled on first sight of each code point by a
    function that says what the character becomes (``None`` deletes it)."""

    def __init__(self, mapping: Callable[[int], str | None]) -> None:
        super().__init__()
        self._mapping = mapping

    def __missing__(self, code_point: int) -> str | None:
        value = self[code_point] = self._mapping(code_point)
        return value


_HUGO_TABLE = _MapTable(_hugo_char)


def hugo_slug(text: str) -> str:
    """Hugo's ``github`` auto heading id (goldmark, the default since Hugo 0.60).

    Hugo's ``sanitizeAnchorName``: ``-``, space and tab become ``-``; ``_``, letters
    and decimal digits are kept, lower-cased; everything else is dropped. Nothing is
    collapsed. goldmark hands it the heading's *source* line, so the markup of a
    link (``[text](url)``) contributes the URL's letters too: callers pass the raw
    source of the heading.
    """
    return text.strip(" \t").translate(_HUGO_TABLE)


def _remove_accents(text: str) -> str:
    # Hugo's text.RemoveAccents: NFD, drop non-spacing marks, NFC.
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def hugo_ascii_slug(text: str) -> str:
    """Hugo's ``github-ascii`` ids: accents removed, then only ASCII is kept."""
    return "".join(c for c in hugo_slug(_remove_accents(text)) if c < "\x80")


def blackfriday_slug(text: str) -> str:
    """Hugo's ``blackfriday`` ids (blackfriday's ``SanitizedAnchorName``): runs of
    anything but letters and numbers become one ``-`` between words; no leading or
    trailing hyphen."""
    out: list[str] = []
    dash = False
    for ch in text:
        if unicodedata.category(ch)[0] in "LN":
            if dash and out:
                out.append("-")
            dash = False
            out.append(_simple_lower(ch))
        else:
            dash = True
    return "".join(out)


_KRAMDOWN_GFM_TABLE = _SlugTable(_github_keeps)
_KRAMDOWN_GFM_TABLE[ord("\t")] = "-"


def kramdown_gfm_slug(text: str) -> str:
    """Jekyll's default ids: kramdown with its GFM parser (``input: GFM``).

    kramdown-parser-gfm's ``generate_gfm_header_id``: downcase, delete what is not
    ``\\p{Word}``, ``-``, space or tab, then space and tab each become ``-``. The
    same characters as GitHub (see ``github_slug``), tabs included.
    """
    return text.lower().translate(_KRAMDOWN_GFM_TABLE)


# What Redcarpet's `rndr_header_anchor` turns into a `-` (one per run, none
# at the ends); anything not ASCII does the same.
_REDCARPET_STRIPPED = frozenset(" -&+$,/:;=?@\"#{}|^~[]`\\*()%.!'")
# Characters Redcarpet's HTML renderer writes as entities (`&amp;`, `&#39;`),
# which the anchor skips whole.
_REDCARPET_ESCAPED = frozenset("&<>\"'")


def redcarpet_slug(text: str) -> str:
    """Redcarpet's ids (``with_toc_data``; Jekyll's ``markdown: Redcarpet``).

    ``rndr_header_anchor`` reads the heading's rendered HTML byte by byte:
    tags and entities (the ``&``, ``<``, ``>``, quotes and apostrophes of the
    text, escaped) are skipped, a run of non-ASCII bytes and of
    ``STRIPPED`` punctuation becomes one ``-`` between what is kept, the rest
    is kept lower-cased. A heading with nothing kept gets ``part-`` and the
    hexadecimal djb2 hash of its bytes."""
    out: list[str] = []
    stripped = False
    for ch in text:
        if ch in _REDCARPET_ESCAPED:
            continue
        if ch >= "\x80" or ch in _REDCARPET_STRIPPED:
            if out and not stripped:
                out.append("-")
            stripped = True
        else:
            out.append(ch.lower())
            stripped = False
    if stripped and out:
        out.pop()
    if not out and text:
        digest = 5381
        for byte in text.encode("utf-8"):
            digest = (digest * 33 + byte) & 0xFFFFFFFFFFFFFFFF
        return f"part-{digest:x}"
    return "".join(out)


_KRAMDOWN_LEADING = re.compile(r"^[^a-zA-Z]+")
_KRAMDOWN_DROPPED = re.compile(r"[^a-zA-Z0-9 -]")


def kramdown_slug(text: str) -> str:
    """kramdown's own ids (``input: kramdown``), ``basic_generate_id``: drop
    everything before the first ASCII letter, keep ASCII letters, digits, spaces
    and hyphens, spaces to ``-``, lower-case. Empty becomes ``section``."""
    text = _KRAMDOWN_DROPPED.sub("", _KRAMDOWN_LEADING.sub("", text))
    return text.replace(" ", "-").lower() or "section"


def python_markdown_slug(text: str, separator: str = "-", *, unicode: bool = False) -> str:
    """Python-Markdown's ``toc`` ``slugify`` (MkDocs' default): accents folded to
    ASCII (NFKD, then non-ASCII dropped) unless ``unicode``, ``[^\\w\\s-]`` removed,
    trimmed, lower-cased, runs of separators and spaces collapsed to one."""
    if not unicode:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[{}\s]+".format(re.escape(separator)), separator, text)


_PYMDOWNX_TAGS = re.compile(r"</?[^>]*>")
_PYMDOWNX_INVALID = re.compile(r"[^\w\- ]")


def pymdownx_slug(text: str, separator: str = "-", *, case: str = "none", normalize: str = "NFC") -> str:
    """``pymdownx.slugs.slugify(case=…)``, the slugify most Material for MkDocs
    sites configure: Unicode kept, tags stripped, ``[^\\w\\- ]`` removed, each space
    a separator (not collapsed)."""
    if case == "fold":
        text = text.casefold()
    elif case == "lower":
        text = text.lower()
    elif case == "lower-ascii":  # pymdownx.slugs.gfm: only ASCII letters lower-cased
        text = re.sub("[A-Z]", lambda m: m.group(0).lower(), text)
    slug = unicodedata.normalize(normalize, _PYMDOWNX_TAGS.sub("", text).strip())
    return _PYMDOWNX_INVALID.sub("", slug).replace(" ", separator)


# Zola's `slug` crate transliterates with `deunicode`, whose table (CJK to pinyin,
# emoji to words: 🦄 is "unicorn") is not reproduced here. Accented Latin letters
# are folded exactly through NFKD; any other non-ASCII character is marked with
# UNKNOWN, and `id_pattern` turns an id holding it into a pattern that accepts
# whatever words deunicode may have produced there.
UNKNOWN = "\x00"


# Latin letters that have no decomposition, spelled as every transliteration
# table spells them.
_LATIN = {
    "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "ß": "ss", "Ð": "D", "ð": "d",
    "Þ": "Th", "þ": "th", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Ħ": "H", "ħ": "h",
}  # fmt: skip


def _deunicode(ch: str) -> str:
    if ch in _LATIN:
        return _LATIN[ch]
    folded = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
    if folded:
        return folded
    category = unicodedata.category(ch)
    if category[0] in "MZC" and category != "Co":
        return " "  # marks, spaces and controls: nothing a slug keeps
    return UNKNOWN


def zola_slug(text: str) -> str:
    """Zola's default ids (``slugify.anchors = "on"``): the ``slug`` crate. ASCII
    letters and digits are kept (lower-cased), every other run becomes one ``-``,
    with none at either end; non-ASCII is transliterated first."""
    out: list[str] = []
    dash = True  # no leading hyphen
    for ch in text:
        for c in ch if ch < "\x80" else _deunicode(ch):
            if "a" <= c <= "z" or "0" <= c <= "9" or c == UNKNOWN:
                out.append(c)
                dash = False
            elif "A" <= c <= "Z":
                out.append(c.lower())
                dash = False
            elif not dash:
                out.append("-")
                dash = True
    if out and out[-1] == "-":
        out.pop()
    return "".join(out)


def zola_safe_slug(text: str) -> str:
    """Zola with ``slugify.anchors = "safe"`` or ``"off"``: ASCII whitespace to ``_``."""
    return re.sub(r"[ \t\n\x0c\r]", "_", text)


def id_pattern(heading_id: str) -> re.Pattern[str] | None:
    """For an id holding UNKNOWN characters, a pattern that matches every id the
    renderer may really have produced (any slug words in their place, and any
    repeat number); None for an exact id."""
    if UNKNOWN not in heading_id:
        return None
    out: list[str] = []
    for i, ch in enumerate(heading_id):
        if ch == UNKNOWN:
            if not out or out[-1] != _WORDS:
                out.append(_WORDS)
        elif ch == "-" and UNKNOWN in heading_id[max(i - 1, 0) : i + 2]:
            out.append("-?")  # the word deunicode put there may be nothing at all
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out) + r"(?:-\d+)?")


_WORDS = "(?:[a-z0-9]+(?:-[a-z0-9]+)*)?"


def mdbook_slug(text: str) -> str:
    """mdBook 0.4's ids (``normalize_id``): letters, numbers, ``_`` and ``-`` kept
    with only ASCII lower-cased, whitespace to ``-``, the rest dropped."""
    out = []
    for ch in text.strip().lstrip("#").strip():
        if ch.isalnum() or ch in "_-" or unicodedata.category(ch) == "Mc":
            out.append(ch.lower() if "A" <= ch <= "Z" else ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out)


def mdbook5_slug(text: str) -> str:
    """mdBook 0.5's ids (``id_from_content``): as 0.4, but fully lower-cased and
    ``section`` when nothing is left."""
    out = []
    for ch in text.strip().lower():
        if ch.isalnum() or ch in "_-" or unicodedata.category(ch) == "Mc":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out) or "section"


_NORDIC = {
    "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss",
    "æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa",
    "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
}  # fmt: skip
_MARKDIG_RESERVED = "_-."


def markdig_slug(text: str) -> str:
    """markdig's ``LinkHelper.Urilize`` with ASCII only (its default auto ids):
    nothing before the first letter, accents removed (German and Nordic letters
    spelled out), ``_ - .`` kept once, a space to ``-``, other characters dropped,
    trailing ``_ - .`` trimmed. Empty becomes ``section`` in the slugger."""
    buf: list[str] = []
    has_letter = False
    previous_space = False
    for original in text:
        if original in _NORDIC:
            chars = _NORDIC[original]
        else:
            chars = "".join(c for c in unicodedata.normalize("NFD", original) if unicodedata.category(c) != "Mn")
        for c in chars:
            if c.isalpha():
                if not " " <= c < "\x7f":
                    continue
                buf.append(c.lower())
                has_letter = True
                previous_space = False
            elif has_letter:
                if c in _MARKDIG_RESERVED:
                    if previous_space and buf:
                        buf.pop()
                    if not buf or buf[-1] != c:
                        buf.append(c)
                    previous_space = False
                elif "0" <= c <= "9":
                    buf.append(c)
                    previous_space = False
                elif not previous_space and c.isspace():
                    if buf[-1] not in _MARKDIG_RESERVED:
                        buf.append("-")
                    previous_space = True
    while buf and buf[-1] in _MARKDIG_RESERVED:
        buf.pop()
    return "".join(buf)


def markdig_gfm_slug(text: str) -> str:
    """markdig's ``UrilizeAsGfm`` (``AutoIdentifierOptions.GitHub``): letters,
    decimal digits, ``-`` and ``_`` kept lower-cased, each space a ``-``."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] == "L" or category == "Nd" or ch in "-_":
            out.append(_simple_lower(ch))
        elif ch == " ":
            out.append("-")
    return "".join(out)


def markdown_it_anchor_slug(text: str) -> str:
    """markdown-it-anchor's default slugify (Eleventy and VitePress sites), as the
    decoded fragment: trimmed, lower-cased, whitespace runs to ``-``."""
    return re.sub(r"\s+", "-", text.strip().lower())


_VITEPRESS_SPECIAL = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'“”‘’<>,.?/]+""")
_VITEPRESS_COMBINING = re.compile("[\u0300-\u036f]")
_VITEPRESS_CONTROL = re.compile("[\u0000-\u001f]")


def vitepress_slug(text: str) -> str:
    """VitePress' slugify (``@mdit-vue/shared``): NFKD without combining marks
    and control characters, every run of spaces and ASCII punctuation one
    ``-``, none at either end, ``_`` before a leading digit, lower-cased."""
    text = _VITEPRESS_COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _VITEPRESS_SPECIAL.sub("-", _VITEPRESS_CONTROL.sub("", text))
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return re.sub(r"^(\d)", r"_\1", text).lower()


class FirstFreeSlugger:
    """``base``, then the first of ``base-1``, ``base-2``, … not yet taken, explicit
    ids included: goldmark (Hugo), Zola, markdig (DocFX), mdBook 0.5 and
    markdown-it-anchor number repeats this way. ``empty`` replaces an empty base
    (Hugo: ``heading``; markdig: ``section``)."""

    def __init__(self, base: Callable[[str], str], empty: str = "") -> None:
        self._base = base
        self._empty = empty
        self._taken: set[str] = set()

    def slug(self, text: str) -> str:
        base = self._base(text) or self._empty
        result = base
        suffix = 0
        while result in self._taken:
            suffix += 1
            result = f"{base}-{suffix}"
        self._taken.add(result)
        return result

    def reserve(self, heading_id: str) -> None:
        self._taken.add(heading_id)

    def reset(self) -> None:
        self._taken = set()


class CountingSlugger:
    """A count per base id and no check against other ids: kramdown (both
    parsers) and mdBook 0.4. ``a``, ``a``, ``a-1`` give ``a``, ``a-1``, ``a-1``:
    those renderers really do produce the duplicate. Explicit ids are never seen
    by their counters. ``prefix`` is kramdown's ``auto_id_prefix``."""

    def __init__(self, base: Callable[[str], str], prefix: str = "") -> None:
        self._base = base
        self._prefix = prefix
        self._counts: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = self._base(text)
        count = self._counts.get(base)
        self._counts[base] = 0 if count is None else count + 1
        return self._prefix + (base if count is None else f"{base}-{count + 1}")

    def reserve(self, heading_id: str) -> None:
        pass

    def reset(self) -> None:
        self._counts = {}


class RepeatingSlugger:
    """Repeats not numbered: two headings with the same text get the same id
    (Redcarpet's ``with_toc_data``)."""

    def __init__(self, base: Callable[[str], str]) -> None:
        self._base = base

    def slug(self, text: str) -> str:
        return self._base(text)

    def reserve(self, heading_id: str) -> None:
        pass

    def reset(self) -> None:
        pass


_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")


class PythonMarkdownSlugger:
    """Python-Markdown's ``toc`` numbering (``unique``): a taken id, or an empty
    one, gets ``_1``; an id that already ends in ``_N`` counts on from N. Use
    with ``explicit_first``: the extension collects every id of the page first."""

    def __init__(self, slugify: Callable[[str], str] = python_markdown_slug) -> None:
        self._slugify = slugify
        self._taken: set[str] = set()

    def slug(self, text: str) -> str:
        result = self._slugify(text)
        while result in self._taken or not result:
            match = _IDCOUNT.match(result)
            result = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{result}_1"
        self._taken.add(result)
        return result

    def reserve(self, heading_id: str) -> None:
        self._taken.add(heading_id)

    def reset(self) -> None:
        self._taken = set()


class FragmentIds(frozenset):
    """The fragments a page answers to: exact ids, plus patterns for ids that are
    only known in part (see `id_pattern`), plus the skeletons of headings whose
    ids come from a slug function linklint cannot know (see `skeleton`). ``in``
    tries all three."""

    patterns: tuple[re.Pattern[str], ...] = ()
    skeletons: frozenset[str] = frozenset()

    def __new__(
        cls, ids: Iterable[str], patterns: Iterable[re.Pattern[str]] = (), skeletons: Iterable[str] = ()
    ) -> FragmentIds:
        ids = set(ids)
        # An id with a template tag in it (`step-{{ page.version }}`) is known
        # in part: any text may stand where the tag does.
        templated = {i for i in ids if "{{" in i or "{%" in i}
        self = super().__new__(cls, ids - templated)
        self.patterns = tuple(patterns) + tuple(_template_id(i) for i in sorted(templated))
        self.skeletons = frozenset(s for s in skeletons if s)
        return self

    def __contains__(self, item: object) -> bool:
        if frozenset.__contains__(self, item):
            return True
        if not isinstance(item, str):
            return False
        if any(p.fullmatch(item) for p in self.patterns):
            return True
        return bool(self.skeletons) and skeleton(item) in self.skeletons


# A template tag: `{% if x %}`, `{{ page.title }}` (also read by
# ``linklint.insert``, which keeps inserted links out of them).
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_TEMPLATE_OR_HTML_TAG = re.compile(TEMPLATE_TAG.pattern + r"|<[^>]*>", re.S)


def _template_id(heading_id: str) -> re.Pattern[str]:
    """The ids an id with template tags may be once rendered."""
    return re.compile(".*".join(re.escape(part) for part in TEMPLATE_TAG.split(heading_id)), re.S)


def skeleton(text: str) -> str:
    """A heading's or fragment's letters and digits, lower-cased, accents and
    template tags (``{% addedin "2.0" %}``) removed: what every slug function
    keeps. A site's own slug function may separate, drop or spell the rest in
    any way; a fragment with the heading's skeleton is taken to name it."""
    text = unicodedata.normalize("NFKD", _TEMPLATE_OR_HTML_TAG.sub("", text))
    return "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))


SLUGGERS: dict[str, Callable[[], HeadingSlugger]] = {
    "github": Slugger,
    "gitlab": GitLabSlugger,
    "gitlab-legacy": GitLabLegacySlugger,
    "hugo": lambda: FirstFreeSlugger(hugo_slug, "heading"),
    "hugo-ascii": lambda: FirstFreeSlugger(hugo_ascii_slug, "heading"),
    "blackfriday": lambda: FirstFreeSlugger(blackfriday_slug, "heading"),
    "kramdown-gfm": lambda: CountingSlugger(kramdown_gfm_slug),
    "kramdown": lambda: CountingSlugger(kramdown_slug),
    "zola": lambda: FirstFreeSlugger(zola_slug),
    "mdbook": lambda: CountingSlugger(mdbook_slug),
    "mdbook-0.5": lambda: FirstFreeSlugger(mdbook5_slug),
    "markdig": lambda: FirstFreeSlugger(markdig_slug, "section"),
    "markdig-gfm": lambda: FirstFreeSlugger(markdig_gfm_slug, "section"),
    "markdown-it-anchor": lambda: FirstFreeSlugger(markdown_it_anchor_slug),
    "vitepress": lambda: FirstFreeSlugger(vitepress_slug),
}
ALGORITHMS: dict[str, Callable[[], HeadingSlugger]] = {
    **SLUGGERS,
    "python-markdown": PythonMarkdownSlugger,
    "python-markdown-unicode": lambda: PythonMarkdownSlugger(lambda t: python_markdown_slug(t, unicode=True)),
    "redcarpet": lambda: RepeatingSlugger(redcarpet_slug),
}


def make_slugger(algorithm: str) -> HeadingSlugger:
    """A fresh slugger for one document; unknown names raise ``ValueError``."""
    try:
        factory = ALGORITHMS[algorithm]
    except KeyError:
        known = ", ".join(ALGORITHMS)
        raise ValueError(f"unknown slug algorithm {algorithm!r} (known: {known})") from None
    return factory()


def heading_ids(
    texts: Iterable[str],
    explicit: Iterable[str | None] | None = None,
    *,
    algorithm: str | HeadingSlugger = "github",
    reserve_explicit: bool = False,
    explicit_first: bool = False,
) -> list[str]:
    """The id of each heading of one document, in document order.

    ``explicit`` runs parallel to ``texts`` (``None`` where the author gave no id);
    the two must have the same length. A heading with an explicit id gets exactly
    that id, and its text is not slugged, so it uses up no occurrence: in
    ``Intro {#start}`` followed by ``Intro`` the second heading is ``intro``, not
    ``intro-1``.

    Whether an explicit id also blocks an equal generated id differs between
    renderers, so it is a switch: with ``reserve_explicit`` each explicit id is
    registered with the slugger when its heading is reached, and a later generated
    id steps around it. By default it is not, and the two ids may coincide.

    Some renderers (Python-Markdown, Zola) collect every explicit id of the page
    before generating any: with ``explicit_first`` all explicit ids are reserved
    up front, so an earlier heading steps around an id given further down.

    ``algorithm`` is a name from :data:`ALGORITHMS` or a slugger instance (which
    is used as is, not reset).
    """
    slugger = make_slugger(algorithm) if isinstance(algorithm, str) else algorithm
    text_list = list(texts)
    given: list[str | None] = [None] * len(text_list) if explicit is None else list(explicit)
    if len(given) != len(text_list):
        raise ValueError(f"{len(text_list)} heading texts but {len(given)} explicit ids")
    if explicit_first:
        for explicit_id in given:
            if explicit_id is not None:
                slugger.reserve(explicit_id)
    ids: list[str] = []
    for text, explicit_id in zip(text_list, given):
        if explicit_id is None:
            ids.append(slugger.slug(text))
            continue
        if reserve_explicit:
            slugger.reserve(explicit_id)
        ids.append(explicit_id)
    return ids

