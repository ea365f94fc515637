"""Which paths a repository's ``.gitignore`` files name: build output.

A link to a file that is not in the repository but that the repository's
``.gitignore`` names (``/docs/rubydoc``, ``site-src/reference/**/spec.md``)
leads to what a build step writes: Homebrew's YARD pages, gateway-api's
generated API reference. Whether the build makes that very file cannot be
told from the repository, so such a link is not judged, where it was reported
as broken.

The patterns are Git's (``gitignore(5)``): blank lines and ``#`` comments
skipped, ``!`` re-includes, a trailing ``/`` matches folders only, a pattern
with a ``/`` before its end is anchored to its file's folder (else it matches a
name at any depth below it), ``*`` and ``?`` stop at ``/``, ``**`` spans
folders, ``[...]`` is a class. The last matching pattern decides, deeper files
after shallower ones, and nothing below an ignored folder is re-included, as
in Git. Only the tracked ``.gitignore`` files are read (not
``.git/info/exclude`` or a global one: what the repository itself says).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Iterable, NamedTuple


class _Pattern(NamedTuple):
    regex: re.Pattern[str]
    negated: bool
    folders_only: bool


class GitIgnore:
    """The ``.gitignore`` files of a repository, to ask of paths."""

    def __init__(self, files: dict[str, list[_Pattern]]) -> None:
        # The folder of each .gitignore ('' for the root) -> its patterns.
        self._by_folder = files
        self._memo: dict[tuple[str, bool], bool] = {}

    @classmethod
    def of(cls, root: Path, listed: Iterable[str]) -> GitIgnore:
        """The ``.gitignore`` files among the repository's ``listed`` files."""
        found: dict[str, list[_Pattern]] = {}
        for rel in listed:
            if rel == ".gitignore" or rel.endswith("/.gitignore"):
                try:
                    text = (root / rel).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                found[posixpath.dirname(rel)] = parse(text)
        return cls(found)

    def ignores(self, path: str) -> bool:
        """Whether ``path`` (a file, repository-relative) or a folder above it
        is ignored."""
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts)):
            if self._matches("/".join(parts[:depth]), folder=True):
                return True
        return self._matches("/".join(parts), folder=False)

    def _matches(self, path: str, folder: bool) -> bool:
        key = (path, folder)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._last_match(path, folder)
        return found

    def _last_match(self, path: str, folder: bool) -> bool:
        ignored = False
        parts = path.split("/")
        # The .gitignore files of the folders above the path, shallowest first.
        for depth in range(len(parts)):
            base = "/".join(parts[:depth])
            patterns = self._by_folder.get(base)
            if not patterns:
                continue
            rest = "/".join(parts[depth:])
            for pattern in patterns:
                if pattern.folders_only and not folder:
                    continue
                if pattern.regex.fullmatch(rest):
                    ignored = not pattern.negated
        return ignored


def parse(text: str) -> list[_Pattern]:
    """The patterns of one ``.gitignore`` file."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        line = _strip_trailing_spaces(line)
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith("\\"):
            line = line[1:]  # `\!name`, `\#name`: the character itself
        folders_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        body = _glob_regex(line)
        regex = body if anchored else r"(?:.*/)?" + body
        out.append(_Pattern(re.compile(regex, re.S), negated, folders_only))
    return out


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces go, unless escaped with a backslash."""
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped[:-1] + " "
    return stripped


def _glob_regex(glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(glob):
        ch = glob[i]
        if glob.startswith("**/", i):
            out.append(r"(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == len(glob):
            out.append(r"/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(r".*")
            i += 2
        elif ch == "*":
            out.append(r"[^/]*")
            i += 1
        elif ch == "?":
            out.append(r"[^/]")
            i += 1
        elif ch == "[":
            end = glob.find("]", i + 2)
            if end < 0:
                out.append(re.escape(ch))
                i += 1
            else:
                inside = glob[i + 1 : end]
                negate = inside[:1] in ("!", "^")
                inside = inside[1:] if negate else inside
                out.append("[" + ("^" if negate else "") + inside.replace("\\", "\\\\") + "]")
                i = end + 1
        elif ch == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out)
