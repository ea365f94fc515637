"""Turn a :class:`~linklint.report.Report` into text for people or for tools.

Every format is a pure function of the report, so the same run can be written as
text on a terminal, as annotations under GitHub Actions or as a SARIF file for code
scanning. Paths are POSIX and relative to the repository root; lines and columns
are 1-based and count Unicode code points, as in :mod:`linklint.model`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from linklint.model import Applicability, Violation
from linklint.report import Report
from linklint.textpos import LineIndex

FORMATS = ("text", "concise", "json", "github", "sarif", "junit")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class RuleInfo:
    """What a report needs to know about a rule it may mention (SARIF lists every
    rule that ran, not only the ones that found something)."""

    code: str
    name: str
    summary: str  # one line
    help_uri: str | None = None


def render(
    report: Report,
    fmt: str,
    *,
    color: bool = False,
    rules: Mapping[str, RuleInfo] | None = None,
    prerendered: Prerendered | None = None,
) -> str:
    """The whole report in format ``fmt`` (one of :data:`FORMATS`), ending with a
    newline. ``color`` only affects the formats meant for people.
    ``prerendered``: texts of the report's violations worked out while they
    were found (``Prerendered``), used when made for this format and colour;
    they change when the text is made, never what it says."""
    from linklint.heap import no_collection

    with no_collection():
        return _renderer(fmt)(report, color, rules, _usable(prerendered, fmt, color), AS_STR)


def render_printout(
    report: Report,
    fmt: str,
    *,
    color: bool = False,
    rules: Mapping[str, RuleInfo] | None = None,
    prerendered: Prerendered | None = None,
) -> bytes:
    """``render``'s text as the bytes the command writes: UTF-8, a file name
    Git gave as bytes written as those bytes (``surrogateescape``). A format
    of texts per violation is put together from each text's bytes, the
    prerendered ones as they were made: nothing is encoded at the end, and a
    large report is never held as one string beside its bytes (at 10,000
    posts 33 MB of text, twice that as a string with curly quotes)."""
    from linklint.heap import no_collection

    if fmt not in _PER_VIOLATION:
        return _utf8(render(report, fmt, color=color, rules=rules))
    with no_collection():
        return _renderer(fmt)(report, color, rules, _usable(prerendered, fmt, color), AS_UTF8)


def _usable(prerendered: Prerendered | None, fmt: str, color: bool) -> Prerendered | None:
    """``prerendered`` when its texts were made for this format and colour."""
    if prerendered is not None and (prerendered.fmt, prerendered.color) != (fmt, color):
        return None
    return prerendered


_Renderer = Callable[[Report, bool, "Mapping[str, RuleInfo] | None", "Prerendered | None", "Parts"], Any]


def _renderer(fmt: str) -> _Renderer:
    # The format modules are imported on demand: a run prints one format
    # only. Only the formats of texts per violation are asked for bytes.
    if fmt == "text":
        from linklint.output.text import render_full

        return lambda report, color, rules, known, parts: render_full(report, color=color, prerendered=known, parts=parts)
    if fmt == "concise":
        from linklint.output.text import render_concise

        return lambda report, color, rules, known, parts: render_concise(report, color=color)
    if fmt == "json":
        from linklint.output.json_format import render_json

        return lambda report, color, rules, known, parts: render_json(report, prerendered=known, parts=parts)
    if fmt == "github":
        from linklint.output.github import render_github

        return lambda report, color, rules, known, parts: render_github(report, prerendered=known, parts=parts)
    if fmt == "sarif":
        from linklint.output.sarif import render_sarif

        return lambda report, color, rules, known, parts: render_sarif(report, rules)
    if fmt == "junit":
        from linklint.output.junit import render_junit

        return lambda report, color, rules, known, parts: render_junit(report)
    raise ValueError(f"unknown output format `{fmt}`; choose one of {', '.join(FORMATS)}")


# The formats whose output is one text per violation, in report order, between
# a head and a tail: those texts can be made before the report is. (SARIF's
# results are not: each fingerprint numbers the identical results before it.)
_PER_VIOLATION = ("text", "github", "json")


class Prerendered:
    """Texts of violations in one format, made by the processes that found
    them, for ``render`` to join instead of making them again.

    A long report's violations are found by every process of a run, each
    page's in one process; their texts (a text report's blocks with the
    source line, a tenth of a second per 7,000 violations) made there too
    spare the parent, alone at the end of a run, from making them all. Each
    text is kept with its violation object and used only for that object: a
    report narrowed later (a baseline) may hold other violations, which are
    rendered as usual.

    The texts are the bytes the command writes (``render_printout``):
    encoded where they are made, they come from a worker as bytes, not
    decoded into strings on arrival, and take half the memory of strings
    holding curly quotes."""

    def __init__(self, fmt: str, color: bool) -> None:
        self.fmt = fmt
        self.color = color
        self._texts: dict[int, bytes] = {}  # by the violation's id
        self._kept: list[Violation] = []  # held: no other object takes their ids

    @staticmethod
    def wanted(fmt: str) -> bool:
        """Whether ``fmt`` is made of texts per violation."""
        return fmt in _PER_VIOLATION

    def maker(self) -> Callable[[Violation, SourceLines], bytes]:
        """The text of one violation (the source lines for the excerpt), as
        the bytes the command writes."""
        make = self._text_maker()
        return lambda violation, sources: _utf8(make(violation, sources))

    def _text_maker(self) -> Callable[[Violation, SourceLines], str]:
        if self.fmt == "text":
            from linklint.output.text import block_maker

            return block_maker(self.color)
        if self.fmt == "github":
            from linklint.output.github import command

            return lambda violation, sources: command(violation)
        if self.fmt == "json":
            from linklint.output.json_format import violation_json

            return lambda violation, sources: violation_json(violation)
        raise ValueError(f"`{self.fmt}` is not made of texts per violation")

    def add(self, violation: Violation, text: bytes) -> None:
        # Keyed by identity (hashing a violation's fields would cost more than
        # some texts), and holding the object: no other object can have its
        # id while the entry is here.
        self._texts[id(violation)] = text
        self._kept.append(violation)

    def get(self, violation: Violation) -> bytes | None:
        """The text made for this very object, or None."""
        return self._texts.get(id(violation))

    def texts_of(self, violations: Sequence[Violation]) -> list[bytes | None]:
        """``get`` of each violation, by C-level maps (a Python call for
        each of 190,000 violations took 0.19 s at 50,000 posts)."""
        return list(map(self._texts.get, map(id, violations)))

    def __len__(self) -> int:
        return len(self._texts)


class Parts:
    """What a format's pieces are: strings (``AS_STR``, for ``render``) or
    the bytes the command writes (``AS_UTF8``, for ``render_printout``).
    ``of(text)`` is a piece made of ``text``; ``texts`` gives each
    violation's piece."""

    def __init__(self, of: Callable[[str], Any], from_bytes: Callable[[bytes], Any] | None) -> None:
        self.of = of
        self._from_bytes = from_bytes  # a prerendered text as a piece (None: as it is)

    def texts(self, violations: Sequence[Violation], make: Callable[[Violation], str], prerendered: Prerendered | None) -> list[Any]:
        """Each violation's piece: of the text ``prerendered`` has for it, else
        of ``make(violation)``."""
        of = self.of
        if prerendered is None:
            return list(map(of, map(make, violations)))
        texts: list[Any] = prerendered.texts_of(violations)
        if self._from_bytes is not None:
            convert = self._from_bytes
            texts = [None if text is None else convert(text) for text in texts]
        if all(texts):
            return texts
        return [text or of(make(v)) for v, text in zip(violations, texts)]


def _utf8(text: str) -> bytes:
    """``text`` as the bytes the command writes: UTF-8, a surrogate (a file
    name Git gave as bytes that are not UTF-8) as the byte it stands for."""
    return text.encode("utf-8", "surrogateescape")


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


AS_STR = Parts(str, _decoded)
AS_UTF8 = Parts(_utf8, None)


def write_printout(stream: Any, printout: bytes) -> None:
    """``printout`` (UTF-8) on ``stream``: as its bytes where writing it as
    text would give those bytes (a UTF-8 stream whose lines end in "\n" and
    whose encoding errors are raised or kept as the bytes they came from),
    sparing a decode and an encode of the whole printout (over 100 MB at
    50,000 posts); else as text."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and os.linesep == "\n" and _plain_utf8(stream):
        stream.flush()  # what was written as text goes first
        buffer.write(printout)
    else:
        stream.write(_decoded(printout))


def _plain_utf8(stream: Any) -> bool:
    import codecs

    try:
        return codecs.lookup(stream.encoding).name == "utf-8" and stream.errors in ("strict", "surrogateescape")
    except (AttributeError, LookupError, TypeError):
        return False


def one_line(text: str) -> str:
    """``text`` with its line breaks turned into spaces, for formats whose consumers
    read one line per violation."""
    return _LINE_BREAK.sub(" ", text)


def detailed_message(violation: Violation) -> str:
    """The message followed by one line per suggestion and the fix, for formats
    that show a single block of text (annotations, SARIF results)."""
    lines = [violation.message]
    lines.extend(f"Suggestion: {s}" for s in violation.suggestions)
    if violation.fix is not None:
        lines.append(f"Fix ({violation.fix.applicability.value}): {violation.fix.title}")
    return "\n".join(lines)


def is_applicable(violation: Violation) -> bool:
    """Whether ``linklint fix`` can apply the violation's fix (with or without
    ``--unsafe-fixes``), as :attr:`Report.fixable` counts it; display-only fixes
    are advice."""
    fix = violation.fix
    return fix is not None and fix.applicability is not Applicability.DISPLAY_ONLY


class SourceLines:
    """The source lines of the report's files, split on demand. Only the last
    file's lines are kept: a report asks for each file's lines in a row (it
    is sorted by path), and so does a rule process (page by page). Keeping
    every file's would hold a second copy of the site's text."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        """``texts``: the files' texts by path (``Report.texts``), asked with
        ``get``."""
        self._texts = texts
        self._path: str | None = None
        self._lines: list[str] = []

    def line(self, path: str, line: int) -> str | None:
        """The text of 1-based ``line`` of ``path`` without its line ending, or
        ``None`` when the report does not carry that file or line."""
        if path != self._path:
            text = self._texts.get(path)
            if text is None:
                return None
            self._path, self._lines = path, _split(text)
        lines = self._lines
        if not 1 <= line <= len(lines):
            return None
        return lines[line - 1]


def _split(text: str) -> list[str]:
    """The lines of ``text`` as ``LineIndex`` numbers them, without their line
    endings (a final line break starts an empty last line)."""
    if "\r" not in text:
        return text.split("\n")  # most files: a third of the cost of an index
    index = LineIndex(text)
    return [index.line_text(number) for number in range(1, index.line_count + 1)]


def indented_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` plus a final line
    break, about three times as fast (see ``_indented``)."""
    out: list[str] = []
    _indented(value, out, "\n")
    out.append("\n")
    return "".join(out)


def indented_json_at(value: Any, newline: str) -> str:
    """``value`` as ``indented_json`` writes it nested where a line break is
    ``newline`` (the break and the indentation there), without a final line
    break."""
    out: list[str] = []
    _indented(value, out, newline)
    return "".join(out)


def _indented(value: Any, out: list[str], newline: str) -> None:
    """Append ``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)``
    writes it (keys are strings). That encoder indents in Python, with a
    generator per nested value: for a report of tens of thousands of
    violations, most of the printing. ``newline`` is a line break followed by
    the current indentation. Strings go through the encoder's own (C)
    escaping; only the layout is done here."""
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict) and value:
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_string(key))
            out.append(": ")
            _indented(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)) and value:
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _indented(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    else:  # other numbers, empty containers
        out.append(json.dumps(value))


_encoded_string = json.encoder.encode_basestring  # type: ignore[attr-defined]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _string(text: str) -> str:
    """``text`` as a JSON string, as ``json.dumps(ensure_ascii=False)`` writes
    it, but for a surrogate (a file name Git gave as bytes that are not UTF-8
    holds one for each such byte), written as its ``\\udcXX`` escape: the
    document stays UTF-8, and a reader gets the surrogate back."""
    encoded = _encoded_string(text)
    if encoded.isascii() or not _SURROGATE.search(encoded):
        return encoded
    return _SURROGATE.sub(_escaped, encoded)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
