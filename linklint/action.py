"""The GitHub Action: ``python -m linklint.action``, run by ``action.yml``.

Its inputs arrive as environment variables (``action.yml`` maps each input to one;
an input is never pasted into a shell command, so a value cannot inject one):

=============================  =====================================================
``LINKLINT_PATHS``             files or folders to report, separated by spaces or new
                               lines (shell-style quotes for names with spaces); empty:
                               the whole site
``LINKLINT_CONFIG``            a config file; empty: the closest one
``LINKLINT_CHANGED_ONLY``      ``true``, ``false`` or ``auto`` (true on pull requests):
                               report only what the change touched or broke
``LINKLINT_FAIL_ON``           ``error`` or ``warning``
``LINKLINT_SARIF``             write a SARIF file here (relative to the workspace)
``LINKLINT_BASELINE``          report only problems not recorded in this baseline
``LINKLINT_SUGGESTIONS_IN_SUMMARY``  list suggestions in the job summary
=============================  =====================================================

It prints workflow annotations, writes the job summary (``$GITHUB_STEP_SUMMARY``)
and the step outputs (``$GITHUB_OUTPUT``: ``errors``, ``warnings``, ``files`` — the
files with problems, one per line — and ``sarif-file``), and exits 1 when problems
at or above ``fail-on`` remain, 2 when it could not run.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from linklint.model import Severity, Violation
from linklint.report import Report

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
TOP_PAGES = 10
TOP_SUGGESTIONS = 10


class ActionError(Exception):
    """The action cannot run as configured; the message says what to change."""


@dataclass(frozen=True)
class Inputs:
    paths: tuple[str, ...] = ()
    config: str = ""
    changed_only: bool = False
    fail_on: str = "error"
    sarif: str = ""
    baseline: str = ""
    suggestions_in_summary: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        fail_on = env.get("LINKLINT_FAIL_ON", "").strip() or "error"
        if fail_on not in ("error", "warning"):
            raise ActionError(f"input `fail-on` must be `error` or `warning`, not `{fail_on}`")
        try:
            paths = tuple(shlex.split(env.get("LINKLINT_PATHS", "")))
        except ValueError as exc:
            raise ActionError(f"input `paths`: {exc}") from None
        changed = env.get("LINKLINT_CHANGED_ONLY", "").strip().lower() or "auto"
        if changed == "auto":
            changed_only = env.get("GITHUB_EVENT_NAME", "") in PULL_REQUEST_EVENTS
        else:
            changed_only = _boolean("changed-only", changed)
        return cls(
            paths=paths,
            config=env.get("LINKLINT_CONFIG", "").strip(),
            changed_only=changed_only,
            fail_on=fail_on,
            sarif=env.get("LINKLINT_SARIF", "").strip(),
            baseline=env.get("LINKLINT_BASELINE", "").strip(),
            suggestions_in_summary=_boolean(
                "suggestions-in-summary", env.get("LINKLINT_SUGGESTIONS_IN_SUMMARY", "").strip() or "true"
            ),
        )


def _boolean(name: str, value: str) -> bool:
    if value.lower() in ("true", "yes", "1", "on"):
        return True
    if value.lower() in ("false", "no", "0", "off"):
        return False
    raise ActionError(f"input `{name}` must be `true` or `false`, not `{value}`")


@dataclass(frozen=True)
class Outcome:
    report: Report
    scope: str  # what was checked, for the summary
    stale: int = 0  # baseline entries that matched nothing


# -- running the check -----------------------------------------------------------


def run(inputs: Inputs, workspace: Path, env: Mapping[str, str]) -> Outcome:
    from linklint.cli import find_root
    from linklint.config import ConfigError, load_config
    from linklint.engine import check, relative_to_root
    from linklint.rules import specs
    from linklint.sites import PROFILE_NAMES

    workspace = workspace.resolve()  # the root is resolved too; paths are compared with it
    root = find_root(workspace)
    paths = _report_paths(root, workspace, inputs.paths, relative_to_root)
    changes, scope = _changes(inputs, root, env)
    baseline = _baseline(workspace, inputs.baseline)
    config_file = workspace / inputs.config if inputs.config else None
    if config_file is not None and not config_file.is_file():
        raise ActionError(f"input `config`: `{inputs.config}` is not a file")
    try:
        config = load_config(root, specs(), config_file=config_file, profiles=PROFILE_NAMES)
    except ConfigError as exc:
        raise ActionError(f"config error: {exc}") from None
    result = check(root, config, paths=paths)
    report = result.report
    stale = 0
    if baseline is not None:
        from linklint.baseline import apply

        outcome = apply(report, baseline, lambda code, path: paths is None or _under(path, paths))
        report, stale = outcome.report, len(outcome.stale)
    if changes is not None:
        from linklint.git import caused_by, narrow

        report = narrow(report, caused_by(changes, result.site))
    return Outcome(report, scope, stale)


def _under(path: str, paths: Sequence[str]) -> bool:
    return any(p in ("", ".") or path == p or path.startswith(p.rstrip("/") + "/") for p in paths)


def _report_paths(root: Path, workspace: Path, given: Sequence[str], relative_to_root) -> list[str] | None:
    if not given:
        return None
    paths = []
    for raw in given:
        absolute = workspace / raw
        if not os.path.lexists(absolute):
            raise ActionError(f"input `paths`: `{raw}` does not exist")
        rel = relative_to_root(root, absolute)
        if rel is None:
            raise ActionError(f"input `paths`: `{raw}` is outside the site `{root}`")
        paths.append(rel)
    return paths


def _changes(inputs: Inputs, root: Path, env: Mapping[str, str]):
    """The change to judge (None: the whole site) and a phrase for the summary."""
    if not inputs.changed_only:
        return None, "the whole site"
    from linklint.git import GitError, changes_since

    base = base_commit(env)
    if base is None:
        event = env.get("GITHUB_EVENT_NAME") or "this"
        print(f"::warning title=linklint::changed-only: a {event} event names no base commit; checking the whole site")
        return None, "the whole site"
    try:
        changes = changes_since(root, base)
    except GitError as exc:
        raise ActionError(
            f"changed-only: {exc}. Check out with `fetch-depth: 0` (actions/checkout) so the base commit is there."
        ) from None
    return changes, f"the files changed since `{changes.base[:7]}` and the links they broke"


def base_commit(env: Mapping[str, str]) -> str | None:
    """What a change is compared with: the pull request's base commit, or the
    commit a push started from."""
    event = _event(env)
    pull = event.get("pull_request")
    if isinstance(pull, dict):
        sha = (pull.get("base") or {}).get("sha")
        if sha:
            return str(sha)
    before = event.get("before")
    if isinstance(before, str) and before.strip("0"):
        return before
    if env.get("GITHUB_BASE_REF"):
        return f"origin/{env['GITHUB_BASE_REF']}"
    return None


def _event(env: Mapping[str, str]) -> dict:
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _baseline(workspace: Path, name: str):
    if not name:
        return None
    from linklint.baseline import BaselineError, load

    try:
        return load(workspace / name)
    except BaselineError as exc:
        raise ActionError(f"input `baseline`: {exc}") from None


# -- the job summary ---------------------------------------------------------------


def summary(outcome: Outcome, *, suggestions: bool = True) -> str:
    """The Markdown job summary: totals, counts per rule, the pages with the most
    problems and the first suggestions."""
    report = outcome.report
    lines = ["## linklint", ""]
    if not report.violations:
        lines.append(f"No problems in {_plural(report.files, 'page')} (checked {outcome.scope}).")
    else:
        pages = len({v.path for v in report.violations})
        errors, warnings = report.counts()
        lines.append(
            f"**{_plural(errors, 'error')}** and **{_plural(warnings, 'warning')}** "
            f"in {pages} of {_plural(report.files, 'page')} (checked {outcome.scope})."
        )
        lines += ["", *_rule_table(report.violations), "", "### Pages with the most problems", ""]
        lines += _page_table(report.violations)
        if suggestions:
            lines += _suggestion_list(report.violations)
    if outcome.stale:
        from linklint.baseline import stale_message

        lines += ["", stale_message(outcome.stale) + "."]
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _counts(violations: Sequence[Violation], key) -> dict[str, tuple[int, int]]:
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    for v in violations:
        (errors if v.severity is Severity.ERROR else warnings)[key(v)] += 1
    return {k: (errors[k], warnings[k]) for k in {*errors, *warnings}}


def _rule_table(violations: Sequence[Violation]) -> list[str]:
    names = {v.code: v.name for v in violations}
    rows = ["| Rule | Errors | Warnings |", "|:--|--:|--:|"]
    for code, (errors, warnings) in sorted(_counts(violations, lambda v: v.code).items()):
        rows.append(f"| {code} {_cell(names[code])} | {errors} | {warnings} |")
    return rows


def _page_table(violations: Sequence[Violation]) -> list[str]:
    counts = _counts(violations, lambda v: v.path)
    # Errors weigh more than warnings; ties in path order, so the table is stable.
    worst = sorted(counts.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    rows = ["| Page | Errors | Warnings |", "|:--|--:|--:|"]
    for path, (errors, warnings) in worst[:TOP_PAGES]:
        rows.append(f"| {_cell(_code(path))} | {errors} | {warnings} |")
    if len(worst) > TOP_PAGES:
        rows.append(f"| … and {len(worst) - TOP_PAGES} more | | |")
    return rows


def _suggestion_list(violations: Sequence[Violation]) -> list[str]:
    helpful = [v for v in violations if v.suggestions or v.fix is not None]
    helpful.sort(key=lambda v: (v.severity is not Severity.ERROR, v.sort_key()))
    if not helpful:
        return []
    lines = ["", "### Suggestions", ""]
    for v in helpful[:TOP_SUGGESTIONS]:
        advice = "; ".join(v.suggestions) if v.suggestions else v.fix.title  # type: ignore[union-attr]
        lines.append(f"- {_code(f'{v.path}:{v.span.line}')} {v.code}: {_one_line(v.message)} — {_one_line(advice)}")
    if len(helpful) > TOP_SUGGESTIONS:
        lines.append(f"- … and {len(helpful) - TOP_SUGGESTIONS} more in the annotations")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _code(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds."""
    fence = "`"
    while fence in text:
        fence += "`"
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def _cell(text: str) -> str:
    # A table cell ends at `|`, even inside a code span, unless it is escaped.
    return text.replace("|", "\\|")


# -- step outputs ------------------------------------------------------------------


def output_lines(name: str, value: str) -> str:
    """One step output in the ``$GITHUB_OUTPUT`` syntax; a value with a line break
    uses the heredoc form, with a delimiter that does not occur in it."""
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = "LINKLINT_EOF"
    lines = value.splitlines()
    while delimiter in lines:
        delimiter += "_"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def outputs(report: Report, sarif: str) -> str:
    files = sorted({v.path for v in report.violations})
    errors, warnings = report.counts()
    return (
        output_lines("errors", str(errors))
        + output_lines("warnings", str(warnings))
        + output_lines("files", "\n".join(files))
        + output_lines("sarif-file", sarif)
    )


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


# -- entry point -------------------------------------------------------------------


def main(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    from linklint.output import render_printout, write_printout

    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    try:
        inputs = Inputs.from_env(env)
        outcome = run(inputs, workspace, env)
    except ActionError as exc:
        return _could_not_run(env, str(exc))
    except Exception as exc:  # a bug: keep the traceback, but fail as "could not run"
        traceback.print_exc()
        return _could_not_run(env, f"internal error: {exc!r}")
    report = outcome.report
    # As bytes: a file name Git gave as bytes that are not UTF-8 is written as them.
    write_printout(sys.stdout, render_printout(report, "github"))
    if inputs.sarif:
        _write_sarif(workspace / inputs.sarif, report)
    errors, warnings = report.counts()
    print(
        f"linklint: {_plural(errors, 'error')}, {_plural(warnings, 'warning')} "
        f"in {_plural(report.files, 'page')} (checked {outcome.scope})"
    )
    _append(env.get("GITHUB_STEP_SUMMARY"), summary(outcome, suggestions=inputs.suggestions_in_summary))
    _append(env.get("GITHUB_OUTPUT"), outputs(report, inputs.sarif))
    failing = report.failing(inputs.fail_on)
    return EXIT_VIOLATIONS if failing else EXIT_OK


def _could_not_run(env: Mapping[str, str], message: str) -> int:
    from linklint.output.github import escape_data

    print(f"::error title=linklint::{escape_data(message)}")
    _append(env.get("GITHUB_STEP_SUMMARY"), f"## linklint\n\nlinklint could not run: {message}\n")
    return EXIT_ERROR


def _write_sarif(path: Path, report: Report) -> None:
    from linklint.output import RuleInfo, render
    from linklint.rules import RULES

    rules = {code: RuleInfo(code, m.NAME, m.SUMMARY, None) for code, m in RULES.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report, "sarif", rules=rules), encoding="utf-8")


if __name__ == "__main__":
    from linklint import forget_working_folder

    forget_working_folder()
    sys.exit(main())
