"""Front matter: YAML (``---``), TOML (``+++``) or JSON (``{`` … ``}``) at the top of
a page, split by hand so the body keeps its absolute offsets.

python-frontmatter strips the body (offsets lost) and reads TOML only with an
extra package, so it is not used here.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from linklint.model import Problem, Span
from linklint.textpos import LineIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_FENCES = {"---": "yaml", "+++": "toml"}
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass
class FrontMatter:
    format: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    span: Span | None = None
    body_start: int = 0  # offset of the first body character
    body_line: int = 1
    problem: Problem | None = None
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line


def split(text: str, index: LineIndex) -> FrontMatter:
    first = index.line_text(1) if text else ""
    fence = first.rstrip()
    if fence in _FENCES:
        return _fenced(text, index, fence, _FENCES[fence])
    if first.startswith("{"):
        return _json(text, index)
    return FrontMatter()


def _fenced(text: str, index: LineIndex, fence: str, fmt: str) -> FrontMatter:
    closers = ("---", "...") if fmt == "yaml" else ("+++",)
    for line in range(2, index.line_count + 1):
        if index.line_text(line).rstrip() in closers:
            break
    else:
        if index.line_count > 1 and re.match(r"^\s*[\w\"'-]+\s*[:=]", index.line_text(2)):
            return FrontMatter(
                fmt,
                problem=Problem("LL902", f"{fmt.upper()} front matter opened on line 1 is never closed with `{fence}`", 1, 1),
            )
        return FrontMatter()  # a thematic break, not front matter
    content_start = index.line_start(2)
    content_end = index.line_start(line)
    body_start = index.line_start(line + 1) if line < index.line_count else len(text)
    span = index.span(0, index.line_start(line) + len(index.line_text(line)))
    source = text[content_start:content_end]
    result = FrontMatter(fmt, span=span, body_start=body_start, body_line=line + 1)
    data, problem = (_load_yaml if fmt == "yaml" else _load_toml)(source, first_line=2)
    if problem is not None:
        result.problem = problem
    else:
        result.data = data
    result.key_lines = _key_lines(index, 2, line - 1, fmt)
    return result


def _json(text: str, index: LineIndex) -> FrontMatter:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        return FrontMatter("json", problem=Problem("LL902", f"invalid JSON front matter: {exc.msg}", exc.lineno, exc.colno))
    if not isinstance(data, dict):
        return FrontMatter()
    end_line, _ = index.position(end)
    body_start = index.line_start(end_line + 1) if end_line < index.line_count else len(text)
    fm = FrontMatter("json", data=data, span=index.span(0, end), body_start=body_start, body_line=end_line + 1)
    fm.key_lines = _key_lines(index, 1, end_line, "json")
    return fm


def _load_yaml(source: str, first_line: int) -> tuple[dict, Problem | None]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(source, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        column = mark.column + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        detail = f"{context}, {reason}" if context else reason
        return {}, Problem("LL902", f"invalid YAML front matter: {detail}", line, column)
    return _mapping(data, "YAML", first_line)


def _load_toml(source: str, first_line: int) -> tuple[dict, Problem | None]:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_POSITION.search(message)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        reason = _TOML_POSITION.sub("", message).strip()
        return {}, Problem("LL902", f"invalid TOML front matter: {reason}", first_line + line - 1, column)
    return data, None


def _mapping(data: Any, name: str, first_line: int) -> tuple[dict, Problem | None]:
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        kind = type(data).__name__
        return {}, Problem("LL902", f"{name} front matter is a {kind}, not a mapping of keys to values", first_line, 1)
    return {str(k): v for k, v in data.items()}, None


def _key_lines(index: LineIndex, first: int, last: int, fmt: str) -> dict[str, int]:
    """The line of each top-level key, for findings that point at `title:`."""
    pattern = {
        "yaml": re.compile(r"^([A-Za-z0-9_-]+)\s*:"),
        "toml": re.compile(r"^([A-Za-z0-9_-]+)\s*="),
        "json": re.compile(r'^\s{0,4}"([^"]+)"\s*:'),
    }[fmt]
    lines: dict[str, int] = {}
    for line in range(first, last + 1):
        match = pattern.match(index.line_text(line))
        if match:
            lines.setdefault(match.group(1), line)
    return lines
