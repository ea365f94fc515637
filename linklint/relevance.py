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
from typing import Collection, Mapping

__all__ = ["RelevanceIndex", "TOP_TERMS"]

TOP_TERMS = 50
# Up to this many candidates, a query scores them one by one instead of
# walking the postings of its terms.
_FEW_CANDIDATES = 64

# 1 + ln(tf) for the small counts almost every term has, computed once.
_SUBLINEAR_TABLE = [0.0] + [1.0 + math.log(tf) for tf in range(1, 256)]


def _heaviest(weights: dict[str, float], n: int) -> dict[str, float]:
    """The ``n`` heaviest terms; at the cut-off weight, terms in alphabetical
    order, so the kept set never depends on input order."""
    cutoff = heapq.nlargest(n, weights.values())[-1]
    kept = {term: w for term, w in weights.items() if w > cutoff}
    ties = sorted(term for term, w in weights.items() if w == cutoff)
    for term in ties[: n - len(kept)]:
        kept[term] = cutoff
    return kept


class RelevanceIndex:
    """Term vectors of all pages and an inverted index over them.

    ``terms_by_page`` maps a page (its path) to its term counts (positive, as a
    ``Counter`` of ``content_terms`` gives them). Pages with no terms are
    indexed with an empty vector: they relate to nothing.
    """

    def __init__(self, terms_by_page: Mapping[str, Mapping[str, int]], *, top_terms: int = TOP_TERMS) -> None:
        self.top = top_terms
        self.pages: int = len(terms_by_page)
        self.idf: dict[str, float] = self._idf(terms_by_page)
        self.vectors: dict[str, dict[str, float]] = {
            page: self._vector(counts) for page, counts in terms_by_page.items()
        }
        self.postings: dict[str, list[tuple[str, float]]] = {}
        for page in sorted(self.vectors):
            for term, weight in self.vectors[page].items():
                self.postings.setdefault(term, []).append((page, weight))

    def _idf(self, terms_by_page: Mapping[str, Mapping[str, int]]) -> dict[str, float]:
        df: Counter[str] = Counter()
        for counts in terms_by_page.values():
            df.update(counts.keys())  # counting keys runs in C: fast on 10k pages
        n = self.pages
        return {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in df.items()}

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
        norm = math.sqrt(sum(weights[term] ** 2 for term in terms))
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
        if candidates is not None and len(candidates) <= _FEW_CANDIDATES:
            # A few candidates (the landing pages): score them directly rather
            # than walk postings that reach most of the site.
            scores = self._scores_of(vector, candidates)
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
