"""The existing names closest to a missing one, fast on big sites.

difflib's ratio is the closeness people expect from "did you mean" (it is what
``difflib.get_close_matches`` uses), but computing it against every file of a
10,000-page site for every broken link makes a run quadratic: at 1,000 posts
it was most of the run's time. A trigram index narrows the field first. Two
names with a ratio of 0.6 or more share most of their characters in order, so
they share trigrams; only the names that share the most trigrams with the
query are compared with difflib. Trigrams found in most names (``.md``) tell
nothing apart and are skipped.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from typing import Iterable

__all__ = ["NameIndex"]

# How many names that share the most trigrams with the query difflib compares:
# far more than the three suggestions shown, so the prefilter only drops names
# difflib would have rejected.
SHORTLIST = 24
# Names this short have too few trigrams to shortlist by: compare with all.
_SHORT = 4


def _trigrams(name: str) -> set[str]:
    padded = f"\0{name.lower()}\0"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """A fixed set of names (file names, or whole paths) and their trigrams."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        self._folded: dict[str, list[str]] | None = None
        self._postings: dict[str, list[int]] | None = None

    def case_variants(self, word: str) -> list[str]:
        """The names equal to ``word`` but for case (not ``word`` itself)."""
        if self._folded is None:
            self._folded = {}
            for name in self.names:
                self._folded.setdefault(name.lower(), []).append(name)
        return [name for name in self._folded.get(word.lower(), ()) if name != word]

    def _index(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for number, name in enumerate(self.names):
            for gram in _trigrams(name):
                postings.setdefault(gram, []).append(number)
        # A trigram in more than half the names (an extension, a year folder)
        # separates nothing and would make every query walk every name.
        common = max(8, len(self.names) // 2)
        return {g: p for g, p in postings.items() if len(p) <= common}

    def shortlist(self, word: str) -> list[str]:
        """The names worth comparing with ``word``: all of them for a small
        index or a short word, else those sharing the most trigrams."""
        if len(self.names) <= SHORTLIST or len(word) < _SHORT:
            return self.names
        if self._postings is None:
            self._postings = self._index()
        shared: Counter[int] = Counter()
        for gram in _trigrams(word):
            shared.update(self._postings.get(gram, ()))
        best = heapq.nsmallest(SHORTLIST, shared.items(), key=lambda item: (-item[1], item[0]))
        return sorted(self.names[number] for number, _ in best)

    def close_matches(self, word: str, n: int, cutoff: float) -> list[str]:
        """``difflib.get_close_matches`` over the shortlist: best first."""
        return difflib.get_close_matches(word, self.shortlist(word), n=n, cutoff=cutoff)
