"""A run on a few paths that starts from the stored site (``linklint.snapshot``)
gives exactly the answers of a run without any cache, whatever changed since
the snapshot was stored: page bodies, titles, headings, files added or
removed, generator front matter (aliases, slugs, drafts), the configuration."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

from linklint.cache import _DIGEST_SIZE, CACHE_DIR, ParseCache
from linklint.config import load_config
from linklint.engine import check
from linklint.rules import specs
from linklint.sites import PROFILE_NAMES
from linklint.snapshot import StoredDocument
from tests.site_helpers import write_settled

SALT = "max_file_size=5000000"
HOUR_AGO = time.time() - 3600

PLAIN = {
    "README.md": "# Home\n\nSee [the guide](guide.md), [basics](basics.md), [news](news.md) and [compost](compost.md).\n",
    "guide.md": "---\ntitle: The guide\n---\n\n## Soil\n\nRead [the basics](basics.md#soil) and [news](news.md#weekly).\n\nA compost heap makes garden soil.\n",
    "basics.md": "# Basics\n\n## Soil\n\nGood soil. Back to [the guide](guide.md) and [news](news.md).\n",
    "news.md": "# News\n\n## Weekly\n\nLinks to [the guide](guide.md) and [lost](lost.md).\n",
    "more.md": "# More\n\nAlso [the guide](guide.md), [the guide](guide.md#soil) and [news](news.md).\n",
    "compost.md": "# Compost\n\nCompost feeds garden soil. A compost heap turns kitchen waste into soil for the garden.\n",
    "img/a.png": b"\x89PNG\r\n",
}
HUGO = {
    "hugo.toml": "baseURL = 'https://example.org/'\n",
    "content/_index.md": "# Home\n\n[first](/posts/first/) [second](/second-slug/) [old](/old-first/)\n",
    "content/posts/first.md": "---\ntitle: First\naliases: [/old-first/]\n---\n\n# First\n\nSee [second](/second-slug/).\n",
    "content/posts/second.md": "---\ntitle: Second\nurl: /second-slug/\n---\n\n# Second\n\nSee [first](/posts/first/).\n",
    "content/posts/third.md": "---\ntitle: Third\n---\n\n# Third\n\n[first](/posts/first/) and [second](/second-slug/#second).\n",
}


def make_site(root: Path, files: dict, age: float = HOUR_AGO) -> None:
    write_settled(root, files, age)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, (HOUR_AGO + 60, HOUR_AGO + 60))  # settled: a stamp the snapshot may trust


def run(root: Path, paths=None, *, cache: bool = True):
    config = load_config(root, specs(), profiles=PROFILE_NAMES)
    return check(root, config, paths=paths, cache=ParseCache(root, SALT, enabled=cache))


def facts(report) -> list[tuple]:
    return [
        (v.code, v.path, v.span.line, v.span.column, v.severity.value, v.message, v.suggestions, v.fix)
        for v in report.violations
    ]


def test_a_run_on_paths_takes_the_unchanged_pages_from_the_stored_site(tmp_path: Path) -> None:
    make_site(tmp_path, PLAIN)
    run(tmp_path)  # stores the snapshot
    edit(tmp_path, "guide.md", "Read", "Now read")
    found = run(tmp_path, ["guide.md"])
    docs = found.site.documents
    assert {rel for rel, doc in docs.items() if isinstance(doc, StoredDocument)} == {
        "README.md", "basics.md", "news.md", "more.md", "compost.md"
    }
    assert len(found.site.stored_links) == 5
    # Rules on guide.md read the pages it links to (their headings) and the
    # page they suggest linking to (its key phrases), no other.
    loaded = [rel for rel, doc in docs.items() if isinstance(doc, StoredDocument) and doc.loaded]
    assert loaded == ["basics.md", "compost.md", "news.md"]
    assert facts(found.report) == facts(run(tmp_path, ["guide.md"], cache=False).report)
    assert [f[:6] for f in facts(found.report)] == [
        ("LL001", "guide.md", 2, 1, "warning", "links to 2 internal pages; at least 3 expected"),
        ("LL005", "guide.md", 7, 43, "warning", "anchor text “news” is used by 4 of 4 links to `news.md`; vary it"),
    ]


def test_a_stored_page_reads_its_text_when_asked_and_equals_the_parsed_page(tmp_path: Path) -> None:
    make_site(tmp_path, PLAIN)
    full = run(tmp_path).site.documents["more.md"]
    stored = run(tmp_path, ["guide.md"]).site.documents["more.md"]  # a page guide.md's rules do not read
    assert isinstance(stored, StoredDocument) and not stored.loaded
    assert (stored.title, stored.front_matter) == (full.title, full.front_matter)
    assert not stored.loaded  # the core is stored
    assert stored.links == full.links and stored.headings == full.headings
    assert stored.loaded
    assert (stored.text, stored.prose, stored.title_span) == (full.text, full.prose, full.title_span)


MUTATIONS = {
    "body of a linking page": ("more.md", "Also", "Also see"),
    "a new link into the reported page": ("news.md", "Links to", "Links to [basics](basics.md) and"),
    "a title the suggestions show": ("guide.md", "title: The guide", "title: A new guide"),
    "a heading a fragment points to": ("news.md", "## Weekly", "## Monthly"),
    "the heading back": ("basics.md", "## Soil", "## Soil and more"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
@pytest.mark.parametrize("reported", [["basics.md"], ["guide.md", "news.md"], ["README.md"]])
def test_after_an_edit_a_run_on_paths_answers_as_without_cache(tmp_path: Path, name: str, reported: list[str]) -> None:
    make_site(tmp_path, PLAIN)
    run(tmp_path)
    edit(tmp_path, *MUTATIONS[name])
    found = run(tmp_path, reported)
    assert len(found.site.stored_links) > 0  # no file was added or removed: targets are reused
    assert facts(found.report) == facts(run(tmp_path, reported, cache=False).report)


@pytest.mark.parametrize("change", ["add the missing page", "remove a page", "add an image", "change the config"])
def test_a_changed_set_of_files_resolves_the_links_it_concerns_again(tmp_path: Path, change: str) -> None:
    make_site(tmp_path, PLAIN)
    run(tmp_path)
    before = facts(run(tmp_path, ["news.md", "guide.md"]).report)
    if change == "add the missing page":
        make_site(tmp_path, {"lost.md": "# Lost\n"}, HOUR_AGO + 60)
    elif change == "remove a page":
        (tmp_path / "basics.md").unlink()
    elif change == "add an image":
        make_site(tmp_path, {"img/b.png": b"\x89PNG\r\n"}, HOUR_AGO + 60)
    else:
        make_site(tmp_path, {".linklint.yaml": "rules:\n  min-internal-links:\n    min: 1\n"}, HOUR_AGO + 60)
    found = run(tmp_path, ["news.md", "guide.md"])
    if change == "change the config":
        assert not found.site.stored_links  # another configuration: another stored site
    else:
        # Only news.md (read: reported) links to lost.md; README.md links to
        # the removed basics.md; a new image may change any link.
        expected = {"add the missing page": set(), "remove a page": {"README.md"}, "add an image": set(found.site.stored_links)}
        assert found.site.retargeted == expected[change]
        assert isinstance(found.site.documents["more.md"], StoredDocument)
    assert facts(found.report) == facts(run(tmp_path, ["news.md", "guide.md"], cache=False).report)
    if change != "add an image":
        assert facts(found.report) != before


def test_a_new_page_is_linked_from_pages_the_run_does_not_read(tmp_path: Path) -> None:
    make_site(tmp_path, PLAIN)
    run(tmp_path)
    make_site(tmp_path, {"lost.md": "# Lost and found\n\nBack to [news](news.md).\n"}, HOUR_AGO + 60)
    found = run(tmp_path, ["lost.md"])
    assert found.site.retargeted
    # news.md links to lost.md: stored as a broken link, resolved again now,
    # so lost.md is no orphan.
    assert [e.source for e in found.site.inbound["lost.md"]] == ["news.md"]
    assert isinstance(found.site.documents["news.md"], StoredDocument)
    assert "LL007" not in {v.code for v in found.report.violations}
    assert facts(found.report) == facts(run(tmp_path, ["lost.md"], cache=False).report)


@pytest.mark.parametrize(
    "change",
    [
        ("content/posts/first.md", "aliases: [/old-first/]", "aliases: [/older-first/]"),
        ("content/posts/second.md", "url: /second-slug/", "url: /second-moved/"),
        ("content/posts/first.md", "title: First", "title: First\ndraft: true"),
        ("content/posts/second.md", "# Second", "# Second, renamed"),
    ],
)
def test_generator_front_matter_that_moves_urls_is_noticed(tmp_path: Path, change: tuple[str, str, str]) -> None:
    make_site(tmp_path, HUGO)
    run(tmp_path)
    edit(tmp_path, *change)
    reported = ["content/_index.md", "content/posts/third.md"]
    found = run(tmp_path, reported)
    assert found.report.generator == "hugo"
    moved = change[1].startswith(("aliases", "url", "title"))
    assert len(found.site.stored_links) == 1  # the unchanged page not reported on
    assert bool(found.site.retargeted) == moved
    assert facts(found.report) == facts(run(tmp_path, reported, cache=False).report)


def test_a_file_changed_just_before_the_snapshot_is_never_trusted(tmp_path: Path) -> None:
    make_site(tmp_path, PLAIN)
    now = time.time()
    os.utime(tmp_path / "news.md", (now, now))  # within the settle window of this run
    run(tmp_path)
    found = run(tmp_path, ["guide.md"])
    assert not isinstance(found.site.documents["news.md"], StoredDocument)
    assert isinstance(found.site.documents["basics.md"], StoredDocument)


def test_related_pages_come_from_stored_term_counts(tmp_path: Path, monkeypatch) -> None:
    import linklint.terms
    from linklint.relevance import RelevanceIndex

    built: list[RelevanceIndex] = []
    original = RelevanceIndex.__init__

    def spy(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        built.append(self)

    counted: list[str] = []
    count_terms = linklint.terms.count_terms

    def counting(doc, language, text=None):
        counted.append(doc.path)
        return count_terms(doc, language, text)

    monkeypatch.setattr(RelevanceIndex, "__init__", spy)
    make_site(tmp_path, PLAIN)
    run(tmp_path)  # counts every page's terms and stores them
    assert len(built) == 1
    edit(tmp_path, "guide.md", "Read", "Gardeners read")
    monkeypatch.setattr(linklint.terms, "count_terms", counting)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    found = check(tmp_path, config, paths=["guide.md"], cache=ParseCache(tmp_path, SALT))
    ll001 = [v for v in found.report.violations if v.code == "LL001"]
    assert ll001 and ll001[0].suggestions  # the related pages were ranked …
    loaded = [rel for rel, d in found.site.documents.items() if isinstance(d, StoredDocument) and d.loaded]
    assert loaded == ["basics.md", "compost.md", "news.md"]  # … without reading the other pages
    assert counted == ["guide.md"]  # … nor counting their terms again
    assert facts(found.report) == facts(run(tmp_path, ["guide.md"], cache=False).report)
    assert len(built) == 3
    assert built[1].table == built[2].table  # stored counts and guide.md's new ones; no cache: all counted
    assert built[1].vectors == built[2].vectors  # the same floats, bit for bit


def test_stored_term_counts_follow_new_and_removed_pages(tmp_path: Path) -> None:
    from linklint.engine import _StoredSite
    from linklint.snapshot import load_terms
    from linklint.termtable import TermTable

    make_site(tmp_path, PLAIN)
    first = run(tmp_path)
    (tmp_path / "news.md").unlink()
    (tmp_path / "soil.md").write_text("# Soil\n\nSoil for the garden, and compost for the soil.\n", encoding="utf-8")
    old = time.time() - 60  # settled: the stamps may be trusted
    os.utime(tmp_path / "soil.md", (old, old))
    found = run(tmp_path, ["soil.md"])
    assert any(v.code == "LL001" and v.suggestions for v in found.report.violations)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    cache = ParseCache(tmp_path, SALT)
    key = _StoredSite(cache, config, first.site.inventory, type(first.site.profile), "", 0).key
    stored = load_terms(cache, key, found.site.inventory.stamps)
    fresh = run(tmp_path, cache=False)
    from linklint.terms import count_terms

    assert stored.table == TermTable.from_counts({rel: count_terms(doc, "en") for rel, doc in fresh.site.documents.items()})
    assert stored.usable == frozenset(fresh.site.documents)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other shape", "planted text"])
def test_a_damaged_snapshot_is_ignored(tmp_path: Path, damage: str) -> None:
    import pickle

    from linklint.cache import _dump

    make_site(tmp_path, PLAIN)
    first = run(tmp_path)
    expected = facts(run(tmp_path, ["guide.md"], cache=False).report)
    cache = ParseCache(tmp_path, SALT)
    from linklint.engine import _StoredSite

    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    key = _StoredSite(cache, config, first.site.inventory, type(first.site.profile), "", 0).key
    entry = cache._entry(cache._snapshot_key(key, "site"))
    blob = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"\0garbage" * 10)
    elif damage == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    else:
        stored = pickle.loads(blob[:-_DIGEST_SIZE])
        pages = len(stored["pages"]["path"])
        if damage == "other shape":
            stored["pages"]["page_links"] = (("guide.md", "the guide"),) * pages
        else:  # a parse nobody read from the file
            stored["pages"]["_full_document"] = (first.site.documents["README.md"],) * pages
        entry.write_bytes(_dump(stored))
    found = run(tmp_path, ["guide.md"])
    assert len(found.site.stored_links) == 0
    assert not any(isinstance(d, StoredDocument) for d in found.site.documents.values())
    assert facts(found.report) == expected


def _stored_snapshot(tmp_path: Path) -> dict:
    import pickle

    from linklint.engine import _StoredSite

    make_site(tmp_path, PLAIN)
    first = run(tmp_path)
    cache = ParseCache(tmp_path, SALT)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    key = _StoredSite(cache, config, first.site.inventory, type(first.site.profile), "", 0).key
    return pickle.loads(cache._entry(cache._snapshot_key(key, "site")).read_bytes()[:-_DIGEST_SIZE])


def _news_links(stored: dict) -> tuple[int, int, int]:
    """Where news.md's links and targets start in the stored columns, and how many links it has."""
    columns = stored["pages"]
    page = columns["path"].index("news.md")
    return sum(columns["link_counts"][:page]), sum(columns["target_counts"][:page]), columns["link_counts"][page]


def _replace(column: tuple, at: int, value: object) -> tuple:
    return column[:at] + (value,) + column[at + 1 :]


SNAPSHOT_DAMAGE = {
    "a text that is no string": lambda c, link, target, n: c.update(texts=_replace(c["texts"], link + 1, 7)),
    "an image flag that is no bool": lambda c, link, target, n: c.update(images=_replace(c["images"], link + 1, 1)),
    "a destination that is no string": lambda c, link, target, n: c.update(destinations=_replace(c["destinations"], link, b"x.md")),
    "links in a list": lambda c, link, target, n: c.update(texts=list(c["texts"])),
    "a link too few": lambda c, link, target, n: c.update(texts=c["texts"][:-1]),
    "a link count too high": lambda c, link, target, n: c.update(link_counts=tuple(k + 1 for k in c["link_counts"])),
    "a negative link count": lambda c, link, target, n: c.update(link_counts=(-1, *c["link_counts"][1:])),
    "a page too few": lambda c, link, target, n: c.update(title=c["title"][:-1]),
    "a page twice": lambda c, link, target, n: c.update(path=_replace(c["path"], 0, c["path"][1])),
    "url inputs that are no tuple": lambda c, link, target, n: c.update(inputs=_replace(c["inputs"], 0, [])),
    "a target past the page's links": lambda c, link, target, n: c.update(places=_replace(c["places"], target, n)),
    "a negative target": lambda c, link, target, n: c.update(places=_replace(c["places"], target, -1)),
    "a target place that is no int": lambda c, link, target, n: c.update(places=_replace(c["places"], target, "0")),
    "a target page that is no string": lambda c, link, target, n: c.update(targets=_replace(c["targets"], target, None)),
    "a column missing": lambda c, link, target, n: c.pop("targets"),
}


STAMPS_DAMAGE = {
    "a name that is no string": lambda stamps: stamps.update({b"x.md": (1, 2, 3)}),
    "a stamp of two numbers": lambda stamps: stamps.update({"x.md": (1, 2)}),
    "an empty stamp": lambda stamps: stamps.update({"x.md": ()}),
    "a stamp in a list": lambda stamps: stamps.update({"x.md": [1, 2, 3]}),
    "a stamp that is a number": lambda stamps: stamps.update({"x.md": 0}),
}


@pytest.mark.parametrize("damage", list(STAMPS_DAMAGE))
def test_a_snapshot_with_damaged_stamps_is_refused(tmp_path: Path, damage: str) -> None:
    from linklint.snapshot import Snapshot

    stored = _stored_snapshot(tmp_path)
    stored["stamps"]["unsettled.md"] = None  # a file changed just before the run: kept, never trusted
    assert Snapshot.from_stored(stored) is not None
    STAMPS_DAMAGE[damage](stored["stamps"])
    assert Snapshot.from_stored(stored) is None


@pytest.mark.parametrize("damage", list(SNAPSHOT_DAMAGE))
def test_a_snapshot_with_damaged_pages_is_refused(tmp_path: Path, damage: str) -> None:
    from linklint.snapshot import Snapshot

    stored = _stored_snapshot(tmp_path)
    assert Snapshot.from_stored(stored) is not None
    link, target, links = _news_links(stored)
    assert links >= 2 and stored["pages"]["target_counts"][stored["pages"]["path"].index("news.md")]
    SNAPSHOT_DAMAGE[damage](stored["pages"], link, target, links)
    assert Snapshot.from_stored(stored) is None


def test_a_stored_snapshot_reads_back_as_the_pages_it_was_made_of(tmp_path: Path) -> None:
    """The columns give each page its own links and targets, in order (made
    when first asked for), and the core fields it had."""
    from linklint.snapshot import Snapshot

    make_site(tmp_path, PLAIN)
    site = run(tmp_path).site
    stored = Snapshot.from_stored(_stored_snapshot(tmp_path))
    assert stored is not None and list(stored.pages) == list(site.documents)
    for rel, doc in site.documents.items():
        page = stored.pages[rel]
        assert vars(page).keys() == {"path", "front_matter", "front_matter_format", "title", "problems", "_links"}
        assert (page.path, page.front_matter, page.title, page.problems) == (rel, doc.front_matter, doc.title, doc.problems)
        assert page.link_facts == tuple((link.destination, link.text, link.image) for link in doc.links)
        assert page.page_targets == site.page_targets(rel)
        assert vars(page).keys() >= {"link_facts", "page_targets"}  # made once, then kept
    assert stored.pages["news.md"].page_targets and stored.pages["guide.md"].link_facts
    again = Snapshot.from_stored(stored.as_stored())
    assert again is not None and again.as_stored() == stored.as_stored() and again.inputs == stored.inputs


def test_the_link_names_are_read_only_when_pages_came_or_went(tmp_path: Path, monkeypatch) -> None:
    """The names of the stored links (which pages a new or removed page can
    concern) are a pickle of their own in the snapshot's entry: unpickled by
    a run that finds pages came or went, by no other."""
    import linklint.cache as cache_module

    unpickled: list[int] = []
    real = cache_module.load_nested
    monkeypatch.setattr(cache_module, "load_nested", lambda data: unpickled.append(len(data)) or real(data))
    make_site(tmp_path, PLAIN)
    run(tmp_path)
    edit(tmp_path, "guide.md", "Read", "Now read")
    assert facts(run(tmp_path, ["guide.md"]).report) == facts(run(tmp_path, ["guide.md"], cache=False).report)
    assert unpickled == []
    make_site(tmp_path, {"lost.md": "# Lost\n"}, HOUR_AGO + 60)
    found = run(tmp_path, ["news.md", "guide.md"])
    assert len(unpickled) == 1 and found.site.retargeted == set()  # only news.md links to lost.md: read anyway
    assert facts(found.report) == facts(run(tmp_path, ["news.md", "guide.md"], cache=False).report)


@pytest.mark.parametrize("damage", ["a list for a tuple", "not a dict", "cut short", "garbage", "no pickle"])
def test_damaged_link_names_resolve_every_stored_link_again(tmp_path: Path, damage: str) -> None:
    import pickle

    from linklint.engine import _StoredSite
    from linklint.snapshot import Snapshot

    stored = _stored_snapshot(tmp_path)
    names = pickle.loads(stored["names"])
    assert names and all(type(pages) is tuple for pages in names.values())
    stored["names"] = {
        "a list for a tuple": pickle.dumps({**names, "guide": ["README.md"]}),
        "not a dict": pickle.dumps(list(names.items())),
        "cut short": stored["names"][:-3],
        "garbage": b"\x80\x05garbage",
        "no pickle": b"",
    }[damage]
    snapshot = Snapshot.from_stored(stored)
    assert snapshot is not None and snapshot.link_names() is None
    assert Snapshot.from_stored({**stored, "names": names}) is None  # the names as a dict: not a stored snapshot
    # Stored so, a run that finds a page came resolves every stored link again.
    cache = ParseCache(tmp_path, SALT)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    first = run(tmp_path)
    key = _StoredSite(cache, config, first.site.inventory, type(first.site.profile), "", 0).key
    cache.put_snapshot(key, stored, "site")
    make_site(tmp_path, {"lost.md": "# Lost\n"}, HOUR_AGO + 60)
    found = run(tmp_path, ["news.md", "guide.md"])
    assert found.site.retargeted == set(found.site.stored_links) and found.site.retargeted
    assert facts(found.report) == facts(run(tmp_path, ["news.md", "guide.md"], cache=False).report)


def test_a_path_run_with_many_changed_pages_stores_a_new_snapshot(tmp_path: Path, monkeypatch) -> None:
    import linklint.snapshot as snapshot

    monkeypatch.setattr(snapshot, "REFRESH_AFTER", 2)
    make_site(tmp_path, PLAIN)
    run(tmp_path)
    for rel in ("news.md", "basics.md", "more.md"):
        edit(tmp_path, rel, "# ", "# Edited ")
    assert len(run(tmp_path, ["guide.md"]).site.stored_links) == 2  # README.md, compost.md
    assert len(run(tmp_path, ["guide.md"]).site.stored_links) == 5  # the refreshed snapshot


@pytest.mark.parametrize("stored", [False, True])
def test_inbound_links_page_by_page_equal_the_whole_map(tmp_path: Path, stored: bool) -> None:
    """Also for a site whose pages come from the stored site (their edges
    are made from the stored links), and one of whose pages is read."""
    make_site(tmp_path, PLAIN)
    site = run(tmp_path, cache=False).site
    if stored:
        run(tmp_path)
        site = run(tmp_path, ["news.md"]).site
        assert len(site.stored_links) == len(site.documents) - 1
        assert site.linkers is not None  # the linking pages as stored
    from linklint.site import Inbound

    lazy = Inbound(site)
    one_by_one = {rel: lazy.get(rel) for rel in site.documents}
    whole = Inbound(site).complete()
    assert {rel: edges for rel, edges in one_by_one.items() if edges is not None} == whole
    assert [e.source for e in whole["guide.md"]] == ["README.md", "basics.md", "more.md", "more.md", "news.md"]


def _linking_to_by_walk(pages: dict) -> dict[str, list[str]]:
    """Each page's linking pages, walking every page's stored links."""
    return {rel: [source for source, doc in pages.items() if any(target == rel for _, target in doc.page_targets)] for rel in pages}


def test_the_pages_linking_to_each_page_are_stored_with_the_site(tmp_path: Path) -> None:
    from linklint.snapshot import Snapshot

    stored = Snapshot.from_stored(_stored_snapshot(tmp_path))
    assert stored is not None and stored.linkers is not None
    expected = _linking_to_by_walk(stored.pages)
    assert {rel: stored.linkers.linking_to(rel) for rel in stored.pages} == expected
    assert expected["guide.md"] == ["README.md", "basics.md", "more.md", "news.md"]  # more.md's two links: once
    assert stored.linkers.linking_to("lost.md") == [] and stored.linkers.linking_to("compost.md") == ["README.md"]


LINKERS_DAMAGE = {
    "cut short": lambda starts, sources, pages: (starts, sources[:-1]),
    "a start too few": lambda starts, sources, pages: (starts[:-4], sources),
    "a source past the pages": lambda starts, sources, pages: (starts, sources[:-4] + pages.to_bytes(4, "little", signed=True)),
    "a negative source": lambda starts, sources, pages: (starts, (-1).to_bytes(4, "little", signed=True) + sources[4:]),
    "a start past the sources": lambda starts, sources, pages: (starts[:-4] + (len(sources) // 4 + 1).to_bytes(4, "little", signed=True), sources),
}


@pytest.mark.parametrize("damage", list(LINKERS_DAMAGE))
def test_damaged_stored_linking_pages_are_worked_out_from_every_page(tmp_path: Path, damage: str) -> None:
    """Which pages link to each page, damaged in the entry: the site walks
    every page's stored links instead, and the run answers as without cache."""
    import sys

    from linklint.engine import _StoredSite
    from linklint.site import Inbound
    from linklint.snapshot import Snapshot

    assert sys.byteorder == "little" or damage == "cut short"  # the damage below is written little-endian
    stored = _stored_snapshot(tmp_path)
    pages = len(stored["pages"]["path"])
    stored["linkers"] = LINKERS_DAMAGE[damage](*stored["linkers"], pages)
    snapshot = Snapshot.from_stored(stored)
    assert snapshot is not None and snapshot.linkers is not None
    assert any(snapshot.linkers.linking_to(rel) is None for rel in stored["pages"]["path"])
    assert Snapshot.from_stored({**stored, "linkers": list(stored["linkers"])}) is None  # not bytes: not a stored snapshot
    cache = ParseCache(tmp_path, SALT)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    first = run(tmp_path)
    key = _StoredSite(cache, config, first.site.inventory, type(first.site.profile), "", 0).key
    cache.put_snapshot(key, stored, "site")
    found = run(tmp_path, ["news.md"])
    assert len(found.site.stored_links) == len(found.site.documents) - 1
    assert {rel: Inbound(found.site).get(rel) for rel in found.site.documents} == {
        rel: Inbound(found.site).complete().get(rel) for rel in found.site.documents
    }
    assert facts(found.report) == facts(run(tmp_path, ["news.md"], cache=False).report)


def test_linking_pages_from_the_stored_site_follow_pages_edited_added_and_removed(tmp_path: Path) -> None:
    """The stored list of each page's linking pages is narrowed to the pages
    whose stored links are used, and the pages read anew (an edit adding a
    link, a new page) or whose links are resolved again are added."""
    from linklint.site import Inbound

    make_site(tmp_path, PLAIN)
    run(tmp_path)
    edit(tmp_path, "compost.md", "# Compost", "# Compost\n\nSee [the guide](guide.md).")
    edit(tmp_path, "basics.md", "Back to [the guide](guide.md) and ", "Back to ")
    make_site(tmp_path, {"new.md": "# New\n\n[guide](guide.md) and [draft](draft.md).\n", "draft.md": "---\ndraft: true\n---\n\n[guide](guide.md)\n"}, HOUR_AGO + 60)
    (tmp_path / "more.md").unlink()
    site = run(tmp_path, ["compost.md", "basics.md"]).site
    assert site.linkers is not None and site.stored_links and "README.md" in site.stored_links
    lazy = Inbound(site)
    assert [e.source for e in lazy["guide.md"]] == ["README.md", "compost.md", "new.md", "news.md"]
    assert {rel: Inbound(site).get(rel) for rel in site.documents} == {rel: Inbound(site).complete().get(rel) for rel in site.documents}
    assert facts(run(tmp_path, ["compost.md", "basics.md"]).report) == facts(run(tmp_path, ["compost.md", "basics.md"], cache=False).report)


def test_the_cycle_collector_is_back_after_a_run(tmp_path: Path) -> None:
    make_site(tmp_path, PLAIN)
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    run(tmp_path)
    run(tmp_path, ["guide.md"])
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_a_fix_run_never_trusts_the_snapshot_for_the_files_it_edits(tmp_path: Path) -> None:
    from linklint.cli import main

    make_site(tmp_path, {**PLAIN, "guide.md": PLAIN["guide.md"].replace("basics.md#soil", "basic.md#soil")})
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main(["check", "--format", "concise"]) == 1  # stores the snapshot
        assert main(["fix", "--unsafe-fixes", "guide.md"]) in (0, 1)
        assert main(["check", "--format", "concise", "guide.md"]) in (0, 1)
    finally:
        os.chdir(cwd)
    assert "[the basics](basics.md#soil)" in (tmp_path / "guide.md").read_text()
    assert facts(run(tmp_path, ["guide.md"]).report) == facts(run(tmp_path, ["guide.md"], cache=False).report)
    assert (tmp_path / CACHE_DIR).is_dir()


def test_targets_stored_on_another_day_are_resolved_again(tmp_path: Path, monkeypatch) -> None:
    import linklint.snapshot as snapshot

    make_site(tmp_path, PLAIN)
    monkeypatch.setattr(snapshot, "_today", lambda: "2000-01-01")
    run(tmp_path)
    monkeypatch.undo()
    found = run(tmp_path, ["guide.md"])
    assert found.site.retargeted  # a future-dated post may be out by now
    assert isinstance(found.site.documents["news.md"], StoredDocument)
    assert len(run(tmp_path, ["guide.md"]).site.stored_links) == 5  # and the snapshot is renewed


def test_the_cache_does_not_grow_by_a_report_at_every_edit(tmp_path: Path) -> None:
    from linklint.cli import main

    make_site(tmp_path, PLAIN)

    def entries() -> dict[str, int]:
        return {
            str(p.relative_to(tmp_path)): p.stat().st_size
            for p in (tmp_path / CACHE_DIR).glob("??/*")
        }

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        counts = []
        for round_ in range(4):
            if round_:
                edit(tmp_path, "more.md", "# More", f"# More, round {round_}")
            main(["check", "--format", "concise"])
            main(["check", "--format", "concise", "guide.md"])
            counts.append(entries())
    finally:
        os.chdir(cwd)
    # Every edit adds the new parse and term counts of the edited page, and
    # replaces the results, printouts and the stored site.
    added = [set(after) - set(before) for before, after in zip(counts, counts[1:])]
    assert [len(a) for a in added] == [2, 2, 2]
    assert len(counts[3]) == len(counts[0]) + 6


def test_a_page_that_is_a_symbolic_link_is_always_read(tmp_path: Path) -> None:
    make_site(tmp_path, {**PLAIN, "shared/notes.md": "# Notes\n\nNothing yet.\n"})
    (tmp_path / "notes.md").symlink_to("shared/notes.md")
    os.utime(tmp_path / "notes.md", (HOUR_AGO, HOUR_AGO), follow_symlinks=False)
    run(tmp_path)
    # The link's own stamp stays; the file it points to gains a link to news.md
    # with the text guide.md uses for it (LL005 on news.md counts it).
    edit(tmp_path, "shared/notes.md", "Nothing yet.", "See [news](news.md).")
    found = run(tmp_path, ["guide.md"])
    assert not isinstance(found.site.documents["notes.md"], StoredDocument)
    assert isinstance(found.site.documents["news.md"], StoredDocument)
    assert facts(found.report) == facts(run(tmp_path, ["guide.md"], cache=False).report)
