"""The example blog that `make demo` checks: exactly the findings it documents
in examples/EXPECTED.md, no more (no false positives), no fewer."""

from __future__ import annotations

import re
from pathlib import Path

from linklint.cli import main

EXAMPLES = Path(__file__).parents[1] / "examples"


def documented() -> list[tuple[str, str, int, int]]:
    rows = re.findall(
        r"^\| (LL\d{3}) \| (?:error|warning) \| `([^`]+)` \| (\d+) \| (\d+) \|",
        (EXAMPLES / "EXPECTED.md").read_text(encoding="utf-8"),
        re.M,
    )
    return [(code, path, int(line), int(col)) for code, path, line, col in rows]


def test_demo_reports_exactly_the_documented_findings(monkeypatch, capsys) -> None:
    monkeypatch.chdir(EXAMPLES)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--format", "concise"]) == 1
    out = capsys.readouterr().out.splitlines()
    found = []
    for line in out[:-1]:
        path, line_no, col, rest = line.split(":", 3)
        found.append((rest.split()[0], path, int(line_no), int(col)))
    expected = documented()
    assert len(expected) == 15
    assert sorted(found, key=lambda f: (f[1], f[2], f[3], f[0])) == sorted(
        expected, key=lambda f: (f[1], f[2], f[3], f[0])
    )
    assert out[-1] == (
        "Found 3 errors and 12 warnings in 15 of 33 files "
        "(2 fixable with `linklint fix`, 1 more with `linklint fix --unsafe-fixes`)."
    )
