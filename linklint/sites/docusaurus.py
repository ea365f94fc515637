"""Docusaurus: docs, blog and pages plugins, file links and doc slugs.

``docusaurus.config.js``/``.ts`` is a program, so linklint reads only what is
written there as plain string literals (``url`` and ``baseUrl`` of the config
object itself, ``routeBasePath``, ``trailingSlash``); anything computed must be given in
linklint's configuration under ``generator:`` (``url``, ``base_path``,
``docs_path``, ``docs_route``, ``blog_path``, ``blog_route``).

What Docusaurus does, and this profile follows:

* Docs (``docs/``) are served under ``routeBasePath`` (``/docs``): the path
  without the extension, number prefixes dropped (``01-intro.md`` → ``intro``);
  ``index.md``, ``README.md`` and ``guide/guide.md`` stand for their folder.
  Front matter ``slug`` (absolute, or relative to the folder) and ``id`` change
  the URL. Versions from ``versions.json`` live under ``/docs/<version>/`` (the
  newest at ``/docs/``, the work in progress at ``/docs/next/``; with
  ``lastVersion`` the version it names is at ``/docs/``, ``'current'`` the
  docs folder itself). A ``versioned_docs/version-X`` folder that
  ``versions.json`` does not list is not built: its pages are not published,
  unless ``versionsArchived.json`` names the version (served from an archived
  build at the same paths, the convention of Docusaurus' own site). Docs plugins
  the config adds (``['content-docs', {path: 'architecture', routeBasePath:
  '/architecture'}]``) are served the same way under their own route.
* Blog posts (``blog/2024-01-31-title.md`` or ``…-title/index.md``) are served at
  ``/blog/2024/01/31/title`` unless front matter ``slug`` says otherwise.
* ``src/pages/*.md`` are served at their path; ``static/`` at the root.
* ``draft: true`` and ``unlisted`` pages are not published (unlisted are, but
  hidden: accepted).
* Plugin options written in place (``['content-docs', {…}]``) or named
  (``['content-docs', docsOptions]`` with ``const docsOptions = {…}``).
* The client-redirects plugin: its ``redirects`` (``{ from, to }``) and
  ``fromExtensions`` (``/x.html`` for each page ``/x``) are redirects: a link
  to one works, through the redirect (a warning); ``createRedirects`` is a
  function, not read.
* Files and folders whose names start with ``_`` (the plugins' ``exclude``
  default) and Markdown among ``src/``'s components are partials that pages
  import: no pages of their own (no post rules, never suggested as a link
  target); their root-relative links are checked as the site's URLs and
  their links to Markdown files from their own file, as Docusaurus rewrites
  them; other relative links (resolved against the page that shows them) are
  not.
* A relative link to a ``.md``/``.mdx`` file is rewritten to its page's URL;
  root-relative links get the ``baseUrl`` in front. ``trailingSlash`` left
  undefined serves ``/x`` and ``/x/`` alike; ``true`` serves ``/x/`` (and
  hosts redirect ``/x`` there), ``false`` only ``/x``.
* A version ``versions.json`` lists without its ``versioned_docs`` folder
  cannot be built until a build step makes the folder, a copy of the docs
  folder (pnpm.io's ``copy-docs``): the docs folder is served at that
  version's route too. ``includeCurrentVersion: false`` leaves the docs folder
  unbuilt as the next version. ``lastVersion`` may name a constant of the
  config (``lastVersion: latest`` with ``const latest = '11.x'``).
* Heading ids: github-slugger (as GitHub), ``{#id}`` explicit ids; a page
  also has the ids of the Markdown partials it imports (``import Part from
  './_part.mdx'``), whose headings it shows.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from linklint.sites.base import Status, Target
from linklint.sites.configfiles import braced, js_config_string, js_object, js_string, js_value, read_text
from linklint.sites.generator import GeneratorProfile, Kind, PageInfo, Route, date_prefix, is_markdown, is_readme
from linklint.sites.redirects import Redirect

_NUMBER_PREFIX = re.compile(r"^\d+[-_.\s]+(?=.)")
# An MDX import of a Markdown file by a relative path: `import Part from './_part.mdx'`.
_MARKDOWN_IMPORT = re.compile(r"""^import\s+[A-Za-z_$][\w$]*\s+from\s+['"](\.{1,2}/[^'"\n]+\.mdx?)['"]""", re.M)
_CONFIG_NAMES = ("docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "docusaurus.config.cjs", "docusaurus.config.mts")


class DocusaurusProfile(GeneratorProfile):
    name = "docusaurus"
    slugger = "github"
    config_names = _CONFIG_NAMES
    ignored_prefixes = ("build/", "node_modules/", ".docusaurus/", "i18n/")
    index_names = ("index.md", "index.mdx", "README.md", "readme.md")
    root_links_include_base = True

    def read_settings(self) -> dict[str, Any]:
        _, text = self.config_text()
        o = self.options
        docs = js_object(text, "docs") or text
        docs_route = js_string(docs, "routeBasePath")
        return {
            "url": o.get("url") or js_config_string(text, "url"),
            "baseUrl": o.get("base_path") or js_config_string(text, "baseUrl") or "/",
            "docs_path": str(o.get("docs_path") or js_string(docs, "path") or "docs"),
            "docs_route": str(o.get("docs_route") if o.get("docs_route") is not None else (docs_route if docs_route is not None else "docs")),
            "blog_path": str(o.get("blog_path") or "blog"),
            "blog_route": str(o.get("blog_route") or "blog"),
            "trailingSlash": js_value(text, "trailingSlash"),
            "last_version": js_string(docs, "lastVersion", constants=text),
            "include_current": js_value(docs, "includeCurrentVersion") != "false",
            "more_docs": _more_docs(text),
            "client_redirects": _client_redirects(text),
        }

    def generator_content(self) -> str:
        # The docs may live beside the site's folder (`path: '../docs'`): the
        # content is then their common folder.
        docs_dir = self.site_file(self.settings["docs_path"].strip("/"))
        if docs_dir.startswith("../") or docs_dir == "..":
            return self.site_dir
        common = posixpath.commonpath([self.site_dir or ".", docs_dir]) if self.site_dir else ""
        return "" if common == "." else common

    markdown_links_from_file = True

    def own_redirects(self) -> list[Redirect]:
        """The client-redirects plugin's ``redirects`` (``{ from, to }``, ``from``
        a path or a list of them): pages that send the visitor on."""
        return [
            Redirect(source, destination, False, by="the client-redirects plugin")
            for source, destination in self.settings.get("client_redirects", {}).get("redirects", ())
        ]

    def generator_base_url(self) -> str | None:
        url = self.settings.get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return url.rstrip("/") + "/" + str(self.settings.get("baseUrl", "/")).strip("/")
        return None

    def build(self) -> None:
        s = self.settings
        docs_dir = self.site_file(s["docs_path"].strip("/"))
        docs_route = "/" + s["docs_route"].strip("/")
        docs_route = "" if docs_route == "/" else docs_route
        blog_dir = self.site_file(s["blog_path"].strip("/"))
        blog_route = "/" + s["blog_route"].strip("/")
        pages_dir = self.site_file("src/pages")
        versions: list[str] = []
        raw = read_text(self.site_path("versions.json"))
        if raw:
            try:
                versions = [str(v) for v in json.loads(raw)]
            except (ValueError, TypeError):
                versions = []
        # The version served at the docs' route: `lastVersion` (`current`: the
        # docs folder itself), by default the newest in versions.json.
        last = s.get("last_version")
        latest = None if last == "current" or not versions else last if last in versions else versions[0]
        roots = [(docs_dir, docs_route + ("/next" if latest is not None else ""))]
        # Each version's folder: the docs folder is the current version.
        self._version_folders = [(docs_dir, "current")] if versions else []
        # A version versions.json lists without its folder cannot be built
        # until a build step makes the folder: a copy of the docs folder
        # (pnpm.io's `copy-docs`), served at that version's route too.
        copies: list[str] = []
        for version in versions:
            folder = self.site_file(f"versioned_docs/version-{version}")
            self._version_folders.append((folder, version))
            route = docs_route + ("" if version == latest else f"/{version}")
            if any(path.startswith(folder + "/") for path in self.pages):
                roots.append((folder, route))
            else:
                copies.append(route)
        # `includeCurrentVersion: false`: the docs folder is not built as the
        # next version; only a copy of it is served.
        current_unbuilt = not s.get("include_current", True)
        if current_unbuilt and copies:
            roots[0] = (docs_dir, copies.pop(0))
            current_unbuilt = False
        # A version folder versions.json does not list is not built: its pages
        # are resolved as they were served, and are not published.
        versioned = self.site_file("versioned_docs") + "/version-"
        unlisted = sorted(
            {d.split("/", 1)[0] for d in (f[len(versioned) :] for f in self.pages if f.startswith(versioned)) if "/" in d} - set(versions)
        )
        for version in unlisted:
            roots.append((self.site_file(f"versioned_docs/version-{version}"), f"{docs_route}/{version}"))
            self._version_folders.append((self.site_file(f"versioned_docs/version-{version}"), version))
        # Versions versionsArchived.json names (the convention of Docusaurus'
        # own site) are served from an archived build, at the same paths.
        archived = _json_keys(read_text(self.site_path("versionsArchived.json")))
        unlisted_roots = {self.site_file(f"versioned_docs/version-{version}") for version in unlisted if version not in archived}
        for path, route in s.get("more_docs", ()):
            route = "/" + route.strip("/")
            roots.append((self.site_file(path.strip("/")), "" if route == "/" else route))
        src = self.site_file("src")
        for path in sorted(self.pages):
            under = next((r for r, _ in roots if path.startswith(r + "/")), None)
            under = under or next((d for d in (blog_dir, pages_dir, src) if path.startswith(d + "/")), None)
            if under is not None and (
                under == src and not path.startswith(pages_dir + "/") and not is_readme(path)
                or any(part.startswith("_") for part in path[len(under) + 1 :].split("/"))
            ):
                # The plugins leave out `_`-prefixed files and folders (their
                # `exclude` default): partials that pages import, as is
                # Markdown among the site's components (but a README there,
                # which is for the repository's readers on GitHub).
                self.partials.add(path)
                route = next((route for r, route in roots if r == under), None)
                if route is not None:
                    fm = self.documents[path].front_matter if path in self.documents else {}
                    self.partial_urls[path] = self._doc(path, path[len(under) + 1 :], route, fm).url
                continue
            fm = self.documents[path].front_matter if path in self.documents else {}
            info = None
            for root, route in roots:
                if path.startswith(root + "/"):
                    info = self._doc(path, path[len(root) + 1 :], route, fm)
                    if root in unlisted_roots:
                        info.draft, info.draft_reason = True, "in a version that versions.json does not list, which Docusaurus does not build"
                    elif current_unbuilt and root == docs_dir:
                        info.draft, info.draft_reason = True, "in the docs folder, which `includeCurrentVersion: false` leaves unbuilt"
                    break
            if info is None and path.startswith(blog_dir + "/"):
                info = self._post(path, path[len(blog_dir) + 1 :], blog_route, fm)
            if info is None and path.startswith(pages_dir + "/"):
                stem = posixpath.splitext(path[len(pages_dir) + 1 :])[0]
                url = "/" + (stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem)
                info = PageInfo(path, url)
            if info is None:
                continue
            if copies and path.startswith(docs_dir + "/") and under == docs_dir:
                info.other_urls += [self._doc(path, path[len(docs_dir) + 1 :], route, fm).url for route in copies]
            for extension in s.get("client_redirects", {}).get("from_extensions", ()):
                # The client-redirects plugin's `fromExtensions`: `/x.html` → `/x`.
                if info.url != "/":
                    info.aliases.append(info.url.rstrip("/") + "." + extension)
            if fm.get("draft") is True:
                info.draft, info.draft_reason = True, "a draft (`draft: true`), which Docusaurus does not publish"
            # trailingSlash undefined: the host serves `/x` and `/x/` alike;
            # true: the page is `/x/` (`x/index.html`), and hosts send `/x` there.
            if s.get("trailingSlash") in (None, "undefined", "true"):
                alt = info.url.rstrip("/") if info.url.endswith("/") and info.url != "/" else info.url + "/"
                info.other_urls.append(alt)
            self.info[path] = info
        # React pages (`src/pages/index.js`) are pages too, without headings to check.
        for rel in self.inventory.files:
            if rel.startswith(pages_dir + "/") and rel.endswith((".js", ".jsx", ".ts", ".tsx")):
                stem = posixpath.splitext(rel[len(pages_dir) + 1 :])[0]
                if any(part.startswith("_") for part in stem.split("/")):
                    continue
                url = "/" + (stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem)
                self.add_route(url, Route(Kind.FILE, rel, "a React page of the site"))
                self.add_route(url.rstrip("/") + "/" if url != "/" else "/", Route(Kind.FILE, rel, "a React page of the site"))
        self.static_dirs.append((self.site_file("static"), "/"))
        self.add_route(blog_route + "/", Route(Kind.LIST, None, "the blog index Docusaurus generates"))
        self.add_route(blog_route + "/tags/", Route(Kind.LIST, None, "a page Docusaurus generates"))
        self.add_route(blog_route + "/archive/", Route(Kind.LIST, None, "a page Docusaurus generates"))
        self.add_route("/search/", Route(Kind.LIST, None, "a page Docusaurus generates"))
        self.doc_roots = [r for r, _ in roots]

    def _doc(self, path: str, rel: str, route: str, fm: dict) -> PageInfo:
        folder, name = posixpath.split(rel)
        stem = posixpath.splitext(name)[0]
        parts = [_NUMBER_PREFIX.sub("", p) for p in folder.split("/") if p]
        stem_clean = _NUMBER_PREFIX.sub("", stem)
        is_index = stem.lower() in ("index", "readme") or (parts and stem_clean.lower() == parts[-1].lower())
        slug = fm.get("slug")
        if isinstance(slug, str) and slug.strip():
            slug = slug.strip()
            url = route + ("/" + slug.lstrip("/") if slug.startswith("/") else "/" + "/".join([*parts, slug]))
        else:
            # A category index (`index`, `README`, `guide/guide.md`) is served at
            # its folder whatever its `id`; the file name decides, not the id.
            doc_id = fm.get("id") if isinstance(fm.get("id"), str) else None
            last = [] if is_index else [doc_id or stem_clean]
            url = route + "/" + "/".join([*parts, *last])
        url = re.sub(r"/{2,}", "/", url)
        return PageInfo(path, url if url else "/")

    def _post(self, path: str, rel: str, route: str, fm: dict) -> PageInfo | None:
        folder, name = posixpath.split(rel)
        stem = posixpath.splitext(name)[0]
        source = posixpath.basename(folder) if stem == "index" and folder else stem
        date, title = date_prefix(source)
        slug = fm.get("slug")
        if isinstance(slug, str) and slug.strip():
            url = route + "/" + slug.strip().lstrip("/")
        elif date:
            url = f"{route}/{date[0]}/{date[1]}/{date[2]}/{title}"
        else:
            prefix = posixpath.dirname(folder) if stem == "index" else folder
            url = route + "/" + posixpath.join(prefix, source) if prefix else route + "/" + source
        return PageInfo(path, re.sub(r"/{2,}", "/", url))

    def fragment_ids(self, doc):
        ids = super().fragment_ids(doc)
        imported = self._imported_ids(doc, 0)
        if not imported:
            return ids
        from linklint.slugs import FragmentIds

        return FragmentIds(ids | imported, ids.patterns, ids.skeletons)

    def _imported_ids(self, doc, depth: int) -> set[str]:
        """The ids of the Markdown files ``doc`` imports, through theirs."""
        found: set[str] = set()
        if depth >= 3 or "import" not in doc.text:
            return found
        for name in _MARKDOWN_IMPORT.findall(doc.text):
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), name))
            part = self.parsed_file(rel) if rel in self.documents or rel in self.inventory.files else None
            if part is not None:
                found |= set(super().fragment_ids(part)) | self._imported_ids(part, depth + 1)
        return found

    def keeps_versions(self) -> bool:
        return bool(self._version_folders)

    def version_of(self, path: str) -> tuple[str, str] | None:
        for folder, version in self._version_folders:
            if path.startswith(folder + "/"):
                return version, path[len(folder) + 1 :]
        return None

    def resolve_relative(self, source: str, info: PageInfo, path: str, fragment: str | None) -> Target:
        if is_markdown(path):
            for folder in self._markdown_link_bases(source, path):
                joined = posixpath.join(folder, path) if folder else path
                target = self.lookup_source_file(joined, fragment, note="docusaurus: a link to a Markdown file, rewritten to its URL")
                if target is not None and target.status != Status.OUTSIDE:
                    return target
            return Target(Status.MISSING, path=posixpath.normpath(posixpath.join(posixpath.dirname(source), path)), fragment=fragment, url=path, note="docusaurus: no such Markdown file")
        return super().resolve_relative(source, info, path, fragment)

    def _markdown_link_bases(self, source: str, path: str) -> list[str]:
        """Where Docusaurus looks for a linked Markdown file: `./x.md` and
        `../x.md` only beside the page; `x.md` first in each docs folder and
        the site's folder, then beside the page."""
        here = posixpath.dirname(source)
        if path.startswith(("./", "../")):
            return [here]
        return [*getattr(self, "doc_roots", []), self.site_dir, here]

    def resolve_site_url(self, url: str, fragment: str | None, how: str) -> Target:
        if is_markdown(url):
            for root in [self.site_dir, *getattr(self, "doc_roots", [])]:
                found = self.lookup_source_file(posixpath.join(root, url.lstrip("/")) if root else url.lstrip("/"), fragment, note="docusaurus: a path to a Markdown file")
                if found is not None and found.status != Status.OUTSIDE:
                    return found
        return super().resolve_site_url(url, fragment, how)


# A docs plugin of its own, beside the preset's: `['content-docs', {…}]` or
# `['@docusaurus/plugin-content-docs', {…}]` (facebook/react-native-website
# serves `architecture/` at `/architecture` so).
_DOCS_PLUGIN = re.compile(r"""['"](?:@docusaurus/plugin-)?content-docs['"]\s*,\s*(?:\{|([A-Za-z_$][\w$]*)\s*\])""")


_CLIENT_REDIRECTS = re.compile(r"""['"](?:@docusaurus/plugin-)?client-redirects['"]\s*,\s*(?:\{|([A-Za-z_$][\w$]*)\s*\])""")
_FROM_TO = re.compile(r"\{([^{}]*)\}")
_QUOTED = re.compile(r"""(['"`])([^'"`\n$]*)\1""")


def _client_redirects(text: str) -> dict[str, list]:
    """What the client-redirects plugin's options say literally:
    ``fromExtensions`` and the ``redirects`` list as (from, to) pairs (a
    ``createRedirects`` function cannot be read)."""
    found = _CLIENT_REDIRECTS.search(text)
    options = _plugin_options(text, found) if found is not None else None
    if options is None:
        return {}
    extensions = re.search(r"\bfromExtensions\s*:\s*\[([^\]]*)\]", options)
    pairs = []
    listed = re.search(r"\bredirects\s*:\s*\[", options)
    if listed:
        for entry in _FROM_TO.finditer(braced(options, listed.end() - 1, "[]")):
            body = entry.group(1)
            to = js_string(body, "to")
            sources = re.search(r"\bfrom\s*:\s*(\[[^\]]*\]|(['\"`])[^'\"`\n]*\2)", body)
            if to and sources:
                pairs += [(quoted.group(2), to) for quoted in _QUOTED.finditer(sources.group(1))]
    return {
        "from_extensions": [q.group(2).lstrip(".") for q in _QUOTED.finditer(extensions.group(1))] if extensions else [],
        "redirects": pairs,
    }


def _json_keys(raw: str | None) -> set[str]:
    """The keys of a JSON object (or the items of a list), none when it is not one."""
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return set()
    return {str(key) for key in data} if isinstance(data, (dict, list)) else set()


def _plugin_options(text: str, match: re.Match[str]) -> str | None:
    """The options object of a plugin entry the pattern matched: written in
    place (``['name', {…}]``, the match ending at its brace) or named
    (``['name', options]``, with ``const options = {…}`` in the config)."""
    name = match.group(1)
    if name is None:
        return braced(text, match.end() - 1)
    defined = re.search(r"\b(?:const|let|var)\s+" + re.escape(name) + r"\s*(?::[^=\n]+)?=\s*\{", text)
    return braced(text, defined.end() - 1) if defined else None


def _more_docs(text: str) -> list[tuple[str, str]]:
    """``(path, routeBasePath)`` of each docs plugin instance the config adds,
    where both are written as plain strings."""
    found = []
    for match in _DOCS_PLUGIN.finditer(text):
        options = _plugin_options(text, match)
        if options is None:
            continue
        path, route = js_string(options, "path"), js_string(options, "routeBasePath")
        if path and route is not None:
            found.append((path, route))
    return found

