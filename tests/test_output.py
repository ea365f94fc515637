from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linklint.model import Applicability, Edit, Fix, Severity, Span, Violation
from linklint.output import FORMATS, Prerendered, RuleInfo, SourceLines, render, render_printout
from linklint.output.github import escape_data, escape_property
from linklint.report import Report
from linklint.textpos import LineIndex

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

# Front matter, a tab, wide characters and a link whose label runs over two lines.
A_TEXT = (
    "---\ntitle: Café\n---\n"
    "See [the other post](../b.md) for more.\n"
    "\tLinks: [日本語](../jp.md#概要) and [read\n"
    "more](../c.md)\n"
)
B_TEXT = "# B\n\nNo links here.\n"
# Not in the report's texts (it could not be read), with characters every format
# has to escape in its own way.
ODD_PATH = "notes/q&a, été.md"


def span_of(text: str, needle: str) -> Span:
    start = text.index(needle)
    return LineIndex(text).span(start, start + len(needle))


def point(text: str, offset: int) -> Span:
    return LineIndex(text).span(offset, offset)


def violations() -> list[Violation]:
    dest = span_of(A_TEXT, "../b.md")
    label = span_of(A_TEXT, "read\nmore")
    end_of_b = point(B_TEXT, len(B_TEXT) - 1)
    found = [
        Violation(
            "LL003",
            "broken-link",
            Severity.ERROR,
            "posts/a.md",
            span_of(A_TEXT, "[the other post](../b.md)"),
            "link target `../b.md` does not exist",
            target="../b.md",
            suggestions=("did you mean `../c.md`?",),
            fix=Fix("rewrite to `../c.md`", Applicability.SAFE, (Edit(dest.start, dest.end, "../c.md"),)),
        ),
        Violation(
            "LL004",
            "broken-anchor",
            Severity.WARNING,
            "posts/a.md",
            span_of(A_TEXT, "[日本語](../jp.md#概要)"),
            "no heading `#概要` in `../jp.md`",
            target="../jp.md#概要",
        ),
        Violation(
            "LL006",
            "generic-anchor-text",
            Severity.WARNING,
            "posts/a.md",
            span_of(A_TEXT, "[read\nmore](../c.md)"),
            "link text “read more” is generic: say where it leads, e.g. 100% of\nthe target's title",
            target="../c.md",
            suggestions=("use the target's title:\n“Caching, explained”",),
            fix=Fix(
                "replace the link text with “Caching, explained”",
                Applicability.UNSAFE,
                (Edit(label.start, label.end, "Caching, explained"),),
            ),
        ),
        Violation(
            "LL001",
            "min-internal-links",
            Severity.WARNING,
            "posts/b.md",
            end_of_b,
            "links to 0 other pages, fewer than 1",
            fix=Fix(
                "add a link to `posts/a.md`",
                Applicability.DISPLAY_ONLY,
                (Edit(end_of_b.start, end_of_b.end, " See [A](a.md)."),),
            ),
        ),
        Violation(
            "LL901",
            "unreadable-file",
            Severity.ERROR,
            ODD_PATH,
            Span(0, 0, 1, 1, 1, 1),
            "not valid UTF-8: byte 0xff at offset 12",
        ),
    ]
    return sorted(found, key=Violation.sort_key)


def make_report(found: list[Violation] | None = None, files: int = 40, texts: dict[str, str] | None = None) -> Report:
    return Report(
        version="0.1.0",
        root=".",
        generator="hugo",
        files=files,
        violations=violations() if found is None else found,
        texts={"posts/a.md": A_TEXT, "posts/b.md": B_TEXT} if texts is None else texts,
    )


def one_violation(**changes) -> Violation:
    fields = dict(
        code="LL003",
        name="broken-link",
        severity=Severity.ERROR,
        path="posts/a.md",
        span=Span(0, 6, 1, 1, 1, 7),
        message="gone",
    )
    fields.update(changes)
    return Violation(**fields)


RULES = {
    "LL001": RuleInfo("LL001", "min-internal-links", "A post links to too few other pages.", None),
    "LL003": RuleInfo(
        "LL003", "broken-link", "An internal link leads to nothing.", "https://example.org/rules/LL003.html"
    ),
    "LL004": RuleInfo("LL004", "broken-anchor", "A link's #fragment names no heading.", None),
    "LL006": RuleInfo("LL006", "generic-anchor-text", "Link text says nothing about the target.", None),
    "LL007": RuleInfo("LL007", "orphan-page", "No page links to this one.", None),
}


# --- dispatch ---------------------------------------------------------------


def test_formats() -> None:
    assert FORMATS == ("text", "concise", "json", "github", "sarif", "junit")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown output format `xml`"):
        render(make_report(), "xml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_escape_codes_without_color(fmt: str) -> None:
    report = make_report(texts={"posts/a.md": A_TEXT.replace("See", "See\x1b[31m"), "posts/b.md": B_TEXT})
    assert "\x1b" not in render(report, fmt)


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit"])
def test_color_only_affects_the_formats_for_people(fmt: str) -> None:
    report = make_report()
    assert render(report, fmt, color=True) == render(report, fmt)


# --- text -------------------------------------------------------------------

TEXT = """\
notes/q&a, été.md:1:1: LL901 unreadable-file: not valid UTF-8: byte 0xff at offset 12

posts/a.md:4:5: LL003 broken-link: link target `../b.md` does not exist
  |
4 | See [the other post](../b.md) for more.
  |     ^^^^^^^^^^^^^^^^^^^^^^^^^
  = suggestion: did you mean `../c.md`?
  = fix (safe): rewrite to `../c.md`

posts/a.md:5:9: LL004 broken-anchor: no heading `#概要` in `../jp.md`
  |
5 |     Links: [日本語](../jp.md#概要) and [read
  |            ^^^^^^^^^^^^^^^^^^^^^^^

posts/a.md:5:32: LL006 generic-anchor-text: link text “read more” is generic: say where it leads, e.g. 100% of the target's title
  |
5 |     Links: [日本語](../jp.md#概要) and [read
  |                                        ^^^^^
  = suggestion: use the target's title:
                “Caching, explained”
  = fix (unsafe): replace the link text with “Caching, explained”

posts/b.md:3:15: LL001 min-internal-links: links to 0 other pages, fewer than 1
  |
3 | No links here.
  |               ^
  = fix (display-only): add a link to `posts/a.md`

Found 2 errors and 3 warnings in 3 of 40 files (1 fixable with `linklint fix`, 1 more with `linklint fix --unsafe-fixes`).
"""


def test_text() -> None:
    # Tabs expand to 4 columns, CJK characters take two: the carets stay under the link.
    assert render(make_report(), "text") == TEXT


def test_text_is_the_documented_shape_with_a_wider_gutter() -> None:
    text = "\n" * 11 + "See [the other post](../b.md) for more.\n"
    violation = one_violation(
        span=span_of(text, "[the other post](../b.md)"),
        message="link target `../b.md` does not exist",
        suggestions=("did you mean `../c.md`?",),
        fix=Fix("rewrite to `../c.md`", Applicability.SAFE, (Edit(28, 35, "../c.md"),)),
    )
    report = make_report([violation], texts={"posts/a.md": text})
    assert render(report, "text") == (
        "posts/a.md:12:5: LL003 broken-link: link target `../b.md` does not exist\n"
        "   |\n"
        "12 | See [the other post](../b.md) for more.\n"
        "   |     ^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "   = suggestion: did you mean `../c.md`?\n"
        "   = fix (safe): rewrite to `../c.md`\n"
        "\n"
        "Found 1 error in 1 of 40 files (1 fixable with `linklint fix`).\n"
    )


def test_text_on_an_empty_line_and_with_control_characters() -> None:
    text = "\n[a](\x1b[2Jb.md)\n"
    report = make_report(
        [
            one_violation(span=point(text, 0), message="before\x07"),
            one_violation(span=span_of(text, "[a](\x1b[2Jb.md)"), message="say\tit"),
        ],
        files=1,
        texts={"posts/a.md": text},
    )
    assert render(report, "text") == (
        "posts/a.md:1:1: LL003 broken-link: before\N{REPLACEMENT CHARACTER}\n"
        "  |\n"
        "1 |\n"
        "  | ^\n"
        "\n"
        "posts/a.md:2:1: LL003 broken-link: say it\n"
        "  |\n"
        "2 | [a](\N{REPLACEMENT CHARACTER}[2Jb.md)\n"
        "  | ^^^^^^^^^^^^^\n"
        "\n"
        "Found 2 errors in 1 file.\n"
    )


def test_text_carets_skip_combining_marks() -> None:
    text = "Cafe\u0301 [b](b.md)\n"
    report = make_report([one_violation(span=span_of(text, "[b](b.md)"))], files=1, texts={"posts/a.md": text})
    assert render(report, "text").splitlines()[2:4] == [
        "1 | Cafe\u0301 [b](b.md)",
        "  |      ^^^^^^^^^",
    ]


BOLD, RED, YELLOW, BLUE, CYAN, GREEN, RESET = (
    "\x1b[1m",
    "\x1b[1;31m",
    "\x1b[1;33m",
    "\x1b[1;34m",
    "\x1b[1;36m",
    "\x1b[1;32m",
    "\x1b[0m",
)


def test_text_in_color() -> None:
    report = make_report(
        [
            one_violation(
                suggestions=("did you mean `b.md`?",),
                fix=Fix("rewrite", Applicability.SAFE, (Edit(4, 5, "b"),)),
            ),
            one_violation(path="posts/c.md", code="LL006", name="generic-anchor-text", severity=Severity.WARNING),
        ],
        texts={"posts/a.md": "[a](x.md)\n"},
    )
    assert render(report, "text", color=True) == (
        f"{BOLD}posts/a.md:1:1:{RESET} {RED}LL003{RESET} broken-link: gone\n"
        f"{BLUE}  |{RESET}\n"
        f"{BLUE}1 |{RESET} [a](x.md)\n"
        f"{BLUE}  |{RESET} {RED}^^^^^^{RESET}\n"
        f"  {BLUE}={RESET} {CYAN}suggestion{RESET}: did you mean `b.md`?\n"
        f"  {BLUE}={RESET} {CYAN}fix (safe){RESET}: rewrite\n"
        "\n"
        f"{BOLD}posts/c.md:1:1:{RESET} {YELLOW}LL006{RESET} generic-anchor-text: gone\n"
        "\n"
        f"Found {RED}1 error{RESET} and {YELLOW}1 warning{RESET} in 2 of 40 files (1 fixable with `linklint fix`).\n"
    )


def test_clean_text_in_color() -> None:
    assert render(make_report([]), "text", color=True) == f"{GREEN}No problems found{RESET} in 40 files.\n"


# --- summary ----------------------------------------------------------------

SAFE = Fix("rewrite", Applicability.SAFE, (Edit(0, 1, "x"),))
UNSAFE = Fix("insert", Applicability.UNSAFE, (Edit(0, 0, "x"),))
ADVICE = Fix("vary it", Applicability.DISPLAY_ONLY, ())


@pytest.mark.parametrize(
    ("found", "files", "summary"),
    [
        ([], 40, "No problems found in 40 files."),
        ([], 1, "No problems found in 1 file."),
        ([], 0, "No Markdown files checked."),
        ([one_violation()], 1, "Found 1 error in 1 file."),
        ([one_violation(), one_violation(path="b.md")], 2, "Found 2 errors in 2 files."),
        ([one_violation(severity=Severity.WARNING)], 3, "Found 1 warning in 1 of 3 files."),
        (
            [one_violation(severity=Severity.WARNING), one_violation(severity=Severity.WARNING, code="LL004")],
            3,
            "Found 2 warnings in 1 of 3 files.",
        ),
        # A site-wide rule may name a file that was not among those counted.
        ([one_violation(), one_violation(path="b.md")], 1, "Found 2 errors in 2 files."),
        ([one_violation(fix=SAFE), one_violation(fix=SAFE)], 9, "Found 2 errors in 1 of 9 files (2 fixable with `linklint fix`)."),
        (
            [one_violation(fix=UNSAFE), one_violation(fix=ADVICE)],
            9,
            "Found 2 errors in 1 of 9 files (1 fixable with `linklint fix --unsafe-fixes`).",
        ),
    ],
)
def test_summary_line(found: list[Violation], files: int, summary: str) -> None:
    report = make_report(found, files=files, texts={})
    assert render(report, "concise") == "".join(
        f"{v.path}:1:1: {v.code} gone\n" for v in found
    ) + summary + "\n"
    assert render(report, "text").splitlines()[-1] == summary


def test_the_reports_counts_what_fails_and_what_is_fixable() -> None:
    found = [
        one_violation(fix=SAFE),
        one_violation(fix=UNSAFE, severity=Severity.WARNING),
        one_violation(fix=ADVICE, severity=Severity.WARNING),
        one_violation(),
    ]
    report = make_report(found, files=3, texts={})
    assert (report.errors, report.warnings) == report.counts() == (2, 2)
    assert report.failing("error") == 2
    assert report.failing("warning") == 4
    assert report.fix_counts() == (1, 1)
    assert report.fixable == 2  # advice is never applied


def test_a_report_counts_errors_and_warnings_in_one_pass() -> None:
    found = [one_violation(), one_violation(severity=Severity.WARNING), one_violation(path="b.md"), one_violation(code="LL004")]
    report = make_report(found, files=3, texts={})
    assert report.counts() == (3, 1) == (report.errors, report.warnings)
    assert make_report([], files=3, texts={}).counts() == (0, 0)


# --- concise ----------------------------------------------------------------


def test_concise() -> None:
    assert render(make_report(), "concise") == (
        "notes/q&a, été.md:1:1: LL901 not valid UTF-8: byte 0xff at offset 12\n"
        "posts/a.md:4:5: LL003 link target `../b.md` does not exist\n"
        "posts/a.md:5:9: LL004 no heading `#概要` in `../jp.md`\n"
        "posts/a.md:5:32: LL006 link text “read more” is generic: say where it leads, e.g. 100% of the target's title\n"
        "posts/b.md:3:15: LL001 links to 0 other pages, fewer than 1\n"
        "Found 2 errors and 3 warnings in 3 of 40 files"
        " (1 fixable with `linklint fix`, 1 more with `linklint fix --unsafe-fixes`).\n"
    )


def test_concise_in_color() -> None:
    report = make_report([one_violation(severity=Severity.WARNING)], files=1)
    assert render(report, "concise", color=True) == (
        f"{BOLD}posts/a.md:1:1:{RESET} {YELLOW}LL003{RESET} gone\n"
        f"Found {YELLOW}1 warning{RESET} in 1 file.\n"
    )


# --- json -------------------------------------------------------------------


def test_json_layout() -> None:
    report = make_report(
        [one_violation(message="“café”", fix=Fix("drop", Applicability.SAFE, (Edit(0, 6, ""),)))],
        files=2,
    )
    assert render(report, "json") == """\
{
  "version": "0.1.0",
  "root": ".",
  "generator": "hugo",
  "files": 2,
  "summary": {
    "errors": 1,
    "warnings": 0,
    "fixable": 1
  },
  "violations": [
    {
      "code": "LL003",
      "name": "broken-link",
      "severity": "error",
      "path": "posts/a.md",
      "line": 1,
      "column": 1,
      "end_line": 1,
      "end_column": 7,
      "message": "“café”",
      "target": null,
      "suggestions": [],
      "fix": {
        "applicability": "safe",
        "title": "drop",
        "edits": [
          {
            "start": 0,
            "end": 6,
            "text": ""
          }
        ]
      }
    }
  ]
}
"""


def test_json_with_texts_made_ahead_is_the_json_made_at_once() -> None:
    """The violations' objects made as text by the processes that found them
    (``Prerendered``) give the very bytes of the report made in one go; an
    empty report keeps its empty list."""
    import json

    from linklint.output import Prerendered
    from linklint.output.json_format import violation_json

    report = make_report()
    assert len(report.violations) > 3
    made = Prerendered("json", False)
    make = made.maker()
    for violation in report.violations:
        made.add(violation, make(violation, None))
    assert made.get(report.violations[0]) == violation_json(report.violations[0]).encode()
    whole = render(report, "json")
    assert render(report, "json", prerendered=made) == whole
    assert render_printout(report, "json", prerendered=made) == whole.encode()
    assert json.loads(whole)["violations"][1]["code"] == report.violations[1].code
    assert whole == json.dumps(json.loads(whole), indent=2, ensure_ascii=False) + "\n"
    # Texts for some violations only: the others are made as usual.
    some = Prerendered("json", False)
    some.add(report.violations[1], made.get(report.violations[1]))
    assert render(report, "json", prerendered=some) == whole
    assert render_printout(report, "json", prerendered=some) == whole.encode()
    empty = render(make_report([]), "json")
    assert render_printout(make_report([]), "json") == empty.encode()
    assert empty.endswith('  "violations": []\n}\n') and json.loads(empty)["violations"] == []


def test_json() -> None:
    def violation(code, name, severity, path, position, message, target, suggestions, fix):
        line, column, end_line, end_column = position
        return {
            "code": code,
            "name": name,
            "severity": severity,
            "path": path,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "message": message,
            "target": target,
            "suggestions": suggestions,
            "fix": fix,
        }

    expected = {
        "version": "0.1.0",
        "root": ".",
        "generator": "hugo",
        "files": 40,
        "summary": {"errors": 2, "warnings": 3, "fixable": 2},
        "violations": [
            violation(
                "LL901", "unreadable-file", "error", ODD_PATH, (1, 1, 1, 1),
                "not valid UTF-8: byte 0xff at offset 12", None, [], None,
            ),
            violation(
                "LL003", "broken-link", "error", "posts/a.md", (4, 5, 4, 30),
                "link target `../b.md` does not exist", "../b.md", ["did you mean `../c.md`?"],
                {"applicability": "safe", "title": "rewrite to `../c.md`",
                 "edits": [{"start": 41, "end": 48, "text": "../c.md"}]},
            ),
            violation(
                "LL004", "broken-anchor", "warning", "posts/a.md", (5, 9, 5, 27),
                "no heading `#概要` in `../jp.md`", "../jp.md#概要", [], None,
            ),
            violation(
                "LL006", "generic-anchor-text", "warning", "posts/a.md", (5, 32, 6, 15),
                "link text “read more” is generic: say where it leads, e.g. 100% of\nthe target's title",
                "../c.md", ["use the target's title:\n“Caching, explained”"],
                {"applicability": "unsafe", "title": "replace the link text with “Caching, explained”",
                 "edits": [{"start": 92, "end": 101, "text": "Caching, explained"}]},
            ),
            violation(
                "LL001", "min-internal-links", "warning", "posts/b.md", (3, 15, 3, 15),
                "links to 0 other pages, fewer than 1", None, [],
                {"applicability": "display-only", "title": "add a link to `posts/a.md`",
                 "edits": [{"start": 19, "end": 19, "text": " See [A](a.md)."}]},
            ),
        ],
    }
    # Comparing strings, not parsed objects, also checks key order and layout.
    assert render(make_report(), "json") == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


def test_json_edits_index_the_decoded_text() -> None:
    data = json.loads(render(make_report(), "json"))
    edits = [v["fix"]["edits"][0] for v in data["violations"] if v["path"] == "posts/a.md" and v["fix"]]
    assert [A_TEXT[e["start"] : e["end"]] for e in edits] == ["../b.md", "read\nmore"]


# --- github -----------------------------------------------------------------


def test_github() -> None:
    assert render(make_report(), "github") == (
        "::error file=notes/q&a%2C été.md,line=1,col=1,endLine=1,endColumn=1,"
        "title=linklint LL901 (unreadable-file)::not valid UTF-8: byte 0xff at offset 12\n"
        "::error file=posts/a.md,line=4,col=5,endLine=4,endColumn=30,"
        "title=linklint LL003 (broken-link)::link target `../b.md` does not exist"
        "%0ASuggestion: did you mean `../c.md`?%0AFix (safe): rewrite to `../c.md`\n"
        "::warning file=posts/a.md,line=5,col=9,endLine=5,endColumn=27,"
        "title=linklint LL004 (broken-anchor)::no heading `#概要` in `../jp.md`\n"
        "::warning file=posts/a.md,line=5,col=32,endLine=6,endColumn=15,"
        "title=linklint LL006 (generic-anchor-text)::link text “read more” is generic: say where it leads,"
        " e.g. 100%25 of%0Athe target's title%0ASuggestion: use the target's title:%0A“Caching, explained”"
        "%0AFix (unsafe): replace the link text with “Caching, explained”\n"
        "::warning file=posts/b.md,line=3,col=15,endLine=3,endColumn=15,"
        "title=linklint LL001 (min-internal-links)::links to 0 other pages, fewer than 1"
        "%0AFix (display-only): add a link to `posts/a.md`\n"
    )


def test_github_clean_report_prints_nothing() -> None:
    assert render(make_report([]), "github") == ""


def test_github_escaping_matches_the_actions_toolkit() -> None:
    # `%` is escaped first, so `%0A` in the input does not turn into a line break.
    assert escape_data("100% a:b, c\r\nd%0A") == "100%25 a:b, c%0D%0Ad%250A"
    assert escape_property("100% a:b, c\r\nd%0A") == "100%25 a%3Ab%2C c%0D%0Ad%250A"


# --- sarif ------------------------------------------------------------------


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    # The schema declares draft-04; pick the validator it asks for.
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def location(uri: str, start_line: int, start_column: int, end_line: int, end_column: int) -> list[dict]:
    return [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": start_line,
                    "startColumn": start_column,
                    "endLine": end_line,
                    "endColumn": end_column,
                },
            }
        }
    ]


def sarif_fix(title: str, applicability: str, offset: int, length: int, text: str) -> list[dict]:
    return [
        {
            "description": {"text": title},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "posts/a.md", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {"deletedRegion": {"charOffset": offset, "charLength": length}, "insertedContent": {"text": text}}
                    ],
                }
            ],
            "properties": {"applicability": applicability},
        }
    ]


SARIF_RESULTS = [
    {
        "ruleId": "LL901",
        "ruleIndex": 5,
        "level": "error",
        "message": {"text": "not valid UTF-8: byte 0xff at offset 12"},
        # Percent-encoded: a space or a non-ASCII letter is not allowed in a URI.
        "locations": location("notes/q&a,%20%C3%A9t%C3%A9.md", 1, 1, 1, 1),
        "partialFingerprints": {"linklint/v1": "5c2c8f7144b5d218eabdb8f424885e41:1"},
    },
    {
        "ruleId": "LL003",
        "ruleIndex": 1,
        "level": "error",
        "message": {
            "text": "link target `../b.md` does not exist\nSuggestion: did you mean `../c.md`?\n"
            "Fix (safe): rewrite to `../c.md`"
        },
        "locations": location("posts/a.md", 4, 5, 4, 30),
        "partialFingerprints": {"linklint/v1": "ed6b8b83fc045f910fa004f303cc0f71:1"},
        "fixes": sarif_fix("rewrite to `../c.md`", "safe", 41, 7, "../c.md"),
    },
    {
        "ruleId": "LL004",
        "ruleIndex": 2,
        "level": "warning",
        "message": {"text": "no heading `#概要` in `../jp.md`"},
        "locations": location("posts/a.md", 5, 9, 5, 27),
        "partialFingerprints": {"linklint/v1": "1e2a4fb318f47dd78d1df74b053f27f1:1"},
    },
    {
        "ruleId": "LL006",
        "ruleIndex": 3,
        "level": "warning",
        "message": {
            "text": "link text “read more” is generic: say where it leads, e.g. 100% of\nthe target's title\n"
            "Suggestion: use the target's title:\n“Caching, explained”\n"
            "Fix (unsafe): replace the link text with “Caching, explained”"
        },
        "locations": location("posts/a.md", 5, 32, 6, 15),
        "partialFingerprints": {"linklint/v1": "aad915da1f2106998dfef49920ae2bed:1"},
        "fixes": sarif_fix("replace the link text with “Caching, explained”", "unsafe", 92, 9, "Caching, explained"),
    },
    {
        "ruleId": "LL001",
        "ruleIndex": 0,
        "level": "warning",
        # The display-only fix is advice in the message, not a SARIF fix.
        "message": {"text": "links to 0 other pages, fewer than 1\nFix (display-only): add a link to `posts/a.md`"},
        "locations": location("posts/b.md", 3, 15, 3, 15),
        "partialFingerprints": {"linklint/v1": "5e49ac24f4c0ef238300419566657751:1"},
    },
]


def sarif_log(rules: list[dict], results: list[dict]) -> dict:
    return {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "linklint", "version": "0.1.0", "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def test_sarif_with_the_rules_that_ran() -> None:
    out = render(make_report(), "sarif", rules=RULES)
    expected = sarif_log(
        [
            {"id": "LL001", "name": "min-internal-links", "shortDescription": {"text": "A post links to too few other pages."}},
            {
                "id": "LL003",
                "name": "broken-link",
                "shortDescription": {"text": "An internal link leads to nothing."},
                "helpUri": "https://example.org/rules/LL003.html",
            },
            {"id": "LL004", "name": "broken-anchor", "shortDescription": {"text": "A link's #fragment names no heading."}},
            {
                "id": "LL006",
                "name": "generic-anchor-text",
                "shortDescription": {"text": "Link text says nothing about the target."},
            },
            {"id": "LL007", "name": "orphan-page", "shortDescription": {"text": "No page links to this one."}},
            # Not among the rules given, yet reported: listed so its ruleIndex is valid.
            {"id": "LL901", "name": "unreadable-file"},
        ],
        SARIF_RESULTS,
    )
    assert out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    sarif_validator().validate(json.loads(out))


def test_sarif_without_rules_lists_the_codes_seen() -> None:
    out = json.loads(render(make_report(), "sarif"))
    assert out["runs"][0]["tool"]["driver"]["rules"] == [
        {"id": "LL001", "name": "min-internal-links"},
        {"id": "LL003", "name": "broken-link"},
        {"id": "LL004", "name": "broken-anchor"},
        {"id": "LL006", "name": "generic-anchor-text"},
        {"id": "LL901", "name": "unreadable-file"},
    ]
    assert [r["ruleIndex"] for r in out["runs"][0]["results"]] == [4, 1, 2, 3, 0]
    sarif_validator().validate(out)


def test_sarif_clean_report() -> None:
    out = render(make_report([]), "sarif", rules={"LL007": RULES["LL007"]})
    expected = sarif_log(
        [{"id": "LL007", "name": "orphan-page", "shortDescription": {"text": "No page links to this one."}}], []
    )
    assert out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    sarif_validator().validate(json.loads(out))


def test_sarif_validation_catches_a_broken_log() -> None:
    out = json.loads(render(make_report(), "sarif"))
    out["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator().validate(out)


def fingerprints(text: str, found: list[Violation]) -> list[str]:
    out = json.loads(render(make_report(found, texts={"posts/a.md": text}), "sarif"))
    return [r["partialFingerprints"]["linklint/v1"] for r in out["runs"][0]["results"]]


def test_sarif_fingerprint_survives_a_line_shift_but_not_an_edit_of_the_line() -> None:
    before = "[x](gone.md)\n"
    after = "# New heading\n\n  [x](gone.md)\n"
    edited = "[y](gone.md)\n"
    at = {t: [one_violation(span=span_of(t, "(gone.md)"))] for t in (before, after, edited)}
    assert fingerprints(before, at[before]) == fingerprints(after, at[after])
    assert fingerprints(before, at[before]) != fingerprints(edited, at[edited])


def test_sarif_fingerprints_number_identical_violations() -> None:
    text = "[x](gone.md)\n[x](gone.md)\n"
    found = [one_violation(span=LineIndex(text).span(0, 12)), one_violation(span=LineIndex(text).span(13, 25))]
    first, second = fingerprints(text, found)
    assert first.endswith(":1") and second == first[:-1] + "2"


# --- junit ------------------------------------------------------------------

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="linklint" tests="5" failures="5" errors="0">
  <testsuite name="linklint" tests="5" failures="5" errors="0" skipped="0">
    <testcase classname="notes/q&amp;a, été.md" name="LL901 unreadable-file at 1:1" file="notes/q&amp;a, été.md" line="1">
      <failure message="LL901: not valid UTF-8: byte 0xff at offset 12" type="LL901">notes/q&amp;a, été.md:1:1</failure>
    </testcase>
    <testcase classname="posts/a.md" name="LL003 broken-link at 4:5" file="posts/a.md" line="4">
      <failure message="LL003: link target `../b.md` does not exist" type="LL003">posts/a.md:4:5
suggestion: did you mean `../c.md`?
fix (safe): rewrite to `../c.md`</failure>
    </testcase>
    <testcase classname="posts/a.md" name="LL004 broken-anchor at 5:9" file="posts/a.md" line="5">
      <failure message="LL004: no heading `#概要` in `../jp.md`" type="LL004">posts/a.md:5:9</failure>
    </testcase>
    <testcase classname="posts/a.md" name="LL006 generic-anchor-text at 5:32" file="posts/a.md" line="5">
      <failure message="LL006: link text “read more” is generic: say where it leads, e.g. 100% of the target's title" type="LL006">posts/a.md:5:32
suggestion: use the target's title:
“Caching, explained”
fix (unsafe): replace the link text with “Caching, explained”</failure>
    </testcase>
    <testcase classname="posts/b.md" name="LL001 min-internal-links at 3:15" file="posts/b.md" line="3">
      <failure message="LL001: links to 0 other pages, fewer than 1" type="LL001">posts/b.md:3:15
fix (display-only): add a link to `posts/a.md`</failure>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_junit() -> None:
    out = render(make_report(), "junit")
    assert out == JUNIT
    suite = ET.fromstring(out.encode("utf-8")).find("testsuite")
    assert suite is not None
    assert [case.get("classname") for case in suite] == [ODD_PATH, "posts/a.md", "posts/a.md", "posts/a.md", "posts/b.md"]


def test_junit_clean_report_is_one_passing_case() -> None:
    assert render(make_report([]), "junit") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="linklint" tests="1" failures="0" errors="0">\n'
        '  <testsuite name="linklint" tests="1" failures="0" errors="0" skipped="0">\n'
        '    <testcase classname="linklint" name="linklint" />\n'
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_junit_replaces_characters_xml_cannot_carry() -> None:
    out = render(make_report([one_violation(message='a <b> & "c"\x0c\x00')]), "junit")
    failure = ET.fromstring(out.encode("utf-8")).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'LL003: a <b> & "c"\N{REPLACEMENT CHARACTER}\N{REPLACEMENT CHARACTER}'
    assert '<failure message="LL003: a &lt;b&gt; &amp; &quot;c&quot;\N{REPLACEMENT CHARACTER}\N{REPLACEMENT CHARACTER}"' in out


# -- the indenting JSON writer ------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_indented_json_writes_what_the_standard_encoder_writes(value) -> None:
    from linklint.output import indented_json

    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def test_indented_json_on_the_values_a_report_holds() -> None:
    from linklint.output import indented_json

    value = {
        "severity": Severity.ERROR,  # a str enum: written as its value
        "empty": [],
        "nothing": {},
        "text": 'tab\t, quote ", backslash \\, control \x01, line\nbreak, é, 😀, \u2028',
        "nested": [{"a": [1, -2, True, None]}, [], [[{}]]],
    }
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(("fmt", "color"), [("text", False), ("text", True), ("github", False), ("json", False)])
def test_prerendered_texts_are_used_for_their_own_violations_only(fmt: str, color: bool) -> None:
    found = violations()
    report = make_report(found)
    plain = render(report, fmt, color=color)
    made = Prerendered(fmt, color)
    make = made.maker()
    sources = SourceLines(report.texts)
    for v in found:
        made.add(v, make(v, sources))
    assert render(report, fmt, color=color, prerendered=made) == plain
    assert render_printout(report, fmt, color=color, prerendered=made) == plain.encode()
    # A stand-in text shows where a prerendered text is used: for the object
    # it was made for, not for an equal one (a report narrowed later).
    made.add(found[1], b"STAND-IN")
    used = render(report, fmt, color=color, prerendered=made)
    assert used.replace("STAND-IN", make(found[1], sources).decode(), 1) == plain and "STAND-IN" in used
    assert render_printout(report, fmt, color=color, prerendered=made) == used.encode()
    copies = [dataclasses.replace(v) for v in found]
    assert copies == found
    assert render(make_report(copies), fmt, color=color, prerendered=made) == plain
    assert render_printout(make_report(copies), fmt, color=color, prerendered=made) == plain.encode()
    # Texts made for another format or colour are not used.
    for other in (Prerendered(fmt, not color), Prerendered("concise" if fmt == "text" else "text", color)):
        other.add(found[1], b"STAND-IN")
        assert render(report, fmt, color=color, prerendered=other) == plain
        assert render_printout(report, fmt, color=color, prerendered=other) == plain.encode()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("color", [False, True])
def test_the_printout_is_the_report_as_utf8_bytes(fmt: str, color: bool) -> None:
    """``render_printout`` gives ``render``'s text as UTF-8, with and without
    texts made ahead (as bytes), a file name that was not UTF-8 (a surrogate)
    written as its own byte, and an empty report as well."""
    found = [*violations(), one_violation(path="posts/caf\udce9.md", message="“naïve” \udcff.md")]
    report = make_report(found, texts={"posts/a.md": A_TEXT, "posts/b.md": B_TEXT, "posts/caf\udce9.md": "# Café\n"})
    expected = render(report, fmt, color=color, rules=RULES).encode("utf-8", "surrogateescape")
    # The name's own byte; JSON escapes its surrogate, SARIF names files by
    # URI, and XML (JUnit) cannot hold the byte: the replacement character.
    name = {"json": b"caf\\udce9.md", "sarif": b"caf%E9.md", "junit": "caf\ufffd.md".encode()}.get(fmt, b"caf\xe9.md")
    assert name in expected
    assert "“naïve”".encode() in expected
    assert render_printout(report, fmt, color=color, rules=RULES) == expected
    if Prerendered.wanted(fmt):
        made = Prerendered(fmt, color)
        make = made.maker()
        sources = SourceLines(report.texts)
        for v in found:
            text = make(v, sources)
            assert type(text) is bytes and text == made._text_maker()(v, sources).encode("utf-8", "surrogateescape")
            made.add(v, text)
        assert render_printout(report, fmt, color=color, rules=RULES, prerendered=made) == expected
    empty = make_report([])
    assert render_printout(empty, fmt, color=color, rules=RULES) == render(empty, fmt, color=color, rules=RULES).encode()
    if fmt in ("json", "sarif"):
        expected.decode("utf-8")  # a JSON document is UTF-8 throughout
        assert "“naïve” \udcff.md" in json.dumps(json.loads(expected), ensure_ascii=False)  # the message back


def test_only_formats_of_texts_per_violation_are_prerendered() -> None:
    assert [fmt for fmt in FORMATS if Prerendered.wanted(fmt)] == ["text", "json", "github"]
    with pytest.raises(ValueError):
        Prerendered("sarif", False).maker()


def test_source_lines_are_the_line_index_lines() -> None:
    """Lines split once per file, as ``LineIndex`` numbers them and gives
    their text (``\\r\\n``, ``\\r``, ``\\n``; other separators stay in the line)."""
    import random

    rng = random.Random(7)
    pieces = ["a", "b c", "\n", "\r", "\r\n", "\u2028", "\t", "é", ""]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        index = LineIndex(text)
        sources = SourceLines({"a.md": text})
        expected = [index.line_text(n) for n in range(1, index.line_count + 1)]
        assert [sources.line("a.md", n) for n in range(0, index.line_count + 2)] == [None, *expected, None]
    assert SourceLines({}).line("missing.md", 1) is None
    # Files asked for in turn: each answer is its own file's line.
    texts = {"a.md": "a1\na2\n", "b.md": "b1\r\nb2", "c.md": ""}
    sources = SourceLines(texts)
    asked = [("a.md", 2), ("b.md", 1), ("a.md", 1), ("missing.md", 1), ("a.md", 2), ("c.md", 1), ("b.md", 2), ("b.md", 3)]
    assert [sources.line(path, n) for path, n in asked] == ["a2", "b1", "a1", None, "a2", "", "b2", None]
