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
answers a top-k query at 10k pages in milliseconds. A library such as
scikit-learn would add a large dependency and import time for no gain here.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from typing import Collection, Mapping, NamedTuple

__all__ = ["IndexState", "RelevanceIndex", "TOP_TERMS"]

TOP_TERMS = 50
# Up to this many candidates, a query scores them one by one instead of
# walking the postings of its terms.
_FEW_CANDIDATES = 64

# Queries over the whole site answered by scoring every page directly before
# the postings are built (worth it from a handful of queries on).
_QUERIES_WITHOUT_POSTINGS = 4

# 1 + ln(tf) for the small counts almost every term has, computed once.
_SUBLINEAR_TABLE = [0.0] + [1.0 + math.log(tf) for tf in range(1, 256)]


def _heaviest(weights: dict[str, float], n: int) -> dict[str, float]:
    """The ``n`` heaviest terms; at the cut-off weight, terms in alphabetical
    order, so the kept set never depends on input order."""
    cutoff = sorted(weights.values(), reverse=True)[n - 1]  # a page's few hundred terms: sorting beats a heap
    kept = {term: w for term, w in weights.items() if w > cutoff}
    ties = sorted(term for term, w in weights.items() if w == cutoff)
    for term in ties[: n - len(kept)]:
        kept[term] = cutoff
    return kept


class IndexState(NamedTuple):
    """An index's inputs and results, kept for the next index of the same
    pages (see ``RelevanceIndex.state``)."""

    top: int
    terms: Mapping[str, Mapping[str, int]]
    df: dict[str, int]
    vectors: dict[str, dict[str, float]]


class RelevanceIndex:
    """Term vectors of all pages and an inverted index over them.

    ``terms_by_page`` maps a page (its path) to its term counts (positive, as a
    ``Counter`` of ``content_terms`` gives them). Pages with no terms are
    indexed with an empty vector: they relate to nothing.
    """

    def __init__(
        self,
        terms_by_page: Mapping[str, Mapping[str, int]],
        *,
        top_terms: int = TOP_TERMS,
        earlier: IndexState | None = None,
    ) -> None:
        """``earlier``: the state of an index of the same pages built before
        (``state``), from which only what the changed term counts touch is
        worked out again; the result is the same, bit for bit, as building
        from scratch."""
        self.top = top_terms
        self.pages: int = len(terms_by_page)
        self.terms = terms_by_page
        self.rebuilt = 0  # vectors worked out here (not taken from ``earlier``)
        if earlier is not None and earlier.top == top_terms and earlier.terms.keys() == terms_by_page.keys():
            changed = [
                page for page, counts in terms_by_page.items() if counts is not earlier.terms[page] and counts != earlier.terms[page]
            ]
            self.df, moved = self._updated_df(terms_by_page, earlier, changed)
        else:
            earlier = None
            self.df = self._df(terms_by_page)
        n = self.pages
        self.idf: dict[str, float] = {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in self.df.items()}
        if earlier is None:
            self.vectors: dict[str, dict[str, float]] = {
                page: self._vector(counts) for page, counts in terms_by_page.items()
            }
            self.rebuilt = len(self.vectors)
        else:
            self.vectors = self._updated_vectors(terms_by_page, earlier, changed, moved)
        self._postings: dict[str, list[tuple[str, float]]] | None = None
        self._queries = 0

    @staticmethod
    def _df(terms_by_page: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
        df: Counter[str] = Counter()
        for counts in terms_by_page.values():
            df.update(counts.keys())  # counting keys runs in C: fast on 10k pages
        return dict(df)

    @staticmethod
    def _updated_df(
        terms_by_page: Mapping[str, Mapping[str, int]], earlier: IndexState, changed: list[str]
    ) -> tuple[dict[str, int], set[str]]:
        """The document frequencies after the ``changed`` pages, and the
        terms whose frequency moved."""
        df = dict(earlier.df)
        touched: set[str] = set()
        for page in changed:
            before, after = earlier.terms[page].keys(), terms_by_page[page].keys()
            for term in before - after:
                df[term] -= 1
                if not df[term]:
                    del df[term]
            for term in after - before:
                df[term] = df.get(term, 0) + 1
            touched |= before ^ after
        return df, {term for term in touched if df.get(term, 0) != earlier.df.get(term, 0)}

    def _updated_vectors(
        self, terms_by_page: Mapping[str, Mapping[str, int]], earlier: IndexState, changed: list[str], moved: set[str]
    ) -> dict[str, dict[str, float]]:
        """Earlier vectors, worked out again for the changed pages and for the
        pages holding a term whose weight moved (its document frequency did):
        the others' terms weigh as before, so their vectors are the same."""
        vectors = dict(earlier.vectors)
        again = set(changed)
        if moved:
            again.update(page for page, counts in terms_by_page.items() if not moved.isdisjoint(counts))
        for page in again:
            vectors[page] = self._vector(terms_by_page[page])
        self.rebuilt = len(again)
        return vectors

    def state(self) -> IndexState:
        """What a later index of the same pages can start from."""
        return IndexState(self.top, self.terms, self.df, self.vectors)

    @property
    def postings(self) -> dict[str, list[tuple[str, float]]]:
        """Term -> (page, weight) for every kept term, built on first use."""
        if self._postings is None:
            postings: dict[str, list[tuple[str, float]]] = {}
            for page in sorted(self.vectors):
                for term, weight in self.vectors[page].items():
                    postings.setdefault(term, []).append((page, weight))
            self._postings = postings
        return self._postings

    def _vector(self, counts: Mapping[str, int]) -> dict[str, float]:
        idf, table = self.idf, _SUBLINEAR_TABLE
        # The hot loop of building the index (every term of every page): the
        # table lookup is written out rather than called.
        weights = {
            term: (table[count] if count < 256 else 1.0 + math.log(count)) * idf[term]
            for term, count in counts.items()
            if count > 0
        }
        if len(weights) > self.top:
            weights = _heaviest(weights, self.top)
        # Summed and stored in term order: a query adds products in this order,
        # so scores (and ties between them) do not depend on the order the
        # counts came in, down to the last bit.
        terms = sorted(weights)
        norm = math.sqrt(sum([weights[term] * weights[term] for term in terms]))
        return {term: weights[term] / norm for term in terms} if norm else {}

    def __contains__(self, page: object) -> bool:
        return page in self.vectors

    def __len__(self) -> int:
        return self.pages

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
        vector = self.vectors[page]
        if k <= 0 or not vector:
            return []
        self._queries += 1
        if candidates is not None and len(candidates) <= _FEW_CANDIDATES:
            # A few candidates (the landing pages): score them directly rather
            # than walk postings that reach most of the site.
            scores = self._scores_of(vector, candidates)
        elif self._postings is None and self._queries <= _QUERIES_WITHOUT_POSTINGS:
            # A run on a few pages asks a few questions: scoring every page
            # directly costs less than building the postings first.
            scores = self._scores_of(vector, self.vectors)
        else:
            scores = self._scores(vector)
        scores.pop(page, None)
        for skipped in exclude:
            scores.pop(skipped, None)
        items = scores.items()
        if candidates is not None:
            allowed = candidates if isinstance(candidates, (set, frozenset, dict)) else set(candidates)
            items = [(p, s) for p, s in items if p in allowed]
        return heapq.nsmallest(k, items, key=lambda ps: (-ps[1], ps[0]))

    def _scores_of(self, vector: dict[str, float], candidates: Collection[str]) -> dict[str, float]:
        """Scores of the candidates sharing a term with ``vector``, added up in
        the same order as ``_scores`` adds them, so both give the same bits."""
        scores: dict[str, float] = {}
        for other in candidates:
            other_vector = self.vectors.get(other)
            if not other_vector:
                continue
            score = None
            for term, weight in vector.items():
                other_weight = other_vector.get(term)
                if other_weight is not None:
                    score = (0.0 if score is None else score) + weight * other_weight
            if score is not None:
                scores[other] = score
        return scores

    def _scores(self, vector: dict[str, float]) -> dict[str, float]:
        scores: dict[str, float] = {}
        get = scores.get
        postings = self.postings
        for term, weight in vector.items():
            for other, other_weight in postings[term]:
                scores[other] = get(other, 0.0) + weight * other_weight
        return scores

    def top_terms(self, page: str, n: int = 10) -> list[tuple[str, float]]:
        """The ``n`` heaviest terms of ``page`` with their (normalised)
        weights, heaviest first, ties by term."""
        vector = self.vectors[page]
        return heapq.nsmallest(n, vector.items(), key=lambda tw: (-tw[1], tw[0]))
