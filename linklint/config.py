"""Configuration: where it is found, what it may say, and how presets, the
config file, per-path overrides and front matter combine into one setting per
rule and page.

A configuration is ``.linklint.yaml`` (or ``.linklint.yml``) or the
``[tool.linklint]`` table of ``pyproject.toml``. It is layered, lowest first:

1. the rules' own defaults (level and options declared by each rule module);
2. the presets and files named by ``extends:``, base of the chain first (a file
   without ``extends:`` builds on the ``recommended`` preset);
3. the file itself;
4. its ``overrides:`` whose ``paths`` match the page, in order;
5. the page's ``linklint:`` front-matter key (see `apply_front_matter`).

Scalars and lists (``include`` …) set by a later layer replace the earlier
value; rule options are merged one by one; ``overrides`` of every file in the
chain are kept, the base file's first.

Everything a user writes is validated, and every mistake is a `ConfigError`
that names the file, the line and the dotted key (``rules.LL001.min``).
"""

from __future__ import annotations

import copy
import datetime
import difflib
import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Mapping, Sequence
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean

from linklint.lazy import tomllib
from linklint.rules.base import Level, Option, RuleSetting
from linklint.tomllines import TomlKeyLines

CONFIG_NAMES = (".linklint.yaml", ".linklint.yml")
PYPROJECT = "pyproject.toml"
DEFAULT_PRESET = "recommended"
# The presets shipped with linklint, beside this module. (``importlib.resources``
# finds the same folder, after 2 ms of imports at every run's start.)
PRESETS_FOLDER = Path(__file__).with_name("presets")
AUTO_SITE = "auto"

DEFAULT_INCLUDE = ("**/*.md", "**/*.markdown", "**/*.mdx")

# Top-level keys, in the order the documentation lists them.
KEYS = (
    "extends",
    "site",
    "content",
    "base_url",
    "include",
    "exclude",
    "posts",
    "landing_pages",
    "max_file_size",
    "language",
    "generator",
    "rules",
    "overrides",
)
# Settings of a generator that linklint cannot read from the generator's own
# config when that is a program (docusaurus.config.js, .eleventy.js,
# astro.config.mjs): see docs/generators.md.
GENERATOR_KEYS = ("url", "base_path", "docs_path", "docs_route", "blog_path", "blog_route", "input")
OVERRIDE_KEYS = ("paths", "rules")
FRONT_MATTER_KEYS = ("disable", "rules")

# The key in a `rules:` mapping that sets the level of every rule; it is applied
# before the keys that name one rule, wherever it is written.
ALL_RULES = "all"

LEVELS_TEXT = "error, warning or off"

# BCP 47-like: "en", "de", "pt-BR", "zh_Hant". Enough to catch "english".
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")

# A path inside the settings: mapping keys are strings, list indices ints.
KeyPath = tuple[Any, ...]


# -- public types -------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """What the config loader needs to know about a rule; the caller builds these
    from the rule modules so this module imports no rule."""

    code: str
    name: str
    level: str
    options: Mapping[str, Option]


class ConfigError(Exception):
    """A configuration mistake. ``str(e)`` is ``path:line: key: message``;
    parts that are not known are left out."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.key = key

    def __str__(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(self.path if self.line is None else f"{self.path}:{self.line}")
        if self.key:
            parts.append(self.key)
        parts.append(self.message)
        return ": ".join(parts)

    def __reduce__(self):  # keep the keyword-only fields across pickling
        return (_rebuild_error, (self.message, self.path, self.line, self.key))


def _rebuild_error(message: str, path: str | None, line: int | None, key: str | None) -> ConfigError:
    return ConfigError(message, path=path, line=line, key=key)


@dataclass(frozen=True)
class RuleChange:
    """What one config entry changes about one rule; None and missing options
    leave the earlier value."""

    level: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleChanges:
    """One ``rules:`` mapping, validated."""

    all_level: str | None = None
    rules: Mapping[str, RuleChange] = field(default_factory=dict)

    def apply(self, settings: Mapping[str, RuleSetting]) -> dict[str, RuleSetting]:
        result = dict(settings)
        if self.all_level is not None:
            result = {code: RuleSetting(self.all_level, s.options) for code, s in result.items()}
        for code, change in self.rules.items():
            old = result.get(code)
            if old is None:
                continue
            level = change.level if change.level is not None else old.level
            result[code] = RuleSetting(level, {**old.options, **change.options})
        return result


@dataclass(frozen=True)
class Override:
    """Rule changes for the pages that match one of ``paths`` (content-relative globs)."""

    paths: tuple[str, ...]
    rules: RuleChanges

    def matches(self, path: str) -> bool:
        return matches_any(self.paths, path)


@dataclass(frozen=True)
class Config:
    """The settings of one run. Paths given to the methods are POSIX paths
    relative to the content root."""

    path: Path | None
    site: str = AUTO_SITE
    content: str = "."
    base_url: str | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    posts: tuple[str, ...] = ("**",)
    landing_pages: tuple[str, ...] = ()
    max_file_size: int = 5_000_000
    language: str = "en"
    # A generator's settings given here rather than read from its files.
    generator: Mapping[str, str] = field(default_factory=dict)
    # Every rule's setting before overrides and front matter.
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    # Settings per set of matching overrides: a site has thousands of pages but
    # only a handful of distinct override combinations.
    _cache: dict[tuple[int, ...], dict[str, RuleSetting]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def rule_settings(self, path: str) -> dict[str, RuleSetting]:
        """Code → setting for the page at ``path``, after presets, config and
        overrides. The dict is the caller's; the settings in it are shared."""
        matched = tuple(i for i, o in enumerate(self.overrides) if o.matches(path))
        settings = self._cache.get(matched)
        if settings is None:
            settings = dict(self.rules)
            for i in matched:
                settings = self.overrides[i].rules.apply(settings)
            self._cache[matched] = settings
        return dict(settings)

    def is_included(self, path: str) -> bool:
        return matches_any(self.include, path)

    def is_excluded(self, path: str) -> bool:
        return matches_any(self.exclude, path)

    def is_post(self, path: str) -> bool:
        return matches_any(self.posts, path)

    def is_landing_page(self, path: str) -> bool:
        return matches_any(self.landing_pages, path)


# -- globs ----------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Compile a path glob: ``**`` as a whole segment matches any number of
    segments (none included), ``*`` any run of characters within one segment,
    ``?`` one character but ``/``, ``[…]`` a class (``[!…]`` or ``[^…]``
    negated, never ``/``), ``\\`` escapes the next character. ``**`` inside a
    segment (``**.md``) acts as ``*``. A leading ``/`` or ``./`` is dropped (globs
    are relative to the content root anyway) and a trailing ``/`` means
    everything below that folder. Raises ValueError for a pattern that does not
    compile (``[z-a]``).

    ``fnmatch`` is not used because its ``*`` crosses ``/``."""
    segments = _normalise_glob(pattern).split("/")
    regex = []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "**":
            regex.append(".*" if last else "(?:.*/)?")
        else:
            regex.append(_segment_regex(segment) + ("" if last else "/"))
    try:
        return re.compile("".join(regex), re.DOTALL)
    except re.error as exc:
        raise ValueError(f"invalid glob {json.dumps(pattern)}: {exc.msg}") from None


def _normalise_glob(pattern: str) -> str:
    if pattern.endswith("/"):
        pattern += "**"
    pattern = re.sub(r"/{2,}", "/", pattern)
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.lstrip("/")


def _segment_regex(segment: str) -> str:
    out = []
    i, n = 0, len(segment)
    while i < n:
        char = segment[i]
        if char == "*":
            while i + 1 < n and segment[i + 1] == "*":
                i += 1
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(segment[i]))
        elif char == "[":
            end = _class_end(segment, i)
            if end < 0:
                out.append(re.escape(char))
            else:
                out.append(_class_regex(segment[i + 1 : end]))
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _class_end(segment: str, start: int) -> int:
    """Index of the ``]`` closing the class opened at ``start``, or -1. A ``]``
    right after ``[`` (or ``[!``) is a member, as in shell globs."""
    j = start + 1
    if j < len(segment) and segment[j] in "!^":
        j += 1
    if j < len(segment) and segment[j] == "]":
        j += 1
    return segment.find("]", j)


def _class_regex(body: str) -> str:
    negated = body[:1] in ("!", "^")
    if negated:
        body = body[1:]
    members = "".join(c if c == "-" else re.escape(c) for c in body)
    # A class never matches the separator, even through a range such as [+-0].
    return f"[^/{members}]" if negated else f"(?!/)[{members}]"


@functools.lru_cache(maxsize=256)
def _globs_regex(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{glob_to_regex(p).pattern})" for p in patterns), re.DOTALL)


def matches_any(patterns: Sequence[str], path: str) -> bool:
    """Whether the content-relative POSIX ``path`` matches one of ``patterns``."""
    regex = _globs_regex(tuple(patterns))
    return regex is not None and regex.fullmatch(path) is not None


def globs_matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    """``matches_any(patterns, path)`` as a function of the path, for asking
    it of every file (the patterns compiled and looked up once)."""
    regex = _globs_regex(tuple(patterns))
    if regex is None:
        return lambda path: False
    fullmatch = regex.fullmatch
    return lambda path: fullmatch(path) is not None


# -- loading ----------------------------------------------------------------------


def find_config_file(root: Path) -> Path | None:
    """The config file of the repository at ``root``: ``.linklint.yaml``,
    ``.linklint.yml``, else ``pyproject.toml`` if it has a ``[tool.linklint]``
    table."""
    for name in CONFIG_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    candidate = root / PYPROJECT
    if candidate.is_file():
        text = _read_text(candidate, PYPROJECT)
        if _toml_table(text, PYPROJECT) is not None:
            return candidate
    return None


def load_config(
    root: Path,
    specs: Sequence[RuleSpec],
    *,
    config_file: Path | None = None,
    profiles: Collection[str] = ("plain",),
) -> Config:
    """Read the configuration of the repository at ``root``: ``config_file`` if
    given (judged by its name: ``*.toml`` means its ``[tool.linklint]`` table),
    else the file `find_config_file` finds, else the ``recommended`` preset.
    ``profiles`` are the generator names ``site:`` may name besides ``auto``."""
    loader = _Loader(Path(os.path.abspath(root)), _RuleIndex(specs), tuple(profiles))
    path = Path(config_file) if config_file is not None else find_config_file(loader.root)
    layers = loader.file_chain(path, ()) if path is not None else loader.preset_chain(DEFAULT_PRESET, ())
    values: dict[str, Any] = {}
    settings = {
        s.code: RuleSetting(s.level, {name: copy.deepcopy(o.default) for name, o in s.options.items()})
        for s in specs
    }
    overrides: list[Override] = []
    for layer in layers:
        values.update(layer.values)
        settings = layer.rules.apply(settings)
        overrides.extend(layer.overrides)
    return Config(path=path, rules=settings, overrides=tuple(overrides), **values)


@functools.lru_cache(maxsize=None)
def preset_names() -> tuple[str, ...]:
    """The presets shipped with linklint, by name."""
    return tuple(sorted(p.name[: -len(".yaml")] for p in PRESETS_FOLDER.iterdir() if p.name.endswith(".yaml")))


@dataclass(frozen=True)
class _Layer:
    """What one file or preset says, validated."""

    values: dict[str, Any]
    rules: RuleChanges
    overrides: tuple[Override, ...]


@dataclass(frozen=True)
class _Source:
    """Where settings came from, for messages: the file as shown to the user, the
    line of each key path, and the keys above the settings (``tool.linklint``)."""

    display: str | None
    lines: Mapping[KeyPath, int] = field(default_factory=dict)
    prefix: KeyPath = ()

    def line(self, keypath: KeyPath) -> int | None:
        # Not every key has a known line (TOML arrays, merged YAML keys): fall
        # back to the closest enclosing key that has one.
        while True:
            line = self.lines.get(keypath)
            if line is not None or not keypath:
                return line
            keypath = keypath[:-1]

    def error(self, keypath: KeyPath, message: str) -> ConfigError:
        return ConfigError(
            message,
            path=self.display,
            line=self.line(keypath),
            key=_dotted(self.prefix + keypath) or None,
        )


class _RuleIndex:
    """The caller's rules, found by code (any case) or name."""

    def __init__(self, specs: Sequence[RuleSpec]) -> None:
        self.specs = {s.code: s for s in specs}
        self.words: dict[str, RuleSpec] = {}
        for spec in specs:
            self.words[spec.code.lower()] = spec
            self.words[spec.name.lower()] = spec

    def find(self, word: object) -> RuleSpec | None:
        return self.words.get(word.strip().lower()) if isinstance(word, str) else None

    def unknown(self, word: object) -> str:
        if isinstance(word, str):
            close = difflib.get_close_matches(word.strip().lower(), list(self.words), n=1)
            if close:
                spec = self.words[close[0]]
                if close[0] == spec.code.lower():
                    return f"unknown rule; did you mean '{spec.code}' ({spec.name})?"
                return f"unknown rule; did you mean '{spec.name}' ({spec.code})?"
        return f"unknown rule; expected a rule code or name: {', '.join(self.specs)}"


class _Loader:
    """Reads config files and presets into validated layers."""

    def __init__(self, root: Path, rules: _RuleIndex, profiles: tuple[str, ...]) -> None:
        self.root = root
        self.rules = rules
        self.profiles = profiles

    def display(self, path: Path) -> str:
        """A file as messages show it: relative to the root when it is inside."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- chains ---------------------------------------------------------------

    def file_chain(self, path: Path, stack: tuple[tuple[str, str], ...]) -> list[_Layer]:
        display = self.display(path)
        text = _read_text(path, display)
        if path.suffix.lower() == ".toml":
            found = _toml_table(text, display)
            if found is None:
                raise ConfigError("no [tool.linklint] table", path=display)
            data, source = found
        else:
            data, source = _yaml_settings(text, display)
        identity = os.path.normcase(os.path.abspath(path))
        folder = Path(os.path.abspath(path)).parent
        return self._chain(data, source, folder, stack + ((identity, display),), preset=False)

    def preset_chain(self, name: str, stack: tuple[tuple[str, str], ...]) -> list[_Layer]:
        display = f"linklint/presets/{name}.yaml"
        text = (PRESETS_FOLDER / f"{name}.yaml").read_text(encoding="utf-8")
        data, source = _yaml_settings(text, display)
        return self._chain(data, source, self.root, stack + ((f"preset:{name}", display),), preset=True)

    def _chain(
        self,
        data: object,
        source: _Source,
        folder: Path,
        stack: tuple[tuple[str, str], ...],
        *,
        preset: bool,
    ) -> list[_Layer]:
        layer = self.layer(data, source, folder)
        assert isinstance(data, dict)  # layer() has checked it
        if "extends" in data:
            parents = self.parent(data["extends"], source, folder, stack, preset=preset)
        elif preset:
            parents = []
        else:
            parents = self.preset_chain(DEFAULT_PRESET, stack)
        return parents + [layer]

    def parent(
        self,
        value: str,
        source: _Source,
        folder: Path,
        stack: tuple[tuple[str, str], ...],
        *,
        preset: bool,
    ) -> list[_Layer]:
        """The layers ``extends: value`` names: a preset by name or a file by a
        path relative to ``folder`` (presets may only extend presets)."""
        presets = preset_names()
        if value in presets:
            self._check_cycle(f"preset:{value}", f"linklint/presets/{value}.yaml", source, stack)
            return self.preset_chain(value, stack)
        target = folder / value
        looks_like_path = "/" in value or "\\" in value or value.endswith((".yaml", ".yml", ".toml"))
        if preset or not (looks_like_path or target.exists()):
            hint = _hint(value, presets)
            choices = "" if hint else f"; expected one of: {', '.join(presets)}, or a path to a config file"
            raise source.error(("extends",), f"unknown preset {_quote(value)}{choices}{hint}")
        if not target.is_file():
            raise source.error(("extends",), f"no such file: {self.display(target)}")
        self._check_cycle(os.path.normcase(os.path.abspath(target)), self.display(target), source, stack)
        return self.file_chain(target, stack)

    @staticmethod
    def _check_cycle(identity: str, display: str, source: _Source, stack: tuple[tuple[str, str], ...]) -> None:
        if identity in (i for i, _ in stack):
            chain = " -> ".join([d for _, d in stack] + [display])
            raise source.error(("extends",), f"circular extends: {chain}")

    # -- one file -----------------------------------------------------------------

    def layer(self, data: object, source: _Source, folder: Path) -> _Layer:
        if not isinstance(data, dict):
            raise source.error((), f"expected a mapping of settings, got {_describe(data)}")
        parsers: dict[str, Callable[[Any, KeyPath, _Source], Any]] = {
            "extends": _parse_extends,
            "site": self._parse_site,
            "content": lambda v, k, s: self._parse_content(v, k, s, folder),
            "base_url": _parse_base_url,
            "include": _parse_globs,
            "exclude": _parse_globs,
            "posts": _parse_globs,
            "landing_pages": _parse_globs,
            "max_file_size": _parse_max_file_size,
            "language": _parse_language,
            "generator": _parse_generator,
            "rules": lambda v, k, s: _parse_rules(v, k, s, self.rules),
            "overrides": self._parse_overrides,
        }
        values: dict[str, Any] = {}
        rules = RuleChanges()
        overrides: tuple[Override, ...] = ()
        # In file order, so the first mistake reported is the first in the file.
        for key, value in data.items():
            parser = parsers.get(key)
            if parser is None:
                raise source.error((key,), _unknown_key(key, KEYS))
            parsed = parser(value, (key,), source)
            if key == "rules":
                rules = parsed
            elif key == "overrides":
                overrides = parsed
            elif key != "extends":
                values[key] = parsed
        return _Layer(values, rules, overrides)

    def _parse_site(self, value: object, keypath: KeyPath, source: _Source) -> str:
        names = (AUTO_SITE, *self.profiles)
        if not isinstance(value, str):
            raise source.error(keypath, f"expected a generator name ({', '.join(names)}), got {_describe(value)}")
        if value not in names:
            hint = _hint(value, names)
            raise source.error(
                keypath, f"unknown generator {_quote(value)}; expected one of: {', '.join(names)}{hint}"
            )
        return value

    def _parse_content(self, value: object, keypath: KeyPath, source: _Source, folder: Path) -> str:
        if not isinstance(value, str) or not value.strip():
            raise source.error(keypath, f"expected a folder path, got {_describe(value)}")
        absolute = os.path.normpath(os.path.join(folder, value))
        try:
            rel = os.path.relpath(absolute, self.root)
        except ValueError:  # another drive
            rel = os.pardir
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            raise source.error(keypath, f"{_quote(value)} is outside the repository")
        if not os.path.isdir(absolute):
            raise source.error(keypath, f"no such folder: {_quote(value)}")
        return Path(rel).as_posix()

    def _parse_overrides(self, value: object, keypath: KeyPath, source: _Source) -> tuple[Override, ...]:
        if not isinstance(value, list):
            raise source.error(keypath, f"expected a list of mappings with paths and rules, got {_describe(value)}")
        overrides = []
        for index, item in enumerate(value):
            here = keypath + (index,)
            if not isinstance(item, dict):
                raise source.error(here, f"expected a mapping with paths and rules, got {_describe(item)}")
            for key in item:
                if key not in OVERRIDE_KEYS:
                    raise source.error(here + (key,), _unknown_key(key, OVERRIDE_KEYS))
            for key in OVERRIDE_KEYS:
                if key not in item:
                    raise source.error(here, f"missing key '{key}'")
            paths = _parse_globs(item["paths"], here + ("paths",), source)
            if not paths:
                raise source.error(here + ("paths",), "expected at least one glob")
            overrides.append(Override(paths, _parse_rules(item["rules"], here + ("rules",), source, self.rules)))
        return tuple(overrides)


# -- value checks --------------------------------------------------------------------


def _parse_extends(value: object, keypath: KeyPath, source: _Source) -> str:
    if not isinstance(value, str) or not value.strip():
        raise source.error(keypath, f"expected a preset name or a file path, got {_describe(value)}")
    return value


def _parse_base_url(value: object, keypath: KeyPath, source: _Source) -> str | None:
    if value is None:
        return None
    problem = f"expected an http(s) URL with a host, such as https://example.com/blog/, got {_describe(value)}"
    if not isinstance(value, str):
        raise source.error(keypath, problem)
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # a malformed IPv6 host or port
        raise source.error(keypath, problem) from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise source.error(keypath, problem)
    return value


def _parse_globs(value: object, keypath: KeyPath, source: _Source) -> tuple[str, ...]:
    if isinstance(value, str):
        raise source.error(
            keypath, f"expected a list of globs, got {_describe(value)}; write [{_quote(value)}] for one glob"
        )
    if not isinstance(value, list):
        raise source.error(keypath, f"expected a list of globs, got {_describe(value)}")
    globs = []
    for index, item in enumerate(value):
        here = keypath + (index,)
        if not isinstance(item, str):
            raise source.error(here, f"expected a glob (a string), got {_describe(item)}")
        if not item.strip():
            raise source.error(here, "empty glob")
        try:
            glob_to_regex(item)
        except ValueError as exc:
            raise source.error(here, str(exc)) from None
        globs.append(item)
    return tuple(globs)


def _parse_max_file_size(value: object, keypath: KeyPath, source: _Source) -> int:
    option = Option(5_000_000, int, "Largest file (bytes) that is parsed.", minimum=1)
    return _check_option(value, option, keypath, source)


def _parse_language(value: object, keypath: KeyPath, source: _Source) -> str:
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
        raise source.error(keypath, f"expected a language code such as en or pt-BR, got {_describe(value)}")
    return value


def _parse_generator(value: object, keypath: KeyPath, source: _Source) -> dict[str, str]:
    if not isinstance(value, dict):
        raise source.error(keypath, f"expected a mapping of generator settings, got {_describe(value)}")
    settings: dict[str, str] = {}
    for key, item in value.items():
        here = keypath + (str(key),)
        if key not in GENERATOR_KEYS:
            raise source.error(here, _unknown_key(str(key), GENERATOR_KEYS))
        if key == "url":
            item = _parse_base_url(item, here, source)
        elif not isinstance(item, str):
            raise source.error(here, f"expected a path (a string), got {_describe(item)}")
        if item is not None:
            settings[key] = item
    return settings


def _parse_level(value: object, keypath: KeyPath, source: _Source) -> str:
    if not isinstance(value, str):
        raise source.error(keypath, f"expected a level ({LEVELS_TEXT}), got {_describe(value)}")
    if value not in Level.ALL:
        hint = _hint(value, Level.ALL)
        raise source.error(keypath, f"invalid level {_quote(value)}; expected {LEVELS_TEXT}{hint}")
    return value


def _parse_rules(
    value: object, keypath: KeyPath, source: _Source, index: _RuleIndex, errors: list[str] | None = None
) -> RuleChanges:
    """A ``rules:`` mapping. With ``errors``, bad entries are reported there and
    skipped instead of raised (front matter must never stop a run)."""
    if not isinstance(value, dict):
        error = source.error(
            keypath, f"expected a mapping of rule codes or names to levels or options, got {_describe(value)}"
        )
        if errors is None:
            raise error
        errors.append(str(error))
        return RuleChanges()
    all_level: str | None = None
    changes: dict[str, RuleChange] = {}
    written: dict[str, str] = {}  # code -> the key that configured it
    for key, entry in value.items():
        here = keypath + (key,)
        try:
            if key.strip().lower() == ALL_RULES:
                all_level = _parse_level(entry, here, source)
                continue
            spec = index.find(key)
            if spec is None:
                raise source.error(here, index.unknown(key))
            if spec.code in written:
                raise source.error(here, f"same rule as {_quote(written[spec.code])}; configure each rule once")
            changes[spec.code] = _parse_rule_value(entry, here, source, spec)
            written[spec.code] = key
        except ConfigError as error:
            if errors is None:
                raise
            errors.append(str(error))
    return RuleChanges(all_level, changes)


def _parse_rule_value(value: object, keypath: KeyPath, source: _Source, spec: RuleSpec) -> RuleChange:
    """``error`` / ``warning`` / ``off``, or ``{level: …, <option>: …}``."""
    if isinstance(value, str):
        return RuleChange(level=_parse_level(value, keypath, source))
    if not isinstance(value, dict):
        raise source.error(
            keypath, f"expected a level ({LEVELS_TEXT}) or a mapping of options, got {_describe(value)}"
        )
    level: str | None = None
    options: dict[str, Any] = {}
    for name, option_value in value.items():
        here = keypath + (name,)
        if name == "level":
            level = _parse_level(option_value, here, source)
            continue
        option = spec.options.get(name)
        if option is None:
            raise source.error(here, _unknown_option(name, spec))
        options[name] = _check_option(option_value, option, here, source)
    return RuleChange(level, options)


def _unknown_option(name: str, spec: RuleSpec) -> str:
    rule = f"{spec.name} ({spec.code})"
    names = ("level", *spec.options)
    hint = _hint(name, names)
    if hint:
        return f"unknown option for {rule}{hint}"
    if not spec.options:
        return f"unknown option for {rule}; it has no options besides level"
    return f"unknown option for {rule}; expected one of: {', '.join(names)}"


def _check_option(value: object, option: Option, keypath: KeyPath, source: _Source) -> Any:
    types = option.type if isinstance(option.type, tuple) else (option.type,)
    if not _is_a(value, types):
        expected = _type_phrase(types, option.item_type)
        raise source.error(keypath, f"expected {expected}, got {_describe(value)}")
    if option.item_type is not None and isinstance(value, list):
        for index, item in enumerate(value):
            if not _is_a(item, (option.item_type,)):
                expected = _type_phrase((option.item_type,))
                raise source.error(keypath + (index,), f"expected {expected}, got {_describe(item)}")
    if option.minimum is not None and isinstance(value, (int, float)) and value < option.minimum:
        raise source.error(keypath, f"must be at least {_number(option.minimum)}, got {_number(value)}")
    return copy.deepcopy(value)


def _is_a(value: object, types: tuple[type, ...]) -> bool:
    # YAML and TOML booleans are Python bools, and bool is an int: `min: true`
    # must not pass as 1.
    if isinstance(value, bool):
        return bool in types
    # An integer is a fine value for a number option (`max_share: 1`).
    if isinstance(value, int) and float in types:
        return True
    return isinstance(value, types)


_TYPE_PHRASES: dict[type, tuple[str, str]] = {
    int: ("an integer", "integers"),
    float: ("a number", "numbers"),
    bool: ("true or false", "booleans"),
    str: ("a string", "strings"),
    list: ("a list", "lists"),
    dict: ("a mapping", "mappings"),
}


def _type_phrase(types: tuple[type, ...], item_type: type | None = None) -> str:
    if set(types) == {int, float}:
        return "a number"
    phrases = []
    for kind in types:
        if kind is list and item_type is not None:
            phrases.append(f"a list of {_TYPE_PHRASES.get(item_type, ('', item_type.__name__))[1]}")
        else:
            phrases.append(_TYPE_PHRASES.get(kind, (kind.__name__,))[0])
    return " or ".join(phrases)


def _describe(value: object) -> str:
    """A value as a message shows what the user wrote."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({_quote(shown)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"a date ({value.isoformat()})"
    tag = getattr(value, "tag", None)
    if tag is not None:
        return f"a value tagged {getattr(tag, 'value', tag)}"
    return f"a value of type {type(value).__name__}"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _hint(word: object, choices: Sequence[str]) -> str:
    """``; did you mean 'x'?`` for a near miss (any case), else ``""``."""
    if not isinstance(word, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.strip().lower(), list(lowered), n=1)
    return f"; did you mean '{lowered[close[0]]}'?" if close else ""


def _unknown_key(key: str, keys: Sequence[str]) -> str:
    hint = _hint(key, keys)
    return f"unknown key{hint}" if hint else f"unknown key; expected one of: {', '.join(sorted(keys))}"


def _dotted(keypath: KeyPath) -> str:
    text = ""
    for part in keypath:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


# -- front matter ----------------------------------------------------------------------


def apply_front_matter(
    settings: dict[str, RuleSetting],
    value: object,
    specs: Sequence[RuleSpec],
    *,
    path: str,
    line: int,
) -> tuple[dict[str, RuleSetting], list[str]]:
    """Apply a page's ``linklint:`` front-matter value to its ``settings``.

    ``false`` (or ``{disable: all}``) turns every rule off for the page;
    ``{disable: [LL001, orphan-page], rules: {LL001: {min: 1}}}`` changes some
    (``disable`` wins over ``rules``). Returns the new settings (``settings`` is
    not changed) and a message per bad value; bad values are skipped, never
    raised, because the caller reports them at ``path`` and ``line`` like any
    other finding on the page (so the messages do not repeat them)."""
    source = _Source(None, prefix=("linklint",))
    result = dict(settings)
    if value is False:
        return _all_off(result), []
    if value is None or value is True:
        return result, []
    value = _plain(value)
    if not isinstance(value, dict):
        error = source.error((), f"expected false or a mapping with disable and/or rules, got {_describe(value)}")
        return result, [str(error)]
    errors = [
        str(source.error((key,), _unknown_key(key, FRONT_MATTER_KEYS)))
        for key in value
        if key not in FRONT_MATTER_KEYS
    ]
    index = _RuleIndex(specs)
    if "rules" in value:
        result = _parse_rules(value["rules"], ("rules",), source, index, errors).apply(result)
    if "disable" in value:
        codes = _parse_disable(value["disable"], source, index, errors)
        if codes is None:
            result = _all_off(result)
        else:
            result = {c: RuleSetting(Level.OFF, s.options) if c in codes else s for c, s in result.items()}
    return result, errors


def _parse_disable(value: object, source: _Source, index: _RuleIndex, errors: list[str]) -> set[str] | None:
    """The codes ``disable:`` turns off; None means all of them."""
    keypath: KeyPath = ("disable",)
    items: list[tuple[KeyPath, object]]
    if isinstance(value, str):
        items = [(keypath, value)]
    elif isinstance(value, list):
        items = [(keypath + (i,), item) for i, item in enumerate(value)]
    else:
        errors.append(str(source.error(keypath, f"expected a list of rule codes or names, got {_describe(value)}")))
        return set()
    codes: set[str] = set()
    for here, item in items:
        if not isinstance(item, str):
            errors.append(str(source.error(here, f"expected a rule code or name, got {_describe(item)}")))
        elif item.strip().lower() == ALL_RULES:
            return None
        elif (spec := index.find(item)) is None:
            errors.append(str(source.error(here, index.unknown(item))))
        else:
            codes.add(spec.code)
    return codes


def _all_off(settings: Mapping[str, RuleSetting]) -> dict[str, RuleSetting]:
    return {code: RuleSetting(Level.OFF, s.options) for code, s in settings.items()}


# -- reading files ----------------------------------------------------------------------


def _read_text(path: Path, display: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("file not found", path=display) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a file", path=display) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=display) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start})", path=display) from None


def _yaml_settings(text: str, display: str) -> tuple[object, _Source]:
    """The plain settings of a YAML file and the line of each key in it."""
    try:
        node = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise ConfigError(f"invalid YAML: {_yaml_problem(exc)}", path=display, line=line) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path=display) from None
    if node is None:  # an empty file (or only comments) sets nothing
        return {}, _Source(display)
    lines: dict[KeyPath, int] = {}
    lc = getattr(node, "lc", None)
    lines[()] = lc.line + 1 if lc is not None else _first_content_line(text)
    _yaml_lines(node, (), lines)
    return _plain(node), _Source(display, lines)


def _yaml_problem(exc: MarkedYAMLError) -> str:
    problem = exc.problem or str(exc)
    # "while parsing a flow sequence" adds nothing; "expected a single document
    # in the stream" is the actual explanation.
    if exc.context and not exc.context.startswith("while"):
        return f"{exc.context}, {problem}"
    return problem


def _yaml_lines(node: object, keypath: KeyPath, lines: dict[KeyPath, int]) -> None:
    # Lines of keys rather than values: ruamel.yaml places a null value at the
    # next key, and a key and its scalar value share a line anyway.
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            here = keypath + (_key_text(key),)
            try:
                lines[here] = node.lc.key(key)[0] + 1
            except KeyError:  # keys merged in with `<<:` carry no position
                pass
            _yaml_lines(value, here, lines)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            try:
                lines[keypath + (index,)] = node.lc.item(index)[0] + 1
            except KeyError:
                pass
            _yaml_lines(value, keypath + (index,), lines)


def _first_content_line(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "---", "%")):
            return number
    return 1


def _key_text(key: object) -> str:
    if isinstance(key, str):
        return str(key)
    if key is None:
        return "null"
    if isinstance(key, bool):
        return str(key).lower()
    return str(key)


def _plain(node: object) -> object:
    """ruamel.yaml's round-trip types as plain Python values, keys as strings,
    so that the rest of linklint never sees a CommentedMap or a ScalarFloat."""
    if isinstance(node, dict):
        return {_key_text(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, ScalarBoolean):  # an int subclass, not a bool
        return bool(node)
    if isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _toml_table(text: str, display: str) -> tuple[dict[str, Any], _Source] | None:
    """The ``[tool.linklint]`` table of a pyproject.toml and the line of each of
    its keys, or None when there is no such table."""
    toml = tomllib()
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        message, line = _toml_problem(str(exc), text)
        raise ConfigError(f"invalid TOML: {message}", path=display, line=line) from None
    tool = document.get("tool")
    if not isinstance(tool, dict) or "linklint" not in tool:
        return None
    lines = TomlKeyLines(text).scan()
    table = tool["linklint"]
    source = _Source(display, lines, prefix=("tool", "linklint"))
    if not isinstance(table, dict):
        raise source.error((), f"expected a table, got {_describe(table)}")
    return table, source


def _toml_problem(message: str, text: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"(.*) \(at line (\d+), column \d+\)", message, re.DOTALL)
    if match:
        return match.group(1), int(match.group(2))
    match = re.fullmatch(r"(.*) \(at end of document\)", message, re.DOTALL)
    if match:
        return match.group(1), text.count("\n") + (0 if text.endswith("\n") else 1)
    return message, None


__all__ = [
    "ALL_RULES",
    "CONFIG_NAMES",
    "Config",
    "ConfigError",
    "DEFAULT_PRESET",
    "Override",
    "RuleChange",
    "RuleChanges",
    "RuleSpec",
    "apply_front_matter",
    "find_config_file",
    "glob_to_regex",
    "load_config",
    "globs_matcher",
    "matches_any",
    "preset_names",
]
