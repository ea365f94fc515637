"""After pages came or went, a run on a few paths resolves again only the
stored links the change can concern, and the site it sees is the site a run
without cache sees: the same link targets on every page, the same report.

Changes are derived from each fixture site (every generator profile) and the
example site: new pages where links point to missing pages or claim missing
URLs, every page removed in turn, a new bundle, a new index page."""

from __future__ import annotations

import os
import posixpath
import shutil
import time
from pathlib import Path

import pytest

from linklint.cache import ParseCache
from linklint.config import load_config
from linklint.engine import check
from linklint.sites.base import Status
from linklint.rules import specs
from linklint.sites import PROFILE_NAMES
from linklint.snapshot import link_key
from tests.site_helpers import write_settled

HERE = Path(__file__).parent
SITES = {name: HERE / "fixtures" / "sites" / name for name in sorted(os.listdir(HERE / "fixtures" / "sites"))}
SITES["examples"] = HERE.parent / "examples"
SALT = "max_file_size=5000000"
HOUR_AGO = time.time() - 3600


def run(root: Path, paths=None, *, cache: bool = True):
    config = load_config(root, specs(), profiles=PROFILE_NAMES)
    return check(root, config, paths=paths, cache=ParseCache(root, SALT, enabled=cache))


def settle(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (HOUR_AGO, HOUR_AGO))


def copy(name: str, root: Path) -> Path:
    site = root / name
    shutil.copytree(SITES[name], site, ignore=shutil.ignore_patterns(".linklint_cache"))
    settle(site)
    return site


def targets(site) -> dict[str, tuple]:
    return {rel: site.page_targets(rel) for rel in sorted(site.documents)}


def facts(report) -> list[tuple]:
    return [(v.code, v.path, v.span.line, v.span.column, v.message, v.suggestions) for v in report.violations]


def _new_page(rel: str, claims: str | None = None) -> str:
    lines = ["---", f"title: New page {posixpath.basename(rel)}"]
    if claims:
        lines += [f"url: {claims}", f"permalink: {claims}", f"slug: {claims}", f"aliases: [{claims}]"]
    return "\n".join(lines + ["---", "", "# A new page", "", "Some words about the garden.", ""])


def changes(name: str, tmp: Path) -> list[tuple[str, str, str | None]]:
    """(what, path, claimed URL) for the site: pages added where links find
    nothing, each page removed, a new bundle and a new index page."""
    site = run(copy(name, tmp / "probe")).site
    found: list[tuple[str, str, str | None]] = []
    for rel in sorted(site.documents):
        for link, target in zip(site.documents[rel].links, site.targets[rel]):
            if target.status != Status.MISSING or not target.path:
                continue
            path = target.path
            if not path.endswith((".md", ".markdown", ".mdx")):
                path = path.rstrip("/") + ".md"
            if path not in site.inventory.files and ("add", path, None) not in found:
                found.append(("add", path, None))
            if link.destination.startswith("/"):
                # A page beside the linking one that claims the URL.
                url = link.destination.split("#", 1)[0]
                found.append(("add", posixpath.join(posixpath.dirname(rel), f"zz-claims-{len(found)}.md"), url))
    found += [("remove", rel, None) for rel in sorted(site.documents)]
    folder = posixpath.dirname(sorted(site.documents)[-1])
    found.append(("add", posixpath.join(folder, "zz-bundle", "index.md"), None))  # a bundle in a new folder
    found.append(("add", posixpath.join(folder, "_index.md"), None))  # an index beside other pages
    return found




@pytest.fixture(scope="module")
def derived(tmp_path_factory) -> dict[str, list]:
    tmp = tmp_path_factory.mktemp("derive")
    return {name: changes(name, tmp) for name in SITES}


@pytest.mark.parametrize("name", list(SITES))
def test_after_pages_came_or_went_the_site_is_the_site_without_cache(tmp_path: Path, name: str, derived) -> None:
    cases = derived[name]
    assert any(what == "add" for what, _, _ in cases) and any(what == "remove" for what, _, _ in cases)
    partly = 0  # runs that resolved some stored links again, not all
    for number, (what, rel, claims) in enumerate(cases):
        root = copy(name, tmp_path / str(number))
        first = run(root)
        if what == "add":
            write_settled(root, {rel: _new_page(rel, claims)}, HOUR_AGO + 60)
            reported = [rel]
        else:
            (root / rel).unlink()
            reported = [next(p for p in sorted(first.site.documents) if p != rel)]
        found = run(root, reported)
        fresh = run(root, reported, cache=False)
        case = (what, rel, claims)
        if len(found.site.documents) > len(reported):
            assert found.site.stored_links, case  # the stored site was used
        partly += found.site.retargeted != set(found.site.stored_links)
        assert targets(found.site) == targets(fresh.site), case
        assert facts(found.report) == facts(fresh.report), case
    assert partly > 0


@pytest.mark.parametrize("what", ["add", "remove"])
def test_a_page_whose_url_its_names_do_not_show(tmp_path: Path, what: str) -> None:
    # Zola transliterates file names into URLs: "blåbær.md" is served at
    # /blog/blabaer/, a name no folder, file name or front matter of the page
    # shows ("blabær" folded). A new page is known by its URLs too; a removed one by the links
    # that led to it.
    root = copy("zola", tmp_path)
    page = {"content/blog/blåbær.md": "+++\ntitle = \"Hello\"\n+++\n\nWords.\n"}
    linker = {"content/blog/zz-linker.md": "+++\ntitle = \"Linker\"\n+++\n\nSee [hello](/blog/blabaer/).\n"}
    write_settled(root, {**linker, **(page if what == "remove" else {})}, HOUR_AGO)
    run(root)
    if what == "add":
        write_settled(root, page, HOUR_AGO + 60)
    else:
        (root / "content/blog/blåbær.md").unlink()
    found = run(root, ["content/about.md"])
    assert "content/blog/zz-linker.md" in found.site.retargeted
    assert found.site.retargeted != set(found.site.stored_links)
    fresh = run(root, ["content/about.md"], cache=False)
    assert targets(found.site) == targets(fresh.site)
    assert ("content/blog/blåbær.md" in dict(map(reversed, found.site.page_targets("content/blog/zz-linker.md")))) == (what == "add")


def _plain(tmp_path: Path) -> Path:
    files = {
        "README.md": "# Home\n\n[Guide](guide.md) and [news](posts/news.md).\n",
        "guide.md": "# Guide\n\nSee [the new page](new-page.md) and [home](README.md).\n",
        "posts/news.md": "# News\n\nSee [it](../New%20Page.MD#top) and [the guide](../guide.md).\n",
        "posts/old.md": "# Old\n\nSee [the guide](../guide.md) and [news](news.md).\n",
        "posts/up.md": "# Up\n\nSee [the folder](../) and [news](./news.md).\n",
    }
    write_settled(tmp_path, files, HOUR_AGO)
    return tmp_path


def test_a_new_page_resolves_again_only_the_links_that_name_it(tmp_path: Path) -> None:
    root = _plain(tmp_path)
    run(root)
    write_settled(root, {"new-page.md": "# New\n\nBack [home](README.md).\n"}, HOUR_AGO + 60)
    found = run(root, ["new-page.md"])
    # guide.md names new-page.md; news.md names "New Page.MD" (folded alike);
    # up.md links to "../", whose name cannot be told. README.md and old.md
    # keep their stored targets.
    assert found.site.retargeted == {"guide.md", "posts/news.md", "posts/up.md"}
    assert [e.source for e in found.site.inbound["new-page.md"]] == ["guide.md"]
    assert targets(found.site) == targets(run(root, ["new-page.md"], cache=False).site)


def test_a_removed_page_resolves_again_the_links_that_led_to_it(tmp_path: Path) -> None:
    root = _plain(tmp_path)
    run(root)
    (root / "posts" / "news.md").unlink()
    found = run(root, ["guide.md"])
    assert found.site.retargeted == {"README.md", "posts/old.md", "posts/up.md"}
    assert targets(found.site) == targets(run(root, ["guide.md"], cache=False).site)


def test_a_selective_update_stores_no_new_snapshot(tmp_path: Path, monkeypatch) -> None:
    import linklint.snapshot

    root = _plain(tmp_path)
    run(root)
    stored: list[int] = []
    original = linklint.snapshot.store
    monkeypatch.setattr(linklint.snapshot, "store", lambda *a: (stored.append(1), original(*a)))
    write_settled(root, {"new-page.md": "# New\n"}, HOUR_AGO + 60)
    assert run(root, ["new-page.md"]).site.retargeted
    assert run(root, ["guide.md"]).site.retargeted  # the same plan again: the snapshot has not moved
    assert stored == []
    write_settled(root, {"img/logo.png": b"\x89PNG\r\n"}, HOUR_AGO + 60)  # a file that is no page
    assert run(root, ["guide.md"]).site.retargeted == {"README.md", "guide.md", "posts/news.md", "posts/old.md", "posts/up.md"} - {"guide.md"}
    assert stored == [1]


@pytest.mark.parametrize(
    "added",
    [
        "posts/index.md",  # an index page beside other pages: their roles may change
        "README.md",
    ],
)
def test_a_new_index_page_beside_other_files_resolves_every_link_again(tmp_path: Path, added: str) -> None:
    root = _plain(tmp_path)
    if added == "README.md":
        (root / "README.md").rename(root / "home.md")
    run(root)
    write_settled(root, {added: "# Index\n"}, HOUR_AGO + 60)
    found = run(root, [added])
    assert found.site.retargeted == set(found.site.stored_links)
    assert targets(found.site) == targets(run(root, [added], cache=False).site)


@pytest.mark.parametrize(
    ("destination", "key"),
    [
        ("new-page.md", "newpage"),
        ("../posts/New%20Page.MD#top", "newpage"),
        ("/blog/2024/über-uns/", "uberuns"),
        ("https://example.org/docs/intro?x=1", "intro"),
        ("xref:System.String", "system"),
        ("@/blog/first.md", "first"),
        ("#top", None),
        ("?page=2", None),
        ("../", ""),
        ("/", ""),
        ('{{< ref "first.md" >}}', ""),
        ("{% link _posts/x.md %}", ""),
    ],
)
def test_link_keys(destination: str, key: str | None) -> None:
    assert link_key(destination) == key


def test_a_new_bundle_in_a_new_folder_is_like_any_new_page(tmp_path: Path) -> None:
    root = _plain(tmp_path)
    run(root)
    write_settled(root, {"posts/bundle/index.md": "# Bundle\n", "posts/another.md": "# Another\n"}, HOUR_AGO + 60)
    found = run(root, ["posts/another.md"])
    # An index page, but nothing else is in its folder: only the pages whose
    # links could name the new pages are resolved again (up.md links to
    # "../", whose name cannot be told).
    assert found.site.retargeted == {"posts/up.md"}
    assert targets(found.site) == targets(run(root, ["posts/another.md"], cache=False).site)
