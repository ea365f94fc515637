"""Rule case files: ``tests/cases/LLxxx.yaml``.

Each case is a tiny multi-file site and the exact violations expected::

    cases:
      - name: a link to a missing post
        files:
          a.md: "See [b](b.md).\\n"
        violations:
          - [LL003, a.md, 1, 5]                 # code, path, line, column
          - {code: LL003, path: a.md, line: 1, column: 5,
             message: "…", suggestions: ["…"]}  # the long form checks more

Only the file's own rule is reported unless a case says ``select: [...]``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.site_helpers import run_site

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases():
    for case_file in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(case_file.stem, case, id=f"{case_file.stem}: {case['name']}")


def _expected(entry) -> dict:
    if isinstance(entry, list):
        code, path, line, column = entry
        return {"code": code, "path": path, "line": line, "column": column}
    return dict(entry)


def _actual(violation, keys) -> dict:
    full = {
        "code": violation.code,
        "path": violation.path,
        "line": violation.span.line,
        "column": violation.span.column,
        "end_line": violation.span.end_line,
        "end_column": violation.span.end_column,
        "message": violation.message,
        "suggestions": list(violation.suggestions),
        "severity": violation.severity.value,
    }
    return {k: full[k] for k in keys}


@pytest.mark.parametrize(("code", "case"), list(_load_cases()))
def test_rule_case(tmp_path: Path, code: str, case: dict) -> None:
    files = dict(case["files"])
    if "config" in case:
        files[".linklint.yaml"] = yaml.safe_dump(case["config"], sort_keys=False)
    run = run_site(tmp_path, files, select=case.get("select", [code]))
    expected = [_expected(e) for e in case.get("violations", [])]
    actual = [
        _actual(v, expected[i].keys() if i < len(expected) else ("code", "path", "line", "column"))
        for i, v in enumerate(run.report.violations)
    ]
    assert actual == expected
