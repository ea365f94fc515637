"""A parsed page and a found violation as plain tuples, for the trip from a
worker process and into the cache.

A ``Document`` holds hundreds of named tuples (each link and heading and
their spans). Pickle takes a named tuple through a Python-level
``__getnewargs__`` and rebuilds it through a Python-level ``__new__``: at
10,000 pages that was seconds of CPU in the parser processes, on the critical
path of a cold run. Packed, a page is tuples, strings and numbers, which pickle
handles in C; its prose items are the bytes of their numbers (``ProseRuns``);
named tuples are rebuilt with ``tuple.__new__`` (in C too). Packing and
unpacking give back an equal ``Document`` with the same types
(``tests/test_packing.py``). Violations (slotted dataclasses, which
pickle field by field in Python) travel from the rule workers and into the
stored report the same way.
"""

from __future__ import annotations

from array import array
from typing import Any, Optional, Tuple

from linklint.model import (
    Applicability,
    Directive,
    Document,
    Edit,
    Fix,
    Heading,
    HtmlAnchor,
    Link,
    LinkKind,
    Problem,
    ProseRuns,
    Severity,
    Span,
    Violation,
)
from linklint.report import Report

Packed = Tuple[Any, ...]

_new = tuple.__new__
_KINDS = {kind.value: kind for kind in LinkKind}
_SEVERITIES = {severity.value: severity for severity in Severity}
_APPLICABILITIES = {applicability.value: applicability for applicability in Applicability}
_FIELDS = 15  # of a Document, in the order ``pack`` writes them

# What unpacking raises on anything ``pack`` did not write (an entry of
# another layout): a reader treats it as a miss.
DAMAGED = (ValueError, TypeError, KeyError, IndexError)


def is_plain_dict(mapping: object, value_type: type) -> bool:
    """A dict of strings to ``value_type`` values (an empty one too). Checked
    with C-level maps: stored term counts hold a million values at 10,000
    pages, too many to test one by one in Python."""
    return (
        type(mapping) is dict
        and set(map(type, mapping)) <= {str}
        and set(map(type, mapping.values())) <= {value_type}  # type: ignore[attr-defined]
    )


def _span(span: Optional[Span]) -> Optional[tuple]:
    return None if span is None else tuple(span)


def _unspan(values: Optional[tuple]) -> Optional[Span]:
    return None if values is None else _new(Span, values)


def _prose(doc: Document) -> tuple[bytes, dict[int, str] | None] | None:
    # The numbers as bytes (the cache's unpickler allows no array); the texts
    # are slices of the page's text but for the rare one made by hand
    # (``ProseRuns``). None for the empty tuple of a page that was not parsed.
    if type(doc.prose) is tuple and not doc.prose:
        return None
    runs = ProseRuns.of(doc.text, doc.prose)
    return runs.numbers.tobytes(), runs.own or None


def pack(doc: Document) -> Packed:
    """The page as plain tuples (see the module's docstring)."""
    text = doc.text
    return (
        doc.path,
        text,
        doc.bom,
        doc.front_matter,
        doc.front_matter_format,
        _span(doc.front_matter_span),
        doc.body_line,
        doc.title,
        _span(doc.title_span),
        [(h.level, h.text, tuple(h.span), h.explicit_id) for h in doc.headings],
        [(a.id, tuple(a.span)) for a in doc.html_anchors],
        [
            (link.kind.value, link.destination, link.text, tuple(link.span), _span(link.dest_span), link.image, link.title, link.label)
            for link in doc.links
        ],
        [tuple(d) for d in doc.directives],
        _prose(doc),
        [tuple(p) for p in doc.problems],
    )


def unpack(packed: Packed, path: str | None = None) -> Document:
    """The ``Document`` that ``pack`` was given, with ``path`` instead of its
    own when given. Raises one of ``DAMAGED`` on anything ``pack`` does not
    write."""
    if type(packed) is not tuple or len(packed) != _FIELDS:
        raise ValueError("not a packed page")
    (own_path, text, bom, front_matter, fm_format, fm_span, body_line, title, title_span, headings, anchors, links, directives, prose, problems) = packed
    if type(text) is not str or type(front_matter) is not dict:
        raise ValueError("not a packed page")
    return Document(
        path=own_path if path is None else path,
        text=text,
        bom=bom,
        front_matter=front_matter,
        front_matter_format=fm_format,
        front_matter_span=_unspan(fm_span),
        body_line=body_line,
        title=title,
        title_span=_unspan(title_span),
        headings=tuple([_new(Heading, (h[0], h[1], _new(Span, h[2]), h[3])) for h in headings]),
        html_anchors=tuple([_new(HtmlAnchor, (a[0], _new(Span, a[1]))) for a in anchors]),
        links=tuple(
            [_new(Link, (_KINDS[k[0]], k[1], k[2], _new(Span, k[3]), _unspan(k[4]), k[5], k[6], k[7])) for k in links]
        ),
        directives=tuple([_new(Directive, d) for d in directives]),
        prose=_unprose(text, prose),
        problems=tuple([_new(Problem, p) for p in problems]),
    )


def _unprose(text: str, packed: object) -> ProseRuns | tuple[()]:
    if packed is None:
        return ()
    data, own = packed  # type: ignore[misc]
    if type(data) is not bytes or not (own is None or type(own) is dict):
        raise ValueError("not packed prose")
    numbers = array("q")
    numbers.frombytes(data)
    return ProseRuns(text, numbers, own)


def pack_violation(v: Violation) -> Packed:
    """The violation as plain tuples."""
    fix = v.fix
    packed_fix = None if fix is None else (fix.title, fix.applicability.value, tuple((e.start, e.end, e.content) for e in fix.edits))
    return (v.code, v.name, v.severity.value, v.path, tuple(v.span), v.message, v.target, v.suggestions, packed_fix)


def unpack_violation(packed: Packed) -> Violation:
    """The ``Violation`` that ``pack_violation`` was given. Raises as
    ``unpack`` does on anything else."""
    code, name, severity, path, span, message, target, suggestions, fix = packed
    if type(code) is not str or type(path) is not str or type(suggestions) is not tuple or type(span) is not tuple:
        raise ValueError("not a packed violation")
    return Violation(
        code,
        name,
        _SEVERITIES[severity],
        path,
        _new(Span, span),
        message,
        target,
        suggestions,
        None if fix is None else Fix(fix[0], _APPLICABILITIES[fix[1]], tuple([Edit(*edit) for edit in fix[2]])),
    )


def pack_report(report: Report) -> Packed:
    """A whole run's report as plain tuples (for the cache)."""
    return (report.version, report.root, report.generator, report.files, [pack_violation(v) for v in report.violations], report.texts)


def unpack_report(packed: Packed) -> Report:
    """The ``Report`` that ``pack_report`` was given; raises on anything else."""
    version, root, generator, files, violations, texts = packed
    if type(violations) is not list or not is_plain_dict(texts, str):
        raise ValueError("not a packed report")
    return Report(version, root, generator, files, [unpack_violation(v) for v in violations], texts)
