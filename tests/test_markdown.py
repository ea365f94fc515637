"""Link, heading, anchor, directive and prose extraction, exact to the character."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll

from linklint.document import parse_document
from linklint.markdown import mask_templates
from linklint.model import LinkKind


def parse(text: str | bytes, path: str = "a.md"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document(path, data)


def links(text: str):
    doc = parse(text)
    return [
        (
            link.kind.value,
            link.destination,
            link.text,
            (link.span.line, link.span.column, link.span.end_line, link.span.end_column),
            doc.text[link.span.start : link.span.end],
            doc.text[link.dest_span.start : link.dest_span.end] if link.dest_span else None,
        )
        for link in doc.links
    ]


def test_inline_links_images_and_titles() -> None:
    assert links('See [the *guide*](guide.md#x "Title") and ![a `pic`](img/a.png).\n') == [
        ("inline", "guide.md#x", "the guide", (1, 5, 1, 38), '[the *guide*](guide.md#x "Title")', "guide.md#x"),
        ("inline", "img/a.png", "a pic", (1, 43, 1, 64), "![a `pic`](img/a.png)", "img/a.png"),
    ]


def test_destination_is_as_written_not_normalised() -> None:
    assert links("[a](<my notes.md>) [b](caf%C3%A9.md) [c](café.md) [d](a\\_b.md) [e](x&amp;y.md)\n") == [
        ("inline", "my notes.md", "a", (1, 1, 1, 19), "[a](<my notes.md>)", "my notes.md"),
        ("inline", "caf%C3%A9.md", "b", (1, 20, 1, 37), "[b](caf%C3%A9.md)", "caf%C3%A9.md"),
        ("inline", "café.md", "c", (1, 38, 1, 50), "[c](café.md)", "café.md"),
        ("inline", "a_b.md", "d", (1, 51, 1, 63), "[d](a\\_b.md)", "a\\_b.md"),
        ("inline", "x&y.md", "e", (1, 64, 1, 79), "[e](x&amp;y.md)", "x&amp;y.md"),
    ]


def test_reference_links_point_into_their_definition() -> None:
    text = "Full [text][Lab el], collapsed [lab el][], shortcut [Lab  El].\n\n> [lab el]: <target file.md> 'T'\n"
    doc = parse(text)
    assert [(l.kind, l.label, l.destination, l.span.column, l.dest_span.line, l.dest_span.column) for l in doc.links] == [
        (LinkKind.REFERENCE, "Lab el", "target file.md", 6, 3, 14),
        (LinkKind.COLLAPSED, "lab el", "target file.md", 32, 3, 14),
        (LinkKind.SHORTCUT, "Lab  El", "target file.md", 53, 3, 14),
    ]
    assert doc.text[doc.links[0].dest_span.start : doc.links[0].dest_span.end] == "target file.md"


def test_definitions_far_from_their_references() -> None:
    filler = "".join(f"Paragraph {i} with [an inline](p{i}.md) link.\n\n" for i in range(300))
    text = "Intro [guide][g] and [Notes][].\n\n" + filler + "- list\n\n  [G]: ../guide.md\n\n[notes]: <notes/index.md>\n"
    doc = parse(text)
    first, second = doc.links[:2]
    assert [(l.kind, l.destination, l.span.line) for l in (first, second)] == [
        (LinkKind.REFERENCE, "../guide.md", 1),
        (LinkKind.COLLAPSED, "notes/index.md", 1),
    ]
    assert [(l.dest_span.line, l.dest_span.column) for l in (first, second)] == [(605, 8), (607, 11)]
    assert doc.text[first.dest_span.start : first.dest_span.end] == "../guide.md"
    assert len(doc.links) == 302


def test_first_definition_wins_and_unused_ones_are_links_too() -> None:
    doc = parse("[x]\n\n[X]: first.md\n[x]: second.md\n[spare]: spare.md\n")
    assert [(l.kind.value, l.destination, l.span.line, l.span.column) for l in doc.links] == [
        ("shortcut", "first.md", 1, 1),
        ("definition", "spare.md", 5, 1),
    ]


def test_autolinks_and_raw_html() -> None:
    text = 'Mail <me@example.org>, web <https://example.org/a>.\n\n<p>A <a href="b.md" title="x">B &amp; C</a> <img src="i.png"></p>\n'
    assert links(text) == [
        ("autolink", "mailto:me@example.org", "me@example.org", (1, 6, 1, 22), "<me@example.org>", "me@example.org"),
        ("autolink", "https://example.org/a", "https://example.org/a", (1, 28, 1, 51), "<https://example.org/a>", "https://example.org/a"),
        ("html", "b.md", "B & C", (3, 6, 3, 31), '<a href="b.md" title="x">', "b.md"),
        ("html", "i.png", "", (3, 45, 3, 62), '<img src="i.png">', "i.png"),
    ]


def test_nothing_from_code_or_comments() -> None:
    text = (
        "`[a](a.md)` and ``[b](b.md)``\n\n"
        "    [c](c.md)\n\n"
        "```md\n[d](d.md)\n```\n\n"
        "~~~\n<a href=\"e.md\">e</a>\n~~~\n\n"
        "<!-- [f](f.md) <a href=\"g.md\"> -->\n\n"
        "Text <!-- [h](h.md) --> end.\n"
    )
    assert parse(text).links == ()


def test_links_in_containers_lists_quotes_tables_headings() -> None:
    text = (
        "- one [a](a.md)\n"
        "  more [b](b.md)\n"
        "  1. nested [c](c.md)\n"
        "> > deep [d](d.md)\n"
        "> > next [e](e.md)\n\n"
        "| h | [f](f.md) |\n"
        "|---|---|\n"
        "| x | y [g](g.md) |\n\n"
        "## Title [h](h.md)\n\n"
        "Setext [i](i.md)\n"
        "===\n"
    )
    found = [(d, ln, col, src) for _, d, _, (ln, col, _, _), src, _ in links(text)]
    assert found == [
        ("a.md", 1, 7, "[a](a.md)"),
        ("b.md", 2, 8, "[b](b.md)"),
        ("c.md", 3, 13, "[c](c.md)"),
        ("d.md", 4, 10, "[d](d.md)"),
        ("e.md", 5, 10, "[e](e.md)"),
        ("f.md", 7, 7, "[f](f.md)"),
        ("g.md", 9, 9, "[g](g.md)"),
        ("h.md", 11, 10, "[h](h.md)"),
        ("i.md", 13, 8, "[i](i.md)"),
    ]


def test_crlf_cr_and_bom_keep_exact_offsets() -> None:
    for eol in ("\r\n", "\r"):
        text = f"# T{eol}{eol}Intro{eol}see [b](b.md){eol}"
        doc = parse(b"\xef\xbb\xbf" + text.encode())
        assert doc.bom is True
        assert doc.text == text
        (link,) = doc.links
        assert (link.span.line, link.span.column) == (4, 5)
        assert doc.text[link.span.start : link.span.end] == "[b](b.md)"
        assert doc.text[link.dest_span.start : link.dest_span.end] == "b.md"


def test_columns_count_code_points() -> None:
    (link,) = parse("Ünïcödé 🌱 text [x](x.md)\n").links
    assert (link.span.line, link.span.column, link.span.start) == (1, 16, 15)


def test_template_syntax_in_a_destination_stays_one_link() -> None:
    doc = parse('[t]({{< ref "a b.md" >}}) and [u]({% link _posts/x.md %})\n')
    assert [(l.destination, l.span.column, l.span.end_column) for l in doc.links] == [
        ('{{< ref "a b.md" >}}', 1, 26),
        ("{% link _posts/x.md %}", 31, 58),
    ]


def test_headings_with_text_and_explicit_ids() -> None:
    doc = parse("# Hello *World* & `code`\n\n## Soil {#soil .wide}\n\nSetext\n---\n\n### <span>Tagged</span> text\n")
    assert [(h.level, h.text, h.explicit_id, h.span.line) for h in doc.headings] == [
        (1, "Hello World & code", None, 1),
        (2, "Soil", "soil", 3),
        (2, "Setext", None, 5),
        (3, "Tagged text", None, 8),
    ]
    assert doc.title == "Hello World & code"


def test_html_anchors() -> None:
    doc = parse('<a name="old"></a>\n\nText <span id="here">x</span>.\n\n<!-- <a id="no"></a> -->\n')
    assert [(a.id, a.span.line, a.span.column) for a in doc.html_anchors] == [("old", 1, 10), ("here", 3, 16)]


def test_directives() -> None:
    doc = parse(
        "<!-- linklint-disable LL003 broken-anchor -->\n\n"
        "x <!-- linklint-disable-line --> y\n\n"
        "<!-- linklint-disable-next-line LL006,LL005 -->\n"
        "<!--linklint-enable-->\n\n"
        "```\n<!-- linklint-disable-file -->\n```\n"
    )
    assert [(d.action, d.codes, d.line) for d in doc.directives] == [
        ("disable", ("LL003", "broken-anchor"), 1),
        ("disable-line", (), 3),
        ("disable-next-line", ("LL006", "LL005"), 5),
        ("enable", (), 6),
    ]


def test_directives_in_mdx_comments() -> None:
    # MDX has no HTML comments: `{/* … */}` is how an MDX page comments.
    doc = parse(
        "{/* linklint-disable-next-line LL003 */}\n[x](gone.md)\n\n"
        "- item {/* linklint-disable-line LL003, LL005 */} [y](gone.md)\n\n"
        "`{/* linklint-disable-file */}` text {/*\n  linklint-disable LL004\n*/}\n\n"
        "```\n{/* linklint-disable-file */}\n```\n",
        "a.mdx",
    )
    assert [(d.action, d.codes, d.line) for d in doc.directives] == [
        ("disable-next-line", ("LL003",), 1),
        ("disable-line", ("LL003", "LL005"), 4),
        ("disable", ("LL004",), 6),
    ]
    # The comments are no prose (a link is never suggested inside one).
    assert [p.text for p in doc.prose] == ["item", "text"]


def test_prose_runs_exclude_links_code_and_emphasis() -> None:
    doc = parse("# Compost *heaps*\n\nTurn the [heap](h.md) weekly, `not code`, **bold** end.\nNext line.\n")
    assert [(p.text, p.span.line, p.span.column, p.in_heading) for p in doc.prose] == [
        ("Compost", 1, 3, True),
        ("heaps", 1, 12, True),
        ("Turn the", 3, 1, False),
        ("weekly,", 3, 23, False),
        (",", 3, 41, False),
        ("bold", 3, 45, False),
        ("end.", 3, 52, False),
        ("Next line.", 4, 1, False),
    ]
    for p in doc.prose:
        assert doc.text[p.span.start : p.span.end] == p.text


def prose(text: str):
    doc = parse(text)
    return [(p.text, p.span.line, p.span.column) for p in doc.prose]


def test_an_image_inside_a_link_is_reported_too() -> None:
    assert links("[![Logo](img/logo.png)](index.md)\n") == [
        ("inline", "index.md", "Logo", (1, 1, 1, 34), "[![Logo](img/logo.png)](index.md)", "index.md"),
        ("inline", "img/logo.png", "Logo", (1, 2, 1, 23), "![Logo](img/logo.png)", "img/logo.png"),
    ]
    assert [link.image for link in parse("[![Logo](img/logo.png)](index.md)\n").links] == [False, True]


def test_table_cells_are_placed_exactly_even_when_they_repeat() -> None:
    text = "| a | b |\n|---|---|\n| box | x |\n| [a](a.md) | [a](a.md) |\n"
    assert [(ln, col, src) for _, _, _, (ln, col, _, _), src, _ in links(text)] == [
        (4, 3, "[a](a.md)"),
        (4, 15, "[a](a.md)"),
    ]
    # "x" is the second cell, not the x inside "box".
    assert prose(text) == [("a", 1, 3), ("b", 1, 7), ("box", 3, 3), ("x", 3, 9)]


def test_a_table_right_after_a_paragraph_line_is_a_table() -> None:
    # No blank line before it: a table interrupts a paragraph (GFM, markdown-it-py).
    text = "Intro line\n| [a](a.md) | b |\n|---|---|\n| c | d |\n"
    assert [(ln, col, src) for _, _, _, (ln, col, _, _), src, _ in links(text)] == [(2, 3, "[a](a.md)")]
    assert prose(text) == [("Intro line", 1, 1), ("b", 2, 15), ("c", 4, 3), ("d", 4, 7)]


def test_table_cells_with_escaped_pipes_in_a_blockquote() -> None:
    text = "> | Op | Meaning |\n> |----|----|\n> | `a \\| b` | either [or](or.md) |\n| x \\| y | z |\n"
    assert links(text) == [("inline", "or.md", "or", (3, 23, 3, 34), "[or](or.md)", "or.md")]
    assert prose(text)[:3] == [("Op", 1, 5), ("Meaning", 1, 10), ("either", 3, 16)]


def test_stars_and_underscores_that_are_not_emphasis_stay_prose() -> None:
    assert prose("5 * 3 = 15, snake_case and ~~old~~ new.\n") == [
        ("5 * 3 = 15, snake_case and", 1, 1),
        ("old", 1, 30),
        ("new.", 1, 36),
    ]


def test_emphasis_in_image_alt_text_does_not_cut_prose_elsewhere() -> None:
    assert prose("Some text here ![a *b*](x.png) after\n") == [("Some text here", 1, 1), ("after", 1, 32)]


def test_footnotes_are_not_links() -> None:
    doc = parse("Text[^1] and [^note].\n\n[^1]: Wikipedia.\n[^note]: https://example.org\n")
    assert doc.links == ()


def test_a_definition_whose_label_spans_lines_in_a_blockquote() -> None:
    text = '[x][foo bar]\n\n> [Foo\n> Bar]:\n>   <far away.md>\n>   "Title"\n'
    assert links(text) == [("reference", "far away.md", "x", (1, 1, 1, 13), "[x][foo bar]", "far away.md")]
    (link,) = parse(text).links
    assert (link.dest_span.line, link.dest_span.column) == (5, 6)


def test_text_of_inline_html_links_and_code_is_not_prose() -> None:
    text = 'See <a href="a.md">the guide</a>, <code>compost heap</code> and <kbd>Ctrl</kbd> keys.\n'
    assert links(text) == [("html", "a.md", "the guide", (1, 5, 1, 20), '<a href="a.md">', "a.md")]
    assert prose(text) == [("See", 1, 1), (",", 1, 33), ("and", 1, 61), ("keys.", 1, 81)]


def test_template_tags_are_not_prose_even_over_several_lines() -> None:
    assert prose('Before {{< figure src="a.png"\n  caption="Compost heap" >}} after.\n') == [
        ("Before", 1, 1),
        ("after.", 2, 30),
    ]


def test_template_tags_anywhere_in_a_destination() -> None:
    text = '[a](/docs/{{ .Lang }}/intro.md) [b](<{{% eturl x %}}>)\n\n[c]: {{< ref "c d.md" >}}\n\n[c]\n'
    assert links(text) == [
        ("inline", "/docs/{{ .Lang }}/intro.md", "a", (1, 1, 1, 32), "[a](/docs/{{ .Lang }}/intro.md)", "/docs/{{ .Lang }}/intro.md"),
        ("inline", "{{% eturl x %}}", "b", (1, 33, 1, 55), "[b](<{{% eturl x %}}>)", "{{% eturl x %}}"),
        ("shortcut", '{{< ref "c d.md" >}}', "c", (5, 1, 5, 4), "[c]", '{{< ref "c d.md" >}}'),
    ]


def test_empty_destination_and_destination_on_the_next_line() -> None:
    doc = parse('[x]() and [y](\n  z.md "T")\n')
    empty, next_line = doc.links
    assert (empty.destination, empty.dest_span.start, empty.dest_span.end, empty.dest_span.column) == ("", 4, 4, 5)
    assert (next_line.destination, next_line.title, next_line.dest_span.line, next_line.dest_span.column) == ("z.md", "T", 2, 3)
    assert doc.text[next_line.span.start : next_line.span.end] == '[y](\n  z.md "T")'


def test_tab_indented_continuation_lines() -> None:
    assert links("- a\n\t\tb [x](y.md)\n") == [("inline", "y.md", "x", (2, 5, 2, 14), "[x](y.md)", "y.md")]
    assert links("- a\n\t\tb [x\n\t\tz](y.md)\n") == [
        ("inline", "y.md", "x z", (2, 5, 3, 11), "[x\n\t\tz](y.md)", "y.md"),
    ]


def test_a_nul_character_keeps_positions() -> None:
    # A NUL byte past the first 8 KiB is text (markdown-it reads it as U+FFFD).
    doc = parse("x" * 9000 + "\n\na\0b [x](x.md)\n")
    assert [(l.destination, l.span.line, l.span.column) for l in doc.links] == [("x.md", 3, 5)]
    assert [p.text for p in doc.prose][1:] == ["a\0b"]


def test_atx_heading_with_a_closing_sequence() -> None:
    doc = parse("## Title [a](a.md) ##\n")
    (heading,) = doc.headings
    assert (heading.text, heading.span.column, heading.span.end_column) == ("Title a", 4, 19)
    assert [(p.text, p.in_heading) for p in doc.prose] == [("Title", True)]


def test_unused_definition_is_a_link_with_exact_spans() -> None:
    doc = parse("Text.\n\n  [Spare]: <spare file.md> 'T'\n")
    (link,) = doc.links
    assert (link.kind, link.label, link.destination, link.text) == (LinkKind.DEFINITION, "Spare", "spare file.md", "Spare")
    assert doc.text[link.span.start : link.span.end] == "[Spare]: <spare file.md>"
    assert (link.dest_span.line, link.dest_span.column, link.dest_span.end_column) == (3, 13, 26)


# -- property: every span is exact, whatever the Markdown around it ---------------

_words = st.sampled_from(
    ["compost", "Ünï", "a*b", "x_y", "`code`", "**bold**", "~~s~~", "&amp;", "\\*", "🌱", "  ", "\t", "a\\|b",
     "[", ")", "<", '<span id="q">s</span>', '<a href="h.md">h</a>', "<!-- c -->", '{{< ref "t.md" >}}']
)
_dest = st.sampled_from(
    ["a.md", "b/c.md#frag", "<with space.md>", "caf%C3%A9.md", "../up.md", "x\\)y.md", "", "a&amp;b.md", "(p).md",
     '{{< ref "a b.md" >}}']
)
_title = st.sampled_from(["", ' "T"', "\n  'on the next line'"])
_label = st.sampled_from(["r1", "R1", "two words"])
_text = st.lists(_words, max_size=3).map(" ".join)
_inline = st.builds(lambda bang, t, d, ti: f"{bang}[{t}]({d}{ti})", st.sampled_from(["", "!"]), _text, _dest, _title)
_reference = st.builds(lambda t, l, form: (f"[{t}][{l}]", f"[{l}][]", f"[{l}]")[form], _text, _label, st.integers(0, 2))
_piece = st.one_of(_words, _inline, _reference, st.just("<https://e.x/a>"), st.just(" "), st.just("\n"))
_line = st.lists(_piece, min_size=1, max_size=6).map("".join)
_one_line = _piece.map(lambda s: s.replace("\n", " "))
_block = st.one_of(
    _line,
    _line.map(lambda s: "- " + s.replace("\n", "\n\t")),
    _line.map(lambda s: "> > 1. " + s),
    _line.map(lambda s: "## " + s.replace("\n", " ") + " {#id}"),
    _line.map(lambda s: "```\n" + s + "\n```"),
    _line.map(lambda s: "    " + s),
    st.builds(lambda a, b: f"| {a} | {b} |\n|---|---|\n| {b} | {a} \\| x |", _one_line, _one_line),
    st.builds(lambda l, d, t: f"> [{l}]: {d}{t}", _label, _dest, _title),
)
_document = st.tuples(st.lists(_block, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda t: ("\n\n".join(t[0]) + "\n").replace("\n", t[1])
)
_plain = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")


def _hrefs(text: str) -> list[str]:
    """What markdown-it itself makes of the links and images (outside alt text)."""
    found: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type == "link_open" and token.info != "auto":
                found.append(token.attrs["href"])
            elif token.type == "image":
                found.append(token.attrs["src"])
            if token.children and token.type != "image":
                walk(token.children)

    walk(_plain.parse(mask_templates(re.sub(r"\r\n|\r", "\n", text))))
    return found


@settings(max_examples=150, deadline=None)
@given(_document)
def test_spans_are_exact_in_generated_markdown(text: str) -> None:
    doc = parse(text)
    markdown_links = [l for l in doc.links if l.kind in (LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.COLLAPSED, LinkKind.SHORTCUT)]
    hrefs = _hrefs(text)
    # The same links as markdown-it finds, and destinations that it would
    # normalise to the same URL.
    assert len(markdown_links) == len(hrefs)
    for link, href in zip(markdown_links, hrefs):
        if "{" not in link.destination:
            assert _plain.normalizeLink(link.destination) == href
    for link in doc.links:
        src = doc.text[link.span.start : link.span.end]
        assert (link.span.line, link.span.column) == _position(doc.text, link.span.start)
        assert (link.span.end_line, link.span.end_column) == _position(doc.text, link.span.end)
        if link.kind is LinkKind.INLINE:
            assert src.startswith(("[", "![")) and src.endswith(")")
        elif link.kind in (LinkKind.REFERENCE, LinkKind.COLLAPSED, LinkKind.SHORTCUT):
            assert src.startswith(("[", "![")) and src.endswith("]")
        elif link.kind is LinkKind.DEFINITION:
            assert src.startswith("[") and "]:" in src
        else:
            assert src.startswith("<") and src.endswith(">")
        if link.dest_span is not None:
            raw = doc.text[link.dest_span.start : link.dest_span.end]
            assert (link.dest_span.line, link.dest_span.column) == _position(doc.text, link.dest_span.start)
            if link.kind is LinkKind.HTML:
                assert html.unescape(raw) == link.destination
            elif link.kind is not LinkKind.AUTOLINK:
                assert unescapeAll(raw) == link.destination
            if link.kind is LinkKind.INLINE:
                assert link.span.start <= link.dest_span.start <= link.dest_span.end <= link.span.end
    for prose in doc.prose:
        assert doc.text[prose.span.start : prose.span.end] == prose.text
        assert prose.text == prose.text.strip() and "\n" not in prose.text and "\r" not in prose.text
        for link in doc.links:
            if link.kind is not LinkKind.DEFINITION:
                assert prose.span.end <= link.span.start or prose.span.start >= link.span.end


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - line_start + 1


MDX_TABS = """# Install

<Tabs>
  <TabItem label="npm">
  ```sh
  # install it
  npm install thing

  # or everywhere
  npm install --global thing
  ```
  </TabItem>
  <TabItem label="pnpm" icon={icons.pnpm}>
  ```sh
  pnpm add thing
  ```
  </TabItem>
</Tabs>

## Next steps

See [the guide](guide.md) <Note /> and <span id="kept"></span>.
<div id="block-anchor"></div>

<Any placeholder text/with a slash>
"""


def test_lines_of_mdx_component_tags_do_not_start_html_blocks() -> None:
    # CommonMark would take `<Tabs>` for an HTML block ending at the blank
    # line inside the code, then see `# install it` as a heading and leave the
    # second fence open to the end of the page.
    doc = parse(MDX_TABS, "a.mdx")
    assert [(h.level, h.text, h.span.line) for h in doc.headings] == [(1, "Install", 1), (2, "Next steps", 20)]
    assert links(MDX_TABS) == [("inline", "guide.md", "the guide", (22, 5, 22, 26), "[the guide](guide.md)", "guide.md")]
    # Lower-case HTML keeps its meaning, and a line that is no tag stays text.
    assert [(a.id, a.span.line) for a in doc.html_anchors] == [("kept", 22), ("block-anchor", 23)]
    assert [item.text for item in doc.prose][-1] == "<Any placeholder text/with a slash>"



MDX_INDENTED = """# Reference

<Tabs>
  <TabItem label="Astro">
    ```astro
    <a href="/in-code/">Home</a>
    ```
  </TabItem>
  <TabItem label="TypeScript">
    ```ts
    const x = 1;

    export const y = 2;
  ```
  </TabItem>
</Tabs>

1. A step.

    <details>
    <summary>Show me [the code](shown.md)</summary>
    ```astro
    <a href="/also-code/">About</a>
    ```
    </details>
<div id="kept"></div>

### `locals`

    ## Indented heading
"""


def test_mdx_has_no_indented_code_and_no_html_blocks() -> None:
    # MDX: a fence indented four spaces inside a component is a fence (its
    # closing line may be indented less), a tag line is JSX, not the start of
    # an HTML block that runs on into the code after it.
    doc = parse(MDX_INDENTED, "ref.mdx")
    assert [(h.level, h.text, h.span.line, h.span.column) for h in doc.headings] == [
        (1, "Reference", 1, 3),
        (3, "locals", 28, 5),
        (2, "Indented heading", 30, 8),
    ]
    assert [(link.destination, link.text, link.span.line, link.span.column) for link in doc.links] == [
        ("shown.md", "the code", 21, 22)
    ]
    assert [(a.id, a.span.line) for a in doc.html_anchors] == [("kept", 26)]


@pytest.mark.parametrize("path", ["page.mdx", "page.md"])
def test_inline_html_over_indented_lines_keeps_its_positions(path: str) -> None:
    # A paragraph's later lines lose their indentation in the inline content
    # (here the list item's): mintlify's docs, an `<img` over four lines
    # inside `<Frame>` after a list, got `="/images/a-light.p` as the
    # destination, two characters off.
    text = "# T\n\n- An item.\n\n<Frame>\n  <img\n    src=\"/images/a-light.png\"\n    id=\"shot\"\n  />\n</Frame>\n"
    doc = parse(text, path)
    if path.endswith(".md"):
        # CommonMark: `<Frame>` opens an HTML block holding the whole piece.
        assert [(link.destination, link.span.line) for link in doc.links] == [("/images/a-light.png", 6)]
        return
    (link,) = doc.links
    assert link.destination == "/images/a-light.png"
    assert doc.text[link.dest_span.start : link.dest_span.end] == "/images/a-light.png"
    assert (link.dest_span.line, link.dest_span.column) == (7, 10)
    assert doc.text[link.span.start : link.span.end].startswith("<img") and doc.text[link.span.start : link.span.end].endswith("/>")
    assert [(a.id, a.span.line, a.span.column) for a in doc.html_anchors] == [("shot", 8, 9)]


def test_the_same_text_as_markdown_keeps_commonmark() -> None:
    # In a .md page the four-space fences are indented code, so the closing
    # line indented two spaces opens a fence that runs to the end of the page.
    doc = parse(MDX_INDENTED, "ref.md")
    assert [h.text for h in doc.headings] == ["Reference"]
    assert (doc.links, doc.html_anchors) == ((), ())
    # Where no such fence hides it, `<details>` opens an HTML block that runs
    # into the code after it: the code's `<a href>` is read as HTML.
    details = MDX_INDENTED[MDX_INDENTED.index("1. A step.") :]
    assert [(link.destination, link.span.line) for link in parse(details, "ref.md").links] == [("/also-code/", 6)]
    assert [(link.destination, link.span.line) for link in parse(details, "ref.mdx").links] == [("shown.md", 4)]


MDX_ESM = """import Tabs from '@theme/Tabs';
import {Note} from
  '../components/Note';
export const meta = {title: 'Compost'};

# Compost guide

Turning [the heap](heap.md) weekly.

```js
import x from 'y'
```

- import this in a list

important words, and
export is just a word here.
"""


def test_mdx_import_and_export_statements_are_no_prose() -> None:
    # A link suggested into an `import` line would break the page's build.
    doc = parse(MDX_ESM, "a.mdx")
    assert [(p.text, p.span.line) for p in doc.prose] == [
        ("Compost guide", 6),
        ("Turning", 8),
        ("weekly.", 8),
        ("import this in a list", 14),
        ("important words, and", 16),
        ("export is just a word here.", 17),
    ]
    assert [(h.text, h.span.line) for h in doc.headings] == [("Compost guide", 6)]
    assert [(link.destination, link.span.line) for link in doc.links] == [("heap.md", 8)]
    # In Markdown they are a paragraph like any other.
    assert [p.text for p in parse(MDX_ESM, "a.md").prose][:2] == ["import Tabs from '@theme/Tabs';", "import {Note} from"]


def test_mdx_expressions_are_no_prose() -> None:
    # `{props.name}` is JavaScript in MDX: no link is ever suggested into one.
    text = "Some prose {props.name} and more {a: {b: 1}} text.\n\nPlain {{ x }} end.\n"
    assert [(p.text, p.span.column) for p in parse(text, "a.mdx").prose] == [
        ("Some prose", 1),
        ("and more", 25),
        ("text.", 46),
        ("Plain", 1),
        ("end.", 15),
    ]
    assert [p.text for p in parse(text, "a.md").prose] == ["Some prose {props.name} and more {a: {b: 1}} text.", "Plain", "end."]


# -- markdown="1" elements ------------------------------------------------------------


def test_markdown_section_tags_are_no_html_blocks() -> None:
    text = (
        '<section class="filter" markdown="1" id="linux">\n'
        "#### Status change\n"
        "See [the guide](guide.md).\n"
        "</section>\n"
        "After [it](after.md).\n"
        "\n"
        '<div markdown="0">\n'
        "## Raw\n"
        "</div>\n"
        "\n"
        "```\n"
        '<div markdown="1" id="in-code">\n'
        "```\n"
    )
    doc = parse_document("a.md", text.encode())
    assert [(h.text, h.span.line, h.span.column) for h in doc.headings] == [("Status change", 2, 6)]
    assert [(a.id, a.span.line, a.span.column) for a in doc.html_anchors] == [("linux", 1, 42)]
    assert [(link.destination, link.span.line, link.span.column) for link in doc.links] == [("guide.md", 3, 5), ("after.md", 5, 7)]


def test_markdown_elements_nest_and_keep_their_end_tag_when_it_shares_a_line() -> None:
    text = (
        '<div markdown="1">\n<div class="inner">x</div>\n\n## Heading\n</div>\n[after](after.md)\n\n'
        '<div markdown="block">\n## Two\n\ntext</div>\n[then](a-link.md)\n'
    )
    doc = parse_document("a.md", text.encode())
    # The outer end tag is found past the inner element, and blanked: the
    # line after it is Markdown. The second element's end tag shares a line
    # with text: it stays, inline HTML of the paragraph (its start tag goes).
    assert [(h.text, h.span.line) for h in doc.headings] == [("Heading", 4), ("Two", 9)]
    assert [(link.destination, link.span.line) for link in doc.links] == [("after.md", 6), ("a-link.md", 12)]
