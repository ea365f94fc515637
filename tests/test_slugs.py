"""Heading ids as GitHub and GitLab compute them.

Where the expected values come from:

* ``GITHUB_FIXTURE_DOCUMENT`` is transcribed from ``test/fixtures.json`` of the
  github-slugger package (2.0.0). Its expected ids were not written by hand: the
  package's script published those headings as one Markdown document on github.com
  and read back the ids GitHub rendered, so order matters (repeats, ``-1``...).
* ``GITHUB_CASES`` and ``GITHUB_CATEGORY_CASES`` are headings chosen for this suite;
  their ids were computed with github-slugger 2.0.0 itself.
* The GitLab examples are the ones in GitLab's own Markdown documentation.

Non-ASCII characters that are hard to tell apart by eye are written as escapes.
"""

from __future__ import annotations

import pytest

from linklint.slugs import (
    SLUGGERS,
    GitLabLegacySlugger,
    GitLabSlugger,
    Slugger,
    github_slug,
    gitlab_legacy_slug,
    gitlab_slug,
    heading_ids,
    make_slugger,
)

# (heading text, id) in document order, as github.com rendered them.
GITHUB_FIXTURE_DOCUMENT = [
    ("alpha", "alpha"),
    ("alpha", "alpha-1"),
    ("bravoCharlieDelta", "bravocharliedelta"),
    ("__proto__", "__proto__"),
    ("__proto__", "__proto__-1"),
    ("hasOwnProperty", "hasownproperty"),
    ("echo", "echo"),
    ("echo", "echo-1"),
    ("echo 1", "echo-1-1"),
    ("echo-1", "echo-1-2"),
    ("echo", "echo-2"),
    ("foxtrot-1", "foxtrot-1"),
    ("foxtrot", "foxtrot"),
    ("foxtrot", "foxtrot-2"),
    ("heading with a - dash", "heading-with-a---dash"),
    ("heading with an _ underscore", "heading-with-an-_-underscore"),
    ("heading with a period.txt", "heading-with-a-periodtxt"),
    (
        "exchange.bind_headers(exchange, routing [, bindCallback])",
        "exchangebind_headersexchange-routing--bindcallback",
    ),
    (" ", "-"),
    (" a", "-a"),
    ("a ", "a-"),
    (" a ", "-a-"),
    ("-a-", "-a--1"),  # "-a-" was already produced by " a " just above
    ("apostrophe\u2019s should be trimmed", "apostrophes-should-be-trimmed"),
    ("golf", "golf"),
    ("golf", "golf-1"),
    ("golf", "golf-2"),
    ("I \u2665 unicode", "i--unicode"),
    ("dash-dash", "dash-dash"),
    ("en\u2013dash", "endash"),
    ("em\u2013dash", "emdash"),
    ("\U0001f604 unicode emoji", "-unicode-emoji"),
    ("\U0001f604-\U0001f604 unicode emoji", "--unicode-emoji"),
    ("\U0001f604_\U0001f604 unicode emoji", "_-unicode-emoji"),
    ("\U0001f604 - an emoji", "---an-emoji"),
    (":smile: - a gemoji", "smile---a-gemoji"),
    ("Привет", "привет"),
    ("Профили пользователей", "профили-пользователей"),
    ("Привет non-latin 你好", "привет-non-latin-你好"),
    (":ok: No underscore", "ok-no-underscore"),
    (":ok_hand: Single", "ok_hand-single"),
    (
        ":ok_hand::hatched_chick: Two in a row with no spaces",
        "ok_handhatched_chick-two-in-a-row-with-no-spaces",
    ),
    (":ok_hand: :hatched_chick: Two in a row", "ok_hand-hatched_chick-two-in-a-row"),
]

# Single headings (no repeats), GitHub's id for each.
GITHUB_CASES = [
    # ampersands, apostrophes, other ASCII punctuation: deleted, spaces stay
    ("Q&A", "qa"),
    ("Tom & Jerry", "tom--jerry"),
    ("Don't panic", "dont-panic"),
    ("What\u2019s new?", "whats-new"),
    ("C++ & C#", "c--c"),
    ("Node.js", "nodejs"),
    ("100%", "100"),
    ("$HOME/bin", "homebin"),
    ("email@example.com", "emailexamplecom"),
    ("path/to/file.md", "pathtofilemd"),
    ("[brackets] {braces}", "brackets-braces"),
    ("~tilde~ ^caret^ |pipe|", "tilde-caret-pipe"),
    ("<div> tags", "div-tags"),  # text of a heading that shows literal markup
    ("!!!", ""),
    # code spans arrive as their text
    ("The foo() call", "the-foo-call"),
    ("npm install -g", "npm-install--g"),
    # spaces and hyphens: every space is a hyphen, nothing collapsed or trimmed
    ("Install  twice   spaced", "install--twice---spaced"),
    ("--leading and trailing--", "--leading-and-trailing--"),
    ("- a -", "--a--"),
    ("  ", "--"),
    ("-", "-"),
    # underscores (connector punctuation) stay
    ("__init__.py", "__init__py"),
    ("snake_case_name", "snake_case_name"),
    ("_", "_"),
    # numbers: decimal digits and letter numbers stay, other numbers go
    ("Version 2.0.1", "version-201"),
    ("1. Introduction", "1-introduction"),
    ("2024-01-01 release", "2024-01-01-release"),
    ("x\u00b2 + y\u00b2", "x--y"),
    ("\u00bd cup", "-cup"),
    ("\u2460\u2461\u2462 steps", "-steps"),
    ("Chapter \u216b", "chapter-\u217b"),  # Roman numeral twelve, lower-cased
    ("\u0663 Arabic-Indic", "\u0663-arabic-indic"),
    # accents, precomposed and combining
    ("Caf\u00e9 au lait", "caf\u00e9-au-lait"),
    ("\u00dcn\u00efc\u00f6d\u00e9 Stra\u00dfe", "\u00fcn\u00efc\u00f6d\u00e9-stra\u00dfe"),
    ("Cafe\u0301", "cafe\u0301"),
    ("\u00bfQu\u00e9?", "qu\u00e9"),
    # other scripts, with Unicode-aware lower-casing
    ("日本語の見出し", "日本語の見出し"),
    ("中文 标题", "中文-标题"),
    ("한국어 제목", "한국어-제목"),
    ("Привет, мир!", "привет-мир"),
    ("\u038c\u03a3\u039f\u03a3", "\u03cc\u03c3\u03bf\u03c2"),  # final sigma
    ("\u0130stanbul", "i\u0307stanbul"),  # dotted capital I: i + combining dot
    ("\uff21\uff42\uff43 fullwidth", "\uff41\uff42\uff43-fullwidth"),
    # emoji and other symbols go; the spaces around them stay
    ("\U0001f44d Thumbs up", "-thumbs-up"),
    ("Rocket \U0001f680 launch", "rocket--launch"),
    ("\U0001f468\u200d\U0001f469\u200d\U0001f467 family", "-family"),
    ("\U0001f642", ""),
    ("a\u2014b \u2013 c", "ab--c"),
    ("\u00abquoted\u00bb \u201csmart\u201d", "quoted-smart"),
    # circled and squared letters are symbols but Alphabetic, so they stay
    ("\u24b6 circled", "\u24d0-circled"),
    ("\U0001f170 blood", "\U0001f170-blood"),
    # only the ASCII space becomes a hyphen; tabs, NBSP, zero-width chars vanish
    ("tab\there", "tabhere"),
    ("non\u00a0breaking", "nonbreaking"),
    ("zero\u200bwidth", "zerowidth"),
    ("", ""),
]

# One or two characters of every Unicode general category between "a" and "b":
# (category, character, what GitHub keeps of it).
GITHUB_CATEGORY_CASES = [
    ("Lu", "A", "a"),
    ("Lu", "\U0001e900", "\U0001e922"),  # Adlam capital alif
    ("Ll", "\u00b5", "\u00b5"),
    ("Lt", "\u01c5", "\u01c6"),
    ("Lm", "\u02b0", "\u02b0"),
    ("Lo", "\u00aa", "\u00aa"),
    ("Mn", "\u0301", "\u0301"),
    ("Mc", "\u0903", "\u0903"),
    ("Me", "\u20dd", "\u20dd"),
    ("Nd", "\U0001d7ce", "\U0001d7ce"),
    ("Nl", "\u16ee", "\u16ee"),
    ("Pc", "\u203f", "\u203f"),
    ("Pc", "\uff3f", "\uff3f"),
    ("So (Alphabetic)", "\U0001f130", "\U0001f130"),
    ("No", "\U0001f10c", ""),
    ("Pd", "\uff0d", ""),
    ("Ps", "\u300c", ""),
    ("Pe", ")", ""),
    ("Pi", "\u2018", ""),
    ("Pf", "\u00bb", ""),
    ("Po", "\u3002", ""),
    ("Sm", "\u2264", ""),
    ("Sc", "\u20ac", ""),
    ("Sk", "\U0001f3ff", ""),  # emoji skin-tone modifier
    ("So", "\u00a9", ""),
    ("Cc", "\n", ""),
    ("Cc", "\x7f", ""),
    ("Cf", "\u00ad", ""),
    ("Cf", "\ufeff", ""),
    ("Co", "\ue000", ""),
    ("Cn", "\u0378", ""),
    ("Zs", "\u3000", ""),
    ("Zl", "\u2028", ""),
    ("Zp", "\u2029", ""),
]


# -- GitHub -------------------------------------------------------------------------


def test_github_fixture_document() -> None:
    slugger = Slugger()
    got = [slugger.slug(text) for text, _ in GITHUB_FIXTURE_DOCUMENT]
    assert got == [expected for _, expected in GITHUB_FIXTURE_DOCUMENT]


@pytest.mark.parametrize(("text", "expected"), GITHUB_CASES)
def test_github_slug(text: str, expected: str) -> None:
    assert github_slug(text) == expected


@pytest.mark.parametrize(("text", "expected"), GITHUB_CASES)
def test_first_heading_of_a_document_gets_the_plain_slug(text: str, expected: str) -> None:
    assert Slugger().slug(text) == expected


@pytest.mark.parametrize(("category", "char", "kept"), GITHUB_CATEGORY_CASES)
def test_github_general_categories(category: str, char: str, kept: str) -> None:
    assert github_slug(f"a{char}b") == f"a{kept}b"


def test_duplicates_skip_a_literal_numbered_heading() -> None:
    slugger = Slugger()
    got = [slugger.slug(t) for t in ["foo", "foo", "foo-1", "foo", "Foo!", "foo-2"]]
    assert got == ["foo", "foo-1", "foo-1-1", "foo-2", "foo-3", "foo-2-1"]


def test_duplicates_count_per_slug_not_per_text() -> None:
    # Different texts with the same slug share one counter.
    slugger = Slugger()
    assert [slugger.slug(t) for t in ["Q&A", "QA", "Q & A", "qa"]] == ["qa", "qa-1", "q--a", "qa-2"]


def test_empty_headings_are_numbered_too() -> None:
    slugger = Slugger()
    got = [slugger.slug(t) for t in ["", "", "!!!", "-1", "\U0001f642"]]
    assert got == ["", "-1", "-2", "-1-1", "-3"]


def test_reset_forgets_previous_slugs() -> None:
    slugger = Slugger()
    assert [slugger.slug("foo"), slugger.slug("foo")] == ["foo", "foo-1"]
    slugger.reset()
    assert slugger.slug("foo") == "foo"


def test_sluggers_do_not_share_state() -> None:
    first, second = Slugger(), Slugger()
    assert first.slug("foo") == "foo"
    assert second.slug("foo") == "foo"
    assert first.slug("foo") == "foo-1"


def test_reserved_id_makes_the_next_equal_slug_a_repeat() -> None:
    slugger = Slugger()
    slugger.reserve("setup")
    assert [slugger.slug("Setup"), slugger.slug("Setup")] == ["setup-1", "setup-2"]


# -- heading_ids --------------------------------------------------------------------


def test_heading_ids_without_explicit_ids() -> None:
    assert heading_ids(["Intro", "Usage", "Intro"]) == ["intro", "usage", "intro-1"]


def test_explicit_ids_are_used_verbatim_and_consume_no_occurrence() -> None:
    texts = ["Intro", "Intro", "Intro", "Usage"]
    explicit = [None, "Start Here", None, None]
    assert heading_ids(texts, explicit) == ["intro", "Start Here", "intro-1", "usage"]


def test_explicit_ids_do_not_block_generated_ids_by_default() -> None:
    assert heading_ids(["Other", "Setup"], ["setup", None]) == ["setup", "setup"]


def test_reserve_explicit_makes_generated_ids_step_around() -> None:
    got = heading_ids(["Other", "Setup", "Setup"], ["setup", None, None], reserve_explicit=True)
    assert got == ["setup", "setup-1", "setup-2"]


def test_reserve_explicit_only_reserves_from_its_heading_on() -> None:
    # An explicit id below a generated one cannot change the id already given.
    got = heading_ids(["Setup", "Other"], [None, "setup"], reserve_explicit=True)
    assert got == ["setup", "setup"]


def test_heading_ids_accepts_iterators() -> None:
    texts = iter(["A", "A"])
    explicit = iter([None, None])
    assert heading_ids(texts, explicit) == ["a", "a-1"]


def test_heading_ids_rejects_lists_of_different_length() -> None:
    with pytest.raises(ValueError, match="2 heading texts but 1 explicit ids"):
        heading_ids(["A", "B"], [None])


def test_heading_ids_by_algorithm_name() -> None:
    texts = ["A - B", "A - B"]
    assert heading_ids(texts, algorithm="github") == ["a---b", "a---b-1"]
    assert heading_ids(texts, algorithm="gitlab") == ["a---b", "a---b-1"]
    assert heading_ids(texts, algorithm="gitlab-legacy") == ["a-b", "a-b-1"]


def test_heading_ids_with_a_slugger_instance_keeps_its_state() -> None:
    slugger = Slugger()
    slugger.slug("Intro")
    assert heading_ids(["Intro"], algorithm=slugger) == ["intro-1"]


def test_unknown_algorithm_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"unknown slug algorithm 'githb' \(known: github, "):
        heading_ids(["A"], algorithm="githb")


def test_registry_makes_fresh_sluggers() -> None:
    assert {"github", "gitlab", "gitlab-legacy"} <= set(SLUGGERS)
    for name in SLUGGERS:
        first, second = make_slugger(name), make_slugger(name)
        assert first is not second
        assert first.slug("Foo Bar") == "foo-bar"
        assert first.slug("Foo Bar") == "foo-bar-1"
        assert second.slug("Foo Bar") == "foo-bar"
    assert isinstance(make_slugger("github"), Slugger)


# -- GitLab ---------------------------------------------------------------------------


def test_gitlab_documentation_example() -> None:
    # GitLab's Markdown documentation (17.0 and later), "Heading IDs and links".
    texts = [
        "This heading has spaces in it",
        "This heading has a :thumbsup: in it",
        "This heading has Unicode in it: 한글",
        "This heading has spaces in it",
        "This heading has spaces in it",
        "This heading has 3.5 in it (and parentheses)",
        "This heading has  multiple spaces and --- hyphens",
    ]
    assert heading_ids(texts, algorithm="gitlab") == [
        "this-heading-has-spaces-in-it",
        "this-heading-has-a-thumbsup-in-it",
        "this-heading-has-unicode-in-it-한글",
        "this-heading-has-spaces-in-it-1",
        "this-heading-has-spaces-in-it-2",
        "this-heading-has-35-in-it-and-parentheses",
        "this-heading-has--multiple-spaces-and-----hyphens",
    ]


@pytest.mark.parametrize(
    ("text", "github", "gitlab"),
    [
        ("x\u00b2 + \u00bd", "x--", "x\u00b2--\u00bd"),  # other numbers stay on GitLab
        ("\u2460 step", "-step", "\u2460-step"),
        ("\u24b6 circled", "\u24d0-circled", "-circled"),  # alphabetic symbols go
        ("\U0001f170 blood", "\U0001f170-blood", "-blood"),
        ("Tom & Jerry", "tom--jerry", "tom--jerry"),
        ("snake_case \u2014 caf\u00e9", "snake_case--caf\u00e9", "snake_case--caf\u00e9"),
    ],
)
def test_gitlab_differs_from_github_only_in_kept_characters(
    text: str, github: str, gitlab: str
) -> None:
    assert github_slug(text) == github
    assert gitlab_slug(text) == gitlab


def test_gitlab_duplicates_take_the_first_free_suffix() -> None:
    slugger = GitLabSlugger()
    got = [slugger.slug(t) for t in ["foo", "foo", "foo-1", "foo"]]
    assert got == ["foo", "foo-1", "foo-1-1", "foo-2"]
    slugger.reset()
    assert slugger.slug("foo") == "foo"


def test_gitlab_legacy_documentation_example() -> None:
    # GitLab's documentation before 17.0. There ":thumbsup:" was an image by the
    # time ids were made, so its heading text reaches the slugger without it.
    texts = [
        "This header has spaces in it",
        "This header has a  in it",
        "This header has Unicode in it: 한글",
        "This header has spaces in it",
        "This header has spaces in it",
    ]
    assert heading_ids(texts, algorithm="gitlab-legacy") == [
        "this-header-has-spaces-in-it",
        "this-header-has-a-in-it",
        "this-header-has-unicode-in-it-한글",
        "this-header-has-spaces-in-it-1",
        "this-header-has-spaces-in-it-2",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Step - 1", "step-1"),
        ("--leading and trailing--", "-leading-and-trailing-"),
        ("Tom & Jerry", "tom-jerry"),
        ("x\u00b2 + y\u00b2", "x-y"),
        ("\u24b6 circled", "\u24d0-circled"),
        ("", ""),
    ],
)
def test_gitlab_legacy_collapses_hyphen_runs(text: str, expected: str) -> None:
    assert gitlab_legacy_slug(text) == expected


def test_gitlab_legacy_counter_has_no_collision_check() -> None:
    slugger = GitLabLegacySlugger()
    got = [slugger.slug(t) for t in ["foo", "foo", "foo-1", "Step - 1"]]
    assert got == ["foo", "foo-1", "foo-1", "step-1"]
    slugger.reset()
    assert slugger.slug("foo") == "foo"
