"""Eleventy (11ty): permalinks by folder, front matter and data files.

``.eleventy.js`` / ``eleventy.config.js`` is a program: linklint reads the input
folder only where it is written as a plain literal (``input: "src"``);
otherwise give it in linklint's configuration (``generator: {input: src}``).

What Eleventy does, and this profile follows:

* Every template under the input folder is a page: ``a/b.md`` is served at
  ``/a/b/``, ``a/index.md`` at ``/a/``. Templates of other languages
  (``.njk``, ``.liquid``, ``.webc``, ``.html``, ``.11ty.js`` …) are pages too,
  without headings linklint reads. What ``.eleventyignore`` (in the project's
  folder or the input folder) names is no template: a README there is read
  as GitHub shows it, a ``_``-named Markdown file is a partial pages include.
* ``permalink`` replaces the URL. It is read from the template's front matter,
  else its template data file (``post.11tydata.json``), else the closest
  directory data file (``blog/blog.json``, ``blog/blog.11tydata.js``), where
  it is a plain literal. ``{{ page.fileSlug }}`` and ``{{ page.filePathStem }}``
  are filled in (the file slug drops a leading ``YYYY-MM-DD-`` date); a
  permalink with other template syntax is not knowable and keeps the default
  URL. ``permalink: false`` pages are not written. A template paginated
  over ``collections`` one at a time with ``permalink:
  /tags/{{ tag | slugify }}/`` writes a page for each tag of the pages'
  front matter (but those its ``filter`` names).
* Links are URLs, resolved by the browser against the page's URL; files that
  are passthrough-copied are found where they are, and literal
  ``addPassthroughCopy({"from": "to"})`` mappings where they are copied to
  (what they copy from outside the repository is not judged).
* With the InputPath-to-URL plugin, a link may name a template's file:
  relative to the page, to the input folder or to the project's folder.
* Heading ids: Eleventy adds none by itself; the common markdown-it-anchor
  plugin's default slugs (trimmed, lower-cased, whitespace to ``-``) are used.
  With markdown-it-attrs, ``{ #id .class }`` gives an id to the heading it
  ends (and is no part of its text), and to paragraphs and inline elements.
  When the config passes its own ``slugify`` function, or uses the
  ``IdAttributePlugin`` (whose slugs follow the site's ``slugify`` filter), the
  ids cannot be known exactly: a fragment is accepted when it spells a
  heading's letters and digits (see ``linklint.slugs.skeleton``).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import Any
from urllib.parse import unquote

from linklint.sites.base import Status, Target, attribute_list_id, headings_with_attribute_lists, split_url
from linklint.sites.configfiles import braced, js_string, read_json, read_text
from linklint.sites.generator import GeneratorProfile, Kind, PageInfo, Route, as_list, date_prefix, is_markdown

_CONFIG_NAMES = (".eleventy.js", ".eleventy.cjs", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts")
# Template languages other than Markdown that Eleventy renders by default.
_TEMPLATE_EXTENSIONS = (
    ".njk", ".liquid", ".webc", ".html", ".hbs", ".mustache", ".ejs", ".haml", ".pug",
    ".11ty.js", ".11ty.cjs", ".11ty.mjs", ".11ty.ts", ".11ty.jsx", ".11ty.tsx",
)  # fmt: skip
_PERMALINK_LITERAL = re.compile(r"""\bpermalink\s*:\s*(['"`])([^'"`\n]*)\1""")
_PAGE_VARIABLE = re.compile(r"\{\{-?\s*page\.(fileSlug|filePathStem)\s*(\|\s*slug(?:ify)?\s*)?-?\}\}")
# How far the config's own modules are followed: imports deep, files in all.
_MODULE_DEPTH = 3
_MAX_MODULES = 64
_MODULE_EXTENSIONS = (".js", ".mjs", ".cjs", ".ts")
_LOCAL_IMPORT = re.compile(r"""(?:from\s+|require\(\s*|import\(\s*)(['"])(\.{1,2}/[^'"]+)\1""")
_PASSTHROUGH_MAP = re.compile(r"""(['"`])([^'"`\n]+)\1\s*:\s*(['"`])([^'"`\n]+)\3""")
# markdown-it-attrs' lists: `{#id .class key=value}`, with spaces inside or
# not; at the end of a heading, and anywhere after an element.
_ATTRS = re.compile(r"\{([^{}\n]*)\}")
_TRAILING_ATTRS = re.compile(r"\s*\{([^{}\n]*)\}\s*$")
_OUTPUT_PATH = re.compile(r"""\boutputPath\s*:\s*(['"`])(/[^'"`\n$]*)\1""")
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
_NOT_KNOWN = object()  # a permalink written with template syntax linklint cannot fill in


class EleventyProfile(GeneratorProfile):
    name = "eleventy"
    slugger = "markdown-it-anchor"
    config_names = _CONFIG_NAMES
    ignored_prefixes = ("_site/", "node_modules/", "_includes/", "_layouts/", "_data/")
    index_names = ("index.md",)
    unrendered_blocks = ("set", "capture", "comment", "highlight")

    def read_settings(self) -> dict[str, Any]:
        _, text = self.config_text()
        found = re.search(r"\binput\s*:\s*(['\"`])([^'\"`]+)\1", text)
        program = text + "\n".join(self._local_modules(text))
        return {
            "input": str(self.options.get("input") or (found.group(2) if found else ".")),
            "pathPrefix": js_string(text, "pathPrefix"),
            "input_path_links": "InputPathToUrl" in program,
            # A `slugify` option of its own (`slugify: fn`, or the shorthand `slugify,`).
            "own_ids": "IdAttributePlugin" in program or re.search(r"\bslugify\s*[:,}]", program) is not None,
            "passthrough": [m.group(2, 4) for block in _passthrough_objects(program) for m in _PASSTHROUGH_MAP.finditer(block)],
            "image_transform": "eleventyImageTransformPlugin" in program,
            "attrs": "markdown-it-attrs" in program,
            # Virtual templates (the RSS plugin's feeds) written where the config says.
            "virtual_outputs": [m.group(2) for m in _OUTPUT_PATH.finditer(program)],
        }

    def _local_modules(self, text: str) -> list[str]:
        """The texts of the config's own modules (``./config/markdown.js``, a
        folder's ``index.js``) and of theirs, a few imports deep: a plugin set
        up there counts as set up in the config (18f.gsa.gov passes its
        ``slugify`` three modules down)."""
        texts: list[str] = []
        seen: set[str] = set()
        todo = [("", text, 0)]
        while todo and len(seen) < _MAX_MODULES:
            folder, source, depth = todo.pop(0)
            for match in _LOCAL_IMPORT.finditer(source):
                rel = posixpath.normpath(posixpath.join(folder, match.group(2)))
                for candidate in (rel, *(rel + ext for ext in _MODULE_EXTENSIONS), *(f"{rel}/index{ext}" for ext in _MODULE_EXTENSIONS)):
                    if candidate in seen:
                        break
                    found = read_text(self.site_path(candidate)) if posixpath.splitext(candidate)[1] else None
                    if found is not None:
                        seen.add(candidate)
                        texts.append(found)
                        if depth < _MODULE_DEPTH:
                            todo.append((posixpath.dirname(candidate), found, depth + 1))
                        break
        return texts

    def generator_content(self) -> str:
        value = self.settings["input"].strip("./")
        return self.site_file(value) if value else self.site_dir

    # -- the URL table ---------------------------------------------------------------

    def build(self) -> None:
        root = self.content_root
        self.template_urls: dict[str, str] = {}  # every template's file → its URL
        self.ignored = self._ignore_patterns()
        for path in self.inventory.sorted_files():
            rel = self._input_relative(path)
            if rel is None or not _is_template(path) or _hidden(rel):
                continue
            if self._is_ignored(path):
                if posixpath.basename(path).startswith("_") and is_markdown(path):
                    # Left out as a template to be included by pages (v8.dev's
                    # `**/_*.md`): a partial, its links the site's.
                    self.partials.add(path)
                continue
            url = self._template_url(path, rel)
            if url is None:
                continue
            if path in self.pages:
                self._add_page(path, url)
            elif not is_markdown(path) and url is not _NOT_KNOWN and url is not False:
                self.template_urls[path] = url
                self.add_route(url, Route(Kind.FILE, path, "a template of the site"))
            elif url is _NOT_KNOWN and not is_markdown(path):
                self._tag_pages(path)
        self.static_dirs.append((root, "/"))
        self._add_passthrough_copies()
        for url in self.settings.get("virtual_outputs", ()):
            self.add_route(url, Route(Kind.LIST, None, "a page the config's plugins write (a virtual template)"))

    def _tag_pages(self, path: str) -> None:
        """A template paginated one collection at a time
        (``pagination: {data: collections, size: 1, alias: tag}``) with a
        permalink such as ``/tags/{{ tag | slugify }}/`` writes a page for
        each tag the pages' front matter names, but those its ``filter``
        leaves out."""
        front = self._front_matter(path)
        pagination = front.get("pagination")
        permalink = front.get("permalink")
        if not isinstance(pagination, dict) or str(pagination.get("data", "")).strip() != "collections":
            return
        alias = pagination.get("alias")
        if not isinstance(alias, str) or not isinstance(permalink, str) or pagination.get("size", 1) != 1:
            return
        slot = re.search(r"\{\{-?\s*" + re.escape(alias) + r"\s*\|\s*slug(?:ify)?\s*-?\}\}", permalink)
        if slot is None or "{" in permalink[: slot.start()] + permalink[slot.end() :]:
            return
        left_out = set(as_list(pagination.get("filter")))
        tags = {tag for doc in self.documents.values() for tag in as_list(doc.front_matter.get("tags"))} - left_out
        for tag in sorted(tags):
            url = "/" + (permalink[: slot.start()] + _slugify(tag, keep="") + permalink[slot.end() :]).strip().lstrip("/")
            self.add_route(url, Route(Kind.LIST, None, f"the page `{path}` writes for the tag `{tag}`"))

    def _ignore_patterns(self) -> list[tuple[str, str]]:
        """``.eleventyignore`` of the project's folder and of the input folder:
        (folder, pattern) for each line, a glob relative to its file."""
        found = []
        for folder in dict.fromkeys([self.site_dir, self.content_root]):
            text = read_text(self.inventory.root / folder / ".eleventyignore") if folder else read_text(self.inventory.root / ".eleventyignore")
            for line in (text or "").splitlines():
                line = line.strip()
                if line and not line.startswith(("#", "!")):
                    found.append((folder, line.removeprefix("./").strip("/")))
        return found

    def _is_ignored(self, path: str) -> bool:
        """Whether ``.eleventyignore`` leaves the file out (a file, a folder
        and all below it, or a glob)."""
        for folder, pattern in self.ignored:
            if folder and not path.startswith(folder + "/"):
                continue
            rel = path[len(folder) + 1 :] if folder else path
            if rel == pattern or rel.startswith(pattern + "/") or fnmatch.fnmatch(rel, pattern.replace("**/", "*").replace("**", "*")):
                return True
        return False

    def _input_relative(self, path: str) -> str | None:
        root = self.content_root
        if root and not path.startswith(root + "/"):
            return None
        return path[len(root) + 1 :] if root else path

    def _add_page(self, path: str, url: Any) -> None:
        fm = self.documents[path].front_matter if path in self.documents else {}
        written = url is not False
        if not isinstance(url, str):
            url = _default_url(self._input_relative(path) or path)
        info = PageInfo(path, url)
        if not written:
            info.draft, info.draft_reason = True, "a page with `permalink: false`, which Eleventy does not write"
        if fm.get("draft") is True:
            info.draft, info.draft_reason = True, "a draft (`draft: true`)"
        self.info[path] = info
        self.template_urls[path] = info.url

    def _template_url(self, path: str, rel: str) -> Any:
        """The URL Eleventy writes the template to; False when it writes none,
        ``_NOT_KNOWN`` when a template expression decides it."""
        permalink = self._permalink(path, rel)
        if permalink is None:
            return _default_url(rel)
        if permalink is False:
            return False
        if not isinstance(permalink, str):
            return _NOT_KNOWN
        filled = _fill_page_variables(permalink, rel)
        if filled is None:
            return _NOT_KNOWN
        url = "/" + filled.strip().lstrip("/")
        return url[: -len("index.html")] if url.endswith("/index.html") else url

    def _permalink(self, path: str, rel: str) -> Any:
        """The template's ``permalink`` by the data cascade: front matter, the
        template's data file, then directory data files, closest first."""
        front = self._front_matter(path)
        if "permalink" in front:
            return front["permalink"]
        stem = _strip_template_extension(path)
        folder = posixpath.dirname(path)
        data_files = [stem + ".11tydata.json", stem + ".11tydata.js", stem + ".11tydata.cjs", stem + ".11tydata.mjs"]
        while True:
            name = posixpath.basename(folder)
            if name:
                data_files += [f"{folder}/{name}.11tydata.json", f"{folder}/{name}.json", f"{folder}/{name}.11tydata.js", f"{folder}/{name}.11tydata.cjs", f"{folder}/{name}.11tydata.mjs"]
            if not folder or folder == self.content_root:
                break
            folder = posixpath.dirname(folder)
        for data_file in data_files:
            if data_file in self.inventory.files:
                found = self._data_permalink(data_file)
                if found is not None:
                    return found
        return None

    def _front_matter(self, path: str) -> dict[str, Any]:
        if path in self.documents:
            return self.documents[path].front_matter
        text = read_text(self.inventory.root / path) or ""
        match = re.match(r"---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|$)", text, re.S)
        if match is None:
            return {}
        import yaml  # on first use: most sites are not built by this generator

        try:
            data = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            return {}
        return data if isinstance(data, dict) else {}

    def _data_permalink(self, data_file: str) -> Any:
        if data_file.endswith(".json"):
            data = read_json(self.inventory.root / data_file)
            return data.get("permalink") if isinstance(data, dict) else None
        text = read_text(self.inventory.root / data_file) or ""
        match = _PERMALINK_LITERAL.search(text)
        if match is not None:
            return match.group(2)
        return _NOT_KNOWN if re.search(r"\bpermalink\b", text) else None

    def _add_passthrough_copies(self) -> None:
        """``addPassthroughCopy({"from": "to"})``: a file of the repository is
        served where it is copied to; what is copied from outside the repository
        (``node_modules``) cannot be judged."""
        for source, destination in self.settings.get("passthrough", ()):
            url = "/" + destination.strip().lstrip("./").lstrip("/")
            rel = posixpath.normpath(self.site_file(source.strip().removeprefix("./")))
            if rel in self.inventory.files:
                self.add_route(url, Route(Kind.FILE, rel, "a file copied by `addPassthroughCopy`"))
            elif rel in self.inventory.dirs:
                self.static_dirs.append((rel, url.rstrip("/") + "/"))
            elif not any(c in rel for c in "*{") or rel.startswith("node_modules/") or "/node_modules/" in rel:
                self.external_prefixes.append(url if url.endswith("/") or "." in url.rsplit("/", 1)[-1] else url + "/")

    # -- heading ids -----------------------------------------------------------------

    def heading_ids(self, doc) -> list[str]:
        if not self.settings.get("attrs"):
            return super().heading_ids(doc)
        from linklint.slugs import heading_ids

        # markdown-it-attrs: a list at the end of a heading (`## Setup { #setup .wide }`)
        # is no part of its text, and its id is the heading's.
        texts, explicit = headings_with_attribute_lists(doc, _TRAILING_ATTRS)
        return heading_ids(texts, explicit, algorithm=self.slugger)

    def fragment_ids(self, doc):
        from linklint.slugs import FragmentIds, skeleton

        ids = super().fragment_ids(doc)
        if self.settings.get("attrs") and "{" in doc.text:
            # markdown-it-attrs puts ids on paragraphs and inline elements too.
            given = filter(None, (attribute_list_id(m.group(1)) for m in _ATTRS.finditer(doc.text)))
            ids = FragmentIds(ids.union(given), ids.patterns, ids.skeletons)
        if not self.settings.get("own_ids"):
            return ids
        return FragmentIds(ids, ids.patterns, [*ids.skeletons, *(skeleton(h.text) for h in doc.headings)])

    # -- links -----------------------------------------------------------------------

    def resolve_file_link(self, source: str, path: str, fragment: str | None) -> Target | None:
        """The image transform plugin finds an image by its path relative to
        the page's file and writes the processed image's URL in its place."""
        if self.settings.get("image_transform") and path.lower().endswith(_IMAGE_EXTENSIONS):
            found = self.lookup_source_file(posixpath.join(posixpath.dirname(source), path), fragment)
            if found is not None:
                return found
        return super().resolve_file_link(source, path, fragment)

    def resolve_special(self, source: str, dest: str) -> Target | None:
        if not self.settings.get("input_path_links") or source not in self.info:
            return None
        parts = split_url(dest)
        if parts.scheme or parts.netloc or not _is_template(parts.path):
            return None
        path = unquote(parts.path)
        fragment = unquote(parts.fragment) if "#" in dest else None
        for candidate in self._input_path_candidates(source, path):
            found = self._template_target(candidate, fragment)
            if found is not None:
                return found
        return None

    def _input_path_candidates(self, source: str, path: str) -> list[str]:
        """The InputPath-to-URL plugin's readings of a file path: relative to
        the page, to the input folder, to the project's folder."""
        bare = path.lstrip("/")
        out = [] if path.startswith("/") else [posixpath.join(posixpath.dirname(source), path)]
        out.append(posixpath.join(self.content_root, bare) if self.content_root else bare)
        out.append(self.site_file(bare))
        return [posixpath.normpath(c) for c in out]

    def _template_target(self, path: str, fragment: str | None) -> Target | None:
        note = "eleventy: the InputPath-to-URL plugin turns the file's path into its URL"
        info = self.info.get(path)
        if info is not None:
            status = Status.DRAFT if info.draft else Status.PAGE
            return Target(status, path=path, fragment=fragment, url=info.url, note=f"{note}: `{path}` (URL `{info.url}`)")
        url = self.template_urls.get(path)
        if url is not None:
            return Target(Status.ASSET, path=path, fragment=fragment, url=url, note=f"{note}: `{path}` (URL `{url}`)")
        return None


def _is_template(path: str) -> bool:
    lower = path.lower()
    return is_markdown(lower) or lower.endswith(_TEMPLATE_EXTENSIONS)


def _hidden(rel: str) -> bool:
    """Folders Eleventy never renders from: `_includes`, `_data` and any other
    `_`-folder, and dependencies."""
    folders = rel.split("/")[:-1]
    return any(p.startswith("_") for p in folders) or (folders[:1] == ["node_modules"])


def _strip_template_extension(path: str) -> str:
    lower = path.lower()
    for ext in sorted(_TEMPLATE_EXTENSIONS, key=len, reverse=True):
        if lower.endswith(ext):
            return path[: -len(ext)]
    return posixpath.splitext(path)[0]


def _default_url(rel: str) -> str:
    """``a/b.md`` → ``/a/b/``; ``a/index.md`` and ``a/a.md`` → ``/a/``."""
    stem = _strip_template_extension(rel)
    folder, name = posixpath.split(stem)
    if name == "index" or (folder and name == posixpath.basename(folder)):
        return "/" + (folder + "/" if folder else "")
    return "/" + stem + "/"


def _fill_page_variables(permalink: str, rel: str) -> str | None:
    """``/blog/{{ page.fileSlug }}/`` for ``blog/2024-01-31-hello.md`` →
    ``/blog/hello/``; None when other template syntax is left."""
    stem = _strip_template_extension(rel)
    name = posixpath.basename(stem)
    if name == "index":
        name = posixpath.basename(posixpath.dirname(stem))
    file_slug = date_prefix(name)[1] if date_prefix(name)[0] else name
    values = {"fileSlug": file_slug, "filePathStem": "/" + stem}

    def fill(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        return _slugify(value) if match.group(2) else value

    filled = _PAGE_VARIABLE.sub(fill, permalink)
    return None if re.search(r"\{\{|\{%", filled) else filled


def _slugify(text: str, keep: str = "/") -> str:
    """Eleventy's ``slug``/``slugify`` filters for the plain file names and
    tags they meet here: lower-cased, every run of other characters than
    letters, digits and ``keep`` (a path's ``/``) one ``-``."""
    return re.sub(f"[^a-z0-9{re.escape(keep)}]+", "-", text.lower()).strip("-")


def _passthrough_objects(program: str) -> list[str]:
    """The object literals passed to ``addPassthroughCopy({...})``."""
    return [braced(program, m.end() - 1) for m in re.finditer(r"addPassthroughCopy\(\s*\{", program)]
