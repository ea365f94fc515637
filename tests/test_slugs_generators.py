"""Heading ids of the site generators' renderers (``linklint.slugs``).

Where the expected values come from, per algorithm:

* Hugo: ``markup/goldmark/autoid_test.go`` of gohugoio/hugo (its comment says the
  ``github`` values were made on github.com), ``TestSanitizeAnchorNameAsciiOnly``
  and ``TestSanitizeAnchorNameBlackfriday``; the numbering (``-1``, ``-2``, first
  free) and ``heading`` for an empty id from ``idFactory.Generate`` in
  ``autoid.go``.
* Zola: ``can_slugify_anchors`` in ``components/utils/src/slugs.rs`` of
  getzola/zola and the doc tests of the ``slug`` crate (Stebalien/slug-rs); the
  numbering from ``find_anchor`` in ``components/markdown/src/markdown.rs``.
* mdBook: ``it_normalizes_ids``, ``it_generates_unique_ids`` and
  ``punctuation_only_headings_get_unique_section_ids`` in
  ``crates/mdbook-html/src/utils.rs`` of rust-lang/mdBook (0.5); 0.4's
  ``normalize_id`` lower-cases ASCII only.
* markdig (DocFX): ``src/Markdig.Tests/Specs/AutoIdentifierSpecs.md`` of
  xoofx/markdig.
* kramdown (Jekyll): ``generate_gfm_header_id`` of kramdown-parser-gfm and
  ``basic_generate_id`` of kramdown's ``converter/base.rb``, applied by hand to
  headings chosen for this suite.
* Python-Markdown (MkDocs): ``slugify`` and ``unique`` of
  ``markdown/extensions/toc.py``, and pymdown-extensions' ``pymdownx/slugs.py``.
* VitePress: ``slugify`` of ``@mdit-vue/shared`` (``packages/shared/src/slugify.ts``
  of mdit-vue/mdit-vue), applied by hand; repeats numbered by
  markdown-it-anchor's ``uniqueSlug`` (first free).
"""

from __future__ import annotations

import pytest

from linklint.slugs import (
    ALGORITHMS,
    FragmentIds,
    blackfriday_slug,
    heading_ids,
    hugo_ascii_slug,
    hugo_slug,
    id_pattern,
    kramdown_gfm_slug,
    kramdown_slug,
    redcarpet_slug,
    markdig_slug,
    mdbook5_slug,
    mdbook_slug,
    pymdownx_slug,
    python_markdown_slug,
    zola_slug,
)

HUGO_GITHUB = [
    ("God is good: 神真美好", "god-is-good-神真美好"),
    ("Number 32", "number-32"),
    ("Question?", "question"),
    ("1+2=3", "123"),
    ('Special !"#$%&(parens)=?´* chars', "special-parens-chars"),
    ("Resumé", "resumé"),
    ("One-Hyphen", "one-hyphen"),
    ("Multiple--Hyphens", "multiple--hyphens"),
    ("Trailing hyphen-", "trailing-hyphen-"),
    ("Many   spaces  here", "many---spaces--here"),
    ("Forward/slash", "forwardslash"),
    ("Backward\\slash", "backwardslash"),
    ("Under_score", "under_score"),
    ("Nonbreaking\u00a0Space", "nonbreakingspace"),
    ("Trailing Space ", "trailing-space"),
]


@pytest.mark.parametrize(("text", "expected"), HUGO_GITHUB)
def test_hugo_github(text: str, expected: str) -> None:
    assert hugo_slug(text) == expected


def test_hugo_ascii_and_blackfriday() -> None:
    assert hugo_ascii_slug("god is神真美好 good") == "god-is-good"
    assert hugo_ascii_slug("Resumé") == "resume"
    assert blackfriday_slug("Let's try this, shall we?") == "let-s-try-this-shall-we"


def test_hugo_numbering_and_empty_headings() -> None:
    assert heading_ids(["A", "A", "a-1", "!!", "??"], algorithm="hugo") == ["a", "a-1", "a-1-1", "heading", "heading-1"]
    # An explicit id is taken when its heading is reached (goldmark's IDs().Put).
    assert heading_ids(["Intro", "Intro"], [None, "intro-1"], algorithm="hugo", reserve_explicit=True) == ["intro", "intro-1"]
    assert heading_ids(["Intro", "Intro", "x"], [None, None, "intro-1"], algorithm="hugo", reserve_explicit=True) == [
        "intro",
        "intro-1",
        "intro-1",
    ]


ZOLA = [
    ("input", "input"),
    ("test ", "test"),
    ("tes t", "tes-t"),
    ("dot. ", "dot"),
    ("héhé", "hehe"),
    ("test (hey)", "test-hey"),
    ("My Test String!!!1!1", "my-test-string-1-1"),
    ("test\nit   now!", "test-it-now"),
    ("  --test_-_cool", "test-cool"),
    ("Æúű--cool?", "aeuu-cool"),
    ("You & Me", "you-me"),
    ("user@example.com", "user-example-com"),
]


@pytest.mark.parametrize(("text", "expected"), ZOLA)
def test_zola(text: str, expected: str) -> None:
    assert zola_slug(text) == expected


def test_zola_words_for_emoji_and_cjk_are_matched_by_pattern() -> None:
    # deunicode turns 日本 into "ri ben" and 🦄 into "unicorn"; its table is not
    # reproduced, so such ids are patterns that accept any slug words there.
    assert id_pattern(zola_slug("日本")).fullmatch("ri-ben")
    unicorn = id_pattern(zola_slug("🦄 Magic"))
    assert unicorn.fullmatch("unicorn-magic") and unicorn.fullmatch("magic") and not unicorn.fullmatch("magik")
    assert id_pattern("plain") is None
    ids = FragmentIds({"a"}, [unicorn])
    assert "a" in ids and "unicorn-magic" in ids and "b" not in ids


def test_zola_numbering_takes_explicit_ids_first() -> None:
    assert heading_ids(["Hi", "Hi", "Hi"], [None, None, "hi-1"], algorithm="zola", explicit_first=True) == ["hi", "hi-2", "hi-1"]


def test_mdbook() -> None:
    assert mdbook5_slug("--passes: add more rustdoc passes") == "--passes-add-more-rustdoc-passes"
    assert mdbook5_slug("Method-call 🐙 expressions \U0001f47c") == "method-call--expressions-"
    assert mdbook5_slug("_-_12345") == "_-_12345"
    assert mdbook5_slug("中文標題 CJK title") == "中文標題-cjk-title"
    assert mdbook5_slug("Über") == "über"
    assert mdbook_slug("Über") == "Über"  # 0.4 lower-cases ASCII only
    assert [mdbook5_slug(t) for t in ("", "::", "!.():", "   ")] == ["section"] * 4
    assert heading_ids(["::", "!!!", "Real Heading", "***", "   "], algorithm="mdbook-0.5") == [
        "section",
        "section-1",
        "real-heading",
        "section-2",
        "section-3",
    ]
    assert heading_ids(["Über", "Über", "Über"], algorithm="mdbook") == ["Über", "Über-1", "Über-2"]


def test_markdig() -> None:
    assert markdig_slug("This is a heading") == "this-is-a-heading"
    assert markdig_slug("This - is a &@! heading _ with . and ! -") == "this-is-a-heading_with.and"
    assert markdig_slug("1.0 This is a heading") == "this-is-a-heading"
    assert heading_ids(["1.0 & ^ % *", "1.0 & ^ % *"], algorithm="markdig") == ["section", "section-1"]
    assert heading_ids(["This is a heading", "This is a heading"], algorithm="markdig") == [
        "this-is-a-heading",
        "this-is-a-heading-1",
    ]
    assert heading_ids(["123"], algorithm="markdig-gfm") == ["123"]


def test_kramdown_gfm_is_githubs_characters_with_a_plain_count() -> None:
    assert kramdown_gfm_slug("Über uns") == "über-uns"
    assert kramdown_gfm_slug("a\tb") == "a-b"
    assert kramdown_gfm_slug("Q&A: what's new?") == "qa-whats-new"
    # A count per base id, no check against ids made before (a real duplicate).
    assert heading_ids(["a", "a", "a-1"], algorithm="kramdown-gfm") == ["a", "a-1", "a-1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("server.shutdown.initial_wait", "server-shutdown-initial_wait"),  # `_` is kept
        ("A & B", "a-b"),  # `&amp;` is skipped whole: no second `-`
        ("What's next?", "whats-next"),  # `&#39;` too; the last `-` goes
        ("Ünïcode title", "n-code-title"),  # no `-` before anything kept
        ("C++ (advanced)", "c-advanced"),
        ("  Hello   World  ", "hello-world"),
        ("foo--bar", "foo-bar"),
        # Nothing kept: `part-` and the djb2 hash of the text's bytes.
        ("...", "part-b877caf"),
        ("🎉", "part-" + format((((5381 * 33 + 0xF0) * 33 + 0x9F) * 33 + 0x8E) * 33 + 0x89, "x")),
    ],
)
def test_redcarpet_slug(text: str, expected: str) -> None:
    assert redcarpet_slug(text) == expected


def test_redcarpet_repeats_are_not_numbered() -> None:
    assert heading_ids(["Repeat", "Repeat", "Other"], algorithm="redcarpet") == ["repeat", "repeat", "other"]


def test_kramdown_classic() -> None:
    assert kramdown_slug("This is a header") == "this-is-a-header"
    assert kramdown_slug("1. Intro to Jekyll") == "intro-to-jekyll"
    assert kramdown_slug("Über uns") == "ber-uns"
    assert kramdown_slug("123") == "section"
    assert heading_ids(["A", "A"], algorithm="kramdown") == ["a", "a-1"]


def test_python_markdown() -> None:
    assert python_markdown_slug("Café & Crème") == "cafe-creme"
    assert python_markdown_slug("  Hello -- World  ") == "hello-world"
    assert python_markdown_slug("Привет") == ""
    assert python_markdown_slug("Привет мир", unicode=True) == "привет-мир"
    assert heading_ids(["a", "a", "a_1", "!!", "??"], algorithm="python-markdown") == ["a", "a_1", "a_2", "_1", "_2"]
    # toc collects every id of the page first: an earlier heading steps around
    # an explicit id given further down.
    assert heading_ids(["Intro", "Other"], [None, "intro"], algorithm="python-markdown", explicit_first=True) == [
        "intro_1",
        "intro",
    ]


def test_pymdownx() -> None:
    assert pymdownx_slug("Café & Crème", case="lower") == "café--crème"
    assert pymdownx_slug("Café", case="none") == "Café"
    assert pymdownx_slug("ÜBER Uns", case="lower-ascii") == "Über-uns"


def test_every_algorithm_has_a_name() -> None:
    assert {"hugo", "kramdown-gfm", "python-markdown", "zola", "mdbook", "markdig"} <= set(ALGORITHMS)


def test_skeleton_keeps_only_letters_and_digits() -> None:
    from linklint.slugs import FragmentIds, skeleton

    assert skeleton('Registering Dependencies {% addedin "2.0.0-canary.19" %}') == "registeringdependencies"
    assert skeleton("<code>webc:keep</code>") == "webckeep"
    assert skeleton("Crème Brûlée, 2 ways") == "cremebrulee2ways"
    assert skeleton("Тип `SidebarLink`") == "типsidebarlink"
    ids = FragmentIds({"intro"}, skeletons=[skeleton("JavaScript Front Matter")])
    assert "intro" in ids and "java-script-front-matter" in ids and "javascript_front_matter" in ids
    assert "front-matter" not in ids


def test_template_blocks_are_found_and_statements_are_not_blocks() -> None:
    from linklint.sites.generator import template_blocks

    text = "{% set x = 1 %}a{%- set code %}[l](/x/){%- endset %}b{% capture y %}c"
    assert template_blocks(text, ("set", "capture")) == [(16, 52, "set"), (53, 69, "capture")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Augmenting Global Properties", "augmenting-global-properties"),
        ("What is Vue?", "what-is-vue"),
        ("`v-model` with Components", "v-model-with-components"),
        ("Über uns & Café", "uber-uns-cafe"),  # accents dropped (NFKD, combining marks removed)
        ("2. Setup", "_2-setup"),  # a leading digit gets `_`
        ("  a -- b  ", "a-b"),  # runs collapse, ends trimmed
        ("Tom’s “thing”", "tom-s-thing"),  # curly quotes are special too
        ("Ünïcödé – dash", "unicode-–-dash"),  # the en dash is not in the special set
        ("中文 标题", "中文-标题"),
    ],
)
def test_vitepress_slug(text: str, expected: str) -> None:
    from linklint.slugs import vitepress_slug

    assert vitepress_slug(text) == expected


def test_vitepress_repeats_take_the_first_free_number() -> None:
    assert heading_ids(["Setup", "Setup", "Setup 1", "Setup"], algorithm="vitepress") == ["setup", "setup-1", "setup-1-1", "setup-2"]
