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

Every case is also fixed, twice: once as ``linklint fix`` (safe fixes) and once
as ``linklint fix --unsafe-fixes``, each in a fresh copy of the site::

        fixed:                     # files after `linklint fix`, byte for byte
          a.md: "See [b](posts/b.md).\n"
        unsafe_fixed:              # after `--unsafe-fixes`; default: as `fixed`
          a.md: "…"
        refused: [LL002]           # fixes `--unsafe-fixes` must refuse (default: none)

A file not listed must come out unchanged (so a case without ``fixed`` is a
case nothing may touch). The fixed site must have nothing fixable left, and
fixing it again must change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from linklint.config import load_config
from linklint.engine import Selection, check
from linklint.fix import fix_site, write_changes
from linklint.model import Applicability
from linklint.rules import specs
from linklint.sites import PROFILE_NAMES
from tests.site_helpers import run_site, write_files

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


def _site_files(case: dict) -> dict:
    files = dict(case["files"])
    if "config" in case:
        files[".linklint.yaml"] = yaml.safe_dump(case["config"], sort_keys=False)
    return files


def _encoded(content) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "unsafe-fix"])
@pytest.mark.parametrize(("code", "case"), list(_load_cases()))
def test_rule_case_fix(tmp_path: Path, code: str, case: dict, unsafe: bool) -> None:
    files = _site_files(case)
    write_files(tmp_path, files)
    selection = Selection(case.get("select", [code]))
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    expected = case.get("fixed", {})
    if unsafe:
        expected = case.get("unsafe_fixed", expected)

    result = fix_site(tmp_path, config, selection=selection, unsafe=unsafe)
    assert write_changes(tmp_path, result) == []

    assert sorted(r.code for r in result.refused) == sorted(case.get("refused", []) if unsafe else [])
    for rel, content in files.items():
        want = _encoded(expected.get(rel, content))
        assert (tmp_path / rel).read_bytes() == want, rel
    assert set(expected) <= set(files)

    # Nothing fixable is left, apart from what was refused.
    refused = {(r.path, r.code, r.line) for r in result.refused}
    wanted = {Applicability.SAFE, Applicability.UNSAFE} if unsafe else {Applicability.SAFE}
    left = [
        v
        for v in check(tmp_path, config, selection=selection).report.violations
        if v.fix is not None and v.fix.applicability in wanted and (v.path, v.code, v.span.line) not in refused
    ]
    assert left == []

    # Fixing twice equals fixing once.
    again = fix_site(tmp_path, config, selection=selection, unsafe=unsafe)
    assert again.files == {}
