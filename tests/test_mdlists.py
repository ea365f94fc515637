"""The list rule that parses one-line items without the block tokenizer
makes markdown-it-py's tokens (linklint.mdlists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from linklint import markdown
from linklint.markdown import extract, parser
from linklint.mdlists import LEAN, SAMPLES

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
        full = parser(mdx).parse(text)
        assert _view(full) == _view(_REFERENCE[mdx].parse(text)), (mdx, text)
        _lean_as_full(text, full, parser(mdx).parse(text, {LEAN: True}))
    assert _block_view(parser().parse(text)) == _block_view(_PLAIN.parse(text)), text


_ITEMS = (
    "list_item_open", "list_item_close", "bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close",
)
_PARAGRAPHS = ("paragraph_open", "paragraph_close")


def _lean_view(tokens) -> list:
    """``_view`` of a lean parse's tokens, with what it leaves out of an
    inline token without markup put back: its runs of text, and no ranges."""
    out = []
    for token in tokens:
        view = _view([token])[0]
        if token.type == "inline" and not token.children and markdown._INLINE_MARKUP.search(token.content) is None:
            assert "ranges" not in token.meta
            view = (*view[:-2], {**token.meta, "ranges": []}, _view(markdown._plain_inline(token.content)) or [])
        out.append(view)
    return out


def _lean_as_full(text: str, full: list, lean: list) -> None:
    """``env[LEAN]`` leaves out the lists' and items' tokens, some paragraphs'
    (those of one-line items) and the runs of text of content without markup,
    and nothing else: every other token is as without it, level and children
    included (only whether a paragraph is hidden differs)."""
    assert not any(t.type in _ITEMS for t in lean), text
    rest = [t for t in full if t.type not in _ITEMS + _PARAGRAPHS]
    assert _lean_view([t for t in lean if t.type not in _PARAGRAPHS]) == _view(rest), text
    paragraphs = [(t.type, t.map, t.level) for t in full if t.type in _PARAGRAPHS]
    kept = [(t.type, t.map, t.level) for t in lean if t.type in _PARAGRAPHS]
    assert all(p in paragraphs for p in kept) and len(kept) <= len(paragraphs), text


def _extracted_without_lean_lists(text: str, mdx: bool = False):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown._Walker, "LEAN_PARSE", False)
        return extract(text, mdx=mdx)


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


def test_a_lean_parse_leaves_out_lists_items_and_one_line_items_paragraphs() -> None:
    text = "- one\n- two [a](a.md)\n  - nested\n\n    para\n    lines\n- three\n\n1. four\n"
    full, lean = parser().parse(text), parser().parse(text, {LEAN: True})
    assert len(full) == 34 and [t.type for t in lean] == ["inline", "inline", "inline", "paragraph_open", "inline", "paragraph_close", "inline", "inline"]
    assert [t.level for t in lean] == [3, 3, 5, 4, 5, 4, 3, 3]  # as without it (list, item, paragraph, inline)
    # Content without markup gets no runs of text; a link gets its tokens.
    assert [len(t.children) for t in lean if t.type == "inline"] == [0, 4, 0, 0, 0, 0]
    _lean_as_full(text, full, lean)


def test_the_walk_over_lean_lists_finds_what_it_finds_over_full_ones() -> None:
    pages = [p for folder in ("examples", "rules", "docs", "tests/fixtures") for p in (REPO / folder).rglob("*.md*")]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in pages] + list(SAMPLES)
    assert sum(text.count("\n- ") for text in texts) > 100
    for text in texts:
        for mdx in (False, True):
            assert extract(text, mdx=mdx) == _extracted_without_lean_lists(text, mdx), text


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
    text = "\n".join(lines) + ("\n" if final_newline else "")
    _same_as_markdown_it_py(text)
    assert extract(text) == _extracted_without_lean_lists(text), text
