"""Which pages of a site are about the same things: lemma TF-IDF and cosine
similarity, in pure Python.

Each page is a vector of its content terms (lemmas from
``linklint.nlp.content_terms``) weighted by TF-IDF with sublinear term
frequency, ``(1 + ln tf) * idf``, and smooth inverse document frequency,
``idf = ln((1 + N) / (1 + df)) + 1``, so a term on every page still counts a
little and no term divides by zero. Only each page's top ``TOP_TERMS`` terms are
kept, then the vector is scaled to length 1: a dot product of two vectors is
their cosine.

Why top terms only: the terms that define a page are few; the long tail of
words used once or twice adds noise to the ranking, memory (10k long posts have
millions of term occurrences) and time, because a query walks the postings of
every term it has. With 50 terms per page the inverted index (term → pages)
answers a top-k query at 10k pages in milliseconds.

The vectors are computed with NumPy (which spaCy depends on already) on the
arrays of a ``TermTable``: weighing, keeping the top terms and scaling a
million counts at 10,000 pages is a tenth of a second, where a loop in Python
took half a second, and a run that adds one page (every weight moves with the
page count) builds the whole index again. Only a query over every page
needs every page's vector; one that scores a few candidates (which landing
page fits a post) works out just the vectors it reads, each alone by the
same operations. A run's first queries over every page read the kept
entries directly; the postings are built for the next ones. The index is a function of the
table alone, so a table put together from stored counts gives the same
floats, bit for bit, as one counted from scratch. Scores are added term by
term in the query's term order, both when all pages are scored through the
postings and when a few candidates are scored one by one, so both give the
same bits too.
"""

from __future__ import annotations

import heapq
import math
from typing import Collection, Mapping

import numpy as np

from linklint.arrays import stable_order
from linklint.termtable import TermTable

__all__ = ["RelevanceIndex", "TOP_TERMS"]

TOP_TERMS = 50

# Cells of the matrix the top terms of long pages are found in, at most, at a time.
_CELLS_AT_ONCE = 1 << 18
# Entries of the table the kept terms are worked out for, at most, at a time.
_ENTRIES_AT_ONCE = 1 << 18
# Up to this many candidates, a query scores them one by one instead of
# walking the postings of its terms.
_FEW_CANDIDATES = 64

# 1 + ln(tf) for the small counts almost every term has, computed once.
_SUBLINEAR_TABLE = np.array([0.0] + [1.0 + math.log(tf) for tf in range(1, 256)])


def _sublinear(counts: np.ndarray) -> np.ndarray:
    """1 + ln(tf) of each count (``math.log`` for the rare large ones)."""
    large = counts >= len(_SUBLINEAR_TABLE)
    if not large.any():
        return _SUBLINEAR_TABLE[counts]
    out = _SUBLINEAR_TABLE[np.where(large, 0, counts)]
    out[large] = [1.0 + math.log(count) for count in counts[large].tolist()]
    return out


# Up to this many pages sharing a term with the query, all of them are sorted.
_SORT_ALL_BELOW = 256

# The first queries of a run that walk every page's terms read the kept
# entries directly; the postings are built for the next. Building them sorts
# every kept entry by term: at 50,000 pages 50 ms, where a query read
# directly, one pass over the entries, took 6–11 ms. A pre-commit run on a
# new post asks about that one post only; a run on the whole site asks
# thousands of times.
_QUERIES_WITHOUT_POSTINGS = 4


class RelevanceIndex:
    """Term vectors of all pages and an inverted index over them.

    ``terms`` is a ``TermTable`` or a mapping of page (its path) to term
    counts (positive, as a ``Counter`` of ``content_terms`` gives them).
    Pages with no terms are indexed with an empty vector: they relate to
    nothing.
    """

    def __init__(self, terms: TermTable | Mapping[str, Mapping[str, int]], *, top_terms: int = TOP_TERMS) -> None:
        table = terms if isinstance(terms, TermTable) else TermTable.from_counts(terms)
        self.table = table
        self.top = top_terms
        self.pages: int = len(table)
        n = self.pages
        self.df = table.df
        # math.log, as the formula is written, for each term once.
        self.idf = np.array([math.log((1 + n) / (1 + d)) + 1.0 for d in self.df.tolist()])
        # Every page's kept terms as arrays, built when a query first walks
        # the postings. A query over a few candidates (a pre-commit run asking
        # which landing page fits a post) needs a few pages' vectors only,
        # each worked out alone with the same operations (``_vector``): at
        # 10,000 pages that spares 0.1-0.2 s, at 50,000 two seconds.
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._postings: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._vectors: dict[int, dict[str, float]] = {}
        self._masks: tuple[object, np.ndarray] | None = None
        self._direct_queries = 0  # queries answered without the postings
        # The last query's scores and hits, by row: asked again for the same page.
        self._last_scores: tuple[int, np.ndarray, np.ndarray] | None = None

    def _all(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every page's kept terms: weights, term ids and rows, entry by
        entry, and where each row starts."""
        if self._arrays is None:
            # A block of pages at a time: the arrays of every entry at once
            # (5 million at 50,000 pages, 40 MB each) were memory the system
            # gave anew, page by page, for each of a dozen steps; a block's
            # arrays are the size the next block reuses (at 50,000 pages
            # 0.53 -> 0.18 s). Each page is worked out by the same operations
            # either way: the same bits.
            table = self.table
            lengths = np.diff(table.starts)
            weights, ids, rows, starts = [], [], [], []
            first = kept = 0
            while first < len(lengths) or not starts:
                reach = int(np.searchsorted(table.starts, table.starts[first] + _ENTRIES_AT_ONCE, side="right")) - 1
                last = min(max(reach, first + 1), len(lengths))
                lo, hi = int(table.starts[first]), int(table.starts[last])
                block = self._kept(table.ids[lo:hi], table.counts[lo:hi], lengths[first:last])
                weights.append(block[0])
                ids.append(block[1])
                rows.append(block[2] + first)
                starts.append(block[3][:-1] + kept)
                first, kept = last, kept + len(block[0])
            starts.append(np.array([kept], dtype=np.int64))
            self._arrays = (np.concatenate(weights), np.concatenate(ids), np.concatenate(rows), np.concatenate(starts))
        return self._arrays

    def _row_alone(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """One page's kept term ids and weights, worked out by ``_kept`` on its
        entries alone: the same operations as for every page, the same bits."""
        term_ids, counts = self.table.entries(row)
        weights, ids, _, _ = self._kept(term_ids, counts, np.array([len(term_ids)], dtype=np.int64))
        return ids, weights

    def _kept(
        self, term_ids: np.ndarray, counts: np.ndarray, lengths: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The pages whose entries (term ids and counts, page after page, each
        page ``lengths`` long) are given, weighed, cut to their top terms and
        scaled: weights, term ids and rows entry by entry, and row starts."""
        n = len(lengths)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        ids = term_ids.astype(np.int64)
        weights = _sublinear(counts.astype(np.int64)) * self.idf[ids]
        keep = self._heaviest(rows, weights, lengths, self.top)
        if keep is not None:
            rows, ids, weights = rows[keep], ids[keep], weights[keep]
        kept = np.bincount(rows, minlength=n)
        # Scaled to length 1. Each page's sum of squares depends on its own
        # weights alone (one reduction per page), so any table of the same
        # counts, and any page worked out alone, gives the same bits.
        filled = kept > 0
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(kept, out=starts[1:])
        norms = np.sqrt(np.add.reduceat(weights * weights, starts[:-1][filled])) if len(weights) else np.zeros(0)
        return weights / np.repeat(norms, kept[filled]), ids, rows, starts

    @staticmethod
    def _heaviest(rows: np.ndarray, weights: np.ndarray, lengths: np.ndarray, top: int) -> np.ndarray | None:
        """Which entries to keep: each page's ``top`` heaviest terms; at the
        cut-off weight, terms in vocabulary (alphabetical) order, so the kept
        set never depends on input order. None when every page is short."""
        long_pages = np.flatnonzero(lengths > top)
        if not len(long_pages):
            return None
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        # The cut-off of each long page: its top-th heaviest weight, found by
        # partitioning the pages of similar length as rows of one matrix.
        # Rows are padded to the next of eight widths per power of two: the
        # matrices hold at most an eighth more cells than there are terms
        # (padded to a power of two, up to twice as many: 80 MB filled and
        # partitioned at 10,000 pages).
        cutoff = np.full(len(lengths), -np.inf)
        sizes = lengths[long_pages]
        step = np.maximum((1 << np.floor(np.log2(sizes)).astype(np.int64)) >> 3, 1)
        widths = -(-sizes // step) * step
        # Not np.unique: it imports numpy.ma (10 ms of a pre-commit run).
        for width in sorted(set(widths.tolist())):
            group = long_pages[widths == width]
            # A few hundred thousand cells at a time: the next block reuses
            # the memory of the last, where one matrix of every page (80 MB
            # at 10,000 pages) was memory a new process had to be given page
            # by page (a run's first pass over the whole site: 77-378 ms,
            # against 66-101 ms in blocks).
            rows_at_once = max(1, _CELLS_AT_ONCE // width)
            for first in range(0, len(group), rows_at_once):
                pages = group[first : first + rows_at_once]
                counts = lengths[pages]
                matrix = np.full((len(pages), width), np.inf)
                local = np.repeat(np.arange(len(pages)), counts)
                column = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
                matrix[local, column] = -weights[np.repeat(starts[pages], counts) + column]
                cutoff[pages] = -np.partition(matrix, top - 1, axis=1)[:, top - 1]
        limit = cutoff[rows]
        above = weights > limit
        tied = weights == limit
        # Of the terms at the cut-off, as many as there is room for, in term order.
        room = top - np.bincount(rows[above], minlength=len(lengths))
        ties_before = np.cumsum(tied) - tied
        ties_at_start = ties_before[np.minimum(starts[:-1], max(len(weights) - 1, 0))]
        return above | (tied & (ties_before - ties_at_start[rows] < room[rows]))

    # -- pages and vectors ------------------------------------------------------

    def __contains__(self, page: object) -> bool:
        return page in self.table

    def __len__(self) -> int:
        return self.pages

    def vector(self, page: str) -> dict[str, float]:
        """The page's kept terms and weights, in term order (``KeyError`` for a
        page that is not in the index)."""
        return self._vector(self.table.rows[page])

    def _vector(self, row: int) -> dict[str, float]:
        found = self._vectors.get(row)
        if found is None:
            if self._arrays is not None:
                weights, ids, _, starts = self._arrays
                lo, hi = int(starts[row]), int(starts[row + 1])
                ids, weights = ids[lo:hi], weights[lo:hi]
            else:
                ids, weights = self._row_alone(row)
            vocab = self.table.vocab
            found = self._vectors[row] = {vocab[i]: w for i, w in zip(ids.tolist(), weights.tolist())}
        return found

    @property
    def vectors(self) -> dict[str, dict[str, float]]:
        """Every page's vector (for tests and measurements: a query needs none)."""
        return {page: self._vector(row) for row, page in enumerate(self.table.paths)}

    def prepare(self) -> None:
        """Build the postings now (before worker processes fork)."""
        self._postings_arrays()

    def _postings_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Term -> (pages, weights): entries grouped by term, pages in row order."""
        if self._postings is None:
            weights, ids, rows, _ = self._all()
            order = stable_order(ids, len(self.table.vocab))
            per_term = np.bincount(ids, minlength=len(self.table.vocab))
            starts = np.zeros(len(per_term) + 1, dtype=np.int64)
            np.cumsum(per_term, out=starts[1:])
            self._postings = (starts, rows[order], weights[order])
        return self._postings

    # -- queries ------------------------------------------------------------

    def related(
        self,
        page: str,
        k: int = 5,
        *,
        exclude: Collection[str] = (),
        candidates: Collection[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The ``k`` pages most like ``page`` with their cosine similarity,
        highest first, ties by path. Never ``page`` itself nor a page in
        ``exclude``; only pages in ``candidates`` when it is given. Only pages
        that share a kept term with ``page`` (score above 0) are returned.
        Raises ``KeyError`` for a page that is not in the index."""
        row = self.table.rows[page]
        if k <= 0:
            return []
        if candidates is not None and len(candidates) <= _FEW_CANDIDATES:
            # A few candidates (the landing pages): score them directly rather
            # than walk postings that reach most of the site.
            vector = self._vector(row)
            if not vector:
                return []
            scores = self._scores_of(vector, candidates)
            scores.pop(page, None)
            for skipped in exclude:
                scores.pop(skipped, None)
            return heapq.nsmallest(k, scores.items(), key=lambda ps: (-ps[1], ps[0]))
        starts = self._all()[3]
        lo, hi = int(starts[row]), int(starts[row + 1])
        if lo == hi:
            return []
        last = self._last_scores
        if last is not None and last[0] == row:
            scores, hit = last[1], last[2].copy()
        else:
            if self._postings is None and self._direct_queries < _QUERIES_WITHOUT_POSTINGS:
                self._direct_queries += 1
                scores, hit = self._scores_directly(lo, hi)
            else:
                scores, hit = self._scores(lo, hi)
            # LL001 and LL007 ask about the same page one after the other.
            self._last_scores = (row, scores, hit.copy())
        hit[row] = False
        rows = self.table.rows
        for skipped in exclude:
            if skipped in rows:
                hit[rows[skipped]] = False
        if candidates is not None:
            hit &= self._mask(candidates)
        found = np.flatnonzero(hit)
        values = scores[found]
        if len(found) > _SORT_ALL_BELOW and k < len(found):
            # Only pages scoring at least the k-th highest score can be among
            # the best (ties kept): `np.partition` finds it in linear time,
            # where sorting every page that shares a term was most of a run
            # on a site of many short pages (tldr-pages/tldr: 38,000 pages,
            # two queries each).
            kth = np.partition(values, len(values) - k)[len(values) - k]
            keep = values >= kth
            found, values = found[keep], values[keep]
        # Highest first; equal scores in row order, which is path order.
        best = found[np.argsort(-values, kind="stable")[:k]]
        paths = self.table.paths
        return [(paths[i], score) for i, score in zip(best.tolist(), scores[best].tolist())]

    def _scores_of(self, vector: dict[str, float], candidates: Collection[str]) -> dict[str, float]:
        """Scores of the candidates sharing a term with ``vector``, added up in
        the same order as ``_scores`` adds them, so both give the same bits."""
        scores: dict[str, float] = {}
        rows = self.table.rows
        for other in candidates:
            row = rows.get(other)
            if row is None:
                continue
            other_vector = self._vector(row)
            score = None
            for term, weight in vector.items():
                other_weight = other_vector.get(term)
                if other_weight is not None:
                    score = (0.0 if score is None else score) + weight * other_weight
            if score is not None:
                scores[other] = score
        return scores

    def _scores(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Every page's score against the vector in ``[lo, hi)``, and which
        pages share a term with it.

        The postings of the vector's terms are gathered term after term and
        summed by ``np.bincount``, which adds each page's products in that
        order starting from 0, as a loop over the terms adding one term's
        postings at a time does: the same bits. The loop took a numpy call or
        four per term, 0.17 s of a cold run on kubernetes/community (1,416
        pages asked for related pages) against 0.05 s."""
        starts, pages, weights = self._postings_arrays()
        own_weights, own_ids, _, _ = self._all()
        first = starts[own_ids[lo:hi]]
        lengths = starts[own_ids[lo:hi] + 1] - first
        ends = np.cumsum(lengths)
        # Where each gathered posting sits in the postings arrays.
        at = np.repeat(first - (ends - lengths), lengths) + np.arange(int(ends[-1]))
        return self._summed(pages[at], np.repeat(own_weights[lo:hi], lengths) * weights[at])

    def _scores_directly(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """``_scores`` without the postings: the kept entries of the
        vector's terms, found in one pass over every kept entry. They come
        page after page, and a page's terms in vocabulary order (a table's
        rows are, and keeping the top terms keeps their order), which is the
        vector's order too: ``np.bincount`` adds each page's products in the
        order the postings give them, term after term. The same bits."""
        weights, ids, rows, _ = self._all()
        place = np.full(len(self.table.vocab), -1, dtype=np.int64)
        place[ids[lo:hi]] = np.arange(hi - lo)
        at = place[ids]
        found = np.flatnonzero(at >= 0)
        return self._summed(rows[found], weights[lo:hi][at[found]] * weights[found])

    def _summed(self, others: np.ndarray, products: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each page's score, its ``products`` added in the order given
        (``others`` says whose each is), and which pages have any."""
        scores = np.bincount(others, weights=products, minlength=self.pages)
        hit = np.zeros(self.pages, dtype=bool)
        hit[others] = True
        return scores, hit

    def _mask(self, candidates: Collection[str]) -> np.ndarray:
        """The rows of ``candidates``; the last mask is kept, as one run asks
        with the same pool of candidates again and again."""
        if self._masks is not None and self._masks[0] is candidates:
            return self._masks[1]
        rows = self.table.rows
        mask = np.zeros(self.pages, dtype=bool)
        mask[np.fromiter((rows[p] for p in candidates if p in rows), dtype=np.int64)] = True
        if isinstance(candidates, frozenset):  # cannot change while it is kept
            self._masks = (candidates, mask)
        return mask

    def top_terms(self, page: str, n: int = 10) -> list[tuple[str, float]]:
        """The ``n`` heaviest terms of ``page`` with their (normalised)
        weights, heaviest first, ties by term."""
        vector = self.vector(page)
        return heapq.nsmallest(n, vector.items(), key=lambda tw: (-tw[1], tw[0]))
