"""A baseline: the findings a site already had when it adopted linklint.

A large site rarely starts clean. ``linklint check --write-baseline FILE`` records
today's findings; ``linklint check --baseline FILE`` then reports only findings that
are not in it, so new problems fail the build while old ones are fixed at leisure.

A finding is recognised by a fingerprint, not by its line: the hash of its rule
code, its file, its message and the text of its source line (stripped), plus its
rank among findings that share all four. Adding a paragraph above a broken link
moves it down the page without making it new; editing the line itself does make
it new, which is the point (the line was touched, so look at it again).

Entries whose finding is gone are *stale*: the run says how many, so the file can
be rewritten smaller, and they never affect the exit status.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from linklint.model import Violation
from linklint.report import Report
from linklint.textpos import LineIndex

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or is not a linklint baseline."""


@dataclass(frozen=True)
class Entry:
    code: str
    path: str
    line: int  # for people reading the file; matching ignores it
    message: str
    fingerprint: str


@dataclass(frozen=True)
class Baseline:
    entries: tuple[Entry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


@dataclass(frozen=True)
class Outcome:
    """A report with the baseline's findings taken out, and the entries that
    matched nothing."""

    report: Report
    stale: tuple[Entry, ...]


# -- fingerprints ----------------------------------------------------------------


def entries(violations: Sequence[Violation], texts: dict[str, str]) -> list[Entry]:
    """One entry per finding, in the findings' order (sorted as in a report)."""
    indexes: dict[str, LineIndex] = {}
    seen: Counter[str] = Counter()
    out = []
    for v in sorted(violations, key=Violation.sort_key):
        key = "\0".join((v.code, v.path, v.message, _line_text(v, texts, indexes)))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        # The rank among identical findings keeps two equal broken links on two
        # equal lines apart; it is the SARIF partialFingerprints recipe, so a
        # finding has the same identity in both files.
        seen[digest] += 1
        out.append(Entry(v.code, v.path, v.span.line, v.message, f"{digest}:{seen[digest]}"))
    return out


def _line_text(v: Violation, texts: dict[str, str], indexes: dict[str, LineIndex]) -> str:
    text = texts.get(v.path)
    if not text:
        return ""
    index = indexes.get(v.path)
    if index is None:
        index = indexes[v.path] = LineIndex(text)
    if not 1 <= v.span.line <= index.line_count:
        return ""
    return index.line_text(v.span.line).strip()


# -- the file ----------------------------------------------------------------------


def dumps(found: Iterable[Entry]) -> str:
    document = {
        "version": VERSION,
        "tool": "linklint",
        "violations": [dataclasses.asdict(e) for e in found],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, report: Report) -> int:
    """Record every finding of ``report`` in ``path``; return how many."""
    found = entries(report.violations, report.texts)
    path.write_text(dumps(found), encoding="utf-8")
    return len(found)


def load(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline `{path}` does not exist; create it with --write-baseline") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline `{path}`: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"baseline `{path}` is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("violations"), list):
        raise BaselineError(f"`{path}` is not a linklint baseline (version {VERSION})")
    try:
        found = tuple(
            Entry(str(e["code"]), str(e["path"]), int(e.get("line", 0)), str(e.get("message", "")), str(e["fingerprint"]))
            for e in data["violations"]
        )
    except (TypeError, KeyError, ValueError) as exc:
        raise BaselineError(f"baseline `{path}` has a malformed entry: {exc}") from None
    return Baseline(found)


# -- using it ----------------------------------------------------------------------


def apply(
    report: Report,
    baseline: Baseline,
    in_scope: Callable[[str, str], bool] = lambda code, path: True,
) -> Outcome:
    """Take the baseline's findings out of ``report``.

    ``in_scope(code, path)`` says whether the run could have reported a finding of
    that rule in that file (``--select``, paths on the command line): entries
    outside it are neither matched nor stale.
    """
    known = baseline.fingerprints
    ordered = sorted(report.violations, key=Violation.sort_key)
    current = entries(ordered, report.texts)
    fresh = [v for v, e in zip(ordered, current) if e.fingerprint not in known]
    texts = {v.path: report.texts[v.path] for v in fresh if v.path in report.texts}
    found = {e.fingerprint for e in current}
    stale = tuple(e for e in baseline.entries if e.fingerprint not in found and in_scope(e.code, e.path))
    return Outcome(dataclasses.replace(report, violations=fresh, texts=texts), stale)


def stale_message(count: int) -> str:
    if count == 1:
        return "1 baseline entry is fixed; run --write-baseline to shrink it"
    return f"{count} baseline entries are fixed; run --write-baseline to shrink it"
