"""The site model: every page, where each link leads, and the link graph."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Iterator, Mapping, NamedTuple, Optional, Sequence, Tuple

from linklint.model import Document, Link
from linklint.sites import Profile, Status, Target
from linklint.terms import page_title

if TYPE_CHECKING:
    from linklint.config import Config
    from linklint.discover import Inventory
    from linklint.gitignore import GitIgnore
    from linklint.snapshot import Linkers


def is_draft(doc: Document) -> bool:
    """Drafts by the conventions of the common generators: ``draft: true``
    (Hugo, Zola, Eleventy, Astro) or ``published: false`` (Jekyll)."""
    fm = doc.front_matter
    return fm.get("draft") is True or fm.get("published") is False


def _leads_elsewhere(target: Target, source: str) -> bool:
    """Whether a link of ``source`` leads to another page of the site."""
    return target.status == Status.PAGE and target.path != source


_new = tuple.__new__


def _elsewhere(path: str, targets: Iterable[tuple[int, Target]]) -> tuple[tuple[int, str], ...]:
    """(place, page) of each of ``path``'s links, given as (place, ``Target``),
    that leads to another page of the site."""
    return tuple((index, target.path) for index, target in targets if _leads_elsewhere(target, path))  # type: ignore[misc]


def _link_edges(source: str, links: Sequence[Link], page_targets: Iterable[tuple[int, str]]) -> Iterator[tuple[str, Edge]]:
    """(target page, edge) for each of ``page_targets`` of the page ``source``.
    Edges are made with tuple.__new__ (in C): an ``Edge(...)`` call goes
    through Python, and a big site has hundreds of thousands of edges."""
    for index, target in page_targets:
        link = links[index]
        yield target, _new(Edge, (source, index, link.text, link.image))


class Edge(NamedTuple):
    """A link from one page to another page of the site: the page it is in,
    its place among that page's links, its anchor text and whether it is an
    image. ``Site.link_of`` gives the ``Link`` itself."""

    source: str
    index: int
    text: str
    image: bool


class StoredLinks(NamedTuple):
    """A stored page's links (``linklint.snapshot``): each as (destination or
    None, text, image?), and (place, target page) for those that lead to
    another page. A ``StoredDocument`` has the same two attributes, read from
    the stored site when first asked for: the site takes either."""

    link_facts: Tuple[Tuple[Optional[str], str, bool], ...]
    page_targets: Tuple[Tuple[int, str], ...]


class LinkResolver:
    """Where the links of pages lead, by the site's profile, sharing results
    between pages the profile says resolve alike (for most profiles: pages
    in one folder, which link to the same pages over and over)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._memo: dict[tuple[str, str], Target] = {}
        self._gitignore: GitIgnore | None = None

    def page(self, doc: Document) -> tuple[Target, ...]:
        """A ``Target`` for each link of the page, in order."""
        return tuple(self.link(doc.path, link) for link in doc.links)

    def link(self, path: str, link: Link) -> Target:
        """A link the generator does not render as one (inside a template's
        capture or code block) is the profile's to judge by where it is."""
        unrendered = self.profile.unrendered(path, link)
        return unrendered if unrendered is not None else self.destination(path, link.destination)

    def destination(self, path: str, destination: str) -> Target:
        key = self.profile.memo_key(path, destination)
        if key is None:
            return self._unless_ignored(path, self.profile.resolve(path, destination))
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._unless_ignored(path, self.profile.resolve(path, destination))
        return found

    def _unless_ignored(self, source: str, target: Target) -> Target:
        """A missing file the repository's ``.gitignore`` names is build
        output (``linklint.gitignore``), in a page a generator builds: not
        judged. (On GitHub, where no build runs, the link is broken.)"""
        if target.status != Status.MISSING or not target.path or not self.profile.built(source):
            return target
        if self._gitignore is None:
            from linklint.gitignore import GitIgnore

            inventory = self.profile.inventory
            self._gitignore = GitIgnore.of(inventory.root, inventory.files)
        if not self._gitignore.ignores(target.path):
            return target
        return Target(
            Status.SKIPPED, fragment=target.fragment, url=target.url,
            note=f"`{target.path}` is not in the repository, and its .gitignore names it: made by a build step",
        )


class Site:
    def __init__(
        self,
        config: Config,
        inventory: Inventory,
        documents: dict[str, Document],
        profile: Profile,
        stored_links: Mapping[str, StoredLinks] | None = None,
        retarget: bool | Collection[str] = False,
        resolver: LinkResolver | None = None,
        resolved: Mapping[str, tuple[Target, ...]] | None = None,
        inbound: Mapping[str, list[Edge]] | None = None,
        ids: Mapping[str, frozenset[str]] | None = None,
        linkers: Linkers | None = None,
    ) -> None:
        """``stored_links``: the links of pages this run did not read, as an
        earlier run stored them (``linklint.snapshot``): each link as written
        and which lead to other pages. With ``retarget`` the files or URLs
        may have changed since, and the stored destinations are resolved
        again: of every stored page (True) or of the pages given. Where those
        pages' links lead in full (``targets``) is worked out only when asked
        for. ``resolved``: where the links of pages lead, worked out while they
        were loaded by ``resolver`` (which the site goes on using);
        ``inbound``: the links into each page gathered then too
        (``InboundEdges``); ``ids``: the fragments of some pages worked out
        then by the same profile (``ids``); ``linkers``: which pages linked
        to each page when the stored links were stored."""
        self.config = config
        self.inventory = inventory
        self.documents = documents
        self.profile = profile
        self.resolver = resolver or LinkResolver(profile)
        self.stored_links: dict[str, StoredLinks] = dict(stored_links or {})
        again = self.stored_links.keys() if retarget is True else [p for p in retarget or () if p in self.stored_links]
        self.retargeted = frozenset(again)  # pages whose stored destinations were resolved anew
        # Of use while most stored links lead where they led.
        self.linkers = linkers if self.stored_links and retarget is not True else None
        for path in list(again):
            facts = self.stored_links[path].link_facts
            self.stored_links[path] = StoredLinks(facts, self._page_targets(path, facts))
        self.targets = _Targets(self)
        resolved = resolved or {}
        for path in documents:
            if path not in self.stored_links:
                found = resolved.get(path)
                self.targets[path] = found if found is not None else self._resolve_page(path)
        self._ids: dict[str, frozenset[str]] = dict(ids or {})
        self._heading_ids: dict[str, list[str]] = {}
        self._ids_under: dict[tuple[str, str], list[str]] = {}
        self._inbound_edges = inbound

    def link_of(self, edge: Edge) -> Link:
        return self.documents[edge.source].links[edge.index]

    def _page_targets(self, path: str, facts: tuple[tuple[str | None, str, bool], ...]) -> tuple[tuple[int, str], ...]:
        """Which stored links of ``path`` lead to another page, resolved now.
        A link stored without destination is not rendered where it stands."""
        return _elsewhere(path, ((index, self._resolve(path, destination)) for index, (destination, _, _) in enumerate(facts) if destination is not None))

    def page_targets(self, path: str) -> tuple[tuple[int, str], ...]:
        """(place among the page's links, page) for each link of ``path`` to
        another page of the site."""
        stored = self.stored_links.get(path)
        if stored is not None:
            return stored.page_targets
        return _elsewhere(path, enumerate(self.targets[path]))

    def edges_from(self, source: str) -> Iterator[tuple[str, Edge]]:
        """(target page, edge) for each link of ``source`` to another page."""
        # Edges made with tuple.__new__ (in C): an ``Edge(...)`` call goes
        # through Python, and a big site has hundreds of thousands of edges.
        stored = self.stored_links.get(source)
        if stored is not None:
            facts = stored.link_facts
            for index, target in stored.page_targets:
                _, text, image = facts[index]
                yield target, _new(Edge, (source, index, text, image))
            return
        yield from _link_edges(source, self.documents[source].links, self.page_targets(source))

    def edges_between(self, source: str, target: str) -> list[Edge]:
        """The edges of ``source``'s links to ``target``: ``edges_from``
        narrowed to one target, without making the edges of the others (the
        pages of a big site that link to its newsletter page link to seven
        other pages each)."""
        stored = self.stored_links.get(source)
        if stored is not None:
            facts = stored.link_facts
            return [_new(Edge, (source, index, *facts[index][1:])) for index, page in stored.page_targets if page == target]
        links = self.documents[source].links
        places = [index for index, page in self.page_targets(source) if page == target]
        return [_new(Edge, (source, index, links[index].text, links[index].image)) for index in places]

    def _resolve_page(self, path: str) -> tuple[Target, ...]:
        return self.resolver.page(self.documents[path])

    def _resolve(self, path: str, destination: str) -> Target:
        return self.resolver.destination(path, destination)

    # -- pages --------------------------------------------------------------

    def content_path(self, path: str) -> str:
        return self.profile.content_relative(path)

    def is_draft(self, path: str) -> bool:
        return is_draft(self.documents[path])

    def is_landing_page(self, path: str) -> bool:
        return self._landing_match(self.content_path(path))

    @cached_property
    def _landing_match(self) -> Callable[[str], bool]:
        """``Config.is_landing_page`` with the patterns looked up once: every
        page of the site is asked (``landing_pages``)."""
        from linklint.config import globs_matcher

        return globs_matcher(self.config.landing_pages)

    def is_post(self, path: str) -> bool:
        """A page matched by ``posts`` that is a page (not a partial other
        pages include)."""
        return self.config.is_post(self.content_path(path)) and not self.profile.is_partial(path)

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
            if _leads_elsewhere(target, path):
                yield link, target

    def outbound_pages(self, path: str) -> set[str]:
        return {t.path for _, t in self.page_links(path) if t.path}

    @cached_property
    def inbound(self) -> Inbound:
        """Links into each page from the other published (non-draft) pages."""
        return Inbound(self, self._inbound_edges)

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
        """The id of each heading of the page, in order, under the profile's
        slug algorithm (the last ``KEPT_HEADING_IDS`` pages' remembered)."""
        found = self._heading_ids.get(path)
        if found is None:
            found = _kept(self._heading_ids, path, self.profile.heading_ids(self.documents[path]))
        return list(found)

    def heading_ids_under(self, path: str, algorithm: str) -> list[str]:
        """The id of each heading of the page, in order, as slug algorithm
        ``algorithm`` makes them: a link written for another renderer is
        told by comparing its fragment with the ids of every algorithm (the
        last ``KEPT_HEADING_IDS`` remembered)."""
        from linklint.slugs import heading_ids

        key = (path, algorithm)
        found = self._ids_under.get(key)
        if found is None:
            headings = self.documents[path].headings
            found = _kept(self._ids_under, key, heading_ids([h.text for h in headings], [h.explicit_id for h in headings], algorithm=algorithm))
        return list(found)


# Heading-id lists a site keeps (``heading_id_list``, ``heading_ids_under``).
# On a real site broken anchors come many at a time into a few pages
# (kubernetes/community: 211 into 46 pages, each compared under 12
# algorithms); on a generated one one at a time into thousands, where keeping
# every list only costs memory (30 MB at 50,000 posts).
KEPT_HEADING_IDS = 1024


def _kept(memo: dict, key: object, value: list[str]) -> list[str]:
    """``value`` remembered under ``key``, the oldest entry let go when
    ``memo`` holds ``KEPT_HEADING_IDS``."""
    if len(memo) >= KEPT_HEADING_IDS:
        del memo[next(iter(memo))]
    memo[key] = value
    return value


class Inbound(Mapping[str, "list[Edge]"]):
    """Links into each page from the other published (non-draft) pages, in
    the order of the sources' paths and of the links in each source.

    Built page by page as rules ask: a run on a few paths asks for a few
    pages, and making an ``Edge`` for every link of a big site costs more than
    the rest of such a run. After ``_ALL_AFTER`` pages it builds all at once,
    which is cheaper than page by page."""

    _ALL_AFTER = 256

    def __init__(self, site: Site, complete: Mapping[str, list[Edge]] | None = None) -> None:
        self.site = site
        self._all: dict[str, list[Edge]] | None = dict(complete) if complete is not None else None
        self._some: dict[str, list[Edge]] = {}
        self._sources: dict[str, list[str]] | None = None  # page -> pages linking to it
        self._unstored: dict[str, list[str]] | None = None  # the same, of pages whose links are not as stored

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
                for target, edge in site.edges_from(source):
                    edges[target].append(edge)
            self._all = dict(edges)
        return self._all

    def _edges_into(self, path: str) -> list[Edge]:
        site = self.site
        found = []
        for source in self._linking_to(path):
            if site.is_draft(source):
                continue
            found.extend(site.edges_between(source, path))
        return found

    def _linking_to(self, path: str) -> Iterable[str]:
        """The pages with a link to ``path``, in the order of their paths."""
        site = self.site
        stored = site.linkers.linking_to(path) if site.linkers is not None else None
        if stored is not None:
            # The pages linking to it when the links were stored, but for the
            # pages whose links are not as stored now (read anew, or resolved
            # again): of those, the ones that link to it now.
            links, again = site.stored_links, site.retargeted
            if self._unstored is None:
                self._unstored = _linking(site, (source for source in site.documents if source not in links or source in again))
            return sorted({source for source in stored if source in links and source not in again}.union(self._unstored.get(path, ())))
        if self._sources is None:
            # Which pages link where, without making every edge: it narrows
            # each page's search to the pages that link to it. A source is
            # listed once per link, and made unique when a page asks: made
            # unique page by page, the lists of 50,000 pages took 85-100 ms
            # against 66-73 ms.
            self._sources = _linking(site, sorted(site.documents))
        return dict.fromkeys(self._sources.get(path, ()))


def _linking(site: Site, sources: Iterable[str]) -> dict[str, list[str]]:
    """Each page's linking pages among ``sources``: a source once per link,
    in the order of ``sources``."""
    found: dict[str, list[str]] = defaultdict(list)
    page_targets = site.page_targets
    for source in sources:
        for _, target in page_targets(source):
            found[target].append(source)
    return found


class InboundEdges:
    """The links into each page gathered page by page as pages are loaded, in
    any order: the map ``Inbound.complete`` makes in one pass over the whole
    site once it is loaded (0.2 s of a cold run's serial part at 10,000
    posts, 1.8 s at 50,000), made in the loading, which is shared out."""

    def __init__(self) -> None:
        self._into: dict[str, list[Edge]] = defaultdict(list)

    def add(self, doc: Document, targets: tuple[Target, ...]) -> None:
        """The links of ``doc`` (none of a draft), where ``targets`` says they lead."""
        if is_draft(doc):
            return
        into = self._into
        for target, edge in _link_edges(doc.path, doc.links, _elsewhere(doc.path, enumerate(targets))):
            into[target].append(edge)

    def complete(self) -> dict[str, list[Edge]]:
        """In ``Inbound.complete``'s order: each page's links by source path,
        then place in the source (a source and a place make one link); the
        pages in the order of their first link so sorted."""
        for edges in self._into.values():
            edges.sort()
        return dict(sorted(self._into.items(), key=_first_edge))


def _first_edge(item: tuple[str, list[Edge]]) -> Edge:
    return item[1][0]


class _Targets(dict):
    """Where each page's links lead (a ``Target`` per link, in order). For a
    page whose links the site has from an earlier run (``Site.stored_links``)
    they are worked out on first use."""

    def __init__(self, site: Site) -> None:
        super().__init__()
        self.site = site

    def __missing__(self, path: str) -> tuple[Target, ...]:
        if path not in self.site.documents:
            raise KeyError(path)
        found = self[path] = self.site._resolve_page(path)
        return found

    def get(self, path: str, default=None):  # type: ignore[override]
        try:
            return self[path]
        except KeyError:
            return default
