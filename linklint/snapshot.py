"""The stored site: what a run on a few paths needs of every other page.

A pre-commit run reports on the one or two posts being committed, but their
rules need the rest of the site: which files exist, which pages link where
(orphans, anchor-text variety count the links *into* a page), the titles and
headings of the pages they link to. Loading and resolving all of that anew is
most of such a run (seconds at 10,000 pages) although almost none of it
changed since the last run.

So every run that loaded the whole site stores a *snapshot* of it in the
cache (one entry per site and configuration, replaced by the next):

- each file's stamp (size, modification time, mode), as ``discover`` lists them;
- each page's *core*: its path, front matter (drafts, generator URLs), title
  and problems; each of its links as written (destination, anchor text,
  whether an image) and which of them lead to another page of the site, and
  to which (the inbound-link graph);
- what the generator profile read of each page to build URLs
  (``Profile.url_inputs``).

A later run on a few paths takes from it every page whose stamp is unchanged
and that it does not report on. Such a page is a ``StoredDocument``: the rest
of its parse (links, headings, text …) is read, from the parse cache or by
parsing the file, only when a rule asks for it — for a run on two posts, the
handful of pages they link to.

Where the stored links lead is used as stored only when nothing it depends on
changed: the same files as then (a new or removed file can make a link valid
or broken), every file that is no page unchanged (a generator's config, data
files, templates), the same ``url_inputs`` on every changed page, and the
same day (generators hide posts dated in the future, so a target's state can
change with the date alone). Otherwise the stored destinations are resolved
again (a reading of no page), and a new snapshot is stored. A link the
generator does not render (inside a template block) is stored without its
destination: where it stands decides that, not the files.

The commonest change between two commits, a new post (or a removed one),
changes where only few links lead: a link can come to lead to a new page only
when its destination names it, by a folder or file name of its path, a word of
its front matter or title (slugs, aliases, dates, ids) or one of its URLs; a
link leads elsewhere after a page is removed only when it led to that page.
So the snapshot keeps, for every *name key* (the last segment of a link's
path, case and accents folded, letters and digits only), the pages with a
link ending in it (``names``). When nothing but pages came and went, only the
pages with a link whose key is part of a name of such a page, or that linked
to a removed page, are resolved again (``retarget_plan``); keys are compared
as substrings, so a name can only be over-matched. A new or removed index
page (``index.md``, ``_index.md``, ``README.md``, ``SUMMARY.md``) can change
what every file beside and below it is (a bundle, a section): unless every
file there came with it, every link is resolved again.

A snapshot is also refreshed when a run finds many changed pages
(``REFRESH_AFTER``), so the pages a run has to read in full stay few.

It also keeps, for every page, the pages with a link to it (``Linkers``):
the links into a post's targets (anchor-text variety) were otherwise found
by walking every stored link, 0.1 s at 50,000 pages.
"""

from __future__ import annotations

import datetime
import functools
import operator
import pickle
import posixpath
import unicodedata
from array import array
from dataclasses import dataclass, field, fields
from itertools import accumulate, chain, repeat
from stat import S_ISLNK
from urllib.parse import unquote
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple, Optional, Tuple

from linklint.model import Document

if TYPE_CHECKING:
    from linklint.cache import ParseCache
    from linklint.discover import Inventory
    from linklint.site import Site
    from linklint.termtable import TermTable

__all__ = ["EVERY_PAGE", "REFRESH_AFTER", "Snapshot", "StoredDocument", "link_key", "site_key"]

# When a run on paths finds more pages than this changed since the snapshot,
# it stores a new one: loading changed pages in full costs about a millisecond
# each, storing a snapshot of 10,000 pages a few tenths of a second.
REFRESH_AFTER = 200

# What a snapshot keeps of every page: what runs need of all pages (drafts,
# titles, generator URLs). The rest is read when asked for.
_CORE = ("path", "front_matter", "front_matter_format", "title", "problems")
_DETAIL = tuple(f.name for f in fields(Document) if f.name not in _CORE)

Stamp = tuple  # (size, mtime_ns, mode) as discover.Inventory lists it
# A link as stored: (destination, or None for one the generator does not
# render; anchor text; image?).
LinkFact = Tuple[Optional[str], str, bool]
# A link to another page: (its place among the page's links, the page).
PageTarget = Tuple[int, str]


class _StoredLinksField:
    """A stored page's ``link_facts`` or ``page_targets``, made from the
    stored site's columns (``_LinkColumns``) when first asked for and kept
    in the page's ``__dict__`` (which is read before this, a descriptor
    without ``__set__``, from then on)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, doc: Any, owner: type | None = None) -> Any:
        if doc is None:
            return self
        columns, page = doc.__dict__["_links"]
        value = doc.__dict__[self.name] = getattr(columns, self.name)(page)
        return value


class StoredDocument(Document):
    """A page unchanged since the snapshot: its core (see the module's
    docstring), its links as written (``link_facts``) and which lead to
    other pages (``page_targets``); every other field is read on first use
    with the ``load`` function ``attach`` gave it (the full parse of the
    page). Equal fields to the ``Document`` of the same file."""

    # Set by ``take``, or made from the stored columns when first asked for.
    link_facts = _StoredLinksField()
    page_targets = _StoredLinksField()

    def _full(self) -> Document:
        full = self.__dict__.get("_full_document")
        if full is None:
            full = self.__dict__["_full_document"] = self.__dict__["_load"](self.path)
        return full

    @property
    def loaded(self) -> bool:
        """Whether the rest of the parse has been read (for tests and measurements)."""
        return "_full_document" in self.__dict__


def _detail(name: str) -> property:
    return property(lambda self: getattr(self._full(), name), doc=f"``{name}`` of the full parse, read on first use.")


for _name in _DETAIL:
    setattr(StoredDocument, _name, _detail(_name))


def attach(doc: StoredDocument, load: Callable[[str], Document]) -> StoredDocument:
    """``doc``, reading the rest of its parse with ``load(path)`` when asked."""
    doc.__dict__["_load"] = load
    return doc


@dataclass
class Snapshot:
    """One site as a run saw it; see the module's docstring."""

    stamps: dict[str, Stamp | None]  # every file; None: changed too recently to trust
    pages: dict[str, StoredDocument]  # each page's core and links to pages
    inputs: dict[str, tuple]  # Profile.url_inputs of each page
    day: str  # ISO date the links were resolved on
    # link_key -> the pages with a link ending in it; None while still the
    # pickle it is stored as (``link_names``).
    names: dict[str, tuple[str, ...]] | None
    names_pickled: bytes | None = field(default=None, repr=False)
    # Which pages link to each page, as stored; None for a snapshot being taken
    # (worked out when it is stored).
    linkers: Linkers | None = field(default=None, repr=False)

    def link_names(self) -> dict[str, tuple[str, ...]] | None:
        """``names``, unpickled on first use, or None when damaged. Only a run
        that finds pages came or went asks for them: stored as a pickle of
        their own inside the snapshot's entry, they cost the others nothing
        (unpickled and checked, 39 ms of a pre-commit run at 50,000 pages)."""
        if self.names is None and self.names_pickled is not None:
            from linklint.cache import load_nested

            try:
                found = load_nested(self.names_pickled)
            except Exception:  # noqa: BLE001 - damaged: as if there were none
                found = None
            if type(found) is dict and all(
                type(key) is str and type(pages) is tuple and set(map(type, pages)) <= {str} for key, pages in found.items()
            ):
                self.names = found
            self.names_pickled = None
        return self.names

    def unchanged(self, pages: Iterable[str], stamps: Mapping[str, Stamp]) -> list[str]:
        """The ``pages`` that are as they were. A symbolic link's own stamp
        does not change when the file it points to does: such a page is read.
        (Asked page by page, a call each was a tenth of loading the stored
        site of 50,000 pages.)"""
        then, stored = self.stamps, self.pages
        return [
            rel
            for rel in pages
            if (stamp := then.get(rel)) is not None and stamps.get(rel) == stamp and not S_ISLNK(stamp[2]) and rel in stored
        ]

    def retarget_plan(
        self, inv: Inventory, documents: Mapping[str, Document], kept: Mapping[str, Document], profile: Any
    ) -> frozenset[str]:
        """Which kept pages' stored links must be resolved again: none (an
        empty set) when today, the same files as then, every file that is no
        page unchanged and the same URL inputs on every page read anew; only
        the pages a new or removed page can concern when pages alone came and
        went (see the module's docstring); ``EVERY_PAGE`` otherwise."""
        if self.day != _today():
            return EVERY_PAGE
        now = inv.stamps
        added = [rel for rel in now if rel not in self.stamps]
        removed = [rel for rel in self.stamps if rel not in now]
        if any(rel not in documents for rel in added) or any(rel not in self.pages for rel in removed):
            return EVERY_PAGE  # a file that is no page came or went
        gone = set(removed)
        if not all(
            stamp is not None and now[rel] == stamp for rel, stamp in self.stamps.items() if rel not in documents and rel not in gone
        ):
            return EVERY_PAGE
        url_inputs = profile.url_inputs
        if not all(url_inputs(doc) == self.inputs.get(rel) for rel, doc in documents.items() if rel not in kept and rel in self.inputs):
            return EVERY_PAGE
        if not added and not removed:
            return frozenset()
        changed = added + removed
        if not _alone_below([rel for rel in changed if _is_index_page(rel, profile)], changed, now):
            return EVERY_PAGE
        keys: list[str] = []
        for rel in added:
            keys += _names(rel, url_inputs(documents[rel]), profile.page_urls(rel))
        for rel in removed:
            keys += _names(rel, self.inputs.get(rel, ()), ())
        told = "\0".join(keys)
        names = self.link_names()
        if names is None:
            return EVERY_PAGE
        concerned = {page for key, pages in names.items() if key in told for page in pages}
        if gone:  # the pages that linked to a removed page (every stored link walked: only when one went)
            concerned.update(rel for rel, doc in self.pages.items() if any(target in gone for _, target in doc.page_targets))
        return frozenset(rel for rel in concerned if rel in kept)

    def as_stored(self) -> dict[str, Any]:
        """The snapshot as plain columns (see ``_COLUMNS``)."""
        docs = list(self.pages.values())
        facts = [doc.link_facts for doc in docs]
        targets = [doc.page_targets for doc in docs]
        destinations, texts, images = _columns(chain.from_iterable(facts), 3)
        places, target_pages = _columns(chain.from_iterable(targets), 2)
        columns = {name: tuple(getattr(doc, name) for doc in docs) for name in _CORE}
        columns.update(
            inputs=tuple(map(self.inputs.__getitem__, self.pages)),
            link_counts=tuple(map(len, facts)),
            destinations=destinations,
            texts=texts,
            images=images,
            target_counts=tuple(map(len, targets)),
            places=places,
            targets=target_pages,
        )
        names = self.link_names()
        pickled = pickle.dumps(names, pickle.HIGHEST_PROTOCOL) if names is not None else b""
        linkers = Linkers.of(self.pages).as_stored()
        return {"stamps": self.stamps, "pages": columns, "day": self.day, "names": pickled, "linkers": linkers}

    @classmethod
    def from_stored(cls, obj: Any) -> Snapshot | None:
        """The snapshot in an unpickled cache entry, or None when it has any
        other shape (an entry is never trusted: see ``linklint.cache``)."""
        if type(obj) is not dict or obj.keys() != _ENTRY_KEYS or type(obj["day"]) is not str:
            return None
        stamps, columns, names, linkers = obj["stamps"], obj["pages"], obj["names"], obj["linkers"]
        if type(stamps) is not dict or type(columns) is not dict or type(names) is not bytes:
            return None
        if type(linkers) is not tuple or len(linkers) != 2 or set(map(type, linkers)) != {bytes}:
            return None
        for rel, stamp in stamps.items():
            if type(rel) is not str or not (stamp is None or (type(stamp) is tuple and len(stamp) == 3)):
                return None
        pages = _pages(columns)
        if pages is None:
            return None
        return cls(stamps, pages, dict(zip(pages, columns["inputs"])), obj["day"], None, names, Linkers(tuple(pages), *linkers))


_ENTRY_KEYS = frozenset({"stamps", "pages", "day", "names", "linkers"})


class Linkers:
    """Which pages of a snapshot link to each of its pages.

    For each page (numbered in the snapshot's order), the numbers of the pages
    with a link to it, each once and in that order: one array of 32-bit
    numbers (``sources``), and where each page's part of it starts
    (``starts``, one more than there are pages). Stored as the arrays' bytes,
    which load without unpickling an object per link; like every entry they
    are not trusted: each part is checked when asked for, and a damaged one
    answers None (the site then walks every page's links)."""

    def __init__(self, paths: tuple[str, ...], starts: bytes, sources: bytes) -> None:
        self.paths = paths
        self._stored = (starts, sources)
        self._arrays: tuple[array, array] | None = None
        self._numbers: dict[str, int] | None = None

    @classmethod
    def of(cls, pages: Mapping[str, StoredDocument]) -> Linkers:
        """Worked out from the pages' stored links."""
        paths = tuple(pages)
        number = dict(zip(paths, range(len(paths))))
        into: list[list[int]] = [[] for _ in paths]
        for source, doc in enumerate(pages.values()):
            for _, target in doc.page_targets:
                page = number.get(target)
                if page is not None:
                    found = into[page]
                    if not found or found[-1] != source:  # a page's links to one target are listed once
                        found.append(source)
        starts = array("i", accumulate(map(len, into), initial=0))
        sources = array("i", chain.from_iterable(into))
        linkers = cls(paths, starts.tobytes(), sources.tobytes())
        linkers._arrays, linkers._numbers = (starts, sources), number
        return linkers

    def as_stored(self) -> tuple[bytes, bytes]:
        return self._stored

    def linking_to(self, path: str) -> list[str] | None:
        """The pages with a link to ``path`` (none when the snapshot does not
        have it), in the snapshot's order; None when the stored arrays are
        damaged."""
        arrays = self._read()
        if arrays is None:
            return None
        starts, sources = arrays
        if self._numbers is None:
            self._numbers = dict(zip(self.paths, range(len(self.paths))))
        page = self._numbers.get(path)
        if page is None:
            return []
        begin, end = starts[page], starts[page + 1]
        if not 0 <= begin <= end <= len(sources):
            return None
        found = sources[begin:end]
        if found and (min(found) < 0 or max(found) >= len(self.paths)):
            return None
        return list(map(self.paths.__getitem__, found))

    def _read(self) -> tuple[array, array] | None:
        if self._arrays is None:
            starts, sources = array("i"), array("i")
            try:
                starts.frombytes(self._stored[0])
                sources.frombytes(self._stored[1])
            except ValueError:  # not whole numbers
                return None
            if len(starts) != len(self.paths) + 1:
                return None
            self._arrays = (starts, sources)
        return self._arrays


# The stored form of the pages is columnar: one tuple per field, over every
# page (``_PAGE_COLUMNS``) or over the links of every page one page after the
# other (``_LINK_COLUMNS``, ``_TARGET_COLUMNS``), with each page's number of
# links and targets. Unpickling an object per page and a tuple per link, and
# checking them one by one, was most of a pre-commit run's reading of a
# 10,000-page site (90,000 links); columns are checked with C-level maps and
# the pages' tuples are sliced from them.
_PAGE_COLUMNS = (*_CORE, "inputs", "link_counts", "target_counts")
_LINK_COLUMNS = ("destinations", "texts", "images")
_TARGET_COLUMNS = ("places", "targets")
_COLUMNS = frozenset(_PAGE_COLUMNS + _LINK_COLUMNS + _TARGET_COLUMNS)
_FIELDS = (*_CORE, "_links")  # of a StoredDocument, in ``_pages``' order


def _columns(rows: Iterable[tuple], width: int) -> tuple[tuple, ...]:
    """Rows of ``width`` fields as ``width`` columns."""
    return tuple(zip(*rows)) or ((),) * width


def _pages(columns: dict) -> dict[str, StoredDocument] | None:
    """The pages of stored columns, or None when they are damaged."""
    if columns.keys() != _COLUMNS or not all(type(column) is tuple for column in columns.values()):
        return None
    paths = columns["path"]
    if any(len(columns[name]) != len(paths) for name in _PAGE_COLUMNS):
        return None
    if set(map(type, paths)) - {str} or len(set(paths)) != len(paths):
        return None
    if set(map(type, columns["inputs"])) - {tuple} or set(map(type, columns["problems"])) - {tuple}:
        return None
    link_counts, target_counts = columns["link_counts"], columns["target_counts"]
    for counts, names in ((link_counts, _LINK_COLUMNS), (target_counts, _TARGET_COLUMNS)):
        if set(map(type, counts)) - {int} or (counts and min(counts) < 0):
            return None
        if any(len(columns[name]) != sum(counts) for name in names):
            return None
    destinations, texts, images = map(columns.__getitem__, _LINK_COLUMNS)
    if set(map(type, destinations)) - {str, type(None)} or set(map(type, texts)) - {str} or set(map(type, images)) - {bool}:
        return None
    places, targets = map(columns.__getitem__, _TARGET_COLUMNS)
    if set(map(type, places)) - {int} or set(map(type, targets)) - {str} or (places and min(places) < 0):
        return None
    # Each target names one of its own page's links.
    limits = chain.from_iterable(map(repeat, link_counts, target_counts))
    if not all(map(operator.lt, places, limits)):
        return None
    links = _LinkColumns(destinations, texts, images, places, targets, link_counts, target_counts)
    rows = zip(*map(columns.__getitem__, _CORE), zip(repeat(links), range(len(paths))))
    return dict(zip(paths, map(_stored_document, rows)))


class _LinkColumns:
    """The stored links of every page, column by column, and where each
    page's start: a page's ``link_facts`` and ``page_targets`` are made from
    them when first asked for. A run on two posts asks for a few thousand of
    50,000 pages' (the pages linking to the posts' targets): making every
    link's tuple and every page's at load was 80 ms there."""

    __slots__ = ("destinations", "texts", "images", "places", "targets", "link_starts", "target_starts")

    def __init__(self, destinations: tuple, texts: tuple, images: tuple, places: tuple, targets: tuple, link_counts: tuple, target_counts: tuple) -> None:
        self.destinations, self.texts, self.images = destinations, texts, images
        self.places, self.targets = places, targets
        self.link_starts = list(accumulate(link_counts, initial=0))
        self.target_starts = list(accumulate(target_counts, initial=0))

    def link_facts(self, page: int) -> tuple[LinkFact, ...]:
        lo, hi = self.link_starts[page], self.link_starts[page + 1]
        return tuple(zip(self.destinations[lo:hi], self.texts[lo:hi], self.images[lo:hi]))

    def page_targets(self, page: int) -> tuple[PageTarget, ...]:
        lo, hi = self.target_starts[page], self.target_starts[page + 1]
        return tuple(zip(self.places[lo:hi], self.targets[lo:hi]))


def _stored_document(row: tuple) -> StoredDocument:
    doc = object.__new__(StoredDocument)
    doc.__dict__.update(zip(_FIELDS, row))  # plain attributes, as ``take`` sets them
    return doc


def take(site: Site, inv: Inventory, trusted: Callable[[Stamp], bool], earlier: Snapshot | None) -> Snapshot:
    """A snapshot of ``site`` as loaded now. ``trusted`` says whether a stamp
    may be relied on later (not for a file changed just before the run).
    Pages this run did not read keep their links as the site has them (maybe
    resolved anew) and their URL inputs from the ``earlier`` snapshot."""
    stamps = {rel: (stamp if trusted(stamp) else None) for rel, stamp in inv.stamps.items()}
    url_inputs = site.profile.url_inputs
    pages: dict[str, StoredDocument] = {}
    inputs: dict[str, tuple] = {}
    # One string object per distinct target and anchor text: the entry stores
    # each once, and loading it makes each once.
    shared: dict[str, str] = {}
    unrendered = site.profile.unrendered  # where the link stands decides, not the files
    for rel, doc in site.documents.items():
        core = object.__new__(StoredDocument)
        values = core.__dict__
        for name in _CORE:
            values[name] = getattr(doc, name)  # plain attributes on a StoredDocument too
        stored = site.stored_links.get(rel)
        if stored is not None:  # a page this run did not read: what it knew of it
            values["link_facts"], values["page_targets"] = stored.link_facts, stored.page_targets
            inputs[rel] = earlier.inputs[rel] if earlier is not None and rel in earlier.inputs else url_inputs(doc)
        else:
            values["link_facts"] = tuple(
                (
                    None if unrendered(rel, link) is not None else shared.setdefault(link.destination, link.destination),
                    shared.setdefault(link.text, link.text),
                    link.image,
                )
                for link in doc.links
            )
            values["page_targets"] = tuple((index, shared.setdefault(target, target)) for index, target in site.page_targets(rel))
            inputs[rel] = url_inputs(doc)
        pages[rel] = core
    return Snapshot(stamps, pages, inputs, _today(), _link_names(pages))


# What ``retarget_plan`` answers when every stored link must be resolved again.
EVERY_PAGE: frozenset[str] = frozenset({"\0every page"})

# File names (before the first dot, folded) of pages that can change what the
# files beside and below them are: bundles, sections, mdBook's table of contents.
_INDEX_STEMS = frozenset({"index", "_index", "readme", "summary"})


def _is_index_page(rel: str, profile: Any) -> bool:
    name = posixpath.basename(rel)
    return name in profile.index_names or name.split(".", 1)[0].casefold() in _INDEX_STEMS


def _alone_below(index_pages: list[str], changed: list[str], now: Mapping[str, Stamp]) -> bool:
    """Whether every file beside or below each of the ``index_pages`` came or
    went with this change (a new bundle in a new folder): then no other
    file's role changed with it."""
    if not index_pages:
        return True
    came = set(changed)
    stays = [rel for rel in now if rel not in came]
    for rel in index_pages:
        folder = posixpath.dirname(rel)
        prefix = folder + "/" if folder else ""
        if any(other.startswith(prefix) for other in stays):
            return False
    return True


def _fold(text: str) -> str:
    """Letters and digits only, case and accents folded: "Über-Uns" -> "uberuns"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if ch.isalnum())


def link_key(destination: str) -> str | None:
    """The name key of a link's destination: its path's last segment (after
    any ``scheme:``, before the first dot), folded; None for a link to its
    own page (``#x``, ``?y``); "" for one whose name cannot be told (``/``,
    ``..``, template syntax), which every change concerns."""
    dest = destination.strip()
    if dest[:1] in ("#", "?"):
        return None
    path = dest.split("#", 1)[0].split("?", 1)[0]
    return _segment_key(path.rstrip("/").rpartition("/")[2]) if _UNTOLD.isdisjoint(path) else ""


# Characters that make a destination's name untold: template syntax (Hugo's
# ``{{< ref "x" >}}``, Liquid), quotes, spaces.
_UNTOLD = frozenset("{}<>[]()|*\"'`\\ \t\n")


@functools.lru_cache(maxsize=65536)
def _segment_key(segment: str) -> str:
    """Links to one page from many folders share their last segment."""
    name = unquote(segment).rpartition(":")[2]
    return _fold(name.split(".", 1)[0] or name)


def _names(rel: str, inputs: Any, urls: Any) -> list[str]:
    """The name keys of a page: of each folder and file name of its path,
    each string of its URL inputs (front matter, title) and each URL."""
    keys = [_fold(part) for part in rel.split("/")]
    keys += [_fold(part) for url in urls for part in url.split("/")]
    keys += [_fold(text) for text in _strings(inputs)]
    return [key for key in keys if key]


def _strings(value: Any) -> list[str]:
    """Every string inside front-matter-like values (keys too), dates as text."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in _strings(key) + _strings(item)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [text for item in value for text in _strings(item)]
    return [str(value)] if value is not None and not isinstance(value, bool) else []


def _link_names(pages: Mapping[str, StoredDocument]) -> dict[str, tuple[str, ...]]:
    """link_key -> the pages with a link ending in it."""
    names: dict[str, list[str]] = {}
    for rel, doc in pages.items():
        seen: set[str] = set()
        for destination, _, _ in doc.link_facts:
            if destination is None:
                continue
            key = link_key(destination)
            if key is not None and key not in seen:
                seen.add(key)
                names.setdefault(key, []).append(rel)
    return {key: tuple(found) for key, found in names.items()}


def _today() -> str:
    return datetime.date.today().isoformat()


def site_key(parts: tuple[object, ...]) -> str:
    """The cache key of a site's snapshot: ``parts`` (configuration, root,
    generator profile). One per site: a new snapshot replaces the last."""
    import hashlib

    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def load(cache: ParseCache, key: str) -> Snapshot | None:
    return Snapshot.from_stored(cache.get_snapshot(key))


def store(cache: ParseCache, key: str, snapshot: Snapshot) -> None:
    cache.put_snapshot(key, snapshot.as_stored())


# Term counts (for related-page suggestions) are stored apart from the rest:
# only a run that needs a suggestion reads them.


class StoredTerms(NamedTuple):
    """The stored term counts, and the pages among them unchanged since
    (whose counts may be used)."""

    table: TermTable | None
    usable: frozenset[str]


def load_terms(cache: ParseCache, key: str, stamps: Mapping[str, Stamp]) -> StoredTerms:
    """The stored table of term counts and which of its pages have the stamp
    they had when counted."""
    from linklint.termtable import TermTable

    nothing = StoredTerms(None, frozenset())
    obj = cache.get_snapshot(key, "terms")
    if type(obj) is not dict or obj.keys() != {"table", "stamps"}:
        return nothing
    table, stored_stamps = TermTable.from_stored(obj["table"]), obj["stamps"]
    if table is None or type(stored_stamps) is not tuple or len(stored_stamps) != len(table):
        return nothing
    usable = frozenset(
        rel for rel, stamp in zip(table.paths, stored_stamps) if stamp is not None and stamps.get(rel) == stamp
    )
    return StoredTerms(table, usable)


def store_terms(
    cache: ParseCache,
    key: str,
    table: TermTable,
    stamps: Mapping[str, Stamp],
    trusted: Callable[[Stamp], bool],
) -> None:
    """Store every page's term counts with the stamp they belong to (None for
    a file changed too recently to trust its stamp)."""
    belongs = tuple(stamps[rel] if rel in stamps and trusted(stamps[rel]) else None for rel in table.paths)
    cache.put_snapshot(key, {"table": table.as_stored(), "stamps": belongs}, "terms")
