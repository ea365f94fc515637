"""What every rule module declares, and the value a rule sees when it runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from linklint.model import Document, Fix, Span
    from linklint.site import Site
    from linklint.suggest import Suggester


class Level:
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"
    ALL = ("error", "warning", "off")


@dataclass(frozen=True)
class Option:
    """One rule option: its default, the Python type(s) a config value must have,
    and a one-line description for the rule's page."""

    default: Any
    type: type | tuple[type, ...]
    description: str
    # For list options: the type of each item.
    item_type: type | None = None
    # Smallest allowed value for numbers.
    minimum: float | None = None


@dataclass(frozen=True)
class RuleSetting:
    """A rule's level and option values for one document, after presets, config,
    per-path overrides and front matter have been applied."""

    level: str
    options: dict[str, Any]

    @property
    def enabled(self) -> bool:
        return self.level != Level.OFF


def _everywhere(path: str) -> bool:
    return True


@dataclass
class Context:
    """What a rule sees while it checks one page: the page, the whole site, the
    rule's option values for this page, and the shared suggestion engine."""

    site: Site
    path: str
    options: dict[str, Any]
    suggester: Suggester
    # Whether fixes that rewrite content (inserted links) are wanted: they are
    # the costly ones, so `check` computes them only on request.
    unsafe_fixes: bool = False
    # Whether findings in a page are reported in this run (a run on a few
    # paths reports nothing elsewhere): rules that report in other pages
    # (``REPORTS_ELSEWHERE``) skip working out findings nobody will see.
    reported: Callable[[str], bool] = _everywhere

    @property
    def document(self) -> Document:
        return self.site.documents[self.path]

    def page_span(self) -> Span:
        """Where a finding about the whole page points: the title (in front
        matter or the first heading), else the first line of the body."""
        doc = self.document
        if doc.title_span is not None:
            return doc.title_span
        from linklint.textpos import LineIndex

        index = LineIndex(doc.text)
        line = min(doc.body_line, index.line_count)
        start = index.line_start(line)
        return index.span(start, start + len(index.line_text(line)))


@dataclass(frozen=True)
class Finding:
    """What a rule yields; the engine adds the code, name, severity and path."""

    span: Span
    message: str
    target: str | None = None
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None
    path: str | None = None  # another page than the one being checked (site rules)
    # "warning" caps the rule's level for this finding: a link that works, but
    # only by luck (on one host, or through a redirect), is not an error.
    at_most: str | None = None
