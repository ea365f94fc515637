"""The result of one run, as every output format sees it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, is_

from linklint.model import Severity, Violation


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
        return self._of_severity(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self._of_severity(Severity.WARNING)

    def counts(self) -> tuple[int, int]:
        """``(errors, warnings)`` in one pass over the violations."""
        found = Counter(map(_severity_of, self.violations))
        return found[Severity.ERROR], found[Severity.WARNING]

    def _of_severity(self, severity: Severity) -> int:
        # C-level maps: a big site's report counts 40,000 violations, twice.
        return sum(map(is_, map(_severity_of, self.violations), repeat(severity)))

    @property
    def fixable(self) -> int:
        from linklint.model import Applicability

        return sum(
            1
            for v in self.violations
            if v.fix is not None and v.fix.applicability is not Applicability.DISPLAY_ONLY
        )


_severity_of = attrgetter("severity")
