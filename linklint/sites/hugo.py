"""Hugo: URLs, aliases, ``{{< ref >}}`` links and goldmark heading ids.

What Hugo does, and this profile follows:

* A folder with Hugo's config and ``theme.toml`` but no ``content/`` is a theme
  (or module), not a site: a repository keeping its theme beside its site
  (``theme/`` and ``docsy.dev/``) has its site found.
* A page's URL is its path under ``contentDir``, lower-cased (unless
  ``disablePathToLower``) and sanitised (spaces to ``-``, most punctuation
  dropped): ``content/posts/My Post.md`` → ``/posts/my-post/``, or
  ``/posts/my-post.html`` with ``uglyURLs``. ``_index.md`` is its folder's list
  page, ``index.md`` a leaf bundle whose other files are served beside it.
  Front matter ``url`` replaces the whole path, ``slug`` the last segment;
  ``[permalinks]`` patterns (``/:year/:month/:slug/``, ``:sections[1:]``…) apply
  per top-level section.
* ``aliases`` are redirects: a link to one works, but only through a redirect.
* Languages: ``a.fr.md`` or a per-language ``contentDir``; every language but the
  default (unless ``defaultContentLanguageInSubdir``) is under ``/<lang>/``.
* ``module.mounts`` of content: a folder mounted at ``content/<place>`` is
  served under ``/<place>/``, for the language of its ``lang`` or its
  ``sites.matrix.languages`` (Hugo 0.153). A folder (or one page) mounted again
  inside one mounted before is served again where that language has no page of
  its own (English docs filling in for untranslated pages). A mount whose
  source is not in the repository (another repository, or a folder fetched
  when the site is built) makes links under its place unknowable: skipped.
* A ``_redirects`` file the site makes with an output format of its home
  page (``baseName: _redirects``, a template such as
  ``layouts/index.redirects``): its literal lines, and those whose only
  template is a variable set from ``site.Params``, are the host's redirects.
* A bundle has the files of its translations' bundles that it lacks itself
  (the same place in another language's content): with a link render hook, a
  translated page's ``![](diagram.png)`` finds the English bundle's image.
* ``draft: true``, a future ``publishDate`` or a past ``expiryDate`` (without the
  matching ``build*`` switch) and ``build.render = never`` pages are not
  published.
* ``{{< ref "p" >}}`` / ``relref`` resolve like ``GetPage``: with a leading ``/``
  from the content root, otherwise first from the page's folder, then from the
  content root, then by unique file name; case does not matter.
* Markdown links are plain URLs, resolved by the browser against the page's URL,
  unless a link render hook rewrites them (the site's own
  ``layouts/**/_markup/render-link.html``, or the embedded hook that
  ``renderHooks.link.useEmbedded`` or a multilingual site turns on). With a hook,
  ``[x](other.md)`` finds the page; without one it is reported as working only by
  luck.
* Heading ids come from goldmark's ``autoHeadingIDType`` (``github`` by default,
  ``github-ascii``, ``blackfriday``) computed on the heading's source line;
  ``{#id}`` attributes and ``autoDefinitionTermID`` ids count too.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import posixpath
import re
import unicodedata
from pathlib import Path
from typing import Any

from linklint.sites.base import Status, Target, any_under, split_url
from linklint.sites.configfiles import dig, lower_keys, read_any, read_text
from linklint.sites.generator import (
    GeneratorProfile,
    Kind,
    PageInfo,
    Route,
    as_list,
    is_markdown,
    normalize_url,
    with_note,
)
from linklint.sites.redirects import Redirect, netlify_redirects

_CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")
_REF = re.compile(
    r"""^\{\{([<%])-?\s*(?P<kind>relref|ref)\s+(?P<args>.*?)\s*-?[>%]\}\}(?P<rest>\S*)$""", re.S
)
_ARG = re.compile(r"""(?:(\w+)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|'([^']*)'|([^\s"'`=]+))""")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_TOKEN = re.compile(r":(sections|sectionslugs)(\[[^\]]*\])?|:(\w+)")
_DEFINITION = re.compile(r"^:[ \t]+\S")
_INCLUDE = re.compile(r"""\{\{[<%]-?\s*[\w/.-]+\s+(["`'])([^"`'\n]+)\1\s*-?[>%]\}\}""")
MARKDOWN_SUFFIXES = (".md", ".markdown")
_SCHEMEISH = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|#|\?)")
_HOOK_LITERAL = re.compile(r'\b(eq|hasPrefix|strings\.HasPrefix)\s+\(?\s*(?:\$\w+\.(?:String|Path)|\.Destination|\$\w+)\s*\)?\s+"([^"]+)"')


def sanitize(text: str) -> str:
    """Hugo's ``paths.Sanitize``: spaces (and runs of them) to one ``-``; letters,
    digits, marks and ``. / \\ _ # + ~ - @`` and ``%XX`` kept; the rest dropped."""
    out: list[str] = []
    pending = False
    was_hyphen = False
    for i, ch in enumerate(text):
        allowed = ch != " " and (
            unicodedata.category(ch)[0] in "LM"
            or unicodedata.category(ch) == "Nd"
            or ch in "./\\_#+~-@"
            or (ch == "%" and re.match(r"%[0-9A-Fa-f]{2}", text[i : i + 3]) is not None)
        )
        if allowed:
            was_hyphen = ch == "-"
            if pending and not was_hyphen:
                out.append("-")
            pending = False
            out.append(ch)
        elif out and not was_hyphen and ch.isspace():
            pending = True
    return "".join(out)


def urlize(text: str, lower: bool = True) -> str:
    value = sanitize(text)
    return value.lower() if lower else value


# `{{ $latest := site.Params.latest_stable_version }}` (or `.Site.Params.…`).
_TEMPLATE_VARIABLE = re.compile(r"\{\{-?\s*\$(\w+)\s*:=\s*(.+?)\s*-?\}\}")
# What a template variable may be set from, read here: `site.Params.docs.latest`,
# `index site.Params.versions.docs 0`, `index (index site.Params.versions "docs") 0`.
_PARAMS_PATH = re.compile(r"\.?[Ss]ite\.Params\.([\w.]+)")
_INDEX_KEYS = re.compile(r"""\s+(?:(\d+)|"([^"]*)"|`([^`]*)`)""")


def _params_value(expression: str, params: dict, depth: int = 0) -> Any:
    """The value of a template expression over ``site.Params`` (lower-cased
    keys): a path, or ``index`` of one by keys and positions (nested a few
    deep); None for any other expression."""
    if depth > 8:
        return None
    expression = expression.strip()
    while expression.startswith("(") and expression.endswith(")"):
        expression = expression[1:-1].strip()
    path = _PARAMS_PATH.fullmatch(expression)
    if path:
        return dig(params, *path.group(1).lower().split("."))
    if not expression.startswith("index "):
        return None
    rest = expression[len("index ") :].strip()
    if rest.startswith("("):
        level = 0
        for end, char in enumerate(rest):
            level += {"(": 1, ")": -1}.get(char, 0)
            if level == 0:
                break
        value, keys = _params_value(rest[: end + 1], params, depth + 1), rest[end + 1 :]
    else:
        head, _, keys = rest.partition(" ")
        value, keys = _params_value(head, params, depth + 1), " " + keys
    for key in _INDEX_KEYS.finditer(keys):
        if key.group(1) is not None and isinstance(value, list) and int(key.group(1)) < len(value):
            value = value[int(key.group(1))]
        elif key.group(1) is None and isinstance(value, dict):
            value = value.get((key.group(2) if key.group(2) is not None else key.group(3)).lower())
        else:
            return None
    return value if _INDEX_KEYS.sub("", keys).strip() == "" else None


def _is_bundle_index(path: str) -> bool:
    """Whether the page is a bundle's own (``index.md``, ``_index.fr.md``)."""
    return posixpath.splitext(posixpath.basename(path))[0].split(".")[0] in ("index", "_index")


def _mount_languages(mount: dict, languages: list[str]) -> list[str]:
    """The languages a content mount is for: its ``lang``, or the languages of
    its ``sites.matrix`` (Hugo 0.153 and later; globs such as ``"*"`` or
    ``"! en"`` match the site's languages); none given: every language."""
    lang = mount.get("lang")
    if isinstance(lang, str) and lang.strip():
        return [lang.strip().lower()]
    wanted = dig(mount, "sites", "matrix", "languages", default=None)
    if isinstance(wanted, str):
        wanted = [wanted]
    if not isinstance(wanted, list) or not wanted:
        return []
    patterns = [str(w).strip().lower() for w in wanted]
    include = [p for p in patterns if not p.startswith("!")]
    exclude = [p[1:].strip() for p in patterns if p.startswith("!")]
    return [
        lang
        for lang in languages
        if (not include or any(fnmatch.fnmatchcase(lang, p) for p in include))
        and not any(fnmatch.fnmatchcase(lang, p) for p in exclude)
    ]


def _date(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        for candidate in (text, text[:19], text[:10]):
            try:
                return dt.datetime.fromisoformat(candidate)
            except ValueError:
                continue
    return None


class HugoProfile(GeneratorProfile):
    name = "hugo"
    slugger = "hugo"
    config_names = _CONFIG_NAMES + ("config/_default/hugo.toml", "config/_default/config.toml", "config/_default/hugo.yaml", "config/_default/config.yaml")
    ignored_prefixes = ("archetypes/", "themes/", "layouts/", "public/", "resources/_gen/", "node_modules/", "i18n/", "data/")
    default_content = "content"
    index_names = ("_index.md", "index.md", "_index.markdown", "index.markdown")

    @classmethod
    def detect(cls, files: set[str], base: str, root: Path | None) -> bool:
        if base + "theme.toml" in files and not any_under(files, base + "content/"):
            # A theme (or module) with its own config, beside the site that
            # uses it (google/docsy: `theme/` and `docsy.dev/`): no site.
            return False
        if any(base + n in files for n in _CONFIG_NAMES[:4]) or any_under(files, base + "config/_default/"):
            return True
        for name in _CONFIG_NAMES[4:]:
            if base + name in files:
                return cls._generic_config_is_hugo(files, base, root / (base + name) if root is not None else None)
        return False

    @classmethod
    def _generic_config_is_hugo(cls, files: set[str], base: str, path: Path | None) -> bool:
        """``config.toml`` and friends are common names: Zola's (it writes
        ``base_url``, Hugo ``baseURL``) and many programs'. They mark a Hugo site
        when Hugo's keys are in them or a ``content/`` folder is beside them."""
        data = lower_keys(read_any(path)) if path is not None else None
        if isinstance(data, dict) and "base_url" in data:
            return False
        if isinstance(data, dict) and any(key in data for key in ("baseurl", "theme", "languagecode", "module")):
            return True
        return any_under(files, base + "content/")

    # -- configuration --------------------------------------------------------------

    def read_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        for name in _CONFIG_NAMES:
            data = read_any(self.site_path(name))
            if isinstance(data, dict):
                settings = lower_keys(data)
                break
        folder = self.site_file("config/_default")
        for rel in self.inventory.sorted_files():
            if posixpath.dirname(rel) != folder:
                continue
            stem, ext = posixpath.splitext(posixpath.basename(rel))
            if ext not in (".toml", ".yaml", ".yml", ".json"):
                continue
            data = read_any(self.inventory.root / rel)
            if not isinstance(data, dict):
                continue
            data = lower_keys(data)
            key = stem.split(".")[0].lower()
            if key in ("hugo", "config"):
                settings.update(data)
            else:
                settings.setdefault(key, {})
                if isinstance(settings[key], dict):
                    settings[key].update(data)
                else:
                    settings[key] = data
        return settings

    def generator_content(self) -> str:
        return self.site_file(str(self.settings.get("contentdir") or "content").strip("/"))

    def generator_base_url(self) -> str | None:
        value = self.settings.get("baseurl")
        return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None

    # -- building the URL table -------------------------------------------------------

    def build(self) -> None:
        s = self.settings
        self.lower = not s.get("disablepathtolower", False)
        self.ugly = s.get("uglyurls", False)
        self.default_lang = str(s.get("defaultcontentlanguage") or "en").lower()
        languages = s.get("languages") if isinstance(s.get("languages"), dict) else {}
        disabled = {str(x).lower() for x in as_list(s.get("disablelanguages"))}
        self.languages = [k for k in languages if k not in disabled] or [self.default_lang]
        if self.default_lang not in self.languages:
            self.languages.append(self.default_lang)
        in_subdir = bool(s.get("defaultcontentlanguageinsubdir", False))
        self.lang_prefix = {
            lang: "" if (lang == self.default_lang and not in_subdir) or len(self.languages) == 1 and not in_subdir else f"/{lang}"
            for lang in self.languages
        }
        # Content folders: the default one, per-language ones, module mounts.
        self.content_dirs: list[tuple[str, str | None]] = []  # (folder, language or None)
        for lang in self.languages:
            folder = dig(languages, lang, "contentdir")
            if isinstance(folder, str) and folder.strip("/"):
                self.content_dirs.append((self.site_file(folder.strip("/")), lang))
        mounts = dig(s, "module", "mounts", default=[])
        self.mount_prefix: dict[str, str] = {}
        # Mounts of a folder inside one mounted before: the same pages served
        # again, for other languages where they have no translation
        # (`content/en/docs` mounted for `de`), or at another place (a
        # single page mounted too).
        self.fallback_mounts: list[tuple[str, str, list[str]]] = []  # (folder, target under content, languages)
        mounted: list[str] = []
        for mount in mounts if isinstance(mounts, list) else []:
            if not isinstance(mount, dict) or not str(mount.get("target", "")).startswith("content"):
                continue
            source = str(mount.get("source", "")).strip("/")
            folder = posixpath.normpath(self.site_file(source)) if source else self.site_dir
            sub = str(mount.get("target", "content"))[len("content") :].strip("/")
            langs = _mount_languages(mount, self.languages)
            if folder.startswith("..") or (folder not in self.inventory.dirs and folder not in self.inventory.files):
                # Mounted from outside the repository, or fetched when the site
                # is built (a gitignored folder): what is there is unknown.
                # (Not a whole language's content: its other mounts are known.)
                stem = posixpath.splitext(sub)[0] if sub.endswith((".md", ".markdown")) else sub
                if posixpath.basename(stem) in ("_index", "index"):  # a folder's own page
                    stem = posixpath.dirname(stem)
                for lang in langs or self.languages if stem else ():
                    self.external_prefixes.append(self.lang_prefix.get(lang, "") + "/" + self._path_url(stem) + "/")
                continue
            if folder in self.inventory.files or any(folder == m or folder.startswith(m + "/") for m in mounted):
                self.fallback_mounts.append((folder, sub, langs))
                continue
            mounted.append(folder)
            self.content_dirs.append((folder, langs[0] if len(langs) == 1 else None))
            if sub:
                self.mount_prefix[folder] = sub
        if not any(folder == self.content_root for folder, _ in self.content_dirs):
            self.content_dirs.append((self.content_root, None))
        self.permalinks = s.get("permalinks") if isinstance(s.get("permalinks"), dict) else {}
        self.build_drafts = bool(dig(s, "builddrafts", default=False))
        self.build_future = bool(dig(s, "buildfuture", default=False))
        self.build_expired = bool(dig(s, "buildexpired", default=False))
        markup = dig(s, "markup", "goldmark", default={}) or {}
        id_type = str(dig(markup, "parser", "autoheadingidtype", default="github")).lower()
        self.slugger = {"github": "hugo", "github-ascii": "hugo-ascii", "blackfriday": "blackfriday"}.get(id_type, "hugo")
        self.auto_ids = dig(markup, "parser", "autoheadingid", default=True) is not False
        self.term_ids = bool(dig(markup, "parser", "autodefinitiontermid", default=False))
        self.hook = self._link_hook(markup)

        taxonomies = s.get("taxonomies")
        if not isinstance(taxonomies, dict):
            taxonomies = {"tag": "tags", "category": "categories"}
        self.taxonomies = [str(v) for v in taxonomies.values() if isinstance(v, str)]
        today = dt.datetime.now()

        sections: set[tuple[str, str]] = set()
        for path in sorted(self.pages):
            where = self._content_dir_of(path)
            if where is None:
                continue
            folder, dir_lang = where
            rel = path[len(folder) + 1 :] if folder else path
            if folder in self.mount_prefix:
                rel = posixpath.join(self.mount_prefix[folder], rel)
            info = self._page(path, rel, dir_lang, today)
            self.info[path] = info
            top = rel.split("/", 1)[0] if "/" in rel else ""
            if top:
                sections.add((info.lang or self.default_lang, top))

        self._fallback_pages(today, sections)

        # Every top-level folder of the content is a section with a list page,
        # even without an _index.md.
        for lang, top in sections:
            url = self.lang_prefix.get(lang, "") + "/" + self._segment(top) + "/"
            self.add_route(url, Route(Kind.LIST, None, "a section list page Hugo generates"))
        for lang in self.languages:
            prefix = self.lang_prefix.get(lang, "")
            self.add_route(prefix + "/", Route(Kind.LIST, None, "the home page"))
            for name in ("index.xml", "sitemap.xml"):
                self.add_route(prefix + "/" + name, Route(Kind.LIST, None, "a file Hugo generates"))
            for taxonomy in self.taxonomies:
                self.add_route(f"{prefix}/{self._segment(taxonomy)}/", Route(Kind.LIST, None, "a taxonomy page Hugo generates"))
        for path, info in self.info.items():
            fm = self.documents[path].front_matter if path in self.documents else {}
            prefix = self.lang_prefix.get(info.lang or self.default_lang, "")
            for taxonomy in self.taxonomies:
                for term in as_list(fm.get(taxonomy)):
                    self.add_route(
                        f"{prefix}/{self._segment(taxonomy)}/{urlize(term, self.lower)}/",
                        Route(Kind.LIST, None, "a taxonomy term page Hugo generates"),
                    )
        self.add_route("/404.html", Route(Kind.LIST, None, "a file Hugo generates"))
        self.add_route("/robots.txt", Route(Kind.LIST, None, "a file Hugo generates"))

        static = s.get("staticdir") or "static"
        for folder in as_list(static) if not isinstance(static, str) else [static]:
            self.static_dirs.append((self.site_file(folder.strip("/")), "/"))
        for mount in mounts if isinstance(mounts, list) else []:
            if isinstance(mount, dict) and str(mount.get("target", "")).startswith("static"):
                sub = str(mount.get("target"))[len("static") :].strip("/")
                self.static_dirs.append((self.site_file(str(mount.get("source", "")).strip("/")), "/" + (sub + "/" if sub else "")))
        self._bundle_files()
        for sub in self.submodules:
            for folder, _ in self.content_dirs:
                if sub.startswith(folder + "/"):
                    rel = sub[len(folder) + 1 :]
                    self.external_prefixes.append("/" + self._path_url(rel) + "/")
        if isinstance(dig(s, "module", "imports"), list) or s.get("theme"):
            self.has_modules = True

    def _link_hook(self, markup: dict) -> str:
        """Which link render hook applies: 'site' (the site's or a theme's own),
        'embedded' (Hugo's), or '' (none: links are plain URLs)."""
        use = str(dig(markup, "renderhooks", "link", "useembedded", default="auto")).lower()
        folders = (self.site_file("layouts/"), self.site_file("themes/"))
        hooks = [f for f in self.inventory.sorted_files() if f.endswith("_markup/render-link.html") and f.startswith(folders)]
        own = bool(hooks)
        self.hook_literals: list[tuple[str, str]] = []
        for f in hooks:
            text = read_text(self.inventory.root / f) or ""
            self.hook_literals += [(m.group(1), m.group(2)) for m in _HOOK_LITERAL.finditer(text)]
        if use == "always":
            return "embedded"
        if own:
            return "site"
        if use == "fallback":
            return "embedded"
        if use == "auto" and len(self.languages) > 1 and not dig(markup, "duplicateresourcefiles", default=False):
            return "embedded"
        return ""

    def own_redirects(self) -> list[Redirect]:
        """A ``_redirects`` file the site makes with an output format of its
        home page (``outputFormats: {redirects: {baseName: _redirects}}``,
        the template ``layouts/index.redirects``): its literal lines, and
        those whose only template is a variable set from ``site.Params``
        (``/docs/latest /docs/{{ $latest }}/``, the variable a parameter or an
        ``index`` of one); the rest is not read."""
        formats = self.settings.get("outputformats")
        if not isinstance(formats, dict):
            return []
        home = [str(f).lower() for f in as_list(dig(self.settings, "outputs", "home", default=[]))]
        out: list[Redirect] = []
        for name, spec in formats.items():
            if not isinstance(spec, dict) or str(spec.get("basename", "")) != "_redirects" or str(name).lower() not in home:
                continue
            for stem in ("index", "home", "_default/index", "_default/home"):
                text = read_text(self.site_path(f"layouts/{stem}.{name}"))
                if text:
                    out += netlify_redirects(self._redirects_template(text))
                    break
        return out

    def _redirects_template(self, text: str) -> str:
        """The template's lines with ``site.Params`` variables put in; a line
        with any other template left out."""
        params = lower_keys(self.settings.get("params")) if isinstance(self.settings.get("params"), dict) else {}
        values: dict[str, str] = {}
        for match in _TEMPLATE_VARIABLE.finditer(text):
            value = _params_value(match.group(2), params)
            if isinstance(value, (str, int, float)):
                values[match.group(1)] = str(value)
        lines = []
        for line in _TEMPLATE_VARIABLE.sub("", text).splitlines():
            line = re.sub(r"\{\{-?\s*\$(\w+)\s*-?\}\}", lambda m: values.get(m.group(1), m.group(0)), line)
            if "{{" not in line and "}}" not in line:
                lines.append(line)
        return "\n".join(lines)

    def _fallback_pages(self, today: dt.datetime, sections: set[tuple[str, str]]) -> None:
        """The pages of ``fallback_mounts``, served where their languages have
        no page of their own at that place (Hugo merges a language's mounts
        in order: the first file for a path wins)."""
        if not self.fallback_mounts:
            return
        taken = {(info.lang, info.url) for info in self.info.values()}
        for folder, sub, langs in self.fallback_mounts:
            for path in sorted(self.pages):
                if path == folder:  # one page mounted at another place
                    rel = sub
                elif path.startswith(folder + "/"):
                    rel = posixpath.join(sub, path[len(folder) + 1 :]) if sub else path[len(folder) + 1 :]
                else:
                    continue
                for lang in langs or [self.default_lang]:
                    info = self._page(path, rel, lang, today)
                    if (info.lang, info.url) in taken:
                        continue
                    taken.add((info.lang, info.url))
                    why = f"`{folder}/` mounted for the language `{info.lang}`, where it has no page of its own"
                    self.add_route(info.url, Route(Kind.DRAFT if info.draft else Kind.PAGE, path, why))
                    top = rel.split("/", 1)[0] if "/" in rel else ""
                    if top:
                        sections.add((info.lang or self.default_lang, top))

    def _content_dir_of(self, path: str) -> tuple[str, str | None] | None:
        best: tuple[str, str | None] | None = None
        for folder, lang in self.content_dirs:
            if folder == "" or path.startswith(folder + "/"):
                if best is None or len(folder) > len(best[0]):
                    best = (folder, lang)
        return best

    def _segment(self, text: str) -> str:
        return urlize(text, self.lower)

    def _path_url(self, rel: str) -> str:
        return "/".join(self._segment(p) for p in rel.split("/") if p)

    def _page(self, path: str, rel: str, dir_lang: str | None, today: dt.datetime) -> PageInfo:
        fm = self.documents[path].front_matter if path in self.documents else {}
        folder, name = posixpath.split(rel)
        stem, _ = posixpath.splitext(name)
        lang = dir_lang
        if "." in stem:
            base, suffix = stem.rsplit(".", 1)
            if suffix.lower() in self.languages:
                stem, lang = base, suffix.lower()
        lang = lang or self.default_lang
        kind = "section" if stem == "_index" else "bundle" if stem == "index" else "page"
        sections = [p for p in folder.split("/") if p]
        slug = fm.get("slug") if isinstance(fm.get("slug"), str) and fm.get("slug").strip() else None
        prefix = self.lang_prefix.get(lang, "")
        url_fm = fm.get("url")
        section = sections[0] if sections else ""
        pattern = self._pattern(section, kind)
        if isinstance(url_fm, str) and url_fm.strip() and ":" not in url_fm.replace("\\:", ""):
            url = url_fm.strip().replace("\\:", ":")
            if not url.startswith("/") and len(self.languages) > 1:
                url = prefix + "/" + url
            url = "/" + url.lstrip("/")
            if not url.endswith("/") and not posixpath.splitext(url)[1]:
                url += "/"
        elif pattern and kind != "section" or (pattern and kind == "section" and self._section_pattern(section)):
            url = prefix + self._expand(pattern, fm, sections, stem if kind == "page" else (sections[-1] if sections else ""), slug, kind)
        else:
            parts = list(sections)
            if kind == "page":
                parts.append(slug or stem)
            elif kind == "bundle" and parts and slug:
                parts[-1] = slug
            url = prefix + "/" + "/".join(self._segment(p) for p in parts if p)
            if kind == "page" and self._ugly(section):
                url += ".html"
            elif not url.endswith("/"):
                url += "/"
        url = normalize_url(url) if not url.endswith(".html") else url
        info = PageInfo(path, url, lang=lang)
        draft_reason = self._unpublished(fm, today)
        if draft_reason:
            info.draft = True
            info.draft_reason = draft_reason
        page_dir = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"
        parent_dir = page_dir.rstrip("/").rsplit("/", 1)[0] + "/"
        for alias in as_list(fm.get("aliases")):
            alias = alias.strip()
            if not alias or "://" in alias:
                continue
            if alias.startswith("/"):
                target = prefix + alias if prefix and not alias.startswith(prefix + "/") else alias
            else:
                target = posixpath.join(parent_dir, alias)
            target = normalize_url(target) if target.endswith("/") or not posixpath.splitext(target)[1] else target
            if not target.endswith("/") and not posixpath.splitext(target)[1]:
                target += "/"
            info.aliases.append(target)
            if target.lower() != target:
                info.aliases.append(target.lower())
        return info

    def _unpublished(self, fm: dict, today: dt.datetime) -> str:
        if fm.get("draft") is True and not self.build_drafts:
            return "a draft (`draft: true`), which Hugo does not publish"
        build = fm.get("build") if isinstance(fm.get("build"), dict) else fm.get("_build")
        if isinstance(build, dict) and (build.get("render") in (False, "never", "false")):
            return "a page with `build.render: never`, which Hugo does not publish"
        if fm.get("headless") is True:
            return "a headless bundle, which Hugo does not publish"
        publish = _date(fm.get("publishdate") or fm.get("publishDate") or fm.get("pubdate") or fm.get("date"))
        if publish is not None and not self.build_future:
            naive = publish.replace(tzinfo=None)
            if naive > today + dt.timedelta(days=1):
                return f"a page dated in the future ({naive.date()}), which Hugo does not publish yet"
        expiry = _date(fm.get("expirydate") or fm.get("expiryDate") or fm.get("unpublishdate"))
        if expiry is not None and not self.build_expired and expiry.replace(tzinfo=None) < today:
            return "an expired page (`expiryDate`), which Hugo no longer publishes"
        return ""

    def _ugly(self, section: str) -> bool:
        if isinstance(self.ugly, dict):
            return bool(self.ugly.get(section.lower(), False))
        return bool(self.ugly)

    def _section_pattern(self, section: str) -> str | None:
        value = dig(self.permalinks, "section", section.lower())
        return value if isinstance(value, str) else None

    def _pattern(self, section: str, kind: str) -> str | None:
        key = section.lower() if section else "/"
        if kind == "section":
            return self._section_pattern(section)
        nested = dig(self.permalinks, "page", key)
        if isinstance(nested, str):
            return nested
        flat = self.permalinks.get(key)
        return flat if isinstance(flat, str) else None

    def _expand(self, pattern: str, fm: dict, sections: list[str], stem: str, slug: str | None, kind: str) -> str:
        date = _date(fm.get("date") or fm.get("publishdate")) or dt.datetime(1, 1, 1)
        title = fm.get("title") if isinstance(fm.get("title"), str) else stem

        def token(match: re.Match[str]) -> str:
            if match.group(1):
                selected = _slice(sections, match.group(2))
                return "/".join(self._segment(p) for p in selected)
            name = match.group(3)
            values = {
                "year": f"{date.year:04d}",
                "month": f"{date.month:02d}",
                "monthname": _MONTHS[date.month - 1].lower() if self.lower else _MONTHS[date.month - 1],
                "day": f"{date.day:02d}",
                "weekday": str((date.weekday() + 1) % 7),
                "weekdayname": _WEEKDAYS[(date.weekday() + 1) % 7],
                "yearday": str(date.timetuple().tm_yday),
                "section": self._segment(sections[0]) if sections else "",
                "sectionslug": self._segment(sections[0]) if sections else "",
                "title": urlize(title, self.lower),
                "slug": urlize(slug or title, self.lower),
                "filename": self._segment(stem),
                "contentbasename": self._segment(stem),
                "slugorfilename": urlize(slug, self.lower) if slug else self._segment(stem),
                "slugorcontentbasename": urlize(slug, self.lower) if slug else self._segment(stem),
            }
            return values.get(name, match.group(0))

        url = _TOKEN.sub(token, pattern)
        url = re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))
        if not url.endswith("/") and not posixpath.splitext(url)[1]:
            url += "/"
        return url

    def _bundle_files(self) -> None:
        """Files beside a bundle's index page are served at the page's URL."""
        bundles: dict[str, PageInfo] = {}
        for path, info in self.info.items():
            if _is_bundle_index(path):
                bundles.setdefault(posixpath.dirname(path), info)
        if not bundles:
            return
        for rel in self.inventory.files:
            if is_markdown(rel):
                continue
            folder = posixpath.dirname(rel)
            probe = folder
            while probe:
                info = bundles.get(probe)
                if info is not None:
                    sub = rel[len(probe) + 1 :]
                    base = info.url if info.url.endswith("/") else info.url.rsplit("/", 1)[0] + "/"
                    self.add_route(base + sub, Route(Kind.FILE, rel, "a page resource, served beside its page"))
                    break
                probe = posixpath.dirname(probe)
        # Files in the content folders outside any bundle: Hugo does not publish
        # them, but the embedded render hook finds them; they are left out.

    # -- heading ids ---------------------------------------------------------------

    def heading_ids(self, doc) -> list[str]:
        from linklint.slugs import heading_ids

        if not self.auto_ids:
            return [h.explicit_id or "" for h in doc.headings]
        texts = [self._heading_source(doc, h) for h in doc.headings]
        return heading_ids(texts, [h.explicit_id for h in doc.headings], algorithm=self.slugger, reserve_explicit=True)

    def fragment_ids(self, doc):
        from linklint.slugs import FragmentIds

        return FragmentIds(self._own_ids(doc, depth=0))

    def _own_ids(self, doc, depth: int) -> set[str]:
        from linklint.slugs import hugo_slug, make_slugger

        ids = set(self.heading_ids(doc))
        if self.term_ids:
            slugger = make_slugger(self.slugger)
            for heading_id in ids:
                slugger.reserve(heading_id)
            for term in _definition_terms(doc.text):
                ids.add(slugger.slug(term))
        ids.update(a.id for a in doc.html_anchors)
        # Content pulled in by a shortcode (`{{% include "/_common/x.md" %}}`)
        # brings its headings along.
        if depth < 3 and "{{" in doc.text:
            for match in _INCLUDE.finditer(doc.text):
                included = self._content_file(match.group(2), doc.path)
                if included is not None and included != doc.path and included in self.documents:
                    ids |= self._own_ids(self.documents[included], depth + 1)
        # A list page's template usually gives each child page an anchor made
        # from its title (`{{ .Title | anchorize }}`), as glossaries do.
        if posixpath.basename(doc.path).startswith("_index."):
            folder = posixpath.dirname(doc.path)
            for path, info in self.info.items():
                if posixpath.dirname(path) == folder and path != doc.path:
                    child = self.documents.get(path)
                    title = child.title if child is not None and child.title else None
                    if title:
                        ids.add(hugo_slug(title))
                    ids.add(posixpath.splitext(posixpath.basename(path))[0].lower())
        return ids

    def _content_file(self, ref: str, source: str) -> str | None:
        ref = ref.strip()
        if not ref.lower().endswith(MARKDOWN_SUFFIXES):
            return None
        where = self._content_dir_of(source)
        roots = [where[0]] if where else []
        roots += [folder for folder, _ in self.content_dirs if folder not in roots]
        for root in roots:
            candidate = posixpath.normpath(posixpath.join(root, ref.lstrip("/")) if root else ref.lstrip("/"))
            if candidate in self.documents:
                return candidate
        candidate = posixpath.normpath(posixpath.join(posixpath.dirname(source), ref))
        return candidate if candidate in self.documents else None

    @staticmethod
    def _heading_source(doc, heading) -> str:
        # goldmark slugs the heading's last source line, markup included.
        raw = doc.text[heading.span.start : heading.span.end]
        raw = re.split(r"\r\n|\r|\n", raw)[-1]
        if heading.explicit_id is not None:
            raw = re.sub(r"\s*\{[^{}]*\}\s*$", "", raw)
        return raw

    # -- links ------------------------------------------------------------------------

    def resolve_special(self, source: str, dest: str) -> Target | None:
        for test, literal in getattr(self, "hook_literals", ()):
            if dest == literal or (test != "eq" and dest.startswith(literal)):
                return Target(Status.SKIPPED, note=f"hugo: `{dest}` is handled by the site's own link render hook")
        match = _REF.match(dest)
        if match is None:
            if self.hook and source in self.info and not _SCHEMEISH.match(dest) and "{" not in dest:
                return self._through_hook(source, dest)
            return None
        path, lang = "", None
        for arg in _ARG.finditer(match.group("args")):
            key = arg.group(1)
            value = next((g for g in arg.group(2, 3, 4, 5) if g is not None), "")
            if key in (None, "path") and not path:
                path = value
            elif key == "lang":
                lang = value.lower()
        rest = match.group("rest")
        fragment = None
        if "#" in path:
            path, fragment = path.split("#", 1)
        if rest.startswith("#"):
            fragment = rest[1:]
        kind = match.group("kind")
        target = self.resolve_ref(source, path, fragment, lang)
        return with_note(target, f"hugo: {kind} shortcode: {target.note}")

    def resolve_ref(self, source: str, ref: str, fragment: str | None, lang: str | None = None) -> Target:
        """Hugo's ``GetPage`` lookup for ``ref``/``relref``."""
        info = self.info.get(source)
        if not ref:
            return Target(Status.PAGE, path=source, fragment=fragment, url=info.url if info else None, note="the same page")
        want_lang = lang or (info.lang if info else None) or self.default_lang
        ref_path = ref.rstrip("/") if ref != "/" else ref
        candidates: list[str] = []
        if ref_path.startswith("/"):
            candidates.append(ref_path.strip("/"))
        else:
            here = self._logical_dir(source)
            candidates.append(posixpath.normpath(posixpath.join(here, ref_path)) if here else posixpath.normpath(ref_path))
            candidates.append(posixpath.normpath(ref_path))
        index = self._logical_index()
        for candidate in candidates:
            found = index.get((want_lang, candidate.lower().strip("/").removeprefix("./"))) or index.get(
                (None, candidate.lower().strip("/"))
            )
            if found:
                return self._ref_target(found, fragment, f"`{ref}` is `{found}`")
        if "/" not in ref_path.strip("/"):
            name = posixpath.splitext(ref_path.strip("/"))[0].lower()
            matches = sorted({p for (lg, key), p in index.items() if key.rsplit("/", 1)[-1] == name and lg in (want_lang, None)})
            if len(matches) == 1:
                return self._ref_target(matches[0], fragment, f"`{ref}` is the one page named so, `{matches[0]}`")
            if len(matches) > 1:
                return Target(Status.MISSING, path=matches[0], fragment=fragment, url=ref, note=f"`{ref}` is ambiguous: {', '.join(matches)}")
        for prefix in self.external_prefixes:
            if ("/" + ref_path.strip("/").lower() + "/").startswith(prefix.lower()):
                return Target(Status.SKIPPED, fragment=fragment, url=ref, note="content mounted from outside the repository")
        guess = posixpath.join(self.content_root, candidates[0]) if self.content_root else candidates[0]
        if not posixpath.splitext(guess)[1]:
            guess += ".md"
        return Target(Status.MISSING, path=guess, fragment=fragment, url=ref, note=f"no page `{ref}`")

    def _through_hook(self, source: str, dest: str) -> Target | None:
        """A link render hook looks the destination up with ``GetPage`` first
        (case-insensitive, relative to the page's folder or the content root);
        only what it does not find stays a plain URL."""
        from urllib.parse import unquote

        parts = split_url(dest)
        path = unquote(parts.path)
        if not path:
            return None
        fragment = unquote(parts.fragment) if "#" in dest else None
        target = self.resolve_ref(source, path, fragment)
        if target.status in (Status.PAGE, Status.DRAFT):
            hook = "the site's" if self.hook == "site" else "Hugo's embedded"
            return with_note(target, f"hugo: {hook} link render hook finds the page: {target.note}")
        return None

    def _ref_target(self, path: str, fragment: str | None, note: str) -> Target:
        info = self.info[path]
        status = Status.DRAFT if info.draft else Status.PAGE
        return Target(status, path=path, fragment=fragment, url=info.url, note=f"{note} (URL `{info.url}`)")

    def _logical_dir(self, source: str) -> str:
        """The folder ``GetPage`` resolves relative paths from: a bundle's own
        folder, else the page's folder; relative to the content root."""
        where = self._content_dir_of(source)
        folder = where[0] if where else ""
        rel = source[len(folder) + 1 :] if folder else source
        return posixpath.dirname(rel)

    _logical: dict[tuple[str | None, str], str] | None = None

    def _logical_index(self) -> dict[tuple[str | None, str], str]:
        """(language, lower-cased logical path) → file, for every page: with and
        without the extension, and a bundle or section by its folder."""
        if self._logical is None:
            index: dict[tuple[str | None, str], str] = {}
            for path, info in sorted(self.info.items()):
                where = self._content_dir_of(path)
                folder = where[0] if where else ""
                rel = (path[len(folder) + 1 :] if folder else path).lower()
                stem, _ = posixpath.splitext(rel)
                name = posixpath.basename(stem)
                if "." in name and name.rsplit(".", 1)[1] in self.languages:
                    stem_nolang = stem.rsplit(".", 1)[0]
                    keys = [stem_nolang, stem, rel, stem_nolang + ".md"]
                else:
                    keys = [stem, rel]
                for key in list(keys):
                    base = posixpath.basename(key).split(".")[0]
                    if base in ("index", "_index"):
                        keys.append(posixpath.dirname(key))
                for key in keys:
                    index.setdefault((info.lang, key), path)
                    index.setdefault((None, key), path)
            self._logical = index
        return self._logical

    def resolve_file_link(self, source: str, path: str, fragment: str | None) -> Target | None:
        if not self.hook:
            return super().resolve_file_link(source, path, fragment)
        if is_markdown(path.split("#")[0]) or "." not in posixpath.basename(path):
            target = self.resolve_ref(source, path, fragment)
            if target.status in (Status.PAGE, Status.DRAFT):
                return with_note(target, f"hugo: the {'site' if self.hook == 'site' else 'embedded'} link render hook: {target.note}")
        target = self.lookup_source_file(posixpath.join(posixpath.dirname(source), path), fragment)
        if target is None and not is_markdown(path):
            target = self._shared_resource(source, path, fragment)
        if target is None and self.hook == "embedded":
            assets = self.site_file("assets/" + path.lstrip("/"))
            if assets in self.inventory.files:
                return Target(Status.ASSET, path=assets, fragment=fragment, note="hugo: the embedded link render hook, a global resource")
        return target

    _bundles: dict[str, list[str]] | None = None

    def _shared_resource(self, source: str, path: str, fragment: str | None) -> Target | None:
        """A file of a translation's bundle: a bundle has the files of its
        translations' bundles (same place in another language's content) that
        it lacks itself, so an image is not copied into every language."""
        if len(self.languages) < 2 or not _is_bundle_index(source):
            return None
        if self._bundles is None:
            self._bundles = {}
            for page in self.info:
                if _is_bundle_index(page):
                    self._bundles.setdefault(self._bundle_place(page), []).append(page)
        for other in self._bundles.get(self._bundle_place(source), ()):
            if posixpath.dirname(other) == posixpath.dirname(source):
                continue
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(other), path))
            if joined in self.inventory.files:
                why = f"hugo: a file of the bundle of a translation (`{other}`), which its translations share"
                return Target(Status.ASSET, path=joined, fragment=fragment, url=path, note=f"{why}: `{joined}`")
        return None

    def _bundle_place(self, page: str) -> str:
        """Where a bundle is in its language's content: the same for its translations."""
        where = self._content_dir_of(page)
        folder = where[0] if where else ""
        rel = page[len(folder) + 1 :] if folder else page
        if folder in self.mount_prefix:
            rel = posixpath.join(self.mount_prefix[folder], rel)
        return posixpath.dirname(rel).lower()

    def file_link_warning(self, path: str) -> str:
        return (
            f"`{path}` names a source file; Hugo serves the page under another URL and this site has no link "
            "render hook to rewrite it (add one, or use the page's URL or `{{< relref >}}`)"
        )


def _slice(items: list[str], spec: str | None) -> list[str]:
    """Hugo's ``:sections[1:]`` / ``[:last]`` / ``[last]`` / ``[1:2]`` slices."""
    if not spec:
        return items
    inner = spec[1:-1].strip()
    last = len(items) - 1

    def number(text: str, default: int) -> int:
        text = text.strip()
        if not text:
            return default
        if text == "last":
            return last
        try:
            return int(text)
        except ValueError:
            return default

    if ":" not in inner:
        i = number(inner, 0)
        return items[i : i + 1] if 0 <= i < len(items) else []
    low, high = inner.split(":", 1)
    start = number(low, 0)
    end = number(high, len(items))
    return items[start:end]


def _definition_terms(text: str) -> list[str]:
    """Terms of definition lists (``Term`` followed by ``: definition``), for
    ``autoDefinitionTermID``; fenced code is skipped."""
    lines = re.split(r"\r\n|\r|\n", text)
    terms: list[str] = []
    fence = None
    for i, line in enumerate(lines[:-1]):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence or not stripped or stripped.startswith((":", "#", "-", "*", ">", "|")):
            continue
        if _DEFINITION.match(lines[i + 1]) and (i == 0 or not lines[i - 1].strip() or _DEFINITION.match(lines[i - 1])):
            terms.append(stripped.rstrip())
    return terms
