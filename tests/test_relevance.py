"""Relevance between pages: lemma TF-IDF, cosine, top terms, inverted index."""

from __future__ import annotations

import math
import random

import pytest

from linklint.relevance import TOP_TERMS, RelevanceIndex

# Six pages of a small blog, as term counts (what content_terms gives).
CORPUS: dict[str, dict[str, int]] = {
    "posts/anchor-text.md": {"link": 5, "anchor": 3, "seo": 2},
    "posts/internal-links.md": {"link": 4, "anchor": 2, "text": 2},
    "posts/ranking.md": {"seo": 3, "ranking": 2, "google": 2},
    "newsletter.md": {"newsletter": 4, "signup": 2, "email": 2},
    "posts/weekly.md": {"link": 1, "email": 1, "newsletter": 1},
    "posts/pasta.md": {"recipe": 3, "pasta": 2},
}


@pytest.fixture(scope="module")
def index() -> RelevanceIndex:
    return RelevanceIndex(CORPUS)


def rounded(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(page, round(score, 4)) for page, score in pairs]


def test_ranking(index):
    assert rounded(index.related("posts/anchor-text.md")) == [
        ("posts/internal-links.md", 0.6861),
        ("posts/weekly.md", 0.3243),
        ("posts/ranking.md", 0.2838),
    ]
    assert rounded(index.related("posts/weekly.md")) == [
        ("newsletter.md", 0.6916),
        ("posts/anchor-text.md", 0.3243),
        ("posts/internal-links.md", 0.3087),
    ]
    assert rounded(index.related("posts/ranking.md")) == [("posts/anchor-text.md", 0.2838)]
    # Nothing in common with any other page: nothing related.
    assert index.related("posts/pasta.md") == []


def test_scores_are_symmetric_cosines(index):
    for page in CORPUS:
        for other, score in index.related(page, k=10):
            assert 0 < score <= 1
            assert dict(index.related(other, k=10))[page] == score


def test_k_limits_the_result(index):
    assert [p for p, _ in index.related("posts/anchor-text.md", 1)] == ["posts/internal-links.md"]
    assert index.related("posts/anchor-text.md", 0) == []


def test_exclude_and_candidates(index):
    page = "posts/anchor-text.md"
    assert [p for p, _ in index.related(page, exclude={"posts/internal-links.md"})] == [
        "posts/weekly.md",
        "posts/ranking.md",
    ]
    landing = ["newsletter.md", "posts/pasta.md"]
    assert index.related(page, candidates=landing) == []
    assert [p for p, _ in index.related("posts/weekly.md", candidates=landing)] == ["newsletter.md"]
    # A page is never related to itself, even when it is a candidate.
    assert [p for p, _ in index.related("newsletter.md", candidates={"newsletter.md", "posts/weekly.md"})] == [
        "posts/weekly.md"
    ]


def test_formula_sublinear_tf_smooth_idf_cosine():
    index = RelevanceIndex({"x": {"a": 1}, "y": {"a": 1, "b": 3}})
    # idf(a) = ln(3/3) + 1 = 1; idf(b) = ln(3/2) + 1; tf weight of b = 1 + ln 3.
    b = (1 + math.log(3)) * (math.log(3 / 2) + 1)
    expected = 1 / math.sqrt(1 + b * b)
    [(page, score)] = index.related("x")
    assert page == "y"
    assert score == pytest.approx(expected, abs=1e-12)
    assert index.top_terms("y", 5) == [
        ("b", pytest.approx(b / math.sqrt(1 + b * b))),
        ("a", pytest.approx(expected)),
    ]


def test_ties_are_ordered_by_path():
    index = RelevanceIndex({"q": {"x": 1}, "c": {"x": 1}, "a": {"x": 1}, "b": {"x": 1}})
    assert index.related("q") == [("a", 1.0), ("b", 1.0), ("c", 1.0)]


def test_order_of_input_does_not_matter():
    reversed_corpus = {page: dict(reversed(list(CORPUS[page].items()))) for page in reversed(list(CORPUS))}
    one, two = RelevanceIndex(CORPUS), RelevanceIndex(reversed_corpus)
    for page in CORPUS:
        assert one.related(page, 10) == two.related(page, 10)
        assert one.top_terms(page, 10) == two.top_terms(page, 10)


def test_only_top_terms_are_kept():
    counts = {f"t{i:02d}": 1 for i in range(60)}
    counts["heavy"] = 9
    index = RelevanceIndex({"big": counts, "other": {"t59": 1}, "third": {"heavy": 1}})
    kept = [term for term, _ in index.top_terms("big", 100)]
    assert len(kept) == TOP_TERMS == 50
    # "heavy" first; then equal weights in term order, and "t59" (shared, so a
    # lower idf) is among the terms cut.
    assert kept == ["heavy"] + [f"t{i:02d}" for i in range(49)]
    # "other" shares only a term that was cut: not related any more.
    assert [p for p, _ in index.related("big")] == ["third"]


def test_top_terms(index):
    assert [t for t, _ in index.top_terms("posts/internal-links.md", 2)] == ["text", "link"]
    assert index.top_terms("posts/pasta.md", 0) == []


def test_pages_without_terms_and_unknown_pages():
    index = RelevanceIndex({"empty": {}, "a": {"x": 2}, "b": {"x": 1}})
    assert "empty" in index and len(index) == 3
    assert index.related("empty") == []
    assert [p for p, _ in index.related("a")] == ["b"]
    with pytest.raises(KeyError):
        index.related("missing.md")


def test_few_candidates_are_scored_to_the_same_bits_as_a_full_query():
    # Few candidates are scored one by one, many through the postings: both
    # must rank and score identically, down to the last bit.
    import random

    rng = random.Random(7)
    words = [f"w{i}" for i in range(40)]
    pages = {f"p{n:03}": {rng.choice(words): rng.randint(1, 9) for _ in range(30)} for n in range(120)}
    index = RelevanceIndex(pages)
    everything = dict(index.related("p000", k=len(pages)))
    few = ["p001", "p017", "p055", "p119", "p000"]
    expected = sorted(((p, everything[p]) for p in few if p in everything), key=lambda ps: (-ps[1], ps[0]))
    assert index.related("p000", k=10, candidates=few) == expected
    assert len(expected) == 4


# -- the index against the formula written out, and put together from parts ------------------------


def _corpus(rng: random.Random, pages: int, vocabulary: int) -> dict[str, dict[str, int]]:
    words = [f"w{i}" for i in range(vocabulary)]
    return {
        f"p{i:03}": {w: rng.randint(1, 5) for w in rng.sample(words, rng.randint(0, 70))}
        for i in range(pages)
    }


def _reference_vectors(corpus: dict[str, dict[str, int]], top: int) -> dict[str, dict[str, float]]:
    """The module docstring's formula, one page and one term at a time."""
    n = len(corpus)
    df: dict[str, int] = {}
    for counts in corpus.values():
        for term in counts:
            df[term] = df.get(term, 0) + 1
    vectors = {}
    for page, counts in corpus.items():
        weights = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in counts.items()}
        kept = sorted(weights, key=lambda t: (-weights[t], t))[:top]
        norm = math.sqrt(sum(weights[t] ** 2 for t in kept))
        vectors[page] = {t: weights[t] / norm for t in sorted(kept)}
    return vectors


@pytest.mark.parametrize("seed", range(4))
def test_vectors_follow_the_formula(seed: int) -> None:
    corpus = _corpus(random.Random(seed), 120, 300)
    corpus["p000"]["w1"] = 300  # a count past the table of small counts
    index = RelevanceIndex(corpus, top_terms=20)
    expected = _reference_vectors(corpus, 20)
    for page, vector in index.vectors.items():
        assert list(vector) == list(expected[page])  # the same terms kept, in term order
        assert vector == pytest.approx(expected[page], rel=1e-12)


def _every_score(vectors: dict[str, dict[str, float]], page: str) -> dict[str, float]:
    """``page``'s score against every page sharing a term with it, added up
    one page and one term at a time."""
    mine = vectors[page]
    scores = {}
    for other, theirs in vectors.items():
        shared = [t for t in mine if t in theirs]
        if other != page and shared:
            total = 0.0
            for term in shared:  # in the query's term order, as the index adds them
                total += mine[term] * theirs[term]
            scores[other] = total
    return scores


def _best(scores: dict[str, float], k: int) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda ps: (-ps[1], ps[0]))[:k]


@pytest.mark.parametrize("seed", range(4))
def test_full_queries_rank_like_scoring_every_page(seed: int) -> None:
    corpus = _corpus(random.Random(seed), 90, 200)
    index = RelevanceIndex(corpus, top_terms=20)
    for page in sorted(corpus)[:15]:
        assert index.related(page, 7) == _best(_every_score(index.vectors, page), 7)  # same floats, bit for bit


@pytest.mark.parametrize("seed", range(4))
def test_queries_over_many_pages_with_ties_rank_like_scoring_every_page(seed: int) -> None:
    # Over 256 pages sharing a term the best are picked by a partition, not a
    # sort of every page: the same pages, ties in path order, same floats.
    from linklint.relevance import _SORT_ALL_BELOW

    rng = random.Random(seed)
    corpus = _corpus(rng, 300, 120)
    for n in range(400):  # copies: many equal scores, across the k-th place too
        corpus[f"z-copy-{n:03d}"] = dict(corpus[sorted(corpus)[n % 7]])
    index = RelevanceIndex(corpus, top_terms=20)
    asked = 0
    for page in sorted(corpus)[::37]:
        scores = _every_score(index.vectors, page)
        asked += len(scores) > _SORT_ALL_BELOW
        for k in (1, 3, 10):
            assert index.related(page, k) == _best(scores, k)
    assert asked >= 10  # the partition was taken


def test_a_page_asked_about_again_gets_answers_as_if_asked_first() -> None:
    # The last query's scores are kept for the next question about the same
    # page (LL001 then LL007): what one question takes out must not stay out.
    corpus = _corpus(random.Random(7), 120, 150)
    index = RelevanceIndex(corpus, top_terms=20)
    for page in sorted(corpus)[:20]:
        first = index.related(page, 6)
        excluded = [other for other, _ in first[:2]]
        fresh = RelevanceIndex(corpus, top_terms=20)
        assert index.related(page, 4, exclude=excluded) == fresh.related(page, 4, exclude=excluded)
        pool = frozenset(sorted(corpus)[::2])
        assert index.related(page, 6, candidates=pool) == RelevanceIndex(corpus, top_terms=20).related(page, 6, candidates=pool)
        assert index.related(page, 6) == first


@pytest.mark.parametrize("seed", range(6))
def test_an_index_of_a_merged_table_equals_one_built_from_scratch(seed: int) -> None:
    from linklint.termtable import TermTable

    rng = random.Random(seed)
    before = _corpus(rng, 120, 300)
    stored = TermTable.from_counts(before)
    after = dict(before)
    gone = set(rng.sample(sorted(after), 4))  # removed pages
    for page in gone:
        del after[page]
    changed = {}
    for page in rng.sample(sorted(after), 5):
        counts = dict(after[page])
        for word in rng.sample(sorted(counts), min(3, len(counts))):
            del counts[word]  # terms leave the page
        counts[f"w{rng.randint(0, 299)}"] = rng.randint(1, 9)  # and others arrive
        counts[f"new{seed}"] = 1  # a term no page had
        changed[page] = after[page] = counts
    changed["q-new-page"] = after["q-new-page"] = {"w3": 2, f"new{seed}": 4}
    merged = stored.merged([p for p in before if p not in gone], changed)
    # A query over a few candidates reads their rows alone: the stored
    # entries are not copied into the merged table, and the answers are those
    # of an index built from scratch.
    few, landing = RelevanceIndex(merged, top_terms=20), frozenset(sorted(after)[:4])
    fresh = RelevanceIndex(after, top_terms=20)
    for page in sorted(changed):
        assert few.related(page, 2, candidates=landing) == fresh.related(page, 2, candidates=landing)
    assert not merged.filled
    assert merged == TermTable.from_counts(after)
    built = RelevanceIndex(merged, top_terms=20)
    assert built.vectors == fresh.vectors  # the same floats, bit for bit
    for page in sorted(after)[:10]:
        assert built.related(page, 5) == fresh.related(page, 5)


def test_prepared_postings_change_no_answer() -> None:
    corpus = _corpus(random.Random(9), 80, 150)
    direct, prepared = RelevanceIndex(corpus), RelevanceIndex(corpus)
    prepared.prepare()
    for page in sorted(corpus):
        assert direct.related(page, 4) == prepared.related(page, 4)


def test_a_pool_of_candidates_asked_again_is_not_confused_with_another() -> None:
    corpus = _corpus(random.Random(3), 100, 120)
    index = RelevanceIndex(corpus)
    first = frozenset(sorted(corpus)[::2])
    second = frozenset(sorted(corpus)[1::2])
    for pool in (first, second, first):
        found = index.related("p000", 80, candidates=pool)
        assert found and {page for page, _ in found} <= pool


def test_a_few_pages_vectors_are_worked_out_alone_with_the_same_bits() -> None:
    """A query over a few candidates builds no whole-site arrays: each page it
    needs is weighed, cut to its top terms and scaled alone, to the same
    floats as when every page is done at once (long pages, ties at the
    cut-off, a page with no terms)."""
    rng = random.Random(21)
    corpus = _corpus(rng, 60, 400)
    corpus["tied"] = {f"w{n:03d}": 2 for n in range(90)}  # every weight at the cut-off ties
    corpus["empty"] = {}
    alone, whole = RelevanceIndex(corpus, top_terms=20), RelevanceIndex(corpus, top_terms=20)
    whole.prepare()
    landing = frozenset(sorted(corpus)[:5])
    for page in sorted(corpus):
        assert alone.related(page, 3, candidates=landing) == whole.related(page, 3, candidates=landing)
    assert alone._arrays is None  # nothing walked the postings
    for page in sorted(corpus):
        assert alone.vector(page) == whole.vector(page)
        assert alone.top_terms(page, 5) == whole.top_terms(page, 5)
    assert len(alone.vector("tied")) == 20 and alone.vector("empty") == {}
    assert alone._arrays is None
    # A query over every page builds the arrays; vectors read from them agree.
    assert alone.related("p000", 4) == whole.related("p000", 4)
    assert alone._arrays is not None and alone.vectors == whole.vectors


def test_top_terms_found_a_few_pages_at_a_time_are_the_same(monkeypatch) -> None:
    """Long pages' cut-offs are found in blocks of at most ``_CELLS_AT_ONCE``
    cells: blocks of one page, of a few and all at once keep the same terms
    with the same weights (ties at the cut-off included)."""
    import numpy as np

    from linklint import relevance

    corpus = _corpus(random.Random(5), 80, 300)
    corpus["tied"] = {f"w{n:03d}": 2 for n in range(90)}
    arrays = {}
    for cells in (1, 200, 1 << 30):
        monkeypatch.setattr(relevance, "_CELLS_AT_ONCE", cells)
        arrays[cells] = RelevanceIndex(corpus, top_terms=20)._all()
    for cells in (1, 200):
        assert all(np.array_equal(a, b) for a, b in zip(arrays[cells], arrays[1 << 30]))


def test_kept_terms_worked_out_a_block_of_pages_at_a_time_are_the_same_bits(monkeypatch) -> None:
    """The kept terms of every page are worked out ``_ENTRIES_AT_ONCE``
    entries of the table at a time: blocks of a few pages, a page longer
    than a block alone, pages with no terms between them, and the whole
    table at once give the same arrays, bit for bit."""
    import numpy as np

    from linklint import relevance

    corpus = _corpus(random.Random(9), 90, 300)
    corpus["p050"] = {f"w{n:03d}": 1 + n % 4 for n in range(200)}  # longer than a block of 150
    corpus["p051"] = {}
    corpus["tied"] = {f"w{n:03d}": 2 for n in range(90)}
    arrays = {}
    for entries in (1, 150, 1 << 30):
        monkeypatch.setattr(relevance, "_ENTRIES_AT_ONCE", entries)
        arrays[entries] = RelevanceIndex(corpus, top_terms=20)._all()
    whole = arrays[1 << 30]
    assert len(whole[3]) == len(corpus) + 1 and int(whole[3][-1]) == len(whole[0])
    for entries in (1, 150):
        for got, expected in zip(arrays[entries], whole):
            assert got.dtype == expected.dtype and np.array_equal(got.view(np.uint8), expected.view(np.uint8))


@pytest.mark.parametrize("bound", [1, 235, 1 << 16, (1 << 16) + 1, 3_000_000])
def test_postings_order_entries_as_a_stable_sort_of_their_terms(bound: int) -> None:
    import numpy as np

    from linklint.arrays import stable_order

    keys = np.random.default_rng(bound).integers(0, bound, 50_000).astype(np.int64)
    keys[:3] = bound - 1  # the largest key, and ties
    assert np.array_equal(stable_order(keys, bound), np.argsort(keys, kind="stable"))
    assert np.array_equal(stable_order(keys[:0], bound), np.zeros(0, dtype=np.intp))


def test_the_first_queries_read_the_kept_entries_to_the_same_bits_as_the_postings() -> None:
    """A run's first queries over every page are answered without building
    the postings (reading every page's kept entries instead): each score and
    each ranking is the postings' to the last bit, long pages with ties at
    the cut-off, a page with no terms, excluded pages and a large pool of
    candidates included."""
    corpus = _corpus(random.Random(31), 150, 160)
    corpus["tied"] = {f"w{n}": 2 for n in range(60)}  # every weight at the cut-off ties
    corpus["empty"] = {}
    prepared = RelevanceIndex(corpus, top_terms=20)
    prepared.prepare()
    pool = frozenset(sorted(corpus)[::2])
    assert len(pool) > 64  # scored through all pages, not one by one
    for page in sorted(corpus):
        direct = RelevanceIndex(corpus, top_terms=20)
        everything = direct.related(page, k=len(corpus))
        assert direct._postings is None  # answered without them
        assert everything == prepared.related(page, k=len(corpus))
        again = RelevanceIndex(corpus, top_terms=20)
        asked = again.related(page, k=7, exclude={"p001", "p002"}, candidates=pool)
        assert asked == prepared.related(page, k=7, exclude={"p001", "p002"}, candidates=pool)
        assert again._postings is None
    assert RelevanceIndex(corpus, top_terms=20).related("empty") == []
    # The order both add a page's products in: each page's kept terms in
    # vocabulary order, as the vector's terms are.
    _, ids, _, starts = prepared._all()
    for row in range(len(corpus)):
        kept = ids[int(starts[row]) : int(starts[row + 1])].tolist()
        assert kept == sorted(set(kept))


def test_postings_are_built_once_a_run_asks_about_many_pages() -> None:
    from linklint import relevance

    corpus = _corpus(random.Random(5), 40, 90)
    index, prepared = RelevanceIndex(corpus), RelevanceIndex(corpus)
    prepared.prepare()
    pages = sorted(corpus)
    first = pages[: relevance._QUERIES_WITHOUT_POSTINGS]
    for page in first:
        assert index.related(page, 3) == prepared.related(page, 3)
    assert index._postings is None
    assert index.related(first[-1], 5) == prepared.related(first[-1], 5)  # the last page's scores, kept
    assert index._postings is None
    after = pages[len(first)]
    assert index.related(after, 3) == prepared.related(after, 3)
    assert index._postings is not None
