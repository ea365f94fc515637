"""The stored site: what a run on a few paths needs of every other page.

A pre-commit run reports on the one or two posts being committed, but their
rules need the rest of the site: which files exist, where every other page's
links lead (orphans, anchor-text variety count the links *into* a page), the
titles and headings of the pages they link to. Loading and resolving all of
that anew is most of such a run (seconds at 10,000 pages) although almost
none of it changed since the last run.

So every run that loaded the whole site stores a *snapshot* of it in the
cache (one entry per site and configuration):

- each file's stamp (size, modification time, mode), as ``discover`` lists them;
- each page's parse without its text and prose (links, headings, front matter:
  about a fifth of the whole, and far fewer objects);
- where each page's links lead (``Site.targets``).

A later run on a few paths takes from it every page whose stamp is unchanged
and that it does not report on. Such a page is a ``StoredDocument``: it reads
its text (from the parse cache, or by parsing the file) only when a rule asks
for it, which a run on two posts does for a handful of pages.

Stored link targets are reused only when nothing they depend on changed: the
same files as then (a new or removed file can make a link valid or broken),
every file that is no page unchanged (a generator's config, data files,
templates), and on every changed page the values the generator profile builds
its URLs from (``Profile.url_inputs``: front matter, title …). Otherwise every
link is resolved again, from the stored parses. Targets are also reused only
on the day they were stored: generators hide posts dated in the future, so a
target's state can change with the date alone.

A snapshot is refreshed when a run finds many changed pages (``REFRESH_AFTER``),
so the pages a run has to load in full stay few.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Callable, Mapping

from linklint.model import Document

if TYPE_CHECKING:
    from linklint.cache import ParseCache
    from linklint.discover import Inventory
    from linklint.sites.base import Target

__all__ = ["REFRESH_AFTER", "Snapshot", "StoredDocument", "site_key"]

# When a run on paths finds more pages than this changed since the snapshot,
# it stores a new one: loading changed pages in full costs about a millisecond
# each, storing a snapshot of 10,000 pages a few tenths of a second.
REFRESH_AFTER = 200

# What a stored parse leaves out: the bulk of a page, which rules on other
# pages rarely need.
_LEFT_OUT = ("text", "prose")
_KEPT = tuple(f.name for f in fields(Document) if f.name not in _LEFT_OUT)

Stamp = tuple  # (size, mtime_ns, mode) as discover.Inventory lists it


class StoredDocument(Document):
    """A page unchanged since the snapshot: its parse without text and prose,
    which are read on first use (``load`` returns the full parse of the page).
    Equal fields to the full ``Document`` of the same file."""

    @property  # type: ignore[override]
    def text(self) -> str:
        return self._full().text

    @property  # type: ignore[override]
    def prose(self) -> tuple:
        return self._full().prose

    def _full(self) -> Document:
        full = self.__dict__.get("_full_document")
        if full is None:
            full = self.__dict__["_full_document"] = self.__dict__["_load"](self.path)
        return full

    @property
    def loaded(self) -> bool:
        """Whether the text has been read (for tests and measurements)."""
        return "_full_document" in self.__dict__


def slimmed(doc: Document) -> StoredDocument:
    """``doc`` without text and prose: what is stored. It reads them on first
    use once ``attach`` has told it how."""
    slim = object.__new__(StoredDocument)
    values = slim.__dict__
    for name in _KEPT:
        values[name] = getattr(doc, name)
    return slim


def attach(doc: StoredDocument, load: Callable[[str], Document]) -> StoredDocument:
    """``doc``, reading its text with ``load(path)`` when asked for it."""
    doc.__dict__["_load"] = load
    return doc


@dataclass
class Snapshot:
    """One site as a run saw it; see the module's docstring."""

    stamps: dict[str, Stamp | None]  # every file; None: changed too recently to trust
    pages: dict[str, StoredDocument]  # slimmed parses
    targets: dict[str, tuple[Target, ...]]
    day: str  # ISO date the targets were resolved on

    def unchanged(self, rel: str, stamps: Mapping[str, Stamp]) -> bool:
        stamp = self.stamps.get(rel)
        return stamp is not None and stamps.get(rel) == stamp and rel in self.pages

    def same_files(self, inv: Inventory, pages: set[str]) -> bool:
        """Today, the same files as then, and every file that is no page unchanged."""
        if self.day != _today() or self.stamps.keys() != inv.stamps.keys():
            return False
        now = inv.stamps
        return all(stamp is not None and now[rel] == stamp for rel, stamp in self.stamps.items() if rel not in pages)

    def as_stored(self) -> dict[str, Any]:
        return {"stamps": self.stamps, "pages": self.pages, "targets": self.targets, "day": self.day}

    @classmethod
    def from_stored(cls, obj: Any) -> Snapshot | None:
        """The snapshot in an unpickled cache entry, or None when it has any
        other shape (an entry is never trusted: see ``linklint.cache``)."""
        from linklint.sites.base import Target

        if type(obj) is not dict or obj.keys() != {"stamps", "pages", "targets", "day"} or type(obj["day"]) is not str:
            return None
        stamps, pages, targets = obj["stamps"], obj["pages"], obj["targets"]
        if type(stamps) is not dict or type(pages) is not dict or type(targets) is not dict:
            return None
        if pages.keys() != targets.keys():
            return None
        for rel, stamp in stamps.items():
            if type(rel) is not str or not (stamp is None or (type(stamp) is tuple and len(stamp) == 3)):
                return None
        kept = frozenset(_KEPT)
        for rel, doc in pages.items():
            values = vars(doc)
            # Exactly the kept fields: a planted "_full_document" would be text
            # nobody read from the file.
            if type(doc) is not StoredDocument or values.keys() != kept or values["path"] != rel:
                return None
            found = targets[rel]
            if type(found) is not tuple or len(found) != len(doc.links) or not all(type(t) is Target for t in found):
                return None
        return cls(stamps, pages, targets, obj["day"])


def take(
    documents: Mapping[str, Document],
    targets: Mapping[str, tuple[Target, ...]],
    inv: Inventory,
    trusted: Callable[[Stamp], bool],
) -> Snapshot:
    """A snapshot of a site as loaded now. ``trusted`` says whether a stamp
    may be relied on later (not for a file changed just before the run)."""
    stamps = {rel: (stamp if trusted(stamp) else None) for rel, stamp in inv.stamps.items()}
    return Snapshot(stamps, {rel: slimmed(doc) for rel, doc in documents.items()}, dict(targets), _today())


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


def load_terms(cache: ParseCache, key: str, stamps: Mapping[str, Stamp]) -> dict[str, dict[str, int]]:
    """The stored term counts of every page whose stamp is unchanged."""
    obj = cache.get_snapshot(key, "terms")
    if type(obj) is not dict:
        return {}
    found = {}
    for rel, entry in obj.items():
        if type(entry) is not tuple or len(entry) != 2:
            return {}
        stamp, terms = entry
        if stamp is None or stamps.get(rel) != stamp:
            continue
        if type(terms) is not dict or not all(type(k) is str and type(v) is int for k, v in terms.items()):
            return {}
        found[rel] = terms
    return found


def store_terms(
    cache: ParseCache, key: str, terms: Mapping[str, dict[str, int]], stamps: Mapping[str, Stamp], trusted: Callable[[Stamp], bool]
) -> None:
    cache.put_snapshot(key, {rel: (stamps[rel] if rel in stamps and trusted(stamps[rel]) else None, counted) for rel, counted in terms.items()}, "terms")
