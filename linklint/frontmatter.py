"""Front matter: YAML (``---``), TOML (``+++``) or JSON (``{`` … ``}``) at the top of
a page, split by hand so the body keeps its absolute offsets.

python-frontmatter strips the body (offsets lost) and reads TOML only with an
extra package, so it is not used here. A malformed block is reported as an LL902
problem with its absolute line and column; it never raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from linklint.lazy import tomllib
from linklint.model import Problem, Span
from linklint.textpos import LineIndex

_FENCES = {"---": "yaml", "+++": "toml"}
_CLOSERS = {"yaml": ("---", "..."), "toml": ("+++",)}
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)")
# Hugo's JSON front matter: `{` alone on line 1, or `{"key": …`; not a template
# tag such as `{{< figure >}}` or `{% include %}`.
_JSON_START = re.compile(r"\{\s*(?:\"|\}|$)")
# An unclosed fence counts as broken front matter (rather than a thematic break)
# when the next line looks like a key.
_BARE_CR = re.compile(r"\r(?!\n)")
_JSON_END = re.compile(r"^\}[ \t]*$", re.M)
_KEY_LINE = re.compile(r"^\s*[\w\"'-]+\s*[:=]")
_BRACKETS = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|[\[\]{}]")
# Deeper nesting is never real front matter, and it crashes libyaml (a C stack
# overflow) or later pickling (RecursionError), so it is refused before loading.
MAX_DEPTH = 100
_KINDS = {"list": "a list", "str": "a string", "int": "a number", "float": "a number", "bool": "true or false"}
_KEY_PATTERNS = {
    "yaml": re.compile(r"^([A-Za-z0-9_-]+)\s*:"),
    "toml": re.compile(r"^([A-Za-z0-9_-]+)\s*="),
    "json": re.compile(r'^\s{0,4}"([^"]+)"\s*:'),
}


@dataclass
class FrontMatter:
    format: str | None = None  # "yaml", "toml", "json"; None when there is none
    data: dict[str, Any] = field(default_factory=dict)
    span: Span | None = None  # the whole block, fences included
    body_start: int = 0  # offset of the first body character
    body_line: int = 1
    problem: Problem | None = None
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line


def split(text: str, index: LineIndex) -> FrontMatter:
    """The front matter at the top of ``text`` (``index`` is its ``LineIndex``)."""
    if not text:
        return FrontMatter()
    first = index.line_text(1)
    fence = first.rstrip()
    if fence in _FENCES:
        return _fenced(text, index, fence, _FENCES[fence])
    if _JSON_START.match(first):
        return _json(text, index)
    return FrontMatter()


def _fenced(text: str, index: LineIndex, fence: str, fmt: str) -> FrontMatter:
    closers = _CLOSERS[fmt]
    for line in range(2, index.line_count + 1):
        if index.line_text(line).rstrip() in closers:
            break
    else:
        if index.line_count > 1 and _KEY_LINE.match(index.line_text(2)):
            message = f"{fmt.upper()} front matter opened on line 1 is never closed with `{fence}`"
            return FrontMatter(fmt, problem=Problem("LL902", message, 1, 1))
        return FrontMatter()  # a thematic break, not front matter
    body_start = index.line_start(line + 1) if line < index.line_count else len(text)
    span = index.span(0, index.line_start(line) + len(index.line_text(line)))
    result = FrontMatter(fmt, span=span, body_start=body_start, body_line=line + 1)
    source = text[index.line_start(2) : index.line_start(line)]
    load = _load_yaml if fmt == "yaml" else _load_toml
    data, problem = _guarded(load, source, fmt, first_line=2, last_line=max(2, line - 1))
    if problem is not None:
        result.problem = problem
    else:
        result.data = data
        result.key_lines = _key_lines(index, 2, line - 1, fmt)
    return result


def _json(text: str, index: LineIndex) -> FrontMatter:
    too_deep = _too_deep(text, stop_at_zero=True)
    if too_deep is not None:
        line, column = index.position(too_deep)
        return _broken_json(text, index, _depth_problem("JSON", line, column))
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        return _broken_json(text, index, Problem("LL902", f"invalid JSON front matter: {exc.msg}", exc.lineno, exc.colno))
    except (RecursionError, ValueError) as exc:
        return _broken_json(text, index, Problem("LL902", f"invalid JSON front matter: {exc}", 1, 1))
    if not isinstance(data, dict):  # pragma: no cover - a `{` start always gives an object
        return FrontMatter()
    end_line, _ = index.position(end)
    body_start = index.line_start(end_line + 1) if end_line < index.line_count else len(text)
    fm = FrontMatter("json", data=data, span=index.span(0, end), body_start=body_start, body_line=end_line + 1)
    fm.key_lines = _key_lines(index, 1, end_line, "json")
    return fm


def _broken_json(text: str, index: LineIndex, problem: Problem) -> FrontMatter:
    """Invalid JSON front matter ends, as Hugo writes it, at the first line that
    is a lone ``}``; the body after it is still checked."""
    closing = _JSON_END.search(text)
    if closing is None:
        return FrontMatter("json", problem=problem)
    end_line, _ = index.position(closing.start())
    body_start = index.line_start(end_line + 1) if end_line < index.line_count else len(text)
    span = index.span(0, closing.start() + 1)
    return FrontMatter("json", span=span, body_start=body_start, body_line=end_line + 1, problem=problem)


Loader = Callable[[str, int, int], "tuple[dict[str, Any], Problem | None]"]


def _guarded(load: Loader, source: str, fmt: str, first_line: int, last_line: int) -> tuple[dict[str, Any], Problem | None]:
    """Run a loader so that nothing in the source can crash the run: too deep
    nesting is refused first, and any exception becomes a problem."""
    too_deep = _too_deep(source)
    if too_deep is not None:
        local = LineIndex(source)
        line, column = local.position(too_deep)
        return {}, _depth_problem(fmt.upper(), first_line + line - 1, column)
    try:
        return load(source, first_line, last_line)
    except Exception as exc:  # noqa: BLE001 - e.g. ValueError for `date: 2024-13-45`
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {}, Problem("LL902", f"invalid {fmt.upper()} front matter: {reason}", first_line, 1)


def _load_yaml(source: str, first_line: int, last_line: int) -> tuple[dict[str, Any], Problem | None]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(source, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = min(first_line + mark.line, last_line + 1) if mark is not None else first_line
        column = mark.column + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        detail = f"{context}, {reason}" if context else reason
        return {}, Problem("LL902", f"invalid YAML front matter: {detail}", line, column)
    return _mapping(data, "YAML", first_line)


def _load_toml(source: str, first_line: int, last_line: int) -> tuple[dict[str, Any], Problem | None]:
    toml = tomllib()
    try:
        # TOML knows only \n and \r\n; a page with bare \r line endings is as
        # valid as any other (same length, so positions are kept).
        data = toml.loads(_BARE_CR.sub("\n", source))
    except toml.TOMLDecodeError as exc:
        message = str(exc).splitlines()[0]
        line, column = 1, 1
        where = _TOML_POSITION.search(message)
        if getattr(exc, "lineno", None):  # Python 3.14 and later
            line, column = exc.lineno, exc.colno
        elif where:
            line, column = int(where.group(1)), int(where.group(2))
        elif _TOML_AT_END.search(message):
            line = last_line - first_line + 1
        reason = _TOML_AT_END.sub("", _TOML_POSITION.sub("", getattr(exc, "msg", None) or message)).strip()
        return {}, Problem("LL902", f"invalid TOML front matter: {reason}", first_line + line - 1, column)
    return data, None


def _mapping(data: Any, name: str, first_line: int) -> tuple[dict[str, Any], Problem | None]:
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        kind = _KINDS.get(type(data).__name__, "a " + type(data).__name__)
        return {}, Problem("LL902", f"{name} front matter is {kind}, not a mapping of keys to values", first_line, 1)
    return {str(k): v for k, v in data.items()}, None


def _too_deep(source: str, stop_at_zero: bool = False) -> int | None:
    """The offset where brackets (outside quoted strings) nest deeper than
    ``MAX_DEPTH``, or None. With ``stop_at_zero`` the scan ends where the first
    bracket is closed again (the end of a JSON object; the body follows)."""
    if source.count("[") + source.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for match in _BRACKETS.finditer(source):
        char = match.group(0)
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                if stop_at_zero:
                    return None
                depth = 0
    return None


def _depth_problem(name: str, line: int, column: int) -> Problem:
    return Problem("LL902", f"invalid {name} front matter: nested more than {MAX_DEPTH} levels deep", line, column)


def _key_lines(index: LineIndex, first: int, last: int, fmt: str) -> dict[str, int]:
    """The line of each top-level key, for findings that point at `title:`."""
    pattern = _KEY_PATTERNS[fmt]
    lines: dict[str, int] = {}
    for line in range(first, last + 1):
        match = pattern.match(index.line_text(line))
        if match:
            lines.setdefault(match.group(1), line)
    return lines
