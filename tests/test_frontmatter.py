"""Front matter split by hand: each format, each line ending, and every way it
can be broken (LL902 with the absolute line and column)."""

from __future__ import annotations

import datetime

import pytest
import yaml

from linklint.frontmatter import FrontMatter, split
from linklint.model import Problem, Span
from linklint.textpos import LineIndex


def fm(text: str) -> FrontMatter:
    return split(text, LineIndex(text))


def test_yaml_block_span_body_and_key_lines() -> None:
    text = "---\ntitle: Hot composting\ndate: 2024-03-01\nparams:\n  title: inner\n---\n\nBody\n"
    found = fm(text)
    assert found.format == "yaml"
    assert found.data == {"title": "Hot composting", "date": datetime.date(2024, 3, 1), "params": {"title": "inner"}}
    assert found.span == Span(0, 69, 1, 1, 6, 4)
    assert text[found.span.start : found.span.end] == text[: text.index("---\n\nBody")] + "---"
    assert (found.body_start, found.body_line) == (70, 7)
    assert text[found.body_start :] == "\nBody\n"
    assert found.key_lines == {"title": 2, "date": 3, "params": 4}
    assert found.problem is None


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_every_format_with_every_line_ending(eol: str) -> None:
    cases = [
        ("---|title: T|tags: [a, b]|---|Body|", "yaml", {"title": "T", "tags": ["a", "b"]}, 5),
        ("---|title: T|...|Body|", "yaml", {"title": "T"}, 4),
        ('+++|title = "T"|draft = true|+++|Body|', "toml", {"title": "T", "draft": True}, 5),
        ('{|  "title": "T",|  "n": [1, 2]|}|Body|', "json", {"title": "T", "n": [1, 2]}, 5),
    ]
    for template, fmt, data, body_line in cases:
        text = template.replace("|", eol)
        found = fm(text)
        assert (found.format, found.data, found.body_line, found.problem) == (fmt, data, body_line, None)
        assert text[found.body_start :] == "Body" + eol
        assert found.key_lines["title"] == 2


def test_json_on_one_line_and_empty_blocks() -> None:
    one = fm('{"title": "One line"}\nBody\n')
    assert (one.format, one.data, one.span, one.body_line) == ("json", {"title": "One line"}, Span(0, 21, 1, 1, 1, 22), 2)
    empty_yaml = fm("---\n---\nBody\n")
    assert (empty_yaml.format, empty_yaml.data, empty_yaml.body_line, empty_yaml.problem) == ("yaml", {}, 3, None)
    empty_json = fm("{ }\nBody\n")
    assert (empty_json.format, empty_json.data, empty_json.body_line) == ("json", {}, 2)


def test_front_matter_alone_without_final_newline() -> None:
    text = "+++\ntitle = 'x'\n+++"
    found = fm(text)
    assert (found.data, found.body_start, found.body_line) == ({"title": "x"}, len(text), 4)
    assert found.span == Span(0, len(text), 1, 1, 3, 4)


def test_fences_may_have_trailing_spaces() -> None:
    assert fm("--- \ntitle: t\n---  \nBody\n").data == {"title": "t"}


@pytest.mark.parametrize(
    "text",
    [
        "Plain text\n",
        "---\n\nA thematic break, then text.\n",
        # Template tags and heading attributes on line 1 are not JSON front matter.
        '{{< figure src="a.png" >}}\n\nText\n',
        "{% include toc.html %}\n",
        "{#anchor}\n",
        "",
    ],
)
def test_no_front_matter(text: str) -> None:
    found = fm(text)
    assert (found.format, found.data, found.span, found.body_start, found.body_line, found.problem) == (
        None,
        {},
        None,
        0,
        1,
        None,
    )


# Messages written by linklint itself, or by the standard library (TOML, JSON).
@pytest.mark.parametrize(
    ("text", "problem", "body_line"),
    [
        (
            "---\n- a\n- b\n---\nBody\n",
            Problem("LL902", "YAML front matter is a list, not a mapping of keys to values", 2, 1),
            5,
        ),
        ("---\njust text\n---\n", Problem("LL902", "YAML front matter is a string, not a mapping of keys to values", 2, 1), 4),
        ("---\n42\n---\n", Problem("LL902", "YAML front matter is a number, not a mapping of keys to values", 2, 1), 4),
        # PyYAML's timestamp constructor raises ValueError, not a YAMLError.
        ("---\ndate: 2024-13-45\n---\n", Problem("LL902", "invalid YAML front matter: month must be in 1..12", 2, 1), 4),
        (
            "---\ntitle: never closed\n\nBody\n",
            Problem("LL902", "YAML front matter opened on line 1 is never closed with `---`", 1, 1),
            1,
        ),
        (
            "+++\ntitle = 'never closed'\n",
            Problem("LL902", "TOML front matter opened on line 1 is never closed with `+++`", 1, 1),
            1,
        ),
        ("+++\ntitle = \n+++\nBody\n", Problem("LL902", "invalid TOML front matter: Invalid value", 2, 9), 4),
        (
            '+++\r\nt = "x"\r\nt = "y"\r\n+++\r\n',
            Problem("LL902", "invalid TOML front matter: Cannot overwrite a value", 3, 8),
            5,
        ),
        # An error "at end of document" points at the last line of the block.
        ("+++\na = 1\nb = [1,\n+++\n", Problem("LL902", "invalid TOML front matter: Invalid value", 3, 1), 5),
        ('{\n  "title": x\n}\n\nBody\n', Problem("LL902", "invalid JSON front matter: Expecting value", 2, 12), 4),
        (
            '{"a": 1,}\n',
            Problem("LL902", "invalid JSON front matter: Expecting property name enclosed in double quotes", 1, 9),
            1,
        ),
        # Deep nesting would crash libyaml and pickling: refused before loading.
        (
            "---\na: " + "[" * 150 + "\n---\n",
            Problem("LL902", "invalid YAML front matter: nested more than 100 levels deep", 2, 104),
            4,
        ),
        (
            "+++\nx = 1\ny = " + "[" * 101 + "\n+++\n",
            Problem("LL902", "invalid TOML front matter: nested more than 100 levels deep", 3, 105),
            5,
        ),
        (
            '{\n"a":\n' + "[" * 30_000 + "\n}\nBody\n",
            Problem("LL902", "invalid JSON front matter: nested more than 100 levels deep", 3, 100),
            5,
        ),
    ],
)
def test_broken_front_matter(text: str, problem: Problem, body_line: int) -> None:
    found = fm(text)
    assert found.problem == problem
    assert found.data == {}
    assert found.body_line == body_line


def test_deep_yaml_that_would_crash_libyaml_is_refused() -> None:
    # 30,000 unclosed brackets overflow libyaml's C stack (a segmentation fault).
    found = fm("---\na: " + "[" * 30_000 + "\n---\n")
    assert found.problem == Problem("LL902", "invalid YAML front matter: nested more than 100 levels deep", 2, 104)


def test_brackets_inside_quoted_strings_do_not_count_as_nesting() -> None:
    text = '---\ntitle: "' + "[" * 150 + '"\n---\n'
    assert fm(text).data == {"title": "[" * 150}


@pytest.mark.parametrize(
    ("text", "line", "column", "libyaml_reason"),
    [
        ("---\ntitle: a: b\n---\n", 2, 9, "mapping values are not allowed in this context"),
        # Hugo archetypes: `{{ .Name }}` is a YAML mapping used as a key.
        ("---\r\ntitle: {{ .Name }}\r\n---\r\n", 2, 9, "while constructing a mapping, found unhashable key"),
        ("---\rtags: [a\r---\rBody\r", 3, 1, "while parsing a flow sequence, did not find expected ',' or ']'"),
    ],
)
def test_yaml_syntax_errors_have_absolute_positions(text: str, line: int, column: int, libyaml_reason: str) -> None:
    found = fm(text)
    assert (found.problem.code, found.problem.line, found.problem.column) == ("LL902", line, column)
    # The reason is PyYAML's: its C loader (used when available) and its pure
    # Python loader word some of them differently.
    if getattr(yaml, "__with_libyaml__", False):
        assert found.problem.message == f"invalid YAML front matter: {libyaml_reason}"
    else:  # pragma: no cover - PyYAML built without libyaml
        assert found.problem.message.startswith("invalid YAML front matter: ")
    assert found.format == "yaml"
    assert text[found.body_start :].replace("\r", "\n").lstrip("\n") in ("", "Body\n")
