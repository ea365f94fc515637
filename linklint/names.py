"""The existing names closest to a missing one, fast on big sites.

difflib's ratio is the closeness people expect from "did you mean" (it is what
``difflib.get_close_matches`` uses), but computing it against every file of a
10,000-page site for every broken link makes a run quadratic: at 1,000 posts
it was most of the run's time. A trigram index narrows the field first. Two
names with a ratio of 0.6 or more share most of their characters in order, so
they share trigrams; only the names that share the most trigrams with the
query are compared with difflib.
"""

from __future__ import annotations

import difflib
import heapq
from typing import Iterable

__all__ = ["NameIndex"]

# How many names that share the most trigrams with the query difflib compares:
# far more than the three suggestions shown, so the prefilter only drops names
# difflib would have rejected.
SHORTLIST = 12
# Names this short have too few trigrams to shortlist by: compare with all.
_SHORT = 4
# Candidates are the names sharing one of the query's rarest trigrams: a name
# alike enough to suggest shares most of them, and rare trigrams have short
# posting lists (a common one, such as ``.md``, lists every name).
_RARE = 6


def _trigrams(name: str) -> set[str]:
    padded = f"\0{name.lower()}\0"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """A fixed set of names (file names, or whole paths) and their trigrams."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        self._folded: dict[str, list[str]] | None = None
        self._postings: dict[str, list[int]] | None = None
        self._grams: list[set[str]] = []

    def case_variants(self, word: str) -> list[str]:
        """The names equal to ``word`` but for case (not ``word`` itself)."""
        if self._folded is None:
            self._folded = {}
            for name in self.names:
                self._folded.setdefault(name.lower(), []).append(name)
        return [name for name in self._folded.get(word.lower(), ()) if name != word]

    def _index(self) -> None:
        self._grams = [_trigrams(name) for name in self.names]
        postings: dict[str, list[int]] = {}
        for number, grams in enumerate(self._grams):
            for gram in grams:
                postings.setdefault(gram, []).append(number)
        self._postings = postings

    def shortlist(self, word: str) -> list[str]:
        """The names worth comparing with ``word``: all of them for a small
        index or a short word, else those sharing the most trigrams with it
        among the names that share one of its rarest trigrams."""
        if len(self.names) <= SHORTLIST or len(word) < _SHORT:
            return self.names
        if self._postings is None:
            self._index()
        postings = self._postings
        grams = _trigrams(word)
        rare = sorted((g for g in grams if g in postings), key=lambda g: (len(postings[g]), g))[:_RARE]
        found: set[int] = set()
        for gram in rare:
            found.update(postings[gram])
        # Dice coefficient: shared trigrams relative to both lengths, as
        # difflib's ratio relates matches to both lengths.
        size = len(grams)
        scored = [(2 * len(grams & self._grams[number]) / (size + len(self._grams[number])), number) for number in found]
        best = heapq.nsmallest(SHORTLIST, scored, key=lambda item: (-item[0], item[1]))
        return sorted(self.names[number] for _, number in best)

    def close_matches(self, word: str, n: int, cutoff: float) -> list[str]:
        """``difflib.get_close_matches`` over the shortlist: best first."""
        return difflib.get_close_matches(word, self.shortlist(word), n=n, cutoff=cutoff)
