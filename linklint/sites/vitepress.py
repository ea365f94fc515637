"""VitePress: pages at their paths, ``.md`` links and extensionless URLs.

What VitePress does, and this profile follows:

* The site's folder holds ``.vitepress/config.{js,ts,mjs,mts}``; the pages
  are the Markdown files of ``srcDir`` (default: that folder), but those
  ``srcExclude`` names and those under ``public/`` (copied as they are, served
  at the root) and ``.vitepress/``.
* ``guide/setup.md`` is served at ``/guide/setup.html``, and at
  ``/guide/setup`` too (VitePress writes links without the extension, and
  hosts serve ``x.html`` for ``/x``); with ``cleanUrls: true`` at
  ``/guide/setup``. ``index.md`` is its folder's page (``/guide/``).
* A link to a ``.md`` file (``./setup.md#install``, ``/guide/setup.md``) is
  rewritten to the page's URL, and a relative link to another file of the
  repository (``./images/flow.png``) is bundled by Vite; other links are
  URLs, resolved as the browser does. Root-relative links get the ``base``
  in front (``base: '/docs/'``).
* Heading ids: VitePress' slugify (``@mdit-vue/shared``: accents dropped,
  each run of spaces and ASCII punctuation one ``-``, ``_`` before a leading
  digit, lower-cased), repeats ``-1``, ``-2``; ``{#id}`` explicit ids (with
  markdown-it-attrs' delimiters as the config sets them: ``%{#id}%``).

``rewrites`` (other URLs for some pages) and ``srcDir`` or ``base`` computed
by the config's code are not read: give ``content:`` and ``generator:``
(``base_path``) in linklint's config.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import Any

from linklint.sites.base import Target, headings_with_attribute_lists
from linklint.sites.configfiles import braced, js_config_string, js_string, js_value, read_text
from linklint.sites.generator import GeneratorProfile, PageInfo, is_markdown

_EXTENSIONS = (".js", ".ts", ".mjs", ".mts", ".cjs", ".cts")
# `srcExclude: ['**/README.md', 'drafts/**']`: the strings of the list.
_EXCLUDE_LIST = re.compile(r"""\bsrcExclude\s*:\s*\[""")
_STRING = re.compile(r"""(['"`])([^'"`\n]*)\1""")


class VitepressProfile(GeneratorProfile):
    name = "vitepress"
    slugger = "vitepress"
    config_names = tuple(f".vitepress/config{ext}" for ext in _EXTENSIONS) + tuple(f".vitepress/config/index{ext}" for ext in _EXTENSIONS)
    ignored_prefixes = ("node_modules/",)
    index_names = ("index.md",)
    root_links_include_base = True

    def read_settings(self) -> dict[str, Any]:
        name, text = self.config_text()
        texts = [text]
        if "/config/" in name:
            # A config folder: the settings may stand in its other modules
            # (pinia's `config/shared.ts`, spread in).
            folder = self.site_file(posixpath.dirname(name))
            siblings = sorted(f for f in self.inventory.files if posixpath.dirname(f) == folder)
            texts += [read_text(self.inventory.root / f) or "" for f in siblings if f.endswith(_EXTENSIONS) and f != self.site_file(name)]

        def first(read: Any) -> Any:
            return next((found for found in map(read, texts) if found is not None), None)

        o = self.options
        return {
            "srcDir": str(first(lambda text: js_config_string(text, "srcDir")) or "."),
            "base": str(o.get("base_path") or first(lambda text: js_config_string(text, "base")) or "/"),
            "cleanUrls": first(lambda text: js_value(text, "cleanUrls")) == "true",
            "srcExclude": first(_exclude_list) or [],
            "hostname": first(lambda text: js_string(text, "hostname")),
            # markdown-it-attrs' delimiters (`markdown: { attrs: { leftDelimiter: '%{' } }`).
            "attrs": (first(lambda text: js_string(text, "leftDelimiter")) or "{", first(lambda text: js_string(text, "rightDelimiter")) or "}"),
        }

    def generator_content(self) -> str:
        src = self.settings["srcDir"].strip().removeprefix("./").strip("/")
        return self.site_file(src) if src and src != "." else self.site_dir

    def generator_base_url(self) -> str | None:
        host = self.settings.get("hostname")
        base = "/" + self.settings["base"].strip("/") + "/" if self.settings["base"].strip("/") else "/"
        if isinstance(host, str) and host.startswith(("http://", "https://")):
            return host.rstrip("/") + base
        return None

    def build(self) -> None:
        base = self.settings["base"].strip("/")
        if base and self.base_path == "/":
            self.base_path = f"/{base}/"
        root = self.content_root
        clean = self.settings["cleanUrls"]
        excluded = self.settings["srcExclude"]
        for path in sorted(self.pages):
            if root and not path.startswith(root + "/"):
                continue
            rel = path[len(root) + 1 :] if root else path
            first = rel.split("/", 1)[0]
            if first in ("public", ".vitepress", "node_modules") or any(_glob(pattern, rel) for pattern in excluded):
                continue
            stem = posixpath.splitext(rel)[0]
            folder, name = posixpath.split(stem)
            if name == "index":
                url = "/" + (folder + "/" if folder else "")
                info = PageInfo(path, url, other_urls=[url + "index.html", url + "index"])
            else:
                url = "/" + stem + ("" if clean else ".html")
                info = PageInfo(path, url, other_urls=["/" + stem + (".html" if clean else "")])
            self.info[path] = info
        self.static_dirs.append((posixpath.join(root, "public") if root else "public", "/"))

    def heading_ids(self, doc) -> list[str]:
        left, right = self.settings["attrs"]
        if (left, right) == ("{", "}"):
            return super().heading_ids(doc)
        from linklint.slugs import heading_ids

        # Other delimiters (pinia's `%{#statetree}%`): the list ends the heading's text.
        ending = re.compile(r"\s*" + re.escape(left) + r"([^\n]*?)" + re.escape(right) + r"\s*$")
        texts, explicit = headings_with_attribute_lists(doc, ending)
        return heading_ids(texts, explicit, algorithm=self.slugger)

    def resolve_relative(self, source: str, info: PageInfo, path: str, fragment: str | None) -> Target:
        if is_markdown(path):
            found = self.lookup_source_file(posixpath.join(posixpath.dirname(source), path), fragment, note="vitepress: a `.md` link, rewritten to the page's URL")
            if found is not None:
                return found
        return super().resolve_relative(source, info, path, fragment)

    def resolve_file_link(self, source: str, path: str, fragment: str | None) -> Target | None:
        """Vite bundles what a page names by a path relative to its file (an
        image, a PDF) and writes the bundled file's URL in its place."""
        return self.lookup_source_file(posixpath.join(posixpath.dirname(source), path), fragment, note="vitepress: a file of the page's folder, bundled by Vite")

    def resolve_site_url(self, url: str, fragment: str | None, how: str) -> Target:
        if url.lower().endswith(".md"):
            # `/guide/setup.md` is rewritten to the page's URL.
            url = url[: -len(".md")]
            url = url[: -len("index")] if url.endswith("/index") else url
            how += ", its `.md` rewritten"
        return super().resolve_site_url(url, fragment, how)


def _exclude_list(text: str) -> list[str] | None:
    """The strings of ``srcExclude: [...]``, or None where it is not written."""
    found = _EXCLUDE_LIST.search(text)
    return [m.group(2) for m in _STRING.finditer(braced(text, found.end() - 1, "[]"))] if found else None


def _glob(pattern: str, rel: str) -> bool:
    """``srcExclude``'s globs: ``**/`` matches any folders, or none."""
    return fnmatch.fnmatch(rel, pattern) or (pattern.startswith("**/") and fnmatch.fnmatch(rel, pattern[3:]))
