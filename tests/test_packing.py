"""Packed pages: what a parser process sends back and the cache stores gives
back the very same Document, types included."""

from __future__ import annotations

import dataclasses
import pickle
from array import array
from pathlib import Path

import pytest

from linklint.cache import ParseCache
from linklint.document import parse_document
from linklint.model import Directive, Document, Heading, HtmlAnchor, Link, LinkKind, Problem, Prose, ProseRuns, Span
from linklint.packing import pack, unpack

REPO = Path(__file__).resolve().parent.parent

PAGE = """\ufeff---
title: "Packed \u00e9t\u00e9"
draft: false
date: 2024-05-01
---

# Heading one {#custom}

Some *prose* with a [link](other.md#part "Title") and ![an image](pic.png).
A [reference][ref] and <https://example.com/auto>. <a id="here" href="x.md">html</a>

<!-- linklint-disable-next-line LL006 -->
[click here](x.md)

[ref]: ../ref.md
"""


def _sample_pages() -> list[Document]:
    pages = [parse_document("posts/packed.md", PAGE.encode("utf-8"))]
    pages.append(parse_document("crlf.md", PAGE.replace("\n", "\r\n").encode("utf-8")))
    pages.append(parse_document("bad.md", b"---\ntitle: [unclosed\n---\n\nText [a](b.md)\n"))
    pages.append(parse_document("binary.md", b"\x00\xff\xfe binary"))
    for path in sorted((REPO / "examples").rglob("*.md")):
        pages.append(parse_document(path.relative_to(REPO).as_posix(), path.read_bytes()))
    return pages


def _types(doc: Document) -> list[str]:
    """The class of every value a Document holds, nested tuples included."""
    out = []

    def walk(value: object) -> None:
        out.append(type(value).__name__)
        if isinstance(value, (tuple, ProseRuns)):
            for item in value:
                walk(item)

    for field in dataclasses.fields(doc):
        walk(getattr(doc, field.name))
    return out


@pytest.mark.parametrize("doc", _sample_pages(), ids=lambda d: d.path)
def test_a_packed_page_unpacks_to_the_same_document(doc: Document) -> None:
    back = unpack(pickle.loads(pickle.dumps(pack(doc))))
    assert back == doc
    assert _types(back) == _types(doc)


def test_the_sample_covers_every_kind_of_part() -> None:
    doc = _sample_pages()[0]
    assert doc.bom and doc.title == "Packed \u00e9t\u00e9" and doc.title_span is not None
    assert {link.kind for link in doc.links} >= {LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.AUTOLINK, LinkKind.HTML}
    assert doc.headings[0].explicit_id == "custom"
    assert doc.html_anchors == (HtmlAnchor("here", doc.html_anchors[0].span),)
    assert doc.directives == (Directive("disable-next-line", ("LL006",), 12),)
    assert _sample_pages()[2].problems and _sample_pages()[3].problems


def test_prose_whose_text_is_not_its_slice_keeps_its_text() -> None:
    span = Span(0, 4, 1, 1, 1, 5)
    doc = Document(
        path="odd.md",
        text="abcd efgh",
        prose=(Prose("ABCD", span), Prose("abcd", span, True)),
        headings=(Heading(1, "abcd", span),),
        links=(Link(LinkKind.INLINE, "x.md", "abcd", span, None, title="t", label="l"),),
        problems=(Problem("LL902", "bad", 2, 3),),
    )
    packed = pack(doc)
    assert packed[13] == (array("q", [0, 4, 1, 1, 1, 5, 0, 0, 4, 1, 1, 1, 5, 1]).tobytes(), {0: "ABCD"})
    back = unpack(pickle.loads(pickle.dumps(packed)))
    assert back == doc
    assert list(back.prose) == [Prose("ABCD", span), Prose("abcd", span, True)]


def test_unpack_gives_the_path_asked_for() -> None:
    doc = _sample_pages()[0]
    assert unpack(pack(doc), "elsewhere.md") == dataclasses.replace(doc, path="elsewhere.md")


@pytest.mark.parametrize("damaged", [None, (), ("a",) * 14, ("a",) * 15, [1] * 15, {"text": ""}])
def test_anything_else_is_refused(damaged: object) -> None:
    with pytest.raises((ValueError, TypeError, KeyError, IndexError)):
        unpack(damaged)  # type: ignore[arg-type]


@pytest.mark.parametrize("cut", [1, 8, 48])
def test_prose_numbers_cut_short_are_refused(cut: int) -> None:
    packed = list(pack(_sample_pages()[0]))
    data, own = packed[13]
    packed[13] = (data[:-cut], own)
    with pytest.raises(ValueError):
        unpack(tuple(packed))


def test_a_cache_entry_in_the_old_layout_is_parsed_again(tmp_path: Path) -> None:
    data = PAGE.encode("utf-8")
    doc = parse_document("posts/packed.md", data)
    cache = ParseCache(tmp_path, "salt")
    cache.put("posts/packed.md", data, doc)
    (entry,) = [p for p in tmp_path.rglob("*") if p.is_file() and p.name not in (".gitignore", "CACHEDIR.TAG")]
    import linklint.cache as cache_module

    entry.write_bytes(cache_module._dump(dataclasses.replace(doc, path="")))  # a whole Document, as stored before
    assert cache.get("posts/packed.md", data) is None
    cache.put("posts/packed.md", data, doc)
    assert cache.get("posts/packed.md", data) == doc


def test_violations_and_reports_come_back_the_same() -> None:
    from linklint.model import Applicability, Edit, Fix, Severity, Violation
    from linklint.packing import pack_report, pack_violation, unpack_report, unpack_violation
    from linklint.report import Report

    span = Span(3, 9, 1, 4, 1, 10)
    fixed = Violation(
        "LL003", "broken-link", Severity.ERROR, "a.md", span, "gone", "b.md", ("c.md", "d.md"),
        Fix("use c.md", Applicability.SAFE, (Edit(3, 9, "c.md"), Edit(12, 12, "x"))),
    )
    plain = Violation("LL007", "orphan-page", Severity.WARNING, "a.md", span, "alone")
    for violation in (fixed, plain):
        back = unpack_violation(pickle.loads(pickle.dumps(pack_violation(violation))))
        assert back == violation and type(back.span) is Span and back.severity is violation.severity
    assert type(unpack_violation(pack_violation(fixed)).fix.edits[0]) is Edit  # type: ignore[union-attr]
    report = Report("1", ".", "hugo", 3, [fixed, plain], {"a.md": "text"})
    assert unpack_report(pickle.loads(pickle.dumps(pack_report(report)))) == report


@pytest.mark.parametrize(
    "damaged",
    [
        ("LL003", "n", "error", "a.md", (1, 2, 1, 1, 1, 2), "m", None, ()),  # a field short
        ("LL003", "n", "fatal", "a.md", (1, 2, 1, 1, 1, 2), "m", None, (), None),  # no such severity
        ("LL003", "n", "error", "a.md", [1, 2, 1, 1, 1, 2], "m", None, (), None),  # span not a tuple
        ("LL003", "n", "error", "a.md", (1, 2, 1, 1, 1, 2), "m", None, (), ("t", "bold", ())),  # no such applicability
    ],
)
def test_a_damaged_violation_is_refused(damaged: tuple) -> None:
    from linklint.packing import unpack_violation

    with pytest.raises((ValueError, TypeError, KeyError, IndexError)):
        unpack_violation(damaged)


def test_pack_knows_every_field_of_a_document() -> None:
    # A field added to Document must be added to pack and unpack too.
    from linklint import packing

    assert [f.name for f in dataclasses.fields(Document)] == [
        "path", "text", "bom", "front_matter", "front_matter_format", "front_matter_span", "body_line", "title",
        "title_span", "headings", "html_anchors", "links", "directives", "prose", "problems",
    ]
    assert len(pack(_sample_pages()[0])) == packing._FIELDS == len(dataclasses.fields(Document))


@pytest.mark.parametrize(
    ("value", "value_type", "plain"),
    [
        ({}, int, True),
        ({"soil": 3, "worm": 1}, int, True),
        ({"soil": 0.5}, float, True),
        ({"soil": True}, int, False),  # a bool is not a count
        ({"soil": 1.0}, int, False),
        ({1: 1}, int, False),
        ({"soil": 1, ("a",): 1}, int, False),
        ([("soil", 1)], int, False),
        (None, int, False),
    ],
)
def test_stored_dicts_are_checked_value_by_value(value, value_type, plain) -> None:
    from linklint.packing import is_plain_dict

    assert is_plain_dict(value, value_type) is plain
