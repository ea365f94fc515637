"""The site model: every page, where each link leads, and the link graph."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Iterator, Mapping

from linklint.model import Document, Link
from linklint.sites import Profile, Status, Target
from linklint.terms import page_title

if TYPE_CHECKING:
    from linklint.config import Config
    from linklint.discover import Inventory


def is_draft(doc: Document) -> bool:
    """Drafts by the conventions of the common generators: ``draft: true``
    (Hugo, Zola, Eleventy, Astro) or ``published: false`` (Jekyll)."""
    fm = doc.front_matter
    return fm.get("draft") is True or fm.get("published") is False


@dataclass(frozen=True, slots=True)
class Edge:
    """A link from one page to a page of the site."""

    source: str
    link: Link
    target: Target


class Site:
    def __init__(
        self,
        config: Config,
        inventory: Inventory,
        documents: dict[str, Document],
        profile: Profile,
        known_targets: Mapping[str, tuple[Target, ...]] | None = None,
    ) -> None:
        """``known_targets``: where the links of some pages lead, known from
        an earlier run when nothing they depend on changed (``linklint.snapshot``)."""
        self.config = config
        self.inventory = inventory
        self.documents = documents
        self.profile = profile
        self._memo: dict[tuple[str, str], Target] = {}
        known = known_targets or {}
        self.targets_known = len(known)  # pages whose targets came from an earlier run
        self.targets: dict[str, tuple[Target, ...]] = {
            path: known[path] if path in known else tuple(self._resolve_link(path, link) for link in doc.links)
            for path, doc in documents.items()
        }
        self._ids: dict[str, frozenset[str]] = {}

    def _resolve_link(self, path: str, link: Link) -> Target:
        """A link the generator does not render as one (inside a template's
        capture or code block) is the profile's to judge by where it is."""
        unrendered = self.profile.unrendered(path, link)
        return unrendered if unrendered is not None else self._resolve(path, link.destination)

    def _resolve(self, path: str, destination: str) -> Target:
        """Resolve, sharing results between pages the profile says resolve alike
        (for most profiles: pages in one folder, which link to the same pages
        over and over)."""
        key = self.profile.memo_key(path, destination)
        if key is None:
            return self.profile.resolve(path, destination)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self.profile.resolve(path, destination)
        return found

    # -- pages --------------------------------------------------------------

    def content_path(self, path: str) -> str:
        return self.profile.content_relative(path)

    def is_draft(self, path: str) -> bool:
        return is_draft(self.documents[path])

    def is_landing_page(self, path: str) -> bool:
        return self.config.is_landing_page(self.content_path(path))

    def is_post(self, path: str) -> bool:
        return self.config.is_post(self.content_path(path))

    def is_home(self, path: str) -> bool:
        """The site's front page: an index file at the content root."""
        return self.content_path(path) in self.profile.index_names

    @cached_property
    def landing_pages(self) -> tuple[str, ...]:
        return tuple(sorted(p for p in self.documents if self.is_landing_page(p)))

    def title(self, path: str) -> str:
        return page_title(self.documents[path])

    # -- links ----------------------------------------------------------------

    def links(self, path: str) -> Iterator[tuple[Link, Target]]:
        return zip(self.documents[path].links, self.targets[path])

    def page_links(self, path: str) -> Iterator[tuple[Link, Target]]:
        """Links from ``path`` to other pages of the site (not itself)."""
        for link, target in self.links(path):
            if target.status == Status.PAGE and target.path != path:
                yield link, target

    def outbound_pages(self, path: str) -> set[str]:
        return {t.path for _, t in self.page_links(path) if t.path}

    @cached_property
    def inbound(self) -> Inbound:
        """Links into each page from the other published (non-draft) pages."""
        return Inbound(self)

    # -- anchors ---------------------------------------------------------------

    def ids(self, path: str) -> frozenset[str]:
        """Every fragment that lands somewhere in the page: heading ids under the
        profile's slug algorithm, explicit ids and HTML ``id``/``name`` anchors."""
        cached = self._ids.get(path)
        if cached is None:
            # The profile knows its renderer: which text it slugs, how it numbers
            # repeats, and ids it can only know in part (a frozenset whose `in`
            # also tries patterns).
            cached = self._ids[path] = self.profile.fragment_ids(self.documents[path])
        return cached

    def heading_id_list(self, path: str) -> list[str]:
        return self.profile.heading_ids(self.documents[path])


class Inbound(Mapping[str, "list[Edge]"]):
    """Links into each page from the other published (non-draft) pages, in
    the order of the sources' paths and of the links in each source.

    Built page by page as rules ask: a run on a few paths asks for a few
    pages, and making an ``Edge`` for every link of a big site costs more than
    the rest of such a run. After ``_ALL_AFTER`` pages it builds all at once,
    which is cheaper than page by page."""

    _ALL_AFTER = 256

    def __init__(self, site: Site) -> None:
        self.site = site
        self._all: dict[str, list[Edge]] | None = None
        self._some: dict[str, list[Edge]] = {}
        self._sources: dict[str, list[str]] | None = None  # page -> pages linking to it

    def __getitem__(self, path: str) -> list[Edge]:
        if self._all is None:
            found = self._some.get(path)
            if found is None and len(self._some) < self._ALL_AFTER:
                found = self._some[path] = self._edges_into(path)
            if found is not None:
                if not found:
                    raise KeyError(path)  # as in the complete map: no entry
                return found
            self.complete()
        return self._all[path]  # type: ignore[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.complete())

    def __len__(self) -> int:
        return len(self.complete())

    def complete(self) -> dict[str, list[Edge]]:
        """Every page's inbound links, built in one pass."""
        if self._all is None:
            edges: dict[str, list[Edge]] = defaultdict(list)
            site = self.site
            for source in sorted(site.documents):
                if site.is_draft(source):
                    continue
                for link, target in site.page_links(source):
                    edges[target.path].append(Edge(source, link, target))  # type: ignore[index]
            self._all = dict(edges)
        return self._all

    def _edges_into(self, path: str) -> list[Edge]:
        if self._sources is None:
            # Which pages link where, from the resolved targets alone: cheap,
            # and it narrows each page's search to the pages that link to it.
            sources: dict[str, list[str]] = defaultdict(list)
            site = self.site
            for source in sorted(site.documents):
                seen = None
                for target in site.targets[source]:
                    if target.status == Status.PAGE and target.path != source and target.path != seen:
                        sources[target.path].append(source)  # type: ignore[index]
                        seen = target.path
            self._sources = sources
        found = []
        for source in dict.fromkeys(self._sources.get(path, ())):
            if self.site.is_draft(source):
                continue
            for link, target in self.site.page_links(source):
                if target.path == path:
                    found.append(Edge(source, link, target))
        return found
