"""MkDocs (and Material for MkDocs): docs_dir, directory URLs, ``.md`` links.

What MkDocs does, and this profile follows:

* Every Markdown file under ``docs_dir`` (default ``docs``) is a page, except
  hidden ones and ``exclude_docs``; ``index.md`` — or ``README.md`` when the
  folder has no ``index.md`` — is its folder's page.
* With ``use_directory_urls`` (the default) ``a/b.md`` is served at ``/a/b/``,
  otherwise at ``/a/b.html``. Every other file of ``docs_dir`` is served at its
  own path.
* A relative link to a file of ``docs_dir`` (``../guide/setup.md#install``,
  ``img/a.png``) is rewritten by MkDocs to that file's URL, so it is resolved
  against the *file*; any other relative link is left alone and resolved by the
  browser against the page's URL. Absolute ``/x.md`` links are left alone too
  (unless ``validation.links.absolute_links: relative_to_docs``).
* A folder pages only include from (pymdownx.snippets' ``base_path``,
  mkdocs-macros' ``include_dir``; not the docs_dir itself) holds partials, not
  pages, inside docs_dir or out: no post rules, never a suggested link target.
  Their text becomes the including page's, and so do their relative links: a
  link is found from one of the pages that include the partial (``--8<--
  "name"``, ``{% include "name" %}``, through other partials too) or missing;
  in a partial no page includes, not judged.
* The redirects plugin's ``redirect_maps`` and Material's blog plugin (posts at
  ``blog/<yyyy>/<mm>/<dd>/<slug>/``, ``draft: true``) are understood.
* Heading ids: the ``toc`` extension's ``slugify`` (Python-Markdown's default, or
  ``pymdownx.slugs.slugify(case=…)`` and friends) and ``separator``; repeats get
  ``_1``, ``_2``. ``{#id}`` works only with ``attr_list``, as do its other
  spellings (``{ #id .class }``, ``{: id="…" }``) and lists without an id,
  which are not part of the heading's text. With ``footnotes``, each footnote
  ``[^label]`` gives ``fn:label`` and ``fnref:label``. pymdownx.tabbed with
  a ``slugify`` gives each tab (``=== "Title"``) the id of its title, after
  the heading's id and a ``-`` with ``combine_header_slug``. A page whose headings are
  generated when the site is built (a ``::: module`` directive of mkdocstrings,
  also written as a heading, ``# ::: module``;
  a heading written as a comment that a hook fills) has its fragments
  unchecked. On a site with ``hooks``, a comment on a line of its own that
  reads like a shortcode (``<!-- md:option toc.slugify -->``) may become an
  element whose id ends with its argument (``#+toc.slugify``): such ids are
  taken on trust, the page's others are checked.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import posixpath
import re
from functools import partial
from typing import Any, Callable

from linklint.sites.base import Status, Target, attribute_list_id, footnote_ids
from linklint.sites.configfiles import Tagged, read_yaml
from linklint.sites.generator import GeneratorProfile, Kind, PageInfo, Route, is_markdown


_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
# mkdocstrings' `::: package.module`, also written as a heading (`# ::: package`).
_DIRECTIVE = re.compile(r"^(?:#{1,6}[ \t]+)?:::[ \t]+[\w.:-]+", re.M)
# A comment a hook replaces when the site is built: `<!-- md:option toc.slugify -->`
# (Material for MkDocs' shortcodes), and its arguments.
_SHORTCODE = re.compile(r"^[ \t]*<!--[ \t]*[A-Za-z][\w-]*:[\w-]+([^\n]*?)-->", re.M)
# attr_list's list at the end of a heading (Python-Markdown's `HEADER_RE`).
_HEADING_ATTRS = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^}\n]*)[ ]*\}[ ]*$")
_SNIPPET = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+["']([^"'\n]+)["']""", re.M)
# A snippet's line range or section after its name: `file.md:3:9`, `file.md:usage`.
_SNIPPET_PART = re.compile(r"^(.*\.\w+)(?::[\w-]*)+$")
# A tab of pymdownx.tabbed: `=== "Title"`, `===+ "Title"` (selected), `===! "Title"` (a new set).
_TAB = re.compile(r"""^[ \t]*===[+!]*[ \t]+"([^"\n]*)"[ \t]*$""", re.M)
# mkdocs-macros' Jinja include: `{% include "snippet.md" %}`.
_MACRO_INCLUDE = re.compile(r"""\{%-?[ \t]*include[ \t]+["']([^"'\n]+)["']""")


def _named(items: Any) -> dict[str, Any]:
    """``markdown_extensions`` / ``plugins``: a list of names or one-key
    mappings (or a mapping), as name → options."""
    out: dict[str, Any] = {}
    if isinstance(items, dict):
        return {str(k): v for k, v in items.items()}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            out[item] = {}
        elif isinstance(item, dict):
            for key, value in item.items():
                out[str(key)] = value
    return out


class MkdocsProfile(GeneratorProfile):
    name = "mkdocs"
    slugger = "python-markdown"
    config_names = ("mkdocs.yml", "mkdocs.yaml")
    ignored_prefixes = ("site/", "overrides/", "node_modules/")
    index_names = ("index.md", "README.md")
    extensionless_html = False

    def read_settings(self) -> dict[str, Any]:
        for name in self.config_names:
            data = read_yaml(self.site_path(name))
            if isinstance(data, dict):
                return data
        return {}

    def generator_content(self) -> str:
        docs = self.settings.get("docs_dir")
        return self.site_file(str(docs).strip("/") if isinstance(docs, str) and docs.strip("/") else "docs")

    def generator_base_url(self) -> str | None:
        url = self.settings.get("site_url")
        return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None

    def build(self) -> None:
        s = self.settings
        self.directory_urls = s.get("use_directory_urls", True) is not False
        extensions = _named(s.get("markdown_extensions"))
        extra = "pymdownx.extra" in extensions or "extra" in extensions  # attr_list and footnotes among others
        self.attr_list = "attr_list" in extensions or extra
        self.footnotes = "footnotes" in extensions or extra
        self.hooks = bool(s.get("hooks"))
        toc = extensions.get("toc") if isinstance(extensions.get("toc"), dict) else {}
        self.separator = str(toc.get("separator", "-"))
        self.slugify = _slugify_function(toc.get("slugify"), self.separator)
        # pymdownx.tabbed gives each tab an id from its title with a slugify
        # of its own (ids `__tabbed_1_2` without one: not read), after the
        # heading's id with `combine_header_slug`.
        tabbed = extensions.get("pymdownx.tabbed") if isinstance(extensions.get("pymdownx.tabbed"), dict) else {}
        tab_slugify = tabbed.get("slugify")
        self.tab_slugify = _slugify_function(tab_slugify, str(tabbed.get("separator", "-"))) if tab_slugify else None
        self.tab_header_slug = tabbed.get("combine_header_slug") is True
        snippets = extensions.get("pymdownx.snippets") if isinstance(extensions.get("pymdownx.snippets"), dict) else {}
        bases = snippets.get("base_path", ["."])
        self.snippet_bases = [self.site_file(str(b).strip("/").removeprefix("./").strip(".")) for b in (bases if isinstance(bases, list) else [bases])]
        plugins = _named(s.get("plugins"))
        macros = plugins.get("macros") if isinstance(plugins.get("macros"), dict) else {}
        include_dir = str(macros.get("include_dir") or "").strip("/").removeprefix("./").strip(".")
        # mkdocs-macros' `{% include %}` reads from `include_dir`, else from docs_dir.
        self.macro_bases = [self.site_file(include_dir)] if include_dir else [self.content_root]
        # A folder only included from (pymdownx.snippets' `base_path`, macros'
        # `include_dir`) holds partials, not pages, wherever it is: a base
        # holding docs_dir (the default `.`) is no such folder.
        self.include_folders = [
            base for base in dict.fromkeys(self.snippet_bases + (self.macro_bases if include_dir else []))
            if base and not (self.content_root == base or self.content_root.startswith(base + "/"))
        ]
        self._hosts: dict[str, list[str]] | None = None
        validation = s.get("validation") if isinstance(s.get("validation"), dict) else {}
        links = validation.get("links") if isinstance(validation.get("links"), dict) else {}
        self.absolute_to_docs = str(links.get("absolute_links", "")) == "relative_to_docs"
        exclude = s.get("exclude_docs")
        self.excluded = [p.strip() for p in exclude.splitlines() if p.strip() and not p.startswith("#")] if isinstance(exclude, str) else []
        root = self.content_root
        blog = plugins.get("blog") or plugins.get("material/blog")
        blog_dir = ""
        if "blog" in plugins or "material/blog" in plugins:
            options = blog if isinstance(blog, dict) else {}
            blog_dir = str(options.get("blog_dir", "blog")).strip("/.")
            self.post_format = str(options.get("post_url_format", "{date}/{slug}"))
            self.post_date_format = str(options.get("post_url_date_format", "yyyy/MM/dd"))
        for path in sorted(self.pages):
            if any(path.startswith(folder + "/") for folder in self.include_folders):
                self.partials.add(path)
                continue
            if root and not path.startswith(root + "/"):
                continue
            rel = path[len(root) + 1 :] if root else path
            if any(p.startswith(".") for p in rel.split("/")) or self._is_excluded(rel):
                continue
            fm = self.documents[path].front_matter if path in self.documents else {}
            if blog_dir and rel.startswith(blog_dir + "/posts/"):
                info = self._post(path, rel, fm, blog_dir)
            else:
                info = PageInfo(path, self._url(rel))
            if fm.get("draft") is True:
                info.draft, info.draft_reason = True, "a draft (`draft: true`), which the blog plugin does not publish"
            self.info[path] = info
        self.static_dirs.append((root, "/"))
        redirects = plugins.get("redirects")
        maps = redirects.get("redirect_maps") if isinstance(redirects, dict) else None
        by_rel = {p[len(root) + 1 :] if root else p: p for p in self.info}
        for old, new in (maps or {}).items() if isinstance(maps, dict) else []:
            target = by_rel.get(str(new).split("#", 1)[0])
            if target is not None:
                self.info[target].aliases.append(self._url(str(old)))
        if blog_dir:
            self.add_route(f"/{blog_dir}/", Route(Kind.LIST, None, "the blog's index the blog plugin generates"))

    def _is_excluded(self, rel: str) -> bool:
        for pattern in self.excluded:
            negate = pattern.startswith("!")
            p = pattern.lstrip("!").lstrip("/")
            if fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*") or fnmatch.fnmatch(posixpath.basename(rel), p):
                return not negate
        return False

    def _url(self, rel: str) -> str:
        stem, _ = posixpath.splitext(rel)
        folder, name = posixpath.split(stem)
        if name == "index" or (name == "README" and not any(
            posixpath.join(self.content_root, folder, n) in self.inventory.files for n in ("index.md",)
        )):
            return "/" + (folder + "/" if folder else "")
        if self.directory_urls:
            return "/" + stem + "/"
        return "/" + stem + ".html"

    def _post(self, path: str, rel: str, fm: dict, blog_dir: str) -> PageInfo:
        doc = self.documents.get(path)
        title = fm.get("title") if isinstance(fm.get("title"), str) else None
        if title is None and doc is not None:
            title = next((h.text for h in doc.headings if h.level == 1), None)
        slug = fm.get("slug") if isinstance(fm.get("slug"), str) else self.slugify(title or posixpath.basename(rel))
        date_value = fm.get("date")
        if isinstance(date_value, dict):
            date_value = date_value.get("created")
        when = date_value if isinstance(date_value, (dt.date, dt.datetime)) else None
        if isinstance(date_value, str):
            try:
                when = dt.date.fromisoformat(date_value[:10])
            except ValueError:
                when = None
        date_part = ""
        if when is not None:
            fmt = self.post_date_format.replace("yyyy", "%Y").replace("MM", "%m").replace("dd", "%d")
            date_part = when.strftime(fmt)
        rest = self.post_format.replace("{date}", date_part).replace("{slug}", slug).replace("{file}", posixpath.splitext(posixpath.basename(rel))[0])
        rest = "/".join(p for p in rest.split("/") if p)
        url = f"/{blog_dir}/{rest}/" if self.directory_urls else f"/{blog_dir}/{rest}.html"
        return PageInfo(path, url, other_urls=[])

    # -- heading ids ---------------------------------------------------------

    def heading_ids(self, doc) -> list[str]:
        from linklint.slugs import PythonMarkdownSlugger, heading_ids

        texts = []
        explicit = []
        for h in doc.headings:
            if h.explicit_id is not None and not self.attr_list:
                # Without attr_list the `{#id}` is text of the heading.
                texts.append(f"{h.text} {{#{h.explicit_id}}}")
                explicit.append(None)
                continue
            text, given = h.text, h.explicit_id
            if self.attr_list and given is None:
                # attr_list's other spellings: `{ #id }`, `{: #id .wide }`,
                # `{ id="9.7.0" }`; a list without an id still leaves the text.
                listed = _HEADING_ATTRS.search(text)
                if listed:
                    text, given = text[: listed.start()], attribute_list_id(listed.group(1))
            texts.append(text)
            explicit.append(given)
        return heading_ids(texts, explicit, algorithm=PythonMarkdownSlugger(self.slugify), explicit_first=True)

    def fragment_ids(self, doc):
        from linklint.slugs import FragmentIds

        ids = self._ids_with_snippets(doc, 0)
        if _DIRECTIVE.search(doc.text) or any(_made_by_a_hook(doc, h) for h in doc.headings):
            # `::: module.name` (mkdocstrings, mkdocs-click) generates headings
            # at build time, and so does a hook that fills a heading written
            # as a comment (`#### <!-- md:setting config.blog_dir -->`, Material
            # for MkDocs' own documentation): any fragment may exist, none can
            # be checked.
            return FragmentIds(ids, [re.compile(".*", re.S)])
        if self.hooks and "<!--" in doc.text:
            # On a site with hooks, a comment on a line of its own may become
            # an element whose id ends with its argument (`<!-- md:option
            # toc.slugify -->`: `+toc.slugify`); the page's other ids are known.
            made = {arg for match in _SHORTCODE.finditer(doc.text) for arg in match.group(1).split()}
            if made:
                return FragmentIds(ids, [re.compile(".*(?:" + "|".join(map(re.escape, sorted(made))) + ")", re.S)])
        return FragmentIds(ids)

    def _ids_with_snippets(self, doc, depth: int) -> set[str]:
        ids = set(self.heading_ids(doc))
        ids.update(a.id for a in doc.html_anchors)
        if self.attr_list and "{" in doc.text:
            # attr_list also puts ids on inline elements: `**locale**{ #mkdocs-locale }`.
            # The last id of a list wins (`{: #first id='last' }` gives `last`).
            ids.update(filter(None, (attribute_list_id(m.group(1)) for m in _ATTR_LIST.finditer(doc.text))))
        if self.footnotes:
            ids |= footnote_ids(doc.text)
        if self.tab_slugify is not None and "===" in doc.text:
            ids |= self._tab_ids(doc)
        if depth < 3 and "8<" in doc.text:
            # pymdownx.snippets pulls another file's text, headings included, into the page.
            for name in included_names(_SNIPPET, doc.text):
                included = self._snippet(name)
                if included is not None:
                    ids |= self._ids_with_snippets(included, depth + 1)
        return ids

    def _tab_ids(self, doc) -> set[str]:
        """The ids of pymdownx.tabbed's tabs (`=== "Title"`), after the id of
        the heading above them with ``combine_header_slug``."""
        headings = list(zip((h.span.line for h in doc.headings), self.heading_ids(doc)))
        found = set()
        for match in _TAB.finditer(doc.text):
            slug = self.tab_slugify(re.sub(r"[*_`]", "", match.group(1)))
            if self.tab_header_slug:
                line = doc.text.count("\n", 0, match.start()) + 1
                above = [heading_id for heading_line, heading_id in headings if heading_line < line]
                slug = f"{above[-1]}-{slug}" if above else slug
            found.add(slug)
        return found

    def _snippet(self, name: str):
        for base in self.snippet_bases:
            rel = posixpath.normpath(posixpath.join(base, name)) if base else posixpath.normpath(name)
            if rel in self.documents:
                return self.documents[rel]
            if rel in self.inventory.files and is_markdown(rel):
                return self.parsed_file(rel)
        return None

    # -- links ------------------------------------------------------------------

    def resolve_relative(self, source: str, info: PageInfo, path: str, fragment: str | None) -> Target:
        # MkDocs rewrites links to files of docs_dir first; the rest is left to
        # the browser.
        target = self.lookup_source_file(posixpath.join(posixpath.dirname(source), path), fragment, note="mkdocs: a link to a file of docs_dir, rewritten by MkDocs")
        if target is not None and target.status != Status.OUTSIDE and not (path.endswith("/") and target.status == Status.ASSET):
            return target
        by_url = super().resolve_relative(source, info, path, fragment)
        if by_url.status == Status.MISSING and is_markdown(path.split("#")[0]):
            guess = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
            return Target(Status.MISSING, path=guess, fragment=fragment, url=path, note="mkdocs: no such file in docs_dir")
        return by_url

    def resolve_file_link(self, source: str, path: str, fragment: str | None) -> Target | None:
        return None  # done first, in resolve_relative

    def memo_key(self, source: str, destination: str) -> tuple[str, str] | None:
        key = super().memo_key(source, destination)
        # A partial's relative links resolve from the pages that include it,
        # which its folder does not tell.
        return (source, destination) if key is not None and source in self.partials else key

    def _resolve_in_partial(self, source: str, path: str, fragment: str | None) -> Target:
        """The pages that include the partial show its text as theirs, and
        MkDocs rewrites its links from each such page's file: a link found
        from one of them works; found from none, it is missing."""
        hosts = self._hosts_of(source)
        if not hosts or not path:
            return super()._resolve_in_partial(source, path, fragment)
        missing = None
        for host in hosts:
            found = self.resolve_relative(host, self.info[host], path, fragment)
            if found.status not in (Status.MISSING, Status.OUTSIDE):
                return found
            missing = missing or found
        assert missing is not None
        return Target(missing.status, path=missing.path, fragment=fragment, url=missing.url, note=f"mkdocs: from `{hosts[0]}`, which includes `{source}`, and every page that does")

    def _hosts_of(self, partial: str, depth: int = 0) -> list[str]:
        """The pages that include ``partial``, through other partials too."""
        if self._hosts is None:
            self._hosts = self._find_hosts()
        hosts: list[str] = []
        for host in self._hosts.get(partial, ()):
            if host in self.info:
                hosts.append(host)
            elif depth < 3:
                hosts += self._hosts_of(host, depth + 1)
        return list(dict.fromkeys(hosts))

    def _find_hosts(self) -> dict[str, list[str]]:
        """Partial → the files that include it, in path order."""
        hosts: dict[str, list[str]] = {}
        for path in sorted(self.info.keys() | self.partials):
            for included in self._included_files(self.page_text(path)):
                if included in self.partials:
                    hosts.setdefault(included, []).append(path)
        return hosts

    def _included_files(self, text: str) -> list[str]:
        """The files ``text`` includes that exist: pymdownx.snippets' names
        against its base paths, macros' against its include folder."""
        found = []
        for pattern, bases in ((_SNIPPET, self.snippet_bases), (_MACRO_INCLUDE, self.macro_bases)):
            for name in included_names(pattern, text):
                for base in bases:
                    rel = posixpath.normpath(posixpath.join(base, name)) if base else posixpath.normpath(name)
                    if rel in self.inventory.files:
                        found.append(rel)
                        break
        return found

    @classmethod
    def url_inputs(cls, doc) -> tuple:
        """A blog post without a title in its front matter is slugged from its
        first level-1 heading; what a page includes decides where the links
        of the partials it includes lead."""
        inputs = super().url_inputs(doc) + tuple(h.text for h in doc.headings if h.level == 1)
        included = tuple(name for pattern in (_SNIPPET, _MACRO_INCLUDE) for name in included_names(pattern, doc.text))
        return inputs + ("includes", *included) if included else inputs

    def file_candidates(self, norm: str, trailing: bool) -> list[str]:
        # MkDocs normalises the path (a trailing slash goes) and rewrites links
        # to files only, never to folders.
        return [] if norm in self.inventory.dirs else [norm]

    def resolve_host_path(self, path: str, fragment: str | None, how: str) -> Target:
        if self.absolute_to_docs and is_markdown(path.split("#")[0]):
            found = self.lookup_source_file(posixpath.join(self.content_root, path.lstrip("/")), fragment, note="mkdocs: an absolute link resolved against docs_dir")
            if found is not None:
                return found
        return super().resolve_host_path(path, fragment, how)


def included_names(pattern: re.Pattern[str], text: str) -> list[str]:
    """The file names ``text`` includes with ``pattern``'s syntax; a snippet's
    line range or section (`file.md:3:9`, `file.md:usage`) is no part of it."""
    if ("8<" if pattern is _SNIPPET else "include") not in text:
        return []
    return [_SNIPPET_PART.sub(r"\1", match.group(1).strip()) for match in pattern.finditer(text)]


def _slugify_function(value: Any, separator: str) -> Callable[[str], str]:
    """The toc extension's ``slugify`` as configured (a ``!!python/name:`` or
    ``!!python/object/apply:`` tag; in Zensical's TOML ``{object = "…", kwds
    = {…}}``), as a function of the heading text."""
    from linklint.slugs import pymdownx_slug, python_markdown_slug

    if isinstance(value, dict) and isinstance(value.get("object"), str):
        kwds = value.get("kwds") if isinstance(value.get("kwds"), dict) else {}
        value = Tagged("python/object/apply:" + value["object"], {"kwds": kwds})
    if isinstance(value, Tagged):
        tag = value.tag.rsplit(":", 1)[-1]
        kwds = value.value.get("kwds", {}) if isinstance(value.value, dict) else {}
        if tag.endswith("slugify_unicode"):
            return partial(python_markdown_slug, separator=separator, unicode=True)
        if tag.startswith("pymdownx.slugs."):
            name = tag[len("pymdownx.slugs.") :]
            if name == "slugify":
                return partial(pymdownx_slug, separator=separator, case=str(kwds.get("case", "none")), normalize=str(kwds.get("normalize", "NFC")))
            if name in ("uslugify", "uslugify_encoded"):
                return partial(pymdownx_slug, separator=separator, case="lower")
            if name in ("uslugify_cased", "uslugify_cased_encoded"):
                return partial(pymdownx_slug, separator=separator, case="none")
            if name in ("gfm", "gfm_encoded"):
                return partial(pymdownx_slug, separator=separator, case="lower-ascii")
    return partial(python_markdown_slug, separator=separator)


def _made_by_a_hook(doc, heading) -> bool:
    """A heading with no text but an HTML comment: what it says, and its id,
    are put there when the site is built."""
    return not heading.text.strip() and "<!--" in doc.text[heading.span.start : heading.span.end]
