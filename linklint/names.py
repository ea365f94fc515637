"""The existing names closest to a missing one, fast on big sites.

difflib's ratio is the closeness people expect from "did you mean" (it is what
``difflib.get_close_matches`` uses), but computing it against every file of a
10,000-page site for every broken link makes a run quadratic: at 1,000 posts
it was most of the run's time. A trigram index narrows the field first. Two
names with a ratio of 0.6 or more share most of their characters in order, so
they share trigrams; only the names that share the most trigrams with the
query are compared with difflib.

The trigram counts are taken with NumPy: at 50,000 files a query shortlists
among about 2,000 names sharing a rare trigram: 3.5 ms one set at a time,
0.5 ms as one count over the postings (``bench/README.md``).
"""

from __future__ import annotations

import difflib
import itertools
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import numpy as np

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
        # Built on the first shortlist: each trigram's postings (the numbers
        # of the names that have it) as a slice of one array, and each name's
        # number of trigrams.
        self._where: dict[str, tuple[int, int]] | None = None
        self._postings: np.ndarray | None = None
        self._sizes: np.ndarray | None = None

    def case_variants(self, word: str) -> list[str]:
        """The names equal to ``word`` but for case (not ``word`` itself)."""
        if self._folded is None:
            self._folded = {}
            for name in self.names:
                self._folded.setdefault(name.lower(), []).append(name)
        return [name for name in self._folded.get(word.lower(), ()) if name != word]

    def _index(self) -> None:
        import numpy as np

        postings: dict[str, list[int]] = {}
        sizes = []
        for number, name in enumerate(self.names):
            grams = _trigrams(name)
            sizes.append(len(grams))
            for gram in grams:
                postings.setdefault(gram, []).append(number)
        where: dict[str, tuple[int, int]] = {}
        start = 0
        for gram, numbers in postings.items():
            where[gram] = (start, start + len(numbers))
            start += len(numbers)
        self._postings = np.fromiter(itertools.chain.from_iterable(postings.values()), dtype=np.int32, count=start)
        self._sizes = np.array(sizes, dtype=np.int64)
        self._where = where

    def shortlist(self, word: str) -> list[str]:
        """The names worth comparing with ``word``: all of them for a small
        index or a short word, else those sharing the most trigrams with it
        among the names that share one of its rarest trigrams."""
        if len(self.names) <= SHORTLIST or len(word) < _SHORT:
            return self.names
        if self._where is None:
            self._index()
        import numpy as np

        where, postings, sizes = self._where, self._postings, self._sizes
        assert where is not None and postings is not None and sizes is not None
        grams = _trigrams(word)
        spans = [(where[gram], gram) for gram in grams if gram in where]
        if not spans:
            return []
        rare = sorted(spans, key=lambda span: (span[0][1] - span[0][0], span[1]))[:_RARE]
        # The names with one of the rare trigrams, marked (no sort, as
        # np.unique would), and the trigrams each shares with the word: every
        # posting of the word's trigrams counted at once.
        marked = np.zeros(len(self.names), dtype=bool)
        for (start, end), _ in rare:
            marked[postings[start:end]] = True
        found = np.flatnonzero(marked)
        shared = np.bincount(
            np.concatenate([postings[start:end] for (start, end), _ in spans]), minlength=len(self.names)
        )[found]
        # Dice coefficient: shared trigrams relative to both lengths, as
        # difflib's ratio relates matches to both lengths. Best first, ties by
        # name (the names are sorted, so by number).
        dice = 2 * shared / (len(grams) + sizes[found])
        best = found[np.lexsort((found, -dice))[:SHORTLIST]]
        return sorted(self.names[number] for number in best.tolist())

    def close_matches(self, word: str, n: int, cutoff: float) -> list[str]:
        """``difflib.get_close_matches`` over the shortlist: best first."""
        return difflib.get_close_matches(word, self.shortlist(word), n=n, cutoff=cutoff)
