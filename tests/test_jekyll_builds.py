"""Jekyll sites as large documentation sites build them: configs named by a
build command, Redcarpet's ids, `markdown="1"` sections, includes (versioned
by a folder of the page's path) and Liquid values in headings and links."""

from __future__ import annotations

from pathlib import Path

import pytest

from linklint.sites import find_site
from linklint.sites.jekyll import JekyllProfile
from tests.site_helpers import positions, run_site, write_files


def _resolve(run, source: str, destination: str):
    target = run.site.profile.resolve(source, destination)
    return target.status, target.path, target.fragment, bool(target.warning)


# -- configs a build command names ------------------------------------------------


BUILD_FILES = {
    "docs/Gemfile": 'gem "jekyll"\n',
    "docs/Makefile": (
        "serve:\n\tbundle exec jekyll serve --config _config_base.yml,_config_local.yml\n"
        "build:\n\tbundle exec jekyll build --trace --config _config_base.yml,_config_site.yml$(extra)\n"
        "algolia:\n\tbundle exec jekyll algolia --config _config_base.yml,$(CONFIG)\n"
    ),
    "docs/_config_base.yml": "markdown: kramdown\nkramdown:\n  auto_id_prefix: base-\n  input: GFM\npermalink: pretty\n",
    "docs/_config_site.yml": "baseurl: /docs\nkramdown:\n  auto_id_prefix: ''\n",
    "docs/_config_local.yml": "baseurl: ''\n",
    "docs/index.md": "---\ntitle: Home\n---\n# Home\n\n[Install](/docs/install/#get-it) and [again]({% link install.md %}#get-it).\n",
    "docs/install.md": "---\ntitle: Install\n---\n## Get it\n\nText.\n",
}


def test_a_site_without_config_yml_is_found_by_its_build_command(tmp_path: Path) -> None:
    write_files(tmp_path, BUILD_FILES)
    files = {p for p in BUILD_FILES}
    # The `jekyll build` line wins over the `serve` line before it; a list
    # ending in a variable (`_config_base.yml,$(CONFIG)`) is passed over.
    assert JekyllProfile.build_configs(files, "docs/", tmp_path) == ["_config_base.yml", "_config_site.yml"]
    assert find_site(files, ".", tmp_path) == (JekyllProfile, "docs")


def test_build_configs_are_merged_in_order(tmp_path: Path) -> None:
    run = run_site(tmp_path, BUILD_FILES, select=["LL003", "LL004"])
    assert run.report.generator == "jekyll"
    # `auto_id_prefix` of the second config replaces the first's, the rest of
    # the `kramdown` table stays; `baseurl: /docs` makes the base path.
    assert run.site.profile.settings["kramdown"] == {"auto_id_prefix": "", "input": "GFM"}
    assert run.site.profile.base_path == "/docs/"
    assert positions(run) == []
    assert _resolve(run, "docs/index.md", "/docs/install/#get-it") == ("page", "docs/install.md", "get-it", False)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("netlify.toml", '[build]\ncommand = "jekyll build --config _config.prod.yml"\n', ["_config.prod.yml"]),
        ("package.json", '{"scripts": {"build": "bundle exec jekyll build --config=_a.yml,_b.yml"}}\n', ["_a.yml", "_b.yml"]),
        ("build.sh", "#!/bin/sh\njekyll serve --config _a.yml\n", ["_a.yml"]),
        # A name that is not there, another tool's `--config`: no site.
        ("Makefile", "all:\n\tjekyll build --config _a.yml,_missing.yml\n", []),
        ("package.json", '{"scripts": {"fmt": "prettier --config _a.yml ."}}\n', []),
    ],
)
def test_build_commands_in_other_files(tmp_path: Path, name: str, text: str, expected: list[str]) -> None:
    files = {name: text, "Gemfile": 'gem "jekyll"\n', "_a.yml": "title: A\n", "_b.yml": "title: B\n", "_config.prod.yml": "title: P\n"}
    write_files(tmp_path, files)
    assert JekyllProfile.build_configs(set(files), "", tmp_path) == expected


def test_build_commands_are_read_only_beside_a_gemfile(tmp_path: Path) -> None:
    files = {"Makefile": "all:\n\tjekyll build --config _a.yml\n", "_a.yml": "title: A\n", "index.md": "# A\n"}
    write_files(tmp_path, files)
    assert JekyllProfile.build_configs(set(files), "", tmp_path) == []
    assert find_site(set(files), ".", tmp_path) is None


def test_config_yml_is_read_alone_when_there_is_one(tmp_path: Path) -> None:
    files = {
        "_config.yml": "baseurl: /blog\n",
        "_config_dev.yml": "baseurl: ''\n",
        "Makefile": "dev:\n\tjekyll build --config _config.yml,_config_dev.yml\n",
        "index.md": "---\ntitle: Home\n---\n# Home\n",
    }
    run = run_site(tmp_path, files, select=["LL003"])
    assert run.site.profile.base_path == "/blog/"


# -- Redcarpet ------------------------------------------------------------------------


def test_redcarpet_ids(tmp_path: Path) -> None:
    files = {
        "_config.yml": "markdown: Redcarpet\n",
        "index.md": (
            "---\ntitle: Home\n---\n"
            "[1](#server-shutdown-initial_wait) [2](#a-b) [3](#whats-next) [4](#repeat) [5](#repeat-1) [6](#fn:x)\n\n"
            "## `server.shutdown.initial_wait`\n\n## A & B\n\n## What's next?\n\n## Repeat\n\n## Repeat\n\nText.[^x]\n\n[^x]: Note.\n"
        ),
    }
    run = run_site(tmp_path, files, select=["LL004"])
    assert run.report.generator == "jekyll"
    # Repeats keep their id (no `-1`); Redcarpet gives footnotes no kramdown ids.
    assert positions(run) == [("LL004", "index.md", 4, 76), ("LL004", "index.md", 4, 91)]


# -- markdown="1" sections --------------------------------------------------------------


def test_a_heading_right_after_a_markdown_section_tag_is_a_heading(tmp_path: Path) -> None:
    files = {
        "_config.yml": "title: x\n",
        "index.md": (
            "---\ntitle: Home\n---\n[1](#status-change) [2](#filter) [3](#after) [4](#nope)\n\n"
            '<section class="filter-content" markdown="1" id="filter">\n#### Status change\n\nText.\n</section>\n'
            "## After\n"
        ),
    }
    run = run_site(tmp_path, files, select=["LL004"])
    assert positions(run) == [("LL004", "index.md", 4, 46)]


# -- includes ---------------------------------------------------------------------------


INCLUDES = {
    "_config.yml": "title: Docs\n",
    "_data/products.yml": "cloud: Cloud\n",
    "_includes/v1/terms.md": "### Consistency\n\nText.\n",
    "_includes/v2/terms.md": "### Consistency v2\n\nText.\n",
    "_includes/nested.md": "{% include_relative deeper.md %}\n",
    "_includes/deeper.md": '<a name="deep"></a> Deep.\n',
    "_includes/loop.md": "{% for g in graphs %}\n## {{ g }} graph\n{% endfor %}\n",
    "_includes/note.md": "A note, no ids.\n",
    "v1/overview.md": (
        "---\ntitle: Overview\n---\n"
        "[1](#consistency) [2](#consistency-v2) [3](#deep) [4](#cpu-graph) [5](#cloud-console) [6](#nope)\n\n"
        "{% include {{ page.version.version }}/terms.md %}\n\n{% include_cached nested.md %}\n\n"
        "{% include loop.md %}\n\n{% include note.md %}\n\n{% include copy-clipboard.html %}\n\n"
        "{% include {{ page.version.version }}/widget.html %}\n\n"
        "## {{ site.data.products.cloud }} Console\n"
    ),
    "v2/page.md": "---\ntitle: Page\n---\nText.\n",
    "v1/remote.md": "---\ntitle: Remote\n---\n{% remote_include https://example.com/generated.md %}\n",
    "v1/lost.md": "---\ntitle: Lost\n---\n{% include {{ page.version.version }}/gone.md %}\n",
    "v1/links.md": (
        "---\ntitle: Links\nproduct: cloud\n---\n"
        "[a]({% link {{ page.version.version }}/overview.md %}#consistency)\n"
        "[b]({% link {{ page.version.version }}/overview.md %}#nope)\n"
        "[c]({% link {{ site.title }}/x.md %})\n"
        "[d]({% link {{ page.who }}/page.md %})\n"
        "[e](remote.md#anything) [f](lost.md#anything)\n"
        "[g]({% link v1/overview.md %}#{{ r.name | slugify }})\n"
    ),
}


def test_included_files_give_the_page_their_ids(tmp_path: Path) -> None:
    run = run_site(tmp_path, INCLUDES, select=["LL003", "LL004"])
    # The version folder of the page picks `v1/terms.md` of the two; an
    # include in an include counts; a heading with a variable no value is
    # known for (`## {{ g }} graph`) is a pattern; `{{ site.data.… }}` is read.
    assert [p for p in positions(run) if p[1] == "v1/overview.md"] == [
        ("LL004", "v1/overview.md", 4, 19),  # #consistency-v2: v2's heading
        ("LL004", "v1/overview.md", 4, 87),  # #nope
    ]


def test_links_with_variables(tmp_path: Path) -> None:
    run = run_site(tmp_path, INCLUDES, select=["LL003", "LL004"])
    # `{{ page.version.version }}` is the page's own folder; `{{ site.title }}`
    # the config's value (`Docs/x.md` is no file: the build fails); a variable
    # that fits no folder of the page is not judged; pages with text linklint
    # cannot read (a remote include, a missing one) have any id; a fragment
    # the template engine writes is not judged.
    assert [p for p in positions(run) if p[1] == "v1/links.md"] == [
        ("LL004", "v1/links.md", 6, 1),
        ("LL003", "v1/links.md", 7, 1),
    ]
    assert _resolve(run, "v1/links.md", "{% link {{ page.version.version }}/overview.md %}#consistency") == (
        "page", "v1/overview.md", "consistency", False,
    )
    assert _resolve(run, "v1/links.md", "{% link {{ page.who }}/page.md %}")[0] == "skipped"


def test_an_id_with_a_template_tag_matches_what_it_may_render_as(tmp_path: Path) -> None:
    files = {
        "_config.yml": "title: x\n",
        "index.md": (
            "---\ntitle: Home\n---\n[1](#step-3-v25.4) [2](#step-4)\n\n"
            '<a id="step-3-{{ page.version.name }}"></a> Step three.\n'
        ),
    }
    run = run_site(tmp_path, files, select=["LL004"])
    assert run.site.documents["index.md"].html_anchors[0].id == "step-3-{{ page.version.name }}"
    assert positions(run) == [("LL004", "index.md", 4, 20)]


def test_an_include_is_parsed_once_across_runs(tmp_path: Path, monkeypatch) -> None:
    from linklint.cache import ParseCache
    from linklint.cli import main

    files = {
        "_config.yml": "title: x\n",
        "_includes/terms.md": "### Consistency\n\nText.\n",
        "index.md": "---\ntitle: Home\n---\n[1](#consistency)\n\n{% include terms.md %}\n",
    }
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--select", "LL004", "--format", "json"]) == 0
    # The include's parse is in the run's cache, as a page's is: the next run
    # (after any edit) reads it from there.
    stored = ParseCache(tmp_path, salt="max_file_size=5000000").get("_includes/terms.md", files["_includes/terms.md"].encode())
    assert stored is not None and [h.text for h in stored.headings] == ["Consistency"]


def test_an_include_in_a_loop_reads_every_file_it_may_be(tmp_path: Path) -> None:
    files = {
        "_config.yml": "title: x\n",
        "_includes/releases/v2/v2.0.md": "## v2.0\n",
        "_includes/releases/v2/v2.1.md": "## v2.1\n",
        "_includes/releases/v1/v1.0.md": "## v1.0\n",
        "releases/v2.md": (
            "---\ntitle: v2\nmajor_version: v2\n---\n[1](#v21) [2](#v10)\n\n"
            "{% for r in releases %}\n{% include releases/{{ page.major_version }}/{{ r.name }}.md %}\n{% endfor %}\n"
        ),
        # More files fit than are read: any id.
        **{f"_includes/many/n{i}.md": f"## N{i}\n" for i in range(101)},
        "many.md": "---\ntitle: Many\n---\n[1](#anything)\n\n{% include many/{{ r.name }}.md %}\n",
    }
    run = run_site(tmp_path, files, select=["LL004"])
    # `{{ page.major_version }}` is the page's front matter: v2's notes, not v1's.
    assert positions(run) == [("LL004", "releases/v2.md", 5, 11)]
