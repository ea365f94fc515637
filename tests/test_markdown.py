"""Link, heading, anchor, directive and prose extraction, exact to the character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from markdown_it.common.utils import unescapeAll

from linklint.document import parse_document
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


# -- property: every span is exact, whatever the Markdown around it ---------------

_words = st.sampled_from(["compost", "Ünï", "a*b", "x_y", "`code`", "**bold**", "&amp;", "\\*", "🌱", "  "])
_dest = st.sampled_from(["a.md", "b/c.md#frag", "<with space.md>", "caf%C3%A9.md", "../up.md", "x\\)y.md", ""])
_link = st.builds(lambda t, d: f"[{t}]({d})", _words, _dest)
_piece = st.one_of(_words, _link, st.just("\n"), st.just(" "))
_line = st.lists(_piece, min_size=1, max_size=8).map("".join)
_block = st.one_of(
    _line,
    _line.map(lambda s: "- " + s),
    _line.map(lambda s: "> " + s),
    _line.map(lambda s: "## " + s),
    _line.map(lambda s: "```\n" + s + "\n```"),
    _line.map(lambda s: "    " + s),
    st.builds(lambda a, b: f"| {a} | {b} |\n|---|---|\n| {b} | {a} |", _link, _words),
)
_document = st.tuples(st.lists(_block, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda t: t[1].join(b.replace("\n", t[1]) for b in t[0]) + t[1]
)


@settings(max_examples=150, deadline=None)
@given(_document)
def test_spans_are_exact_in_generated_markdown(text: str) -> None:
    doc = parse(text)
    for link in doc.links:
        src = doc.text[link.span.start : link.span.end]
        assert src.startswith(("[", "!", "<")), (src, text)
        if link.dest_span is not None:
            raw = doc.text[link.dest_span.start : link.dest_span.end]
            assert (link.dest_span.line, link.dest_span.column) == _position(doc.text, link.dest_span.start)
            assert raw in src or link.kind is not LinkKind.INLINE
            assert unescapeAll(raw) == link.destination
    for prose in doc.prose:
        assert doc.text[prose.span.start : prose.span.end] == prose.text


def _position(text: str, offset: int) -> tuple[int, int]:
    import re

    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - line_start + 1
