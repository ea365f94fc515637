"""The facts linklint works with: documents, links, headings, violations and fixes.

Every position is exact and refers to the decoded text of the file (UTF-8, with a
leading byte-order mark removed and remembered separately). Offsets are indexes into
that ``str``; lines and columns are 1-based and count Unicode code points, so an
offset pair can be spliced by ``linklint fix`` and a (line, column) pair can be shown
to a person. Line breaks are ``\\r\\n``, ``\\r`` and ``\\n`` only, as in CommonMark.
"""

from __future__ import annotations

import enum
from array import array
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, NamedTuple, Sequence, overload


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


# Numbers a prose item is kept as in ``ProseRuns``: its span's six, then 1 if
# it lies in a heading.
_PROSE_WIDTH = 7

_new = tuple.__new__


class ProseRuns(Sequence[Prose]):
    """A page's prose items, kept as numbers: a ``Sequence`` of ``Prose``
    whose items are made when asked for.

    A page has a prose item for nearly every line of text (43 on a typical
    post), and each item as a named tuple with its span, their numbers and
    its text is some 380 bytes: a third of a parsed site's memory (163 MB of
    the 10,000 posts of ``bench/``), copied after every fork that reads it,
    and rebuilt object by object on every trip from a parser process or out
    of the cache. Here an item is seven numbers in one array (56 bytes),
    which pickles as bytes; its text is the slice of the page's text its span
    gives (as the parser makes them), or, for an item made by hand whose text
    is not that slice, kept in ``own``."""

    __slots__ = ("text", "numbers", "own")

    def __init__(self, text: str, numbers: array, own: dict[int, str] | None = None) -> None:
        if numbers.typecode != "q" or len(numbers) % _PROSE_WIDTH:
            raise ValueError("prose numbers come in sevens of typecode 'q'")
        self.text = text
        self.numbers = numbers
        self.own = own or {}

    @classmethod
    def of(cls, text: str, items: Iterable[Prose]) -> ProseRuns:
        """``items`` over ``text`` as a ``ProseRuns`` (``items`` itself when it
        is one over the same text)."""
        if isinstance(items, ProseRuns) and items.text == text:
            return items
        numbers = array("q")
        own: dict[int, str] = {}
        for index, item in enumerate(items):
            span = item.span
            numbers.extend(span)
            numbers.append(1 if item.in_heading else 0)
            if text[span.start : span.end] != item.text:
                own[index] = item.text
        return cls(text, numbers, own)

    def __len__(self) -> int:
        return len(self.numbers) // _PROSE_WIDTH

    @overload
    def __getitem__(self, index: int) -> Prose: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Prose, ...]: ...

    def __getitem__(self, index: int | slice) -> Prose | tuple[Prose, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("prose index out of range")
        at = index * _PROSE_WIDTH
        span = _new(Span, self.numbers[at : at + 6])
        text = self.own.get(index) if self.own else None
        if text is None:
            text = self.text[span[0] : span[1]]
        return _new(Prose, (text, span, self.numbers[at + 6] == 1))

    def __iter__(self) -> Iterator[Prose]:
        return map(self.__getitem__, range(len(self)))

    def texts(self) -> list[str]:
        """Every item's text, in order, without making the items."""
        numbers, text = self.numbers, self.text
        found = list(map(text.__getitem__, map(slice, numbers[0::_PROSE_WIDTH], numbers[1::_PROSE_WIDTH])))
        for index, own in self.own.items():
            found[index] = own
        return found

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ProseRuns):
            return self.numbers == other.numbers and self.texts() == other.texts()
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, which hash otherwise

    def __repr__(self) -> str:
        return f"ProseRuns({list(self)!r})"

    def __reduce__(self) -> tuple:
        return (ProseRuns, (self.text, self.numbers, self.own))


def prose_texts(prose: Sequence[Prose]) -> list[str]:
    """The texts of a page's prose items, in order."""
    return prose.texts() if isinstance(prose, ProseRuns) else [item.text for item in prose]


def prose_in_heading(prose: Sequence[Prose]) -> list[bool]:
    """Whether each of a page's prose items is in a heading, in order."""
    if isinstance(prose, ProseRuns):
        return [flag == 1 for flag in prose.numbers[_PROSE_WIDTH - 1 :: _PROSE_WIDTH]]
    return [item.in_heading for item in prose]


class Problem(NamedTuple):
    """Something wrong with a file itself rather than its links (unreadable,
    invalid UTF-8, malformed front matter …)."""

    code: str  # LL901 unreadable-file, LL902 invalid-front-matter
    message: str
    line: int = 1
    column: int = 1


def is_mdx(path: str) -> bool:
    """Whether the page at ``path`` is MDX, which is parsed with other block
    rules than Markdown (``linklint.markdown``): the same bytes are two pages."""
    return path[-4:].lower() == ".mdx"


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
    prose: Sequence[Prose] = ()  # a ProseRuns when parsed
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
