"""Build small sites in a temporary folder and run linklint on them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping, Sequence

from linklint.config import load_config
from linklint.engine import Run, Selection, check
from linklint.rules import specs
from linklint.sites import PROFILE_NAMES


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # newline="" keeps the test's own line endings (CRLF cases).
            path.write_text(content, encoding="utf-8", newline="")


def write_settled(root: Path, files: Mapping[str, str | bytes], age: float) -> None:
    """``write_files``, then every written file dated ``age`` (a time stamp):
    results that depend on files changed within the last seconds are not
    stored, so cache tests date their files in the past."""
    write_files(root, files)
    for rel in files:
        os.utime(root / rel, (age, age))


def git_init(root: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "writer@example.com")
    git("config", "user.name", "Writer")
    git("config", "commit.gpgsign", "false")


def run_site(
    root: Path,
    files: Mapping[str, str | bytes] | None = None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    paths: Sequence[str] | None = None,
) -> Run:
    if files:
        write_files(root, files)
    config = load_config(root, specs(), profiles=PROFILE_NAMES)
    return check(root, config, paths=paths, selection=Selection(select, ignore))


def positions(run: Run) -> list[tuple[str, str, int, int]]:
    return [(v.code, v.path, v.span.line, v.span.column) for v in run.report.violations]


# Run first to make linklint.english's data look written from another spaCy
# than the installed one, so English needs spaCy itself (as after an upgrade).
ANOTHER_SPACY = "from linklint import english\nenglish.data = lambda: None\n"


def _cli_then(root: Path, args: list[str], last_line: str, prelude: str = "") -> tuple[str, str]:
    """``linklint ARGS`` run in a new Python in ``root`` (after ``prelude``,
    Python code), then ``last_line`` (a Python expression of ``code``, the
    exit code, and ``sys``) printed: that line and what the command printed
    before it."""
    script = f"import json, sys\n{prelude}from linklint.cli import main\ncode = main({args!r})\nprint({last_line})\n"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True)
    *printed, last = done.stdout.splitlines()
    return last, "\n".join(printed)


def modules_after_cli(root: Path, args: list[str], modules: set[str]) -> tuple[int, list[str]]:
    """``linklint ARGS`` run in a new Python in ``root``: its exit code and
    which of ``modules`` it imported."""
    last, _ = _cli_then(root, args, f"json.dumps([code, sorted(set(sys.modules).intersection({sorted(modules)!r}))])")
    code, imported = json.loads(last)
    return code, imported


def cli_in_subprocess(root: Path, args: list[str], *, another_spacy: bool = False) -> tuple[str, str]:
    """``linklint ARGS`` run in a new Python in ``root`` (``another_spacy``:
    see ``ANOTHER_SPACY``): the line that says whether spaCy got imported
    and the exit code ("SPACY 0", "NO-SPACY 1"), and what the command printed
    before it."""
    prelude = ANOTHER_SPACY if another_spacy else ""
    return _cli_then(root, args, "'SPACY' if 'spacy' in sys.modules else 'NO-SPACY', code", prelude)
