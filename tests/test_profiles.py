"""Generator profiles on small fixture sites (``tests/fixtures/sites/<generator>``).

Each fixture has the generator's own config file, links that look broken to a
checker that reads files instead of URLs but work on the built site, and links
that really are broken. The tests assert the exact violations, then how single
links resolve: drafts, aliases and case-only matches are their own statuses and
warnings, never "missing".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linklint.cli import main
from linklint.sites import PROFILE_NAMES, detect
from tests.site_helpers import positions, run_site, write_files

FIXTURES = Path(__file__).parent / "fixtures" / "sites"


def _copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Each fixture site, copied out of the repository and checked once."""
    runs = {}
    base = tmp_path_factory.mktemp("sites")
    for name in ("hugo", "jekyll", "mkdocs", "zola", "docusaurus", "mdbook", "docfx", "eleventy", "astro"):
        runs[name] = run_site(_copy(base, name), select=["LL003", "LL004"])
    return runs


EXPECTED = {
    "hugo": [
        ("LL003", "content/about.md", 13, 1),  # ref to a page that does not exist
        ("LL004", "content/about.md", 14, 1),  # #nope
        ("LL003", "content/about.md", 15, 1),  # the file path, not the permalink
    ],
    "jekyll": [
        ("LL004", "_posts/2024-02-01-second.md", 11, 1),
        ("LL003", "_posts/2024-02-01-second.md", 12, 1),
        ("LL003", "_posts/2024-02-01-second.md", 13, 1),  # {% link %} to a missing file
    ],
    "mkdocs": [
        ("LL004", "docs/guide/setup.md", 11, 39),  # #café: Python-Markdown folds it to #cafe
        ("LL003", "docs/index.md", 9, 1),
        ("LL004", "docs/index.md", 10, 1),  # #install_steps
    ],
    "zola": [
        ("LL003", "content/pages/links.md", 11, 1),
        ("LL004", "content/pages/links.md", 12, 1),
        ("LL003", "content/pages/links.md", 13, 1),  # the date is not part of the URL
    ],
    "docusaurus": [
        ("LL003", "docs/links.md", 11, 1),
        ("LL004", "docs/links.md", 12, 1),
        ("LL003", "docs/links.md", 13, 1),  # number prefixes are not part of the URL
    ],
    "mdbook": [
        ("LL003", "src/README.md", 5, 1),
        ("LL004", "src/README.md", 6, 1),
    ],
    "docfx": [
        ("LL003", "docs/index.md", 8, 1),
        ("LL004", "docs/index.md", 9, 1),
    ],
    "eleventy": [("LL003", "src/index.md", 6, 1)],
    "astro": [("LL003", "src/pages/about.md", 5, 1)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_site_violations(sites, name: str) -> None:
    run = sites[name]
    assert run.report.generator == name
    assert positions(run) == EXPECTED[name]


def _resolve(run, source: str, destination: str):
    target = run.site.profile.resolve(source, destination)
    return target.status, target.path, target.fragment, bool(target.warning)


HUGO_LINKS = [
    ('{{< ref "posts/first-post.md#getting-started-1" >}}', ("page", "content/posts/first-post.md", "getting-started-1", False)),
    ('{{< relref "install guide" >}}', ("page", "content/docs/Install Guide.md", None, False)),
    ("/2024/03/hello/", ("page", "content/posts/first-post.md", None, False)),
    ("../docs/bundle/diagram.png", ("asset", "content/docs/bundle/diagram.png", None, False)),
    ("/tags/go-lang/", ("asset", None, None, False)),
    ("/images/logo.png", ("asset", "static/images/logo.png", None, False)),
    ("/old/first/", ("page", "content/posts/first-post.md", None, True)),  # an alias
    ("/Docs/Install-Guide/", ("page", "content/docs/Install Guide.md", None, True)),  # case only
    ('{{< ref "posts/draft.md" >}}', ("draft", "content/posts/draft.md", None, False)),
    ("posts/first-post.md", ("page", "content/posts/first-post.md", None, True)),  # needs a render hook
    ('{{< ref "posts/missing.md" >}}', ("missing", "content/posts/missing.md", None, False)),
]


@pytest.mark.parametrize(("destination", "expected"), HUGO_LINKS)
def test_hugo_links(sites, destination: str, expected) -> None:
    assert _resolve(sites["hugo"], "content/about.md", destination) == expected


def test_hugo_ids_come_from_the_heading_source(sites) -> None:
    site = sites["hugo"].site
    assert site.heading_id_list("content/posts/first-post.md") == [
        "getting-started",
        "getting-started-1",
        "the-foo-callhttpsxio",  # goldmark slugs the source line, the link's URL included
    ]
    assert site.heading_id_list("content/docs/Install Guide.md") == ["cafe", "étape-1"]


def test_hugo_templates_are_not_pages(sites) -> None:
    assert "archetypes/default.md" not in sites["hugo"].site.documents


JEKYLL_LINKS = [
    ("../../../../news/2024/01/31/hello-world/#section-one-1", ("page", "_posts/2024-01-31-hello-world.md", "section-one-1", False)),
    ("{% post_url 2024-01-31-hello-world %}#section-one", ("page", "_posts/2024-01-31-hello-world.md", "section-one", False)),
    ("{{ site.baseurl }}/about/#über-uns", ("page", "about.md", "über-uns", False)),
    ("{% link _guides/setup.md %}", ("page", "_guides/setup.md", None, False)),
    ('{{ "/assets/logo.png" | relative_url }}', ("asset", "assets/logo.png", None, False)),
    ("../_posts/2024-01-31-hello-world.md", ("page", "_posts/2024-01-31-hello-world.md", None, True)),
    ("{% post_url 2024-03-01-upcoming %}", ("draft", "_drafts/2024-03-01-upcoming.md", None, False)),
    ("/old-hello/", ("page", "_posts/2024-01-31-hello-world.md", None, True)),
]


@pytest.mark.parametrize(("destination", "expected"), JEKYLL_LINKS)
def test_jekyll_links(sites, destination: str, expected) -> None:
    assert _resolve(sites["jekyll"], "_posts/2024-02-01-second.md", destination) == expected


def test_jekyll_kramdown_ids_and_attribute_lists(sites) -> None:
    site = sites["jekyll"].site
    assert site.heading_id_list("_posts/2024-01-31-hello-world.md") == ["section-one", "section-one-1"]
    assert site.heading_id_list("_guides/setup.md") == ["install-steps", "config"]


MKDOCS_LINKS = [
    ("guide/setup.md#install-steps_1", ("page", "docs/guide/setup.md", "install-steps_1", False)),
    ("guide/", ("page", "docs/guide/index.md", None, False)),
    ("guide/setup/", ("page", "docs/guide/setup.md", None, False)),
    ("img/shot.png", ("asset", "docs/img/shot.png", None, False)),
    ("/guide/setup/", ("page", "docs/guide/setup.md", None, True)),  # leaves out the base path /proj/
    ("/proj/guide/setup/", ("page", "docs/guide/setup.md", None, False)),
    ("old/", ("page", "docs/guide/setup.md", None, True)),  # redirect_maps
]


@pytest.mark.parametrize(("destination", "expected"), MKDOCS_LINKS)
def test_mkdocs_links(sites, destination: str, expected) -> None:
    assert _resolve(sites["mkdocs"], "docs/index.md", destination) == expected


def test_mkdocs_readme_outside_docs_is_resolved_as_github_does(sites) -> None:
    assert _resolve(sites["mkdocs"], "README.md", "docs/index.md") == ("page", "docs/index.md", None, False)


ZOLA_LINKS = [
    ("@/blog/2024-01-05-first-post.md#hehe-1", ("page", "content/blog/2024-01-05-first-post.md", "hehe-1", False)),
    ("https://zola.example/blog/first-post/", ("page", "content/blog/2024-01-05-first-post.md", None, False)),
    ("/company/about/", ("page", "content/about.md", None, False)),
    ("../../blog/bundle/pic.png", ("asset", "content/blog/bundle/pic.png", None, False)),
    ("/fr/blog/first-post/", ("page", "content/blog/2024-01-05-first-post.fr.md", None, False)),
    ("/tags/rust/", ("asset", None, None, False)),
    ("@/blog/draft.md", ("draft", "content/blog/draft.md", None, False)),
    ("/old/first/", ("page", "content/blog/2024-01-05-first-post.md", None, True)),
]


@pytest.mark.parametrize(("destination", "expected"), ZOLA_LINKS)
def test_zola_links(sites, destination: str, expected) -> None:
    assert _resolve(sites["zola"], "content/pages/links.md", destination) == expected


def test_zola_emoji_ids_are_matched_loosely(sites) -> None:
    ids = sites["zola"].site.ids("content/blog/2024-01-05-first-post.md")
    # deunicode spells the crab out as a word; which word is not known here.
    assert "crab-rust-crabs" in ids and "rust-crabs" in ids
    assert "hehe" in ids and "hehe-1" in ids and "heh" not in ids


def test_docusaurus_draft_and_home(sites) -> None:
    run = sites["docusaurus"]
    assert _resolve(run, "docs/links.md", "./next.md")[0] == "draft"
    assert _resolve(run, "docs/links.md", "/")[0] == "asset"  # src/pages/index.js
    assert _resolve(run, "docs/links.md", "/docs/guides")[1] == "docs/01-guides/index.md"


def test_mdbook_summary_and_unlisted_chapters(sites) -> None:
    run = sites["mdbook"]
    assert _resolve(run, "src/README.md", "notes.md")[0] == "draft"  # not in SUMMARY.md
    assert _resolve(run, "src/README.md", "README.md") == ("page", "src/README.md", None, True)
    assert _resolve(run, "src/SUMMARY.md", "README.md") == ("page", "src/README.md", None, False)
    assert _resolve(run, "src/SUMMARY.md", "")[0] == "skipped"  # a draft chapter


def test_docfx_case_redirects_and_xrefs(sites) -> None:
    run = sites["docfx"]
    assert _resolve(run, "docs/index.md", "Getting-Started.md#section") == ("page", "docs/getting-started.md", "section", False)
    assert _resolve(run, "docs/index.md", "xref:guide.start#install")[:2] == ("page", "docs/getting-started.md")
    assert _resolve(run, "docs/index.md", "xref:System.String")[0] == "skipped"
    assert _resolve(run, "docs/index.md", "old-page.md")[::3] == ("asset", True)  # through a redirect
    assert _resolve(run, "docs/index.md", "/other-product/page")[0] == "skipped"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"hugo.toml": "baseURL = 'https://x.org/'\n"}, "hugo"),
        ({"config/_default/hugo.toml": "\n"}, "hugo"),
        ({"config.toml": "baseURL = 'https://x.org/'\n", "content/a.md": ""}, "hugo"),
        ({"config.toml": "base_url = 'https://x.org'\n", "content/a.md": ""}, "zola"),
        ({"_config.yml": "title: x\n"}, "jekyll"),
        ({"mkdocs.yml": "site_name: x\n", "_config.yml": "x: 1\n"}, "mkdocs"),
        ({"docusaurus.config.ts": "export default {}\n"}, "docusaurus"),
        ({"book.toml": "[book]\n"}, "mdbook"),
        ({"docfx.json": "{}\n"}, "docfx"),
        ({"eleventy.config.js": "\n"}, "eleventy"),
        ({"astro.config.mjs": "\n"}, "astro"),
        ({"README.md": "# x\n"}, "plain"),
    ],
)
def test_detection_reads_the_repository_config(tmp_path: Path, files, expected: str) -> None:
    write_files(tmp_path, files)
    assert detect(set(files), ".", tmp_path) == expected
    assert expected in PROFILE_NAMES


def test_detection_in_the_content_folder(tmp_path: Path) -> None:
    assert detect({"site/_config.yml", "README.md"}, "site", tmp_path) == "jekyll"


def test_explicit_site_setting_wins(tmp_path: Path) -> None:
    write_files(tmp_path, {".linklint.yaml": "site: plain\n", "hugo.toml": "\n", "content/a.md": "[b](/b/)\n", "content/b.md": "# B\n"})
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "plain"
    assert positions(run) == [("LL003", "content/a.md", 1, 1)]


def test_a_broken_generator_config_falls_back_to_defaults(tmp_path: Path) -> None:
    write_files(tmp_path, {"hugo.toml": "baseURL = [unclosed\n", "content/a.md": "[b](/b/)\n", "content/b.md": "# B\n"})
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "hugo"
    assert positions(run) == []


def test_explain_links(tmp_path: Path, capsys) -> None:
    root = _copy(tmp_path, "jekyll")
    code = main(["check", "--root", str(root), "--no-cache", "--explain-links", str(root / "_posts/2024-02-01-second.md")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "_posts/2024-02-01-second.md: profile jekyll, URL /2024/02/01/second/"
    assert "    draft -> _drafts/2024-03-01-upcoming.md (URL /2024/03/01/upcoming/)" in out
    assert "    anchor #section-two: not found" in out
    assert "    warning: `/old-hello/` is only a redirect (alias) to `/news/2024/01/31/hello-world/`; link to the page itself" in out
