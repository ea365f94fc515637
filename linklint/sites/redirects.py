"""Redirects the host serves in front of the site: Netlify's ``_redirects`` and
``[[redirects]]`` in ``netlify.toml``, Vercel's ``redirects`` and ``rewrites`` in
``vercel.json``.

A link that reaches a page only through such a redirect works, but by luck: a
move of the host or a cleanup of the file breaks it. Only what the files say
literally is read: an exact source path, or one ending in a splat (``/old/*``,
``/old*``, ``/old/:path*``, ``/old/(.*)``) that matches every path below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from linklint.sites.configfiles import read_json, read_text, read_toml

# The end of a source path that matches anything below it.
_SPLAT = re.compile(r"(/?\*|/:[A-Za-z_]+\*|/\(\.\*\)|/:splat)$")


@dataclass(frozen=True, slots=True)
class Redirect:
    source: str  # the path, without its splat
    destination: str  # a site path or an absolute URL
    prefix: bool  # whether every path below `source` is redirected too
    rewrite: bool = False  # served from elsewhere, the address unchanged (a proxy)
    by: str = "the host"  # who redirects, for messages

    def matches(self, url: str) -> bool:
        if self.prefix:
            return url.startswith(self.source)
        return url.rstrip("/") == self.source.rstrip("/")


def read_redirects(root: Path, folders: Iterable[str]) -> list[Redirect]:
    """Every redirect of the host files found in ``folders`` (repository-relative)."""
    found: list[Redirect] = []
    for folder in dict.fromkeys(folders):
        base = root / folder if folder else root
        found += netlify_redirects(read_text(base / "_redirects") or "")
        found += _netlify_toml(read_toml(base / "netlify.toml"))
        found += _vercel(read_json(base / "vercel.json"))
    return found


def _redirect(source: Any, destination: Any, rewrite: bool = False) -> Redirect | None:
    if not isinstance(source, str) or not isinstance(destination, str) or not source.startswith("/"):
        return None
    match = _SPLAT.search(source)
    path = source[: match.start()] + ("/" if match and match.group(0).startswith("/") else "") if match else source
    if re.search(r"[:*(]", path):
        return None  # placeholders in the middle: not read
    return Redirect(path or "/", destination, prefix=bool(match), rewrite=rewrite)


def _with_status(source: Any, destination: Any, status: str) -> Redirect | None:
    """A Netlify rule by its status: 3xx redirects, 200 rewrites; any other
    (`/* /404/ 404`) is the page shown for what does not exist, no redirect."""
    status = status.rstrip("!")
    if status.startswith("3"):
        return _redirect(source, destination)
    if status == "200":
        return _redirect(source, destination, rewrite=True)
    return None


def netlify_redirects(text: str) -> list[Redirect]:
    """The redirects of a Netlify ``_redirects`` text (lines of source,
    destination and status)."""
    out = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            status = words[2] if len(words) > 2 else "301"
            found = _with_status(words[0], words[1], status)
            if found is not None:
                out.append(found)
    return out


def _netlify_toml(data: dict[str, Any] | None) -> list[Redirect]:
    items = data.get("redirects") if isinstance(data, dict) else None
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            found = _with_status(item.get("from"), item.get("to"), str(item.get("status", "301")))
            if found is not None:
                out.append(found)
    return out


def _vercel(data: Any) -> list[Redirect]:
    out = []
    if not isinstance(data, dict):
        return out
    for key, rewrite in (("redirects", False), ("rewrites", True)):
        items = data.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found = _redirect(item.get("source"), item.get("destination"), rewrite=rewrite)
                if found is not None:
                    out.append(found)
    return out


def destination_of(redirect: Redirect, url: str) -> str:
    """Where ``url`` goes: the destination, with the splatted rest put in where
    the destination has a placeholder for it."""
    dest = redirect.destination
    rest = url[len(redirect.source) :] if redirect.prefix else ""
    placeholder = re.search(r":splat|:[A-Za-z_]+\*|\$1", dest)
    if placeholder is not None:
        return dest[: placeholder.start()] + rest + dest[placeholder.end() :]
    return dest


def is_external(destination: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", destination))


__all__ = ["Redirect", "destination_of", "is_external", "netlify_redirects", "read_redirects"]
