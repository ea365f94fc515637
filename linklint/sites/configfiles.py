"""Reading a site generator's own configuration files.

Every reader returns plain Python data (dicts, lists, strings) or ``None`` when
the file is missing or cannot be parsed: a generator config linklint does not
understand must never stop a run, the profile then falls back to the
generator's defaults.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from linklint.lazy import tomllib

_MAX_BYTES = 2_000_000


def _text(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None


@functools.cache
def _tolerant_loader() -> type:
    """PyYAML's safe loader that reads unknown tags as plain values instead of
    failing: ``mkdocs.yml`` is full of ``!!python/name:`` and ``!ENV`` tags.
    Made on first use: most sites have no YAML generator config, and PyYAML's
    import is 7 ms of a warm run's 0.1 s."""
    import yaml

    class TolerantLoader(yaml.SafeLoader):
        pass

    def unknown_tag(loader: TolerantLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return Tagged(node.tag, value)

    TolerantLoader.add_multi_constructor("!", unknown_tag)
    TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", unknown_tag)
    return TolerantLoader


class Tagged:
    """A YAML value with a tag linklint does not construct (``!ENV x``,
    ``!!python/name:pymdownx.slugs.uslugify``): the tag and the plain value."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value

    def __repr__(self) -> str:
        return f"Tagged({self.tag!r}, {self.value!r})"


def read_yaml(path: Path) -> Any:
    text = _text(path)
    if text is None:
        return None
    import yaml

    try:
        return yaml.load(text, Loader=_tolerant_loader())  # noqa: S506 - a safe loader
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def read_toml(path: Path) -> dict[str, Any] | None:
    text = _text(path)
    if text is None:
        return None
    toml = tomllib()
    try:
        return toml.loads(text)
    except (toml.TOMLDecodeError, RecursionError, ValueError):
        return None


_JSON_COMMENT = re.compile(r'("(?:[^"\\\n]|\\.)*")|//[^\n]*|/\*.*?\*/', re.S)


def read_json(path: Path) -> Any:
    """JSON, allowing the ``//`` and ``/* */`` comments and trailing commas
    that ``docfx.json`` and friends often carry."""
    text = _text(path)
    if text is None:
        return None
    text = _JSON_COMMENT.sub(lambda m: m.group(1) or "", text)
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError):
        return None


def read_any(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return read_toml(path)
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix == ".json":
        return read_json(path)
    return None


def _key(key: str) -> str:
    """A pattern for ``key`` as an object key, bare or quoted (``"docs":``,
    as configs written like JSON have it)."""
    return r"""(?:\b|["'])""" + re.escape(key) + r"""["']?"""


def js_string(text: str, key: str, constants: str | None = None) -> str | None:
    """The value of ``key: 'literal'`` in a JavaScript config, when it is written
    as a plain string literal (JavaScript configs cannot be evaluated here).
    With ``constants`` (the config's whole text), ``key: name`` is read too,
    when ``const name = 'literal'`` is there."""
    if constants is None:
        match = re.search(_key(key) + r"""\s*:\s*(['"`])([^'"`\n$]*)\1""", text)
        return match.group(2) if match else None
    match = re.search(_key(key) + r"""\s*:\s*(?:(['"`])([^'"`\n$]*)\1|([A-Za-z_$][\w$]*)\s*(?:[,}\n]|$))""", text)
    if match is None or match.group(2) is not None:
        return match.group(2) if match else None
    named = re.search(
        r"\b(?:const|let|var)\s+" + re.escape(match.group(3)) + r"""\s*(?::[^=\n]+)?=\s*(['"`])([^'"`\n$]*)\1""", constants
    )
    return named.group(2) if named else None


# Where a JavaScript config's object starts: `defineConfig({` (VitePress'
# `defineConfigWithTheme<Theme>({` too), `export default {`,
# `module.exports = {`, `const config = {` (Docusaurus' `const config: Config = {`).
_CONFIG_OBJECT = re.compile(
    r"define(?:Config|ConfigWithTheme|UserConfig)\s*(?:<[^>(\n]*>)?\s*\(\s*\{|export\s+default\s*\{|module\.exports\s*=\s*\{"
    r"|\bconst\s+config\s*(?::[^=\n]+)?=\s*\{"
)


def js_config_string(text: str, key: str) -> str | None:
    """``js_string`` of a key of the config object itself (``base`` in
    ``defineConfig({ base: '/docs' })``), not of an object inside it (a
    plugin's own ``base`` option); anywhere when no config object is found."""
    found = _CONFIG_OBJECT.search(text)
    if found is None:
        return js_string(text, key)
    body = braced(text, found.end() - 1)
    for match in re.finditer(_key(key) + r"""\s*:\s*(['"`])([^'"`\n$]*)\1""", body):
        if _depth_at(body, match.start()) == 0:
            return match.group(2)
    return None


def _depth_at(text: str, end: int) -> int | None:
    """How deep ``text[end]`` is in brackets, strings and comments skipped;
    None inside a string or a comment."""
    depth = 0
    i = 0
    while i < end:
        ch = text[i]
        if ch in "'\"`":
            close = i + 1
            while close < len(text) and text[close] != ch:
                close += 2 if text[close] == "\\" else 1
            if close >= end:
                return None
            i = close + 1
            continue
        if text.startswith("//", i):
            stop = text.find("\n", i)
            if stop < 0 or stop >= end:
                return None
            i = stop
            continue
        if text.startswith("/*", i):
            stop = text.find("*/", i + 2)
            if stop < 0 or stop + 2 > end:
                return None
            i = stop + 2
            continue
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        i += 1
    return depth


def js_value(text: str, key: str) -> str | None:
    """``key: true`` / ``key: false`` / ``key: undefined`` as written."""
    match = re.search(_key(key) + r"\s*:\s*(true|false|undefined|null)\b", text)
    return match.group(1) if match else None


def js_object(text: str, key: str) -> str | None:
    """The text inside the object literal written after ``key:`` or
    ``key =`` (``docs: {…}``), braces balanced; None when there is none."""
    match = re.search(_key(key) + r"\s*[:=]\s*\{", text)
    return braced(text, match.end() - 1) if match else None


def braced(text: str, start: int, pair: str = "{}") -> str:
    """The text between the ``{`` at ``start`` and its closing brace (to the
    end when it is not closed); ``pair="[]"`` for a bracketed list."""
    opening, closing = pair
    depth = 0
    for i in range(start, len(text)):
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    return text[start + 1 :]


def read_text(path: Path) -> str | None:
    return _text(path)


def lower_keys(value: Any) -> Any:
    """Hugo's configuration keys are case-insensitive: lower-case every key."""
    if isinstance(value, dict):
        return {str(k).lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


def dig(data: Any, *keys: str, default: Any = None) -> Any:
    """``data[k1][k2]…`` or ``default`` when a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data
