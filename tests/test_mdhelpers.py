"""The faster link helpers give exactly markdown-it-py's own results
(linklint.mdhelpers)."""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.helpers import parseLinkDestination

from linklint import mdhelpers
from linklint.markdown import extract, parser
from linklint.mdhelpers import PlainOptions, normalize_link, parse_link_destination

URLS = [
    "",
    "page.md",
    "../docs/a b.md",
    "./guide.md#install-on-linux",
    "/blog/2024/post/",
    "https://example.com/path?q=1&r=2#frag",
    "http://EXAMPLE.com:8080/a",
    "https://bücher.example/straße",
    "mailto:someone@example.com",
    "mailto:jöhn@exämple.com",
    "//cdn.example.com/x.js",
    "http://[::1]:80/x",
    "http://user:pass@host/",
    "a%20b%2",
    "100%",
    "%zz%41",
    "caf\u00e9.md",
    "emoji-\U0001f600.md",
    "tab\there",
    "quote\"s and 'single'",
    "back\\slash",
    "{{< ref \"a.md\" >}}",
    "javascript:alert(1)",
    "data:image/png;base64,xx",
    "a[b]c|d^e`f{g}h",
    "http://a'b/c",
    "http://host_name.example/",
    "http://-bad-.example/x",
    "HTTPS://UPPER.example/",
    "ftp://files.example.com/pub",
    "\ud800lone",
]

DESTINATIONS = [
    ("page.md)", 0),
    ("page.md rest", 0),
    ("a(b)c) tail", 0),
    ("a(b", 0),
    ("a((((b))))", 0),
    ("(" * 33 + ")" * 33, 0),
    ("(" * 32 + "x" + ")" * 32, 0),
    ("a\\ b", 0),
    ("a\\)b)", 0),
    ("a\\", 0),
    ("a\\\\b c", 0),
    ("x\x01y", 0),
    ("x\x7fy", 0),
    ("tab\there", 0),
    ("line\nnext", 0),
    ("<a b>", 0),
    ("<a\\>b> c", 0),
    ("<a<b>", 0),
    ("<a\nb>", 0),
    ("<unclosed", 0),
    ("<", 0),
    ("", 0),
    (")", 0),
    ("  lead", 2),
    ("[x](url) after", 4),
    ("&amp;\\*x", 0),
    ("caf\u00e9-\U0001f600)", 0),
]


@pytest.mark.parametrize("url", URLS)
def test_normalize_link_equals_markdown_it(url: str) -> None:
    assert normalize_link(url) == normalizeLink(url)


@pytest.mark.parametrize("text,pos", DESTINATIONS)
def test_parse_link_destination_equals_markdown_it(text: str, pos: int) -> None:
    for maximum in range(pos, len(text) + 2):
        ours = parse_link_destination(text, pos, maximum)
        theirs = parseLinkDestination(text, pos, maximum)
        assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str), maximum


def test_both_agree_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "ab/.:#?%&=()<>\\ \t\n\x00\x1f\x7f[]'\"-_~2F3aé😀@"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 24)))
        assert normalize_link(text) == normalizeLink(text), text
        for pos in range(len(text) + 1):
            ours = parse_link_destination(text, pos, len(text))
            theirs = parseLinkDestination(text, pos, len(text))
            assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str), (text, pos)


def test_bracketed_destinations_agree_with_markdown_it_at_every_limit() -> None:
    # Destinations in angle brackets are scanned in runs; a run may reach the
    # limit, end at an escape, a `>`, a `<` or a line break.
    rng = random.Random(11)
    for _ in range(2000):
        body = "".join(rng.choice("ab <>\\\n\té") for _ in range(rng.randrange(0, 30)))
        text = rng.choice(["", "x", "](", "  "]) + "<" + body
        pos = text.index("<")
        for maximum in range(pos, len(text) + 2):
            ours = parse_link_destination(text, pos, maximum)
            theirs = parseLinkDestination(text, pos, maximum)
            assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str), (text, maximum)
    long_url = "<data:image/png;base64," + "iVBORw0KGgo" * 10_000 + ">"
    ours = parse_link_destination(long_url + " tail", 0, len(long_url) + 5)
    assert (ours.ok, ours.pos, ours.str) == (True, len(long_url), long_url[1:-1])


def test_normalize_link_remembers_each_url_and_stays_bounded(monkeypatch) -> None:
    monkeypatch.setattr(mdhelpers, "_NORMALIZED", {})
    monkeypatch.setattr(mdhelpers, "_NORMALIZED_MAX", 3)
    urls = ["a b.md", "https://bücher.example/x", "100%", "page.md#x", "c%20d.md"]
    for url in urls + urls:
        assert normalize_link(url) == normalizeLink(url)
        assert len(mdhelpers._NORMALIZED) <= 3
    known = next(iter(mdhelpers._NORMALIZED))

    def no_more(url: str) -> str:
        raise AssertionError(f"worked out again: {url}")

    monkeypatch.setattr(mdhelpers, "_normalized", no_more)
    assert normalize_link(known) == normalizeLink(known)
    with pytest.raises(AssertionError, match="worked out again"):
        normalize_link("new.md")


def test_normalize_link_does_not_keep_long_urls(monkeypatch) -> None:
    monkeypatch.setattr(mdhelpers, "_NORMALIZED", {})
    image = "data:image/png;base64," + "iVBORw0KGgo" * 100
    assert len(image) > mdhelpers._NORMALIZED_LONGEST
    assert normalize_link(image) == normalizeLink(image)
    assert normalize_link("a b.md") == normalizeLink("a b.md")
    assert list(mdhelpers._NORMALIZED) == ["a b.md"]


def test_the_parser_uses_them_and_builds_the_same_tokens() -> None:
    md = parser()
    assert md.normalizeLink is normalize_link
    assert md.helpers.parseLinkDestination is parse_link_destination
    assert isinstance(md.options, PlainOptions) and md.options.get("html") is True and md.options.get("none", 3) == 3
    plain = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    assert dict(md.options) == dict(plain.options)
    text = (
        "[a](page.md) [b](<x y.md> \"t\") ![c](img(1).png)\n"
        "[d][ref] <https://example.com/ü> [e](javascript:alert(1))\n\n"
        "[ref]: ../a%20b.md 'title'\n"
    )
    ours = [(t.type, t.attrs, t.content) for t in md.parse(text)[1].children or []]
    theirs = [(t.type, t.attrs, t.content) for t in plain.parse(text)[1].children or []]
    assert ours == theirs
    links = extract(text).links
    # `javascript:` fails markdown-it's check of the normalised URL: no link.
    assert [(link.kind.name, link.destination, link.span.start) for link in links] == [
        ("INLINE", "page.md", 0),
        ("INLINE", "x y.md", 13),
        ("INLINE", "img(1).png", 31),
        ("REFERENCE", "../a%20b.md", 48),
        ("AUTOLINK", "https://example.com/ü", 57),
    ]


# Every kind of block markdown-it-py's CommonMark parser with tables makes.
EVERY_BLOCK = (
    "# Title\n\n> quoted\n> [a](a.md)\n\n- one\n- two\n\n  1. nested\n\n"
    "```\ncode\n```\n\n    indented\n\n---\n\n<div>\nhtml\n</div>\n\n"
    "Setext\n======\n\n[ref]: b.md\n\n| a | b |\n|---|---|\n| [c](c.md) | d |\n\nlast *line*\n"
)


def test_the_parsers_block_rules_log_nothing_and_parse_the_same(caplog) -> None:
    import logging

    from markdown_it.rules_block import list as list_rule

    text = EVERY_BLOCK
    plain = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        theirs = plain.parse(text)
        assert any(record.name.startswith("markdown_it.rules_block") for record in caplog.records)
        caplog.clear()
        ours = parser().parse(text)
        assert caplog.records == []
    assert [(t.type, t.tag, t.map, t.content, t.markup) for t in ours] == [(t.type, t.tag, t.map, t.content, t.markup) for t in theirs]
    # The same rules in the same order, with the same alternatives; markdown-it-py's own
    # functions keep their logger.
    assert [(r.name, r.alt, r.enabled) for r in parser().block.ruler.__rules__] == [
        (r.name, r.alt, r.enabled) for r in plain.block.ruler.__rules__
    ]
    assert isinstance(list_rule.LOGGER, logging.Logger)
    assert plain.block.ruler.__rules__[[r.name for r in plain.block.ruler.__rules__].index("list")].fn is list_rule.list_block


def test_the_parser_makes_tokens_field_by_field_and_they_equal_the_constructors(monkeypatch) -> None:
    import dataclasses

    from markdown_it.token import Token

    from linklint import markdown

    text = EVERY_BLOCK + "\n- item [a](a.md \"t\")\n  - nested *em* and `code` ![img](i.png)\n\n2. two <b>html</b> &amp; \\* ~~d~~\n"
    ours = parser().parse(text)
    monkeypatch.setattr(markdown, "_cheaper_tokens", lambda md: None)
    constructed = markdown._make_parser()
    # Token equality compares every field, children included.
    assert ours == constructed.parse(text) and sum(len(t.children or ()) for t in ours) > 20
    # Made by _new_token, in states of this parser only.
    assert parser().block.parse.__func__.__globals__["StateBlock"].push.__globals__["Token"] is markdown._new_token
    assert parser().inline.parse.__func__.__globals__["StateInline"].pushPending.__globals__["Token"] is markdown._new_token
    assert constructed.block.parse.__func__ is type(constructed.block).parse
    made = markdown._new_token("inline", "", 0)
    assert made == Token("inline", "", 0) and made.attrs == {} and made.meta == {} and made.attrs is not made.meta
    made.meta["ranges"] = []  # an inline token's own dictionaries
    assert markdown._new_token("inline", "", 0).meta == {}
    # Tokens of the kinds nothing fills share one empty mapping, which refuses a write.
    shared = [t for t in ours + [c for t in ours for c in t.children or ()] if t.type in markdown._NOTHING_FILLED]
    assert {t.type for t in shared} >= {"paragraph_open", "list_item_open", "text", "softbreak", "s_open", "link_close", "tr_open"}
    assert all(t.attrs is markdown._NOTHING and t.meta is markdown._NOTHING for t in shared)
    # It equals the empty dictionaries a constructed token has.
    assert all(t == dataclasses.replace(t, attrs={}, meta={}) for t in shared)
    with pytest.raises(TypeError):
        shared[0].meta["x"] = 1
    with pytest.raises(TypeError):
        shared[0].attrSet("class", "x")
    # linklint's own marks are on tokens with their own dictionaries.
    links = [c for t in ours for c in t.children or () if c.type in markdown._POSITIONED]
    assert links and all("range" in c.meta and c.meta is not markdown._NOTHING for c in links)
    # A copy is made only of a plain function that uses every name replaced.
    assert markdown._with_globals(Token.__init__, {"Token": None}) is None
    assert markdown._with_globals(markdown._with_globals, {"NotUsed": None}) is None


def test_the_parser_normalizes_only_text_that_needs_it(monkeypatch) -> None:
    import importlib

    normalize_rule = importlib.import_module("markdown_it.rules_core.normalize")

    plain = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    texts = ["# T\r\n\r\npara [a](a.md)\rnext\n", "nul \0 here\n\n- [b](b.md)\n", "clean\n\n> [c](c.md)\n"]
    for text in texts:
        ours = [(t.type, t.map, t.content) for t in parser().parse(text)]
        assert ours == [(t.type, t.map, t.content) for t in plain.parse(text)], text

    class Refused:
        def sub(self, *args):
            raise AssertionError("normalised")

    # Text without "\r" or NUL (all that ``extract`` hands the parser) is not
    # rewritten; other text still is.
    monkeypatch.setattr(normalize_rule, "NEWLINES_RE", Refused())
    assert [t.type for t in parser().parse(texts[2])][:3] == ["paragraph_open", "inline", "paragraph_close"]
    with pytest.raises(AssertionError, match="normalised"):
        parser().parse(texts[0])


# Lines that start (or nearly start) every kind of block, and lines that look
# like one but are not: each rule's first character, indented, in a list, a
# quote, a table's delimiter row, and at the very end of the text.
_BLOCK_LINES = [
    "text", "# h", "#no", "####### seven", "- item", "-no", "* star", "+ plus", "1. one", "2) two",
    "1.no", "10. ten", "> quote", ">", "```", "```py", "~~~", "``", "---", "***", "___", "- - -",
    "* * *", "===", "<div>", "<!-- c -->", "<x", "[ref]: a.md", "[ref]:", "[not a ref]", "| a | b |",
    "|---|---|", ":-:|", "-|-", "a | b", "    code", "\tcode", "  - two", "   > three", "", " ", "\t",
    "  ", "\\# escaped", "&amp;", "![i](i.png)", "[a](a.md)",
]


def _plain_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")


def _block_view(tokens) -> list:
    return [(t.type, t.tag, t.nesting, t.map, t.level, t.content, t.markup, t.info, t.block, t.hidden) for t in tokens]


def _undispatched() -> MarkdownIt:
    """This module's parser trying every block rule on every line, as
    markdown-it-py does: the chains are the ruler's own again."""
    from linklint import markdown

    md = markdown._make_parser()
    del md.block.ruler.getRules
    return md


_UNDISPATCHED = _undispatched()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_BLOCK_LINES), max_size=14), st.booleans())
def test_block_rules_tried_by_first_character_parse_as_markdown_it_py(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    # Every token (children, positions recorded in meta) as the same parser
    # trying every rule makes; the blocks as markdown-it-py's own parser makes.
    ours = parser().parse(text)
    assert _block_view(ours) == _block_view(_plain_parser().parse(text)), text
    assert ours == _UNDISPATCHED.parse(text), text


def test_block_rules_tried_by_first_character_on_every_kind_of_block() -> None:
    undispatched = _UNDISPATCHED
    assert len(undispatched.block.ruler.getRules("paragraph")) > 1
    nested = "- a\n  - b\n    1. c\n\n       ```\n       x\n       ```\n  > q\n  > - r\n\n---\n- s\n***\npara\n- t\n2. u\n1. v\n"
    for text in (EVERY_BLOCK, nested, "para\n| a |\n|---|\n", "para\n~~~\nx\n~~~\n", "[r]: a.md\n# h\n[r]\n"):
        assert parser().parse(text) == undispatched.parse(text), text
        assert _block_view(parser().parse(text)) == _block_view(_plain_parser().parse(text)), text
    # Each chain that rules can end is one function; markdown-it-py's rules,
    # their order and alternatives are as they were.
    ruler = parser().block.ruler
    assert [len(ruler.getRules(chain)) for chain in ("", "paragraph", "reference", "blockquote", "list")] == [1] * 5
    assert ruler.getRules("none") == []
    assert [r.name for r in ruler.__rules__] == [r.name for r in _plain_parser().block.ruler.__rules__]


def test_a_rule_is_tried_only_on_lines_starting_with_a_character_it_allows() -> None:
    from types import SimpleNamespace

    from linklint.markdown import _block_rule_starts, _first_matching

    tried: list[str] = []

    def rule(name: str, matches: bool):
        def fn(state, line, end_line, silent):
            tried.append(name)
            return matches

        return fn

    first = _first_matching([rule("gated", False), rule("any", False), rule("hash", True)], [">", None, "#"])
    state = SimpleNamespace(src="x\n> q\n# h\n  #", bMarks=[0, 2, 6, 10, 13], tShift=[0, 0, 0, 2, 0])
    assert [first(state, line, 4, False) for line in range(5)] == [False, False, True, True, False]
    # Line 0 "x": only the rule for any line; line 1 "> q": the gated one too, in
    # order; line 2 "# h" and line 3 (indented "#"): up to the one that
    # matches; line 4, past the end of the text: the rule for any line.
    assert tried == ["any", "gated", "any", "any", "hash", "any", "hash", "any"]
    # markdown-it-py 4 keeps a fence rule's markers in its closure.
    from markdown_it.rules_block import fence

    assert sorted(_block_rule_starts("fence", fence) or "") == ["`", "~"]
    assert _block_rule_starts("hr", fence) == "*-_" and _block_rule_starts("paragraph", fence) is None


def test_content_without_markup_gets_the_inline_parsers_tokens() -> None:
    """Inline content in which no rule but text and line breaks can start
    gets its tokens without the inline parser: the same tokens, field by
    field, on every kind of line break, indent and trailing space."""
    from itertools import product

    from linklint import markdown

    plain = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    pieces = ["a", "b c", "", " ", "  ", "   ", "\t", " \t", "x!y", "1 + 2 = 3", "ü é", "#tag", "a]b", "c {d}", ":e:"]
    contents = set()
    for first, second, third in product(pieces, repeat=3):
        contents.add(f"{first}\n{second}")
        contents.add(f"{first}\n{second}\n{third}")
    contents.update(pieces)
    checked = 0
    for content in sorted(contents):
        assert markdown._INLINE_MARKUP.search(content) is None
        theirs: list = []
        plain.inline.parse(content, plain, {}, theirs)
        assert markdown._plain_inline(content) == theirs, repr(content)
        checked += 1
    assert checked > 3000
    # Every other inline rule is wrapped: it can start only where the test finds markup.
    for mdx in (False, True):
        enabled = {rule.name for rule in parser(mdx).inline.ruler.__rules__ if rule.enabled}
        assert enabled == {"text", "newline", *markdown._WRAPPED}
    # Markup of every wrapped rule goes through the inline parser.
    for marked in ["[a](b)", "![i](p)", "<b>", "`c`", "*e*", "_e_", "~~s~~", "\\*", "&amp;"]:
        assert markdown._INLINE_MARKUP.search(marked) is not None
    # A paragraph of plain lines and headings parse as before.
    text = "# Plain heading  \n\nline one  \n   line two \nthree\t\n\n| a | b |\n|---|---|\n| c  | d |\n"
    assert [(t.type, t.children) for t in parser().parse(text)] == [(t.type, t.children) for t in plain.parse(text)]


# Paragraphs that end every way one can: a blank line, the end of the text or
# of their block, each kind of block that can interrupt one, a setext
# underline after one line or several, lazy lines in a list and a quote, and
# lines indented as code.
PARAGRAPH_ENDS = (
    "one\ntwo\n\nthree\nfour",
    "one\ntwo\n===\n\none\ntwo\n---\n\none\n - - -\n",
    "- a\n- b\n- c\n\n1. a\n2. b\n\n* a\n  two\n* b\n---\n",
    "- item\nlazy line\n  ---\n\n- item\n  ===\n- x\n",
    "> quoted\nlazy\n> ===\n\n> one\n> two\n\nnext\n> quote\n",
    "para\n```\ncode\n```\npara\n~~~\nx\n~~~\n",
    "para\n# heading\npara\n<div>\nhtml\n</div>\npara\n    not code\n---\n",
    "para\n| a | b |\n|---|---|\n| c | d |\n\ntext\n***\nmore\n___\n",
    "- a\n  - b\n    text\n    ===\n  - c\n    1. d\n       e\n\n       f\n",
    "para\n  \t\n\tx\n    y\nz\n-\n=\n",
)


def _without(names: list[str], monkeypatch) -> MarkdownIt:
    """This module's parser without the named steps of ``_make_parser``."""
    from linklint import markdown

    with monkeypatch.context() as patched:
        for name in names:
            patched.setattr(markdown, name, lambda md: None)
        return markdown._make_parser()


def test_one_scan_per_paragraph_parses_as_markdown_it_py(monkeypatch) -> None:
    from linklint import markdown

    before = _without(["_one_scan_per_paragraph", "_hr_only_where_one_can_be"], monkeypatch)
    for text in (*PARAGRAPH_ENDS, EVERY_BLOCK, "\n".join(PARAGRAPH_ENDS)):
        ours = parser().parse(text)
        assert ours == before.parse(text), text
        assert _block_view(ours) == _block_view(_plain_parser().parse(text)), text
    # MDX: `import` after a paragraph's first line is still JavaScript at the
    # top level, and a paragraph still ends before a line of one.
    mdx = markdown._make_parser(True)
    with monkeypatch.context() as patched:
        patched.setattr(markdown, "_one_scan_per_paragraph", lambda md: None)
        mdx_before = markdown._make_parser(True)
    for text in ("text\nimport X from 'x'\n\nimport Y from 'y'\nmore\n", "- a\n  import b\n\nend\n===\n"):
        assert mdx.parse(text) == mdx_before.parse(text), text
    assert [t.type for t in mdx.parse("import Y from 'y'\nmore\n")] == ["mdx_esm"]


def test_each_line_of_a_paragraph_is_asked_once_whether_a_block_starts_there(monkeypatch) -> None:
    from linklint import markdown

    def asked_about(text: str, steps_left_out: list[str]) -> list[int]:
        asked: list[int] = []
        real = markdown._first_matching

        def counted(rules, starts):
            first = real(rules, starts)

            def first_matching(state, line, end_line, silent):
                if silent:
                    asked.append(line)
                return first(state, line, end_line, silent)

            return first_matching

        with monkeypatch.context() as patched:
            patched.setattr(markdown, "_first_matching", counted)
            for name in steps_left_out:
                patched.setattr(markdown, name, lambda md: None)
            md = markdown._make_parser()
        md.parse(text)
        return asked

    # Each item's paragraph ends at the next item: lheading's walk and the
    # paragraph rule's each asked about that line, then the list rule (is
    # the list going on?). A one-line item's paragraph is told by the next
    # item's marker (``mdlists``), the list rule still asks.
    assert asked_about("- a\n- b\n- c\n", []) == [1, 2]
    assert asked_about("- a\n- b\n- c\n", ["_one_line_list_items"]) == [1, 1, 2, 2]
    assert asked_about("- a\n- b\n- c\n", ["_one_line_list_items", "_one_scan_per_paragraph"]) == [1, 1, 1, 2, 2, 2]
    # Lines of a paragraph: asked once, the paragraph rule answered from the walk.
    assert asked_about("a\nb\nc\n\nd\n", []) == [1, 2]
    assert asked_about("a\nb\nc\n\nd\n", ["_one_scan_per_paragraph"]) == [1, 2, 1, 2]
    # A setext heading: lheading itself runs once its underline is seen.
    assert asked_about("a\nb\n===\n", []) == [1, 1]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="-*_= \tx", max_size=12))
@example("- ___")
@example("* - - -")
@example("  ---")
def test_a_line_is_a_thematic_break_only_where_the_pattern_says(line: str) -> None:
    from linklint.markdown import _THEMATIC_BREAKS

    text = line.lstrip(" ")
    plain = [t.type for t in _plain_parser().parse(text + "\n")]
    pattern = _THEMATIC_BREAKS.get(text[:1])
    # The line is no break where the pattern does not match it (a break may
    # still follow a list marker: "- ___"); where it does, markdown-it-py's
    # rule decides (indentation, a setext underline).
    if pattern is None or pattern.fullmatch(text) is None:
        assert plain[:1] != ["hr"], repr(line)
    assert [t.type for t in parser().parse(text + "\n")] == plain, repr(line)


def test_a_link_label_ends_where_markdown_it_pys_walk_ends_it() -> None:
    """The label's end at every `[` of generated inline content, nested or
    not, with and without the nesting limit reached: markdown-it-py's own
    ``parseLinkLabel`` and the stand-in agree, and leave the state as found."""
    from markdown_it.helpers import parseLinkLabel
    from markdown_it.rules_inline import StateInline

    from linklint import markdown

    md = parser()
    chosen = random.Random(3)
    alphabet = list("ab c") + list("[]]`<>*_~\\&!\n(") + ["](x)", "&amp;", "`]`", "<a]>", "\\]"]
    contents = {"[a]", "[]", "[a[b]c]", "[a`]`b]", "[a<b]>c]", "[a\\]b]", "[x]y]", "[![i](p)]", "[a&b]", "[a!]"}
    contents |= {"".join(chosen.choice(alphabet) for _ in range(chosen.randint(1, 14))) for _ in range(6000)}
    fast = 0
    for content in sorted(contents):
        for level in (0, md.options["maxNesting"]):
            state = StateInline(content, md, {}, [])
            state.level = level
            for start in (i for i, ch in enumerate(content) if ch == "["):
                for nested in (False, True):
                    state.pos = 7
                    state.cache = {}
                    ours = markdown._PARSE_LINK_LABEL(state, start, nested)
                    assert state.pos == 7
                    state.cache = {}
                    assert ours == parseLinkLabel(state, start, nested), (content, start, nested, level)
                    end = content.find("]", start + 1)
                    fast += end > 0 and not any(ch in content[start + 1 : end] for ch in "[`<*_~\\&")
    assert fast > 1000  # the stand-in's own answer, not only markdown-it-py's
    assert md.helpers.parseLinkLabel is markdown._PARSE_LINK_LABEL


def test_simple_urls_come_back_from_mdurl_as_written() -> None:
    """URLs the shortcut takes (``_SIMPLE_URL``) are what mdurl's parse and
    format give back, and every generated URL normalises as markdown-it-py
    normalises it: hosts of every shape and length, ports, user info, paths,
    queries and fragments of every URL character and some others."""
    import mdurl

    rng = random.Random(13)
    labels = ["a", "ex-ample", "X1", "b" * 63, "c" * 64, "", "ü", "a_b", "a+b", "9"]
    tails = ["", "/", "/p/a.md", "?q=1&r=2", "#frag", "/a#b?c", "/%20x", "/%zz", "/a b", "/é", "/'x'", "/a@b", "/~u/(x)", "/x;y", "/{x}"]
    urls = set()
    for _ in range(3000):  # of the shape the shortcut takes
        host = ".".join(rng.choice(labels[:5] + ["9", "k8s"]) for _ in range(rng.randint(1, 4)))
        path = "".join(rng.choice(tails[:8] + ["/~u/(x)", "/x;y", "/a@b"]) for _ in range(rng.randint(0, 3)))
        urls.add(rng.choice(["http://", "https://"]) + host + rng.choice(["", ":8080"]) + path)
    for _ in range(6000):
        host = ".".join(rng.choice(labels) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.02:
            host = ".".join(["d" * 60] * 5)  # longer than mdurl keeps
        port = rng.choice(["", "", ":80", ":", ":x"])
        auth = rng.choice(["", "", "", "u@", "u:p@"])
        scheme = rng.choice(["http://", "https://", "HTTP://", "ftp://", "//", "https:/"])
        urls.add(scheme + auth + host + port + "".join(rng.choice(tails) for _ in range(rng.randint(0, 3))))
    simple = 0
    for url in sorted(urls):
        if mdhelpers._SIMPLE_URL.fullmatch(url) and len(mdhelpers._SIMPLE_URL.fullmatch(url).group(1)) <= 255:
            simple += 1
            assert mdurl.format(mdurl.parse(url, slashes_denote_host=True)) == url, url
        assert mdhelpers._normalized(url) == normalizeLink(url), url
    assert simple > 1000


# Inline content with every character that ends a run of text, each rule's
# markup whole and cut short, nested brackets, entities, escapes and breaks.
_INLINE_PIECES = [
    "word", "two words", " ", "  \n", "\n", "\\\n", "-", ":", "=", "#", "%", "@", "+", "$", "^", "{", "}",
    "]", "[", "!", "<", ">", "`", "*", "_", "~", "&", "\\", "[a](b.md)", "![i](i.png \"t\")", "[r]", "[r][]",
    "[x][r]", "[a [b] c](d)", "[a](<b c>)", "<https://e.x/a>", "<a@b.c>", "<span id=\"s\">", "</span>",
    "<!-- c -->", "`code`", "``a ` b``", "*em*", "**strong**", "_u_", "__uu__", "~~del~~", "~one~", "\\*",
    "\\[", "&amp;", "&#35;", "&#x23;", "&nope", "a*b*c", "snake_case_name", "5 * 3", "[", "](", "![",
]


def _inline_contents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_INLINE_PIECES) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def test_inline_rules_tried_by_character_parse_as_every_rule_tried(monkeypatch) -> None:
    """The inline parser tries only the rules a character allows
    (``_dispatch_inline_rules``): every token, children and recorded ranges
    included, is the one the same parser trying every rule makes, in
    paragraphs, headings, table cells and link labels, Markdown and MDX."""
    from linklint import markdown

    every_rule = {mdx: _without(["_dispatch_inline_rules"], monkeypatch) for mdx in (False,)}
    with monkeypatch.context() as patched:
        patched.setattr(markdown, "_dispatch_inline_rules", lambda md: None)
        every_rule[True] = markdown._make_parser(True)
    checked = 0
    for number, content in enumerate(_inline_contents(3000, 7)):
        text = (content, f"# {content}\n", f"| {content} |\n|---|\n", f"[r]: /r\n\n- {content}\n")[number % 4]
        for mdx in (False, True):
            ours = parser(mdx).parse(text)
            assert ours == every_rule[mdx].parse(text), (mdx, text)
            checked += sum(len(token.children or ()) for token in ours)
    assert checked > 20000
    # markdown-it-py's own parser makes the same inline tokens (the recorded
    # ranges aside, which only this module's wrappers keep).
    plain = _plain_parser()
    for content in _inline_contents(300, 8):
        ours = [(t.type, t.content, t.markup) for token in parser().parse(content) for t in token.children or ()]
        theirs = [(t.type, t.content, t.markup) for token in plain.parse(content) for t in token.children or ()]
        assert ours == theirs, content


# Links of every kind of text, destination and title, and what may follow them.
_LINK_TEXTS = ["a", "two words", "a: b - c", "é ü", "a!", "*a*", "a_b", "`c`", "a\\]", "a [b]", "<b>", "&amp;", "a\nb", ""]
_LINK_DESTINATIONS = [
    "b.md", "../d/e.md#f", "https://example.com/a?b=1&c=2", "a&amp;b", "%20x", "ü.md", "javascript:alert(1)",
    "data:text/html,x", "a(b)c", "<b c>", "b \"t\"", "b 't'", "b (t)", " b ", "", "b\\)", "b\n",
]


def test_plain_inline_links_get_the_link_rules_tokens(monkeypatch) -> None:
    """A link of plain words and a plain destination gets its tokens without
    the link rule's steps (``_plain_inline_links``): every token and
    recorded range is the one the rule makes, for texts and destinations
    of every kind, with text, another link or a reference after them."""
    rule = _without(["_plain_inline_links"], monkeypatch)
    rng = random.Random(3)
    after = ["", " x", ")", "](y)", " [r]", "*", "\n(z)"]
    texts = [
        f"{rng.choice(['', 'a ', '*', '[', '!'])}[{label}]({destination}){rng.choice(after)}\n\n[r]: /r\n"
        for label in _LINK_TEXTS
        for destination in _LINK_DESTINATIONS
        for _ in range(3)
    ]
    plain = _plain_parser()
    for text in texts:
        ours = parser().parse(text)
        assert ours == rule.parse(text), text
        assert [(t.type, t.content, t.attrs) for b in ours for t in b.children or ()] == [
            (t.type, t.content, t.attrs) for b in plain.parse(text) for t in b.children or ()
        ], text


def test_text_is_joined_only_where_an_escape_or_an_entity_can_be(monkeypatch) -> None:
    """``text_join`` walks only the inline tokens whose content has a
    backslash or an ampersand (``_join_text_only_where_escaped``), and the
    tokens are the ones it makes walking them all."""
    from linklint import markdown

    walked: list[list[str]] = []
    real = markdown._rule_function

    def spying(ruler, name):
        rule = real(ruler, name)
        if name != "text_join":
            return rule

        def text_join(state) -> None:
            walked.append([t.content for t in state.tokens if t.type == "inline"])
            rule(state)

        return text_join

    with monkeypatch.context() as patched:
        patched.setattr(markdown, "_rule_function", spying)
        md = markdown._make_parser()
    tokens = md.parse("plain\n\na &amp; b\n\n*em* [x](y)\n\nc \\* d\n")
    assert walked == [["a &amp; b", "c \\* d"]]
    assert [t.children[0].content for t in tokens if t.type == "inline"][1::2] == ["a & b", "c * d"]
    every = _without(["_join_text_only_where_escaped"], monkeypatch)
    contents = [*_inline_contents(2000, 11), "![a \\* &amp;](i.png) x", "| a\\|b | &lt; |\n|---|---|\n", "a&b\\"]
    for content in contents:
        assert parser().parse(content) == every.parse(content), content


def test_delimiters_are_post_processed_only_in_content_that_can_have_them(monkeypatch) -> None:
    """The inline parser's second chain (pairing emphasis and strikethrough
    delimiters, joining text) runs only on content with `*`, `_` or `~`
    (``_post_process_only_with_delimiters``): the same tokens as running it
    on all content, in every kind of block, Markdown and MDX."""
    from linklint import markdown

    every = _without(["_post_process_only_with_delimiters"], monkeypatch)
    with monkeypatch.context() as patched:
        patched.setattr(markdown, "_post_process_only_with_delimiters", lambda md: None)
        every_mdx = markdown._make_parser(True)
    for number, content in enumerate(_inline_contents(3000, 13)):
        text = (content, f"# {content}\n", f"| {content} |\n|---|\n", f"[r]: /r\n\n- {content}\n")[number % 4]
        assert parser().parse(text) == every.parse(text), text
        assert parser(True).parse(text) == every_mdx.parse(text), text
    ran: list[str] = []
    md = markdown._make_parser()
    rules = md.inline.ruler2.__rules__
    for rule in rules:
        rule.fn = (lambda fn, name: lambda state: ran.append(name) or fn(state))(rule.fn, rule.name)
    del md.inline.ruler2.getRules  # the ruler's own chain again, of the counted rules
    md.inline.ruler2.__compile__()
    markdown._post_process_only_with_delimiters(md)
    md.parse("[a](b) `c` <d> &amp;\n\n*e* f\n")
    assert ran == [rule.name for rule in rules]  # once: for the block with `*`


def test_an_inline_rule_is_tried_only_at_a_character_it_can_start_at(monkeypatch) -> None:
    from linklint import markdown

    tried: list[str] = []

    import markdown_it.rules_inline as inline_rules

    def counting(md) -> None:
        # Each rule counted under its own name (the text rule as markdown-it-py's
        # own, which the dispatch knows), then the chains built from them.
        for rule in md.inline.ruler.__rules__:
            rule.fn = _counted(rule.name, rule.fn, tried)
            if rule.name == "text":
                patched.setattr(inline_rules, "text", rule.fn)
        md.inline.ruler.__compile__()
        real_dispatch(md)

    real_dispatch = markdown._dispatch_inline_rules
    with monkeypatch.context() as patched:
        patched.setattr(markdown, "_dispatch_inline_rules", counting)
        md = markdown._make_parser()
    assert len(md.inline.ruler.getRules("")) == 1
    md.parse("a - b: c = d `e`")
    # Text moves on at each letter; at "-", ":" and "=" (terminators no rule
    # starts at) nothing is tried and the parser takes the character as text.
    assert tried == ["text"] * 4 + ["backticks"]
    tried.clear()
    md.parse("x [a](b) *e*\ny")
    # A link of plain words gets its text token directly (``_plain_inline_links``).
    assert tried == ["text", "link", "text", "emphasis", "text", "emphasis", "newline", "text"]
    tried.clear()
    md.parse("x [*a*](b) [c](<d>)")
    # Others go to markdown-it-py's link rule: text with markup is scanned
    # for its end and tokenised inside the rule, as is text whose
    # destination is in angle brackets.
    assert tried == ["text", "link", "emphasis", "text", "emphasis", "emphasis", "text", "emphasis", "text", "link", "text"]
    tried.clear()
    md.parse("<b> &amp; `c`")
    assert tried == ["autolink", "html_inline", "text", "entity", "text", "backticks"]


def _counted(name: str, fn, tried: list[str]):
    def rule(state, silent):
        tried.append(name)
        return fn(state, silent)

    return rule


def test_block_states_mark_lines_as_markdown_it_py_does() -> None:
    """The parser's block state marks each line's start, end and indentation
    with string methods (``_line_marks``): every attribute of the state is
    the one markdown-it-py's ``StateBlock`` makes, on texts of every kind of
    indentation, blank line and last line, and on the parser's own samples."""
    from markdown_it.rules_block.state_block import StateBlock

    from linklint import markdown

    md = parser()
    ours = md.block.parse.__func__.__globals__["StateBlock"]
    assert ours is not StateBlock and ours.__init__ is not StateBlock.__init__
    rng = random.Random(5)
    pieces = ["", " ", "  ", "\t", " \t", "\t ", "a", "b c", "- x", "\n", "\n", " \n", "\t\n", "\u00a0", "\u3000y"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(4000)]
    for text in [*texts, *markdown._MARKED_SAMPLES, EVERY_BLOCK, "\n".join(PARAGRAPH_ENDS)]:
        assert vars(ours(text, md, {}, [])) == vars(StateBlock(text, md, {}, [])), repr(text)
    # Only spaces and tabs are indentation: a no-break space starts the text.
    assert markdown._line_marks(" \u00a0a\n\t b\n  ") == ([0, 4], [3, 7], [1, 2], [1, 5])


def test_block_states_cut_lines_as_markdown_it_py_does() -> None:
    """``getLines`` (a block's lines without their first columns) finds
    where each line's text starts with string methods: the same text as
    markdown-it-py's method for every range, indent and last line break on
    texts of spaces, tabs, list markers and quotes, and on every call the
    parser makes while parsing them."""
    from markdown_it.rules_block.state_block import StateBlock

    md = parser()
    ours = md.block.parse.__func__.__globals__["StateBlock"]
    assert ours.getLines is not StateBlock.getLines
    rng = random.Random(11)
    pieces = ["", " ", "  ", "   ", "\t", " \t", "- ", "1. ", "> ", ">", "a", "b c", "\n", "\n", "\n\n", "  - x", "\t\ty"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(1500)]
    calls = 0
    for text in texts:
        state = ours(text, md, {}, [])
        for _ in range(6):
            begin = rng.randint(0, state.lineMax)
            end = rng.randint(begin, state.lineMax)
            indent = rng.choice((0, 1, 2, 3, 4, 6, 9))
            keep = rng.random() < 0.5
            # The list rule shifts a line's start past its marker: so may this.
            if begin < state.lineMax and rng.random() < 0.3:
                state.tShift[begin] = min(state.tShift[begin] + 2, state.eMarks[begin] - state.bMarks[begin])
            if keep and end > begin and state.eMarks[end - 1] >= len(text):
                keep = False  # no line break to keep (markdown-it-py's own method reads past the text)
            assert ours.getLines(state, begin, end, indent, keep) == StateBlock.getLines(state, begin, end, indent, keep), (text, begin, end, indent, keep)
            calls += 1
    assert calls == 9000

    # Every call while parsing: the answers of both methods compared.
    compared = []

    def both(self, begin, end, indent, keep):
        theirs = StateBlock.getLines(self, begin, end, indent, keep)
        assert fast(self, begin, end, indent, keep) == theirs
        compared.append(indent)
        return theirs

    fast = ours.getLines
    ours.getLines = both
    try:
        for text in texts + [EVERY_BLOCK, "\n".join(PARAGRAPH_ENDS), "- a\n\t- b\n\n  \t  c\n> - d\n>   e\n"]:
            md.parse(text)
    finally:
        ours.getLines = fast
    assert len(compared) > 1000 and any(compared)
