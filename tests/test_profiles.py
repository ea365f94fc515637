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
from linklint.sites import PROFILE_NAMES, detect, find_site
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


# (code, path, line, column, severity): a link that works only by luck (an
# alias, a host redirect, a case-only match, a source file nothing rewrites) is
# a warning; a link to a page the site does not publish is an error of its own.
EXPECTED = {
    "hugo": [
        ("LL003", "content/about.md", 13, 1, "error"),  # ref to a page that does not exist
        ("LL004", "content/about.md", 14, 1, "error"),  # #nope
        ("LL003", "content/about.md", 15, 1, "error"),  # the file path, not the permalink
        ("LL003", "content/about.md", 16, 1, "warning"),  # an alias
        ("LL003", "content/about.md", 17, 1, "warning"),  # case only
        ("LL003", "content/about.md", 18, 1, "error"),  # a draft
        ("LL003", "content/about.md", 19, 1, "warning"),  # a source file, no render hook
    ],
    "jekyll": [
        ("LL004", "_posts/2024-02-01-second.md", 11, 1, "error"),
        ("LL003", "_posts/2024-02-01-second.md", 12, 1, "error"),
        ("LL003", "_posts/2024-02-01-second.md", 13, 1, "error"),  # {% link %} to a missing file
        ("LL003", "_posts/2024-02-01-second.md", 14, 1, "warning"),  # a source file
        ("LL003", "_posts/2024-02-01-second.md", 15, 1, "error"),  # a draft
        ("LL003", "_posts/2024-02-01-second.md", 16, 1, "warning"),  # redirect_from
        ("LL003", "_posts/2024-02-01-second.md", 17, 1, "warning"),  # redirect_from /help/index.html
        # line 19, inside {% capture %}: not rendered where it stands
    ],
    "mkdocs": [
        ("LL004", "docs/guide/setup.md", 11, 39, "error"),  # #café: Python-Markdown folds it to #cafe
        ("LL003", "docs/index.md", 9, 1, "error"),
        ("LL004", "docs/index.md", 10, 1, "error"),  # #install_steps
        ("LL003", "docs/index.md", 11, 1, "warning"),  # leaves out the base path
        ("LL003", "docs/index.md", 12, 1, "warning"),  # redirect_maps
    ],
    "zola": [
        ("LL003", "content/pages/links.md", 11, 1, "error"),
        ("LL004", "content/pages/links.md", 12, 1, "error"),
        ("LL003", "content/pages/links.md", 13, 1, "error"),  # the date is not part of the URL
        ("LL003", "content/pages/links.md", 14, 1, "error"),  # a draft
        ("LL003", "content/pages/links.md", 15, 1, "warning"),  # an alias
    ],
    "docusaurus": [
        ("LL003", "docs/links.md", 11, 1, "error"),
        ("LL004", "docs/links.md", 12, 1, "error"),
        ("LL003", "docs/links.md", 13, 1, "error"),  # number prefixes are not part of the URL
        ("LL003", "docs/links.md", 14, 1, "error"),  # a draft
        ("LL003", "docs/links.md", 15, 1, "warning"),  # static/_redirects
        ("LL003", "docs/links.md", 16, 1, "error"),  # `/* /404.html 404` is no redirect
    ],
    "mdbook": [
        ("LL003", "src/README.md", 5, 1, "error"),
        ("LL004", "src/README.md", 6, 1, "error"),
        ("LL003", "src/README.md", 7, 1, "error"),  # not in SUMMARY.md
        ("LL003", "src/README.md", 8, 1, "warning"),  # README.md is served as index.html
    ],
    "docfx": [
        ("LL003", "docs/index.md", 6, 1, "warning"),  # through a redirection file
        ("LL003", "docs/index.md", 8, 1, "error"),
        ("LL004", "docs/index.md", 9, 1, "error"),
    ],
    "eleventy": [
        ("LL003", "src/index.md", 6, 1, "error"),
        ("LL003", "src/index.md", 9, 1, "error"),  # the data file's permalink drops the date
        ("LL004", "src/index.md", 12, 1, "error"),  # not even the heading's letters
        # line 14, inside {% set %}: not rendered where it stands
    ],
    "astro": [("LL003", "src/pages/about.md", 5, 1, "error")],
}


def _findings(run) -> list[tuple[str, str, int, int, str]]:
    return [(v.code, v.path, v.span.line, v.span.column, str(v.severity.value)) for v in run.report.violations]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_site_violations(sites, name: str) -> None:
    run = sites[name]
    assert run.report.generator == name
    assert _findings(run) == EXPECTED[name]


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


def test_a_url_on_the_sites_host_is_the_built_sites_from_outside_it_too(sites) -> None:
    # A README beside the site's config is shown by GitHub: a root-relative
    # link there follows GitHub's rules, but a badge or link on the site's
    # own host is served by the built site (it was looked for in the
    # repository, as GitHub would look for a root-relative one).
    run = sites["hugo"]
    assert _resolve(run, "README.md", "https://example.org/images/logo.png") == ("asset", "static/images/logo.png", None, False)
    assert _resolve(run, "README.md", "//example.org/images/logo.png") == ("asset", "static/images/logo.png", None, False)
    assert _resolve(run, "README.md", "https://example.org/2024/03/hello/#intro") == ("page", "content/posts/first-post.md", "intro", False)
    assert _resolve(run, "README.md", "https://example.org/images/gone.png")[0] == "missing"
    assert _resolve(run, "README.md", "/images/logo.png") == ("missing", "content/images/logo.png", None, False)
    assert _resolve(run, "README.md", "https://example.com/images/logo.png")[0] == "external"


def test_a_jsx_expression_destination_is_not_judged(sites) -> None:
    # `<a href={url}>` in MDX: the value is known when the site is built.
    for name in ("docusaurus", "astro"):
        page = sorted(sites[name].site.documents)[0]
        assert _resolve(sites[name], page, "{url}")[0] == "skipped"
        assert _resolve(sites[name], page, "{posts[0].url}")[0] == "skipped"


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


def test_mkdocs_attribute_lists_footnotes_and_headings_a_hook_fills(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "mkdocs.yml": "site_name: x\nmarkdown_extensions:\n  - attr_list\n  - footnotes\n",
            "docs/index.md": (
                "# Home\n\n"
                "[a](changes.md#9.7.0) [b](changes.md#wide) [c](changes.md#plain) [d](changes.md#plain-big)\n"
                "[e](changes.md#last) [f](changes.md#inline) [k](changes.md#one) [l](changes.md#two)\n"
                "[g](#fn:note) [h](#fnref:note) [i](#fn:gone) [j](settings.md#config.blog_dir)\n\n"
                "Text[^note].\n\n[^note]: A note.\n"
            ),
            # attr_list's spellings: `{ id="…" }`, `{ #id .class }`, a list
            # without an id (the text is the heading's without it), and the
            # last id of a list winning.
            "docs/changes.md": (
                '# Changes\n\n## 9.7.0 <small>Nov</small> { id="9.7.0" }\n\n## Wide { #wide .big }\n\n'
                "## Plain { .big }\n\n## Two {: #first id='last' }\n\n"
                # On inline elements too, the last id winning.
                "**Locale**{ id=\"inline\" } and `code`{: #one .x id='two' }\n"
            ),
            # A heading written as a comment, filled by a hook when the site is
            # built (Material for MkDocs' `md:setting`): its id is not known.
            "docs/settings.md": "# Settings\n\n#### <!-- md:setting config.blog_dir -->\n\nText.\n",
        },
    )
    run = run_site(tmp_path, select=["LL004"])
    assert run.report.generator == "mkdocs"
    assert positions(run) == [
        ("LL004", "docs/index.md", 3, 66),  # `#plain-big`: the list is not part of the id
        ("LL004", "docs/index.md", 4, 45),  # `#one`: `id='two'` came after it
        ("LL004", "docs/index.md", 5, 32),  # `#fn:gone`: no such footnote
    ]


HUGO_MOUNTS = """\
baseURL: https://example.org/
defaultContentLanguage: en
languages:
  en: {weight: 1}
  de: {weight: 2}
module:
  mounts:
    - {source: content/en, target: content, sites: {matrix: {languages: [en]}}}
    - {source: content/de, target: content, lang: de}
    # English docs fill in where German has none.
    - {source: content/en/docs, target: content/docs, sites: {matrix: {languages: ["! en"]}}}
    - {source: handbook, target: content/guide, lang: en}
    - {source: content/en/docs/use.md, target: content/tips/use.md, lang: en}
    # Not in the repository: fetched when the site is built, or elsewhere.
    - {source: tmp/specs, target: content/docs/specs, lang: en}
    - {source: tmp/otlp.md, target: content/docs/otlp/_index.md, lang: en}
    - {source: ../elsewhere, target: content/more}
"""


def test_hugo_content_mounts_languages_and_fallbacks(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "hugo.yaml": HUGO_MOUNTS,
            "content/en/_index.md": "# Home\n",
            "content/en/docs/install.md": "# Install\n",
            "content/en/docs/use.md": "# Use\n",
            "content/de/_index.md": "# Start\n",
            "content/de/docs/install.md": "# Installieren\n",
            "handbook/start.md": "# Start here\n",
            "content/de/seite.md": (
                "# Seite\n\n"
                "[a](/de/docs/use/) [b](/de/docs/install/) [c](/docs/use/) [d](/guide/start/)\n"
                "[e](/de/docs/missing/) [f](/de/guide/start/)\n"
                "[h](/tips/use/) [i](/docs/specs/otlp/) [j](/more/x/) [k](/de/more/x/) [l](/de/docs/specs/x/)\n"
                "[m](/docs/otlp/)\n"
            ),
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "hugo"
    assert positions(run) == [
        ("LL003", "content/de/seite.md", 4, 1),  # no such page in either language
        ("LL003", "content/de/seite.md", 4, 24),  # the handbook is mounted for English only
        ("LL003", "content/de/seite.md", 5, 71),  # the specs are mounted for English only
    ]
    info = run.site.profile.info
    assert [(info[path].url, info[path].lang) for path in ("content/de/docs/install.md", "content/en/docs/use.md", "handbook/start.md")] == [
        ("/de/docs/install/", "de"),
        ("/docs/use/", "en"),
        ("/guide/start/", "en"),
    ]


@pytest.mark.parametrize(
    ("params", "expression"),
    [
        ("  latest_version: v3.7\n", "site.Params.latest_version"),
        # The newest of a list, by `index`, of a list inside a map too (keda-docs).
        ("  versions: [v3.7, v3.6]\n", "index site.Params.versions 0"),
        ("  versions:\n    docs: [v3.7, v3.6]\n", 'index (index .Site.Params.versions "docs") 0'),
    ],
)
def test_hugo_redirects_made_by_an_output_format(tmp_path: Path, params: str, expression: str) -> None:
    write_files(
        tmp_path,
        {
            "hugo.yaml": (
                "baseURL: https://example.org/\nparams:\n" + params +
                "mediaTypes:\n  text/netlify: {}\noutputFormats:\n  REDIRECTS:\n    mediaType: text/netlify\n"
                "    baseName: _redirects\noutputs:\n  home: [HTML, REDIRECTS]\n"
            ),
            "layouts/index.redirects": (
                "{{ $latest := " + expression + " -}}\n"
                "/docs/latest     /docs/{{ $latest }}/\n"
                "/docs/latest/*   /docs/{{ $latest }}/:splat\n"
                "/old-guide       /docs/v3.7/guide/   301\n"
                "{{ range .Site.Pages }}/p/{{ .File }} {{ .RelPermalink }}\n{{ end }}\n"
            ),
            "content/docs/v3.7/_index.md": "# v3.7\n",
            "content/docs/v3.7/guide.md": "# Guide\n",
            "content/_index.md": "# Home\n\n[a](/docs/latest) [b](/docs/latest/guide/) [c](/old-guide) [d](/p/x) [e](/docs/v3.7/guide/)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "hugo"
    assert _findings(run) == [
        ("LL003", "content/_index.md", 3, 1, "warning"),
        ("LL003", "content/_index.md", 3, 19, "warning"),
        ("LL003", "content/_index.md", 3, 44, "warning"),
        ("LL003", "content/_index.md", 3, 60, "error"),  # a line the template makes with a range: not read
    ]


def test_hugo_template_expressions_read_for_redirects() -> None:
    from linklint.sites.hugo import _params_value

    params = {"versions": {"docs": ["v3", "v2"]}, "latest": "v3"}
    assert _params_value("index site.Params.versions.docs 1", params) == "v2"
    assert _params_value('index .Site.Params.versions "docs"', params) == ["v3", "v2"]
    # Not read: other functions, a position past the end, a key of a list, pipes,
    # and nesting deeper than any template would (no recursion error).
    for expression in ("where site.Pages 1", "index site.Params.versions.docs 5", 'index site.Params.latest "x"',
                       "index site.Params.versions.docs 0 | printf", "index (" * 2000 + "site.Params.latest",
                       "index (" * 2000 + "site.Params.versions.docs" + " 0)" * 2000 + " 0"):
        assert _params_value(expression, params) is None


def test_hugo_bundles_share_their_translations_files(tmp_path: Path) -> None:
    # Hugo gives a bundle the files of its translations' bundles it lacks
    # itself, and a multilingual site's embedded link hook finds them.
    write_files(
        tmp_path,
        {
            "hugo.toml": (
                "baseURL = 'https://example.org/'\n"
                "[languages.en]\ncontentDir = 'content/en'\nweight = 1\n"
                "[languages.fr]\ncontentDir = 'content/fr'\nweight = 2\n"
            ),
            "content/en/_index.md": "# Home\n",
            "content/en/post/index.md": "# Post\n\n![a](pic.png)\n",
            "content/en/post/pic.png": b"\x89PNG",
            "content/fr/post/index.md": "# Billet\n\n![a](pic.png) ![b](gone.png)\n",
            "content/fr/autre.md": "# Autre\n\n![a](pic.png)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "hugo"
    assert positions(run) == [
        ("LL003", "content/fr/autre.md", 3, 1),  # no bundle: nothing shared
        ("LL003", "content/fr/post/index.md", 3, 15),
    ]


@pytest.mark.parametrize(
    ("hooks", "expected"),
    [
        (True, [("LL004", "docs/index.md", 3, 26), ("LL004", "docs/index.md", 3, 53)]),
        (False, [("LL004", "docs/index.md", 3, 1), ("LL004", "docs/index.md", 3, 26), ("LL004", "docs/index.md", 3, 53)]),
    ],
)
def test_mkdocs_comments_a_hook_replaces(tmp_path: Path, hooks: bool, expected) -> None:
    # Material for MkDocs' hook turns `<!-- md:option toc.slugify -->` into an
    # element with the id `+toc.slugify`: on a site with hooks an id ending
    # with such a comment's argument may exist; other ids are still checked.
    write_files(
        tmp_path,
        {
            "mkdocs.yml": "site_name: x\n" + ("hooks:\n  - hooks/shortcodes.py\n" if hooks else ""),
            "docs/index.md": "# Home\n\n[a](toc.md#+toc.slugify) [b](other.md#+toc.slugify) [c](toc.md#gone)\n",
            "docs/toc.md": "# Toc\n\n<!-- md:option toc.slugify -->\n<!-- md:version 8.2.0 -->\n\nText.\n",
            "docs/other.md": "# Other\n\n<!-- a comment: not a shortcode -->\n\nText.\n",
        },
    )
    run = run_site(tmp_path, select=["LL004"])
    assert run.report.generator == "mkdocs"
    assert positions(run) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("", [("LL004", "index.md", 4, 42)]),
        # jekyll-commonmark gives footnotes no such ids.
        ("markdown: CommonMark\n", [("LL004", "index.md", 4, 1), ("LL004", "index.md", 4, 20), ("LL004", "index.md", 4, 42)]),
    ],
)
def test_jekyll_footnotes_have_kramdowns_ids(tmp_path: Path, markdown: str, expected) -> None:
    write_files(
        tmp_path,
        {
            "_config.yml": "title: x\n" + markdown,
            "index.md": "---\ntitle: Home\n---\n[note](#fn:js-off) [back](#fnref:js-off) [gone](#fn:other)\n\nText.[^js-off]\n\n[^js-off]: Without JavaScript.\n",
        },
    )
    run = run_site(tmp_path, select=["LL004"])
    assert run.report.generator == "jekyll"
    assert positions(run) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("", [("LL004", "index.md", 4, 34)]),
        # jekyll-commonmark has no attribute lists.
        ("markdown: CommonMark\n", [("LL004", "index.md", 4, 1), ("LL004", "index.md", 4, 11), ("LL004", "index.md", 4, 22), ("LL004", "index.md", 4, 34)]),
    ],
)
def test_jekyll_kramdown_attribute_lists_give_ids(tmp_path: Path, markdown: str, expected) -> None:
    # A block IAL on the line after a paragraph, a span IAL after an element,
    # `id=` in a list; an attribute list definition (`{:ref: #defined}`) and
    # an extension (`{::comment}`) give none.
    write_files(
        tmp_path,
        {
            "_config.yml": "title: x\n" + markdown,
            "index.md": (
                "---\ntitle: Home\n---\n[1](#fn1) [2](#here) [3](#named) [4](#defined)\n\n"
                "<sup>1</sup> A note.\n{: #fn1}\n\nA *word*{:#here} and **more**{: .big id=\"named\"}.\n\n"
                "{:ref: #defined}\n{::comment}\n{: #not-either}\n{:/comment}\n"
            ),
        },
    )
    run = run_site(tmp_path, select=["LL004"])
    assert run.report.generator == "jekyll"
    assert positions(run) == expected


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
    # A root-relative `.md` link is rewritten to `.html` too, from the host's root.
    assert _resolve(run, "src/README.md", "/chapter_1.md#a") == ("page", "src/chapter_1.md", "a", False)
    assert _resolve(run, "src/README.md", "/nope.md")[0] == "missing"


MDBOOK_SPEC = {
    "book.toml": "[book]\ntitle = 'Spec'\n\n[preprocessor.spec]\ncommand = 'cargo run --manifest-path tools/mdbook-spec/Cargo.toml'\n",
    "src/SUMMARY.md": "# Summary\n\n- [Expressions](expressions.md)\n- [Types](types/never.md)\n",
    "src/expressions.md": (
        "# Expressions\n\nr[expr.if]\nAn if.\n\n"
        "See [never], [if][expr.if], [vec], [iff], [gone] and [the syntax](#grammar-IfExpression).\n\n"
        "```grammar,expressions\nIfExpression -> `if` Expression\n```\n\n"
        "[never]: types/never.md#r-type.never\n"
        "[vec]: std::vec::Vec\n"
        "[iff]: expr.iff\n"
        "[gone]: types/gone.md\n"
    ),
    "src/types/never.md": "# Never\n\nr[type.never]\nThe never type; see [if] and [x](#r-type.nope).\n\n[if]: expr.if\n",
}


def test_mdbook_spec_rule_names_rule_ids_and_rustdoc_links(tmp_path: Path) -> None:
    # mdbook-spec: a rule's name is a link to the rule (`#r-<name>` on its
    # page), a path without `.md`, `.html` or `/` is rustdoc's; a dotted name
    # no rule has is missing, and so is a missing file.
    write_files(tmp_path, MDBOOK_SPEC)
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == "mdbook"
    assert [(v.code, v.path, v.span.line, v.span.column, v.message) for v in run.report.violations] == [
        ("LL003", "src/expressions.md", 6, 36, "link target `expr.iff` does not exist"),
        ("LL003", "src/expressions.md", 6, 43, "link target `types/gone.md` does not exist"),
        ("LL004", "src/types/never.md", 4, 30, "`#r-type.nope` matches no heading or anchor in this page"),
    ]
    assert _resolve(run, "src/types/never.md", "expr.if") == ("page", "src/expressions.md", "r-expr.if", False)
    assert _resolve(run, "src/expressions.md", "std::vec::Vec")[0] == "external"
    # A stored site resolves the links again when a page's rules change.
    inputs = run.site.profile.url_inputs
    assert inputs(run.site.documents["src/expressions.md"])[-2:] == ("rules", "expr.if")
    # Without the preprocessor, a rule's name is a missing file.
    write_files(tmp_path, {"book.toml": "[book]\ntitle = 'Spec'\n"})
    plain = run_site(tmp_path, select=["LL003"])
    assert [v.message for v in plain.report.violations if v.path == "src/types/never.md"] == ["link target `expr.if` does not exist"]


def test_docfx_case_redirects_and_xrefs(sites) -> None:
    run = sites["docfx"]
    assert _resolve(run, "docs/index.md", "Getting-Started.md#section") == ("page", "docs/getting-started.md", "section", False)
    assert _resolve(run, "docs/index.md", "xref:guide.start#install")[:2] == ("page", "docs/getting-started.md")
    assert _resolve(run, "docs/index.md", "xref:System.String")[0] == "skipped"
    assert _resolve(run, "docs/index.md", "old-page.md")[::3] == ("asset", True)  # through a redirect
    assert _resolve(run, "docs/index.md", "/other-product/page")[0] == "skipped"


DOCFX_INCLUDES = {
    "docs/docfx.json": (
        '{"build": {"content": [{"files": ["**/*.md"], "exclude": ["**/includes/**", "reference/**"]},'
        ' {"files": ["reference/**/About/*.md"]},]}}\n'
    ),
    "docs/index.md": (
        "# Home\n\n[!INCLUDE [note](includes/note.md)]\n\n[!include[gone](includes/gone.md)]\n\n"
        "[a link to it](includes/note.md) [cmdlet](reference/Get-Thing.md)\n"
    ),
    # An include's links resolve from its own file; root-relative ones are the host's.
    "docs/includes/note.md": "[home](../index.md) [nope](../nope.md) [other set](/dotnet/api/x) [here](#top)\n",
    "docs/reference/Get-Thing.md": "# Get-Thing\n\n[about](About/about_Things.md) [set](/dotnet/api/x) [x](#get-thing) [y](#nope)\n",
    # A link (no include) to an unpublished include is broken.
    "docs/reference/About/about_Things.md": "# About\n\n[cmdlet](../get-thing.md) [note](../../includes/note.md)\n",
}


@pytest.mark.parametrize("learn", [False, True])
def test_docfx_includes_and_pages_a_build_step_converts(tmp_path: Path, learn: bool) -> None:
    # `[!INCLUDE]` needs the file, published or not; a link to the same
    # unpublished file is broken. On a Microsoft Learn repository the doc
    # set's unpublished Markdown is converted and published by a build step:
    # DocFX's rules (case-insensitive files, root-relative links into other
    # doc sets) apply to it, not GitHub's.
    files = dict(DOCFX_INCLUDES)
    if learn:
        files[".openpublishing.publish.config.json"] = '{"docsets_to_publish": [{"build_source_folder": "docs"}]}\n'
    write_files(tmp_path, files)
    run = run_site(tmp_path, select=["LL001", "LL003", "LL004", "LL007"])
    assert run.report.generator == "docfx"
    assert [path for path in files if run.site.profile.is_partial(path)] == ["docs/includes/note.md"]
    found = [(v.code, v.path, v.span.line, v.span.column) for v in run.report.violations if v.code in ("LL003", "LL004")]
    if learn:
        assert found == [
            ("LL003", "docs/includes/note.md", 1, 21),  # ../nope.md
            ("LL003", "docs/index.md", 5, 10),  # includes/gone.md
            ("LL003", "docs/index.md", 7, 1),  # a link, not an include, to the unpublished file
            ("LL003", "docs/reference/About/about_Things.md", 3, 27),
            ("LL004", "docs/reference/Get-Thing.md", 3, 69),
        ]
    else:
        # Outside the doc set: GitHub's rules (a root-relative link from the
        # repository's root; no `get-thing.md` but `Get-Thing.md`).
        assert found == [
            ("LL003", "docs/includes/note.md", 1, 21),
            ("LL003", "docs/index.md", 5, 10),
            ("LL003", "docs/index.md", 7, 1),
            ("LL003", "docs/index.md", 7, 34),
            ("LL003", "docs/reference/About/about_Things.md", 3, 1),
            ("LL003", "docs/reference/About/about_Things.md", 3, 27),
            ("LL003", "docs/reference/Get-Thing.md", 3, 32),
            ("LL004", "docs/reference/Get-Thing.md", 3, 69),
        ]
    assert not [v for v in run.report.violations if v.path == "docs/includes/note.md" and v.code != "LL003"]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"hugo.toml": "baseURL = 'https://x.org/'\n"}, "hugo"),
        ({"config/_default/hugo.toml": "\n"}, "hugo"),
        # Any file of Hugo's config folder: no config name is needed.
        ({"config/_default/params.toml": "\n"}, "hugo"),
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
        # `config.toml` is a common name: a program's settings are no Hugo site.
        ({"config.toml": "[server]\nport = 8080\n", "README.md": "# x\n"}, "plain"),
        ({"config.yaml": "theme: ananke\n"}, "hugo"),
        # A theme's repository: a config and `theme.toml`, no content.
        ({"hugo.toml": "\n", "theme.toml": "name = 'x'\n", "layouts/index.html": ""}, "plain"),
        ({"hugo.toml": "\n", "theme.toml": "name = 'x'\n", "content/a.md": ""}, "hugo"),
    ],
)
def test_detection_reads_the_repository_config(tmp_path: Path, files, expected: str) -> None:
    write_files(tmp_path, files)
    assert detect(set(files), ".", tmp_path) == expected
    assert expected in PROFILE_NAMES


def test_the_registry_holds_each_profiles_detection_files() -> None:
    """A generator's module is imported only when one of its files is in a
    folder (``_Generator.may_be_at``): those files are the ones its profile's
    ``detect`` looks for, and the registry's names are the profiles'."""
    from linklint.sites import _DETECTION, PROFILES

    for generator in _DETECTION:
        profile = generator.profile()
        assert profile.name == generator.name
        assert profile.is_generator
        assert sorted(generator.files) == sorted(profile.detection_names())
    assert [(name, PROFILES[name].name) for name in PROFILES] == [(name, name) for name in PROFILE_NAMES]
    assert PROFILE_NAMES == ("plain", "astro", "docfx", "docusaurus", "eleventy", "hugo", "jekyll", "mdbook", "mkdocs", "vitepress", "zensical", "zola")
    assert not PROFILES["plain"].is_generator
    with pytest.raises(KeyError):
        PROFILES["gatsby"]
    assert "zola" in PROFILES and "gatsby" not in PROFILES


def test_asking_whether_a_profile_exists_imports_nothing() -> None:
    import subprocess
    import sys

    code = "import sys; from linklint.sites import PROFILES; print('hugo' in PROFILES, 'linklint.sites.hugo' in sys.modules)"
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["True", "False"]


_IMPORTED_PROFILES = """
import sys
from linklint.cli import main
main(["check", "--no-cache", "--format", "json", "--output", "report.json"])
print(" ".join(sorted(m.removeprefix("linklint.sites.") for m in sys.modules if m.startswith("linklint.sites."))))
"""


@pytest.mark.parametrize(
    ("files", "imported"),
    [
        ({"README.md": "# Home\n\nSee [the guide](guide.md).\n", "guide.md": "# Guide\n"}, "base"),
        # A `_config.yml` tells Jekyll; the generator profiles share modules.
        ({"_config.yml": "title: x\n", "index.md": "# Home\n"}, "base configfiles generator jekyll redirects"),
        ({"hugo.toml": "baseURL = 'https://x.org/'\n", "content/a.md": "# A\n"}, "base configfiles generator hugo redirects"),
    ],
)
def test_a_check_imports_only_the_profile_it_uses(tmp_path: Path, files, imported: str) -> None:
    """A plain repository imports no generator's profile, a Jekyll or Hugo
    site only its own (the others' modules: a few milliseconds of every
    run's start)."""
    import subprocess
    import sys

    write_files(tmp_path, files)
    ran = subprocess.run([sys.executable, "-c", _IMPORTED_PROFILES], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert ran.stdout.split() == imported.split()


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


# -- more resolution on the fixture sites ------------------------------------------


def test_docusaurus_markdown_links_and_category_index(sites) -> None:
    run = sites["docusaurus"]
    # `x.md` is looked for in the docs folder first, then beside the page.
    assert _resolve(run, "docs/01-guides/index.md", "intro.md#getting-started") == ("page", "docs/intro.md", "getting-started", False)
    assert _resolve(run, "docs/01-guides/index.md", "./intro.md")[0] == "missing"
    # `reference/reference.md` is its folder's index whatever its `id`.
    assert _resolve(run, "docs/links.md", "/docs/reference") == ("page", "docs/reference/reference.md", None, False)


def test_jekyll_template_blocks_are_not_links(sites) -> None:
    site = sites["jekyll"].site
    link = site.documents["_posts/2024-02-01-second.md"].links[-1]
    assert link.destination == "/not/rendered/here/"
    assert dict(zip(site.documents["_posts/2024-02-01-second.md"].links, site.targets["_posts/2024-02-01-second.md"]))[link].status == "skipped"


ELEVENTY_LINKS = [
    ("/notes/first-frost/#cover-the-beds", ("page", "src/notes/2024-05-06-first-frost.md", "cover-the-beds", False)),
    # The IdAttributePlugin slugs with the site's own filter: any spelling of
    # the heading's letters is taken.
    ("/notes/first-frost/#coverthebeds", ("page", "src/notes/2024-05-06-first-frost.md", "coverthebeds", False)),
    ("/tags/", ("asset", "src/tags/tags.njk", None, False)),  # a Nunjucks template is a page
    ("posts/hello.md", ("page", "src/posts/hello.md", None, False)),  # InputPath-to-URL, from the page
    ("/posts/hello.md", ("page", "src/posts/hello.md", None, False)),  # InputPath-to-URL, from the input folder
    ("/vendor/chart.css", ("skipped", None, None, False)),  # copied from node_modules
]


@pytest.mark.parametrize(("destination", "expected"), ELEVENTY_LINKS)
def test_eleventy_links(sites, destination: str, expected) -> None:
    assert _resolve(sites["eleventy"], "src/index.md", destination) == expected


def test_eleventy_markdown_it_attrs_ids_and_tag_pages(tmp_path: Path) -> None:
    # v8.dev: markdown-it-attrs (`## Debugging { #debug_commands }`, `{#x}` on a
    # paragraph) and a tag template paginated over collections.
    write_files(
        tmp_path,
        {
            ".eleventy.js": "const markdownItAttrs = require('markdown-it-attrs');\nmodule.exports = (c) => { c.setLibrary('md', md.use(markdownItAttrs)); };\n",
            "blog/tag.njk": (
                "---\npagination:\n  data: collections\n  size: 1\n  alias: tag\n  filter: [all, posts]\n"
                "permalink: /blog/tags/{{ tag | slug }}/\n---\n{{ tag }}\n"
            ),
            "blog/one.md": "---\ntags: [posts, Understanding ECMAScript]\n---\n# One\n\n## Debugging commands { #debug_commands }\n\nA note.\n{#note}\n",
            "blog/two.md": (
                "---\ntags: posts\n---\n# Two\n\n[a](/blog/tags/understanding-ecmascript/) [b](/blog/tags/understanding-ecmascript) "
                "[c](/blog/tags/posts/) [d](/blog/one/#debug_commands) [e](/blog/one/#note) [f](/blog/one/#debugging-commands-debug_commands)\n"
            ),
        },
    )
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == "eleventy"
    assert [(v.code, v.span.column, v.message) for v in run.report.violations] == [
        ("LL003", 84, "link target `/blog/tags/posts/` does not exist"),  # left out by the filter
        ("LL004", 159, "`#debugging-commands-debug_commands` matches no heading or anchor in `blog/one.md`"),
    ]


def test_eleventy_reads_its_ignore_file_and_the_configs_own_modules_deep(tmp_path: Path) -> None:
    # 18f.gsa.gov: `.eleventyignore` leaves README.md and docs/ out (GitHub
    # shows them), and the `slugify` given to markdown-it-anchor (shorthand,
    # three modules down, one a folder's index.js) makes its own heading ids.
    write_files(
        tmp_path,
        {
            ".eleventy.js": "const site = require('./config');\nmodule.exports = (c) => { c.addPlugin(site); return { dir: { input: '.' } }; };\n",
            "config/index.js": "const markdown = require('./markdown');\nmodule.exports = (c) => c.addPlugin(markdown);\n",
            "config/markdown/index.js": "module.exports = require('./base');\n",
            "config/markdown/base.js": "const slugify = require('../../lib/slugify');\nmd.use(markdownItAnchor, { slugify, });\n",
            ".eleventyignore": "README.md\ndocs\n**/_*.md\n",
            # Ignored to be included: a partial, its root-relative links the site's.
            "posts/_note.md": "[one](/posts/one/) [gone](/posts/gone/)\n",
            "README.md": "# Site\n\n[guide](/docs/guide.md)\n",
            "docs/guide.md": "# Guide\n",
            "posts/one.md": "# One\n\n## A future for Mrs. Landingham\n\n[a](#a-future-for-mrs-landingham) [b](#nope)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == "eleventy"
    assert "README.md" not in run.site.profile.info and "docs/guide.md" not in run.site.profile.info
    assert run.site.profile.is_partial("posts/_note.md")
    assert positions(run) == [("LL003", "posts/_note.md", 1, 20), ("LL004", "posts/one.md", 5, 35)]


def test_eleventy_fragments_match_the_heading_letters(sites) -> None:
    ids = sites["eleventy"].site.ids("src/notes/2024-05-06-first-frost.md")
    assert "cover-the-beds" in ids and "Cover_The_Beds" in ids
    assert "cover-the-bed" not in ids


# -- a site in a subfolder ------------------------------------------------------------


def test_a_site_in_a_subfolder_is_found_from_the_repository_root(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "README.md": "[docs](docs/index.md) [gone](docs/nope.md) [root](/docs/about.md)\n",
            "docs/_config.yml": "title: x\n",
            "docs/index.md": "---\ntitle: Home\n---\n[post]({% post_url 2024-01-02-hi %}) [about](/about/) [bad](/nope/)\n",
            "docs/about.md": "---\ntitle: About\n---\n# About\n",
            "docs/_posts/2024-01-02-hi.md": "---\ntitle: Hi\n---\nHi\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "jekyll"
    assert run.site.profile.site_dir == "docs"
    # README.md lies outside the site: GitHub's rules apply to it.
    assert _findings(run) == [("LL003", "README.md", 1, 23, "error"), ("LL003", "docs/index.md", 4, 55, "error")]


def test_a_zola_site_in_docs(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "Cargo.toml": "[package]\n",
            "docs/config.toml": "base_url = 'https://z.example'\n",
            "docs/content/_index.md": "+++\n+++\n[a](@/guide.md#setup) [b](/guide/)\n",
            "docs/content/guide.md": "+++\ntitle = 'Guide'\n+++\n## Setup\n",
        },
    )
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == "zola"
    assert _findings(run) == []


def test_docusaurus_docs_beside_the_website_folder(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "website/docusaurus.config.js": "module.exports = { presets: [['classic', { docs: { path: '../docs', routeBasePath: '/' } }]] };\n",
            "docs/intro.md": "# Intro\n[guide](guide.md) [url](/guide) [bad](/intro/nope)\n",
            "docs/guide.md": "# Guide\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "docusaurus"
    assert _resolve(run, "docs/intro.md", "/guide") == ("page", "docs/guide.md", None, False)
    assert _findings(run) == [("LL003", "docs/intro.md", 2, 33, "error")]


def test_docusaurus_docs_plugins_beside_the_presets(tmp_path: Path) -> None:
    # facebook/react-native-website adds docs plugin instances of its own.
    write_files(
        tmp_path,
        {
            "website/docusaurus.config.ts": (
                "export default {\n  presets: [['classic', { docs: { path: '../docs' } }]],\n  plugins: [\n"
                "    ['content-docs', { id: 'architecture', path: 'architecture', routeBasePath: '/architecture', sidebarPath: require.resolve('./s') }],\n"
                "    ['@docusaurus/plugin-content-docs', { id: 'community', path: 'community', routeBasePath: 'community' }],\n"
                "    ['content-docs', { id: 'computed', path: somePath, routeBasePath: '/computed' }],\n"
                "  ],\n};\n"
            ),
            "docs/intro.md": "# Intro\n[a](/architecture/landing-page) [b](/community/support#help) [c](/architecture/nope)\n",
            "website/architecture/landing-page.md": "# About the architecture\n",
            "website/community/support.md": "# Support\n## Help\n",
        },
    )
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == "docusaurus"
    assert _resolve(run, "docs/intro.md", "/architecture/landing-page") == ("page", "website/architecture/landing-page.md", None, False)
    assert _resolve(run, "docs/intro.md", "/community/support#help") == ("page", "website/community/support.md", "help", False)
    assert _findings(run) == [("LL003", "docs/intro.md", 2, 62, "error")]


@pytest.mark.parametrize(
    ("last_version", "urls"),
    [
        ("", {"docs/a.md": "/docs/next/a", "versioned_docs/version-2.0/a.md": "/docs/a", "versioned_docs/version-1.0/a.md": "/docs/1.0/a"}),
        ("lastVersion: 'current', ", {"docs/a.md": "/docs/a", "versioned_docs/version-2.0/a.md": "/docs/2.0/a", "versioned_docs/version-1.0/a.md": "/docs/1.0/a"}),
        ("lastVersion: '1.0', ", {"docs/a.md": "/docs/next/a", "versioned_docs/version-2.0/a.md": "/docs/2.0/a", "versioned_docs/version-1.0/a.md": "/docs/a"}),
    ],
)
def test_docusaurus_last_version(tmp_path: Path, last_version: str, urls: dict[str, str]) -> None:
    write_files(
        tmp_path,
        {
            "docusaurus.config.js": "module.exports = { presets: [['classic', { docs: { " + last_version + "sidebarPath: 's' } }]] };\n",
            "versions.json": '["2.0", "1.0"]\n',
            **{path: "# A\n" for path in urls},
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert {path: run.site.profile.info[path].url for path in urls} == urls


@pytest.mark.parametrize(
    ("include_current", "urls"),
    [
        # The build copies docs/ to the missing folder of 11.x (lastVersion, a
        # constant of the config): served at /, and as the next version too.
        ("", {"docs/a.md": ["/next/a", "/a"], "versioned_docs/version-10.x/a.md": ["/10.x/a"]}),
        # `includeCurrentVersion: false`: only the copy is served.
        ('"includeCurrentVersion": false, ', {"docs/a.md": ["/a"], "versioned_docs/version-10.x/a.md": ["/10.x/a"]}),
    ],
)
def test_docusaurus_a_listed_version_without_its_folder_is_a_copy_of_the_docs(tmp_path: Path, include_current: str, urls) -> None:
    # pnpm.io: keys quoted as in JSON, `lastVersion` a constant, and versions.json
    # listing 11.x whose folder a build script copies from docs/.
    write_files(
        tmp_path,
        {
            "docusaurus.config.ts": (
                "const lastDocsVersion = '11.x';\nexport default {\n  \"presets\": [[\"@docusaurus/preset-classic\", {\n"
                "    \"docs\": {\"path\": \"./docs\", \"routeBasePath\": \"/\", " + include_current + "lastVersion: lastDocsVersion,},\n  }]],\n};\n"
            ),
            "versions.json": '["11.x", "10.x"]\n',
            "docs/a.md": "# A\n",
            "versioned_docs/version-10.x/a.md": "# A\n\n[latest](/a) [next](/next/a)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    info = run.site.profile.info
    assert run.site.profile.settings["last_version"] == "11.x"
    assert {path: [info[path].url, *[u for u in info[path].other_urls if not u.endswith("/")]] for path in urls} == urls
    assert [v.message for v in run.report.violations] == ([] if not include_current else ["link target `/next/a` does not exist"])


@pytest.mark.parametrize(
    ("setting", "broken"),
    [
        ("", []),  # undefined: the host serves both
        ("trailingSlash: true, ", []),  # `a/index.html`; hosts send `/docs/a` to `/docs/a/`
        ("trailingSlash: false, ", [14]),  # `a.html`: `/docs/a/` is no page
    ],
)
def test_docusaurus_trailing_slash(tmp_path: Path, setting: str, broken: list[int]) -> None:
    write_files(
        tmp_path,
        {
            "docusaurus.config.js": "module.exports = { url: 'https://example.dev', " + setting + "baseUrl: '/' };\n",
            "docs/a.md": "# A\n",
            "docs/b.md": "# B\n\n[x](/docs/a) [y](/docs/a/) [z](https://example.dev/docs/a/)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert [v.span.column for v in run.report.violations] == broken + ([28] if broken else [])


def test_docusaurus_pages_have_the_ids_of_the_partials_they_import(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "docusaurus.config.js": "module.exports = {};\n",
            "docs/settings.mdx": "# Settings\n\nimport Prune from './_prune.mdx'\n\n<Prune />\n",
            "docs/_prune.mdx": "## catalogPrune\n\nimport Deeper from './_shared/deeper.md'\n",
            "docs/_shared/deeper.md": "## Deeper one\n",
            "docs/a.md": "# A\n\n[p](settings.mdx#catalogprune) [d](settings.mdx#deeper-one) [n](settings.mdx#nope)\n",
        },
    )
    run = run_site(tmp_path, select=["LL004"])
    assert positions(run) == [("LL004", "docs/a.md", 3, 61)]


def test_docusaurus_versions_it_does_not_build(tmp_path: Path) -> None:
    # versions.json lists 2.0; 1.0 is a folder left behind (not built), 0.9 is
    # archived (served from an older build, versionsArchived.json says).
    write_files(
        tmp_path,
        {
            "docusaurus.config.js": "module.exports = {};\n",
            "versions.json": '["2.0"]\n',
            "versionsArchived.json": '{"0.9": "https://old.example.dev/docs/0.9"}\n',
            "docs/a.md": "# A\n\n[x](/docs/1.0/a) [y](/docs/0.9/a) [z](/img/logo.png)\n",
            "versioned_docs/version-2.0/a.md": "# A\n",
            "versioned_docs/version-1.0/a.md": "# A\n\n[z](/img/logo.png)\n",
            "versioned_docs/version-0.9/a.md": "# A\n\n[z](/img/logo.png)\n",
            "static/img/logo.png": b"\x89PNG",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    info = run.site.profile.info
    assert [(info[p].url, info[p].draft) for p in ("versioned_docs/version-1.0/a.md", "versioned_docs/version-0.9/a.md")] == [
        ("/docs/1.0/a", True),
        ("/docs/0.9/a", False),
    ]
    assert [(v.path, v.span.column, v.message) for v in run.report.violations] == [
        (
            "docs/a.md",
            1,
            "link target `/docs/1.0/a` is not published: `versioned_docs/version-1.0/a.md` is in a version that versions.json does not list, which Docusaurus does not build",
        )
    ]


def test_docusaurus_plugin_options_named_by_a_variable(tmp_path: Path) -> None:
    # typescript-eslint: `['@docusaurus/plugin-content-docs', baseDocsOptions]`
    # with `const baseDocsOptions: Options = {…}` earlier in the config.
    write_files(
        tmp_path,
        {
            "packages/website/docusaurus.config.mts": (
                "const baseDocsOptions: PluginContentDocsOptions = {\n  id: 'base-docs',\n  path: '../../docs',\n  routeBasePath: '/',\n};\n"
                "const redirects = { redirects: [{ from: '/old-start', to: '/start' }] };\n"
                "const config = {\n  url: 'https://example.dev',\n  baseUrl: '/',\n  plugins: [\n"
                "    ['@docusaurus/plugin-content-docs', baseDocsOptions],\n"
                "    ['@docusaurus/plugin-client-redirects', redirects],\n  ],\n"
                "  presets: [['classic', { docs: { path: '../rules', routeBasePath: 'rules' } }]],\n};\nexport default config;\n"
            ),
            "docs/start.md": "# Start\n",
            "packages/rules/no-x.md": "# no-x\n\n[a](https://example.dev/start) [b](/old-start) [c](/rules/no-x) [d](/nope)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "docusaurus"
    assert _resolve(run, "packages/rules/no-x.md", "https://example.dev/start")[:2] == ("page", "docs/start.md")
    assert _findings(run) == [
        ("LL003", "packages/rules/no-x.md", 3, 32, "warning"),  # through the redirect
        ("LL003", "packages/rules/no-x.md", 3, 65, "error"),
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"docs/mkdocs.yml": "site_name: x\n"}, ("mkdocs", "docs")),
        ({"packages/site/astro.config.mjs": "\n"}, ("astro", "packages/site")),
        # The shallowest folder wins over deeper samples.
        ({"docs/hugo.toml": "\n", "docs/themes/x/exampleSite/hugo.toml": "\n"}, ("hugo", "docs")),
        # Samples, tests and dependencies are never the site.
        ({"examples/blog/_config.yml": "x: 1\n"}, None),
        ({"tests/fixtures/mkdocs.yml": "site_name: x\n"}, None),
        ({"node_modules/pkg/book.toml": "[book]\n"}, None),
        ({".github/_config.yml": "x: 1\n"}, None),
        # Deeper than two folders: too far from the root to be the repository's site.
        ({"a/b/c/mkdocs.yml": "site_name: x\n"}, None),
        ({"deploy/config.yaml": "replicas: 2\n"}, None),
        ({"site/config.toml": "baseURL = 'https://x.org/'\n"}, ("hugo", "site")),
        # Two sites at the same depth: which one is meant is not known.
        ({"docs/mkdocs.yml": "site_name: x\n", "blog/hugo.toml": "\n"}, None),
        # Test and example sites named so in part (zola's repository keeps
        # `test_site/` and `test_site_i18n/` beside `docs/`).
        (
            {
                "docs/config.toml": "base_url = 'https://z.example'\n",
                "docs/content/_index.md": "",
                "test_site/config.toml": "base_url = 'https://t.example'\n",
                "test_site/content/_index.md": "",
                "test_site_i18n/config.toml": "base_url = 'https://t.example'\n",
                "test_site_i18n/content/_index.md": "",
                "example-blog/_config.yml": "x: 1\n",
                "docs.sample/mkdocs.yml": "site_name: x\n",
                "site-fixtures/book.toml": "[book]\n",
            },
            ("zola", "docs"),
        ),
        # A word that merely contains one of those is no such folder.
        ({"contest/mkdocs.yml": "site_name: x\n"}, ("mkdocs", "contest")),
        # A Hugo theme with its own config beside the site that uses it (google/docsy).
        (
            {
                "docsy.dev/config/_default/hugo.yaml": "title: x\n",
                "docsy.dev/content/en/_index.md": "",
                "theme/hugo.yaml": "params: {}\n",
                "theme/theme.toml": "name = 'Docsy'\n",
            },
            ("hugo", "docsy.dev"),
        ),
    ],
)
def test_detection_in_a_subfolder(tmp_path: Path, files, expected) -> None:
    write_files(tmp_path, files)
    found = find_site(set(files), ".", tmp_path)
    assert (found[0].name, found[1]) == expected if expected else found is None
    assert detect(set(files), ".", tmp_path) == (expected[0] if expected else "plain")


def test_a_sample_site_inside_the_repository_is_not_checked(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "mkdocs.yml": "site_name: x\n",
            "docs/index.md": "# Home\n[bad](nope.md)\n",
            "tests/integration/site/mkdocs.yml": "site_name: sample\n",
            "tests/integration/site/docs/index.md": "# Sample\n![pic](/missing.png)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert _findings(run) == [("LL003", "docs/index.md", 2, 1, "error")]


def test_a_test_sites_own_link_forms_are_not_resolved_against_the_site(tmp_path: Path) -> None:
    # `@/hello.md` in the test site names the test site's content: it is
    # skipped with the rest of that site's links, not looked for in docs/.
    write_files(
        tmp_path,
        {
            "docs/config.toml": "base_url = 'https://z.example'\n",
            "docs/content/_index.md": "+++\n+++\n[guide](@/guide.md) [gone](@/gone.md)\n",
            "docs/content/guide.md": "+++\ntitle = 'Guide'\n+++\n# Guide\n",
            "test_site/config.toml": "base_url = 'https://t.example'\n",
            "test_site/content/hello.md": "+++\n+++\n# Hello\n",
            "test_site/content/post.md": "+++\n+++\n[hello](@/hello.md) [missing](@/missing.md)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert (run.report.generator, run.site.profile.site_dir) == ("zola", "docs")
    assert _findings(run) == [("LL003", "docs/content/_index.md", 3, 21, "error")]
    target = run.site.profile.resolve("test_site/content/post.md", "@/hello.md")
    assert (target.status, target.note) == ("skipped", "zola: a page of another site in the repository")


def test_docfx_brace_globs_and_tabs_in_a_subfolder(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "docs/docfx.json": '{"metadata": [{"dest": "api"}], "build": {"content": [{"files": ["**/*.{md,yml}"]}]}}\n',
            "docs/index.md": "# Home\n[guide](guide/setup.md) [api](api/Thing.yml) [tab](#tab/linux) [bad](guide/nope.md)\n",
            "docs/guide/setup.md": "# Setup\n",
        },
    )
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == "docfx"
    assert _resolve(run, "docs/index.md", "guide/setup.md")[:2] == ("page", "docs/guide/setup.md")
    assert _findings(run) == [("LL003", "docs/index.md", 2, 64, "error")]


def test_starlight_serves_untranslated_pages_in_every_locale(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "astro.config.mjs": (
                "import starlight from '@astrojs/starlight';\n"
                "export const locales = { root: { label: 'English', lang: 'en' }, de: { label: 'Deutsch' }, 'pt-br': { label: 'Português' } };\n"
            ),
            "src/content/docs/guide.md": "# Guide\n## Setup\n",
            "src/content/docs/de/index.md": "# Start\n[a](/de/guide/#setup) [b](/pt-br/guide/) [c](/fr/guide/)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert _resolve(run, "src/content/docs/de/index.md", "/de/guide/#setup") == ("page", "src/content/docs/guide.md", "setup", False)
    assert _findings(run) == [("LL003", "src/content/docs/de/index.md", 2, 42, "error")]


@pytest.mark.parametrize("module", ["config/locales.ts", "config/locales/index.mjs"])
def test_starlight_locales_imported_from_another_file(tmp_path: Path, module: str) -> None:
    # withastro/docs: `locales: localesConfig`, imported from `./config/locales`.
    write_files(
        tmp_path,
        {
            "astro.config.ts": (
                "import starlight from '@astrojs/starlight';\n"
                "import { localesConfig } from './config/locales';\n"
                "export default { integrations: [starlight({ defaultLocale: 'en', locales: localesConfig })] };\n"
            ),
            module: "export const localesConfig = {\n\ten: { label: 'English', lang: 'en' },\n\t'pt-br': { label: 'Português' },\n};\n",
            "src/content/docs/en/guide.md": "# Guide\n",
            "src/content/docs/pt-br/index.md": "# Início\n[a](/pt-br/guide/) [b](/fr/guide/)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert _resolve(run, "src/content/docs/pt-br/index.md", "/pt-br/guide/") == ("page", "src/content/docs/en/guide.md", None, False)
    assert _findings(run) == [("LL003", "src/content/docs/pt-br/index.md", 2, 20, "error")]


def test_astro_slugs_each_segment_of_an_entrys_path(tmp_path: Path) -> None:
    # Astro slugs an entry's path segment by segment as GitHub slugs headings:
    # tauri-docs' `Inter-Process Communication/`, ratatui's `v0.30.1.md`.
    write_files(
        tmp_path,
        {
            "astro.config.mjs": "import starlight from '@astrojs/starlight';\nexport default { integrations: [starlight({})] };\n",
            "src/content/docs/concept/Inter-Process Communication/index.mdx": "# IPC\n",
            "src/content/docs/highlights/v0.30.1.md": "# 0.30.1\n",
            "src/content/docs/Guide.md": "---\nslug: own/Place\n---\n# Guide\n",
            "src/content/docs/index.md": (
                "# Home\n\n[a](/concept/inter-process-communication/) [b](/highlights/v0301/) [c](/own/Place/) "
                "[d](/highlights/v0.30.1/)\n"
            ),
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "astro"
    assert [(v.span.column, v.message) for v in run.report.violations] == [(85, "link target `/highlights/v0.30.1/` does not exist")]


def test_astro_images_through_tsconfig_import_aliases(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "astro.config.mjs": "import starlight from '@astrojs/starlight';\nexport default {};\n",
            "tsconfig.json": (
                "{\n  // the site's import aliases\n  \"compilerOptions\": {\n    \"baseUrl\": \".\",\n"
                '    "paths": {"@assets/*": ["src/assets/*"], "@/*": ["src/*"], "~logo": ["src/assets/logo.svg"],},\n  },\n}\n'
            ),
            "src/assets/diagram.svg": "<svg/>",
            "src/assets/logo.svg": "<svg/>",
            "src/content/docs/index.mdx": (
                "# Home\n\n![a](@assets/diagram.svg) ![b](@/assets/diagram.svg) ![c](~logo)\n"
                "![d](@assets/gone.svg) ![e](assets/diagram.svg)\n"
            ),
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "astro"
    assert _resolve(run, "src/content/docs/index.mdx", "@assets/diagram.svg")[:2] == ("asset", "src/assets/diagram.svg")
    assert _findings(run) == [
        ("LL003", "src/content/docs/index.mdx", 4, 1, "error"),
        ("LL003", "src/content/docs/index.mdx", 4, 24, "error"),  # no alias: relative to the page
    ]


CONFIG_REDIRECTS = {
    "docusaurus": {
        "docusaurus.config.js": (
            "module.exports = {\n  url: 'https://example.dev',\n  baseUrl: '/',\n  plugins: [\n"
            "    ['@docusaurus/plugin-client-redirects', {\n      fromExtensions: ['html'],\n"
            "      redirects: [\n        { to: '/docs/guide', from: ['/docs/old-guide', '/guide'] },\n"
            "        { from: '/start', to: '/docs/guide' },\n      ],\n"
            "      createRedirects(existingPath) { return undefined; },\n    }],\n  ],\n};\n"
        ),
        "docs/guide.md": "# Guide\n",
        "docs/index.md": (
            "# Docs\n\n[a](/docs/old-guide) [b](/guide) [c](/start) [d](/docs/guide.html) [e](/docs/gone.html) [f](/docs/guide)\n"
        ),
    },
    "astro": {
        "astro.config.mjs": (
            "import starlight from '@astrojs/starlight';\n"
            "import moved from './redirects.js';\n"
            "export default defineConfig({\n"
            "  redirects: {\n    ...moved,\n    '/old-guide': '/guide/',\n"
            "    \"/old-blog/[...slug]\": \"/guide/[...slug]\",\n"
            "    '/team': { status: 302, destination: 'https://example.org/team' },\n  },\n});\n"
        ),
        "redirects.js": "// generated\nexport default {\n  '/rules/x': '/guide/',\n};\n",
        "src/content/docs/guide.md": "# Guide\n",
        "src/content/docs/guide/setup.md": "# Setup\n",
        "src/content/docs/index.md": (
            "# Home\n\n[a](/old-guide) [b](/rules/x) [c](/old-blog/setup/) [d](/team) [e](/rules/y) [f](/guide/)\n"
        ),
    },
}


@pytest.mark.parametrize(
    ("generator", "page", "columns", "first"),
    [
        # Docusaurus' client-redirects plugin: `redirects` (`from` a path or a
        # list) and `fromExtensions` (`/docs/guide.html`); `createRedirects` is
        # a function, not read.
        ("docusaurus", "docs/index.md", [(1, "warning"), (22, "warning"), (34, "warning"), (46, "warning"), (68, "error")],
         "`/docs/old-guide` is only a redirect of the client-redirects plugin to `/docs/guide`; link to the page itself"),
        # Astro's `redirects`: pairs, an object spread in from a file of the
        # site, a trailing `[...slug]`, an external destination (no finding).
        ("astro", "src/content/docs/index.md", [(1, "warning"), (17, "warning"), (31, "warning"), (64, "error")],
         "`/old-guide` is only a redirect of astro.config's `redirects` to `/guide/`; link to the page itself"),
    ],
)
def test_redirects_the_generators_config_makes(tmp_path: Path, generator: str, page: str, columns, first: str) -> None:
    write_files(tmp_path, CONFIG_REDIRECTS[generator])
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == generator
    assert _findings(run) == [("LL003", page, 3, column, level) for column, level in columns]
    assert [v.message for v in run.report.violations if v.span.column == 1] == [first]


PARTIALS = {
    "astro": {
        "astro.config.mjs": "import starlight from '@astrojs/starlight';\nexport default {};\n",
        "src/content/docs/guide.md": "# Guide\n\n[f](/_fragments/cta/)\n",
        "src/content/docs/_fragments/cta.mdx": "[a](/guide/) [b](/nope/) [c](./guide.md) [d](#top)\n",
        "src/components/Rules.md": "[a](/guide/) [b](/gone/)\n",
        # A README among the components is for GitHub's readers: no partial.
        "src/components/README.md": "# Components\n\n[config](/astro.config.mjs)\n",
        # A collection no route file of the site pairs with: posts at unknown URLs.
        "src/content/blog/post.md": "# Post\n\n[a](/guide/) [b](/missing/) [c](other.md)\n",
    },
    "docusaurus": {
        "docusaurus.config.js": "module.exports = { url: 'https://example.dev', baseUrl: '/' };\n",
        "docs/guide.md": "# Guide\n\n[f](/docs/_partials/cta) [g](/docs/guide)\n",
        "docs/_partials/cta.mdx": (
            "[a](/docs/guide) [b](/nope/) [c](../guide.md) [d](#top) [e](./guide.md) [f](img.png)\n"
            # From where it would be served (`/docs/_partials/cta`), found: a link.
            "[g](../lonely)\n"
        ),
        "docs/lonely.md": "# Lonely\n",
        "src/components/Rules.md": "[a](/docs/guide) [b](/gone/)\n",
        "src/components/README.md": "# Components\n\n[config](/docusaurus.config.js)\n",
    },
}


@pytest.mark.parametrize(
    ("generator", "expected"),
    [
        (
            "astro",
            [
                ("LL001", "src/components/README.md", 1, 1, "warning"),  # a page GitHub shows; its link found there
                ("LL007", "src/components/README.md", 1, 1, "warning"),
                ("LL003", "src/components/Rules.md", 1, 14, "error"),  # `/gone/`; `/guide/` is the site's
                ("LL001", "src/content/blog/post.md", 1, 1, "warning"),  # a post, at an unknown URL
                ("LL007", "src/content/blog/post.md", 1, 1, "warning"),
                ("LL003", "src/content/blog/post.md", 3, 14, "error"),  # `/missing/`; `other.md` not judged
                ("LL003", "src/content/docs/_fragments/cta.mdx", 1, 14, "error"),  # `/nope/`
                ("LL001", "src/content/docs/guide.md", 1, 1, "warning"),
                ("LL003", "src/content/docs/guide.md", 3, 1, "error"),  # a partial has no URL
            ],
        ),
        (
            "docusaurus",
            [
                ("LL003", "docs/_partials/cta.mdx", 1, 18, "error"),
                ("LL003", "docs/_partials/cta.mdx", 1, 57, "error"),  # from the partial's own file
                ("LL001", "docs/guide.md", 1, 1, "warning"),
                ("LL003", "docs/guide.md", 3, 1, "error"),
                ("LL001", "docs/lonely.md", 1, 1, "warning"),  # no LL007: the partial links to it
                ("LL001", "src/components/README.md", 1, 1, "warning"),
                ("LL007", "src/components/README.md", 1, 1, "warning"),
                ("LL003", "src/components/Rules.md", 1, 18, "error"),
            ],
        ),
    ],
)
def test_partials_are_no_pages_and_their_root_relative_links_are_the_sites(tmp_path: Path, generator: str, expected) -> None:
    # Partials (a `_` name, Markdown among components) have no URL and get no
    # post rules; their root-relative links are the site's URLs, their
    # relative ones resolve against whatever page shows them: not judged.
    files = PARTIALS[generator]
    write_files(tmp_path, files)
    run = run_site(tmp_path, select=["LL001", "LL003", "LL007"])
    assert run.report.generator == generator
    assert [path for path in files if run.site.profile.is_partial(path)] == [
        path for path in files if "_partials" in path or "_fragments" in path or "components/Rules" in path
    ]
    assert _findings(run) == expected


MKDOCS_INCLUDES = {
    "mkdocs.yml": (
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [docs/snippets, includes]\n"
        "plugins:\n  - macros:\n      include_dir: docs/partials\n"
    ),
    "docs/index.md": "# Home\n\n[a](guide/setup.md)\n",
    "docs/install.md": "# Install\n",
    "docs/guide/setup.md": '# Setup\n\n--8<-- "logs.md"\n\n--8<-- "note.md:1:1"\n',
    "docs/guide/other.md": "# Other\n\n{% include 'macro.md' %}\n",
    # `other.md` is found from the page that includes the snippet, not from
    # the snippet's own folder; `#top` is the including page's.
    "docs/snippets/logs.md": "[a](other.md) [b](../nope.md) [c](#top) [d](/guide/other/)\n",
    "includes/note.md": "[x](other.md) [y](missing.md)\n",  # outside docs_dir
    "docs/partials/macro.md": '--8<-- "nested.md"\n[z](setup.md)\n',
    # Included by a partial: resolved from the page that includes that one.
    "docs/snippets/nested.md": "[n](../index.md) [m](../gone.md)\n",
    "docs/snippets/unused.md": "[u](../../anything.md)\n",  # shown by no page: not judged
}


def test_mkdocs_snippets_and_macro_includes_are_partials_resolved_from_the_pages_that_include_them(tmp_path: Path) -> None:
    write_files(tmp_path, MKDOCS_INCLUDES)
    run = run_site(tmp_path, select=["LL001", "LL003", "LL007"])
    assert run.report.generator == "mkdocs"
    assert sorted(path for path in MKDOCS_INCLUDES if run.site.profile.is_partial(path)) == [
        "docs/partials/macro.md", "docs/snippets/logs.md", "docs/snippets/nested.md", "docs/snippets/unused.md", "includes/note.md",
    ]
    errors = [(v.path, v.span.line, v.span.column, v.message) for v in run.report.violations if v.code == "LL003"]
    assert errors == [
        ("docs/snippets/logs.md", 1, 15, "link target `../nope.md` does not exist"),
        ("docs/snippets/nested.md", 1, 18, "link target `../gone.md` does not exist"),
        ("includes/note.md", 1, 15, "link target `missing.md` does not exist"),
    ]
    # No post rules on partials.
    assert {v.path for v in run.report.violations if v.code != "LL003"} <= {"docs/index.md", "docs/install.md", "docs/guide/setup.md", "docs/guide/other.md"}


@pytest.mark.parametrize("config_name", ["mkdocs.yml", "zensical.toml"])
def test_mkdocs_and_zensical_configs_say_the_same(tmp_path: Path, config_name: str) -> None:
    # Zensical reads MkDocs' settings from `[project]` in zensical.toml; dotted
    # extension names nest as tables. The site is served under a base path:
    # a URL of its host outside it is another site's. mkdocstrings' `::: x`,
    # also written as a heading, makes the page's headings at build time.
    configs = {
        "mkdocs.yml": (
            "site_name: x\nsite_url: https://org.example.io/proj/\nmarkdown_extensions:\n  - attr_list\n"
            "  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds: {case: lower}\n"
            "  - pymdownx.snippets:\n      base_path: [docs/snippets]\n"
        ),
        "zensical.toml": (
            '[project]\nsite_name = "x"\nsite_url = "https://org.example.io/proj/"\n'
            "[project.markdown_extensions.attr_list]\n[project.markdown_extensions.toc]\n"
            'slugify = {object = "pymdownx.slugs.slugify", kwds = {case = "lower"}}\n'
            '[project.markdown_extensions.pymdownx.snippets]\nbase_path = ["docs/snippets"]\n'
        ),
    }
    write_files(
        tmp_path,
        {
            config_name: configs[config_name],
            "docs/index.md": (
                "# Home\n\n## Über uns\n\n[a](#über-uns) [b](api.md#anything) [c](https://org.example.io/other/) "
                "[d](https://org.example.io/proj/api/) [e](https://org.example.io/proj/nope/) [f](#gone)\n"
            ),
            "docs/api.md": "# ::: package.module\n    options:\n        show_source: false\n",
            "docs/snippets/note.md": "A note.\n",
        },
    )
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == config_name.split(".")[0]
    assert run.site.profile.is_partial("docs/snippets/note.md")
    assert [(v.code, v.span.column) for v in run.report.violations] == [("LL003", 110), ("LL004", 149)]


@pytest.mark.parametrize(
    ("tabbed", "expected"),
    [
        # Material's own docs: tab ids from their titles, after the heading's id.
        ("      combine_header_slug: true\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds: {case: lower}\n", [55, 70]),
        ("      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds: {case: lower}\n", [1, 29, 70]),
        ("      alternate_style: true\n", [1, 29, 55, 70]),  # `__tabbed_1_1` ids: not read
    ],
)
def test_mkdocs_tab_ids(tmp_path: Path, tabbed: str, expected: list[int]) -> None:
    write_files(
        tmp_path,
        {
            "mkdocs.yml": "site_name: x\nmarkdown_extensions:\n  - pymdownx.tabbed:\n" + tabbed,
            "docs/index.md": (
                "# Home\n\n## Anchor links\n\n=== \"Open me ...\"\n    First.\n\n===+ \"... or **me**\"\n    Second.\n\n"
                "[a](#anchor-links-open-me-) [b](#anchor-links--or-me) [c](#open-me-) [d](#gone)\n"
            ),
        },
    )
    run = run_site(tmp_path, select=["LL004"])
    assert [v.span.column for v in run.report.violations] == expected  # the last one, `#gone`, in every case


VITEPRESS = {
    "docs/.vitepress/config.mts": (
        "import { defineConfigWithTheme } from 'vitepress'\n"
        "export default defineConfigWithTheme<ThemeConfig>({\n  srcDir: 'src',\n  base: '/docs/',\n"
        "  srcExclude: ['**/README.md', 'drafts/**'],\n"
        "  themeConfig: { sidebar: { '/guide/': { base: '/guide/', items: [] } } },\n})\n"
    ),
    "docs/src/index.md": "# Home\n",
    "docs/src/guide/index.md": "# Guide\n",
    "docs/src/guide/setup.md": "# Setup\n\n## 2. Install it {#install}\n\n## What is Vue?\n\n![flow](./images/flow.png)\n",
    "docs/src/guide/images/flow.png": b"\x89PNG",
    "docs/src/public/logo.svg": "<svg/>",
    "docs/src/README.md": "# Not a page\n",
    "docs/src/intro.md": (
        "# Intro\n\n[a](./guide/setup) [b](./guide/setup.md#install) [c](/guide/setup#what-is-vue) [d](/guide/setup.html) "
        "[e](/guide/) [f](/logo.svg) [g](/guide/setup.md) [h](/guide/nope) [i](/guide/setup#2-install-it) [j](./README.md)\n"
    ),
}


@pytest.mark.parametrize("folder_config", [False, True])
def test_vitepress(tmp_path: Path, folder_config: bool) -> None:
    files = dict(VITEPRESS)
    if folder_config:
        # pinia: `.vitepress/config/index.ts`, its settings spread in from a sibling.
        config = files.pop("docs/.vitepress/config.mts")
        files["docs/.vitepress/config/index.ts"] = "import { shared } from './shared'\nexport default defineConfig({ ...shared })\n"
        files["docs/.vitepress/config/shared.ts"] = config.replace("export default defineConfigWithTheme<ThemeConfig>(", "export const shared = defineConfig(")
    write_files(tmp_path, files)
    run = run_site(tmp_path, select=["LL003", "LL004"])
    assert run.report.generator == "vitepress"
    profile = run.site.profile
    assert profile.info["docs/src/guide/setup.md"].url == "/guide/setup.html" and profile.base_path == "/docs/"
    assert "docs/src/README.md" not in profile.info
    assert _resolve(run, "docs/src/intro.md", "./guide/setup.md#install") == ("page", "docs/src/guide/setup.md", "install", False)
    assert [(v.code, v.span.column) for v in run.report.violations] == [("LL003", 152), ("LL004", 169), ("LL003", 200)]


def test_vitepress_attrs_with_the_configs_delimiters(tmp_path: Path) -> None:
    # pinia: `markdown: { attrs: { leftDelimiter: '%{', rightDelimiter: '}%' } }`.
    write_files(
        tmp_path,
        {
            ".vitepress/config.ts": "export default defineConfig({ markdown: { attrs: { leftDelimiter: '%{', rightDelimiter: '}%' } } })\n",
            "index.md": "# Home\n\n### StateTree %{#statetree}%\n\n[a](#statetree) [b](#statetree-statetree)\n",
        },
    )
    run = run_site(tmp_path, select=["LL004"])
    assert run.report.generator == "vitepress"
    assert positions(run) == [("LL004", "index.md", 5, 17)]


def test_a_slugify_written_as_a_table_is_the_tag_mkdocs_yml_writes() -> None:
    # Zensical's TOML: `slugify = {object = "…", kwds = {…}}`, for the toc and
    # for pymdownx.tabbed alike.
    from linklint.sites.configfiles import Tagged
    from linklint.sites.mkdocs import _slugify_function

    table = _slugify_function({"object": "pymdownx.slugs.slugify", "kwds": {"case": "lower"}}, "-")
    tag = _slugify_function(Tagged("tag:yaml.org,2002:python/object/apply:pymdownx.slugs.slugify", {"kwds": {"case": "lower"}}), "-")
    assert table("Über Uns!") == tag("Über Uns!") == "über-uns"


def test_mkdocs_url_inputs_name_what_a_page_includes() -> None:
    # A stored site resolves every page's links again when a page includes
    # other files than it did (the partials' links lead elsewhere then).
    from linklint.document import parse_document
    from linklint.sites.mkdocs import MkdocsProfile

    def inputs(text: str) -> tuple:
        return MkdocsProfile.url_inputs(parse_document("docs/a.md", text.encode()))

    assert inputs('# A\n\n--8<-- "one.md"\n') != inputs('# A\n\n--8<-- "two.md"\n')
    assert inputs("# A\n\n{% include 'one.md' %}\n") == inputs('# A\n\n--8<-- "one.md:2:4"\n')
    assert inputs("# A\n\ntext\n") == inputs("# A\n\nother text\n")


@pytest.mark.parametrize(
    ("config_name", "config", "settings"),
    [
        # A plugin's own `base` inside the config is not the site's.
        (
            "astro.config.ts",
            "import starlight from '@astrojs/starlight';\nexport default defineConfig({\n"
            "  integrations: [starlight({ plugins: [changelogs({ base: 'internals/changelog' })] })],\n"
            "  // base: '/commented/',\n  site: 'https://example.dev',\n});\n",
            {"site": "https://example.dev", "base": "/"},
        ),
        (
            "astro.config.mjs",
            "export default defineConfig({ redirects: { '/a': { base: '/x/' } }, base: '/docs/', site: `https://example.dev` });\n",
            {"site": "https://example.dev", "base": "/docs/"},
        ),
        # Docusaurus: a navbar item's `url` before the site's.
        (
            "docusaurus.config.ts",
            "const config: Config = {\n  themeConfig: { navbar: { items: [{ label: 'x', url: 'https://other.example' }] } },\n"
            "  url: 'https://example.dev',\n  baseUrl: '/docs/',\n};\nexport default config;\n",
            {"url": "https://example.dev", "baseUrl": "/docs/"},
        ),
    ],
)
def test_js_configs_settings_are_the_config_objects_own(tmp_path: Path, config_name: str, config: str, settings: dict) -> None:
    write_files(tmp_path, {config_name: config, "src/content/docs/index.md": "# Home\n", "docs/index.md": "# Home\n"})
    run = run_site(tmp_path, select=["LL003"])
    assert {key: run.site.profile.settings[key] for key in settings} == settings


def test_host_redirects_files(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "eleventy.config.js": "export default function () {}\n",
            "vercel.json": '{"redirects": [{"source": "/old/:path*", "destination": "/guide/:path*"}, {"source": "/chat/", "destination": "https://chat.example/"}], "rewrites": [{"source": "/stats/(.*)", "destination": "https://stats.example/$1"}]}\n',
            "netlify.toml": '[[redirects]]\nfrom = "/start"\nto = "/guide/"\nstatus = 301\n',
            "index.md": "[a](/old/setup/) [b](/chat/) [c](/stats/x/) [d](/start) [e](/old)\n",
            "guide/setup.md": "# Setup\n",
            "guide/index.md": "# Guide\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert [_resolve(run, "index.md", d)[::3] for d in ("/old/setup/", "/chat/", "/stats/x/", "/start")] == [
        ("page", True),
        ("external", False),
        ("skipped", False),
        ("page", True),
    ]
    assert _findings(run) == [
        ("LL003", "index.md", 1, 1, "warning"),
        ("LL003", "index.md", 1, 45, "warning"),
        ("LL003", "index.md", 1, 57, "error"),
    ]


def test_generator_folders_of_a_site_in_a_subfolder_are_no_pages(tmp_path: Path) -> None:
    # `_layouts/` of a Jekyll site in `docs/` holds templates, not pages.
    write_files(
        tmp_path,
        {
            "README.md": "# Project\n\nSee [the docs](docs/index.md).\n",
            "docs/_config.yml": "title: Docs\n",
            "docs/index.md": "---\ntitle: Docs\n---\n\n# Docs\n",
            "docs/_layouts/page.md": "# Layout\n\n[broken]({{ page.nothing }}/missing.md) [also broken](nowhere.md)\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "jekyll"
    assert "docs/_layouts/page.md" not in run.site.documents
    assert positions(run) == []


def test_docfx_content_from_a_folder_beside_the_config(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "docs/docfx.json": '{"build": {"content": [{"files": ["**.md"], "src": "../notes", "dest": "notes"},'
            ' {"files": ["**.md"], "src": "./"}]}}',
            "docs/index.md": "# Docs\n\nSee [the first note](../notes/first.md) and [a lost one](../notes/lost.md).\n",
            "notes/first.md": "# First\n",
        },
    )
    run = run_site(tmp_path, select=["LL003"])
    assert run.report.generator == "docfx"
    assert run.site.profile.page_urls("notes/first.md")[0] == "/notes/first.html"
    assert positions(run) == [("LL003", "docs/index.md", 3, 45)]


def test_generator_settings_from_linklint_config_for_program_configs(tmp_path: Path) -> None:
    # Values a JavaScript config computes cannot be read: linklint's
    # `generator:` settings give them.
    eleventy = tmp_path / "eleventy"
    files = {
        "eleventy.config.js": "module.exports = () => ({ dir: { input: process.env.SOURCE } });\n",
        "src/index.md": "# Home\n\nRead [about us](/about/).\n",
        "src/about.md": "# About\n",
    }
    write_files(eleventy, files)
    assert positions(run_site(eleventy, select=["LL003"])) == [("LL003", "src/index.md", 3, 6)]
    write_files(eleventy, {".linklint.yaml": "generator:\n  input: src\n"})
    assert positions(run_site(eleventy, select=["LL003"])) == []

    docusaurus = tmp_path / "docusaurus"
    write_files(
        docusaurus,
        {
            "docusaurus.config.js": "const route = 'guide';\nmodule.exports = { url: 'https://d.example', "
            "presets: [['classic', { docs: { routeBasePath: route } }]] };\n",
            "docs/intro.md": "# Intro\n",
            "src/pages/index.md": "# Home\n\nStart with [the intro](/guide/intro).\n",
        },
    )
    assert positions(run_site(docusaurus, select=["LL003"])) == [("LL003", "src/pages/index.md", 3, 12)]
    write_files(docusaurus, {".linklint.yaml": "generator:\n  docs_route: guide\n"})
    run = run_site(docusaurus, select=["LL003"])
    assert run.report.generator == "docusaurus" and positions(run) == []


def _urls_to_ask(index: dict[str, str]) -> list[str]:
    """Every URL of the index, and others like them: without or with a
    trailing slash, with ``.html``, in other case, and some no page has."""
    asked = {"/", "/nothing/", "/nothing", "/index.html", "/README.md/"}
    for url in index:
        bare = url.rstrip("/")
        asked.update({url, bare, bare + "/", bare + ".html", url.upper(), url.lower(), url + "x"})
    return sorted(asked)


@pytest.mark.parametrize("name", ["hugo", "jekyll", "mkdocs", "docusaurus", "astro"])
def test_a_generators_page_at_a_url_is_its_url_tables(sites, name: str) -> None:
    profile = sites[name].site.profile
    index = profile.url_index()
    assert index
    for url in _urls_to_ask(index):
        assert profile.page_at_url(url) == index.get(url), url


PLAIN_PAGES = {
    "README.md": "# Home\n",
    "readme.md": "# home\n",
    "index.md": "# Index\n",
    "a.md": "# A\n",
    "a.markdown": "# A again\n",
    "a/index.md": "# A's folder\n",
    "a/README.md": "# A's readme\n",
    "docs/README.markdown": "# Docs\n",
    "docs/guide.md": "# Guide\n",
    "docs/guide/README.md": "# Guide's folder\n",
    "docs/v1.2.md": "# v1.2\n",
    "docs/v1.2/index.md": "# v1.2's folder\n",
    "docs/x.y/z.md": "# Z\n",
    "docs/..md": "# Dots\n",
    "docs/page.html.md": "# A page named like HTML\n",
    "notes/.hidden.md": "# Hidden\n",
    "outside/page.md": "# Outside the content folder\n",
}


@pytest.mark.parametrize("content", ["", "docs"])
def test_the_page_at_a_url_is_the_first_of_those_served_there(tmp_path: Path, content: str) -> None:
    """Worked out for one URL, the page is the one the index of every page's
    URLs has: the first in path order of the pages served there."""
    files = dict(PLAIN_PAGES)
    if content:
        files[".linklint.yaml"] = f"content: {content}\n"
    profile = run_site(tmp_path, files).site.profile
    assert profile.name == "plain"
    reference: dict[str, str] = {}
    for page in sorted(profile.pages):
        for url in profile.page_urls(page):
            reference.setdefault(url, page)
    for url in _urls_to_ask(reference):
        assert profile.page_at_url(url) == reference.get(url), url
    assert profile._url_index is None  # worked out without the index
    # Several pages served at one URL: the first in path order.
    assert profile.page_at_url("/") == ("docs/README.markdown" if content else "README.md")
    assert profile.page_at_url("/a/" if not content else "/guide/") == ("a.markdown" if not content else "docs/guide.md")


@pytest.mark.parametrize("limit", [True, False])
def test_folders_that_may_hold_a_site_are_told_by_their_configs_whole_names(limit: bool) -> None:
    """``_candidate_bases`` tests each path's end against the configs' names
    (a folder, then a config's whole name): the folders found are those a
    test of each path's base name first finds."""
    import posixpath

    from linklint.sites import _DETECTION, _candidate_bases, _may_hold_site

    names = {name for generator in _DETECTION for name in generator.files}
    files = {
        "mkdocs.yml", "docs/mkdocs.yml", "docs/notmkdocs.yml", "site/config/_default/hugo.toml",
        "site/config/_default/params.toml", "website/docusaurus.config.js", "examples/blog/_config.yml",
        "a/b/c/d/e/f/mkdocs.yml", "book/book.toml", "docs/posts/hello.md", "config.toml", "x/config.toml",
        "x/config.toml.bak", "y/hugo.toml/readme.md",
    }  # fmt: skip
    by_base_name: set[str] = set()
    for path in files:
        if posixpath.basename(path) in {posixpath.basename(name) for name in names}:
            for name in names:
                if path.endswith("/" + name) and path[: -len(name)] and (not limit or _may_hold_site(path[: -len(name)])):
                    by_base_name.add(path[: -len(name)])
    assert _candidate_bases(files, _DETECTION, limit=limit) == by_base_name
    assert {"docs/", "site/", "website/", "book/", "x/"} <= by_base_name
    assert ("examples/blog/" in by_base_name) is not limit
