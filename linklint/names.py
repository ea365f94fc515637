"""The existing names closest to a missing one, fast on big sites.

difflib's ratio is the closeness people expect from "did you mean" (it is what
``difflib.get_close_matches`` uses), but computing it against every file of a
10,000-page site for every broken link makes a run quadratic: at 1,000 posts
it was most of the run's time. A trigram index narrows the field first. Two
names with a ratio of 0.6 or more share most of their characters in order, so
they share trigrams; only the names that share the most trigrams with the
query are compared with difflib.

The trigram counts are taken with NumPy: at 50,000 files a query shortlists
among about 1,200 names sharing a rare trigram (4,400 at most on the
generated site): 3.5 ms one set at a time, 0.35 ms as one count over the
postings of the query's trigrams, 0.23 ms counted in the candidates' own
lists of trigrams (``NameIndex.shortlist``, ``bench/README.md``).
"""

from __future__ import annotations

import difflib
import heapq
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    import numpy as np

__all__ = ["NameIndex", "use_store"]

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
# Indexes of at least this many names are kept in the cache (``use_store``)
# under the name their owner gives them. At 50,000 files, building the index of
# every file name took 160-220 ms of a pre-commit run with a broken link (its
# arrays' memory new to the process); read back, it is a few milliseconds.
# A folder's few names are indexed in a millisecond or two.
STORED_MIN_NAMES = 5000
# The cache the large indexes are kept in (a ``ParseCache``), or None.
_STORE: Any = None
# The index's arrays as ``_arrays`` lists them, and their types.
_DTYPES = ("<i8", "<i8", "<i4", "<i8", "<i4", "<i8")


def use_store(store: Any) -> None:
    """Keep the large indexes in ``store`` (None: keep none)."""
    global _STORE
    _STORE = store


def _names_key(names: list[str]) -> str:
    """What identifies a set of names (sorted, none holding a NUL)."""
    # Imported here: only a run that keeps its indexes asks, and a run
    # without the cache need not load OpenSSL (2-4 ms of its start).
    import hashlib

    digest = hashlib.blake2b(digest_size=20)
    digest.update(len(names).to_bytes(8, "little"))
    digest.update("\0".join(names).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _trigrams(name: str) -> set[str]:
    padded = f"\0{name.lower()}\0"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _code(gram: str) -> int:
    """A trigram as one number; code point by code point (each below 2**21),
    so numbers sort as the trigrams do."""
    return (ord(gram[0]) << 42) | (ord(gram[1]) << 21) | ord(gram[2])


# Trigrams are numbered by a table of every one the names' letters can make
# when it has at most this many cells (up to 161 distinct letters).
_TABLE_CELLS = 1 << 22


def _trigram_ids(points: np.ndarray, starting: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct trigrams that start at ``starting`` of ``points``, as
    ``_code``s in order, and each such trigram's place among them (64-bit:
    a place times the number of names must not overflow).

    File names use few letters (a few dozen): their trigrams are numbered by
    marking each in a table of all those letters can make and counting the
    marks, in linear time. Sorting the 1.4 million trigrams of 50,000 names
    in order to number them took 50 ms."""
    import numpy as np

    used = np.bincount(points) > 0
    letters = np.flatnonzero(used)  # the code points used, in order
    size = len(letters)
    if size**3 > _TABLE_CELLS:
        return np.unique((points[:-2][starting] << 42) | (points[1:-1][starting] << 21) | points[2:][starting], return_inverse=True)
    ranks = (np.cumsum(used) - 1)[points]  # each point's place among the letters
    cells = (ranks[:-2][starting] * size + ranks[1:-1][starting]) * size + ranks[2:][starting]
    seen = np.zeros(size**3, dtype=bool)
    seen[cells] = True
    present = np.flatnonzero(seen)
    codes = (letters[present // (size * size)] << 42) | (letters[present // size % size] << 21) | letters[present % size]
    return codes, (np.cumsum(seen, dtype=np.int32) - 1)[cells].astype(np.int64)


class NameIndex:
    """A fixed set of names (file names, or whole paths) and their trigrams."""

    def __init__(self, names: Iterable[str], stored_as: str | None = None) -> None:
        self.names = sorted(set(names))
        # Where the cache keeps this index, when it is large (``use_store``).
        self._stored_as = stored_as
        self._folded: dict[str, list[str]] | None = None
        # Built on the first shortlist, as arrays: every trigram's code
        # (sorted), where its postings (the numbers of the names that have it)
        # start and end in one array of postings, and each name's number of
        # trigrams.
        self._grams: np.ndarray | None = None
        self._starts: np.ndarray | None = None
        self._postings: np.ndarray | None = None
        self._sizes: np.ndarray | None = None
        # And each name's trigrams (their numbers in ``_grams``), name after
        # name, starting at ``_name_starts``: a query counts the trigrams it
        # shares with each candidate in the candidate's own list.
        self._name_grams: np.ndarray | None = None
        self._name_starts: np.ndarray | None = None
        self._has: np.ndarray | None = None
        self._marked: np.ndarray | None = None

    def case_variants(self, word: str) -> list[str]:
        """The names equal to ``word`` but for case (not ``word`` itself)."""
        if self._folded is None:
            self._folded = {}
            for name in self.names:
                self._folded.setdefault(name.lower(), []).append(name)
        return [name for name in self._folded.get(word.lower(), ()) if name != word]

    def _index(self) -> None:
        """The arrays of ``_build``, taken from the cache when it holds them
        for these very names, else built (and stored, for a large index)."""
        import numpy as np

        store = _STORE if self._stored_as is not None and len(self.names) >= STORED_MIN_NAMES else None
        if store is None:
            self._build()
        else:
            key = _names_key(self.names)
            if not self._take(store.get_name_index(self._stored_as), key):
                self._build()
                arrays = self._arrays()
                if tuple(a.dtype.str for a in arrays) == _DTYPES:  # else never taken back (another byte order)
                    store.put_name_index(self._stored_as, key, tuple((a.dtype.str, a.tobytes()) for a in arrays))
        # A query's trigrams and its candidates, marked while it runs.
        assert self._starts is not None
        self._has = np.zeros(len(self._starts) - 1, dtype=bool)
        self._marked = np.zeros(len(self.names), dtype=bool)

    def _arrays(self) -> tuple[np.ndarray, ...]:
        arrays = (self._grams, self._starts, self._postings, self._sizes, self._name_grams, self._name_starts)
        assert all(a is not None for a in arrays)
        return arrays  # type: ignore[return-value]

    def _take(self, stored: object, key: str) -> bool:
        """Take the arrays stored for the names ``key`` names, if that is what
        ``stored`` holds and they fit together; else leave them (False)."""
        import numpy as np

        if type(stored) is not tuple or len(stored) != 2 or stored[0] != key or type(stored[1]) is not tuple:
            return False
        parts = stored[1]
        if len(parts) != len(_DTYPES) or not all(type(p) is tuple and len(p) == 2 and p[0] == t and type(p[1]) is bytes for p, t in zip(parts, _DTYPES)):
            return False
        if not all(len(data) % np.dtype(t).itemsize == 0 for (_, data), t in zip(parts, _DTYPES)):
            return False
        grams, starts, postings, sizes, name_grams, name_starts = (np.frombuffer(data, dtype=t) for (_, data), t in zip(parts, _DTYPES))
        count, entries = len(self.names), len(postings)
        if len(starts) != len(grams) + 1 or len(sizes) != count or len(name_starts) != count + 1 or len(name_grams) != entries:
            return False
        bounds = (starts[0], starts[-1], name_starts[0], name_starts[-1])
        if bounds != (0, entries, 0, entries) or (entries and not (0 <= postings.min() and postings.max() < count and 0 <= name_grams.min() and name_grams.max() < len(grams))):
            return False
        if np.any(np.diff(starts) < 0) or not np.array_equal(np.diff(name_starts), sizes):
            return False
        self._grams, self._starts, self._postings, self._sizes, self._name_grams, self._name_starts = grams, starts, postings, sizes, name_grams, name_starts
        return True

    def _build(self) -> None:
        """The trigrams of every name at once: all names' code points in one
        array, a trigram starting at each but the last two of each name (a
        pre-commit run with a broken link builds this for the whole site:
        at 50,000 files about 0.5 s one name at a time, 107 ms so with the
        trigrams sorted to number them, 69 ms numbered by ``_trigram_ids``)."""
        import numpy as np

        from linklint.arrays import stable_order

        padded = [f"\0{name.lower()}\0" for name in self.names]
        lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
        # A file name that is not UTF-8 keeps its escaped bytes as surrogates.
        points = np.frombuffer("".join(padded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        starting = np.ones(max(len(points) - 2, 0), dtype=bool)  # where a name's trigram starts
        ends = np.cumsum(lengths)
        for last in (ends - 2, ends - 1):
            starting[last[last < len(starting)]] = False
        numbers = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)[: len(starting)][starting]
        grams, ids = _trigram_ids(points, starting)
        # By trigram, and by name within each (names are numbered in order),
        # a trigram twice in one name once.
        keys = (ids * len(padded) + numbers)[stable_order(ids, len(grams))]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        keys = keys[first]
        numbers = keys % len(padded)
        gram_numbers = (keys // len(padded)).astype(np.int32)
        new_gram = np.ones(len(keys), dtype=bool)
        new_gram[1:] = gram_numbers[1:] != gram_numbers[:-1]
        starts = np.flatnonzero(new_gram)
        self._grams = grams
        self._starts = np.append(starts, len(keys))
        self._postings = numbers.astype(np.int32)
        self._sizes = np.bincount(numbers, minlength=len(self.names))
        self._name_grams = gram_numbers[stable_order(numbers, len(self.names))]
        self._name_starts = np.concatenate(([0], np.cumsum(self._sizes)))

    def shortlist(self, word: str) -> list[str]:
        """The names worth comparing with ``word``: all of them for a small
        index or a short word, else those sharing the most trigrams with it
        among the names that share one of its rarest trigrams.

        The trigrams a candidate shares with the word are counted in the
        candidate's own list of trigrams (about 30 numbers a name). Counted
        over the postings of the word's trigrams, a query also went through
        the postings of its common ones (``.md`` lists every name: 210,000
        numbers a query at 50,000 files, against 36,000 so) and an array of
        every name."""
        if len(self.names) <= SHORTLIST or len(word) < _SHORT:
            return self.names
        if self._grams is None:
            self._index()
        import numpy as np

        known, starts, postings, sizes = self._grams, self._starts, self._postings, self._sizes
        name_grams, name_starts = self._name_grams, self._name_starts
        assert known is not None and starts is not None and postings is not None and sizes is not None
        assert name_grams is not None and name_starts is not None and self._has is not None and self._marked is not None
        grams = _trigrams(word)
        codes = np.array(sorted(map(_code, grams)), dtype=np.int64)
        at = np.searchsorted(known, codes)
        inside = at < len(known)
        at = at[inside]
        at = at[known[at] == codes[inside]]  # the word's trigrams some name has, in order
        if not len(at):
            return []
        begins, ends = starts[at], starts[at + 1]
        # The rarest: the shortest postings, ties in trigram order. The names
        # with one of them, each once and in order.
        rare = np.lexsort((known[at], ends - begins))[:_RARE]
        marked, has = self._marked, self._has  # all False between queries
        try:
            for b, e in zip(begins[rare].tolist(), ends[rare].tolist()):
                marked[postings[b:e]] = True
            found = np.flatnonzero(marked)
            # Each candidate's trigrams, one after another, marked where the
            # word has them too, and the marks summed per candidate.
            counts = sizes[found]
            offsets = np.cumsum(counts) - counts  # where each candidate's run starts
            theirs = name_grams[np.arange(int(counts.sum())) + np.repeat(name_starts[found] - offsets, counts)]
            has[at] = True
            shared = np.add.reduceat(has[theirs], offsets, dtype=np.int64)
        finally:
            marked[:] = False
            has[at] = False
        # Dice coefficient: shared trigrams relative to both lengths, as
        # difflib's ratio relates matches to both lengths. Best first, ties by
        # name (the names are sorted, so by number).
        dice = 2 * shared / (len(grams) + counts)
        if len(found) > SHORTLIST:
            # Only the names at least as alike as the SHORTLIST-th are sorted.
            keep = np.flatnonzero(dice >= np.partition(dice, len(dice) - SHORTLIST)[len(dice) - SHORTLIST])
            found, dice = found[keep], dice[keep]
        best = found[np.lexsort((found, -dice))[:SHORTLIST]]
        return sorted(self.names[number] for number in best.tolist())

    def close_matches(self, word: str, n: int, cutoff: float) -> list[str]:
        """``difflib.get_close_matches`` over the shortlist: best first."""
        return close_matches(word, self.shortlist(word), n, cutoff)

    def scored_matches(self, word: str, n: int, cutoff: float) -> list[tuple[float, str]]:
        """``close_matches`` with each name's score."""
        return scored_matches(word, self.shortlist(word), n, cutoff)


def close_matches(word: str, possibilities: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """``difflib.get_close_matches``, same answer, fewer full comparisons
    (see ``scored_matches``)."""
    return [name for _, name in scored_matches(word, possibilities, n, cutoff)]


def scored_matches(word: str, possibilities: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[tuple[float, str]]:
    """The names of ``difflib.get_close_matches``, best first, each with its
    score (difflib's ratio of the name to ``word``), in fewer full comparisons.

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
    return sorted(best, reverse=True)
