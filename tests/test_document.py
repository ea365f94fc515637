"""Front matter, titles and problems of a parsed document."""

from __future__ import annotations

import datetime

import pytest

from linklint.document import parse_document
from linklint.model import Problem


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
