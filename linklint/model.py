"""The facts linklint works with: documents, links, headings, violations and fixes.

Every position is exact and refers to the decoded text of the file (UTF-8, with a
leading byte-order mark removed and remembered separately). Offsets are indexes into
that ``str``; lines and columns are 1-based and count Unicode code points, so an
offset pair can be spliced by ``linklint fix`` and a (line, column) pair can be shown
to a person. Line breaks are ``\\r\\n``, ``\\r`` and ``\\n`` only, as in CommonMark.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Span(NamedTuple):
    """A range of the decoded text: offsets ``[start, end)`` and the same range as
    1-based line/column pairs (``end_column`` is exclusive, as in SARIF).

    A named tuple rather than a dataclass: documents hold many spans, and tuples
    are built and pickled (to and from parser processes and the cache) several
    times faster."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


class LinkKind(str, enum.Enum):
    INLINE = "inline"  # [text](dest)
    REFERENCE = "reference"  # [text][label]
    COLLAPSED = "collapsed"  # [label][]
    SHORTCUT = "shortcut"  # [label]
    AUTOLINK = "autolink"  # <https://…>
    HTML = "html"  # <a href="…"> in raw HTML
    DEFINITION = "definition"  # [label]: dest  (a reference definition nobody uses)


class Link(NamedTuple):
    """One link or image as written in the source.

    ``destination`` is the destination as written (backslash escapes and entities
    decoded, angle brackets removed, no percent-encoding added). ``dest_span`` is the
    exact place of the destination in the source: for reference links it lies in the
    reference definition, which is where a fix has to edit. It is ``None`` when the
    destination could not be verified character by character; such links are reported
    but never edited.
    """

    kind: LinkKind
    destination: str
    text: str  # plain text of the link's label (alt text for images)
    span: Span  # the whole construct: [text](dest), <a …>, <url>
    dest_span: Span | None
    image: bool = False
    title: str | None = None
    label: str | None = None  # reference label for reference-style links


class Heading(NamedTuple):
    """A heading: its level, its plain text (what a slugger sees) and, when the
    author wrote one, its explicit id (``{#id}``)."""

    level: int
    text: str
    span: Span
    explicit_id: str | None = None


class HtmlAnchor(NamedTuple):
    """An ``id`` or ``name`` attribute in raw HTML: a valid fragment target."""

    id: str
    span: Span


class Directive(NamedTuple):
    """An inline suppression comment: ``<!-- linklint-disable LL004 -->``.

    ``action`` is one of ``disable``, ``enable``, ``disable-line``,
    ``disable-next-line``, ``disable-file``; an empty ``codes`` means every rule.
    """

    action: str
    codes: tuple[str, ...]
    line: int


class Prose(NamedTuple):
    """A run of plain body text (outside code, links, HTML, front matter and
    emphasis markers) on one line, with its exact place: candidate text for a
    suggested link."""

    text: str
    span: Span
    in_heading: bool = False


class Problem(NamedTuple):
    """Something wrong with a file itself rather than its links (unreadable,
    invalid UTF-8, malformed front matter …)."""

    code: str  # LL901 unreadable-file, LL902 invalid-front-matter
    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Document:
    """One parsed Markdown file. Immutable and independent of the rest of the site,
    so it can be parsed in a worker process and cached by content hash."""

    path: str  # POSIX, relative to the repository root
    text: str
    bom: bool = False
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_format: str | None = None  # "yaml", "toml", "json"
    front_matter_span: Span | None = None
    body_line: int = 1  # first line after the front matter
    title: str | None = None
    title_span: Span | None = None
    headings: tuple[Heading, ...] = ()
    html_anchors: tuple[HtmlAnchor, ...] = ()
    links: tuple[Link, ...] = ()
    directives: tuple[Directive, ...] = ()
    prose: tuple[Prose, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def lines(self) -> list[str]:
        from linklint.textpos import split_lines

        return split_lines(self.text)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Applicability(str, enum.Enum):
    SAFE = "safe"  # meaning kept, applied by `linklint fix`
    UNSAFE = "unsafe"  # content changes, applied with --unsafe-fixes
    DISPLAY_ONLY = "display-only"  # advice shown, never applied


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``content``."""

    start: int
    end: int
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    applicability: Applicability
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    name: str
    severity: Severity
    path: str
    span: Span
    message: str
    target: str | None = None
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)
