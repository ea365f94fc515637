"""Eleventy (11ty): permalinks by folder, front matter ``permalink``.

``.eleventy.js`` / ``eleventy.config.js`` is a program: linklint reads the input
folder only where it is written as a plain literal (``input: "src"``);
otherwise give it in linklint's configuration (``generator: {input: src}``).

What Eleventy does, and this profile follows:

* Every Markdown file under the input folder is a page: ``a/b.md`` is served at
  ``/a/b/``, ``a/index.md`` at ``/a/``.
* Front matter ``permalink`` (a literal path) replaces the URL;
  ``permalink: false`` pages are not written; template permalinks
  (``{{ … }}``) are taken as not knowable and links to them are not judged.
* Links are URLs, resolved by the browser against the page's URL; files that
  are passthrough-copied are found where they are.
* Heading ids: Eleventy adds none by itself; the common markdown-it-anchor
  plugin's default slugs (trimmed, lower-cased, whitespace to ``-``) are used.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from linklint.sites.configfiles import js_string, read_text
from linklint.sites.generator import GeneratorProfile, PageInfo

_CONFIG_NAMES = (".eleventy.js", ".eleventy.cjs", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts")


class EleventyProfile(GeneratorProfile):
    name = "eleventy"
    slugger = "markdown-it-anchor"
    config_names = _CONFIG_NAMES
    ignored_prefixes = ("_site/", "node_modules/", "_includes/", "_layouts/", "_data/")
    index_names = ("index.md",)

    def read_settings(self) -> dict[str, Any]:
        text = ""
        for name in self.config_names:
            text = read_text(self.site_path(name)) or ""
            if text:
                break
        found = re.search(r"\binput\s*:\s*(['\"`])([^'\"`]+)\1", text)
        return {"input": str(self.options.get("input") or (found.group(2) if found else ".")), "pathPrefix": js_string(text, "pathPrefix")}

    def generator_content(self) -> str:
        value = self.settings["input"].strip("./")
        return self.site_file(value) if value else self.site_dir

    def build(self) -> None:
        root = self.content_root
        for path in sorted(self.pages):
            if root and not path.startswith(root + "/"):
                continue
            rel = path[len(root) + 1 :] if root else path
            if any(p.startswith("_") for p in rel.split("/")[:-1]) or rel.split("/")[0] == "node_modules":
                continue
            fm = self.documents[path].front_matter if path in self.documents else {}
            stem = posixpath.splitext(rel)[0]
            url = "/" + (stem[: -len("index")] if posixpath.basename(stem) == "index" else stem + "/")
            info = PageInfo(path, url)
            permalink = fm.get("permalink")
            if permalink is False:
                info.draft, info.draft_reason = True, "a page with `permalink: false`, which Eleventy does not write"
            elif isinstance(permalink, str) and "{" not in permalink:
                url = "/" + permalink.strip().lstrip("/")
                if url.endswith("/index.html"):
                    url = url[: -len("index.html")]
                info.url = url
            if fm.get("draft") is True:
                info.draft, info.draft_reason = True, "a draft (`draft: true`)"
            self.info[path] = info
        self.static_dirs.append((root, "/"))
