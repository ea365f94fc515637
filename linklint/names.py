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
import heapq
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


def _code(gram: str) -> int:
    """A trigram as one number; code point by code point (each below 2**21),
    so numbers sort as the trigrams do."""
    return (ord(gram[0]) << 42) | (ord(gram[1]) << 21) | ord(gram[2])


class NameIndex:
    """A fixed set of names (file names, or whole paths) and their trigrams."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        self._folded: dict[str, list[str]] | None = None
        # Built on the first shortlist, as arrays: every trigram's code
        # (sorted), where its postings (the numbers of the names that have it)
        # start and end in one array of postings, and each name's number of
        # trigrams.
        self._grams: np.ndarray | None = None
        self._starts: np.ndarray | None = None
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
        """The trigrams of every name at once: all names' code points in one
        array, a trigram starting at each but the last two of each name (a
        pre-commit run with a broken link builds this for the whole site:
        about 0.5 s at 50,000 files one name at a time, 0.1-0.3 s so)."""
        import numpy as np

        padded = [f"\0{name.lower()}\0" for name in self.names]
        lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
        # A file name that is not UTF-8 keeps its escaped bytes as surrogates.
        points = np.frombuffer("".join(padded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        codes = (points[:-2] << 42) | (points[1:-1] << 21) | points[2:]
        numbers = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)[: len(codes)]
        ends = np.cumsum(lengths)
        valid = np.ones(len(codes), dtype=bool)
        for last in (ends - 2, ends - 1):
            valid[last[last < len(codes)]] = False
        codes, numbers = codes[valid], numbers[valid]
        order = np.lexsort((numbers, codes))
        codes, numbers = codes[order], numbers[order]
        # A trigram twice in one name counts once.
        first = np.ones(len(codes), dtype=bool)
        first[1:] = (codes[1:] != codes[:-1]) | (numbers[1:] != numbers[:-1])
        codes, numbers = codes[first], numbers[first]
        new_gram = np.ones(len(codes), dtype=bool)
        new_gram[1:] = codes[1:] != codes[:-1]
        starts = np.flatnonzero(new_gram)
        self._grams = codes[starts]
        self._starts = np.append(starts, len(codes))
        self._postings = numbers.astype(np.int32)
        self._sizes = np.bincount(numbers, minlength=len(self.names))

    def shortlist(self, word: str) -> list[str]:
        """The names worth comparing with ``word``: all of them for a small
        index or a short word, else those sharing the most trigrams with it
        among the names that share one of its rarest trigrams."""
        if len(self.names) <= SHORTLIST or len(word) < _SHORT:
            return self.names
        if self._grams is None:
            self._index()
        import numpy as np

        known, starts, postings, sizes = self._grams, self._starts, self._postings, self._sizes
        assert known is not None and starts is not None and postings is not None and sizes is not None
        grams = _trigrams(word)
        codes = np.array(sorted(map(_code, grams)), dtype=np.int64)
        at = np.searchsorted(known, codes)
        inside = at < len(known)
        at = at[inside]
        at = at[known[at] == codes[inside]]  # the word's trigrams some name has
        if not len(at):
            return []
        begins, ends = starts[at], starts[at + 1]
        lists = [postings[begin:end] for begin, end in zip(begins.tolist(), ends.tolist())]
        # The rarest: the shortest postings, ties in trigram order.
        rare = np.lexsort((known[at], ends - begins))[:_RARE]
        # The names with one of the rare trigrams, marked (no sort, as
        # np.unique would), and the trigrams each shares with the word: every
        # posting of the word's trigrams counted at once.
        marked = np.zeros(len(self.names), dtype=bool)
        for i in rare.tolist():
            marked[lists[i]] = True
        found = np.flatnonzero(marked)
        shared = np.bincount(np.concatenate(lists), minlength=len(self.names))[found]
        # Dice coefficient: shared trigrams relative to both lengths, as
        # difflib's ratio relates matches to both lengths. Best first, ties by
        # name (the names are sorted, so by number).
        dice = 2 * shared / (len(grams) + sizes[found])
        best = found[np.lexsort((found, -dice))[:SHORTLIST]]
        return sorted(self.names[number] for number in best.tolist())

    def close_matches(self, word: str, n: int, cutoff: float) -> list[str]:
        """``difflib.get_close_matches`` over the shortlist: best first."""
        return close_matches(word, self.shortlist(word), n, cutoff)


def close_matches(word: str, possibilities: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """``difflib.get_close_matches``, same answer, fewer full comparisons.

    difflib works out the full ratio (the slow part: most of the time of the
    broken-link rule, the costliest rule at 10,000 posts) of every
    possibility whose cheap upper bound (``quick_ratio``) reaches the
    cutoff. Here the possibilities are taken best bound first, and the full
    ratio stops once a bound cannot beat the ``n``-th best (score, name)
    found: each ratio is at most its bound, and the answer is the ``n``
    largest (score, name) pairs, as ``get_close_matches`` ranks them."""
    if n <= 0:
        raise ValueError(f"n must be > 0: {n!r}")
    if not 0.0 <= cutoff <= 1.0:
        raise ValueError(f"cutoff must be in [0.0, 1.0]: {cutoff!r}")
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    bounded = []
    for name in possibilities:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() >= cutoff:
            bound = matcher.quick_ratio()
            if bound >= cutoff:
                bounded.append((bound, name))
    bounded.sort(reverse=True)
    best: list[tuple[float, str]] = []  # a heap of the n largest (score, name) so far
    for bound, name in bounded:
        if len(best) == n and (bound, name) < best[0]:
            break  # every pair after this one is smaller still
        matcher.set_seq1(name)
        score = matcher.ratio()
        if score >= cutoff:
            if len(best) < n:
                heapq.heappush(best, (score, name))
            elif (score, name) > best[0]:
                heapq.heapreplace(best, (score, name))
    return [name for _, name in sorted(best, reverse=True)]
