"""Term counts of a site as arrays: canonical form, merging, storage."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from linklint.termtable import TermTable

COUNTS = {
    "posts/b.md": {"zebra": 2, "apple": 1, "mango": 4},
    "posts/a.md": {"mango": 1, "kiwi": 3},
    "empty.md": {},
}


def test_the_table_is_canonical() -> None:
    table = TermTable.from_counts(COUNTS)
    assert table.paths == ["empty.md", "posts/a.md", "posts/b.md"]
    assert table.vocab == ["apple", "kiwi", "mango", "zebra"]
    assert table.starts.tolist() == [0, 0, 2, 5]
    assert table.ids.tolist() == [1, 2, 0, 2, 3]  # each page's terms in vocabulary order
    assert table.counts.tolist() == [3, 1, 1, 4, 2]
    assert table.counts_of("posts/b.md") == {"apple": 1, "mango": 4, "zebra": 2}
    assert table.as_dict() == {path: dict(sorted(c.items())) for path, c in sorted(COUNTS.items())}
    # The order counts come in does not matter.
    shuffled = {path: dict(reversed(list(c.items()))) for path, c in reversed(list(COUNTS.items()))}
    assert TermTable.from_counts(shuffled) == table


def test_counts_below_one_and_their_terms_are_left_out() -> None:
    table = TermTable.from_counts({"a.md": {"x": 0, "y": 2}, "b.md": {"z": -1}})
    assert table.vocab == ["y"]
    assert table.as_dict() == {"a.md": {"y": 2}, "b.md": {}}


def test_merging_keeps_rows_and_adds_new_counts() -> None:
    table = TermTable.from_counts(COUNTS)
    merged = table.merged(["posts/a.md", "posts/b.md"], {"posts/b.md": {"fig": 1}, "new.md": {"kiwi": 5}})
    assert merged.as_dict() == {"new.md": {"kiwi": 5}, "posts/a.md": {"kiwi": 3, "mango": 1}, "posts/b.md": {"fig": 1}}
    # "apple" and "zebra" left with the old posts/b.md: not in the vocabulary any more.
    assert merged.vocab == ["fig", "kiwi", "mango"]
    assert merged == TermTable.from_counts(merged.as_dict())
    assert table.merged([], {"x.md": {"a": 1}}).as_dict() == {"x.md": {"a": 1}}


def test_tables_of_parsing_tasks_combine_into_the_table_of_all_counts() -> None:
    import random

    rng = random.Random(7)
    words = [f"w{n:03d}" for n in range(300)] + ["Über", "é", "z"]
    everything = {
        f"p{n:04d}.md": {w: rng.randint(1, 9) for w in rng.sample(words, rng.randint(0, 40))} for n in range(400)
    }
    whole = TermTable.from_counts(everything)
    paths = list(everything)
    rng.shuffle(paths)  # any order: the tables' rows interleave
    cuts = [0, *sorted(rng.sample(range(1, len(paths)), 11)), len(paths)]
    chunks = [TermTable.from_counts({p: everything[p] for p in paths[a:b]}) for a, b in zip(cuts, cuts[1:])]
    combined = TermTable.combined(chunks)
    assert combined == whole  # the same arrays, dtypes included
    assert combined.starts.dtype == whole.starts.dtype and combined.ids.dtype == whole.ids.dtype
    assert combined.counts.dtype == whole.counts.dtype
    # With tables of no page or no term.
    nothing = TermTable.from_counts({})
    assert TermTable.combined([nothing, *chunks, TermTable.from_counts({"zz.md": {}})]) == TermTable.from_counts({**everything, "zz.md": {}})
    assert TermTable.combined([chunks[0]]) is chunks[0]
    assert TermTable.combined([]) == nothing
    with pytest.raises(ValueError):
        TermTable.combined([chunks[0], chunks[0]])


def test_tables_in_path_order_combine_as_the_whole_table() -> None:
    """Tables of parsing tasks that took the pages in the site's order (the
    large pages first) join into the table of all counts, as any order does:
    the same arrays, pages of no term among them."""
    import random

    rng = random.Random(11)
    words = [f"w{n:03d}" for n in range(200)]
    everything = {f"p{n:04d}.md": {w: rng.randint(1, 9) for w in rng.sample(words, rng.randint(0, 30))} for n in range(300)}
    everything["p0007.md"] = everything["p0150.md"] = {}
    whole = TermTable.from_counts(everything)
    paths = list(everything)  # path order
    cuts = [0, 1, 2, *range(10, 300, 37), 300]
    in_order = [TermTable.from_counts({p: everything[p] for p in paths[a:b]}) for a, b in zip(cuts, cuts[1:])]
    assert TermTable.combined(in_order) == whole
    # Two large pages first, the rest in order.
    large = ["p0200.md", "p0013.md"]
    rest = [p for p in paths if p not in large]
    tasks = [[p] for p in large] + [rest[a : a + 50] for a in range(0, len(rest), 50)]
    assert TermTable.combined([TermTable.from_counts({p: everything[p] for p in task}) for task in tasks]) == whole


def test_a_stored_table_reads_back_equal() -> None:
    table = TermTable.from_counts(COUNTS)
    back = TermTable.from_stored(pickle.loads(pickle.dumps(table.as_stored())))
    assert back == table
    assert back.df.tolist() == table.df.tolist() == _pages_per_term(table) == [1, 1, 2, 1]
    assert back.counts_of("posts/a.md") == {"kiwi": 3, "mango": 1}
    empty = TermTable.from_counts({})
    assert TermTable.from_stored(empty.as_stored()) == empty


def _damaged(kind: str) -> object:
    paths, vocab, starts, ids, counts = TermTable.from_counts(COUNTS).as_stored()

    def arr(values, dtype) -> bytes:
        return np.asarray(values, dtype=dtype).tobytes()

    if kind == "not a tuple":
        return [paths, vocab, starts, ids, counts]
    if kind == "paths out of order":
        return (tuple(reversed(paths)), vocab, starts, ids, counts)
    if kind == "vocabulary out of order":
        return (paths, tuple(reversed(vocab)), starts, ids, counts)
    if kind == "a path that is no string":
        return (paths[:-1] + (7,), vocab, starts, ids, counts)
    if kind == "cut bytes":
        return (paths, vocab, starts, ids[:-1], counts)
    if kind == "starts past the end":
        return (paths, vocab, arr([0, 0, 2, 6], "<i8"), ids, counts)
    if kind == "a term out of the vocabulary":
        return (paths, vocab, starts, arr([1, 2, 0, 2, 9], "<i4"), counts)
    if kind == "terms out of order in a page":
        return (paths, vocab, starts, arr([2, 1, 0, 2, 3], "<i4"), counts)
    if kind == "a count of zero":
        return (paths, vocab, starts, ids, arr([3, 1, 0, 4, 2], "<i4"))
    if kind == "an unused term":
        return (paths, vocab + ("zzz",), starts, ids, counts)
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "not a tuple",
        "paths out of order",
        "vocabulary out of order",
        "a path that is no string",
        "cut bytes",
        "starts past the end",
        "a term out of the vocabulary",
        "terms out of order in a page",
        "a count of zero",
        "an unused term",
    ],
)
def test_a_damaged_stored_table_is_refused(kind: str) -> None:
    assert TermTable.from_stored(_damaged(kind)) is None


def test_terms_out_of_order_across_a_page_boundary_are_fine() -> None:
    # posts/a.md ends with "mango" (2), posts/b.md starts with "apple" (0).
    table = TermTable.from_counts(COUNTS)
    assert table.ids.tolist()[1:3] == [2, 0]
    assert TermTable.from_stored(table.as_stored()) == table


def _pages_per_term(table: TermTable) -> list[int]:
    """Each term's pages, counted entry by entry: what ``df`` must hold."""
    return np.bincount(table.ids.astype(np.int64), minlength=len(table.vocab)).tolist()


def _rows_before_filled(table: TermTable) -> list[tuple[list[int], list[int]]]:
    """Each row's term places and counts as ``entries`` gives them, read
    before anything copies the table's entries (a spliced table copies them
    only when all are asked for)."""
    rows = [tuple(part.tolist() for part in table.entries(row)) for row in range(len(table))]
    assert not table.filled  # reading rows copied nothing
    return rows  # type: ignore[return-value]


def _rows(table: TermTable) -> list[tuple[list[int], list[int]]]:
    starts = table.starts.tolist()
    return [(table.ids[a:b].tolist(), table.counts[a:b].tolist()) for a, b in zip(starts, starts[1:])]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("at_once", [3, 1 << 20])
def test_replacing_rows_of_the_same_pages_equals_counting_from_scratch(seed: int, at_once: int, monkeypatch) -> None:
    """Also each term's pages, carried over from the table replaced (with
    the entries counted and renumbered a few at a time, and all at once)."""
    import random

    import linklint.termtable as termtable

    monkeypatch.setattr(termtable, "_ENTRIES_AT_ONCE", at_once)

    rng = random.Random(seed)
    words = [f"w{i:03}" for i in range(120)]
    before = {f"p{i:03}.md": {w: rng.randint(1, 4) for w in rng.sample(words, rng.randint(0, 30))} for i in range(60)}
    table = TermTable.from_counts(before)
    after = dict(before)
    changed = {}
    for path in rng.sample(sorted(before), rng.randint(1, 5)):
        counts = {w: c for w, c in before[path].items() if rng.random() < 0.7}  # terms leave, maybe for good
        counts[rng.choice(words)] = 2
        if rng.random() < 0.5:
            counts[f"brand-new-{seed}"] = 1  # a term no page had
        changed[path] = after[path] = counts
    table = TermTable.from_stored(table.as_stored())  # as a pre-commit run has it
    merged = table.merged([p for p in before if p not in changed], changed)
    assert _rows_before_filled(merged) == _rows(TermTable.from_counts(after))
    assert merged == TermTable.from_counts(after)
    assert merged.filled
    assert merged.as_dict() == {p: dict(sorted(c.items())) for p, c in sorted(after.items())}
    assert merged.df.dtype == np.int64 and merged.df.tolist() == _pages_per_term(merged)
    assert merged.df.tolist() == TermTable.from_counts(after).df.tolist()
    assert not merged.df.flags.writeable  # shared with the relevance index


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("at_once", [3, 1 << 20])
def test_pages_added_dropped_and_replaced_equal_counting_from_scratch(seed: int, at_once: int, monkeypatch) -> None:
    """A stored table merged with a run's pages when pages came, went and
    changed: a few changes are spliced into the stored arrays, many merged
    by sorting every entry; both equal the table counted from scratch, and
    so do each term's pages."""
    import random

    import linklint.termtable as termtable

    monkeypatch.setattr(termtable, "_ENTRIES_AT_ONCE", at_once)
    rng = random.Random(seed)
    words = [f"w{i:03}" for i in range(150)]

    def page() -> dict[str, int]:
        return {w: rng.randint(1, 3) for w in rng.sample(words, rng.randint(0, 25))}

    before = {f"p{i:03}.md": page() for i in range(0, 160, 2)}
    before["p077.md"] = {"w001": 1, "used-here-only": 3}
    table = TermTable.from_stored(TermTable.from_counts(before).as_stored())
    many = seed % 4 == 3  # past one change in eight: merged by sorting
    dropped = set(rng.sample(sorted(before), 30 if many else rng.randint(0, 4)))
    if seed % 2 == 0:
        dropped.add("p077.md")  # its term leaves
    changed = {path: page() for path in rng.sample(sorted(set(before) - dropped), rng.randint(0, 3))}
    if seed % 3 == 0:
        changed[rng.choice(sorted(set(before) - dropped))] = {f"only-{seed}": 2}  # its old terms may leave
    new = {f"p{i:03}.md": page() for i in rng.sample(range(1, 161, 2), rng.randint(0, 4))}
    new.update({"000-first.md": page(), "zzz-last.md": {"zzzz": 1}} if seed % 2 else {})
    kept = [path for path in before if path not in dropped]
    merged = table.merged(kept, {**changed, **new})
    after = {**{path: before[path] for path in kept}, **changed, **new}
    if not many:  # spliced: rows read one by one before the entries are copied
        assert _rows_before_filled(merged) == _rows(TermTable.from_counts(after))
    assert merged == TermTable.from_counts(after)
    assert merged.df.tolist() == _pages_per_term(merged)


@pytest.mark.parametrize("at_once", [2, 1 << 20])
def test_replacing_rows_at_the_edges_equals_counting_from_scratch(at_once: int, monkeypatch) -> None:
    """The same pages, new counts for some: terms arriving before and after
    every other, a term's last use leaving, a page emptied, a table with no
    entries; the dtypes those of a table counted from scratch."""
    import linklint.termtable as termtable

    monkeypatch.setattr(termtable, "_ENTRIES_AT_ONCE", at_once)
    before = {"a.md": {"kiwi": 2, "only-here": 1}, "b.md": {"kiwi": 1, "mango": 3}, "c.md": {"mango": 1}}
    table = TermTable.from_counts(before)
    edited = {"a.md": {"kiwi": 1, "aaa": 2}, "c.md": {}, "b.md": {"mango": 3, "zzz": 1}}
    merged = table.merged(sorted(before), edited)
    expected = TermTable.from_counts({**before, **edited})
    assert merged == expected
    assert merged.vocab == ["aaa", "kiwi", "mango", "zzz"]
    assert (merged.starts.dtype, merged.ids.dtype, merged.counts.dtype) == (expected.starts.dtype, expected.ids.dtype, expected.counts.dtype)
    assert merged.df.tolist() == _pages_per_term(merged) == [1, 1, 1, 1]  # "only-here" left
    assert table.merged(sorted(before), {"b.md": before["b.md"]}) == table
    empty = TermTable.from_counts({"a.md": {}, "b.md": {}})
    assert empty.merged(["a.md", "b.md"], {"b.md": {"x": 2}}).df.tolist() == [1]
    assert empty.merged(["a.md", "b.md"], {"b.md": {"x": 2}}) == TermTable.from_counts({"a.md": {}, "b.md": {"x": 2}})




def test_a_new_page_just_before_a_dropped_or_replaced_one_is_spliced_in_order() -> None:
    """New pages whose place is a changed row's: before a page that went,
    before one replaced, at the start (where the first page went) and at
    the end; a term leaving with the page that went."""
    before = {"a.md": {"apple": 1}, "c.md": {"cherry": 2, "kiwi": 1}, "e.md": {"kiwi": 3}, "g.md": {"fig": 1}}
    table = TermTable.from_counts(before)
    extra = {"0.md": {"kiwi": 1}, "b.md": {"banana": 1}, "d.md": {"date": 4}, "e.md": {"elder": 1}, "h.md": {"kiwi": 2}}
    merged = table.merged(["g.md"], extra)  # a.md and c.md went
    expected = TermTable.from_counts({"g.md": before["g.md"], **extra})
    assert _rows_before_filled(merged) == _rows(expected)
    assert merged == expected
    assert merged.paths == ["0.md", "b.md", "d.md", "e.md", "g.md", "h.md"]
    assert merged.vocab == ["banana", "date", "elder", "fig", "kiwi"]
    assert merged.df.tolist() == _pages_per_term(merged) == [1, 1, 1, 1, 2]


def test_a_spliced_table_copies_runs_of_rows_from_both_tables_in_order() -> None:
    """New pages first, between kept ones (right after a new one too) and
    last, with the vocabulary grown (every kept entry renumbered) and a term
    leaving: the entries copied when first asked for are the rows in order."""
    before = {f"p{i}.md": {"mango": i + 1, f"t{i}": 1} for i in range(1, 9)}
    table = TermTable.from_stored(TermTable.from_counts(before).as_stored())
    extra = {"a.md": {"aaa": 1}, "p0.md": {"mango": 2}, "p45.md": {"kiwi": 3}, "p46.md": {"zzz": 1}, "p6.md": {"mango": 1}, "q.md": {"t1": 2}}
    kept = [path for path in before if path != "p3.md"]  # p3.md went, and its term t3
    merged = table.merged(kept, extra)
    expected = TermTable.from_counts({**{path: before[path] for path in kept}, **extra})
    assert merged.vocab == expected.vocab and "t3" not in merged.vocab and "aaa" in merged.vocab
    assert merged.counts_of("p45.md") == {"kiwi": 3} and merged.counts_of("p7.md") == {"mango": 8, "t7": 1}
    assert not merged.filled
    assert _rows(merged) == _rows(expected)
    assert merged.filled and merged == expected


def test_a_spliced_table_spliced_again_reads_its_rows_where_they_are() -> None:
    """A merged table merged again (another edit in the same run) takes off
    the replaced row's terms without copying the first splice's entries."""
    before = {f"p{i}.md": {"mango": i + 1, f"t{i}": 1} for i in range(1, 9)}
    table = TermTable.from_stored(TermTable.from_counts(before).as_stored())
    first = table.merged(list(before), {"p2.md": {"kiwi": 1}, "p25.md": {"t2": 4}})
    assert not first.filled
    second = first.merged(first.paths, {"p25.md": {"zzz": 2}, "p7.md": {"mango": 1}})
    assert not first.filled  # its rows were read one by one
    expected = {**before, "p2.md": {"kiwi": 1}, "p25.md": {"zzz": 2}, "p7.md": {"mango": 1}}
    assert _rows_before_filled(second) == _rows(TermTable.from_counts(expected))
    assert second.df.tolist() == _pages_per_term(second)
    assert second == TermTable.from_counts(expected)
