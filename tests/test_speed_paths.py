"""The short cuts that make big sites fast give the same answers as the long way:
a reused whole-run report, rules run in worker processes, terms counted while
parsing, the trigram shortlist for "did you mean", the per-word lemma memo."""

from __future__ import annotations

import difflib
import heapq
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

import pytest

import linklint.document
import linklint.engine as engine
import linklint.snapshot as snapshot
from linklint.cache import CACHE_DIR, ParseCache
from linklint.config import load_config
from linklint.engine import Selection, check
from linklint.names import NameIndex
from linklint.rules import specs
from linklint.sites import PROFILE_NAMES
from tests.site_helpers import cli_in_subprocess, modules_after_cli, run_site, write_settled

SALT = "max_file_size=5000000"
HOUR_AGO = time.time() - 3600

SITE = {
    "README.md": "# Home\n\nStart with [the guide](guide.md) or [a lost page](lost.md).\n",
    "guide.md": "# The guide\n\n## Soil\n\nRead [the basics](basics.md#soil) and [the missing bit](basics.md#nope).\n",
    "basics.md": "# Basics\n\n## Soil\n\nGood soil, [click here](guide.md).\n",
    "orphan.md": "# An orphan\n\nNobody links here; it links to [the guide](guide.md).\n",
}


def make_site(root: Path, files: dict[str, str] = SITE, age: float = HOUR_AGO) -> None:
    write_settled(root, files, age)


def run(root: Path, *, reuse: bool = True, jobs: int | None = None, **kwargs):
    config = load_config(root, specs(), profiles=PROFILE_NAMES)
    cache = ParseCache(root, SALT)
    return check(root, config, cache=cache, reuse=reuse, jobs=jobs, **kwargs)


def facts(report) -> list[tuple]:
    return [(v.code, v.path, v.span.line, v.span.column, v.message, v.suggestions, v.fix) for v in report.violations]


# -- reusing a whole run's report ------------------------------------------------------


def test_an_identical_run_reuses_the_report(tmp_path: Path) -> None:
    make_site(tmp_path)
    first = run(tmp_path)
    assert first.site is not None
    assert [(v.code, v.path, v.span.line, v.span.column) for v in first.report.violations] == [
        ("LL001", "README.md", 1, 1),
        ("LL003", "README.md", 3, 37),
        ("LL001", "basics.md", 1, 1),
        ("LL006", "basics.md", 5, 12),
        ("LL001", "guide.md", 1, 1),
        ("LL004", "guide.md", 5, 39),
        ("LL001", "orphan.md", 1, 1),
        ("LL007", "orphan.md", 1, 1),
    ]
    second = run(tmp_path)
    assert second.site is None  # answered from the stored report
    assert facts(second.report) == facts(first.report)
    assert second.report.texts == first.report.texts
    assert run(tmp_path, reuse=False).site is not None


@pytest.mark.parametrize(
    "change",
    ["edit a page", "add a file", "remove a file", "change the config", "other options"],
)
def test_any_change_of_input_runs_again(tmp_path: Path, change: str) -> None:
    make_site(tmp_path)
    run(tmp_path)
    kwargs = {}
    if change == "edit a page":
        make_site(tmp_path, {"README.md": "# Home\n\nStart with [the guide](guide.md).\n"})
    elif change == "add a file":
        make_site(tmp_path, {"lost.md": "# Found\n\n[Home](README.md)\n"})
    elif change == "remove a file":
        (tmp_path / "orphan.md").unlink()
    elif change == "change the config":
        make_site(tmp_path, {".linklint.yaml": "rules:\n  min-internal-links: {min: 1}\n"})
    else:
        kwargs = {"selection": Selection(["LL003"])}
    again = run(tmp_path, **kwargs)
    assert again.site is not None  # worked out anew
    fresh = run(tmp_path, reuse=False, **kwargs)
    assert facts(again.report) == facts(fresh.report)


def test_a_result_depending_on_just_changed_files_is_not_stored(tmp_path: Path) -> None:
    # A file changed a moment ago may change again within its timestamp tick.
    make_site(tmp_path, age=time.time())
    run(tmp_path)
    assert run(tmp_path).site is not None
    make_site(tmp_path)  # now an hour old: settled
    run(tmp_path)
    assert run(tmp_path).site is None


def test_a_damaged_stored_report_is_ignored(tmp_path: Path) -> None:
    make_site(tmp_path)
    first = run(tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / CACHE_DIR).glob("??/*")}
    run(tmp_path)
    for entry in before:
        entry.write_bytes(b"\0garbage")
    again = run(tmp_path)
    assert again.site is not None
    assert facts(again.report) == facts(first.report)


def test_no_cache_never_reuses(tmp_path: Path) -> None:
    make_site(tmp_path)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    for _ in range(2):
        assert check(tmp_path, config, cache=None, reuse=True).site is not None


# -- worker processes --------------------------------------------------------------------


def test_rules_in_worker_processes_find_the_same(tmp_path: Path) -> None:
    rng = random.Random(3)
    files = {"README.md": "# Home\n\n" + "".join(f"[Post {n}](posts/p{n}.md)\n" for n in range(0, 40, 3))}
    for n in range(40):
        fragment = "nope" if n % 7 == 0 else "soil"
        links = " ".join(f"[post {m} on soil](p{m}.md#{fragment})" for m in rng.sample(range(45), 3))
        files[f"posts/p{n}.md"] = f"# Post {n}\n\n## Soil\n\nCompost and soil notes. {links}\n\n[click here](p{n + 1}.md)\n"
    files["lonely.md"] = "# Lonely\n\nNo page links here.\n"
    make_site(tmp_path, files)
    one = run(tmp_path, reuse=False, jobs=1)
    two = run(tmp_path, reuse=False, jobs=2)
    assert len(one.report.violations) > 40
    assert facts(two.report) == facts(one.report)
    assert {v.code for v in one.report.violations} >= {"LL003", "LL004", "LL005", "LL006", "LL007"}


def test_rule_tasks_put_the_costly_pages_first_and_keep_the_others_in_the_sites_order() -> None:
    """A page with more inbound links than a whole task of typical pages is
    a task of its own, the most linked first; the others stay in the site's
    order (``share`` gives each process a run of neighbours)."""
    pages = [f"posts/p{n:02}.md" for n in range(40)] + ["pricing.md", "newsletter.md"]
    inbound: dict[str, list[None]] = {rel: [None] * 2 for rel in pages}
    inbound["newsletter.md"] = [None] * 500
    inbound["pricing.md"] = [None] * 90
    inbound["posts/p07.md"] = [None] * 33  # more than 16 tasks' pages of 2 links each
    inbound["posts/p08.md"] = [None] * 32  # as many
    del inbound["posts/p09.md"]  # no page links there
    rest = [rel for rel in pages if rel not in ("newsletter.md", "pricing.md", "posts/p07.md")]
    assert engine._rule_tasks(pages, inbound) == [["newsletter.md"], ["pricing.md"], ["posts/p07.md"], rest[:16], rest[16:32], rest[32:]]
    assert engine._rule_tasks([], {}) == []


def _worker_site(root: Path) -> None:
    rng = random.Random(5)
    files = {"README.md": "# Home\n\n" + "".join(f"[Post {n}](posts/p{n}.md)\n" for n in range(0, 30, 4))}
    for n in range(30):
        links = " ".join(f"[post {m}\tnotes](p{m}.md#{'nope' if m % 5 == 0 else 'soil'})" for m in rng.sample(range(34), 3))
        files[f"posts/p{n}.md"] = f"# Post {n}\n\n## Soil\n\nCompost and soil, é 😀. {links}\r\n\n[click here](p{n + 1}.md)\n"
    make_site(root, files)


@pytest.mark.parametrize(("fmt", "color"), [("text", False), ("text", True), ("github", False), ("json", False)])
def test_violations_are_printed_by_the_process_that_found_them(tmp_path: Path, monkeypatch, fmt: str, color: bool) -> None:
    """With ``prerendered`` each reported violation's text is made in the
    process that found it (this one and a forked worker, each marking what
    it made with its pid), and the report printed with those texts is the
    report printed without them."""
    from linklint.output import Prerendered, render

    _worker_site(tmp_path)
    plain = run(tmp_path, reuse=False, jobs=1)
    real_maker = Prerendered.maker

    def marked(self):
        make = real_maker(self)
        return lambda violation, sources: f"{os.getpid()}\0".encode() + make(violation, sources)

    monkeypatch.setattr(Prerendered, "maker", marked)
    monkeypatch.setattr(engine, "RULE_CHUNK", 1)  # tasks enough for both processes
    made = Prerendered(fmt, color)
    two = run(tmp_path, reuse=False, jobs=2, prerendered=made)
    assert facts(two.report) == facts(plain.report) and len(plain.report.violations) > 60
    texts = [made.get(v) for v in two.report.violations]
    assert None not in texts and len(made) == len(texts)
    makers = {text.split(b"\0")[0] for text in texts}
    assert str(os.getpid()).encode() in makers and len(makers) == 2  # this process and the worker
    unmarked = Prerendered(fmt, color)
    for violation, text in zip(two.report.violations, texts):
        unmarked.add(violation, text.split(b"\0", 1)[1])
    # Printing makes no text of its own when every violation has one.
    monkeypatch.setattr("linklint.output.text._block", None)
    monkeypatch.setattr("linklint.output.github.command", None)
    monkeypatch.setattr("linklint.output.json_format.violation_json", None)
    printed = render(two.report, fmt, color=color, prerendered=unmarked)
    monkeypatch.undo()
    assert printed == render(plain.report, fmt, color=color)


def test_one_process_prints_its_violations_too(tmp_path: Path) -> None:
    from linklint.output import Prerendered, render

    _worker_site(tmp_path)
    made = Prerendered("text", False)
    one = run(tmp_path, reuse=False, jobs=1, prerendered=made)
    assert len(made) == len(one.report.violations) > 60
    assert all(made.get(v) is not None for v in one.report.violations)
    assert render(one.report, "text", prerendered=made) == render(one.report, "text")


def test_only_violations_to_report_are_printed(tmp_path: Path) -> None:
    """A run on one path also checks the pages its links lead to (LL005
    reports at the links into a page) but prints only what it reports."""
    from linklint.output import Prerendered

    _worker_site(tmp_path)
    made = Prerendered("text", False)
    one = run(tmp_path, reuse=False, jobs=1, paths=["posts/p3.md"], prerendered=made)
    assert {v.path for v in one.report.violations} == {"posts/p3.md"}
    assert len(made) == len(one.report.violations)


def test_reported_paths_check_only_what_they_need(tmp_path: Path) -> None:
    make_site(tmp_path)
    whole = run(tmp_path, reuse=False)
    one = run(tmp_path, reuse=False, paths=["guide.md"])
    assert facts(one.report) == [f for f in facts(whole.report) if f[1] == "guide.md"]


@pytest.mark.parametrize("target_says", ["", "linklint:\n  disable: [anchor-text-variety]\n"])
def test_a_run_on_paths_heeds_the_settings_of_the_pages_it_does_not_report(tmp_path: Path, target_says: str) -> None:
    """The settings of a page a run on paths does not report on are worked
    out when a rule asks for them: the anchor-text rule runs on the page the
    post links to (it reports at the links into it), as that page's front
    matter says. A broken setting in a page not reported is not reported."""
    links = "".join(f"[the same words](target.md) again, {n}.\n\n" for n in range(2))
    files = {
        "target.md": f"---\ntitle: Target\n{target_says}---\n# Target\n",
        "a.md": f"# A\n\n{links}",
        "b.md": f"---\nlinklint: nonsense\n---\n# B\n\n{links}",
        "c.md": f"# C\n\n{links}[a](a.md) [b](b.md)\n",
    }
    whole = run_site(tmp_path, files, select=["LL005", "LL902"])
    one = run_site(tmp_path, select=["LL005", "LL902"], paths=["a.md"])
    expected = [("LL005", "a.md", 3, 1), ("LL005", "a.md", 5, 1)] if not target_says else []
    assert [f[:4] for f in facts(one.report)] == expected
    assert facts(one.report) == [f for f in facts(whole.report) if f[1] == "a.md"]
    assert ("LL902", "b.md", 2, 1) in [f[:4] for f in facts(whole.report)]


# -- "did you mean" over many names ----------------------------------------------------


def test_the_trigram_shortlist_keeps_difflibs_answer() -> None:
    rng = random.Random(11)
    words = ["soil", "compost", "tomato", "seed", "saving", "winter", "garden", "pruning", "roses", "beds"]
    names = {"-".join(rng.sample(words, rng.randint(2, 4))) + ".md" for _ in range(3000)}
    index = NameIndex(names)
    pool = sorted(names)
    for name in rng.sample(pool, 200):
        typo = name.replace("o", "0", 1).replace("-", "_", 1)
        # The best answer is always the same; the runners-up may differ among near-ties.
        assert index.close_matches(typo, 3, 0.6)[:1] == difflib.get_close_matches(typo, pool, 3, 0.6)[:1]


@pytest.mark.parametrize("seed", range(4))
def test_close_matches_answer_as_difflib_does(seed: int) -> None:
    """Same names in the same order as ``difflib.get_close_matches`` for
    every n and cutoff: ties of score broken by name, duplicates kept,
    short and empty words, names longer than difflib's autojunk limit."""
    from linklint.names import close_matches

    rng = random.Random(seed)
    letters = "aabbcde-_./"
    for _ in range(120):
        pool = ["".join(rng.choice(letters) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(0, 30))]
        pool += rng.sample(pool, min(len(pool), 3))  # duplicates
        if rng.random() < 0.1:
            pool.append("ab" * 120)  # 240 characters: difflib junks its popular characters
        word = "".join(rng.choice(letters) for _ in range(rng.randint(0, 10)))
        if rng.random() < 0.1:
            word = "ab" * 110 + "c"
        for n in (1, 2, 3, 5, 40):
            for cutoff in (0.0, 0.3, 0.6, 0.8, 1.0):
                assert close_matches(word, pool, n, cutoff) == difflib.get_close_matches(word, pool, n, cutoff), (word, pool, n, cutoff)
    with pytest.raises(ValueError):
        close_matches("a", ["a"], 0)
    with pytest.raises(ValueError):
        close_matches("a", ["a"], 3, 1.5)


def test_close_matches_stop_working_out_ratios_once_no_bound_can_win(monkeypatch) -> None:
    from linklint.names import close_matches

    calls = []
    ratio = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", lambda self: calls.append(self.a) or ratio(self))
    pool = ["posts/2019/compost-basics.md", "posts/2019/compost-basic.md", "posts/2020/compost-basics.md"]
    pool += [f"posts/20{year}/compost-notes-{i}.md" for year in (17, 18) for i in range(5)]
    expected = difflib.get_close_matches("posts/2019/compost-basics.mdx", pool, 2, 0.6)
    everything = len(calls)
    calls.clear()
    assert close_matches("posts/2019/compost-basics.mdx", pool, 2, 0.6) == expected
    assert everything >= len(pool) and len(calls) <= 4


@pytest.mark.parametrize("seed", range(3))
def test_did_you_mean_keeps_the_names_about_as_close_as_the_best(seed: int) -> None:
    """``closest``: names equal but for case first, then difflib's best
    matches within 0.1 of the best one, by the score that ranked them
    (difflib's ratio of the name to the word: it is not always the word's
    to the name), the word itself left out."""
    from linklint.suggest import closest

    # "a-year-of-mould.md" to the word: 0.83, within 0.1 of the best (0.90);
    # the word to it, 0.78.
    assert closest("a-year-of-tomato-old.md", ["a-year-of-bean.md", "a-year-of-mould.md", "a-year-of-tomato.md"]) == [
        "a-year-of-tomato.md",
        "a-year-of-mould.md",
    ]
    rng = random.Random(seed)
    stems = ["a-year-of-", "the-gentle-guide-to-", "how-to-label-a-", "tools-for-the-"]
    words = ["tomato", "mould", "bean", "weekend", "plot", "compost", "garlic", "shady-plum"]
    for _ in range(60):
        # At most SHORTLIST names: difflib compares them all.
        pool = sorted({rng.choice(stems) + rng.choice(words) + rng.choice(["", "-2", "-old"]) + ".md" for _ in range(12)})
        word = rng.choice(stems) + rng.choice(words) + rng.choice(["", "-new", "s"]) + ".md"
        ranked = sorted(((difflib.SequenceMatcher(None, name, word).ratio(), name) for name in pool), reverse=True)
        ranked = [(score, name) for score, name in ranked if score >= 0.6][:3]
        expected = [name for score, name in ranked if score >= ranked[0][0] - 0.1 and name != word]
        folded = [name for name in pool if name.lower() == word.lower() and name != word]
        assert closest(word, pool) == (folded + [name for name in expected if name not in folded])[:3], (word, pool)


def test_a_pages_version_is_told_per_folder_as_the_path_alone_tells_it() -> None:
    """``Suggester._version`` keeps what a folder's names say of its pages'
    version and answers each path as working it out from the path alone
    does (or as the generator does, where it keeps versions itself)."""
    from types import SimpleNamespace

    from linklint.suggest import _VERSION_FOLDER, Suggester

    def versions(path: str) -> tuple[str, ...]:
        return tuple(f for f in path.split("/")[:-1] if _VERSION_FOLDER.fullmatch(f))

    def without_versions(path: str) -> str:
        folders, _, name = path.rpartition("/")
        return "/".join([*(f for f in folders.split("/") if f and not _VERSION_FOLDER.fullmatch(f)), name])

    def docusaurus(path: str) -> tuple[str, str] | None:
        prefix = "versioned_docs/version-1.0/"
        return ("1.0", path[len(prefix) :]) if path.startswith(prefix) else None

    paths = [
        "a.md", "docs/a.md", "docs/b.md", "docs/v2.1/a.md", "docs/v2.1/b.md", "docs/V2.x/a.md",
        "v3/docs/latest/guide/a.md", "1.4/a.md", "docs/version-2.0/a.md", "latest/next/a.md",
        "docs/v2.1/", "a//b.md", "/x/a.md", "x/v1/../a.md", "release-1.4/a.md", "v1.md",
        "versioned_docs/version-1.0/a.md", "versioned_docs/version-1.0/v2.1/a.md",
    ]  # fmt: skip
    suggester = Suggester(SimpleNamespace(profile=SimpleNamespace(version_of=docusaurus)))  # type: ignore[arg-type]
    for path in paths * 2:  # the second time from what the first kept
        by_generator = docusaurus(path)
        expected = (
            (("1.0",), "\0" + by_generator[1]) if by_generator is not None else (versions(path), without_versions(path))
        )
        assert suggester._version(path) == expected, path
    assert suggester._version("docs/a.md") == ((), "docs/a.md")
    assert suggester._version("docs/v2.1/a.md") == (("v2.1",), "docs/a.md")
    assert suggester._version("a//b.md") == ((), "a/b.md")


@pytest.mark.parametrize(
    "paths, generator_versions, unversioned",
    [
        (["a.md", "docs/a.md", "docs/b.md", "docs/guide/c.md", "posts/2024/d.md"], False, True),
        (["a.md", "docs/a.md", "docs/v2.1/a.md", "docs/v2.1/b.md"], False, False),
        (["a.md", "docs/a.md", "latest/a.md"], False, False),
        (["a.md", "a//b.md", "a/b.md"], False, False),  # two paths of one page
        (["docs/a.md", "versioned_docs/version-1.0/a.md"], True, False),
        (["docs/a.md", "docs/b.md"], True, False),  # a generator's versions, none on these paths
    ],
)
def test_a_site_without_versions_gives_every_page_the_same_pool_as_asking_page_by_page(
    paths: list[str], generator_versions: bool, unversioned: bool
) -> None:
    """``pool_for`` and ``versions_of`` on a site with no version folders
    (told once from the folders, ``_unversioned``) answer as when each page's
    version is worked out (``_version``), which they do on any other site."""
    from types import SimpleNamespace

    from linklint.suggest import Suggester

    def docusaurus(path: str) -> tuple[str, str] | None:
        prefix = "versioned_docs/version-1.0/"
        return ("1.0", "docs/" + path[len(prefix) :]) if generator_versions and path.startswith(prefix) else None

    def suggester() -> Suggester:
        profile = SimpleNamespace(version_of=docusaurus, keeps_versions=lambda: generator_versions, is_partial=lambda p: False)
        documents = {p: SimpleNamespace(front_matter={"draft": p == "docs/b.md"}) for p in paths}
        site = SimpleNamespace(documents=documents, profile=profile)
        return Suggester(site)  # type: ignore[arg-type]

    told, page_by_page = suggester(), suggester()
    page_by_page._no_versions = False  # as on a site with versions
    assert told._unversioned() is unversioned
    for path in paths:
        assert told.pool_for(path) == page_by_page.pool_for(path), path
        assert told.versions_of(path) == page_by_page.versions_of(path), path
    assert told.pool_for(paths[0]) == frozenset(p for p in paths if p != "docs/b.md") or not unversioned


def _shortlist_one_set_at_a_time(names: list[str], word: str) -> list[str]:
    """The shortlist as first written, each candidate's trigram set compared
    in turn with the word's (the reference for the counted one)."""
    from linklint.names import _RARE, SHORTLIST, _trigrams

    grams_of = [_trigrams(name) for name in names]
    postings: dict[str, list[int]] = {}
    for number, grams in enumerate(grams_of):
        for gram in grams:
            postings.setdefault(gram, []).append(number)
    grams = _trigrams(word)
    rare = sorted((g for g in grams if g in postings), key=lambda g: (len(postings[g]), g))[:_RARE]
    found = {number for gram in rare for number in postings[gram]}
    scored = [(2 * len(grams & grams_of[n]) / (len(grams) + len(grams_of[n])), n) for n in found]
    best = heapq.nsmallest(SHORTLIST, scored, key=lambda item: (-item[0], item[1]))
    return sorted(names[number] for _, number in best)


def test_the_counted_shortlist_is_the_one_set_at_a_time() -> None:
    # Names made of few words share many trigrams: many ties at the cut, which
    # both must break by name.
    rng = random.Random(5)
    words = ["soil", "compost", "tomato", "seed", "saving", "winter", "garden", "pruning", "roses", "bed", "a", "x"]
    names = sorted({"-".join(rng.sample(words, rng.randint(1, 4))) + rng.choice([".md", ".png", "", "-2.md"]) for _ in range(2500)})
    # Names whose lower case is longer (İ), beyond the first plane, and with
    # bytes that were not UTF-8 (kept as surrogates).
    odd = ["İstanbul-soil.md", "\U0001f331-seed-saving.md", "caf\udce9-garden.md", "STRASSE-straße.md", "a", "ab"]
    names = sorted(set(names) | set(odd))
    index = NameIndex(names)
    queries = [rng.choice(names) for _ in range(150)] + odd[:4]
    queries = [q[: len(q) // 2] + rng.choice("o0_-zq") + q[len(q) // 2 + 1 :] for q in queries]
    queries += ["istanbul-soil.md", "\U0001f331-seed-savings.md", "caf\udce9-gardens.md", "zzzzqqqq", "ROSES-bed.md", "soil", "wint", "\0\0\0\0", "tomato-tomato-tomato.md"]
    for word in queries:
        assert index.shortlist(word) == _shortlist_one_set_at_a_time(names, word), word
    assert index.shortlist("zzzzqqqq") == []  # no trigram in common: nothing to compare
    assert len(index.shortlist("soil-seed.md")) == 12


def _index_arrays_by_sorting(names: list[str]) -> dict[str, object]:
    """``NameIndex``'s arrays as first built: the trigrams' codes sorted with
    their names' numbers (the reference for the numbering by table)."""
    import numpy as np

    from linklint.arrays import stable_order

    padded = [f"\0{name.lower()}\0" for name in names]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
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
    first = np.ones(len(codes), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (numbers[1:] != numbers[:-1])
    codes, numbers = codes[first], numbers[first]
    new_gram = np.ones(len(codes), dtype=bool)
    new_gram[1:] = codes[1:] != codes[:-1]
    starts = np.flatnonzero(new_gram)
    bounds = np.append(starts, len(codes))
    sizes = np.bincount(numbers, minlength=len(names))
    gram_numbers = np.repeat(np.arange(len(starts), dtype=np.int32), np.diff(bounds))
    return {
        "_grams": codes[starts],
        "_starts": bounds,
        "_postings": numbers.astype(np.int32),
        "_sizes": sizes,
        "_name_grams": gram_numbers[stable_order(numbers, len(names))],
        "_name_starts": np.concatenate(([0], np.cumsum(sizes))),
    }


@pytest.mark.parametrize(
    "letters",
    [
        "abcdefghijklmnopqrstuvwxyz0123456789-_.",  # the usual file names
        "aeiouéèàçß-.İ",  # accents, a letter whose lower case is two, few letters: the table
        "".join(map(chr, range(0x4E00, 0x4E00 + 200))) + "-.",  # more letters than the table takes: sorted
        "ab\udce9\U0001f331.",  # a byte that was not UTF-8, a letter beyond the first plane
    ],
)
def test_the_trigrams_numbered_by_table_are_those_numbered_by_sorting(letters: str) -> None:
    rng = random.Random(len(letters))
    names = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(1, 14))) for _ in range(1500)} | {"a", "ab", "abc"})
    index = NameIndex(names)
    index._index()
    import numpy as np

    from linklint.names import _trigram_ids

    # Places are 64-bit: each is multiplied by the number of names.
    assert _trigram_ids(np.array([0, 97, 98, 99, 0]), np.array([True, True, True]))[1].dtype == np.int64
    for name, expected in _index_arrays_by_sorting(index.names).items():
        built = getattr(index, name)
        assert built.dtype == expected.dtype, name
        assert built.tolist() == expected.tolist(), name


def test_a_query_stopped_halfway_leaves_no_marks(monkeypatch) -> None:
    """A query marks its candidates and trigrams in arrays the index keeps;
    one stopped halfway (an interrupt, a failure) must not leave marks that
    the next query would take for its own."""
    names = sorted({f"{a}-{b}-notes.md" for a in ("soil", "seed", "rose", "bed") for b in range(40)})
    index = NameIndex(names)
    word = "soil-12-note.md"
    expected = index.shortlist(word)
    with monkeypatch.context() as patched:
        patched.setattr(index, "_name_grams", index._name_grams[:1])  # the candidates' trigrams cannot be read
        with pytest.raises(IndexError):
            index.shortlist("rose-3-notes.md")
    assert not index._marked.any() and not index._has.any()
    assert index.shortlist(word) == expected == _shortlist_one_set_at_a_time(names, word)


def test_case_variants_and_short_words() -> None:
    index = NameIndex(["Guide.md", "guide.md", "a.md"] + [f"post-{n}.md" for n in range(100)])
    assert index.case_variants("GUIDE.md") == ["Guide.md", "guide.md"]
    assert index.case_variants("guide.md") == ["Guide.md"]
    assert index.close_matches("a.m", 1, 0.6) == ["a.md"]  # too short to shortlist: all names compared


# -- lemmas per word -----------------------------------------------------------------------


def _pipeline_lemmas(text: str) -> tuple[list[str], list[str]]:
    """Word and content lemmas of ``text`` straight from the spaCy pipeline."""
    from linklint import nlp

    pipeline = nlp.get_nlp("en")
    lemmatizer = pipeline.get_pipe(nlp._COMPONENT)
    words, content = [], []
    for token in pipeline(text.replace("\n", " ")):
        lexeme = pipeline.vocab[token.orth]
        if nlp._word_lemma(lexeme, token.lemma_, lemmatizer.stop_words) is not None:
            words.append(token.lemma_)
        if nlp._content_lemma(lexeme, token.lemma_, lemmatizer.stop_words) is not None:
            content.append(token.lemma_)
    return words, content


def test_word_memo_gives_the_pipelines_tokens() -> None:
    from linklint import nlp

    text = (
        "Don't stop—e-mail me at a@b.com or visit https://x.com/a?b=1 now!! 3.5kg U.S.A. "
        "(and) “quoted” 'x' ... Running dogs' bowls; the APIs/webhooks: naïve café\tcoöperation\n"
        "Linking Links linked 2024-01-02 #hash @user 😀 C++ .NET well-known"
    )
    words, content = _pipeline_lemmas(text)
    assert nlp.content_terms(text) == content
    assert nlp.lemmas(text) == words
    assert nlp.content_terms(text) == nlp.content_terms(text)  # from the memo the second time


@pytest.mark.parametrize("batch_size", [1, 7, 40, 100_000])
def test_pieces_tokenised_together_get_the_tokens_they_get_alone(batch_size: int) -> None:
    from linklint import nlp

    pieces = (
        "Don't e-mail: a@b.com https://x.com/a?b=1 now!! 3.5kg U.S.A. (and) “quoted” 'x' ... dogs' "
        "APIs/webhooks naïve coöperation Linking 2024-01-02 #hash @user 😀 C++ .NET well-known "
        "- -- ( ) ) 's n't cannot gonna :) :-) e.g. i.e. 10km $5 5$ 10:30am ☃ a-b-c foo... ...bar"
    ).split()
    pipeline = nlp.get_nlp("en")
    together = nlp._pipeline_tokens(pieces, "en", batch_size)
    for piece in pieces:
        alone = [(t.idx, t.idx + len(t.text), t.lemma_) for t in pipeline(piece)]
        assert [token[:3] for token in together[piece]] == alone, piece
    lemmas = {piece: tuple(t[2] for t in together[piece] if t[3] & nlp.WORD) for piece in pieces}
    content = {piece: tuple(t[2] for t in together[piece] if t[3] & nlp.CONTENT) for piece in pieces}
    assert (lemmas["Don't"], lemmas["cannot"], lemmas["..."], lemmas["APIs/webhooks"]) == (("do", "not"), ("can", "not"), (), ("api", "webhook"))
    assert (content["Don't"], content["cannot"], content["APIs/webhooks"]) == ((), (), ("api", "webhook"))


# -- reusing the printout -------------------------------------------------------------


def test_an_identical_command_reprints_without_checking(tmp_path: Path, monkeypatch, capsys) -> None:
    from linklint.cli import main

    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "concise"]) == 1
    first = capsys.readouterr().out
    assert "README.md:3:37: LL003" in first

    checked = []
    real_check = engine.check

    def counting_check(*args, **kwargs):
        checked.append(kwargs.get("paths"))
        return real_check(*args, **kwargs)

    monkeypatch.setattr(engine, "check", counting_check)
    assert main(["check", "--format", "concise"]) == 1
    assert capsys.readouterr().out == first
    assert checked == []
    # Another format is another printout (from the stored report).
    assert main(["check", "--format", "json"]) == 1
    assert checked == [None]
    assert '"code": "LL003"' in capsys.readouterr().out
    # A changed site is checked again.
    make_site(tmp_path, {"lost.md": "# Found\n"})
    assert main(["check", "--format", "concise"]) == 1
    assert "README.md:3:37: LL003" not in capsys.readouterr().out
    assert len(checked) == 2


def test_the_printout_goes_out_as_its_bytes_where_the_text_would_be_those_bytes() -> None:
    import io

    from linklint.output import write_printout

    # A file name Git gave as bytes that are not UTF-8 comes through as a surrogate.
    printout = "a.md:1:1: “naïve” \udcff.md\n".encode("utf-8", "surrogateescape")
    for errors in ("surrogateescape", "strict"):
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding="UTF8", errors=errors)
        stream.write("first\n")  # written before: stays before
        write_printout(stream, printout)
        stream.flush()
        assert raw.getvalue() == b"first\n" + printout
    # Where the text would become other bytes, it is written as text.
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace")
    write_printout(stream, printout)
    stream.flush()
    assert raw.getvalue() == "a.md:1:1: “naïve” \\udcff.md\n".encode()
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1", errors="replace")
    write_printout(stream, "“naïve”\n".encode())
    stream.flush()
    assert raw.getvalue() == "?naïve?\n".encode("latin-1")
    text = io.StringIO()
    write_printout(text, printout)
    assert text.getvalue() == "a.md:1:1: “naïve” \udcff.md\n"


def test_a_stored_printout_is_printed_byte_for_byte(tmp_path: Path) -> None:
    import subprocess
    import sys

    make_site(tmp_path, {"naïve.md": "# Naïve “quotes”\n\n[gone](gone.md)\n"})
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "linklint", "check", "--format", "concise"]
    runs = [subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, check=False) for _ in range(2)]
    cold, warm = runs
    assert (cold.returncode, warm.returncode) == (1, 1)
    assert "naïve.md:3:1: LL003".encode() in cold.stdout
    assert warm.stdout == cold.stdout
    written = subprocess.run([*command, "--output", "out.txt"], cwd=tmp_path, env=env, capture_output=True, check=False)
    assert (written.returncode, written.stdout) == (1, b"")
    assert (tmp_path / "out.txt").read_bytes() == cold.stdout


# -- the command's exit ------------------------------------------------------------------


def test_the_command_exits_at_once_with_its_output_and_code(tmp_path: Path) -> None:
    # `python -m linklint` ends with os._exit (no heap teardown): the output
    # must still be complete and the exit code right.
    import subprocess
    import sys

    make_site(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "linklint", "check", "--format", "concise", "--no-cache"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "README.md:1:1: LL001 links to 1 internal page; at least 3 expected"
    assert lines[-1] == "Found 2 errors and 6 warnings in 4 files."
    clean = subprocess.run(
        [sys.executable, "-m", "linklint", "check", "--select", "LL004", "--no-cache", "basics.md"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert (clean.returncode, clean.stderr) == (0, "")


# -- terms counted while loading ----------------------------------------------------------


def test_terms_come_with_the_pages_from_any_path(tmp_path: Path, monkeypatch) -> None:
    import linklint.loading as loading
    from linklint.terms import count_terms

    make_site(tmp_path)
    pages = sorted(SITE)
    fresh = loading.load_pages(tmp_path, pages, 5_000_000, jobs=1, terms_language="en")
    expected = {rel: count_terms(doc, "en") for rel, doc in fresh.documents.items()}
    assert fresh.terms == expected
    # Title, headings and prose; link texts are not prose.
    assert fresh.terms["guide.md"] == {"guide": 3, "soil": 2, "read": 1}

    # Documents cached by a run that did not count terms: counted now, in workers too.
    cache = ParseCache(tmp_path, SALT)
    loading.load_pages(tmp_path, pages, 5_000_000, cache=cache, jobs=1)
    monkeypatch.setattr(loading, "PARALLEL_MIN_PAGES", 1)
    later = loading.load_pages(tmp_path, pages, 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=2, terms_language="en")
    assert later.counts() == expected and later.documents == fresh.documents
    # ... and stored: the next run reads them.
    monkeypatch.setattr(loading, "_count_terms", None)  # would fail if called
    again = loading.load_pages(tmp_path, pages, 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=1, terms_language="en")
    assert again.counts() == expected


# -- spaCy only for new words ---------------------------------------------------------------

HEALTHY = {
    f"p{n}.md": f"# Page {n}\n\nNotes on soil. "
    + " ".join(f"[page {m} as page {n} sees it](p{m}.md)" for m in range(4) if m != n)
    + "\n"
    for n in range(4)
}


def _spacy_loaded_after(root: Path, args: list[str], another_spacy: bool = True) -> tuple[bool, str]:
    # By default with another spaCy than ``linklint.english``'s, whose
    # English has to come from spaCy itself.
    last, printed = cli_in_subprocess(root, args, another_spacy=another_spacy)
    return last.startswith("SPACY"), f"{printed}\n{last}\n"


def test_english_needs_no_spacy_while_its_data_matches_the_installed_one(tmp_path: Path) -> None:
    from linklint import english

    if english.data() is None:
        pytest.skip("english_data.py was written from another spaCy")
    make_site(tmp_path, HEALTHY)
    loaded, out = _spacy_loaded_after(tmp_path, ["check", "--format", "concise"], another_spacy=False)
    assert not loaded and "LL0" not in out
    make_site(tmp_path, {"p2.md": HEALTHY["p2.md"] + "\n[Click here](p0.md) for [CO₂](p0.md)\n"})
    loaded, out = _spacy_loaded_after(tmp_path, ["check", "--format", "concise", "p2.md"], another_spacy=False)
    assert not loaded and out == _spacy_loaded_after(tmp_path, ["check", "--format", "concise", "p2.md"])[1]
    assert "p2.md:5:1: LL006" in out


def test_a_pre_commit_run_with_known_anchor_texts_needs_no_spacy(tmp_path: Path) -> None:
    make_site(tmp_path, HEALTHY)
    loaded, out = _spacy_loaded_after(tmp_path, ["check", "--format", "concise"])
    assert loaded and "LL0" not in out  # the first run learns the anchor texts
    # An edit of prose only: every anchor text is known.
    make_site(tmp_path, {"p1.md": HEALTHY["p1.md"] + "\nMore notes on compost.\n"})
    loaded, out = _spacy_loaded_after(tmp_path, ["check", "--format", "concise", "p1.md"])
    assert (loaded, out.splitlines()[-1]) == (False, "NO-SPACY 0")
    # A new anchor text has to be lemmatised (LL005, LL006 compare lemmas):
    # words of letters by the lexicon, anything else by spaCy.
    make_site(tmp_path, {"p2.md": HEALTHY["p2.md"] + "\n[Click here](p0.md)\n"})
    loaded, out = _spacy_loaded_after(tmp_path, ["check", "--format", "concise", "p2.md"])
    assert not loaded and "p2.md:5:1: LL006" in out
    make_site(tmp_path, {"p2.md": HEALTHY["p2.md"] + "\n[Click here](p0.md) for [CO₂](p0.md)\n"})
    loaded, out = _spacy_loaded_after(tmp_path, ["check", "--format", "concise", "p2.md"])
    assert loaded and "p2.md:5:1: LL006" in out


# -- splitting destinations ---------------------------------------------------------------


def test_destinations_split_as_urlsplit_splits_them() -> None:
    import random
    from urllib.parse import urlsplit

    from linklint.sites.base import split_url as _split

    chosen = random.Random(7)
    alphabet = "ab/.#?:%[]@ \t\n\x01é"
    cases = ["a.md", "../x/y.md#h", "a?b#c", "#frag", "?q", "", "a#b#c", "a?b?c#d?e", "//host/x", "http://h/a#b", "a b.md"]
    cases += ["".join(chosen.choice(alphabet) for _ in range(chosen.randint(0, 9))) for _ in range(20_000)]
    refused = 0
    for case in cases:
        got: tuple = tuple(_split(case))
        try:
            want: tuple = tuple(urlsplit(case))
        except ValueError:
            # An unbalanced IPv6 bracket in the host: its parts as written.
            refused += 1
            assert "[" in got[1] or "]" in got[1], case
            continue
        assert got == want, case
    assert refused > 20
    assert _split("../x/y.md?v=1#part") == ("", "", "../x/y.md", "v=1", "part")
    assert _split("HTTP://[oops/x?q#f") == ("http", "[oops", "/x", "q", "f")
    assert _split(" //a]b\t/c#d") == ("", "a]b", "/c", "", "d")
    assert _split("mailto:[x") == urlsplit("mailto:[x")  # no host: urlsplit takes it


# -- parsing tasks ---------------------------------------------------------------------------


def test_parsing_tasks_take_the_large_pages_first_then_the_site_order(tmp_path: Path, monkeypatch) -> None:
    import linklint.loading as loading

    monkeypatch.setattr(loading, "CHUNK", 3)
    monkeypatch.setattr(loading, "CHUNK_BYTES", 100)
    monkeypatch.setattr(loading, "TAIL_TASKS", 0)
    monkeypatch.setattr(loading, "LARGE_PAGE_BYTES", 50)
    sizes = {"a.md": 10, "b.md": 60, "c.md": 40, "d.md": 250, "e.md": 5, "f.md": 30, "g.md": 20, "h.md": 1}
    for rel, size in sizes.items():
        (tmp_path / rel).write_bytes(b"x" * size)
    chunks = loading._parsing_tasks(tmp_path, [*sizes, "missing.md"])
    # The pages over 50 bytes first, the largest first (one over the byte
    # limit alone); then the others in the order given, up to 100 bytes
    # (60 + 10, then 40 + 5 + 30) or three pages (an unreadable page counts
    # 0 bytes).
    assert chunks == [["d.md"], ["b.md", "a.md"], ["c.md", "e.md", "f.md"], ["g.md", "h.md", "missing.md"]]
    # Without large pages, the order given throughout.
    monkeypatch.setattr(loading, "LARGE_PAGE_BYTES", 1000)
    assert loading._parsing_tasks(tmp_path, [*sizes, "missing.md"]) == [
        ["a.md", "b.md"],
        ["c.md"],
        ["d.md"],
        ["e.md", "f.md", "g.md"],
        ["h.md", "missing.md"],
    ]


def test_the_last_parsing_tasks_are_cut_smaller(tmp_path: Path, monkeypatch) -> None:
    import linklint.loading as loading

    monkeypatch.setattr(loading, "CHUNK", 4)
    monkeypatch.setattr(loading, "TAIL_TASKS", 2)
    monkeypatch.setattr(loading, "TAIL_PIECES", 3)
    pages = [f"p{n:02}.md" for n in range(15)]
    for n, rel in enumerate(pages):
        (tmp_path / rel).write_bytes(b"x" * (100 - n))  # p00 the largest
    chunks = loading._parsing_tasks(tmp_path, pages)
    # Tasks of four pages, the last two cut in three (two pages, then one,
    # and the last three pages one by one); every page once, in order.
    assert chunks == [
        ["p00.md", "p01.md", "p02.md", "p03.md"],
        ["p04.md", "p05.md", "p06.md", "p07.md"],
        ["p08.md", "p09.md"],
        ["p10.md", "p11.md"],
        ["p12.md"],
        ["p13.md"],
        ["p14.md"],
    ]
    assert loading._cut_the_last([["a.md"]]) == [["a.md"]]  # a single page stays whole
    assert loading._cut_the_last([]) == []


def test_parsing_tasks_size_pages_by_the_inventory(tmp_path: Path, monkeypatch) -> None:
    """The sizes the inventory found are used (no second stat of every page),
    except for a symlink, whose own size is not its page's."""
    import os
    import stat

    import linklint.loading as loading
    from linklint.discover import inventory

    monkeypatch.setattr(loading, "CHUNK", 1)
    monkeypatch.setattr(loading, "LARGE_PAGE_BYTES", 50)
    (tmp_path / "small.md").write_bytes(b"x" * 10)
    (tmp_path / "big.md").write_bytes(b"x" * 500)
    (tmp_path / "mid.md").write_bytes(b"x" * 100)
    os.symlink("big.md", tmp_path / "link.md")  # a 6-byte link to 500 bytes
    stamps = inventory(tmp_path).stamps
    assert stat.S_ISLNK(stamps["link.md"][2]) and stamps["link.md"][0] == 6
    pages = ["small.md", "big.md", "mid.md", "link.md"]
    assert loading._parsing_tasks(tmp_path, pages, stamps) == [["big.md"], ["link.md"], ["mid.md"], ["small.md"]]
    # What the inventory says is what counts: sizes as found before a change.
    stamps["small.md"] = (1000, *stamps["small.md"][1:])
    assert loading._parsing_tasks(tmp_path, pages, stamps)[0] == ["small.md"]


def test_pages_parsed_in_tasks_come_back_in_the_order_asked(tmp_path: Path, monkeypatch) -> None:
    import linklint.loading as loading
    from linklint.termtable import TermTable

    monkeypatch.setattr(loading, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(loading, "CHUNK", 2)
    pages = [f"p{n}.md" for n in range(9)]
    for n, rel in enumerate(pages):
        (tmp_path / rel).write_text(f"# Page {n}\n\n" + "Soil and compost notes. " * (n * 20 + 1), encoding="utf-8")
    one = loading.load_pages(tmp_path, pages, 5_000_000, jobs=1, terms_language="en")
    two = loading.load_pages(tmp_path, pages, 5_000_000, jobs=2, terms_language="en")
    assert list(two.documents) == list(two.counts()) == pages
    assert two.documents == one.documents and two.counts() == one.terms
    # Parsed in tasks, the counts come as one table per task, which join into
    # the table of the counts of one process. (Five tasks of two pages and
    # one, the last four cut in two: eight.)
    assert not two.terms and len(two.tables) == len(loading._parsing_tasks(tmp_path, pages)) == 8
    assert TermTable.combined(two.tables) == TermTable.from_counts(one.terms)


def test_pages_read_for_the_cache_are_not_read_again_to_parse(tmp_path: Path, monkeypatch) -> None:
    """With a cache that holds entries, this process reads every page once to
    look it up; its share of the parsing uses those bytes (the workers read
    their own)."""
    import linklint.loading as loading

    monkeypatch.setattr(loading, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(loading, "CHUNK", 1)
    pages = [f"p{n}.md" for n in range(12)]
    for n, rel in enumerate(pages):
        (tmp_path / rel).write_text(f"# Page {n}\n\nSoil and compost notes.\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("# Another page\n", encoding="utf-8")
    loading.load_pages(tmp_path, ["other.md"], 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=1)
    reads: list[str] = []
    real_read = loading.read_page
    monkeypatch.setattr(loading, "read_page", lambda root, rel: reads.append(rel) or real_read(root, rel))
    loaded = loading.load_pages(tmp_path, pages, 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=2)
    assert list(loaded.documents) == pages
    assert sorted(reads) == sorted(pages)


def test_an_empty_cache_is_not_looked_up_and_each_page_is_read_where_it_is_parsed(tmp_path: Path, monkeypatch) -> None:
    """A first run (nothing stored: a fresh clone, a cleared cache) has nothing
    to look up: this process does not read every page before the workers
    start; each page is read once, by the process that parses it, and stored."""
    import linklint.loading as loading
    from linklint.document import parse_document

    monkeypatch.setattr(loading, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(loading, "CHUNK", 1)
    pages = [f"p{n}.md" for n in range(12)]
    for n, rel in enumerate(pages):
        (tmp_path / rel).write_text(f"# Page {n}\n\n" + "Soil and compost notes. " * (n + 1), encoding="utf-8")
    log = tmp_path / "reads.log"  # the forked worker's reads are in its own memory
    real_read = loading.read_page

    def logged(root: Path, rel: str):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {rel}\n")
        return real_read(root, rel)

    def no_lookups(self, path, data):
        raise AssertionError("looked up in an empty cache")

    monkeypatch.setattr(loading, "read_page", logged)
    monkeypatch.setattr(ParseCache, "get", no_lookups)
    cache = ParseCache(tmp_path, SALT)
    assert cache.is_empty()
    loaded = loading.load_pages(tmp_path, pages, 5_000_000, cache=cache, jobs=2, terms_language="en")
    monkeypatch.undo()
    assert list(loaded.documents) == pages
    reads = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(rel for _, rel in reads) == sorted(pages)  # each page once
    assert len({pid for pid, _ in reads}) == 2  # by this process and by the worker
    assert not cache.is_empty()
    # Every page was stored, by whichever process parsed it.
    parsed: list[str] = []
    monkeypatch.setattr(linklint.document, "parse_document", lambda path, data, **kw: parsed.append(path) or parse_document(path, data, **kw))
    again = loading.load_pages(tmp_path, pages, 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=1, terms_language="en")
    assert parsed == [] and again.documents == loaded.documents and again.terms == loaded.counts()


def test_the_parsing_worker_starts_with_the_parser_imported(tmp_path: Path) -> None:
    """The worker is forked with markdown-it-py and linklint's parser already
    imported (this process needs them too), instead of importing them again
    at its first page. Run in a new Python: this one imported them long ago."""
    import subprocess

    for n in range(6):
        (tmp_path / f"p{n}.md").write_text(f"# Page {n}\n\nSoil and [compost](p0.md).\n", encoding="utf-8")
    program = f"""
import functools, json, os, sys
from pathlib import Path
import linklint.loading as loading
assert "markdown_it" not in sys.modules
loading.PARALLEL_MIN_PAGES, loading.CHUNK = 1, 1
parse_many = loading._parse_many
@functools.wraps(parse_many)
def recorded(*args, **kwargs):
    with open({str(tmp_path / "worker.log")!r}, "a") as log:
        log.write(json.dumps([os.getpid(), "markdown_it" in sys.modules, "linklint.document" in sys.modules]) + "\\n")
    return parse_many(*args, **kwargs)
loading._parse_many = recorded
root = Path({str(tmp_path)!r})
loaded = loading.load_pages(root, [f"p{{n}}.md" for n in range(6)], 5_000_000, jobs=2)
print(os.getpid(), len(loaded.documents))
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=True)
    parent, count = done.stdout.split()
    assert count == "6"
    tasks = [json.loads(line) for line in (tmp_path / "worker.log").read_text(encoding="utf-8").splitlines()]
    assert tasks and all(pid != int(parent) for pid, _, _ in tasks)
    assert tasks[0][1:] == [True, True]  # at the worker's first task, before it parsed anything


def test_a_whole_run_stores_its_snapshot_while_the_rule_worker_works(tmp_path: Path, monkeypatch) -> None:
    """The snapshot of a run on the whole site needs the loaded site, not the
    rules: this process stores it while a rule worker starts on the pages. A
    run on some paths reads pages as its rules ask: it stores after them."""
    _worker_site(tmp_path)
    monkeypatch.setattr(engine, "RULE_CHUNK", 1)  # tasks enough for both processes
    during: list[bool] = []
    real_update = engine._StoredSite.update_site

    def update_site(self, site) -> None:
        during.append(engine._ACTIVE is not None)
        real_update(self, site)

    monkeypatch.setattr(engine._StoredSite, "update_site", update_site)
    stored: list[dict] = []
    real_store = snapshot.store
    monkeypatch.setattr(snapshot, "store", lambda cache, key, taken: stored.append(taken.as_stored()) or real_store(cache, key, taken))
    real_run_all = engine._PageRules.run_all

    def stored_after_the_rules(self, jobs, meanwhile=None):
        found = real_run_all(self, jobs)
        if meanwhile is not None:
            meanwhile()
        return found

    with monkeypatch.context() as later:
        later.setattr(engine._PageRules, "run_all", stored_after_the_rules)
        plain = run(tmp_path, reuse=False, jobs=1)
    assert during == [False]
    shutil.rmtree(tmp_path / CACHE_DIR)
    two = run(tmp_path, reuse=False, jobs=2)
    assert during == [False, True]
    assert facts(two.report) == facts(plain.report)
    # The same snapshot as one stored after the rules.
    assert len(stored) == 2 and stored[0] == stored[1] and stored[0]["pages"]
    # A run on one post uses the snapshot (no page but the post read in full) ...
    loaded: list[str] = []
    real_load = engine.load_pages
    monkeypatch.setattr(engine, "load_pages", lambda root, pages, *a, **k: loaded.extend(pages) or real_load(root, pages, *a, **k))
    path_run = run(tmp_path, reuse=False, jobs=2, paths=["posts/p3.md"])
    assert loaded == ["posts/p3.md"] and path_run.report.violations
    # ... and stores nothing during its rules.
    assert during[2:] == [False]


# -- links resolved as pages come in ------------------------------------------------------


def test_every_loaded_page_is_handed_over_once_on_every_path(tmp_path: Path, monkeypatch) -> None:
    import linklint.loading as loading

    make_site(tmp_path)
    (tmp_path / "blank.md").write_bytes(b"\xff\xfe not text")  # parsed, with a problem
    pages = sorted([*SITE, "blank.md"])
    monkeypatch.setattr(loading, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(loading, "CHUNK", 2)
    for jobs, cache in ((1, None), (2, None), (2, ParseCache(tmp_path, SALT)), (1, ParseCache(tmp_path, SALT))):
        seen: list[str] = []
        loaded = loading.load_pages(tmp_path, pages, 5_000_000, cache=cache, jobs=jobs, terms_language="en", parsed=lambda doc: seen.append(doc.path))
        assert sorted(seen) == pages, (jobs, cache)  # the last run: every page from the cache
        assert list(loaded.documents) == pages


def _resolutions(monkeypatch) -> list[str]:
    """The pages whose links the site resolves itself (not as they loaded)."""
    from linklint.site import Site

    calls: list[str] = []
    real = Site._resolve_page
    monkeypatch.setattr(Site, "_resolve_page", lambda site, path: calls.append(path) or real(site, path))
    return calls


def test_a_plain_sites_links_are_resolved_as_its_pages_load(tmp_path: Path, monkeypatch) -> None:
    from linklint.sites.base import Profile

    make_site(tmp_path)
    calls = _resolutions(monkeypatch)
    early = run(tmp_path, reuse=False, jobs=1)
    assert calls == []
    assert early.site.targets == {path: early.site.resolver.page(doc) for path, doc in early.site.documents.items()}
    # The same report as a site that resolves after loading.
    monkeypatch.setattr(Profile, "links_need_documents", True)
    late = run(tmp_path, reuse=False, jobs=1)
    assert sorted(calls) == sorted(SITE)
    assert facts(late.report) == facts(early.report) and late.site.targets == early.site.targets
    # A run on a few paths takes the other pages from the stored site: as before.
    calls.clear()
    monkeypatch.setattr(Profile, "links_need_documents", False)
    few = run(tmp_path, reuse=False, jobs=1, paths=["guide.md"])
    assert facts(few.report) == [f for f in facts(early.report) if f[1] == "guide.md"]


def _loading_asked(monkeypatch) -> list[tuple[list[str], str | None, bool]]:
    """What each run asked ``load_pages`` for: the pages, the language to
    count terms in, whether links were resolved as pages came in."""
    asked: list[tuple[list[str], str | None, bool]] = []
    real = engine.load_pages

    def load_pages(root, pages, max_bytes, **kwargs):
        asked.append((list(pages), kwargs.get("terms_language"), kwargs.get("parsed") is not None))
        return real(root, pages, max_bytes, **kwargs)

    monkeypatch.setattr(engine, "load_pages", load_pages)
    return asked


@pytest.mark.parametrize("paths", [["."], [""], ["docs"], ["docs/"], ["docs/a.md", "docs/b.md", "docs/sub"]])
def test_paths_holding_every_page_load_the_site_as_a_run_on_the_whole_site(tmp_path: Path, monkeypatch, paths) -> None:
    """``linklint check .`` or ``check docs`` (the folder of every page)
    loads as ``linklint check`` does: terms counted and links resolved while
    the pages load, not afterwards one by one; the same report."""
    files = {
        "docs/a.md": "# A\n\nSee [b](b.md), [c](sub/c.md) and [gone](gone.md).\n",
        "docs/b.md": "# B\n\nBack to [a](a.md#nope).\n",
        "docs/sub/c.md": "# C\n\nUp to [a](../a.md).\n",
    }
    make_site(tmp_path, files)
    whole = run(tmp_path, reuse=False, jobs=1)
    asked = _loading_asked(monkeypatch)
    calls = _resolutions(monkeypatch)
    found = run(tmp_path, reuse=False, jobs=1, paths=paths)
    assert asked == [(sorted(files), "en", True)]
    assert calls == []
    assert facts(found.report) == facts(whole.report)
    assert [(v.code, v.path, v.span.line, v.span.column) for v in found.report.violations if v.code in ("LL003", "LL004")] == [
        ("LL003", "docs/a.md", 3, 34), ("LL004", "docs/b.md", 3, 9)
    ]


def test_a_run_on_some_pages_counts_terms_while_loading_only_without_a_stored_site(tmp_path: Path, monkeypatch) -> None:
    """With no stored site (a cold cache, ``--no-cache``) a run on some pages
    loads every page in full, and counts their terms as they load (the first
    related-page question needs them all); with one it loads the pages it
    reports on and counts nothing ahead."""
    files = {"docs/a.md": "# A\n\nSee [b](b.md).\n", "docs/b.md": "# B\n\nBack to [a](a.md).\n", "c.md": "# C\n"}
    make_site(tmp_path, files)
    asked = _loading_asked(monkeypatch)
    cold = run(tmp_path, reuse=False, jobs=1, paths=["docs"])
    assert asked == [(sorted(files), "en", False)]
    uncached = check(tmp_path, load_config(tmp_path, specs(), profiles=PROFILE_NAMES), cache=None, jobs=1, paths=["docs"])
    assert asked[1] == (sorted(files), "en", False)
    # The cold run stored the site: the next run on the same pages reads
    # only them, and counts terms only if a suggestion asks.
    asked.clear()
    warm = run(tmp_path, reuse=False, jobs=1, paths=["docs"])
    assert asked == [(["docs/a.md", "docs/b.md"], None, False)]
    assert facts(warm.report) == facts(cold.report) == facts(uncached.report)
    assert "LL001" in {v.code for v in cold.report.violations}  # a rule that suggests pages ran
    # No rule that suggests: nothing counted, stored site or not.
    asked.clear()
    check(tmp_path, load_config(tmp_path, specs(), profiles=PROFILE_NAMES), cache=None, jobs=1, paths=["docs"], selection=Selection(["LL003"]))
    assert asked == [(sorted(files), None, False)]


@pytest.mark.parametrize("jobs, cached", [(1, False), (2, False), (2, True)])
def test_links_into_pages_gathered_as_pages_load_equal_the_one_pass_map(tmp_path: Path, monkeypatch, jobs: int, cached: bool) -> None:
    """Pages loaded in any order (a large page first, in two processes, from
    the cache) give the map of links into each page that one pass over the
    loaded site gives: the same edges in the same order, the pages in the
    same order; a draft's links are left out, a link to its own page too."""
    import linklint.loading as loading
    from linklint.site import Inbound

    files = {
        "a.md": "# A\n\n[b](b.md) [c](c.md) [b again](b.md) [self](a.md) [top](#a)\n",
        "b.md": "# B\n\n" + "Long notes on soil. " * 200 + "\n\n[a](a.md) ![pic](z/pic.md)\n",
        "c.md": "---\ndraft: true\n---\n# C\n\n[a](a.md) [b](b.md)\n",
        "z/pic.md": "# Pic\n\n[up](../b.md) [missing](../nope.md) [a](../a.md)\n",
        "y.md": "# Y\n\n[z](z/pic.md)\n",
        "zz.md": "# ZZ\n\n" + "Longer notes on compost. " * 300 + "\n\n[y](y.md) [b](b.md)\n",  # loaded first
    }
    make_site(tmp_path, files)
    monkeypatch.setattr(loading, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(loading, "CHUNK", 1)
    monkeypatch.setattr(loading, "LARGE_PAGE_BYTES", 5000)  # zz.md (b.md is not)
    if cached:
        run(tmp_path, reuse=False, jobs=jobs)  # fills the cache: the next run loads every page from it
    if cached:
        found = run(tmp_path, reuse=False, jobs=jobs)
    else:
        found = check(tmp_path, load_config(tmp_path, specs(), profiles=PROFILE_NAMES), cache=None, jobs=jobs)
    gathered = found.site.inbound._all
    assert gathered is not None  # before any rule asked
    one_pass = Inbound(found.site).complete()
    assert list(gathered.items()) == list(one_pass.items())
    assert [(e.source, e.index, e.text) for e in gathered["b.md"]] == [
        ("a.md", 0, "b"), ("a.md", 2, "b again"), ("z/pic.md", 0, "up"), ("zz.md", 1, "b")
    ]
    assert all(e.source != "c.md" for edges in gathered.values() for e in edges)  # the draft
    assert list(gathered) == ["b.md", "c.md", "a.md", "z/pic.md", "y.md"]
    assert [(e.source, e.index) for e in gathered["a.md"]] == [("b.md", 0), ("z/pic.md", 2)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_plain_sites_fragment_ids_are_worked_out_as_its_pages_load(tmp_path: Path, monkeypatch, jobs: int) -> None:
    """The fragments of each page linked with a fragment are known before the
    rules start, whichever of the page and the link loads first, in one
    process or two; pages no fragment points at are left to the rules (none
    asks); the report is the one of a site whose ids are asked for by the
    rules."""
    import linklint.loading as loading
    from linklint.sites.base import Profile

    files = {
        "a.md": "# A\n\n## Soil\n\nTo [b's beds](b.md#beds), [b's nothing](b.md#none) and [my soil](#soil).\n",
        "b.md": "# B\n\n## Beds\n\n<a id=\"deep\"></a>Back to [a](a.md) and [c's top](c.md#c).\n",
        "c.md": "# C\n\nNo fragment: [a](a.md).\n" + "Long notes. " * 400 + "\n",  # loaded first
        "d.md": "# D\n\nTo [a's soil](a.md#soil) and [b deep](b.md#deep).\n",
    }
    make_site(tmp_path, files)
    monkeypatch.setattr(loading, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(loading, "CHUNK", 1)
    before_rules: list[dict] = []
    real_run_all = engine._PageRules.run_all

    def run_all(self, jobs, meanwhile=None):
        before_rules.append(dict(self.site._ids))
        return real_run_all(self, jobs, meanwhile)

    monkeypatch.setattr(engine._PageRules, "run_all", run_all)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    early = check(tmp_path, config, cache=None, jobs=jobs)
    site = early.site
    assert {page: sorted(ids) for page, ids in before_rules[0].items()} == {
        "a.md": ["a", "soil"],
        "b.md": ["b", "beds", "deep"],
        "c.md": ["c"],
    }
    assert [(v.code, v.path, v.span.line, v.span.column) for v in early.report.violations if v.code == "LL004"] == [
        ("LL004", "a.md", 5, 27)
    ]
    # Without them (nothing selected that asks), none are worked out.
    before_rules.clear()
    check(tmp_path, config, cache=None, jobs=jobs, selection=Selection(["LL003"]))
    assert before_rules == [{}]
    # The same report as a site whose ids the rules ask for.
    monkeypatch.setattr(Profile, "links_need_documents", True)
    before_rules.clear()
    late = check(tmp_path, config, cache=None, jobs=jobs)
    assert before_rules == [{}]
    assert facts(late.report) == facts(early.report)
    assert {page: sorted(late.site.ids(page)) for page in site._ids} == {page: sorted(ids) for page, ids in site._ids.items()}


def test_a_generators_links_wait_for_every_page(tmp_path: Path, monkeypatch) -> None:
    """A Hugo page's URL comes from its front matter: a link to ``/hello/``
    resolves only once the page that sets that URL is loaded."""
    files = {
        "hugo.toml": 'baseURL = "https://example.org/"\n',
        "content/_index.md": "---\ntitle: Home\n---\n\nSee [hello](/hello/) and [the guide](/guide/).\n",
        "content/posts/zz-hello.md": "---\ntitle: Hello\nurl: /hello/\n---\n\nBack [home](/).\n",
        "content/guide.md": "---\ntitle: Guide\n---\n\nRead [hello](/hello/).\n",
    }
    write_settled(tmp_path, files, HOUR_AGO)
    calls = _resolutions(monkeypatch)
    found = run(tmp_path, reuse=False, jobs=1)
    assert found.site.profile.name == "hugo"
    assert sorted(calls) == sorted(p for p in files if p.endswith(".md"))
    assert [v for v in found.report.violations if v.code == "LL003"] == []
    assert found.site.targets["content/_index.md"][0].path == "content/posts/zz-hello.md"


@pytest.mark.parametrize("relative", [True, False])
def test_the_inventory_lists_stamps_and_folders_with_and_without_stat_relative_to_the_root(
    tmp_path: Path, monkeypatch, relative: bool
) -> None:
    """Each file's own stamp (a symbolic link's, not its target's), every
    folder above a file, and a file Git lists but the work tree lost left
    out; the same whether ``stat`` can work relative to an open folder."""
    import subprocess

    from linklint.discover import inventory

    if not relative:
        monkeypatch.setattr(os, "supports_dir_fd", set())
    for rel in ("a.md", "docs/b.md", "docs/deep/er/c.md", "gone.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"# {rel}\n")
    (tmp_path / "docs" / "link.md").symlink_to("b.md")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    (tmp_path / "gone.md").unlink()  # still in Git's index
    inv = inventory(tmp_path)
    expected = {}
    for rel in ("a.md", "docs/b.md", "docs/deep/er/c.md", "docs/link.md"):
        info = os.lstat(tmp_path / rel)
        expected[rel] = (info.st_size, info.st_mtime_ns, info.st_mode)
    assert inv.stamps == expected and list(inv.stamps) == sorted(expected)
    assert inv.files == set(expected)
    assert inv.dirs == {"docs", "docs/deep", "docs/deep/er"}
    assert inv.in_git


def test_reported_violations_are_the_selected_unsuppressed_ones_in_report_order(tmp_path: Path) -> None:
    """``_reported`` (C-level maps, suppressions asked of pages with
    directives only) keeps what the plain definition keeps, in the order of
    ``Violation.sort_key``, whatever order the rules found them in."""
    from linklint.suppress import Suppressions

    files = {
        "a.md": "# A\n\n[x](missing.md) [y](gone.md#z)\n\n<!-- linklint-disable-next-line LL001 -->\n[w](nope.md)\n",
        "b.md": "<!-- linklint-disable-file LL001 -->\n# B\n\n[x](missing.md)\n[click here](a.md)\n",
        "c.md": "# C\n\n[x](missing.md) <!-- linklint-disable-line -->\n[y](also-missing.md)\n[here](a.md)\n",
        "d.md": "# D\n\n[x](missing.md)\n[here](c.md)\n",
    }
    make_site(tmp_path, files)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    whole = check(tmp_path, config, selection=Selection(), cache=None)
    site = whole.site
    raw = engine._PageRules(site, whole.settings, Selection(), engine.Suggester(site), False, lambda path: True).run(list(site.documents))
    assert len({v.code for v in raw}) >= 3
    for selection, wanted in [
        (Selection(), None),
        (Selection(select=("LL001",)), None),
        (Selection(ignore=("LL00",)), None),
        (Selection(), lambda path: path in ("a.md", "c.md")),
    ]:

        def kept(v) -> bool:
            directives = Suppressions(site.documents[v.path].directives, lambda w: engine.lookup(w).CODE if engine.lookup(w) else None)
            return selection.wants(v.code) and (wanted is None or wanted(v.path)) and not directives.suppressed(v.code, v.span.line)

        expected = sorted(filter(kept, raw), key=lambda v: v.sort_key())
        assert engine._reported(list(reversed(raw)), selection, wanted, site.documents) == expected
        assert len(expected) < len(raw)
    assert whole.report.violations == engine._reported(raw, Selection(), None, site.documents)


def _phrase_finder_case(rng: random.Random):
    """Random prose items and phrases over words that share beginnings."""
    from linklint.model import Prose, Span

    words = ["link", "linking", "Links", "internal", "INTERNAL", "interns", "strategy", "strata", "garden",
             "gardening", "soil", "soils", "no-dig", "the", "of", "and", "Alt", "text", "texts", "compost"]
    items = []
    start = 0
    for _ in range(rng.randrange(0, 12)):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(0, 9))) + rng.choice(["", ".", "!", ","])
        items.append(Prose(text, Span(start, start + len(text), 1, start + 1, 1, start + len(text) + 1), rng.random() < 0.2))
        start += len(text) + 3
    phrases = [(f"k{n}", " ".join(rng.choice(words) for _ in range(rng.randrange(1, 4)))) for n in range(rng.randrange(0, 6))]
    return tuple(items), phrases


@pytest.mark.parametrize("as_parsed", [False, True], ids=["tuple", "ProseRuns"])
@pytest.mark.parametrize("seed", range(3))
def test_the_phrase_finders_shortcuts_keep_the_plain_definitions(seed: int, as_parsed: bool) -> None:
    from linklint import nlp
    from linklint.model import ProseRuns

    rng = random.Random(seed)
    for _ in range(150):
        prose, phrases = _phrase_finder_case(rng)
        if as_parsed:  # as a parsed page keeps them: numbers over the page's text
            page = "   ".join(item.text for item in prose)
            prose = ProseRuns.of(page, prose)
            assert not prose.own
        finder = nlp.PhraseFinder(phrases)
        lowered = nlp._lowered(prose)
        assert lowered[0] == [item.text.lower() for item in prose]
        assert lowered[3] == [item.in_heading for item in prose]
        # Candidates: the items holding a needle of some pattern's first content word, in order.
        plain = [i for i, item in enumerate(prose) if any(n in item.text.lower() for needles in finder.needles for n in needles[0])]
        assert list(finder._candidates(lowered)) == plain
        for item in prose:
            text = item.text.lower()
            want = any(all(any(n in text for n in word) for word in needles) for needles in finder.needles)
            assert finder._may_match(text) == want, (text, finder.needles)
        # The matches: every item tokenised and matched, without any shortcut.
        every = {}
        for index, item in enumerate(prose):
            if not item.in_heading:
                for match in finder._matches(index, item):
                    every.setdefault(match.key, []).append(match)
        expected = {key: nlp._without_overlaps(found) for key, found in every.items()}
        assert finder.find(prose) == expected
        earliest = min((m for found in every.values() for m in found), key=lambda m: (m.start, -(m.end - m.start)), default=None)
        assert finder.first(prose) == earliest


def test_a_pages_lower_case_is_kept_for_the_pages_searched_last(monkeypatch) -> None:
    from linklint import nlp
    from linklint.model import Prose, Span

    # Room for the lower case of two of these pages (17 characters each).
    monkeypatch.setattr(nlp, "_LOWERED", nlp._KeptLowered(budget=40))
    pages = [(Prose(f"Page {n} About Soil", Span(0, 18, 1, 1, 1, 19), False),) for n in range(5)]
    first = nlp._lowered(pages[0])
    assert nlp._lowered(pages[0]) is first  # asked again: not lowered again
    assert first == (["page 0 about soil"], "page 0 about soil", [0], [False])
    equal = tuple(list(pages[0]))  # equal prose, another object: worked out for itself
    assert equal is not pages[0]
    assert nlp._lowered(equal) == first and nlp._lowered(equal) is not first
    # Kept: `equal`, then page 0 (asked for last). Page 1 makes room by
    # letting the page used longest ago go, `equal`, and keeps page 0.
    assert nlp._lowered(pages[0]) is first
    second = nlp._lowered(pages[1])
    assert list(nlp._LOWERED.pages) == [id(pages[0]), id(pages[1])] and nlp._LOWERED.chars == 34
    assert nlp._lowered(pages[0]) is first and nlp._lowered(pages[1]) is second
    for page in pages[2:]:
        assert nlp._lowered(page)[1] == page[0].text.lower()
        assert nlp._LOWERED.chars <= 40
    assert list(nlp._LOWERED.pages) == [id(pages[3]), id(pages[4])]
    # A page longer than the budget is kept alone, until the next one.
    long_page = (Prose("Soil " * 20, Span(0, 100, 1, 1, 1, 101), False),)
    nlp._lowered(long_page)
    assert list(nlp._LOWERED.pages) == [id(long_page)] and nlp._LOWERED.chars == 100
    nlp._lowered(pages[0])
    assert list(nlp._LOWERED.pages) == [id(pages[0])] and nlp._LOWERED.chars == 17


TEXT_READERS = {"yaml", "tomllib", "tomli"}
TOML_READER = "tomllib" if sys.version_info >= (3, 11) else "tomli"


def test_a_warm_check_of_a_plain_repository_imports_no_yaml_or_toml_reader(tmp_path: Path) -> None:
    # Front matter is read on the cold run; the warm run takes the stored
    # pages, and a plain repository has no generator config to read.
    files = {**SITE, "basics.md": "---\ntitle: Basics\n---\n" + SITE["basics.md"]}
    make_site(tmp_path, files)
    assert modules_after_cli(tmp_path, ["check"], TEXT_READERS) == (1, ["yaml"])
    assert modules_after_cli(tmp_path, ["check"], TEXT_READERS) == (1, [])
    (tmp_path / "guide.md").write_text("+++\ntitle = 'Guide'\n+++\n" + SITE["guide.md"], encoding="utf-8")
    assert modules_after_cli(tmp_path, ["check", "guide.md"], TEXT_READERS) == (1, [TOML_READER])


def test_a_generators_config_still_loads_its_reader(tmp_path: Path) -> None:
    # No page has front matter: the YAML read is Jekyll's `_config.yml`.
    make_site(tmp_path / "jekyll", {**SITE, "_config.yml": "baseurl: /blog\n"})
    assert modules_after_cli(tmp_path / "jekyll", ["check", "--no-cache"], TEXT_READERS)[1] == ["yaml"]
    make_site(tmp_path / "zola", {**SITE, "config.toml": "base_url = 'https://example.com'\n"})
    assert modules_after_cli(tmp_path / "zola", ["check", "--no-cache"], TEXT_READERS)[1] == [TOML_READER]


# An orphan (worm-bins.md), two posts that could link to it, each with too
# few links, and the sources LL007 suggests for the orphan.
WORM_BINS = {
    "README.md": "[compost](compost.md) [tomatoes](tomatoes.md)\n",
    "compost.md": "---\ntitle: Hot composting\n---\nHot composting needs a worm bin nearby. Worms finish what the heap starts.\n",
    "tomatoes.md": "---\ntitle: Tomatoes\n---\nTomatoes like sun and a worm bin.\n",
    "worm-bins.md": "---\ntitle: Worm bins\n---\nA worm bin turns scraps into castings. Worms need bedding and compost.\n",
}
WORM_BIN_SOURCES = (
    "link to it from “worm bin” (line 4) in `compost.md` (Hot composting)",
    "link to it from “worm bin” (line 4) in `tomatoes.md` (Tomatoes)",
)


def test_an_orphan_is_given_sources_without_searching_its_own_text(tmp_path: Path, monkeypatch) -> None:
    from linklint.suggest import Suggester

    make_site(tmp_path, WORM_BINS)
    searched = []
    real = Suggester.idea_from
    monkeypatch.setattr(Suggester, "idea_from", lambda self, source, target, score: searched.append((source, target)) or real(self, source, target, score))

    found = run(tmp_path, reuse=False, jobs=1, selection=Selection(select=["LL007"])).report.violations

    assert [(v.code, v.path, v.suggestions) for v in found] == [("LL007", "worm-bins.md", WORM_BIN_SOURCES)]
    assert sorted(searched) == [("compost.md", "worm-bins.md"), ("tomatoes.md", "worm-bins.md")]


def test_a_url_with_a_scheme_on_a_site_without_a_host_resolves_without_splitting(tmp_path: Path) -> None:
    # The shortcut for a site with no host of its own gives what the whole
    # resolution gives where the host is someone else's.
    import random

    run = run_site(tmp_path, {"a.md": "# A\n"}, select=["LL003"])
    profile = run.site.profile
    assert profile.base_host is None
    chosen = random.Random(9)
    schemes = ["http", "HTTPS", "mailto", "ftp", "x", "C", "a+b.c-d", "tel"]
    tails = ["//example.org/a#b", "//[v6", "a@b.c", "/path?q", "", "//h:80/x y", "//Ex.ORG", "\t//x", "x:y"]
    cases = [f"{s}:{t}" for s in schemes for t in tails]
    cases += ["".join(chosen.choice("ab:/.#?[]@H1+-") for _ in range(chosen.randint(1, 12))) for _ in range(5000)]
    fast = {case: profile.resolve("docs/a.md", case) for case in cases}
    profile.base_host = "no-such-host.invalid"  # the whole resolution, same answers for other hosts
    for case, target in fast.items():
        assert profile.resolve("docs/a.md", case) == target, case


def test_a_phrase_search_asked_by_two_rules_is_done_once(tmp_path: Path, monkeypatch) -> None:
    # LL001 looks in a post with too few links for a phrase to link a related
    # page with; LL007 looks in the pages related to an orphan for a phrase
    # to link the orphan with: here both ask the same pair.
    from linklint.suggest import Suggester

    make_site(tmp_path, WORM_BINS)
    asked, searched = [], []
    idea_from, first_phrase = Suggester.idea_from, Suggester._first_phrase
    monkeypatch.setattr(Suggester, "idea_from", lambda self, source, target, score: asked.append((source, target)) or idea_from(self, source, target, score))
    monkeypatch.setattr(Suggester, "_first_phrase", lambda self, source, target: searched.append((source, target)) or first_phrase(self, source, target))

    found = run(tmp_path, reuse=False, jobs=1, selection=Selection(select=["LL001", "LL007"])).report.violations

    orphan = [v.suggestions for v in found if v.code == "LL007"]
    assert orphan == [WORM_BIN_SOURCES]
    few_links = {v.path: v.suggestions for v in found if v.code == "LL001"}
    assert "link “worm bin” (line 4) to `worm-bins.md` (Worm bins)" in few_links["compost.md"]
    assert asked.count(("compost.md", "worm-bins.md")) == 2
    assert searched.count(("compost.md", "worm-bins.md")) == 1
    assert sorted(searched) == sorted(set(asked))


def test_an_inventorys_files_in_path_order_whatever_order_they_were_listed_in() -> None:
    """``Inventory.sorted_files`` sorts the stamps (listed in path order) when
    they are every file, else the files themselves."""
    from linklint.discover import Inventory

    inv = Inventory(root=Path("."))
    for rel in ["b.md", "a/z.md", "a.md", "é.md", "a/b.md"]:
        inv.add(rel, (1, 2, 3))
    assert inv.sorted_files() == sorted(inv.files) == ["a.md", "a/b.md", "a/z.md", "b.md", "é.md"]
    inv.add("0.md")  # no stamp: listed by the files
    assert inv.sorted_files() == ["0.md", "a.md", "a/b.md", "a/z.md", "b.md", "é.md"]


def test_a_run_on_one_post_makes_the_stored_links_of_the_pages_it_asks_about_only(tmp_path: Path) -> None:
    """Forty posts in a chain, each linking to the next: a run on one post
    makes the link tuples of the pages linking to the pages it links to, not
    those of every stored page, and answers as a run without cache."""
    posts = {f"post{i:02}.md": f"# Post {i}\n\nOn to [the next post](post{(i + 1) % 40:02}.md).\n" for i in range(40)}
    make_site(tmp_path, posts)
    run(tmp_path)
    found = run(tmp_path, reuse=False, paths=["post10.md"])
    stored = [doc for doc in found.site.documents.values() if isinstance(doc, snapshot.StoredDocument)]
    assert len(stored) == 39
    made = sorted(doc.path for doc in stored if "link_facts" in vars(doc))
    assert made == ["post09.md"]  # it links to post10.md, as the post itself links to post11.md: nothing else
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    fresh = check(tmp_path, config, paths=["post10.md"], cache=ParseCache(tmp_path, SALT, enabled=False))
    assert facts(found.report) == facts(fresh.report)


def test_the_files_stamps_in_a_runs_key_tell_every_change() -> None:
    """A run's key holds every file's name, size, time and mode: any of them
    changed gives other bytes, as does a time too large for 64 bits."""
    from linklint.engine import _stamps_bytes

    stamps = {"a.md": (10, 1_700_000_000_000_000_000, 0o100644), "b/c.md": (0, -5, 0o120777)}
    base = _stamps_bytes(stamps)
    changed = [
        {**stamps, "a.md": (11, 1_700_000_000_000_000_000, 0o100644)},
        {**stamps, "a.md": (10, 1_700_000_000_000_000_001, 0o100644)},
        {**stamps, "a.md": (10, 1_700_000_000_000_000_000, 0o100755)},
        {"a.md": stamps["a.md"], "b/d.md": stamps["b/c.md"]},
        {"a.md": stamps["a.md"]},
        {**stamps, "a.md\0b": (1, 1, 1)},
        {**stamps, "a.md": (10, 2**63, 0o100644)},
    ]
    found = [_stamps_bytes(other) for other in changed]
    assert len({base, *found}) == len(changed) + 1
    assert _stamps_bytes(dict(reversed(list(stamps.items())))) == base  # the order of listing does not count
    assert found[-1].endswith(b"r" + repr([(10, 2**63, 0o100644), stamps["b/c.md"]]).encode())
