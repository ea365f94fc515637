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
    "SLUGGERS",
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


# Algorithm names as used in configuration and site profiles. Later algorithms
# (hugo, kramdown, python-markdown, ...) are added here as further classes.
SLUGGERS: dict[str, Callable[[], HeadingSlugger]] = {
    "github": Slugger,
    "gitlab": GitLabSlugger,
    "gitlab-legacy": GitLabLegacySlugger,
}


def make_slugger(algorithm: str) -> HeadingSlugger:
    """A fresh slugger for one document; unknown names raise ``ValueError``."""
    try:
        factory = SLUGGERS[algorithm]
    except KeyError:
        known = ", ".join(sorted(SLUGGERS))
        raise ValueError(f"unknown slug algorithm {algorithm!r} (known: {known})") from None
    return factory()


def heading_ids(
    texts: Iterable[str],
    explicit: Iterable[str | None] | None = None,
    *,
    algorithm: str | HeadingSlugger = "github",
    reserve_explicit: bool = False,
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

    ``algorithm`` is a name from :data:`SLUGGERS` or a slugger instance (which is
    used as is, not reset).
    """
    slugger = make_slugger(algorithm) if isinstance(algorithm, str) else algorithm
    text_list = list(texts)
    given: list[str | None] = [None] * len(text_list) if explicit is None else list(explicit)
    if len(given) != len(text_list):
        raise ValueError(f"{len(text_list)} heading texts but {len(given)} explicit ids")
    ids: list[str] = []
    for text, explicit_id in zip(text_list, given):
        if explicit_id is None:
            ids.append(slugger.slug(text))
            continue
        if reserve_explicit:
            slugger.reserve(explicit_id)
        ids.append(explicit_id)
    return ids
