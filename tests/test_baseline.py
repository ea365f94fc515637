"""Baselines: record today's problems, report only new ones, say which entries are fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linklint import __version__
from linklint.baseline import Baseline, BaselineError, Entry, apply, entries, load, stale_message, write
from linklint.cli import main
from linklint.model import Severity, Span, Violation
from linklint.output.sarif import sarif_log
from linklint.report import Report
from tests.site_helpers import write_files


def broken(path: str, line: int, column: int, target: str) -> Violation:
    span = Span(0, 0, line, column, line, column + 10)
    message = f"link target `{target}` does not exist"
    return Violation("LL003", "broken-link", Severity.ERROR, path, span, message, target)


def report(violations: list[Violation], texts: dict[str, str]) -> Report:
    return Report(__version__, ".", "plain", len(texts), sorted(violations, key=Violation.sort_key), texts)


TEXT = "# A\n\n[x](gone.md)\n\n[x](gone.md)\n"


def test_identical_findings_on_identical_lines_get_their_rank() -> None:
    found = entries([broken("a.md", 3, 1, "gone.md"), broken("a.md", 5, 1, "gone.md")], {"a.md": TEXT})
    first, second = (e.fingerprint for e in found)
    assert first.split(":")[0] == second.split(":")[0]
    assert (first.split(":")[1], second.split(":")[1]) == ("1", "2")
    assert [(e.code, e.path, e.line) for e in found] == [("LL003", "a.md", 3), ("LL003", "a.md", 5)]


def test_fingerprints_are_those_of_the_sarif_output() -> None:
    rep = report([broken("a.md", 3, 1, "gone.md"), broken("a.md", 5, 1, "gone.md")], {"a.md": TEXT})
    sarif = sarif_log(rep)["runs"][0]["results"]
    assert [r["partialFingerprints"]["linklint/v1"] for r in sarif] == [
        e.fingerprint for e in entries(rep.violations, rep.texts)
    ]


def test_shifted_lines_keep_their_fingerprint_and_edited_lines_do_not() -> None:
    before = entries([broken("a.md", 3, 1, "gone.md")], {"a.md": TEXT})
    shifted = "# A\n\nA new paragraph.\n\n  [x](gone.md)\n"
    after = entries([broken("a.md", 5, 3, "gone.md")], {"a.md": shifted})
    edited = "# A\n\n[y](gone.md)\n"
    changed = entries([broken("a.md", 3, 1, "gone.md")], {"a.md": edited})
    assert after[0].fingerprint == before[0].fingerprint
    assert changed[0].fingerprint != before[0].fingerprint


def test_write_and_load_round_trip(tmp_path: Path) -> None:
    rep = report([broken("b.md", 1, 1, "x.md"), broken("a.md", 3, 1, "gone.md")], {"a.md": TEXT, "b.md": "[x](x.md)\n"})
    path = tmp_path / "baseline.json"
    assert write(path, rep) == 2
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["tool"] == "linklint"
    assert [(v["code"], v["path"], v["line"], v["message"]) for v in data["violations"]] == [
        ("LL003", "a.md", 3, "link target `gone.md` does not exist"),
        ("LL003", "b.md", 1, "link target `x.md` does not exist"),
    ]
    assert load(path) == Baseline(tuple(Entry(**v) for v in data["violations"]))


def test_apply_keeps_new_findings_and_counts_stale_entries() -> None:
    old = report([broken("a.md", 3, 1, "gone.md"), broken("a.md", 5, 1, "gone.md")], {"a.md": TEXT})
    baseline = Baseline(tuple(entries(old.violations, old.texts)))
    # One of the two old links was fixed, a new one appeared.
    text = "# A\n\n[x](gone.md)\n\n[y](new.md)\n"
    new = report([broken("a.md", 3, 1, "gone.md"), broken("a.md", 5, 1, "new.md")], {"a.md": text})

    outcome = apply(new, baseline)

    assert [v.target for v in outcome.report.violations] == ["new.md"]
    assert [e.line for e in outcome.stale] == [5]
    assert outcome.report.texts == {"a.md": text}


def test_entries_out_of_scope_are_not_stale() -> None:
    old = report([broken("a.md", 3, 1, "gone.md")], {"a.md": TEXT})
    baseline = Baseline(tuple(entries(old.violations, old.texts)))
    outcome = apply(report([], {}), baseline, lambda code, path: path != "a.md")
    assert outcome.stale == ()


def test_stale_message() -> None:
    assert stale_message(1) == "1 baseline entry is fixed; run --write-baseline to shrink it"
    assert stale_message(3) == "3 baseline entries are fixed; run --write-baseline to shrink it"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline `{path}` does not exist; create it with --write-baseline"),
        ("{", "baseline `{path}` is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ('{"version": 9, "violations": []}', "`{path}` is not a linklint baseline (version 1)"),
        ('{"version": 1, "violations": [{"code": "LL003"}]}', "baseline `{path}` has a malformed entry: 'path'"),
    ],
)
def test_unreadable_baselines(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        load(path)
    assert str(caught.value) == message.format(path=path)


# -- linklint check --write-baseline / --baseline ---------------------------------

SITE = {
    ".linklint.yaml": "rules:\n  all: off\n  broken-link: error\n  broken-anchor: warning\n",
    "a.md": "# A\n\n[the b page](b.md) and [gone](gone.md).\n\n[gone](gone.md)\n",
    "b.md": "# B\n\n[a's intro](a.md#intro) [old](old.md)\n",
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    write_files(tmp_path, SITE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_adopting_a_baseline_on_a_site_with_old_problems(site: Path, capsys) -> None:
    assert main(["check", "--write-baseline", "baseline.json"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "linklint: recorded 4 problems in baseline.json\n"
    recorded = json.loads((site / "baseline.json").read_text(encoding="utf-8"))["violations"]
    assert [(v["code"], v["path"], v["line"]) for v in recorded] == [
        ("LL003", "a.md", 3),
        ("LL003", "a.md", 5),
        ("LL004", "b.md", 3),
        ("LL003", "b.md", 3),
    ]

    # Nothing new: a clean run, even though the old problems are still there.
    assert main(["check", "--baseline", "baseline.json", "--format", "concise"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == "No problems found in 2 files."
    assert captured.err == ""


def test_shifted_lines_stay_known_and_new_problems_are_reported(site: Path, capsys) -> None:
    assert main(["check", "--write-baseline", "baseline.json"]) == 0
    (site / "a.md").write_text(
        "# A\n\nAn introduction.\n\n[the b page](b.md) and [gone](gone.md).\n\n[gone](gone.md) [new](new.md)\n",
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["check", "--baseline", "baseline.json", "--format", "concise"]) == 1

    captured = capsys.readouterr()
    # The edited line 7 holds an old problem and a new one: both are reported,
    # because a touched line is looked at again.
    assert captured.out.splitlines()[:-1] == [
        "a.md:7:1: LL003 link target `gone.md` does not exist",
        "a.md:7:17: LL003 link target `new.md` does not exist",
    ]
    assert captured.err == "linklint: 1 baseline entry is fixed; run --write-baseline to shrink it\n"


def test_fixed_entries_are_stale_and_do_not_fail_the_run(site: Path, capsys) -> None:
    assert main(["check", "--write-baseline", "baseline.json"]) == 0
    (site / "a.md").write_text("# A\n\n[the b page](b.md).\n", encoding="utf-8")
    (site / "b.md").write_text("# B\n\n[page a](a.md)\n", encoding="utf-8")
    capsys.readouterr()

    assert main(["check", "--baseline", "baseline.json", "--format", "concise"]) == 0

    assert capsys.readouterr().err == "linklint: 4 baseline entries are fixed; run --write-baseline to shrink it\n"


def test_select_and_paths_limit_what_can_be_stale(site: Path, capsys) -> None:
    assert main(["check", "--write-baseline", "baseline.json"]) == 0
    capsys.readouterr()
    assert main(["check", "--baseline", "baseline.json", "--select", "LL004", "b.md"]) == 0
    assert capsys.readouterr().err == ""


def test_baseline_errors_exit_2(site: Path, capsys) -> None:
    assert main(["check", "--baseline", "missing.json"]) == 2
    assert capsys.readouterr().err == (
        "linklint: error: baseline `missing.json` does not exist; create it with --write-baseline\n"
    )
    assert main(["check", "--baseline", "b.json", "--write-baseline", "b.json"]) == 2
    assert capsys.readouterr().err == (
        "linklint: error: --write-baseline records the whole site; "
        "use it without --baseline, --changed-since and --staged\n"
    )
