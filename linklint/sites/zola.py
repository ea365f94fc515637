"""Zola: ``@/`` links, ``path``/``slug``/``aliases`` and slugged heading ids.

What Zola does, and this profile follows:

* Content lives in ``content/``. ``blog/_index.md`` is the section ``/blog/``;
  ``blog/post.md`` is ``/blog/post/`` and ``blog/post/index.md`` the same page
  with its assets beside it. The file name (or the bundle's folder name) is
  slugged (``slugify.paths``), a leading date (``2024-01-31-title``) is dropped
  from it; folders are kept as they are.
* Front matter ``path`` replaces the whole URL, ``slug`` the last segment;
  ``aliases`` are redirects; ``draft = true`` pages are not published.
* Translations: ``post.fr.md`` is ``/fr/blog/post/``.
* ``[text](@/blog/post.md#anchor)`` links a file from the content root; Zola
  fails the build when the page or the anchor is missing. Other links are URLs.
* Heading ids: the ``slug`` crate (``slugify.anchors = "on"``): ASCII letters and
  digits, one ``-`` between words; non-ASCII is transliterated (accents exactly,
  emoji and CJK to words — those ids are matched loosely). ``{#id}`` ids are
  taken first; repeats get ``-1``, ``-2``.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from linklint.sites.base import Status, Target, any_under
from linklint.sites.configfiles import read_toml
from linklint.sites.generator import GeneratorProfile, Kind, PageInfo, Route, as_list, with_note

_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+-Z]+)?)\s?[_-]\s?(.+)$")


class ZolaProfile(GeneratorProfile):
    name = "zola"
    slugger = "zola"
    config_names = ("zola.toml", "config.toml")
    ignored_prefixes = ("public/", "templates/", "themes/", "sass/")
    default_content = "content"
    index_names = ("_index.md", "index.md")

    @classmethod
    def detect(cls, files: set[str], base: str, root: Path | None) -> bool:
        if base + "zola.toml" in files:
            return True
        if base + "config.toml" not in files or not any_under(files, base + "content/"):
            return False
        if root is not None:
            data = read_toml(root / (base + "config.toml"))
            return isinstance(data, dict) and "base_url" in data
        return any_under(files, base + "templates/")

    def read_settings(self) -> dict[str, Any]:
        for name in self.config_names:
            data = read_toml(self.site_path(name))
            if isinstance(data, dict):
                return data
        return {}

    def generator_base_url(self) -> str | None:
        url = self.settings.get("base_url")
        return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None

    def build(self) -> None:
        from linklint.slugs import zola_slug

        s = self.settings
        slugify = s.get("slugify") if isinstance(s.get("slugify"), dict) else {}
        self.path_strategy = str(slugify.get("paths", "on"))
        self.anchor_strategy = str(slugify.get("anchors", "on"))
        self.keep_dates = bool(slugify.get("paths_keep_dates", False))
        self.default_lang = str(s.get("default_language", "en"))
        languages = s.get("languages")
        self.languages = [str(k) for k in languages] if isinstance(languages, dict) else []
        if isinstance(languages, list):  # Zola before 0.15
            self.languages = [str(x.get("code")) for x in languages if isinstance(x, dict) and x.get("code")]
        root = self.content_root
        for path in sorted(self.pages):
            if root and not path.startswith(root + "/"):
                continue
            rel = path[len(root) + 1 :] if root else path
            fm = self.documents[path].front_matter if path in self.documents else {}
            self.info[path] = self._page(path, rel, fm)
        self.static_dirs.append((self.site_file("static"), "/"))
        self._colocated()
        taxonomies = s.get("taxonomies") if isinstance(s.get("taxonomies"), list) else []
        names = [str(t.get("name")) for t in taxonomies if isinstance(t, dict) and t.get("name")]
        for name in names:
            self.add_route(f"/{name}/", Route(Kind.LIST, None, "a taxonomy page Zola generates"))
            for path, info in self.info.items():
                fm = self.documents[path].front_matter if path in self.documents else {}
                terms = fm.get("taxonomies", {}).get(name) if isinstance(fm.get("taxonomies"), dict) else None
                prefix = f"/{info.lang}" if info.lang and info.lang != self.default_lang else ""
                for term in as_list(terms):
                    self.add_route(f"{prefix}/{name}/{zola_slug(term)}/", Route(Kind.LIST, None, "a taxonomy term page Zola generates"))
        # The home page is always rendered, with or without content/_index.md.
        self.add_route("/", Route(Kind.LIST, None, "the home page Zola always renders"))
        for name in ("rss.xml", "atom.xml", "sitemap.xml", "robots.txt", "404.html", "search_index.en.js"):
            self.add_route("/" + name, Route(Kind.LIST, None, "a file Zola generates"))

    def _slug_path(self, text: str) -> str:
        from linklint.slugs import zola_slug

        if self.path_strategy == "on":
            return zola_slug(text).replace("\x00", "")
        if self.path_strategy == "safe":
            return re.sub(r'[<>:"/\\|?*]', "", text.rstrip(" ."))
        return text

    def _page(self, path: str, rel: str, fm: dict) -> PageInfo:
        folder, name = posixpath.split(rel)
        stem = posixpath.splitext(name)[0]
        lang = self.default_lang
        if "." in stem and stem.rsplit(".", 1)[1] in self.languages:
            stem, lang = stem.rsplit(".", 1)
        components = [p for p in folder.split("/") if p]
        prefix = f"/{lang}" if lang != self.default_lang else ""
        if stem == "_index":
            url = prefix + "/" + "/".join(components) + ("/" if components else "")
        else:
            colocated = stem == "index"
            base_name = components[-1] if colocated and components else stem
            if colocated:
                components = components[:-1]
            match = _DATED.match(base_name)
            slug_source = match.group(2) if match and not self.keep_dates else base_name
            slug = fm.get("slug") if isinstance(fm.get("slug"), str) else slug_source
            slug = self._slug_path(slug)
            if isinstance(fm.get("path"), str) and fm["path"].strip():
                url = "/" + fm["path"].strip().lstrip("/")
            else:
                url = prefix + "/" + "/".join([*components, slug])
        url = re.sub(r"/{2,}", "/", url)
        if not url.endswith("/"):
            url += "/"
        info = PageInfo(path, url, lang=lang)
        if fm.get("draft") is True:
            info.draft, info.draft_reason = True, "a draft (`draft = true`), which Zola does not publish"
        for alias in as_list(fm.get("aliases")):
            info.aliases.append("/" + alias.strip().lstrip("/"))
        return info

    def _colocated(self) -> None:
        """Assets beside a section's or a bundle's index are served at its URL."""
        by_folder = {posixpath.dirname(p): i for p, i in self.info.items() if posixpath.basename(p).split(".")[0] in ("index", "_index")}
        for rel in self.inventory.files:
            if rel.endswith(".md"):
                continue
            info = by_folder.get(posixpath.dirname(rel))
            if info is not None:
                self.add_route(info.url + posixpath.basename(rel), Route(Kind.FILE, rel, "an asset beside its page"))

    # -- heading ids -----------------------------------------------------------------

    def heading_ids(self, doc) -> list[str]:
        from linklint.slugs import FirstFreeSlugger, heading_ids, zola_safe_slug, zola_slug

        base = zola_slug if self.anchor_strategy == "on" else zola_safe_slug
        return [
            i.replace("\x00", "")
            for i in heading_ids(
                [h.text for h in doc.headings],
                [h.explicit_id for h in doc.headings],
                algorithm=FirstFreeSlugger(base),
                explicit_first=True,
            )
        ]

    def fragment_ids(self, doc):
        from linklint.slugs import FirstFreeSlugger, FragmentIds, heading_ids, id_pattern, zola_slug

        if self.anchor_strategy != "on":
            return super().fragment_ids(doc)
        raw = heading_ids(
            [h.text for h in doc.headings],
            [h.explicit_id for h in doc.headings],
            algorithm=FirstFreeSlugger(zola_slug),
            explicit_first=True,
        )
        exact = {i for i in raw if "\x00" not in i}
        patterns = [p for p in (id_pattern(i) for i in raw) if p is not None]
        exact.update(a.id for a in doc.html_anchors)
        return FragmentIds(exact, patterns)

    # -- links ----------------------------------------------------------------------

    def resolve_special(self, source: str, dest: str) -> Target | None:
        if not dest.startswith("@/"):
            return None
        rest = dest[2:]
        fragment = None
        if "#" in rest:
            rest, fragment = rest.split("#", 1)
        from urllib.parse import unquote

        rest = unquote(rest)
        joined = posixpath.join(self.content_root, rest) if self.content_root else rest
        target = self.lookup_source_file(joined, unquote(fragment) if fragment is not None else None, note="zola: an `@/` link, from the content root")
        if target is None or target.status == Status.OUTSIDE:
            return Target(Status.MISSING, path=joined, fragment=fragment, url=dest, note="zola: `@/` names no file of content/ (Zola fails the build)")
        return with_note(target, target.note)
