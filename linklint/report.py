"""The result of one run, as every output format sees it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter

from linklint.model import Applicability, Severity, Violation


@dataclass
class Report:
    version: str
    root: str  # the repository root as shown to users, normally "."
    generator: str  # the site profile, e.g. "plain"
    files: int  # Markdown files checked
    violations: list[Violation] = field(default_factory=list)  # sorted
    # Decoded text of every file that has a violation, for source excerpts.
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return self.counts()[0]

    @property
    def warnings(self) -> int:
        return self.counts()[1]

    def counts(self) -> tuple[int, int]:
        """``(errors, warnings)`` in one pass over the violations (C-level
        maps: a big site's report holds 190,000 violations)."""
        found = Counter(map(_severity_of, self.violations))
        return found[Severity.ERROR], found[Severity.WARNING]

    def failing(self, fail_on: str) -> int:
        """The violations that fail the run: errors, and warnings too when
        ``fail_on`` is "warning"."""
        errors, warnings = self.counts()
        return errors + (warnings if fail_on == "warning" else 0)

    def fix_counts(self) -> tuple[int, int]:
        """``(safe, unsafe)``: the violations whose fix ``linklint fix``
        applies, and those it applies with ``--unsafe-fixes``. C-level maps
        over every violation, then over the fixes alone."""
        found = Counter(map(_applicability_of, filter(None, map(_fix_of, self.violations))))
        return found[Applicability.SAFE], found[Applicability.UNSAFE]

    @property
    def fixable(self) -> int:
        return sum(self.fix_counts())


_severity_of = attrgetter("severity")
_fix_of = attrgetter("fix")  # a Fix is never false: a slotted dataclass without __len__
_applicability_of = attrgetter("applicability")
