"""What every generator profile shares: link classification and path lookup."""

from __future__ import annotations

import posixpath
import re
from operator import methodcaller
from typing import TYPE_CHECKING, Mapping, NamedTuple
from urllib.parse import SplitResult, unquote, urlsplit

from linklint.filenames import split_extension

if TYPE_CHECKING:
    from linklint.config import Config
    from linklint.discover import Inventory
    from linklint.model import Document, Link
    from linklint.slugs import FragmentIds


def any_under(files: set[str], folder: str) -> bool:
    """Whether any of ``files`` is in ``folder`` (ending in ``/``) or below:
    one C-level pass, as generator detection asks it of every file of the
    repository for each folder that may hold a site."""
    return any(map(methodcaller("startswith", folder), files))


class Status:
    PAGE = "page"  # a Markdown page of the site
    ASSET = "asset"  # any other file or folder of the repository
    EXTERNAL = "external"  # another host, another scheme
    MISSING = "missing"  # internal, but nothing is there
    OUTSIDE = "outside"  # leaves the repository: reported, never read
    EMPTY = "empty"  # `[text]()`
    SKIPPED = "skipped"  # template syntax and the like: cannot be judged statically
    DRAFT = "draft"  # a page that exists but is not published (draft, future, unlisted)


class Target(NamedTuple):
    """Where one link leads. A named tuple: a site has one per link, and the
    stored site (``linklint.snapshot``) loads them by the ten thousand."""

    status: str
    path: str | None = None  # repository-relative POSIX path of the file it reaches
    fragment: str | None = None  # percent-decoded fragment, without '#'
    url: str | None = None  # the internal path that was looked up
    note: str = ""  # how it was resolved, for --explain-links and messages
    # Set when the link works on the live site only by luck: a path that matches
    # only when case is ignored, a page reached only through a redirect (alias),
    # a `.md` link that needs a render hook. Says why; LL003 reports it as a warning.
    warning: str = ""

    @property
    def internal(self) -> bool:
        return self.status in (Status.PAGE, Status.ASSET, Status.MISSING, Status.OUTSIDE, Status.DRAFT)


# GitHub's issue and pull request templates: their text becomes an issue or a
# pull request, where `/owner/repo/blob/main/x.md` is a path on github.com.
_GITHUB_TEMPLATE = re.compile(
    r"^(?:\.github/|docs/)?(?:pull_request_template|issue_template)(?:\.md|/[^/]+\.md)$", re.IGNORECASE
)
# Template tags, and a destination that is a JSX expression (MDX's
# `<a href={url}>`): what they stand for is known only when the site is built.
_TEMPLATE = re.compile(r"\{\{|\{%|%\}|\}\}|^\{[^{}]*\}$")
# Schemes that never point into the site.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# `github.com/x/y` or `www.example.com`: a URL whose scheme was forgotten, which a
# browser treats as a relative path.
_BARE_HOST = re.compile(r"^(www\.|[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|dev|app|co)/)", re.I)


def looks_like_missing_scheme(destination: str) -> bool:
    return bool(_BARE_HOST.match(destination))


# What ``urlsplit`` removes from a URL (tabs and line breaks anywhere, control
# characters and spaces at the start): a destination with none of them, no
# ``:`` and no leading ``//`` it only cuts at ``#`` and ``?``.
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_URLSPLIT_REMOVES = frozenset(_C0_OR_SPACE)


def split_url(dest: str) -> SplitResult:
    """``urlsplit(dest)``, without its cost for the destinations most links
    have: no ``:`` (so no scheme), no leading ``//`` (so no host) and none of
    the characters it removes. For those it splits at the first ``#`` and then
    the first ``?``, which is all ``urlsplit`` does with them. A host with an
    unbalanced IPv6 bracket (``http://[oops/x``), which ``urlsplit`` refuses
    with ValueError, is kept as written (``_split_by_hand``): one such link
    must not stop the run."""
    if ":" in dest or dest.startswith("//") or not _URLSPLIT_REMOVES.isdisjoint(dest):
        try:
            return urlsplit(dest)
        except ValueError:
            return _split_by_hand(dest)
    path, _, fragment = dest.partition("#")
    path, _, query = path.partition("?")
    return SplitResult("", "", path, query, fragment)


def _split_by_hand(dest: str) -> SplitResult:
    """``urlsplit``'s parts of a URL it refuses: the scheme (lower case)
    before the first ``:``, the host after ``//`` up to the first ``/``,
    ``?`` or ``#``, then the path, query and fragment."""
    # What urlsplit does first: control characters and spaces at the start
    # go, and tabs and line breaks anywhere.
    dest = dest.lstrip(_C0_OR_SPACE).replace("\t", "").replace("\r", "").replace("\n", "")
    scheme, rest = "", dest
    found = _SCHEME.match(dest)
    if found is not None:
        scheme, rest = dest[: found.end() - 1].lower(), dest[found.end() :]
    netloc = ""
    if rest.startswith("//"):
        ends = [at for at in (rest.find(mark, 2) for mark in "/?#") if at >= 0]
        end = min(ends, default=len(rest))
        netloc, rest = rest[2:end], rest[end:]
    rest, _, fragment = rest.partition("#")
    path, _, query = rest.partition("?")
    return SplitResult(scheme, netloc, path, query, fragment)


# A footnote's definition: `[^label]:` at the start of a line.
_FOOTNOTE = re.compile(r"^[ ]{0,3}\[\^([^\]\s]+)\]:", re.M)


# The parts of an attribute list (Python-Markdown's attr_list, kramdown's
# IAL) as their scanners read them: `key="v"`, `key='v'`, `key=v`, a word
# (`#id`, `.class`).
_ATTR_PARTS = re.compile(r"""([^ =}]+)="(.*?)"|([^ =}]+)='(.*?)'|([^ =}]+)=([^ =}]+)|([^ =}]+)""")


def attribute_list_id(attributes: str) -> str | None:
    """The id an attribute list gives (``#id`` or ``id=…``; the last one
    wins, as each sets the element's ``id`` in turn), or None."""
    found = None
    for part in _ATTR_PARTS.finditer(attributes):
        key, value = next(((part.group(i), part.group(i + 1)) for i in (1, 3, 5) if part.group(i)), (None, part.group(7)))
        if key == "id":
            found = value
        elif key is None and value.startswith("#") and len(value) > 1:
            found = value[1:]
    return found


def headings_with_attribute_lists(doc, pattern: re.Pattern[str]) -> tuple[list[str], list[str | None]]:
    """The page's heading texts with an attribute list at their end
    (``pattern``, the list in its first group) taken off, and each heading's
    id from it, else its explicit id (markdown-it-attrs, in whatever
    delimiters the site sets)."""
    texts: list[str] = []
    explicit: list[str | None] = []
    for heading in doc.headings:
        listed = pattern.search(heading.text) if heading.explicit_id is None else None
        texts.append(heading.text[: listed.start()] if listed else heading.text)
        explicit.append(attribute_list_id(listed.group(1)) if listed else heading.explicit_id)
    return texts, explicit


def footnote_ids(text: str) -> set[str]:
    """``fn:label`` and ``fnref:label`` for each footnote defined in ``text``:
    the ids kramdown and Python-Markdown's footnotes give a footnote and the
    first reference to it."""
    if "[^" not in text:
        return set()
    return {f"{kind}:{label}" for label in _FOOTNOTE.findall(text) for kind in ("fn", "fnref")}


class Profile:
    """The plain Git repository behaviour; generators override what differs."""

    name = "plain"
    # A generator's profile (``GeneratorProfile``): a site with a URL table,
    # in a folder of its own. Asked of the class without importing that
    # module, which a plain repository never needs.
    is_generator = False
    # Whether resolving a link may read pages' front matter (URLs a page sets
    # for itself). A profile that never does resolves each page's links as
    # soon as the page is parsed, while other pages are still being parsed.
    links_need_documents = False
    slugger = "github"
    # Whether footnotes give ids (`fn:label`, `fnref:label`) that links may name.
    footnotes = False
    # Files that stand for their folder, in order of preference.
    index_names: tuple[str, ...] = ("README.md", "readme.md", "index.md", "README.markdown")

    def __init__(
        self,
        config: Config,
        inventory: Inventory,
        pages: set[str],
        documents: Mapping[str, Document] | None = None,
    ) -> None:
        self.config = config
        self.inventory = inventory
        self.pages = pages  # repository-relative paths of Markdown pages
        # The parsed pages, for profiles whose URLs depend on front matter.
        self.documents: Mapping[str, Document] = documents or {}
        content = config.content.strip("/")
        self.content_root = "" if content in ("", ".") else content
        base = urlsplit(config.base_url) if config.base_url else None
        self.base_host = base.hostname.lower() if base and base.hostname else None
        self.base_path = "/" + (base.path.strip("/") + "/" if base and base.path.strip("/") else "")
        self._url_index: dict[str, str] | None = None
        self._extensions: frozenset[str] | None = None

    def is_partial(self, path: str) -> bool:
        """Whether a Markdown file is a piece other pages include, no page
        of its own (no post, no link target); generators say which."""
        return False

    @classmethod
    def ignores(cls, path: str) -> bool:
        """Whether a Markdown file is no page of the site at all (templates,
        themes, build output): such files are not read."""
        return False

    # -- heading ids ---------------------------------------------------------

    def heading_ids(self, doc: Document) -> list[str]:
        """The id of each heading of ``doc``, in order, as the renderer makes them."""
        from linklint.slugs import heading_ids

        return heading_ids(
            [h.text for h in doc.headings], [h.explicit_id for h in doc.headings], algorithm=self.slugger
        )

    def version_of(self, path: str) -> tuple[str, str] | None:
        """The version of the docs a page belongs to and its path within the
        version, for a generator that keeps versions in folders of its own
        (Docusaurus); None where the folders' names tell it, or nothing does."""
        return None

    def keeps_versions(self) -> bool:
        """Whether ``version_of`` may name a version for some page."""
        return False

    def built(self, source: str) -> bool:
        """Whether a build step makes the site the page is part of (so its
        links may lead to what the build writes): not for a repository read
        on GitHub."""
        return False

    def fragment_ids(self, doc: Document) -> FragmentIds:
        """Every fragment that lands somewhere in ``doc``: heading ids, explicit
        ids and HTML ``id``/``name`` anchors."""
        from linklint.slugs import FragmentIds

        ids = set(self.heading_ids(doc))
        ids.update(a.id for a in doc.html_anchors)
        if self.footnotes:
            ids |= footnote_ids(doc.text)
        return FragmentIds(ids)

    # -- URLs -------------------------------------------------------------

    @classmethod
    def url_inputs(cls, doc: Document) -> tuple:
        """What the profile reads of a page to build the site's URLs (its own
        and, through aliases and drafts, where other pages' links lead): a
        stored link target stays valid while this is unchanged on every page
        (``linklint.snapshot``). A plain repository reads nothing of a page;
        generators read its front matter (``GeneratorProfile``)."""
        return ()

    def content_relative(self, path: str) -> str:
        if self.content_root and path.startswith(self.content_root + "/"):
            return path[len(self.content_root) + 1 :]
        return path

    def page_urls(self, path: str) -> list[str]:
        """Site URL paths (relative to the base URL, starting with '/') of a page.

        A plain repository has no build step; the URLs are the ones a static host
        would serve if each ``x.md`` were rendered to ``x/`` (``README.md`` and
        ``index.md`` to their folder), plus the raw file path itself."""
        rel = self.content_relative(path)
        stem, _ = posixpath.splitext(rel)
        folder, name = posixpath.split(stem)
        urls = ["/" + rel]
        if posixpath.basename(rel) in self.index_names:
            urls.append("/" + (folder + "/" if folder else ""))
        else:
            urls += ["/" + stem + "/", "/" + stem, "/" + stem + ".html"]
        return urls

    def url_index(self) -> dict[str, str]:
        """Each URL some page is served at (``page_urls``), and the page: the
        first in path order of those served there."""
        if self._url_index is None:
            index: dict[str, str] = {}
            for page in sorted(self.pages):
                for url in self.page_urls(page):
                    index.setdefault(url, page)
            self._url_index = index
        return self._url_index

    def page_at_url(self, url: str) -> str | None:
        """``url_index().get(url)``, worked out for the one URL: a page served
        there is named by the URL (its path, its path without extension, its
        folder's), so the pages that can be are few and known. A run on one
        post with a broken root-relative link built the whole index for it,
        0.12 s at 50,000 pages. A profile that serves pages elsewhere
        (``page_urls``) looks them up in its own ``url_index``."""
        if self._url_index is not None:
            return self._url_index.get(url)
        rel = url[1:]
        stems = [rel]
        named: list[str] = [rel]
        if rel.endswith("/") or not rel:
            stems.append(rel[:-1])
            named += [rel + name for name in self.index_names]
        if rel.endswith(".html"):
            stems.append(rel[:-5])
        named += [stem + extension for stem in stems for extension in self._page_extensions()]
        if self.content_root:
            named += [f"{self.content_root}/{each}" for each in named]
        served = [page for page in set(named) if page in self.pages and url in self.page_urls(page)]
        return min(served) if served else None

    def _page_extensions(self) -> frozenset[str]:
        """The extensions of the pages (``posixpath.splitext``; '' for none)."""
        if self._extensions is None:
            self._extensions = frozenset(split_extension(page.rpartition("/")[2])[1] for page in self.pages)
        return self._extensions

    # -- resolution --------------------------------------------------------

    def unrendered(self, source: str, link: Link) -> Target | None:
        """A target for a link that the renderer does not output as a link,
        judged by its place in the page; None for every other link. GitHub
        renders every link it parses."""
        return None

    def memo_key(self, source: str, destination: str) -> tuple[str, str] | None:
        """A key under which ``resolve(source, destination)`` may be shared with
        other pages, or None. Here links resolve from the page's folder, so pages
        of one folder share; a fragment- or query-only link names its own page."""
        if destination[:1] in ("#", "?", ""):
            return None
        if destination[:1] == "/" and _GITHUB_TEMPLATE.search(source):
            return None  # resolved as github.com paths, unlike its folder's pages
        return (source.rpartition("/")[0], destination)

    def resolve(self, source: str, destination: str) -> Target:
        """Resolve a destination written in the page ``source``."""
        dest = destination.strip()
        if not dest:
            return Target(Status.EMPTY, note="empty destination")
        if _TEMPLATE.search(dest):
            return Target(Status.SKIPPED, note="template syntax")
        scheme = _SCHEME.match(dest)
        if scheme is not None and self.base_host is None:
            # A URL with a scheme, and the site has no host of its own: external,
            # whatever the rest (most links of many sites; ``urlsplit`` takes the
            # same scheme: the text before the first `:`, in lower case).
            return Target(Status.EXTERNAL, note=f"{dest[: scheme.end() - 1].lower()} URL")
        parts = split_url(dest)
        fragment = unquote(parts.fragment) if "#" in dest else None
        if parts.scheme and scheme is not None:
            if parts.scheme.lower() in ("http", "https") and self._own_host(parts.hostname):
                return self._resolve_site_url(parts.path or "/", fragment, dest)
            return Target(Status.EXTERNAL, note=f"{parts.scheme} URL")
        if dest.startswith("//"):
            if self._own_host(parts.hostname):
                return self._resolve_site_url(parts.path or "/", fragment, dest)
            return Target(Status.EXTERNAL, note="protocol-relative URL")
        path = unquote(parts.path)
        if not path:
            # `#heading` or `?query`: the page itself.
            return Target(Status.PAGE, path=source, fragment=fragment, url=None, note="same page")
        if path.startswith("/"):
            if _GITHUB_TEMPLATE.search(source):
                return Target(Status.EXTERNAL, note="a path on github.com: GitHub shows an issue or pull request template there")
            return self._resolve_root_relative(path, fragment)
        return self._resolve_relative(source, path, fragment)

    def _own_host(self, host: str | None) -> bool:
        return bool(host and self.base_host and host.lower() == self.base_host)

    def _resolve_site_url(self, url_path: str, fragment: str | None, dest: str) -> Target:
        path = unquote(url_path)
        if not path.startswith(self.base_path) and path + "/" != self.base_path:
            return Target(Status.EXTERNAL, note="own host, outside the base URL's path")
        return self._resolve_root_relative("/" + path[len(self.base_path) :], fragment)

    def _resolve_root_relative(self, path: str, fragment: str | None) -> Target:
        joined = posixpath.join(self.content_root, path.lstrip("/")) if self.content_root else path.lstrip("/")
        target = self._lookup_file(joined, fragment, note=f"root-relative, against content root '{self.content_root or '.'}'")
        if target.status != Status.MISSING:
            return target
        page = self.page_at_url(path)
        if page is None and not path.endswith("/"):
            page = self.page_at_url(path + "/")
        if page is not None:
            return Target(Status.PAGE, path=page, fragment=fragment, url=path, note="site URL")
        return target

    def _resolve_relative(self, source: str, path: str, fragment: str | None) -> Target:
        folder = posixpath.dirname(source)
        return self._lookup_file(posixpath.join(folder, path), fragment, note="relative to the page's folder")

    def _lookup_file(self, joined: str, fragment: str | None, note: str) -> Target:
        trailing = joined.endswith("/")
        norm = posixpath.normpath(joined)
        if norm == ".." or norm.startswith("../") or norm.startswith("/"):
            return Target(Status.OUTSIDE, path=None, fragment=fragment, url=joined, note="leaves the repository")
        if norm == ".":
            norm = ""
        inv = self.inventory
        if norm in inv.files and not trailing:
            status = Status.PAGE if norm in self.pages else Status.ASSET
            return Target(status, path=norm, fragment=fragment, url=joined, note=note)
        if norm == "" or norm in inv.dirs:
            for name in self.index_names:
                candidate = f"{norm}/{name}" if norm else name
                if candidate in self.pages:
                    return Target(Status.PAGE, path=candidate, fragment=fragment, url=joined, note=note + ", folder index")
            return Target(Status.ASSET, path=norm or ".", fragment=fragment, url=joined, note=note + ", folder")
        return Target(Status.MISSING, path=norm, fragment=fragment, url=joined, note=note)
