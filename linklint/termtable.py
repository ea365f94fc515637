"""The term counts of every page of a site in three arrays.

The relevance index is built from every page's term counts, and a run on a
few paths takes most of them from the cache. As dicts, the counts of 10,000
pages are a million small objects: unpickling them, checking them and walking
them cost a pre-commit run more than the work it was started for. As one
vocabulary and three arrays (compressed sparse rows: where each page's counts
start, each count's term as a place in the vocabulary, the counts), they load
in milliseconds and the index computes on them without a loop in Python.

A table is canonical: pages in path order, terms of a page in vocabulary
order, only positive counts, and a vocabulary of exactly the terms the pages
use, sorted. Two tables of the same counts are equal array for array however
they were put together, so an index built from a stored table plus a few
pages counted anew is the index a run from scratch builds.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import chain
from typing import Any, Iterable, Mapping

import numpy as np

__all__ = ["TermTable"]

# Fixed byte orders: what is stored is read back by the same machine, but a
# stored table must never be read with another layout.
_STARTS = np.dtype("<i8")
_IDS = np.dtype("<i4")
_COUNTS = np.dtype("<i4")


class TermTable:
    """Term counts per page; see the module's docstring."""

    __slots__ = ("paths", "vocab", "starts", "_ids", "_counts", "_splice", "_rows", "_places", "_df")

    def __init__(
        self,
        paths: list[str],
        vocab: list[str],
        starts: np.ndarray,
        ids: np.ndarray | None,
        counts: np.ndarray | None,
        df: np.ndarray | None = None,
        splice: _Splice | None = None,
    ) -> None:
        self.paths = paths  # sorted
        self.vocab = vocab  # sorted, every term some page uses
        self.starts = starts  # page i's counts are [starts[i], starts[i + 1])
        self._ids = ids  # see ``ids``
        self._counts = counts
        # Where the entries come from while they are not copied yet (``ids``
        # and ``counts`` None): see ``_spliced``.
        self._splice = splice
        self._rows: dict[str, int] | None = None
        self._places: dict[str, int] | None = None
        self._df = df  # see ``df``; given when known already

    @property
    def ids(self) -> np.ndarray:
        """Place of each count's term in ``vocab``, ascending within a page."""
        if self._ids is None:
            self._fill()
        return self._ids  # type: ignore[return-value]

    @property
    def counts(self) -> np.ndarray:
        """Each count (positive), entry by entry."""
        if self._counts is None:
            self._fill()
        return self._counts  # type: ignore[return-value]

    @property
    def filled(self) -> bool:
        """Whether the entries are arrays of their own yet (a spliced table
        copies them when first asked for all of them)."""
        return self._ids is not None

    def _fill(self) -> None:
        assert self._splice is not None
        self._ids, self._counts = self._splice.fill(int(self.starts[-1]))
        self._splice = None

    def entries(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The term places and counts of one row, without copying the
        others' entries where they are not copied yet."""
        if self._splice is not None:
            return self._splice.row(row)
        lo, hi = int(self.starts[row]), int(self.starts[row + 1])
        return self.ids[lo:hi], self.counts[lo:hi]

    @classmethod
    def from_counts(cls, terms_by_page: Mapping[str, Mapping[str, int]]) -> TermTable:
        """The table of ``path -> {term: count}``; counts below 1 are left out."""
        paths = sorted(terms_by_page)
        counted = [terms_by_page[path] for path in paths]
        vocab = sorted(set().union(*counted))
        place = {term: i for i, term in enumerate(vocab)}
        lengths = np.fromiter(map(len, counted), dtype=np.int64, count=len(counted))
        total = int(lengths.sum())
        # Walked by C-level iterators: a million counts at 10,000 pages.
        ids = np.fromiter(map(place.__getitem__, chain.from_iterable(counted)), dtype=_IDS, count=total)
        counts = np.fromiter(chain.from_iterable(map(_values, counted)), dtype=np.int64, count=total)
        # Each page's terms in vocabulary order: sorted by page row, then
        # place (keys are unique: any sort gives this order). The key is made
        # in place and dropped before the entries are reordered: the arrays
        # of a large site's first run were most of its peak memory.
        key = np.repeat(np.arange(len(paths), dtype=np.int64), lengths)
        key *= max(len(vocab), 1)
        key += ids
        order = np.argsort(key)
        del key
        ids, counts = ids[order], counts[order]
        del order
        if total and int(counts.min()) < 1:
            # The rows keep their order: entries come page by page.
            keep = counts > 0
            rows = np.repeat(np.arange(len(paths), dtype=np.int64), lengths)[keep]
            return cls._from_rows(paths, vocab, rows, ids[keep], counts[keep])
        return cls(paths, vocab, _starts(lengths), ids, _clipped(counts))

    @classmethod
    def combined(cls, tables: Iterable[TermTable]) -> TermTable:
        """One canonical table of the pages of ``tables`` (canonical tables of
        different pages): the parsing tasks' tables of a cold run joined.
        Equal to ``from_counts`` of all their counts, without walking the
        counts one by one: only each table's vocabulary is looked up."""
        tables = list(tables)
        if len(tables) == 1:
            return tables[0]
        vocab = sorted(set().union(*(table.vocab for table in tables)))
        place = {term: i for i, term in enumerate(vocab)}
        sources = list(chain.from_iterable(table.paths for table in tables))
        # The row of each page, in path order, among the tables' rows one after the other.
        source_of = np.array(sorted(range(len(sources)), key=sources.__getitem__), dtype=np.int64)
        paths = [sources[i] for i in source_of.tolist()]
        if any(map(str.__eq__, paths, paths[1:])):
            raise ValueError("tables of the same page cannot be combined")
        # The tables' rows one after the other, their terms renumbered (each
        # vocabulary is a sorted part of the new one: terms stay in order).
        ids = np.concatenate(
            [np.fromiter(map(place.__getitem__, t.vocab), dtype=_IDS, count=len(t.vocab))[t.ids] for t in tables] or [np.zeros(0, _IDS)]
        )
        counts = np.concatenate([t.counts for t in tables] or [np.zeros(0, _COUNTS)])
        offsets = np.cumsum([0] + [len(t.ids) for t in tables])
        begins = np.concatenate([t.starts[:-1] + offset for t, offset in zip(tables, offsets.tolist())] or [np.zeros(0, np.int64)])
        lengths = np.concatenate([np.diff(t.starts) for t in tables] or [np.zeros(0, np.int64)])
        # Then the rows taken in path order, a slice each: an index array of
        # every entry (and its temporaries, 8 bytes an entry each) was most
        # of a large site's peak memory (100 MB at 7,400 pages).
        lengths = lengths[source_of]
        starts = _starts(lengths)
        rows = list(zip(begins[source_of].tolist(), (begins[source_of] + lengths).tolist()))
        return cls(
            paths, vocab, starts,
            np.concatenate([ids[a:b] for a, b in rows] or [ids[:0]]).astype(_IDS, copy=False),
            np.concatenate([counts[a:b] for a, b in rows] or [counts[:0]]).astype(_COUNTS, copy=False),
        )  # fmt: skip

    @classmethod
    def _from_rows(cls, paths: list[str], vocab: list[str], rows: np.ndarray, ids: np.ndarray, counts: np.ndarray) -> TermTable:
        """The table of entries given by page row, term place and count (in
        page then term order), with the vocabulary cut to the terms used."""
        vocab, ids, df = _without_unused(vocab, ids, _page_counts(ids, len(vocab)))
        lengths = np.bincount(rows, minlength=len(paths))
        return cls(paths, vocab, _starts(lengths), ids.astype(_IDS), _clipped(counts), df)

    # -- reading ------------------------------------------------------------

    @property
    def rows(self) -> dict[str, int]:
        """Path -> row."""
        if self._rows is None:
            self._rows = {path: i for i, path in enumerate(self.paths)}
        return self._rows

    def __len__(self) -> int:
        return len(self.paths)

    @property
    def df(self) -> np.ndarray:
        """How many pages use each term of the vocabulary (int64, read-only):
        the relevance index's document frequencies. Counted once per table;
        a table with a few rows replaced gets it from the table it came from."""
        if self._df is None:
            self._df = _page_counts(self.ids, len(self.vocab))
        return self._df

    def __contains__(self, path: object) -> bool:
        return path in self.rows

    def counts_of(self, path: str) -> dict[str, int]:
        """The term counts of one page (``KeyError`` for a page not in the table)."""
        ids, counts = self.entries(self.rows[path])
        vocab = self.vocab
        return {vocab[i]: c for i, c in zip(ids.tolist(), counts.tolist())}

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {path: self.counts_of(path) for path in self.paths}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TermTable):
            return NotImplemented
        return (
            self.paths == other.paths
            and self.vocab == other.vocab
            and np.array_equal(self.starts, other.starts)
            and np.array_equal(self.ids, other.ids)
            and np.array_equal(self.counts, other.counts)
        )

    __hash__ = None  # type: ignore[assignment]

    # -- combining ------------------------------------------------------------

    def merged(self, keep: Iterable[str], extra: Mapping[str, Mapping[str, int]]) -> TermTable:
        """The rows of the pages in ``keep`` (pages of this table) and the
        counts of the pages in ``extra`` (which win over kept rows), as one
        canonical table."""
        added = TermTable.from_counts(extra)
        kept = sorted({path for path in keep if path not in extra})
        if not kept:
            return added
        rows = self.rows
        # Rows of this table dropped or replaced, and rows added: few in a
        # run on a few edited or new pages of a big site.
        changes = len(self) - len(kept) + sum(path not in rows for path in added.paths)
        if changes <= max(len(self) // _SPLICE_AT_MOST, 8) and all(path in rows for path in kept):
            return self._spliced(kept, added)
        vocab = sorted(set(self.vocab).union(added.vocab))
        place = {term: i for i, term in enumerate(vocab)}
        # Both vocabularies are sorted subsets of the new one: renumbering
        # keeps each page's terms in order.
        mine = np.fromiter(map(place.__getitem__, self.vocab), dtype=np.int64, count=len(self.vocab))
        theirs = np.fromiter(map(place.__getitem__, added.vocab), dtype=np.int64, count=len(added.vocab))
        paths = sorted(kept + added.paths)
        row_of = {path: i for i, path in enumerate(paths)}
        # The kept rows' counts, then the added ones, each with its row in the result.
        rows_mine = np.fromiter(map(self.rows.__getitem__, kept), dtype=np.int64, count=len(kept))
        chosen = np.zeros(len(self.paths), dtype=bool)
        chosen[rows_mine] = True
        lengths_mine, lengths_added = np.diff(self.starts), np.diff(added.starts)
        taken = np.repeat(chosen, lengths_mine)
        rows = np.concatenate(
            (
                np.repeat(np.fromiter(map(row_of.__getitem__, kept), dtype=np.int64, count=len(kept)), lengths_mine[rows_mine]),
                np.repeat(np.fromiter(map(row_of.__getitem__, added.paths), dtype=np.int64, count=len(added)), lengths_added),
            )
        )
        ids = np.concatenate((mine[self.ids[taken]], theirs[added.ids]))
        counts = np.concatenate((self.counts[taken], added.counts))
        # Each row comes whole from one table, in term order: a stable sort
        # by row puts the rows in path order and keeps their terms in order.
        order = np.argsort(rows, kind="stable")
        rows, ids, counts = rows[order], ids[order], counts[order]
        return TermTable._from_rows(paths, vocab, rows, ids, counts)

    def _spliced(self, kept: list[str], added: TermTable) -> TermTable:
        """This table with only the rows of ``kept`` (pages of this table,
        sorted) and the rows of ``added`` (replacing a row of the same page,
        or new): a run on a few edited or new pages of a big site.

        The result's rows are the kept rows between two changes and the new
        rows put between them. Its entries are copied from those rows (kept
        ones renumbered where the vocabulary changed) only when something
        asks for all of them (``ids``, ``counts``): a pre-commit run that
        scores a post against a few landing pages reads a few rows
        (``entries``), and copying five million entries at 50,000 posts was
        30 ms in a process with memory at hand and 90-110 ms in a fresh one
        (40 MB the system had to find). The pages using each term are this
        table's count with the dropped and replaced rows' terms taken off and
        the new rows' put on: it tells which terms left the vocabulary
        without counting every entry again. (Made as a table of every
        entry's row and sorted again, this took 65–368 ms, median 174, in a
        fresh process at 50,000 posts, 313 ms for a new page.)"""
        places = self.places()
        grown = [term for term in added.vocab if term not in places]
        df = self.df
        if grown:
            vocab = sorted(chain(self.vocab, grown))
            place = {term: i for i, term in enumerate(vocab)}
            mine = np.fromiter(map(place.__getitem__, self.vocab), dtype=_IDS, count=len(self.vocab))
            df_new = np.zeros(len(vocab), dtype=np.int64)
            df_new[mine] = df
        else:
            vocab, place, mine = self.vocab, places, None
            df_new = df.copy()
        theirs = np.fromiter(map(place.__getitem__, added.vocab), dtype=_IDS, count=len(added.vocab))
        rows, old_lengths = self.rows, np.diff(self.starts)
        new_lengths = np.diff(added.starts)
        # The changes in the order of the rows: (row, 0, new row) puts a new
        # page before ``row``; (row, 1, new row or -1) replaces or drops it.
        changes: list[tuple[int, int, int]] = []
        for new_row, path in enumerate(added.paths):
            row = rows.get(path)
            changes.append((bisect_left(self.paths, path), 0, new_row) if row is None else (row, 1, new_row))
        kept_rows = np.zeros(len(self), dtype=bool)
        kept_rows[np.fromiter(map(rows.__getitem__, kept), dtype=np.int64, count=len(kept))] = True
        dropped = ~kept_rows
        dropped[[row for row, kind, _ in changes if kind == 1]] = False
        changes += [(row, 1, -1) for row in np.flatnonzero(dropped).tolist()]
        changes.sort()
        paths: list[str] = []
        lengths: list[np.ndarray] = []
        origins: list[np.ndarray] = []  # each row's row in this table, or -1 - its row in ``added``
        next_row = 0  # the first row of this table not yet taken or passed over
        for row, kind, new_row in changes:
            paths.extend(self.paths[next_row:row])
            lengths.append(old_lengths[next_row:row])
            origins.append(np.arange(next_row, row, dtype=np.int64))
            next_row = row
            if kind == 1:  # this row is not taken; a row names each of its terms once: one page less
                gone = self.entries(row)[0]  # read where it is, were this table a splice itself
                df_new[gone if mine is None else mine[gone]] -= 1
                next_row = row + 1
            if new_row >= 0:  # one page more
                df_new[theirs[added.entries(new_row)[0]]] += 1
                paths.append(added.paths[new_row])
                lengths.append(new_lengths[new_row : new_row + 1])
                origins.append(np.array([-1 - new_row], dtype=np.int64))
        paths.extend(self.paths[next_row:])
        lengths.append(old_lengths[next_row:])
        origins.append(np.arange(next_row, len(self), dtype=np.int64))
        # Terms only the dropped or replaced rows had leave the vocabulary.
        vocab, cut, df_new = _vocab_cut(vocab, df_new)
        if cut is not None:
            mine = cut if mine is None else cut[mine]
            theirs = cut[theirs]
        splice = _Splice(self, added, np.concatenate(origins), mine, theirs)
        return TermTable(paths, vocab, _starts(np.concatenate(lengths)), None, None, df_new, splice)

    def places(self) -> dict[str, int]:
        """Term -> place in the vocabulary."""
        if self._places is None:
            self._places = {term: i for i, term in enumerate(self.vocab)}
        return self._places

    # -- storing ------------------------------------------------------------

    def as_stored(self) -> tuple:
        return (
            tuple(self.paths),
            tuple(self.vocab),
            # asarray: no copy where the dtype is already the stored one.
            np.asarray(self.starts, dtype=_STARTS).tobytes(),
            np.asarray(self.ids, dtype=_IDS).tobytes(),
            np.asarray(self.counts, dtype=_COUNTS).tobytes(),
        )

    @classmethod
    def from_stored(cls, obj: Any) -> TermTable | None:
        """The table in an unpickled cache entry, or None when it is not a
        canonical table (an entry is never trusted: see ``linklint.cache``)."""
        if type(obj) is not tuple or len(obj) != 5:
            return None
        paths, vocab, starts_bytes, ids_bytes, counts_bytes = obj
        if type(paths) is not tuple or type(vocab) is not tuple:
            return None
        if not all(type(b) is bytes for b in (starts_bytes, ids_bytes, counts_bytes)):
            return None
        if set(map(type, paths)) - {str} or set(map(type, vocab)) - {str}:
            return None
        if not (all(map(str.__lt__, paths, paths[1:])) and all(map(str.__lt__, vocab, vocab[1:]))):
            return None
        try:
            starts = np.frombuffer(starts_bytes, dtype=_STARTS)
            ids = np.frombuffer(ids_bytes, dtype=_IDS)
            counts = np.frombuffer(counts_bytes, dtype=_COUNTS)
        except ValueError:  # a length that is no multiple of the item size
            return None
        if len(starts) != len(paths) + 1 or starts[0] != 0 or starts[-1] != len(ids) or len(counts) != len(ids):
            return None
        lengths = np.diff(starts)
        if (lengths < 0).any() or (counts < 1).any():
            return None
        if len(ids) and (ids.min() < 0 or ids.max() >= len(vocab)):
            return None
        df = _page_counts(ids, len(vocab))
        if len(vocab) and not df.all():
            return None
        # Terms ascending within each page: every step up, except where a page
        # starts (compared as they are: a difference in 64 bits copied five
        # million ids at 50,000 pages).
        steps = ids[1:] > ids[:-1]
        starts_inside = starts[1:-1]
        starts_inside = starts_inside[(starts_inside > 0) & (starts_inside < len(ids))]
        steps[starts_inside - 1] = True
        if not steps.all():
            return None
        return cls(list(paths), list(vocab), starts, ids, counts, df)


def _values(counts: Mapping[str, int]) -> Iterable[int]:
    return counts.values()


# A run changing more than one row in this many (dropped, replaced or added)
# merges the stored table by sorting every entry: the changes one by one
# would cost more.
_SPLICE_AT_MOST = 8

# Entries counted at a time by ``_page_counts``: ``np.bincount`` makes a copy
# of what it counts in 64 bits, which for every entry of a large site was
# memory the system had to find anew each time (40 MB at 50,000 posts).
_ENTRIES_AT_ONCE = 1 << 20


def _page_counts(ids: np.ndarray, terms: int) -> np.ndarray:
    """How many entries name each of ``terms`` terms (int64, read-only): in
    a canonical table, the pages that use it."""
    found = np.zeros(terms, dtype=np.int64)
    for first in range(0, len(ids), _ENTRIES_AT_ONCE):
        found += np.bincount(ids[first : first + _ENTRIES_AT_ONCE], minlength=terms)
    found.flags.writeable = False
    return found


def _renumber(numbers: np.ndarray, ids: np.ndarray, out: np.ndarray) -> None:
    """``out[i] = numbers[ids[i]]`` (``out`` may be ``ids`` itself), a block
    at a time: ``np.take`` copies its indices in 64 bits, and a copy of every
    entry was memory the system had to find anew."""
    for first in range(0, len(ids), _ENTRIES_AT_ONCE):
        last = first + _ENTRIES_AT_ONCE
        np.take(numbers, ids[first:last], out=out[first:last])


def _without_unused(vocab: list[str], ids: np.ndarray, df: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The vocabulary cut to the terms some page uses (``df``, each term's
    pages, above 0), ``ids`` renumbered to it in place, and ``df`` cut to it
    (read-only). Renumbering keeps the terms' order, so each page's terms
    stay in vocabulary order."""
    vocab, cut, df = _vocab_cut(vocab, df)
    if cut is not None:
        _renumber(cut.astype(ids.dtype), ids, ids)
    return vocab, ids, df


def _vocab_cut(vocab: list[str], df: np.ndarray) -> tuple[list[str], np.ndarray | None, np.ndarray]:
    """The vocabulary cut to the terms some page uses (``df`` above 0), each
    old place's new place (None when every term is used) and ``df`` cut to
    it (read-only)."""
    used = df > 0
    cut = None
    if not used.all():
        cut = (np.cumsum(used) - 1).astype(_IDS)
        vocab = [vocab[i] for i in np.flatnonzero(used).tolist()]
        df = df[used]
    df.flags.writeable = False
    return vocab, cut, df


class _Splice:
    """Where a spliced table's entries come from (``TermTable._spliced``):
    each row is a row of ``base`` (``origins`` at or above 0), its term places
    renumbered by ``mine`` (None: as they are), or a row of ``added``
    (``-1 - origins``), renumbered by ``theirs``."""

    __slots__ = ("base", "added", "origins", "mine", "theirs")

    def __init__(self, base: TermTable, added: TermTable, origins: np.ndarray, mine: np.ndarray | None, theirs: np.ndarray) -> None:
        self.base, self.added, self.origins, self.mine, self.theirs = base, added, origins, mine, theirs

    def _source(self, row: int) -> tuple[TermTable, int, np.ndarray | None]:
        origin = int(self.origins[row])
        return (self.base, origin, self.mine) if origin >= 0 else (self.added, -1 - origin, self.theirs)

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        table, source, numbers = self._source(row)
        lo, hi = int(table.starts[source]), int(table.starts[source + 1])
        ids = table.ids[lo:hi]
        return (ids if numbers is None else numbers[ids]), table.counts[lo:hi]

    def fill(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Every row's entries copied into arrays of their own: the runs of
        neighbouring rows of one table a slice at a time."""
        ids = np.empty(size, dtype=_IDS)
        counts = np.empty(size, dtype=_COUNTS)
        origins = self.origins
        if not len(origins):
            return ids, counts
        # Where a run of rows from one place starts: a row from ``added`` or
        # after one, or a row of ``base`` that does not follow the row before it.
        breaks = np.flatnonzero((origins[1:] != origins[:-1] + 1) | (origins[1:] < 0) | (origins[:-1] < 0)) + 1
        at = 0
        for first, last in zip([0, *breaks.tolist()], [*breaks.tolist(), len(origins)]):
            table, source, numbers = self._source(first)
            lo, hi = int(table.starts[source]), int(table.starts[source + last - first])
            if numbers is None:
                ids[at : at + hi - lo] = table.ids[lo:hi]
            else:
                _renumber(numbers, table.ids[lo:hi], ids[at : at + hi - lo])
            counts[at : at + hi - lo] = table.counts[lo:hi]
            at += hi - lo
        return ids, counts


def _clipped(counts: np.ndarray) -> np.ndarray:
    """Counts as stored (no page repeats a word two billion times)."""
    return np.minimum(counts, np.iinfo(_COUNTS).max).astype(_COUNTS)


def _starts(lengths: np.ndarray) -> np.ndarray:
    starts = np.zeros(len(lengths) + 1, dtype=_STARTS)
    np.cumsum(lengths, out=starts[1:])
    return starts
