"""Front matter, titles and problems of a parsed document."""

from __future__ import annotations

import datetime

import pytest

from linklint.document import parse_document
from linklint.model import Document, Problem


def parse(text: str):
    return parse_document("p.md", text.encode("utf-8"))


def test_yaml_front_matter_keeps_absolute_lines() -> None:
    doc = parse("---\ntitle: Hot composting\ndate: 2024-03-01\ntags: [soil]\n---\n\n[a](a.md)\n")
    assert doc.front_matter == {"title": "Hot composting", "date": datetime.date(2024, 3, 1), "tags": ["soil"]}
    assert doc.front_matter_format == "yaml"
    assert (doc.front_matter_span.line, doc.front_matter_span.end_line) == (1, 5)
    assert doc.body_line == 6
    assert doc.title == "Hot composting"
    assert (doc.title_span.line, doc.title_span.column, doc.title_span.end_column) == (2, 1, 22)
    assert doc.links[0].span.line == 7
    assert doc.problems == ()


def test_yaml_closed_by_dots_and_crlf() -> None:
    doc = parse("---\r\ntitle: T\r\n...\r\n# H\r\n")
    assert doc.front_matter == {"title": "T"}
    assert [h.span.line for h in doc.headings] == [4]


def test_toml_front_matter() -> None:
    doc = parse('+++\ntitle = "Year in review"\ndraft = true\n+++\nBody [x](x.md)\n')
    assert doc.front_matter == {"title": "Year in review", "draft": True}
    assert doc.front_matter_format == "toml"
    assert doc.title_span.line == 2
    assert doc.links[0].span.line == 5


def test_json_front_matter() -> None:
    doc = parse('{\n  "title": "JSON page",\n  "draft": false\n}\n\n[x](x.md)\n')
    assert doc.front_matter == {"title": "JSON page", "draft": False}
    assert doc.front_matter_format == "json"
    assert doc.title_span.line == 2
    assert doc.links[0].span.line == 6


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "---\ntitle: a: b\n---\n",
            Problem("LL902", "invalid YAML front matter: mapping values are not allowed", 2, 9),
        ),
        (
            "+++\ntitle = \n+++\n",
            Problem("LL902", "invalid TOML front matter: Invalid value", 2, 9),
        ),
        (
            '{\n  "title": x\n}\n',
            Problem("LL902", "invalid JSON front matter: Expecting value", 2, 12),
        ),
        (
            "---\n- a\n- b\n---\n",
            Problem("LL902", "YAML front matter is a list, not a mapping of keys to values", 2, 1),
        ),
        (
            "---\ntitle: never closed\n\nBody\n",
            Problem("LL902", "YAML front matter opened on line 1 is never closed with `---`", 1, 1),
        ),
    ],
)
def test_front_matter_problems(text: str, problem: Problem) -> None:
    doc = parse(text)
    (found,) = doc.problems
    # The libraries' own wording differs between versions (and YAML's C and
    # pure loaders): the message starts with ours and theirs follows.
    assert (found.code, found.line, found.column) == (problem.code, problem.line, problem.column)
    assert found.message.startswith(problem.message)
    assert doc.front_matter == {}


def test_a_thematic_break_at_the_top_is_not_front_matter() -> None:
    doc = parse("---\n\nJust a rule above. [x](x.md)\n")
    assert doc.front_matter_format is None
    assert doc.problems == ()
    assert doc.links[0].span.line == 3


def test_body_is_checked_after_bad_front_matter() -> None:
    doc = parse("---\ntitle: {{ .Name }}\n---\n[x](x.md)\n")
    assert doc.problems[0].code == "LL902"
    assert [(l.destination, l.span.line) for l in doc.links] == [("x.md", 4)]


def test_title_falls_back_to_the_first_level_one_heading() -> None:
    doc = parse("Intro\n\n## Not this\n\n# This one\n")
    assert doc.title == "This one"
    assert (doc.title_span.line, doc.title_span.column) == (5, 1)


def test_empty_file() -> None:
    doc = parse_document("e.md", b"")
    assert (doc.text, doc.links, doc.problems, doc.title) == ("", (), (), None)


def test_oversize_binary_and_invalid_utf8_give_an_empty_document() -> None:
    cases = [
        (b"# Big\n" + b"x" * 2_000_000, "file is 2.0 MB, over the 1.5 MB limit (max_file_size); not checked", 1, 1),
        (b"GIF89a\x00\x01", "binary file, not Markdown; not checked", 1, 1),
        (b"# T\r\n\r\nna\xefve [x](x.md)\n", "invalid UTF-8 at line 3, column 3 (byte 0xef); not checked", 3, 3),
    ]
    for data, message, line, column in cases:
        doc = parse_document("p.md", data, max_bytes=1_500_000)
        assert doc == Document(path="p.md", text="", problems=(Problem("LL901", message, line, column),))


def test_exactly_max_bytes_is_still_checked() -> None:
    doc = parse_document("p.md", b"[x](x.md)\n", max_bytes=10)
    assert (doc.problems, [l.destination for l in doc.links]) == ((), ["x.md"])


def test_bom_is_recorded_and_offsets_exclude_it() -> None:
    doc = parse_document("p.md", b"\xef\xbb\xbf---\ntitle: T\n---\n[x](x.md)\n")
    assert (doc.bom, doc.text[:3], doc.front_matter, doc.body_line) == (True, "---", {"title": "T"}, 4)
    (link,) = doc.links
    assert (link.span.start, link.span.line, link.span.column) == (17, 4, 1)


def test_invalid_json_front_matter_still_checks_the_body_after_it() -> None:
    doc = parse('{\n  "title": x\n}\n\n[a](a.md)\n')
    assert doc.problems == (Problem("LL902", "invalid JSON front matter: Expecting value", 2, 12),)
    assert [(l.destination, l.span.line) for l in doc.links] == [("a.md", 5)]
    assert doc.prose == ()  # the JSON lines are not Markdown


def test_bad_yaml_value_is_a_problem_not_a_crash() -> None:
    doc = parse("---\ndate: 2024-13-45\n---\n# Heading\n")
    assert doc.problems == (Problem("LL902", "invalid YAML front matter: month must be in 1..12", 2, 1),)
    assert (doc.front_matter, doc.title, doc.body_line) == ({}, "Heading", 4)


def test_a_non_string_title_falls_back_to_the_heading() -> None:
    doc = parse("---\ntitle: 2024\n---\n# Real title\n")
    assert (doc.title, doc.title_span.line) == ("Real title", 4)


def test_an_unexpected_parser_failure_is_reported_for_that_file_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import linklint.document

    def broken(text: str, body_start: int = 0, index=None, *, mdx: bool = False):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(linklint.document, "extract", broken)
    doc = parse("---\ntitle: T\n---\n[x](x.md)\n")
    assert doc.problems == (
        Problem("LL901", "could not be parsed as Markdown (RecursionError: maximum recursion depth exceeded); not checked"),
    )
    assert (doc.front_matter, doc.title, doc.links) == ({"title": "T"}, "T", ())
