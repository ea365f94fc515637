"""What the site-generator profiles share: a table of the site's public URLs and
link resolution against it.

A generator turns files into URLs; a browser resolves a link against the URL of
the page it is on, not against the file the page came from. So every generator
profile first computes each page's public URL (and its aliases, drafts and the
static files the site serves), then resolves links the way the built site will
see them:

* a root-relative link (``/posts/a/``) is looked up in the URL table;
* a relative link (``../b/#usage``) is joined to the page's URL, as a browser
  does; where the generator also rewrites links to source files (MkDocs, mdBook,
  Docusaurus, Hugo's link render hook …) the file-relative reading is tried too;
* the generator's own link forms (Hugo ``{{< ref >}}``, Jekyll ``{% link %}``,
  Zola ``@/``, DocFX ``xref:``) are resolved by the profile.

Each profile only says how its generator computes URLs; the lookup, the case and
trailing-slash rules, drafts, aliases and the notes for ``--explain-links`` live
here.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Mapping
from urllib.parse import unquote, urlsplit

from linklint.sites.base import _SCHEME, _TEMPLATE, Profile, Status, Target, split_url
from linklint.sites.configfiles import read_text
from linklint.sites.redirects import Redirect, destination_of, is_external, read_redirects

if TYPE_CHECKING:
    from linklint.config import Config
    from linklint.cache import ParseCache
    from linklint.discover import Inventory
    from linklint.model import Document, Link

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdx")


class Kind:
    PAGE = "page"  # a published page
    ALIAS = "alias"  # a redirect to a page (Hugo aliases, redirect_from, redirect maps)
    DRAFT = "draft"  # a page the site does not publish
    FILE = "file"  # a file the site serves as it is (static/, page resources)
    LIST = "list"  # a page the generator makes without a source file (sections, tags)


@dataclass(frozen=True, slots=True)
class Route:
    kind: str
    path: str | None  # the repository file behind the URL (None for generated pages)
    why: str = ""  # how the URL came about, for --explain-links


@dataclass
class PageInfo:
    """One page of the site: its public URL and what else points at it."""

    path: str
    url: str  # relative to the base URL, starting with '/'
    draft: bool = False
    draft_reason: str = ""
    lang: str | None = None
    aliases: list[str] = field(default_factory=list)
    other_urls: list[str] = field(default_factory=list)  # the same page under other URLs


def is_readme(path: str) -> bool:
    """Whether the file is a folder's README (for the repository's readers)."""
    return posixpath.basename(path).lower().startswith("readme.")


def _submodules(inventory: Inventory) -> set[str]:
    """The listed paths that are folders (Git submodules, as ``git ls-files``
    lists them), from the modes ``discover`` stamped: a ``stat`` per file
    was a third of a second of every run at 24,000 files."""
    stamps = inventory.stamps
    if len(stamps) == len(inventory.files):
        return {f for f, (_, _, mode) in stamps.items() if S_ISDIR(mode)}
    return {f for f in inventory.files if (inventory.root / f).is_dir() and not (inventory.root / f).is_symlink()}


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_EXTENSIONS)


def join_url(base_url: str, relative: str) -> str:
    """Resolve a relative URL path against a page URL, as a browser does: against
    the page's folder, ``..`` never climbing above the root, a trailing slash
    kept."""
    folder = base_url if base_url.endswith("/") else base_url.rsplit("/", 1)[0] + "/"
    return normalize_url(folder + relative)


def normalize_url(url: str) -> str:
    trailing = url.endswith("/") or url.endswith("/.") or url.endswith("/..") or url in (".", "..")
    parts: list[str] = []
    for segment in url.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if parts:
                parts.pop()
            continue
        parts.append(segment)
    out = "/" + "/".join(parts)
    if trailing and not out.endswith("/"):
        out += "/"
    return out


def as_list(value: Any) -> list[str]:
    """A front-matter value that may be one string or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


class GeneratorProfile(Profile):
    """A profile with a URL table. Subclasses fill it in ``build``."""

    name = "generator"
    is_generator = True
    links_need_documents = True  # front matter sets URLs (slug, permalink …)
    # Files that mark a site of this generator (first match wins), relative to
    # the site's folder.
    config_names: ClassVar[tuple[str, ...]] = ()
    # Folders whose Markdown is never a page (templates, themes, build output).
    ignored_prefixes: ClassVar[tuple[str, ...]] = ()
    # Default content folder, relative to the site's folder.
    default_content: ClassVar[str] = ""
    # Hosts of this generator's sites that match paths case-insensitively.
    case_insensitive_host: ClassVar[bool] = False
    # Whether `/x` in a page means `<base path>/x` (the generator prefixes it).
    root_links_include_base: ClassVar[bool] = False
    # Template blocks (Liquid, Nunjucks) whose Markdown is not rendered where it
    # stands: captured into a variable, commented out, shown as code.
    unrendered_blocks: ClassVar[tuple[str, ...]] = ()
    # Whether `/about` finds `/about.html` on the usual hosts (GitHub Pages,
    # Netlify, Cloudflare Pages all serve `x.html` for `x`).
    extensionless_html: ClassVar[bool] = True

    def __init__(
        self,
        config: Config,
        inventory: Inventory,
        pages: set[str],
        documents: Mapping[str, Document] | None = None,
    ) -> None:
        super().__init__(config, inventory, pages, documents)
        self._read_config(config, inventory)
        base_url = config.base_url or self.generator_base_url()
        if base_url:
            base = urlsplit(base_url)
            self.base_host = base.hostname.lower() if base.hostname else None
            path = base.path.strip("/")
            self.base_path = "/" + (path + "/" if path else "")
        self.routes: dict[str, Route] = {}
        # The run's parse cache, for the files pages take text from (``parsed_file``).
        self.parse_cache: ParseCache | None = None
        self._unrendered_cache: dict[str, list[tuple[int, int, str]]] = {}
        self._folded: dict[str, str] | None = None
        self.info: dict[str, PageInfo] = {}
        # Partials (``is_partial``), and where each would be served were it a
        # page: its relative links are tried from there (``_resolve_in_partial``).
        self.partials: set[str] = set()
        self.partial_urls: dict[str, str] = {}
        self.static_dirs: list[tuple[str, str]] = []  # (folder in the repository, URL prefix)
        self.external_prefixes: list[str] = []  # repository folders mounted from elsewhere
        self.submodules = _submodules(inventory)
        self.build()
        for info in self.info.values():
            kind = Kind.DRAFT if info.draft else Kind.PAGE
            for url in [info.url, *info.other_urls]:
                self.add_route(url, Route(kind, info.path, info.draft_reason or "the page's URL"))
        for info in self.info.values():
            for alias in info.aliases:
                self.add_route(alias, Route(Kind.ALIAS, info.path, "an alias (redirect) of the page"))
        self.redirects = self.own_redirects() + read_redirects(inventory.root, [self.site_dir, "", *(f for f, _ in self.static_dirs)])
        self.other_sites = self.find_other_sites(inventory.files)

    # -- set-up (subclasses) ---------------------------------------------------------

    def own_redirects(self) -> list[Redirect]:
        """Redirects the generator's own configuration makes (Astro's
        ``redirects``), looked at before the host's files."""
        return []

    @classmethod
    def detect(cls, files: set[str], base: str, root: Path | None) -> bool:
        return any(base + name in files for name in cls.config_names)

    @classmethod
    def detection_names(cls) -> tuple[str, ...]:
        """The file names whose folder ``detect`` may find a site in: the
        config's, and for a generator whose config a build command names,
        the files that hold such commands."""
        return cls.config_names

    @classmethod
    def ignores(cls, path: str) -> bool:
        return path.startswith(cls.ignored_prefixes)

    def _read_config(self, config: Config, inventory: Inventory) -> None:
        """The site's folder, linklint's ``generator:`` options, the
        generator's settings and, from them, the content root."""
        self.site_dir = self.find_site_dir(inventory.files, config.content)
        self.options: dict[str, Any] = self.linklint_options(config)
        self.settings: dict[str, Any] = self.read_settings()
        content = config.content.strip("/")
        if content in ("", ".", self.site_dir):
            # linklint's content root follows the generator's: globs in
            # `posts:` and `landing_pages:` are relative to it, as a writer sees
            # it. So it does when `content:` names the folder of the
            # generator's config (`docs/en`, where `mkdocs.yml` publishes
            # `docs/en/docs/`).
            self.content_root = self.generator_content()

    @classmethod
    def published_folder(cls, config: Config, inventory: Inventory) -> str:
        """The folder whose Markdown the generator publishes (its content
        root, '' for the repository's root), from its config alone: known
        before any page is read."""
        probe = cls.__new__(cls)
        Profile.__init__(probe, config, inventory, set(), None)
        probe._read_config(config, inventory)
        return probe.content_root

    def find_site_dir(self, files: set[str], content: str) -> str:
        """The folder holding the generator's config: the repository root,
        linklint's content folder, or the one subfolder detection finds (see
        ``linklint.sites``)."""
        from linklint.sites import site_folder

        return site_folder(type(self), files, content, self.inventory.root)

    def find_other_sites(self, files: set[str]) -> list[str]:
        """Folders outside this site that hold a site of their own (a sample or
        test site with its own generator config)."""
        from linklint.sites import all_site_folders

        mine = self.site_dir + "/" if self.site_dir else ""
        return [
            folder
            for folder in all_site_folders(files, self.inventory.root)
            if folder and folder != mine and not mine.startswith(folder)
        ]

    def site_file(self, rel: str) -> str:
        """A path relative to the site's folder, as a repository path."""
        return posixpath.normpath(posixpath.join(self.site_dir, rel)) if self.site_dir else posixpath.normpath(rel)

    def site_path(self, rel: str) -> Path:
        return self.inventory.root / self.site_file(rel)

    def config_text(self) -> tuple[str, str]:
        """The first of ``config_names`` that holds text, and its text
        (``("", "")`` when none does): for generators configured by a
        program, which is read as text."""
        for name in self.config_names:
            text = read_text(self.site_path(name))
            if text:
                return name, text
        return "", ""

    def page_text(self, path: str) -> str:
        """A Markdown file's text, for what a generator reads from every page
        (includes, rule names). A page the stored site kept unread is read
        from disk: parsing it again would cost more than reading it."""
        doc = self.documents.get(path)
        if doc is not None and getattr(doc, "loaded", True):
            return doc.text
        from linklint.loading import read_page

        # Read as pages are: never through a symbolic link out of the repository.
        data = read_page(self.inventory.root, path)
        return data.decode("utf-8", "replace") if isinstance(data, bytes) else ""

    def parsed_file(self, path: str) -> Document | None:
        """A Markdown file a page takes text from (an include, a snippet, an
        imported partial), parsed: the page's own parse when it is one, else
        from the run's parse cache (``parse_cache``, set by the engine) when
        it knows the file's content, else parsed and stored there. None when
        it cannot be read (a folder, a link outside the repository)."""
        doc = self.documents.get(path)
        if doc is not None:
            return doc
        from linklint.loading import load_page

        cache = self.parse_cache
        doc = load_page(self.inventory.root, path, self.config.max_file_size, cache, store=True)
        return None if doc.problems and not doc.text else doc

    def linklint_options(self, config: Config) -> dict[str, Any]:
        """Generator settings linklint cannot read from the generator's files,
        given in linklint's config under ``generator:`` (read defensively: the
        key is optional)."""
        value = getattr(config, "generator", None)
        return dict(value) if isinstance(value, Mapping) else {}

    def read_settings(self) -> dict[str, Any]:
        return {}

    def generator_content(self) -> str:
        return self.site_file(self.default_content) if self.default_content else self.site_dir

    def generator_base_url(self) -> str | None:
        return None

    def build(self) -> None:
        """Fill ``self.info`` (one PageInfo per page), ``self.static_dirs`` and any
        extra routes."""

    # -- the URL table ---------------------------------------------------------------

    def add_route(self, url: str, route: Route) -> None:
        url = normalize_url(url) if url != "/" else "/"
        current = self.routes.get(url)
        # A real page wins over an alias or a generated page at the same URL.
        if current is None or (current.kind in (Kind.ALIAS, Kind.LIST) and route.kind in (Kind.PAGE, Kind.DRAFT)):
            self.routes[url] = route
        self._folded = None

    def page_urls(self, path: str) -> list[str]:
        info = self.info.get(path)
        if info is None:
            return super().page_urls(path)
        return [info.url, *info.other_urls]

    def url_index(self) -> dict[str, str]:
        return {u: r.path for u, r in self.routes.items() if r.kind == Kind.PAGE and r.path}

    def page_at_url(self, url: str) -> str | None:
        route = self.routes.get(url)
        return route.path if route is not None and route.kind == Kind.PAGE and route.path else None

    def _folded_routes(self) -> dict[str, str]:
        if self._folded is None:
            folded: dict[str, str] = {}
            for url in sorted(self.routes):
                folded.setdefault(url.casefold(), url)
            self._folded = folded
        return self._folded

    def lookup_url(self, url: str) -> tuple[Route, str, str] | None:
        """The route a site URL reaches: (route, the URL that matched, warning)."""
        for candidate, how in self._url_variants(url):
            route = self.routes.get(candidate)
            if route is not None:
                return route, candidate, ""
            found = self.static_file(candidate)
            if found is not None:
                return found, candidate, ""
            if how:
                continue
        for candidate, _ in self._url_variants(url):
            other = self._folded_routes().get(candidate.casefold())
            if other is not None:
                warning = "" if self.case_insensitive_host else (
                    f"`{url}` matches `{other}` only when case is ignored; the site's host compares paths "
                    "case-sensitively"
                )
                return self.routes[other], other, warning
            found = self.static_file(candidate, fold=True)
            if found is not None:
                warning = "" if self.case_insensitive_host else (
                    f"`{url}` matches the file `{found.path}` only when case is ignored"
                )
                return found, candidate, warning
        return None

    def _url_variants(self, url: str) -> Iterable[tuple[str, str]]:
        yield url, ""
        name = url.rsplit("/", 1)[-1]
        if url.endswith("/index.html"):
            yield url[: -len("index.html")], "index.html"
        elif not url.endswith("/"):
            # A host redirects `/a` to `/a/` when the folder exists.
            yield url + "/", "slash"
            if self.extensionless_html and "." not in name:
                yield url + ".html", "html"
                if name == "index":
                    # `/a/index` is served from `/a/index.html`: the folder's page.
                    yield url[: -len("index")], "index.html"
        if url.endswith("/") and url != "/" and self.extensionless_html:
            yield url.rstrip("/") + ".html", "html"
        if url.endswith("/"):
            # A redirect written as `/help/index.html` answers at `/help/` too.
            yield url + "index.html", "index.html"

    def static_file(self, url: str, fold: bool = False) -> Route | None:
        files = self.inventory.files
        for folder, prefix in self.static_dirs:
            if not url.startswith(prefix):
                continue
            rel = url[len(prefix) :]
            candidate = posixpath.join(folder, rel) if folder else rel
            candidate = candidate.rstrip("/")
            options = [candidate, posixpath.join(candidate, "index.html")] if candidate else ["index.html"]
            for option in options:
                if option in files and not is_markdown(option):
                    return Route(Kind.FILE, option, f"a file served from `{folder or '.'}/`")
                if fold:
                    for f in self._files_folded().get(option.casefold(), ()):
                        if not is_markdown(f):
                            return Route(Kind.FILE, f, f"a file served from `{folder or '.'}/`")
            if candidate in self.inventory.dirs and url.endswith("/"):
                return None
        return None

    _files_folded_cache: dict[str, list[str]] | None = None

    def _files_folded(self) -> dict[str, list[str]]:
        if self._files_folded_cache is None:
            folded: dict[str, list[str]] = {}
            for f in self.inventory.files:
                folded.setdefault(f.casefold(), []).append(f)
            self._files_folded_cache = folded
        return self._files_folded_cache

    # -- resolution -------------------------------------------------------------------

    def memo_key(self, source: str, destination: str) -> tuple[str, str] | None:
        if super().memo_key(source, destination) is None:
            return None
        info = self.info.get(source)
        url_dir = info.url.rsplit("/", 1)[0] if info else "+" if self.rendered_elsewhere(source) else "-"
        return (source.rpartition("/")[0] + "\0" + url_dir, destination)

    # Whether links to Markdown files are rewritten to their pages from the
    # file that holds the link (Docusaurus: in a partial too); such a profile's
    # ``resolve_relative`` must not need the page's info for them.
    markdown_links_from_file = False

    def is_partial(self, path: str) -> bool:
        return path in self.partials

    def rendered_elsewhere(self, path: str) -> bool:
        """Whether a Markdown file of the site with no URL of its own is
        rendered into the site's pages all the same (a partial, an entry of
        a collection a template of its own shows): its root-relative links
        are the site's URLs, its relative ones resolve against pages no one
        can name. By default: the partials."""
        return self.is_partial(path)

    def built(self, source: str) -> bool:
        """Whether the generator builds the page: its links may lead to what
        the build writes."""
        return source in self.info or self.rendered_elsewhere(source)

    def resolve(self, source: str, destination: str) -> Target:
        dest = destination.strip()
        if not dest:
            return Target(Status.EMPTY, note="empty destination")
        info = self.info.get(source)
        if info is None and any(source.startswith(folder) for folder in self.other_sites):
            # A sample or test site inside the repository: its links follow its
            # own generator's rules, not this site's nor GitHub's (its `@/` or
            # `{{< ref >}}` links name its own content, not this site's).
            return Target(Status.SKIPPED, note=f"{self.name}: a page of another site in the repository")
        special = self.resolve_special(source, dest)
        if special is not None:
            return special
        if _TEMPLATE.search(dest):
            return Target(Status.SKIPPED, note=f"{self.name}: template syntax, cannot be judged without building")
        elsewhere = info is None and self.rendered_elsewhere(source)
        if info is None and not elsewhere and not self._on_own_host(dest):
            # A Markdown file outside the generator's content (a README next to
            # the site's config): GitHub shows it, so GitHub's rules apply. An
            # absolute URL on the site's own host is the built site's, whoever
            # links to it (a README's badge served from the site's `static/`).
            target = super().resolve(source, destination)
            return _with_note(target, f"plain (outside the {self.name} site): {target.note}")
        parts = split_url(dest)
        fragment = unquote(parts.fragment) if "#" in dest else None
        if self._on_own_host(dest):
            how = "a URL on the site's own host" if dest.startswith("//") else "an absolute URL on the site's own host"
            return self.resolve_host_path(parts.path or "/", fragment, how)
        if parts.scheme and _SCHEME.match(dest):
            return Target(Status.EXTERNAL, note=f"{parts.scheme} URL")
        if dest.startswith("//"):
            return Target(Status.EXTERNAL, note="protocol-relative URL")
        path = unquote(parts.path)
        if not path and not elsewhere:
            return Target(Status.PAGE, path=source, fragment=fragment, url=info.url, note=f"{self.name}: the same page")
        if path.startswith("/"):
            if self.root_links_include_base:
                return self.resolve_site_url(path, fragment, "a root-relative URL (the generator adds the base path)")
            return self.resolve_host_path(path, fragment, "a root-relative URL")
        if elsewhere:
            return self._resolve_in_partial(source, path, fragment)
        return self.resolve_relative(source, info, path, fragment)

    def _resolve_in_partial(self, source: str, path: str, fragment: str | None) -> Target:
        """A relative link of a file rendered into other pages: it resolves
        against the page that shows it. Found from where the file would be
        served were it a page (pages that include a partial are mostly
        beside it), it counts; not found, it is not judged."""
        if self.markdown_links_from_file and is_markdown(path):
            # Rewritten from the file that holds the link, whatever page shows it.
            return self.resolve_relative(source, None, path, fragment)  # type: ignore[arg-type]
        near = self.partial_urls.get(source)
        if near is not None:
            found = self.resolve_relative(source, PageInfo(source, near), path, fragment)
            if found.status not in (Status.MISSING, Status.OUTSIDE):
                return found
        return Target(
            Status.SKIPPED,
            fragment=fragment,
            note=f"{self.name}: `{source}` has no page of its own; a relative link resolves against the page that shows it",
        )

    def _on_own_host(self, dest: str) -> bool:
        """Whether ``dest`` is an absolute or protocol-relative URL on the
        site's own host."""
        if "//" not in dest:
            return False
        parts = split_url(dest)
        if dest.startswith("//"):
            return self._own_host(parts.hostname)
        scheme = parts.scheme.lower()
        return scheme in ("http", "https") and _SCHEME.match(dest) is not None and self._own_host(parts.hostname)

    def _resolve_root_relative(self, path: str, fragment: str | None) -> Target:
        """``/x`` in a page outside the site (GitHub's rules): the repository's
        root first, as GitHub reads it, then the site's content and URLs."""
        target = self._lookup_file(path.lstrip("/"), fragment, note="root-relative, against the repository root")
        if target.status != Status.MISSING:
            return target
        return super()._resolve_root_relative(path, fragment)

    @classmethod
    def url_inputs(cls, doc: Document) -> tuple:
        """Front matter (slugs, permalinks, aliases, drafts, dates) and the title."""
        return (doc.front_matter, doc.front_matter_format, doc.title)

    def resolve_special(self, source: str, dest: str) -> Target | None:
        """The generator's own link forms; None when ``dest`` is none of them."""
        return None

    def unrendered(self, source: str, link: Link) -> Target | None:
        spans = self._unrendered_spans(source)
        for start, end, tag in spans:
            if start <= link.span.start < end:
                return Target(Status.SKIPPED, note=f"{self.name}: inside a `{{% {tag} %}}` block, not rendered as a link where it stands")
        return None

    def _unrendered_spans(self, source: str) -> list[tuple[int, int, str]]:
        cache = self._unrendered_cache
        if source not in cache:
            doc = self.documents.get(source)
            text = doc.text if doc is not None else ""
            cache[source] = template_blocks(text, self.unrendered_blocks) if "{%" in text else []
        return cache[source]

    def resolve_host_path(self, path: str, fragment: str | None, how: str) -> Target:
        """A path on the site's host (what a browser requests)."""
        base = self.base_path
        if base != "/":
            if path.startswith(base) or path + "/" == base:
                return self.resolve_site_url("/" + path[len(base) :], fragment, how)
            target = self.resolve_site_url(path, fragment, how)
            if target.status in (Status.PAGE, Status.ASSET, Status.DRAFT) and not target.warning:
                return _with_warning(
                    target,
                    f"`{path}` leaves out the base path `{base}`: it works only where the site is served "
                    "at the host's root",
                )
            if target.status == Status.MISSING:
                # Outside the base path is another site on the same host (a
                # GitHub Pages project beside this one): not this site's to judge.
                return Target(
                    Status.SKIPPED, fragment=fragment, url=path,
                    note=f"{self.name}: {how}, `{path}` is outside the site's base path `{base}`: another site on the host",
                )
            return target
        return self.resolve_site_url(path, fragment, how)

    def resolve_site_url(self, url: str, fragment: str | None, how: str) -> Target:
        """A URL relative to the base URL (starting with '/')."""
        external = self.external_target(url, fragment)
        if external is not None:
            return external
        found = self.lookup_url(url)
        if found is None:
            redirected = self.follow_redirect(url, fragment, how)
            if redirected is not None:
                return redirected
            guess = self.guess_file(url)
            return Target(Status.MISSING, path=guess, fragment=fragment, url=url, note=f"{self.name}: {how}, `{url}` is no URL of the site")
        route, matched, warning = found
        return self.route_target(route, matched, fragment, f"{self.name}: {how}, `{matched}` is {route.why}", warning, written=url)

    def follow_redirect(self, url: str, fragment: str | None, how: str) -> Target | None:
        """A URL the host redirects (``_redirects``, ``netlify.toml``,
        ``vercel.json``): it works, through the redirect; a warning says so.
        A rewrite (a proxy to another address) is content from elsewhere."""
        for redirect in getattr(self, "redirects", ()):
            if not redirect.matches(url):
                continue
            destination = destination_of(redirect, url)
            if is_external(destination):
                note = f"{self.name}: {how}, {redirect.by} sends `{url}` to `{destination}`"
                if redirect.rewrite:
                    return Target(Status.SKIPPED, fragment=fragment, url=url, note=note)
                return Target(Status.EXTERNAL, url=url, note=note)
            parts = split_url(destination)
            found = self.lookup_url(parts.path or "/")
            if found is None:
                return None
            route, matched, _ = found
            target = self.route_target(route, matched, fragment if fragment is not None else (parts.fragment or None), f"{self.name}: {how}, {redirect.by} redirects `{url}` to `{destination}`")
            if redirect.rewrite:
                return target
            return _with_warning(target, f"`{url}` is only a redirect of {redirect.by} to `{destination}`; link to the page itself")
        return None

    def route_target(
        self, route: Route, url: str, fragment: str | None, note: str, warning: str = "", written: str | None = None
    ) -> Target:
        """The target a route stands for; ``written`` is the URL as the link
        has it, when the route matched another form of it."""
        if route.kind == Kind.DRAFT:
            return Target(Status.DRAFT, path=route.path, fragment=fragment, url=url, note=note, warning=warning)
        if route.kind == Kind.ALIAS:
            page = self.info.get(route.path or "")
            where = f" `{page.url}`" if page else ""
            warning = warning or f"`{written or url}` is only a redirect (alias) to{where}; link to the page itself"
            return Target(Status.PAGE, path=route.path, fragment=fragment, url=url, note=note, warning=warning)
        if route.kind == Kind.PAGE and route.path in self.pages:
            return Target(Status.PAGE, path=route.path, fragment=fragment, url=url, note=note, warning=warning)
        # Generated pages and files: they exist, but have no headings to check.
        return Target(Status.ASSET, path=route.path, fragment=fragment, url=url, note=note, warning=warning)

    def resolve_relative(self, source: str, info: PageInfo, path: str, fragment: str | None) -> Target:
        """A relative link: by default joined to the page's URL, as a browser does;
        then, for generators that rewrite links to source files, to the file."""
        url = join_url(info.url, path)
        found = self.resolve_site_url(url, fragment, f"relative to the page's URL `{info.url}`")
        if found.status != Status.MISSING:
            return found
        by_file = self.resolve_file_link(source, path, fragment)
        if by_file is not None:
            return by_file
        return found

    def resolve_file_link(self, source: str, path: str, fragment: str | None) -> Target | None:
        """A link written as a path to a source file, relative to the page's file.
        By default generators do not rewrite such links: when the file exists the
        link works only if something (a render hook, a plugin) rewrites it."""
        target = self.lookup_source_file(posixpath.join(posixpath.dirname(source), path), fragment)
        if target is None:
            return None
        return _with_warning(target, self.file_link_warning(path))

    def file_link_warning(self, path: str) -> str:
        return f"`{path}` names a source file; {self.name} publishes it under another URL, so the link works only if a render hook or plugin rewrites it"

    def lookup_source_file(self, joined: str, fragment: str | None, note: str = "") -> Target | None:
        """A repository path (relative to the root) as a page, draft or file."""
        norm = posixpath.normpath(joined) if joined else "."
        if norm.startswith("../") or norm == "..":
            return Target(Status.OUTSIDE, fragment=fragment, url=joined, note="leaves the repository")
        if norm == ".":
            norm = ""
        note = note or f"{self.name}: the source file, relative to the page's file"
        for candidate in self.file_candidates(norm, joined.endswith("/")):
            info = self.info.get(candidate)
            if info is not None:
                status = Status.DRAFT if info.draft else Status.PAGE
                return Target(status, path=candidate, fragment=fragment, url=info.url, note=f"{note}: `{candidate}` (URL `{info.url}`)")
            if candidate in self.inventory.files and not is_markdown(candidate):
                return Target(Status.ASSET, path=candidate, fragment=fragment, url=joined, note=f"{note}: `{candidate}`")
        return None

    def file_candidates(self, norm: str, trailing: bool) -> list[str]:
        """Files a source path may name: itself (not with a trailing slash), and a
        folder's index pages."""
        out = [] if trailing else [norm]
        if norm == "" or norm in self.inventory.dirs:
            out += [posixpath.join(norm, n) if norm else n for n in self.index_names]
        return out

    def external_target(self, url: str, fragment: str | None) -> Target | None:
        """Links into content mounted from outside the repository (a Git submodule,
        a module import) cannot be checked: they are skipped, never reported."""
        for prefix in self.external_prefixes:
            if url == prefix.rstrip("/") or url.startswith(prefix):
                return Target(Status.SKIPPED, fragment=fragment, url=url, note=f"{self.name}: `{url}` is content mounted from outside the repository")
        return None

    def guess_file(self, url: str) -> str | None:
        """The source file a missing URL most likely meant (for suggestions)."""
        rel = url.strip("/")
        if rel.endswith(".html"):
            rel = rel[: -len(".html")]
        if not rel:
            return None
        return posixpath.join(self.content_root, rel + ".md") if self.content_root else rel + ".md"

    def explain(self, source: str, destination: str) -> Target:
        return self.resolve(source, destination)


def template_blocks(text: str, tags: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The (start, end, tag) of each ``{% tag … %}…{% endtag %}`` block of
    ``text``; ``{% set x = 1 %}`` is a statement, not a block."""
    blocks = []
    for tag in tags:
        opening = re.compile(r"\{%-?\s*" + tag + r"\b(?:(?!%\}|=).)*-?%\}", re.S)
        closing = re.compile(r"\{%-?\s*end" + tag + r"\s*-?%\}")
        position = 0
        while (start := opening.search(text, position)) is not None:
            end = closing.search(text, start.end())
            stop = end.end() if end is not None else len(text)
            blocks.append((start.start(), stop, tag))
            position = stop
    return blocks


def _with_note(target: Target, note: str) -> Target:
    return target._replace(note=note)


def _with_warning(target: Target, warning: str) -> Target:
    if target.status not in (Status.PAGE, Status.ASSET, Status.DRAFT) or target.warning:
        return target
    return target._replace(warning=warning)


def with_warning(target: Target, warning: str) -> Target:
    return _with_warning(target, warning)


def with_note(target: Target, note: str) -> Target:
    return _with_note(target, note)


_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[-_ ]?(.*)$")


def date_prefix(name: str) -> tuple[tuple[str, str, str] | None, str]:
    """``2024-01-31-title`` → (('2024', '01', '31'), 'title')."""
    match = _DATE_PREFIX.match(name)
    if not match:
        return None, name
    return (match.group(1), match.group(2), match.group(3)), match.group(4)
