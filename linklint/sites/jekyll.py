"""Jekyll (and GitHub Pages): permalinks, posts, collections, drafts, redirects.

What Jekyll does, and this profile follows:

* Pages: ``about.md`` is ``/about.html`` (``/about/`` when ``permalink: pretty``
  or a style ending in ``/``), ``dir/index.md`` is ``/dir/``; front matter
  ``permalink`` (also from ``defaults:``) wins. A Markdown file without front
  matter is copied as it is, unless jekyll-optional-front-matter (on by default
  on GitHub Pages) renders it; both URLs are accepted then.
* Posts: ``_posts/2024-01-31-title.md`` (also ``blog/_posts/``, whose folders
  become categories) with the site's ``permalink`` style (``date``, ``pretty``,
  ``ordinal``, ``weekdate``, ``none`` or a pattern with ``:categories``,
  ``:year``, ``:month``, ``:day``, ``:title``, ``:slug``, ``:output_ext``…).
* Collections with ``output: true`` and their ``permalink`` (default
  ``/:collection/:path:output_ext``), under ``collections_dir``.
* ``_drafts/``, ``published: false`` and future-dated posts are not published.
* ``redirect_from`` (jekyll-redirect-from) makes redirects.
* Files and folders starting with ``_`` or ``.`` are not published, except those
  in ``include:``; ``exclude:`` is honoured.
* Links are URLs, resolved by the browser against the page's URL
  (``../other-article/#section``). ``{% link path %}``, ``{% post_url name %}``,
  ``{{ site.baseurl }}`` and ``{{ '/x' | relative_url }}`` are resolved; a
  ``baseurl`` without ``url`` is the site's base path all the same. In
  ``{% link %}`` a Liquid value known before the build is written in
  (``{{ site.x }}``, ``{{ page.x }}``), and a variable that stands for a
  folder of the page's own path is that folder when one file fits
  (``{% link {{ page.version.version }}/install.md %}`` in ``v25.4/page.md``,
  as versioned docs set it by a plugin); others are not judged.
  jekyll-relative-links (on by default on GitHub Pages) rewrites relative links
  to ``.md`` files; without it such a link is reported as working only by luck.
* Languages (jekyll-polyglot): every page exists under ``/<lang>/`` too.
* Heading ids: kramdown's GFM parser by default (``kramdown.input: GFM``),
  kramdown's own with ``input: kramdown``; ``auto_id_prefix`` and
  ``auto_ids: false`` are honoured. A footnote ``[^label]`` gives ``fn:label``
  and ``fnref:label``, and an attribute list an id (``{: #fn1}`` on the line
  after a paragraph, ``*word*{:#here}``, ``{: id="x"}``): not with
  ``markdown: CommonMark`` (GitHub's ids) or ``markdown: Redcarpet`` (a
  converter plugin of the site's own; Redcarpet's ids, repeats not numbered).
* Includes: the headings and ids of what a page includes (``{% include %}``
  and ``{% include_cached %}`` from ``_includes``, ``{% include_relative %}``
  from the file's folder, includes in includes; a name with a variable as in
  ``{% link %}``) are the page's. A page that includes what linklint cannot
  read (``{% remote_include %}``, a Markdown include no file fits) may have
  any id. ``{{ site.x }}``, ``{{ site.data.file.key }}`` (``_data``) and
  ``{{ page.x }}`` in a heading are written in before it is slugged; a
  heading with another variable (``## {{ g }}`` in a loop) has any id its
  slug's other words allow.
* A site without ``_config.yml`` (a folder with a ``Gemfile``) is built with
  the configs its build command names (``jekyll build --config
  _config_base.yml,_config_prod.yml`` in its ``Makefile``, ``netlify.toml``,
  ``package.json``, ``Rakefile`` or a shell script beside them), merged in
  that order.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linklint.sites.base import Status, Target, attribute_list_id
from linklint.sites.configfiles import read_any, read_text, read_yaml
from linklint.sites.generator import (
    GeneratorProfile,
    Kind,
    PageInfo,
    Route,
    as_list,
    date_prefix,
    is_markdown,
    with_note,
)

# Files that hold a site's build commands, in the order they are read (and
# after them the folder's shell scripts).
_BUILD_FILES = ("netlify.toml", "Makefile", "GNUmakefile", "Rakefile", "package.json")
# `bundle exec jekyll build --trace --config _config_base.yml,_config_prod.yml`.
_JEKYLL_CONFIGS = re.compile(r"\bjekyll\b[^\n]*?--config[= ]+([\w./-]+\.(?:ya?ml|toml)(?:,[\w./-]+\.(?:ya?ml|toml))*)")


@dataclass
class _Included:
    """What the includes of a page add to its ids, and whether it includes
    text linklint cannot read."""

    ids: set[str]
    patterns: list[re.Pattern[str]]
    unknown: bool


def _deep_merge(base: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """``more``'s settings over ``base``'s, tables merged key by key, as
    Jekyll merges the configs of ``--config``."""
    out = dict(base)
    for key, value in more.items():
        out[key] = _deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_DEFAULT_EXCLUDES = ("Gemfile", "Gemfile.lock", "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/", ".sass-cache", ".jekyll-cache", "gemfiles")
_LIQUID_LINK = re.compile(r"""^\{%-?\s*link\s+(?P<path>.+?)\s*-?%\}(?P<rest>.*)$""", re.S)
_POST_URL = re.compile(r"""^\{%-?\s*post_url\s+(?P<name>.+?)\s*-?%\}(?P<rest>.*)$""", re.S)
_BASEURL = re.compile(r"""\{\{-?\s*(?:site\.baseurl|site\.github\.url|site\.url\s*\}\}\s*\{\{-?\s*site\.baseurl)\s*-?\}\}""")
_SITE_URL = re.compile(r"""^\{\{-?\s*site\.url\s*-?\}\}""")
_FILTERED = re.compile(r"""^\{\{-?\s*(['"])(?P<path>[^'"]*)\1\s*\|\s*(?P<filter>relative_url|absolute_url|prepend:\s*site\.baseurl)\s*-?\}\}(?P<rest>.*)$""")
_TOKEN = re.compile(r":(\w+)")
_SITE_VAR = re.compile(r"\{\{-?\s*site\.(\w+)\s*-?\}\}")


def slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: runs of unwanted characters to ``-``, no
    hyphen at either end, lower-cased unless ``cased``."""
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
    else:
        keep_extra = "._~!$&'()+,;=@" if mode == "pretty" else ""
        out: list[str] = []
        for ch in text:
            category = unicodedata.category(ch)
            ok = category[0] in "ML" or category == "Nd" or ch in keep_extra
            if mode == "ascii":
                ok = ch.isascii() and ch.isalnum()
            if ok:
                out.append(ch)
            elif not out or out[-1] != "\0":
                out.append("\0")
        slug = "".join(out).replace("\0", "-")
    slug = re.sub(r"^-|-$", "", slug)
    return slug if cased else slug.lower()


def _date(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        for size in (19, 16, 10):
            try:
                return dt.datetime.fromisoformat(text[:size].replace(" ", "T"))
            except ValueError:
                continue
    return None


class JekyllProfile(GeneratorProfile):
    name = "jekyll"
    slugger = "kramdown-gfm"
    footnotes = True  # kramdown gives footnotes ids (`fn:label`)
    config_names = ("_config.yml", "_config.yaml")
    ignored_prefixes = ("_site/", "vendor/", "node_modules/", ".jekyll-cache/", "_layouts/", "_includes/", "_sass/")
    unrendered_blocks = ("capture", "comment", "highlight")
    index_names = ("index.md", "index.markdown", "index.html", "README.md")

    @classmethod
    def detect(cls, files: set[str], base: str, root: Path | None) -> bool:
        return super().detect(files, base, root) or bool(cls.build_configs(files, base, root))

    @classmethod
    def detection_names(cls) -> tuple[str, ...]:
        return cls.config_names + ("Gemfile",)

    @classmethod
    def build_configs(cls, files: set[str], base: str, root: Path | None) -> list[str]:
        """The configs a site without ``_config.yml`` is built with, in the
        order Jekyll merges them: the list of the first ``jekyll build …
        --config a.yml,b.yml`` command in the folder's build files (else of
        the first ``jekyll`` command with ``--config``), each file present.
        A list naming a missing file, or ending in a variable
        (``_config_base.yml,$1``), is passed over. Only in a folder with a
        ``Gemfile`` (Jekyll is run with Bundler): another tool's ``--config``
        in a JavaScript package is no reason to read its folder."""
        if root is None or base + "Gemfile" not in files:
            return []
        names = [base + name for name in _BUILD_FILES if base + name in files]
        try:
            scripts = sorted(name for name in os.listdir(root / base) if name.endswith(".sh"))
        except OSError:
            scripts = []
        names += [base + name for name in scripts if base + name in files]
        found: list[list[str]] = []
        for name in names:
            text = read_text(root / name) or ""
            for line in text.splitlines():
                match = _JEKYLL_CONFIGS.search(line)
                if match is None or line[match.end() :].startswith(",$"):
                    continue
                configs = [c for c in match.group(1).split(",") if c]
                if all(base + c in files for c in configs):
                    if "build" in match.group(0).split("--config")[0].split():
                        return configs
                    found.append(configs)
        return found[0] if found else []

    def read_settings(self) -> dict[str, Any]:
        for name in self.config_names:
            data = read_yaml(self.site_path(name))
            if isinstance(data, dict):
                return data
        merged: dict[str, Any] = {}
        for name in self.build_configs(self.inventory.files, self.site_dir + "/" if self.site_dir else "", self.inventory.root):
            data = read_yaml(self.site_path(name))
            if isinstance(data, dict):
                merged = _deep_merge(merged, data)
        return merged

    def generator_content(self) -> str:
        source = self.settings.get("source")
        if isinstance(source, str) and source.strip("./"):
            return self.site_file(source.strip("/"))
        return self.site_dir

    def generator_base_url(self) -> str | None:
        url = self.settings.get("url")
        base = self.settings.get("baseurl") or ""
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return url.rstrip("/") + "/" + (str(base).strip("/") + "/" if str(base).strip("/") else "")
        return None

    # -- building -----------------------------------------------------------------

    def build(self) -> None:
        s = self.settings
        self._by_name: dict[str, list[str]] | None = None  # files by name, for includes
        self._fits: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}  # see _files_fitting
        self._includes_read: dict[str, Any] = {}  # included files' ids and text
        self._data: dict[str, Any] = {}  # data files read
        style = s.get("permalink", "date")
        self.style = str(style) if style else "date"
        self.post_template = _STYLES.get(self.style, self.style)
        self.pretty_pages = self.style == "pretty" or (self.style not in _STYLES and self.style.endswith("/"))
        plugins = {str(p) for p in as_list(s.get("plugins")) + as_list(s.get("gems"))}
        gemfile = read_text(self.site_path("Gemfile")) or ""
        self.github_pages = "github-pages" in gemfile or not gemfile and not plugins
        self.relative_links = "jekyll-relative-links" in plugins or self.github_pages
        if isinstance(s.get("relative_links"), dict) and s["relative_links"].get("enabled") is False:
            self.relative_links = False
        self.optional_front_matter = "jekyll-optional-front-matter" in plugins or self.github_pages
        self.readme_index = "jekyll-readme-index" in plugins or self.github_pages
        kramdown = s.get("kramdown") if isinstance(s.get("kramdown"), dict) else {}
        self.auto_ids = kramdown.get("auto_ids", True) is not False
        self.id_prefix = str(kramdown.get("auto_id_prefix") or "")
        parser = str(kramdown.get("input", "GFM"))
        markdown = str(s.get("markdown", "kramdown")).lower()
        self.slugger = "kramdown" if parser.lower() == "kramdown" else "kramdown-gfm"
        # kramdown's footnotes give ids (`fn:label`, `fnref:label`).
        self.footnotes = not markdown.startswith("commonmark")
        if markdown.startswith("commonmark"):
            self.slugger = "github"
        elif markdown == "redcarpet":
            # A converter plugin of the site's own (Jekyll 4 dropped it):
            # Redcarpet's ids, no footnote or attribute-list ids.
            self.slugger = "redcarpet"
            self.footnotes = False
        self.include = [str(x) for x in as_list(s.get("include"))]
        self.exclude = [str(x) for x in as_list(s.get("exclude"))] + list(_DEFAULT_EXCLUDES)
        self._exclude_names: frozenset[str] | None = None
        self._exclude_folders: tuple[str, ...] = ()
        collections = s.get("collections")
        if isinstance(collections, list):
            collections = {str(c): {} for c in collections}
        self.collections: dict[str, dict] = {
            str(k): (v if isinstance(v, dict) else {}) for k, v in (collections or {}).items()
        }
        self.collections_dir = str(s.get("collections_dir") or "").strip("/")
        self.defaults = [d for d in as_list_of_dicts(s.get("defaults"))]
        self.languages = [str(x) for x in as_list(s.get("languages"))]
        self.default_lang = str(s.get("default_lang") or (self.languages[0] if self.languages else ""))
        now = dt.datetime.now()
        self.future = bool(s.get("future", False))
        base = str(s.get("baseurl") or "").strip("/")
        if base and self.base_path == "/":
            # `baseurl` without `url`: the site is served under it all the same.
            self.base_path = f"/{base}/"
        root = self.content_root
        static_files: list[str] = []
        for rel in self.inventory.sorted_files():
            if root and not rel.startswith(root + "/"):
                continue
            sub = rel[len(root) + 1 :] if root else rel
            if self._excluded(sub):
                continue
            kind, collection = self._classify(sub)
            if kind == "skip":
                continue
            if rel in self.pages:
                info = self._page(rel, sub, kind, collection, now)
                if info is not None:
                    self.info[rel] = info
                    continue
            if kind == "page":
                static_files.append(rel)
                if rel.endswith((".html", ".htm")):
                    self._html_page(rel, sub, now)
        # Files outside underscore folders are copied as they are.
        self.static_dirs.append((root, "/"))
        self._published_static = set(static_files)
        if self.languages:
            for info in list(self.info.values()):
                for lang in self.languages:
                    if lang != self.default_lang and not info.url.startswith(f"/{lang}/"):
                        info.other_urls.append(f"/{lang}{info.url}")
        self.add_route("/feed.xml", Route(Kind.LIST, None, "a file jekyll-feed generates"))
        self.add_route("/sitemap.xml", Route(Kind.LIST, None, "a file jekyll-sitemap generates"))

    def _excluded(self, sub: str) -> bool:
        """Whether ``exclude:`` names the file, a folder above it, or its name."""
        if self._exclude_names is None:
            self._exclude_names = frozenset(filter(None, (p.strip("/") for p in self.exclude)))
            self._exclude_folders = tuple(p + "/" for p in self._exclude_names)
        names = self._exclude_names
        return sub in names or sub.startswith(self._exclude_folders) or sub.rpartition("/")[2] in names

    def _included(self, sub: str) -> bool:
        return any(sub == p.strip("/") or sub.startswith(p.strip("/") + "/") for p in self.include)

    def _classify(self, sub: str) -> tuple[str, str | None]:
        parts = sub.split("/")
        if "_posts" in parts[:-1]:
            return "post", None
        if "_drafts" in parts[:-1]:
            return "draft", None
        base = self.collections_dir + "/" if self.collections_dir else ""
        inside = sub[len(base) :] if base and sub.startswith(base) else (sub if not base else None)
        if inside is not None:
            first = inside.split("/", 1)[0]
            if first.startswith("_") and first[1:] in self.collections:
                return "collection", first[1:]
        hidden = [p for p in parts if p[:1] in ("_", ".", "#", "~")]
        if hidden and not self._included(sub):
            return "skip", None
        return "page", None

    def _defaults(self, sub: str, kind: str, collection: str | None) -> dict:
        values: dict = {}
        doc_type = {"post": "posts", "draft": "drafts", "page": "pages", "collection": collection}.get(kind)
        for entry in self.defaults:
            scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
            path = str(scope.get("path", "") or "").strip("/")
            if path and not (sub == path or sub.startswith(path + "/") or _glob(path, sub)):
                continue
            if scope.get("type") and scope.get("type") != doc_type:
                continue
            if isinstance(entry.get("values"), dict):
                values.update(entry["values"])
        return values

    def _page(self, path: str, sub: str, kind: str, collection: str | None, now: dt.datetime) -> PageInfo | None:
        doc = self.documents.get(path)
        fm = dict(self._defaults(sub, kind, collection))
        has_front_matter = doc is not None and doc.front_matter_format is not None
        if doc is not None:
            fm.update(doc.front_matter)
        folder, name = posixpath.split(sub)
        stem = posixpath.splitext(name)[0]
        draft_reason = ""
        if kind in ("post", "draft"):
            date, title = date_prefix(stem)
            when = _date(fm.get("date")) or (dt.datetime(int(date[0]), int(date[1]), int(date[2])) if date else None)
            if kind == "draft":
                draft_reason = "a draft in `_drafts/`, which Jekyll does not publish"
                when = when or now
            elif date is None and not fm.get("date"):
                return None  # not a post name: Jekyll skips it
            categories = [p for p in folder.split("/") if p and p not in ("_posts", "_drafts")]
            categories += [c for c in as_list(fm.get("categories")) for c in c.split()]
            categories += [c for c in as_list(fm.get("category"))]
            seen: list[str] = []
            for c in categories:
                if c.lower() not in seen:
                    seen.append(c.lower())
            posts = self.collections.get("posts", {})
            template = str(fm.get("permalink") or posts.get("permalink") or self.post_template)
            template = _STYLES.get(template, template)
            url = self._expand(template, when or now, title if date else stem, fm, seen, folder, stem, None)
            if when and when > now + dt.timedelta(days=1) and not self.future:
                draft_reason = draft_reason or "a post dated in the future, which Jekyll does not publish"
        elif kind == "collection":
            settings = self.collections.get(collection or "", {})
            inner = sub[len((self.collections_dir + "/") if self.collections_dir else "") :]
            inner = inner.split("/", 1)[1] if "/" in inner else inner
            if not settings.get("output"):
                draft_reason = f"a document of the `{collection}` collection, which has no `output: true`"
            template = str(fm.get("permalink") or settings.get("permalink") or "/:collection/:path:output_ext")
            template = _STYLES.get(template, template)
            url = self._expand(template, _date(fm.get("date")) or now, stem, fm, [], posixpath.dirname(inner), stem, collection, inner)
        else:
            if not has_front_matter and not self.optional_front_matter:
                return None  # copied as a file
            index = stem == "index" or (stem.lower() == "readme" and self.readme_index and not self._has_index(path))
            if fm.get("permalink"):
                url = self._expand(str(fm["permalink"]), now, stem, fm, [], folder, stem, None)
            elif index:
                url = "/" + (folder + "/" if folder else "")
            elif self.pretty_pages:
                url = "/" + posixpath.join(folder, stem) + "/"
            else:
                url = "/" + posixpath.join(folder, stem) + ".html"
        if fm.get("published") is False:
            draft_reason = "a page with `published: false`, which Jekyll does not publish"
        info = PageInfo(path, _squeeze(url), draft=bool(draft_reason), draft_reason=draft_reason)
        if kind == "page" and not has_front_matter:
            info.other_urls.append("/" + sub)
        for alias in as_list(fm.get("redirect_from")):
            alias = "/" + alias.strip().lstrip("/")
            info.aliases.append(alias)
        return info

    def _html_page(self, rel: str, sub: str, now: dt.datetime) -> None:
        """An HTML page with front matter: its ``permalink`` (or its path) is a
        URL of the site, so links to it can be checked."""
        text = read_text(self.inventory.root / rel)
        if not text or not text.startswith("---"):
            return
        end = text.find("\n---", 3)
        if end < 0:
            return
        import yaml  # on first use: most sites are not built by this generator

        try:
            fm = yaml.safe_load(text[3:end]) or {}
        except yaml.YAMLError:
            return
        if not isinstance(fm, dict):
            return
        fm = {**self._defaults(sub, "page", None), **fm}
        folder, name = posixpath.split(sub)
        stem = posixpath.splitext(name)[0]
        if fm.get("permalink"):
            url = self._expand(str(fm["permalink"]), now, stem, fm, [], folder, stem, None)
        elif stem == "index":
            url = "/" + (folder + "/" if folder else "")
        elif self.pretty_pages:
            url = "/" + posixpath.join(folder, stem) + "/"
        else:
            url = "/" + sub
        self.add_route(_squeeze(url), Route(Kind.FILE, rel, "an HTML page of the site"))
        for alias in as_list(fm.get("redirect_from")):
            self.add_route("/" + alias.strip().lstrip("/"), Route(Kind.FILE, rel, "a redirect to an HTML page"))

    def _has_index(self, path: str) -> bool:
        folder = posixpath.dirname(path)
        return any(posixpath.join(folder, n) in self.inventory.files for n in ("index.md", "index.html", "index.markdown"))

    def _expand(
        self,
        template: str,
        when: dt.datetime,
        title: str,
        fm: dict,
        categories: list[str],
        folder: str,
        stem: str,
        collection: str | None,
        inner: str | None = None,
    ) -> str:
        slug_value = fm.get("slug") if isinstance(fm.get("slug"), str) else None
        values = {
            "year": when.strftime("%Y"),
            "month": when.strftime("%m"),
            "day": when.strftime("%d"),
            "hour": when.strftime("%H"),
            "minute": when.strftime("%M"),
            "second": when.strftime("%S"),
            "i_day": str(when.day),
            "i_month": str(when.month),
            "short_month": when.strftime("%b"),
            "long_month": when.strftime("%B"),
            "short_year": when.strftime("%y"),
            "y_day": when.strftime("%j"),
            "w_year": when.strftime("%G"),
            "week": when.strftime("%V"),
            "w_day": when.strftime("%u"),
            "short_day": when.strftime("%a"),
            "long_day": when.strftime("%A"),
            "title": slugify(slug_value or title, "pretty", cased=True),
            "slug": slugify(slug_value or title),
            "name": slugify(stem),
            "categories": "/".join(categories),
            "slugified_categories": "/".join(slugify(c) for c in categories),
            "output_ext": ".html",
            "collection": collection or "",
            "path": posixpath.splitext(inner)[0] if inner is not None else folder,
            "basename": stem,
        }
        url = _TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), template)
        if not url.startswith("/"):
            url = "/" + url
        if url.endswith("/index.html"):
            url = url[: -len("index.html")]
        return url

    # -- heading ids -------------------------------------------------------------

    def heading_ids(self, doc) -> list[str]:
        from linklint.slugs import CountingSlugger, heading_ids, kramdown_gfm_slug, kramdown_slug

        if not self.auto_ids:
            return [h.explicit_id or "" for h in doc.headings]
        texts = self._heading_texts(doc)
        if self.slugger in ("kramdown", "kramdown-gfm"):
            base = kramdown_slug if self.slugger == "kramdown" else kramdown_gfm_slug
            slugger = CountingSlugger(base, prefix=self.id_prefix)
            return heading_ids(texts, _ial_ids(doc), algorithm=slugger)
        if self.slugger == "redcarpet":
            return heading_ids(texts, algorithm=self.slugger)
        return heading_ids(texts, [h.explicit_id for h in doc.headings], algorithm=self.slugger)

    def fragment_ids(self, doc):
        from linklint.slugs import FragmentIds

        ids = super().fragment_ids(doc)
        own, patterns = self._more_ids(doc)
        found = _Included(own, patterns, bool(_REMOTE_INCLUDE.search(doc.text)))
        self._walk_includes(doc.path, doc.text, doc.path, 0, found)
        if found.unknown:
            # Text linklint cannot read ends up in the page (a remote include,
            # an include no file of the site fits): any fragment may exist.
            return FragmentIds(ids | found.ids, [re.compile(".*", re.S)])
        if not found.ids and not found.patterns:
            return ids
        return FragmentIds(ids | found.ids, (*ids.patterns, *found.patterns), ids.skeletons)

    def _more_ids(self, doc) -> tuple[set[str], list[re.Pattern[str]]]:
        """The ids of ``doc`` its headings and HTML do not give: kramdown's
        attribute lists give the element before them one (`{: #fn1}` on the
        line after a paragraph, `*word*{: #here}`); and, as patterns, those of
        headings with a Liquid variable no value is known for (``## {{ g }}``
        in a loop)."""
        ids: set[str] = set()
        if self.footnotes and "{:" in doc.text:
            ids.update(filter(None, (attribute_list_id(m.group(1)) for m in _KRAMDOWN_IAL.finditer(doc.text))))
        patterns = []
        for text in self._heading_texts(doc):
            if "{{" in text:
                from linklint.slugs import make_slugger

                slug = make_slugger(self.slugger).slug(_LIQUID.sub(_PLACEHOLDER, text))
                patterns.append(re.compile(re.escape(slug).replace(_PLACEHOLDER, ".*") + r"(?:-\d+)?", re.S))
        return ids, patterns

    def _heading_texts(self, doc) -> list[str]:
        """Each heading's text with the Liquid values known before the build
        written in (``_liquid_values``): what its id is made of."""
        return [self._liquid_values(h.text, doc) if "{{" in h.text else h.text for h in doc.headings]

    # -- includes -----------------------------------------------------------------

    def _walk_includes(self, path: str, text: str, page: str, depth: int, found: _Included) -> None:
        """Add to ``found`` the ids of what ``text`` (the file ``path``)
        includes: ``{% include name %}`` and ``{% include_cached name %}``
        from the includes folder, ``{% include_relative name %}`` from the
        file's own, through includes in includes; ``page`` is the page they
        end up in."""
        if depth > 3 or "include" not in text:
            return
        for match in _INCLUDE.finditer(text):
            relative, name = bool(match.group(1)), match.group(2)
            if "{{" in name:
                # `releases/{{ page.major_version }}/{{ r.name }}.md`: the page's values written in.
                name = self._liquid_values(name, self.documents.get(page))
            folder = posixpath.dirname(path) if relative else self._includes_dir
            files = self._include_files(folder, name, page)
            literal = _LIQUID.sub("", name)
            if files is None or not files and (not literal.strip("/") or is_markdown(literal)):
                # Too many files fit to read them all, or none does (an
                # HTML widget, `copy-clipboard.html`, gives no ids).
                found.unknown = True
                continue
            for included in files:
                entry = self._include_entry(included)
                if entry is not None:
                    ids, patterns, included_text = entry
                    found.ids |= ids
                    found.patterns += patterns
                    found.unknown = found.unknown or bool(_REMOTE_INCLUDE.search(included_text))
                    self._walk_includes(included, included_text, page, depth + 1, found)

    def _include_entry(self, path: str) -> tuple[set[str], list[re.Pattern[str]], str] | None:
        """An included file's own ids (headings, anchors, attribute lists),
        its heading patterns and its text, worked out once; None for a file
        that is no Markdown or cannot be read. A file with no line that could
        make an id is not parsed (half the includes of a large site: notes,
        lists, tables)."""
        if path in self._includes_read:
            return self._includes_read[path]
        found = None
        doc = self.documents.get(path)
        if doc is None and is_markdown(path):
            text = self.page_text(path)
            doc = self.parsed_file(path) if _MAY_GIVE_IDS.search(text) else None
            found = (set(), [], text)
        if doc is not None:
            more, patterns = self._more_ids(doc)
            found = (set(self.heading_ids(doc)) | {a.id for a in doc.html_anchors} | more, patterns, doc.text)
        self._includes_read[path] = found
        return found

    @property
    def _includes_dir(self) -> str:
        name = str(self.settings.get("includes_dir") or "_includes").strip("/")
        return posixpath.join(self.content_root, name) if self.content_root else name

    def _include_files(self, folder: str, name: str, page: str) -> list[str] | None:
        """The files ``name`` (in ``folder``) can be. A name with a variable
        (``{{ page.version.version }}/misc/note.md``) can be every file the
        rest of it fits; those whose variables are folders of the page's own
        path when there are such (``_fitting``). None when more than
        ``_MAX_INCLUDE_CANDIDATES`` fit."""
        if "{{" not in name:
            path = posixpath.normpath(posixpath.join(folder, name))
            return [path] if path in self.inventory.files else []
        mine, found = self._fitting(folder, name, page)
        fits = mine or found
        return fits if len(fits) <= _MAX_INCLUDE_CANDIDATES else None

    def _fitting(self, folder: str, name: str, page: str) -> tuple[list[str], list[str]]:
        """The files of ``folder`` that ``name``, a path with variables, fits:
        those whose variable parts are folders of the page's own path
        (``v25.4/…`` named in ``v25.4/page.md``: versioned docs name their
        versions' folders that way), and all."""
        found = self._fits.get((folder, name))
        if found is None:
            found = self._fits[(folder, name)] = self._files_fitting(folder, name)
        own = set(page.split("/")[:-1])
        return [f for f, values in found if all(v in own for v in values)], [f for f, _ in found]

    def _files_fitting(self, folder: str, name: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each file of ``folder`` that ``name`` fits, with what its
        variables stand for there. Worked out once per name: a versioned
        site names the same page from every page of a version (27,000
        `{% link %}`s on cockroachdb/docs, 2 s when each was matched anew)."""
        parts = _LIQUID.split(name)  # the text around the variables
        if not any(parts):
            return []  # nothing but a variable: any file at all
        prefix = folder + "/" if folder else ""
        last = parts[-1].rsplit("/", 1)[-1]
        pool = self._files_named(last) if "/" in parts[-1] and last else self.inventory.files
        if len(parts) == 2:
            # One variable, the common case: no pattern to compile.
            head, tail = prefix + parts[0], parts[1]
            values = ((f, f[len(head) : len(f) - len(tail)]) for f in pool if f.startswith(head) and f.endswith(tail) and len(f) >= len(head) + len(tail))
            return sorted((f, (value,)) for f, value in values if "/" not in value)
        pattern = re.compile(re.escape(prefix) + "([^/]*)".join(re.escape(p) for p in parts))
        return sorted((f, m.groups()) for f in pool if (m := pattern.fullmatch(f)))

    def _files_named(self, name: str) -> list[str]:
        if self._by_name is None:
            self._by_name = {}
            for f in self.inventory.files:
                self._by_name.setdefault(posixpath.basename(f), []).append(f)
        return self._by_name.get(name, [])

    # -- Liquid values -----------------------------------------------------------

    def _liquid_values(self, text: str, doc) -> str:
        """``text`` with the Liquid values known before the build written in:
        ``{{ site.title }}`` (the config), ``{{ site.data.products.cloud }}``
        (the data folder), ``{{ page.product }}`` (the page's front matter)."""
        return _LIQUID_VALUE.sub(lambda m: self._liquid_value(m.group(1).split("."), doc) or m.group(0), text)

    def _liquid_value(self, keys: list[str], doc) -> str | None:
        if keys[0] == "page":
            value: Any = doc.front_matter if doc is not None else None
            keys = keys[1:]
        elif keys[1:2] == ["data"] and len(keys) > 2:
            value, keys = self._data_file(keys[2:])
        else:
            value = self.settings
            keys = keys[1:]
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None
        return str(value)

    def _data_file(self, keys: list[str]) -> tuple[Any, list[str]]:
        """The data of ``site.data.<keys>``: the file the first keys name
        (``_data/products.yml``, ``_data/team/people.yml``) and the keys into it."""
        folder = str(self.settings.get("data_dir") or "_data").strip("/")
        base = posixpath.join(self.content_root, folder) if self.content_root else folder
        for size in range(1, len(keys) + 1):
            stem = posixpath.join(base, *keys[:size])
            for ext in (".yml", ".yaml", ".json"):
                if stem + ext in self.inventory.files:
                    if stem + ext not in self._data:
                        self._data[stem + ext] = read_any(self.inventory.root / (stem + ext))
                    return self._data[stem + ext], keys[size:]
        return None, []

    # -- links ----------------------------------------------------------------------

    def resolve_special(self, source: str, dest: str) -> Target | None:
        if "{" not in dest:
            return None
        prefix_free = _BASEURL.sub("", dest)
        if "{{" in prefix_free:
            # `{{ site.repository }}/issues`: a plain value of _config.yml.
            replaced = _SITE_VAR.sub(self._site_value, prefix_free)
            if replaced != prefix_free and "{" not in replaced:
                return with_note(self.resolve(source, replaced), f"jekyll: `{dest}` is `{replaced}`")
        if prefix_free != dest and "{" not in prefix_free:
            path, fragment = _split_fragment(prefix_free)
            target = self.resolve_site_url(path if path.startswith("/") else "/" + path, fragment, "a URL after `{{ site.baseurl }}`")
            return with_note(target, f"jekyll: {target.note}")
        site_url = _SITE_URL.match(prefix_free)
        if site_url:
            rest = prefix_free[site_url.end() :]
            if "{" not in rest:
                path, fragment = _split_fragment(rest)
                return self.resolve_host_path(path or "/", fragment, "a URL after `{{ site.url }}`")
        filtered = _FILTERED.match(prefix_free)
        if filtered:
            path, fragment = _split_fragment(filtered.group("path") + filtered.group("rest"))
            return self.resolve_site_url("/" + path.lstrip("/"), fragment, f"a URL through `{filtered.group('filter')}`")
        link = _LIQUID_LINK.match(prefix_free)
        if link:
            name = link.group("path").strip().strip("'\"")
            note = "jekyll: `{% link %}`, relative to the site's source"
            if "{" in name:
                named = self._link_name(name, source)
                if named is None:
                    return Target(Status.SKIPPED, note="jekyll: `{% link %}` with a variable")
                name, how = named
                note += how
            _, fragment = _split_fragment(link.group("rest"))
            joined = posixpath.join(self.content_root, name.lstrip("/")) if self.content_root else name.lstrip("/")
            found = self.lookup_source_file(joined, fragment, note=note)
            if found is not None and found.status != Status.OUTSIDE:
                return found
            return Target(Status.MISSING, path=joined, fragment=fragment, note="jekyll: `{% link %}` names no file (Jekyll fails the build)")
        post = _POST_URL.match(prefix_free)
        if post:
            name = post.group("name").strip().strip("'\"")
            _, fragment = _split_fragment(post.group("rest"))
            return self._post_url(name, fragment)
        return None

    def _link_name(self, name: str, source: str) -> tuple[str, str] | None:
        """The path a `{% link %}` with variables names, and how it was told:
        the values known before the build written in (``{{ site.x }}``,
        ``{{ page.x }}``), else the one file of the site whose path fits it
        with each variable a folder of the page's own path
        (``{{ page.version.version }}/install.md`` in ``v25.4/page.md``)."""
        doc = self.documents.get(source)
        named = self._liquid_values(name, doc)
        if "{" not in named:
            return named, f" (`{name}` is `{named}`)"
        mine, _ = self._fitting(self.content_root, named, source)
        if len(mine) != 1:
            return None
        root = self.content_root + "/" if self.content_root else ""
        return mine[0][len(root) :], f" (`{name}` is `{mine[0][len(root):]}`: its variable a folder of the page's path)"

    def _site_value(self, match: re.Match[str]) -> str:
        value = self.settings.get(match.group(1))
        return value if isinstance(value, str) and match.group(1) not in ("baseurl", "url") else match.group(0)

    def _post_url(self, name: str, fragment: str | None) -> Target:
        want = name.strip("/")
        for path, info in sorted(self.info.items()):
            stem = posixpath.splitext(path)[0]
            if "/_posts/" not in "/" + stem and "/_drafts/" not in "/" + stem:
                continue
            tail = stem.split("_posts/", 1)[-1] if "_posts/" in stem else stem.split("_drafts/", 1)[-1]
            before = stem.split("/_posts/", 1)[0] if "/_posts/" in stem else ""
            candidates = {tail, posixpath.basename(tail)}
            if before:
                candidates.add(posixpath.join(before.split("/", 1)[-1] if self.content_root else before, tail))
            if want in candidates or want == posixpath.join(before, tail):
                status = Status.DRAFT if info.draft else Status.PAGE
                return Target(status, path=path, fragment=fragment, url=info.url, note=f"jekyll: `{{% post_url {name} %}}` is `{path}` (URL `{info.url}`)")
        guess = posixpath.join(self.content_root, "_posts", want + ".md") if self.content_root else posixpath.join("_posts", want + ".md")
        return Target(Status.MISSING, path=guess, fragment=fragment, note=f"jekyll: no post `{name}` for `{{% post_url %}}` (Jekyll fails the build)")

    def resolve_file_link(self, source: str, path: str, fragment: str | None) -> Target | None:
        if not self.relative_links:
            return super().resolve_file_link(source, path, fragment)
        target = self.lookup_source_file(posixpath.join(posixpath.dirname(source), path), fragment)
        if target is not None and target.status in (Status.PAGE, Status.DRAFT):
            return with_note(target, f"jekyll: jekyll-relative-links rewrites the link to the page: {target.note}")
        return target

    def file_link_warning(self, path: str) -> str:
        return (
            f"`{path}` names a source file; Jekyll publishes it under another URL and this site does not use "
            "jekyll-relative-links to rewrite it (use `{% link %}` or the page's URL)"
        )

    def static_file(self, url: str, fold: bool = False):
        route = super().static_file(url, fold)
        if route is None or route.path is None:
            return route
        rel = route.path[len(self.content_root) + 1 :] if self.content_root else route.path
        if self._excluded(rel) or self._classify(rel)[0] == "skip":
            return None
        return route


def as_list_of_dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _glob(pattern: str, path: str) -> bool:
    import fnmatch

    return "*" in pattern and fnmatch.fnmatch(path, pattern + "*")


def _split_fragment(text: str) -> tuple[str, str | None]:
    from urllib.parse import unquote

    text = text.strip()
    if "#" in text:
        path, fragment = text.split("#", 1)
        return unquote(path.split("?", 1)[0]), unquote(fragment)
    return unquote(text.split("?", 1)[0]), None


def _squeeze(url: str) -> str:
    url = re.sub(r"/{2,}", "/", url)
    return url if url.startswith("/") else "/" + url


_IAL = re.compile(r"^\{:\s*#([^\s}]+)[^}]*\}\s*$")
# Any inline or block attribute list of kramdown; not a definition
# (`{:note: .big}`) nor an extension (`{::comment}`).
# `{% include name.md param="x" %}`, `{% include_relative ../x.md %}`,
# `{% include_cached name.md %}` (jekyll-include-cache),
# `{% include {{ page.version.version }}/misc/note.md %}`: the name.
_INCLUDE = re.compile(r"""\{%-?\s*include(?:(_relative)|_cached)?\s+((?:\{\{.*?\}\}|[^\s%{}])+)""")
_LIQUID = re.compile(r"\{\{.*?\}\}")
# jekyll-remote-include: `{% remote_include https://…/generated/functions.md %}`.
_REMOTE_INCLUDE = re.compile(r"\{%-?\s*remote_include\b")
# `{{ site.data.products.cloud }}`, `{{ page.title }}`: a value, no filters.
_LIQUID_VALUE = re.compile(r"\{\{-?\s*((?:site|page)(?:\.[\w-]+)+)\s*-?\}\}")
# A line that may give an id: a heading (ATX, or setext's underline), an
# HTML id or name, an attribute list; or an include, which may.
_MAY_GIVE_IDS = re.compile(r"^[ \t]*#|^[ \t]*(?:=+|-+)[ \t]*$|\b(?:id|name)\s*=|\{:|include", re.M)
# A word every slug function keeps as it is: where a Liquid variable stood.
_PLACEHOLDER = "zliquidz"
# A name with a variable in it may fit many files (a release page including
# each of its releases' notes); past this many, the page's ids are unknown.
_MAX_INCLUDE_CANDIDATES = 100

_KRAMDOWN_IAL = re.compile(r"\{:(?!:)(?![\w-]+:)([^{}\n]*)\}")


def _ial_ids(doc) -> list[str | None]:
    """Explicit ids, including kramdown's block attribute list on the line after
    a heading (``## 1.0.0`` then ``{: #v1-0-0}``)."""
    lines = re.split(r"\r\n|\r|\n", doc.text)
    out: list[str | None] = []
    for heading in doc.headings:
        explicit = heading.explicit_id
        if explicit is None and heading.span.end_line < len(lines):
            match = _IAL.match(lines[heading.span.end_line].strip())
            if match:
                explicit = match.group(1)
        out.append(explicit)
    return out
