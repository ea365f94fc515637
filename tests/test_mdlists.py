"""The list rule that parses one-line items without the block tokenizer
makes markdown-it-py's tokens (linklint.mdlists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from linklint import markdown
from linklint.markdown import parser
from linklint.mdlists import SAMPLES

REPO = Path(__file__).resolve().parent.parent


def _with_markdown_it_pys_list_rule(mdx: bool = False) -> MarkdownIt:
    """This module's parser, but for its list rule: markdown-it-py's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown, "_one_line_list_items", lambda md: None)
        return markdown._make_parser(mdx)


_REFERENCE = {mdx: _with_markdown_it_pys_list_rule(mdx) for mdx in (False, True)}
_PLAIN = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")


def _view(tokens) -> list:
    """Every field of every token, children too."""
    return [
        (t.type, t.tag, t.nesting, t.map, t.level, t.content, t.markup, t.info, t.block, t.hidden, t.attrs, t.meta,
         _view(t.children) if t.children else t.children)
        for t in tokens
    ]


def _block_view(tokens) -> list:
    return [(t.type, t.tag, t.nesting, t.map, t.level, t.content, t.markup, t.info, t.block, t.hidden) for t in tokens]


def _same_as_markdown_it_py(text: str) -> None:
    for mdx in (False, True):
        assert _view(parser(mdx).parse(text)) == _view(_REFERENCE[mdx].parse(text)), (mdx, text)
    assert _block_view(parser().parse(text)) == _block_view(_PLAIN.parse(text)), text


def test_the_parser_uses_this_list_rule() -> None:
    from linklint.mdlists import __name__ as module

    for mdx in (False, True):
        ruler = parser(mdx).block.ruler
        assert ruler.__rules__[ruler.__find__("list")].fn.__module__ == module
        reference = _REFERENCE[mdx].block.ruler
        assert reference.__rules__[reference.__find__("list")].fn.__module__ != module


@pytest.mark.parametrize("text", SAMPLES)
def test_samples_of_every_kind_of_item(text: str) -> None:
    _same_as_markdown_it_py(text)
    _same_as_markdown_it_py(text.rstrip("\n"))  # the last line without its line break
    _same_as_markdown_it_py("> " + text.replace("\n", "\n> "))  # in a quote, lazy lines and all
    _same_as_markdown_it_py("Para\n" + text)  # a list ending a paragraph, or not


def test_the_repositorys_own_markdown() -> None:
    pages = [p for folder in ("examples", "rules", "docs", "tests/fixtures") for p in (REPO / folder).rglob("*.md*")]
    assert len(pages) > 30
    for page in pages:
        _same_as_markdown_it_py(page.read_text(encoding="utf-8", errors="replace"))


def test_one_line_items_get_no_turn_of_the_tokenizer(monkeypatch) -> None:
    md = parser()
    calls = []
    tokenize = md.block.tokenize
    monkeypatch.setattr(md.block, "tokenize", lambda state, start, end: calls.append(start) or tokenize(state, start, end))
    tokens = md.parse("- one\n- two [a](a.md)\n  - nested\n  - `code`\n- **three**\n\n1. four\n2. five\n")
    assert calls == [0]  # the page's
    assert [t.content for t in tokens if t.type == "inline"] == ["one", "two [a](a.md)", "nested", "`code`", "**three**", "four", "five"]
    # Items the rule cannot tell about go through it: a lazy line, a table, a
    # quote (whose rule runs it again inside).
    calls.clear()
    md.parse("- one\nlazy\n- | a |\n  |---|\n- > q\n- two\n")
    assert calls == [0, 0, 2, 4, 4]


# The pieces of generated list lines: indentation, a marker (or none), what follows.
_INDENTS = st.sampled_from(["", "", " ", "  ", "   ", "    ", "      ", "\t", "  \t"])
_MARKERS = st.sampled_from(["- ", "- ", "* ", "*   ", "+ ", "1. ", "2) ", "10. ", "-", "1.", "-\t", "-     ", "", "", "", ""])
_CONTENT = st.sampled_from(
    [
        "text", "two words", "[a](a.md)", "[ref]: b.md", "[ref]", "[x\\]: y]", "**bold**", "*", "* x", "- x",
        "`code`", "```", "~~~", "~~x~~", "# h", "#tag", "> q", "| a | b |", "|---|---|", "a | b", "---", "***",
        "- - -", "===", "<div>", "<!-- c -->", "1.5 x", "2. y", "_u_", "___", "+x", "", " ", "import x", "export y",
        "{x}", "<X />", "-", "- ", "+", "+ ", "1.", "2.", "1)",
    ]
)
_LINE = st.builds(lambda indent, marker, content: indent + marker + content, _INDENTS, _MARKERS, _CONTENT)


@settings(max_examples=600, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12), st.booleans())
def test_generated_lists_parse_as_with_markdown_it_pys_rule(lines: list[str], final_newline: bool) -> None:
    _same_as_markdown_it_py("\n".join(lines) + ("\n" if final_newline else ""))
