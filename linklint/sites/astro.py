"""Astro (and Starlight): pages and content collections.

``astro.config.*`` is a program; linklint reads ``base`` and ``site`` where they
are plain literals of the config object (a plugin's own ``base`` option is
not the site's); otherwise give them in linklint's configuration under
``generator:`` (``base_path``, ``url``).

What Astro does, and this profile follows:

* ``src/pages/a/b.md`` is served at ``/a/b/`` (``index.md`` at its folder).
* Content collections (``src/content/<collection>/``) are served by a route
  file; linklint pairs a collection with ``src/pages/<collection>/[...slug].astro``
  (or ``[slug].astro``, ``[...id].astro``) when there is one: entries are then
  at ``/<collection>/<path>/``. Starlight serves ``src/content/docs/`` at the
  root. Entries of other collections have no URL that can be known: their
  root-relative links are checked as the site's URLs, their relative ones
  (which resolve against that unknown URL) are not.
* A file or folder whose name starts with ``_`` is neither routed nor loaded,
  and Markdown elsewhere under ``src/`` (``components/``) is imported by
  pages: partials, no pages of their own (no post rules, never suggested as
  a link target), their links checked as above.
* An entry's path is slugged segment by segment as GitHub slugs a heading
  (``Inter-Process Communication/`` → ``inter-process-communication/``,
  ``v0.30.1.md`` → ``v0301``); front matter ``slug`` replaces it; ``draft:
  true`` entries are not published. ``public/`` is served at the root.
* Starlight's ``locales`` (written in the config, or imported from a file of
  the site: ``import { localesConfig } from './config/locales'``): a page of the
  default language is served under every other locale that lacks its
  translation.
* ``redirects`` (``'/old': '/new'``, ``{ status, destination }``, an object
  spread into it from a file of the site: ``...moved`` with ``import moved
  from './redirects.js'``; a trailing ``[...slug]`` redirects everything
  below): a link to a redirected URL works, through the redirect (a warning).
* Links are URLs, resolved by the browser against the page's URL. An image
  path may start with an import alias of ``tsconfig.json``'s
  ``compilerOptions.paths`` (``![](@assets/logo.svg)`` with ``"@assets/*":
  ["src/assets/*"]``): Astro finds the file there.
* Heading ids: github-slugger (as GitHub).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from linklint.sites.base import Status, Target
from linklint.slugs import github_slug
from linklint.sites.configfiles import braced, dig, js_config_string, js_object, js_string, read_json, read_text
from linklint.sites.generator import GeneratorProfile, Kind, PageInfo, Route, is_readme
from linklint.sites.redirects import Redirect

_CONFIG_NAMES = ("astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts", "astro.config.cjs")
# What an import without an extension may name.
_MODULE_EXTENSIONS = (".ts", ".mts", ".js", ".mjs", ".cjs")
_ROUTE = re.compile(r"^\[(\.\.\.)?(slug|id|path)\]\.(astro|md|mdx|ts|js)$")


class AstroProfile(GeneratorProfile):
    name = "astro"
    slugger = "github"
    config_names = _CONFIG_NAMES
    ignored_prefixes = ("dist/", "node_modules/", ".astro/")
    index_names = ("index.md", "index.mdx")

    def read_settings(self) -> dict[str, Any]:
        config_name, text = self.config_text()
        locales = js_object(text, "locales")
        if locales is None:
            locales = self._imported_object(text, config_name, "locales")
        redirects = js_object(text, "redirects")
        if redirects is None:
            redirects = self._imported_object(text, config_name, "redirects")
        elif "..." in redirects:
            # `...moved` spreads an imported object of redirects into this one.
            redirects += "".join(
                "," + (self._imported_text(text, config_name, name) or "") for name in re.findall(r"\.\.\.\s*([A-Za-z_$][\w$]*)", redirects)
            )
        return {
            "site": self.options.get("url") or js_config_string(text, "site"),
            "base": self.options.get("base_path") or js_config_string(text, "base") or "/",
            "starlight": "starlight" in text,
            "locales": _locale_keys(locales or ""),
            "default_locale": js_string(text, "defaultLocale") or "root",
            "aliases": self._import_aliases(),
            "redirects": _redirect_pairs(redirects or ""),
        }

    def _import_aliases(self) -> list[tuple[str, str]]:
        """``tsconfig.json``'s path aliases as (prefix, repository folder),
        longest prefix first: ``"@assets/*": ["src/assets/*"]`` gives
        ``("@assets/", "src/assets/")`` (the first folder of each; an alias
        without ``*`` names one file)."""
        config = read_json(self.site_path("tsconfig.json"))
        paths = dig(config, "compilerOptions", "paths")
        if not isinstance(paths, dict):
            return []
        base = dig(config, "compilerOptions", "baseUrl", default=".")
        base = base if isinstance(base, str) else "."
        out = []
        for alias, targets in paths.items():
            if not isinstance(targets, list) or not targets or not isinstance(targets[0], str):
                continue
            wild = alias.endswith("*") and targets[0].endswith("*")
            if alias.count("*") != wild or targets[0].count("*") != wild:
                continue  # a `*` inside a name: not a folder
            folder = posixpath.normpath(self.site_file(posixpath.join(base, targets[0].rstrip("*"))))
            if folder.startswith(".."):
                continue
            out.append((alias.rstrip("*"), folder + "/" if wild and folder != "." else folder))
        return sorted(out, key=lambda pair: -len(pair[0]))

    def resolve_special(self, source: str, dest: str) -> Target | None:
        for prefix, folder in self.settings.get("aliases", ()):
            if dest.startswith(prefix) and prefix:
                path, _, fragment = dest.partition("#")
                joined = folder + path[len(prefix) :] if folder.endswith("/") else folder
                note = f"astro: the import alias `{prefix}` of tsconfig.json"
                found = self.lookup_source_file(joined, fragment or None, note)
                if found is not None:
                    return found
                return Target(Status.MISSING, path=joined, fragment=fragment or None, url=dest, note=f"{note}: no `{joined}`")
        return None

    def generator_content(self) -> str:
        return self.site_file("src")

    def _imported_object(self, text: str, config_name: str, key: str) -> str | None:
        """The object literal a config gives ``key`` through a name imported
        from a file of the site (``locales: localesConfig`` with
        ``import { localesConfig } from './config/locales'``, withastro/docs),
        or None."""
        named = re.search(r"\b" + re.escape(key) + r"\s*(?::\s*([A-Za-z_$][\w$]*)\s*)?[,}\n]", text)
        if named is None:
            return None
        return self._imported_text(text, config_name, named.group(1) or key)

    def _imported_text(self, text: str, config_name: str, name: str) -> str | None:
        """The object literal ``name`` stands for when the config imports it
        from a file of the site: ``import { name } from './file'`` (that
        file's ``name``), or ``import name from './file'`` (its default
        export); None otherwise."""
        quoted = r"\s*from\s*['\"](\.[^'\"]+)['\"]"
        imported = re.search(r"import\s*\{[^}]*\b" + re.escape(name) + r"\b[^}]*\}" + quoted, text)
        default = imported is None
        if default:
            imported = re.search(r"import\s+" + re.escape(name) + r"\b" + quoted, text)
        if imported is None:
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(config_name), imported.group(1)))
        for candidate in (target, *(target + ext for ext in _MODULE_EXTENSIONS), *(f"{target}/index{ext}" for ext in _MODULE_EXTENSIONS)):
            if self.site_file(candidate) in self.inventory.files:
                module = read_text(self.site_path(candidate)) or ""
                if not default:
                    return js_object(module, name)
                found = re.search(r"export\s+default\s*\{", module)
                return braced(module, found.end() - 1) if found else None
        return None

    def own_redirects(self) -> list[Redirect]:
        """The config's ``redirects`` (``'/old': '/new'``, or ``{ status,
        destination }``); a route parameter at the end (``/blog/[...slug]``)
        redirects every path below."""
        out = []
        for source, destination in self.settings.get("redirects", ()):
            prefix = bool(re.search(r"/\[[^\]/]+\]$", source))
            if "[" in source[: source.rfind("/") if prefix else len(source)]:
                continue  # a parameter inside the path: not followed
            source = source[: source.rfind("/") + 1] if prefix else source
            destination = re.sub(r"\[[^\]/]+\]$", ":splat", destination) if prefix else destination
            out.append(Redirect(source, destination, prefix, by="astro.config's `redirects`"))
        return out

    def generator_base_url(self) -> str | None:
        site = self.settings.get("site")
        if isinstance(site, str) and site.startswith(("http://", "https://")):
            return site.rstrip("/") + "/" + str(self.settings.get("base", "/")).strip("/")
        return None

    def build(self) -> None:
        pages_dir = self.site_file("src/pages")
        content_dir = self.site_file("src/content")
        routes: dict[str, str] = {}
        for rel in self.inventory.files:
            if rel.startswith(pages_dir + "/") and _ROUTE.match(posixpath.basename(rel)):
                prefix = posixpath.dirname(rel[len(pages_dir) + 1 :])
                collection = posixpath.basename(prefix) if prefix else ""
                if collection:
                    routes.setdefault(collection, "/" + prefix + "/")
        if self.settings.get("starlight"):
            routes.setdefault("docs", "/")
        for path in sorted(self.pages):
            partial = self.is_partial(path)
            fm = self.documents[path].front_matter if path in self.documents else {}
            info = None
            if path.startswith(pages_dir + "/"):
                stem = posixpath.splitext(path[len(pages_dir) + 1 :])[0]
                url = "/" + (stem[: -len("index")] if posixpath.basename(stem) == "index" else stem + "/")
                info = PageInfo(path, url)
            elif path.startswith(content_dir + "/"):
                rel = path[len(content_dir) + 1 :]
                collection, _, inner = rel.partition("/")
                prefix = routes.get(collection)
                if prefix is None or not inner:
                    continue
                # Astro slugs each segment of an entry's path as GitHub slugs
                # a heading (`v0.30.1` → `v0301`, `Getting Started` → `getting-started`).
                stem = "/".join(github_slug(part) for part in posixpath.splitext(inner)[0].split("/"))
                if isinstance(fm.get("slug"), str):
                    stem = fm["slug"].strip("/")
                elif posixpath.basename(stem) == "index":
                    stem = posixpath.dirname(stem)
                info = PageInfo(path, prefix + (stem + "/" if stem else ""))
            if info is None:
                continue
            if partial:
                # Not served; its relative links are tried from where it would be.
                self.partial_urls[path] = info.url
                continue
            if fm.get("draft") is True:
                info.draft, info.draft_reason = True, "a draft (`draft: true`), which Astro does not publish"
            alt = info.url.rstrip("/") if info.url != "/" else None
            if alt:
                info.other_urls.append(alt)
            self.info[path] = info
        if self.settings.get("starlight"):
            self._add_untranslated_fallbacks(content_dir + "/docs/", routes.get("docs", "/"))
        # `.astro` pages (not the dynamic `[param]` ones) are pages too.
        for rel in self.inventory.files:
            if rel.startswith(pages_dir + "/") and rel.endswith(".astro") and "[" not in rel:
                stem = posixpath.splitext(rel[len(pages_dir) + 1 :])[0]
                url = "/" + (stem[: -len("index")] if posixpath.basename(stem) == "index" else stem + "/")
                self.add_route(url, Route(Kind.FILE, rel, "an Astro page of the site"))
        self.static_dirs.append((self.site_file("public"), "/"))

    def is_partial(self, path: str) -> bool:
        """Markdown under ``src/`` outside ``pages/`` and ``content/``
        (components, layouts; not a README, which GitHub shows), or with a
        part of its path starting with ``_``, which Astro neither routes nor
        loads into a collection: a piece that pages import."""
        src = self.site_file("src") + "/"
        if not path.startswith(src):
            return False
        parts = path[len(src) :].split("/")
        if any(part.startswith("_") for part in parts[1:]):
            return True
        # A README among the components is for the repository's readers.
        return parts[0] not in ("pages", "content") and not is_readme(path)

    def rendered_elsewhere(self, path: str) -> bool:
        # Partials, and entries of collections no route file of the site
        # pairs with (a template of its own shows them, at URLs unknown here).
        content = self.site_file("src/content") + "/"
        return self.is_partial(path) or (path.startswith(content) and path not in self.info)

    def _add_untranslated_fallbacks(self, docs_dir: str, docs_route: str) -> None:
        """Starlight serves every page of the default language under each other
        locale that has no translation of it (with a notice), so a link to
        `/de/guide/` works before the German page exists."""
        locales = [k for k in self.settings.get("locales", ()) if k != "root"]
        default = self.settings.get("default_locale", "root")
        default_prefix = docs_route if default == "root" else f"{docs_route}{default}/"
        taken = {info.url for info in self.info.values()}
        others = [loc for loc in locales if loc != default]
        for info in list(self.info.values()):
            if not info.path.startswith(docs_dir) or not info.url.startswith(default_prefix) or any(
                info.url.startswith(f"{docs_route}{loc}/") for loc in others
            ):
                continue
            rest = info.url[len(default_prefix) :]
            for locale in others:
                url = f"{docs_route}{locale}/{rest}"
                if url not in taken:
                    why = "the default language's page, which Starlight shows where a translation is missing"
                    self.add_route(url, Route(Kind.DRAFT if info.draft else Kind.PAGE, info.path, why))


# `'/old': '/new'` and `"/old": { status: 302, destination: "/new" }` in `redirects`.
_REDIRECT_PAIR = re.compile(
    r"""(['"`])(/[^'"`\n]*)\1\s*:\s*(?:(['"`])([^'"`\n]*)\3|\{[^{}]*?\bdestination\s*:\s*(['"`])([^'"`\n]*)\5[^{}]*\})"""
)


def _redirect_pairs(text: str) -> list[tuple[str, str]]:
    return [(m.group(2), m.group(4) if m.group(4) is not None else m.group(6)) for m in _REDIRECT_PAIR.finditer(text)]


# `de: {`, `'pt-br': {`, `root: {`: the keys of Starlight's `locales` object.
_LOCALE_KEY = re.compile(r"""(?:^|[,{]\s*|\n\s*)['"]?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*|root)['"]?\s*:\s*\{""")


def _locale_keys(text: str) -> list[str]:
    return [m.group(1) for m in _LOCALE_KEY.finditer(text)]
