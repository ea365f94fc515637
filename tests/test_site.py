"""Link resolution in the plain profile (a Git repository as GitHub renders it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from linklint.model import Directive
from linklint.suppress import Suppressions
from tests.site_helpers import git_init, positions, run_site, write_files

FILES = {
    ".linklint.yaml": "base_url: https://blog.example/notes/\ncontent: site\n",
    "site/README.md": "# Home\n",
    "site/posts/a.md": "# A\n\n## Part one\n",
    "site/posts/README.md": "# Posts\n",
    "site/docs/index.md": "# Docs\n",
    "site/img/p.png": "png",
    "site/my notes.md": "# Notes\n",
    "outside.md": "# Not part of the site\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    return run_site(root, FILES, select=["LL003"]).site


@pytest.mark.parametrize(
    ("destination", "status", "path", "fragment"),
    [
        ("posts/a.md", "page", "site/posts/a.md", None),
        ("./posts/a.md#part-one", "page", "site/posts/a.md", "part-one"),
        ("posts/", "page", "site/posts/README.md", None),
        ("posts", "page", "site/posts/README.md", None),
        ("docs/", "page", "site/docs/index.md", None),
        ("img/p.png", "asset", "site/img/p.png", None),
        ("img", "asset", "site/img", None),
        ("my%20notes.md", "page", "site/my notes.md", None),
        ("/posts/a.md", "page", "site/posts/a.md", None),
        ("/posts/a/", "page", "site/posts/a.md", None),
        ("/posts/a.html", "page", "site/posts/a.md", None),
        ("https://blog.example/notes/posts/a/#part-one", "page", "site/posts/a.md", "part-one"),
        ("https://BLOG.example/notes/", "page", "site/README.md", None),
        ("//blog.example/notes/docs/", "page", "site/docs/index.md", None),
        ("https://blog.example/other/", "external", None, None),
        ("https://elsewhere.example/notes/posts/a/", "external", None, None),
        ("mailto:me@blog.example", "external", None, None),
        ("#top", "page", "site/README.md", "top"),
        ("posts/b.md", "missing", "site/posts/b.md", None),
        ("posts/a.md/", "missing", "site/posts/a.md", None),
        ("../outside.md", "asset", "outside.md", None),  # a file, not a page of the site
        ("../../etc/passwd", "outside", None, None),
        ("", "empty", None, None),
        ("{{< ref \"a.md\" >}}", "skipped", None, None),
    ],
)
def test_resolution_from_the_home_page(site, destination, status, path, fragment) -> None:
    target = site.profile.resolve("site/README.md", destination)
    assert (target.status, target.path, target.fragment) == (status, path, fragment)


def test_links_from_a_subfolder_are_relative_to_it(site) -> None:
    resolve = site.profile.resolve
    assert resolve("site/posts/a.md", "../docs/").path == "site/docs/index.md"
    assert resolve("site/posts/a.md", "README.md").path == "site/posts/README.md"
    assert resolve("site/posts/a.md", "/README.md").path == "site/README.md"


def test_pages_outside_the_content_root_are_not_part_of_the_site(site) -> None:
    assert sorted(site.documents) == [
        "site/README.md",
        "site/docs/index.md",
        "site/my notes.md",
        "site/posts/README.md",
        "site/posts/a.md",
    ]


def test_ids_include_slugs_explicit_ids_and_html_anchors(tmp_path: Path) -> None:
    run = run_site(
        tmp_path,
        {"a.md": '# Café & Crème!\n\n## Café & Crème!\n\n## Soil {#dirt}\n\n<a id="raw"></a>\n'},
        select=["LL004"],
    )
    assert run.site.ids("a.md") == {"café--crème", "café--crème-1", "dirt", "raw"}



def test_heading_ids_under_each_algorithm_are_worked_out_once_per_page(tmp_path: Path, monkeypatch) -> None:
    import linklint.slugs

    run = run_site(tmp_path, {"a.md": "# Café & Crème!\n\n## Café & Crème!\n\n## Soil {#dirt}\n"}, select=["LL004"])
    made = []
    real = linklint.slugs.heading_ids
    monkeypatch.setattr(linklint.slugs, "heading_ids", lambda *a, **k: made.append(k["algorithm"]) or real(*a, **k))

    hugo = run.site.heading_ids_under("a.md", "hugo")
    assert hugo == ["café--crème", "café--crème-1", "dirt"]
    hugo.append("changed by the caller")
    assert run.site.heading_ids_under("a.md", "hugo") == ["café--crème", "café--crème-1", "dirt"]
    assert run.site.heading_ids_under("a.md", "kramdown") == ["caf--crme", "caf--crme-1", "dirt"]
    assert made == ["hugo", "kramdown"]
    ids = run.site.heading_id_list("a.md")
    ids.clear()
    assert run.site.heading_id_list("a.md") == ["café--crème", "café--crème-1", "dirt"]


def test_a_site_keeps_the_last_heading_id_lists_only(tmp_path: Path, monkeypatch) -> None:
    import linklint.site
    import linklint.slugs

    monkeypatch.setattr(linklint.site, "KEPT_HEADING_IDS", 2)
    run = run_site(tmp_path, {"a.md": "# A one\n", "b.md": "# B one\n", "c.md": "# C one\n"}, select=["LL004"])
    made = []
    real = linklint.slugs.heading_ids
    monkeypatch.setattr(linklint.slugs, "heading_ids", lambda *a, **k: made.append(k["algorithm"]) or real(*a, **k))
    for page in ("a.md", "b.md", "c.md", "c.md", "b.md", "a.md"):
        assert run.site.heading_ids_under(page, "gitlab") == [page[0] + "-one"]
    assert made == ["gitlab"] * 4  # a, b, c; c and b kept; a let go and made again

def test_git_ignored_files_are_not_part_of_the_site(tmp_path: Path) -> None:
    git_init(tmp_path)
    write_files(tmp_path, {".gitignore": "public/\n", "a.md": "[b](public/b.md)\n", "public/b.md": "# built\n"})
    run = run_site(tmp_path, select=["LL003"])
    assert sorted(run.site.documents) == ["a.md"]
    assert [(v.code, v.path) for v in run.report.violations] == [("LL003", "a.md")]


def test_suppressions_last_switch_wins() -> None:
    directives = [
        Directive("disable", (), 2),
        Directive("enable", ("LL003",), 4),
        Directive("disable-next-line", ("LL004",), 6),
        Directive("disable-line", ("nope",), 8),
    ]
    s = Suppressions(directives, lambda w: w if w.startswith("LL") else None)
    assert [s.suppressed("LL003", line) for line in (1, 2, 3, 4, 5)] == [False, True, True, False, False]
    assert [s.suppressed("LL006", line) for line in (1, 3, 5)] == [False, True, True]
    assert s.unknown == [(directives[3], "nope")]
    lines = Suppressions(directives[2:], lambda w: w if w.startswith("LL") else None)
    assert [lines.suppressed("LL004", line) for line in (6, 7, 8)] == [False, True, False]
    assert [lines.suppressed("LL003", line) for line in (6, 7, 8)] == [False, False, False]


TEST_DATA_SITE = {
    "docs/guide.md": "# Guide\n\n[fixture](../tests/fixtures/broken.md) [data](../pkg/testdata/notes.md#anything)\n",
    "tests/fixtures/broken.md": "# Broken on purpose\n\n[gone](gone.md)\n",
    "pkg/testdata/notes.md": "[gone](gone.md)\n",
    "vendor/lib/README.md": "[gone](gone.md)\n",
    "Tests/upper.md": "[gone](gone.md)\n",
    "latest/tests.md": "[gone](gone.md)\n",
}


def test_markdown_in_folders_of_tests_and_dependencies_is_no_page(tmp_path: Path) -> None:
    # Test data (broken links on purpose) and vendored projects' docs are not
    # the site: not checked, still valid link targets. A file named so, or a
    # folder named in part so, is a page as any other.
    run = run_site(tmp_path, TEST_DATA_SITE, select=["LL003", "LL004"])
    assert sorted(run.site.documents) == ["docs/guide.md", "latest/tests.md"]
    assert positions(run) == [("LL003", "latest/tests.md", 1, 1)]


def test_include_makes_every_folder_hold_pages(tmp_path: Path) -> None:
    files = {**TEST_DATA_SITE, ".linklint.yaml": "include: ['**/*.md']\n"}
    run = run_site(tmp_path, files, select=["LL003"])
    assert [path for _, path, _, _ in positions(run)] == [
        "Tests/upper.md", "latest/tests.md", "pkg/testdata/notes.md", "tests/fixtures/broken.md", "vendor/lib/README.md",
    ]


def test_a_generator_keeps_the_tests_pages_it_publishes(tmp_path: Path) -> None:
    # A site may publish a `tests/` section (google/docsy does): inside the
    # folder the generator publishes from such pages stay; test data beside
    # it (the site's own golden files, the repository's tests) does not.
    files = {
        "site/hugo.toml": "baseURL = 'https://x.org/'\n",
        "site/content/_index.md": "# Home\n\n[cover](/tests/cover/)\n",
        "site/content/tests/cover.md": "# Cover\n\n[gone](/nope/)\n",
        "site/tests/goldens/index.md": "[gone](gone.md)\n",
        "tests/fixtures/broken.md": "[gone](gone.md)\n",
    }
    run = run_site(tmp_path / "hugo", files, select=["LL003"])
    assert (run.report.generator, run.site.profile.site_dir) == ("hugo", "site")
    assert sorted(run.site.documents) == ["site/content/_index.md", "site/content/tests/cover.md"]
    assert positions(run) == [("LL003", "site/content/tests/cover.md", 3, 1)]
    # MkDocs at the root publishes `docs/` only.
    run = run_site(tmp_path / "mkdocs", {"mkdocs.yml": "site_name: x\n", "docs/tests/a.md": "# A\n", "tests/b.md": "# B\n"}, select=["LL003"])
    assert sorted(run.site.documents) == ["docs/tests/a.md"]
    # Jekyll at the root publishes every folder: nothing is left out.
    run = run_site(tmp_path / "jekyll", {"_config.yml": "title: x\n", "index.md": "# Home\n", "tests/b.md": "# B\n"}, select=["LL003"])
    assert sorted(run.site.documents) == ["index.md", "tests/b.md"]



@pytest.mark.parametrize(
    ("path", "template"),
    [
        (".github/PULL_REQUEST_TEMPLATE.md", True),
        (".github/pull_request_template.md", True),
        (".github/PULL_REQUEST_TEMPLATE/release.md", True),
        (".github/ISSUE_TEMPLATE/bug_report.md", True),
        ("docs/issue_template.md", True),
        ("ISSUE_TEMPLATE.md", True),
        ("docs/guide/ISSUE_TEMPLATE.md", False),
        (".github/CONTRIBUTING.md", False),
        (".github/ISSUE_TEMPLATE/config.yml", False),
    ],
)
def test_github_issue_and_pull_request_templates(path: str, template: bool) -> None:
    from linklint.sites.base import _GITHUB_TEMPLATE

    assert bool(_GITHUB_TEMPLATE.search(path)) is template
