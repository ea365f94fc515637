"""The GitHub Action: action.yml, and `python -m linklint.action` run the way the
runner runs it (environment variables, files for the summary and the outputs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from linklint.action import main, output_lines
from tests.site_helpers import git_init, write_files

ROOT = Path(__file__).parents[1]

SITE = {
    ".linklint.yaml": "rules:\n  all: off\n  broken-link: error\n  broken-anchor: warning\n",
    "index.md": "# Intro\n\nSee [the guide](posts/guid.md) and [setup](posts/setup.md#instal).\n",
    "posts/guide.md": "# Guide\n\n[Set up first](setup.md)\n",
    "posts/setup.md": "# Setup\n\n## Install\n\n[home](../index.md) [x|y](../nope.md)\n",
}

ANNOTATIONS = [
    "::error file=index.md,line=3,col=5,endLine=3,endColumn=31,title=linklint LL003 (broken-link)::"
    "link target `posts/guid.md` does not exist%0ASuggestion: did you mean `posts/guide.md`?"
    "%0AFix (unsafe): point the link to `posts/guide.md` (the closest existing name)",
    "::warning file=index.md,line=3,col=36,endLine=3,endColumn=66,title=linklint LL004 (broken-anchor)::"
    "`#instal` matches no heading or anchor in `posts/setup.md`%0ASuggestion: did you mean `#install`?"
    "%0AFix (unsafe): change `#instal` to `#install` (the closest id)",
    "::error file=posts/setup.md,line=5,col=21,endLine=5,endColumn=38,title=linklint LL003 (broken-link)::"
    "link target `../nope.md` does not exist%0ASuggestion: did you mean `../index.md`?",
]

SUMMARY = """\
## linklint

**2 errors** and **1 warning** in 2 of 3 pages (checked the whole site).

| Rule | Errors | Warnings |
|:--|--:|--:|
| LL003 broken-link | 2 | 0 |
| LL004 broken-anchor | 0 | 1 |

### Pages with the most problems

| Page | Errors | Warnings |
|:--|--:|--:|
| `index.md` | 1 | 1 |
| `posts/setup.md` | 1 | 0 |

### Suggestions

- `index.md:3` LL003: link target `posts/guid.md` does not exist — did you mean `posts/guide.md`?
- `posts/setup.md:5` LL003: link target `../nope.md` does not exist — did you mean `../index.md`?
- `index.md:3` LL004: `#instal` matches no heading or anchor in `posts/setup.md` — did you mean `#install`?
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    site = tmp_path / "workspace"
    site.mkdir()
    git_init(site)
    write_files(site, SITE)
    commit(site, "the site")
    return site


def runner_env(workspace: Path, event_name: str = "push", event: dict | None = None, **inputs: str) -> dict[str, str]:
    """What the runner and action.yml put in the step's environment."""
    files = workspace.parent
    (files / "event.json").write_text(json.dumps(event or {}), encoding="utf-8")
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(files / "event.json"),
        "GITHUB_STEP_SUMMARY": str(files / "summary.md"),
        "GITHUB_OUTPUT": str(files / "output.txt"),
        "LINKLINT_PATHS": "",
        "LINKLINT_CONFIG": "",
        "LINKLINT_CHANGED_ONLY": "auto",
        "LINKLINT_FAIL_ON": "error",
        "LINKLINT_SARIF": "",
        "LINKLINT_BASELINE": "",
        "LINKLINT_SUGGESTIONS_IN_SUMMARY": "true",
    }
    env.update({f"LINKLINT_{name.upper()}": value for name, value in inputs.items()})
    return env


def written(env: dict[str, str], name: str) -> str:
    path = Path(env[name])
    return path.read_text(encoding="utf-8") if path.exists() else ""


def annotations(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("::")]


def test_whole_site_annotations_summary_and_outputs(workspace: Path, capsys) -> None:
    env = runner_env(workspace)

    assert main(env) == 1

    out = capsys.readouterr().out
    assert annotations(out) == ANNOTATIONS
    assert out.splitlines()[-1] == "linklint: 2 errors, 1 warning in 3 pages (checked the whole site)"
    assert written(env, "GITHUB_STEP_SUMMARY") == SUMMARY
    assert written(env, "GITHUB_OUTPUT") == (
        "errors=2\n"
        "warnings=1\n"
        "files<<LINKLINT_EOF\nindex.md\nposts/setup.md\nLINKLINT_EOF\n"
        "sarif-file=\n"
    )


@pytest.mark.parametrize("shadowing", [False, True])
def test_the_module_runs_as_the_action_step_does(workspace: Path, shadowing: bool) -> None:
    env = {**os.environ, **runner_env(workspace), "PYTHONPATH": str(ROOT)}
    if shadowing:
        # `-m` puts the workspace first on sys.path: the repository's own
        # packages must not stand in for linklint's dependencies.
        for package in ("spacy", "markdown_it", "numpy"):
            write_files(workspace, {f"{package}/__init__.py": "raise SystemExit('the repository was imported')\n"})

    done = subprocess.run(
        [sys.executable, "-m", "linklint.action"], cwd=workspace, env=env, capture_output=True, text=True
    )

    assert done.returncode == 1, done.stderr
    assert annotations(done.stdout) == ANNOTATIONS


def test_pull_request_reports_only_what_it_changed_or_broke(workspace: Path, capsys) -> None:
    base = git(workspace, "rev-parse", "HEAD")
    git(workspace, "switch", "-q", "-c", "pr")
    git(workspace, "mv", "posts/guide.md", "posts/handbook.md")
    commit(workspace, "rename the guide")
    write_files(workspace, {"posts/new.md": "# New\n\n[Set up](setup.md#install) [old](old.md)\n"})
    commit(workspace, "a new post")
    env = runner_env(workspace, "pull_request", {"pull_request": {"base": {"sha": base, "ref": "main"}}})

    assert main(env) == 1

    assert annotations(capsys.readouterr().out) == [
        "::error file=posts/new.md,line=3,col=28,endLine=3,endColumn=41,title=linklint LL003 (broken-link)::"
        "link target `old.md` does not exist",
    ]
    summary = written(env, "GITHUB_STEP_SUMMARY")
    assert summary.splitlines()[2] == (
        f"**1 error** and **0 warnings** in 1 of 4 pages "
        f"(checked the files changed since `{base[:7]}` and the links they broke)."
    )


def test_a_pull_request_that_renames_a_page_is_answerable_for_its_inbound_links(
    workspace: Path, capsys
) -> None:
    write_files(workspace, {"index.md": "# Intro\n\nSee [the guide](posts/guide.md).\n"})
    base = commit(workspace, "fix the intro")
    git(workspace, "switch", "-q", "-c", "pr")
    git(workspace, "mv", "posts/guide.md", "posts/handbook.md")
    commit(workspace, "rename the guide")
    env = runner_env(workspace, "pull_request", {"pull_request": {"base": {"sha": base}}})

    assert main(env) == 1

    # (The suggestions that follow the message are the rule's business.)
    assert [a.split("%0A")[0] for a in annotations(capsys.readouterr().out)] == [
        "::error file=index.md,line=3,col=5,endLine=3,endColumn=32,title=linklint LL003 (broken-link)::"
        "link target `posts/guide.md` does not exist",
    ]


def test_a_base_commit_missing_from_a_shallow_clone(workspace: Path, capsys) -> None:
    env = runner_env(workspace, "pull_request", {"pull_request": {"base": {"sha": "0123456789" * 4}}})

    assert main(env) == 2

    assert capsys.readouterr().out == (
        "::error title=linklint::changed-only: unknown revision `0123456789012345678901234567890123456789` "
        "(a shallow clone may lack it: fetch more history). "
        "Check out with `fetch-depth: 0` (actions/checkout) so the base commit is there.\n"
    )
    assert written(env, "GITHUB_STEP_SUMMARY").startswith("## linklint\n\nlinklint could not run: changed-only:")


def test_fail_on_warning(workspace: Path, capsys) -> None:
    write_files(workspace, {"index.md": "# Intro\n\n[setup](posts/setup.md#instal)\n", "posts/setup.md": "# Setup\n"})
    assert main(runner_env(workspace)) == 0
    assert main(runner_env(workspace, fail_on="warning")) == 1


def test_paths_and_no_suggestions(workspace: Path, capsys) -> None:
    env = runner_env(workspace, paths="posts", suggestions_in_summary="false")

    assert main(env) == 1

    assert annotations(capsys.readouterr().out) == ANNOTATIONS[2:]
    summary = written(env, "GITHUB_STEP_SUMMARY")
    assert "### Suggestions" not in summary
    assert summary.endswith("| `posts/setup.md` | 1 | 0 |\n")


def test_a_clean_site(workspace: Path, capsys) -> None:
    write_files(
        workspace,
        {
            "index.md": "# Intro\n\nSee [the guide](posts/guide.md).\n",
            "posts/setup.md": "# Setup\n\n## Install\n\n[home](../index.md)\n",
        },
    )
    env = runner_env(workspace)

    assert main(env) == 0

    assert annotations(capsys.readouterr().out) == []
    assert written(env, "GITHUB_STEP_SUMMARY") == "## linklint\n\nNo problems in 3 pages (checked the whole site).\n"
    assert written(env, "GITHUB_OUTPUT") == "errors=0\nwarnings=0\nfiles=\nsarif-file=\n"


def test_sarif_file_validates(workspace: Path, capsys) -> None:
    env = runner_env(workspace, sarif="reports/linklint.sarif")

    assert main(env) == 1

    sarif = json.loads((workspace / "reports/linklint.sarif").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("LL003", "index.md"),
        ("LL004", "index.md"),
        ("LL003", "posts/setup.md"),
    ]
    assert written(env, "GITHUB_OUTPUT").endswith("sarif-file=reports/linklint.sarif\n")


def test_a_baseline_hides_old_problems(workspace: Path, capsys, monkeypatch) -> None:
    from linklint.cli import main as cli_main

    monkeypatch.chdir(workspace)
    assert cli_main(["check", "--write-baseline", "baseline.json"]) == 0
    write_files(workspace, {"posts/guide.md": "# Guide\n\n[Set up first](set-up.md)\n"})
    capsys.readouterr()
    env = runner_env(workspace, baseline="baseline.json")

    assert main(env) == 1

    assert annotations(capsys.readouterr().out) == [
        "::error file=posts/guide.md,line=3,col=1,endLine=3,endColumn=26,title=linklint LL003 (broken-link)::"
        "link target `set-up.md` does not exist%0ASuggestion: did you mean `setup.md`?"
        "%0AFix (unsafe): point the link to `setup.md` (the closest existing name)",
    ]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"fail_on": "never"}, "input `fail-on` must be `error` or `warning`, not `never`"),
        ({"changed_only": "maybe"}, "input `changed-only` must be `true` or `false`, not `maybe`"),
        ({"paths": "missing.md"}, "input `paths`: `missing.md` does not exist"),
        ({"config": "nope.yaml"}, "input `config`: `nope.yaml` is not a file"),
    ],
)
def test_bad_inputs_exit_2(workspace: Path, capsys, inputs: dict[str, str], message: str) -> None:
    assert main(runner_env(workspace, **inputs)) == 2
    assert capsys.readouterr().out == f"::error title=linklint::{message}\n"


def test_multiline_outputs_use_a_delimiter_not_in_the_value() -> None:
    assert output_lines("errors", "3") == "errors=3\n"
    assert output_lines("files", "a.md\nb.md") == "files<<LINKLINT_EOF\na.md\nb.md\nLINKLINT_EOF\n"
    assert output_lines("files", "LINKLINT_EOF\nb.md") == (
        "files<<LINKLINT_EOF_\nLINKLINT_EOF\nb.md\nLINKLINT_EOF_\n"
    )


# -- action.yml ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_inputs_reach_the_script_only_through_env(action: dict) -> None:
    steps = action["runs"]["steps"]
    env_values = [str(v) for step in steps for v in (step.get("env") or {}).values()]
    for name in action["inputs"]:
        assert f"${{{{ inputs.{name} }}}}" in env_values, name
    for step in steps:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_the_steps(action: dict) -> None:
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {
        "paths", "config", "changed-only", "fail-on", "sarif", "baseline", "suggestions-in-summary"
    }
    assert action["inputs"]["changed-only"]["default"] == "auto"
    assert action["inputs"]["fail-on"]["default"] == "error"
    assert action["inputs"]["suggestions-in-summary"]["default"] == "true"
    steps = {step["name"]: step for step in action["runs"]["steps"]}
    assert list(steps) == ["Set up Python", "Install linklint", "Check links", "Upload SARIF"]
    assert steps["Set up Python"]["uses"].startswith("actions/setup-python@")
    assert steps["Install linklint"]["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '-m pip install --disable-pip-version-check --quiet "$ACTION_PATH"' in steps["Install linklint"]["run"]
    assert steps["Check links"]["run"] == '"$LINKLINT_PYTHON" -P -m linklint.action'
    assert steps["Upload SARIF"]["uses"].startswith("github/codeql-action/upload-sarif@")
    assert steps["Upload SARIF"]["if"] == "${{ always() && inputs.sarif != '' }}"
    assert {name: o["value"] for name, o in action["outputs"].items()} == {
        name: f"${{{{ steps.linklint.outputs.{name} }}}}" for name in ("errors", "warnings", "files", "sarif-file")
    }
