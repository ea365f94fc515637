"""Suggestions: the closest existing names for a broken link or anchor, and the
pages (with a phrase to carry the link) that a post could link to.

Relevance needs lemmas, and lemmas need spaCy, which takes about half a
second to import: the ``Suggester`` builds its index only when the first
suggestion that needs it is asked for, so a run with no LL001/LL002/LL007
finding never loads spaCy.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from linklint.filenames import FileNames, file_names
from linklint.names import NameIndex
from linklint.relpath import relpath

if TYPE_CHECKING:
    from linklint.cache import ParseCache
    from linklint.nlp import PhraseFinder
    from linklint.relevance import RelevanceIndex
    from linklint.site import Site
    from linklint.snapshot import StoredTerms
    from linklint.termtable import TermTable


def closest(word: str, candidates: Iterable[str] | NameIndex, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The ``n`` candidates most like ``word``; an exact case-insensitive match
    comes first."""
    index = candidates if isinstance(candidates, NameIndex) else NameIndex(candidates)
    folded = index.case_variants(word)
    scored = index.scored_matches(word, n, cutoff)
    # Keep only the candidates about as close as the best one (by the score
    # that ranked them): a list that goes on to weak matches hides the right
    # answer.
    rest = [c for ratio, c in scored if ratio >= scored[0][0] - 0.1]
    out = folded + [c for c in rest if c not in folded and c != word]
    return out[:n]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def closest_paths(missing: str, files: FileNames, n: int = 3) -> list[str]:
    """Existing files most like a missing path: by file name first (a moved file
    keeps its name), then by whole path (a renamed file keeps its folder)."""
    name = posixpath.basename(missing)
    found: list[str] = []
    for match in closest(name, files.names, n=n, cutoff=0.6):
        paths = files.by_name[match]
        found.extend(sorted(paths, key=lambda p: _distance(p, missing)) if len(paths) > 1 else paths)
    # Names that differ only by extension (`a.html` for `a.md`).
    for path in files.with_stem(posixpath.splitext(name)[0]):
        if path not in found:
            found.append(path)
    if not found:
        # A renamed file in a moved folder: compare whole paths, but only with
        # files of the same kind.
        extension = posixpath.splitext(missing)[1].lower()
        found = files.of_kind(extension).close_matches(missing, n, 0.8)
    return found[:n]


def _distance(a: str, b: str) -> float:
    return -_ratio(a, b)


def relative_link(source: str, target: str) -> str:
    """How ``source`` would write a relative link to ``target``."""
    return relpath(target, posixpath.dirname(source) or ".")


@dataclass(frozen=True)
class LinkIdea:
    """A page worth linking to from a post, and where the link could go."""

    target: str
    score: float
    phrase: str | None = None
    line: int | None = None

    def describe(self, source: str, title: str) -> str:
        link = relative_link(source, self.target)
        if self.phrase is not None:
            return f"link “{self.phrase}” (line {self.line}) to `{link}` ({title})"
        return f"link to `{link}` ({title})"


class Suggester:
    """Relevance between the pages of one site, built on first use."""

    def __init__(
        self,
        site: Site,
        cache: ParseCache | None = None,
        terms: dict[str, dict[str, int]] | None = None,
        stored_terms: Callable[[], StoredTerms] | None = None,
        tables: Sequence[TermTable] = (),
    ) -> None:
        self.site = site
        self.cache = cache  # lemmatising is the slow part: its results are cached per text
        self._index: RelevanceIndex | None = None
        # Term counts per page, usually worked out while the pages were parsed,
        # else (a run on a few paths) those of the unchanged pages as stored
        # by an earlier run: ``stored_terms`` reads them when first needed.
        self._terms: dict[str, dict[str, int]] = dict(terms or {})
        # ... or as the tables of the parsing tasks that counted them.
        self._tables = list(tables)
        self._in_tables = frozenset(path for table in self._tables for path in table.paths)
        self._stored_terms = stored_terms
        self._table: TermTable | None = None  # every page's counts, once the index is built
        self.terms_counted = 0  # pages whose terms this run had to look up one by one
        self._finders: dict[str, PhraseFinder] = {}
        # (source, target) -> the phrase in the source that could carry a link
        # to the target and its line, or None: LL001 asks it of a post with
        # too few links and LL007 of the pages that could link to an orphan,
        # the same pair in 721 of kubernetes/community's 4,230 searches.
        self._phrases: dict[tuple[str, str], tuple[str, int] | None] = {}
        self._closest: dict[tuple[str, int], list[str]] = {}
        self._candidates: frozenset[str] | None = None
        self._versions: dict[str, list[str]] | None = None  # see ``versions_of``
        self._pools: dict[tuple[str, ...], frozenset[str]] = {}  # see ``pool_for``
        # ``_version`` by path, and what a page's folder says of it (see there).
        self._page_versions: dict[str, tuple[tuple[str, ...], str]] = {}
        self._folder_versions: dict[str, tuple[tuple[str, ...], str]] = {}
        self._no_versions: bool | None = None  # see ``_unversioned``
        # Values derived from one page that other pages' suggestions and fixes
        # ask for again and again in one run (key phrases of a target …).
        self.memo: dict[tuple, object] = {}

    @property
    def index(self) -> RelevanceIndex:
        if self._index is None:
            from linklint.relevance import RelevanceIndex

            self._index = RelevanceIndex(self.term_table())
        return self._index

    @property
    def index_built(self) -> RelevanceIndex | None:
        """The index when this run built it, else None."""
        return self._index

    def term_table(self) -> TermTable:
        """Every page's term counts: those counted in this run, the stored
        ones of unchanged pages, and the rest looked up (and counted)."""
        if self._table is None:
            from linklint.termtable import TermTable
            from linklint.terms import cached_terms

            documents = self.site.documents
            stored = None
            if self._stored_terms is not None and len(self._terms) + len(self._in_tables) < len(documents):
                stored = self._stored_terms()
            usable = stored.usable if stored is not None else frozenset()
            language = self.site.config.language
            for path in sorted(documents):
                if path not in self._terms and path not in self._in_tables and path not in usable:
                    self._terms[path] = cached_terms(documents[path], language, self.cache)
                    self.terms_counted += 1
            counted = self._terms if len(self._terms) == len(documents) else {p: c for p, c in self._terms.items() if p in documents}
            if stored is not None and stored.table is not None:
                # A run on a few paths: it counted no terms while loading.
                assert not self._tables
                kept = [path for path in usable if path in documents and path not in counted]
                self._table = stored.table.merged(kept, counted)
            elif self._tables:  # a whole site loaded: every page of the tables is a page of the site
                self._table = TermTable.combined([*self._tables, TermTable.from_counts(counted)])
            else:
                self._table = TermTable.from_counts(counted)
            # The table has them all now; a million small dicts at 10,000
            # pages need not outlive it.
            self._terms = {}
            self._tables, self._in_tables = [], frozenset()
        return self._table

    def term_counts(self, path: str) -> dict[str, int] | None:
        """The term counts of one page when this run has them."""
        counts = self._terms.get(path)
        if counts is None and self._table is not None and path in self._table:
            counts = self._table.counts_of(path)
        if counts is None and path in self._in_tables:
            counts = next(table.counts_of(path) for table in self._tables if path in table)
        return counts

    def known_terms(self) -> TermTable | None:
        """The term counts of every page, when this run has them all."""
        if self._table is not None:
            return self._table
        documents = self.site.documents
        if len(self._terms) + len(self._in_tables) < len(documents) or not all(
            path in self._terms or path in self._in_tables for path in documents
        ):
            return None
        return self.term_table()

    def closest_files(self, missing: str, n: int = 3) -> list[str]:
        """``closest_paths`` over the site's files, remembered: one missing page
        is usually linked from many pages."""
        key = (missing, n)
        found = self._closest.get(key)
        if found is None:
            found = self._closest[key] = closest_paths(missing, self.files, n)
        return found

    @property
    def files(self) -> FileNames:
        return file_names(self.site)

    def near_name(self, missing: str, cutoff: float) -> str | None:
        """The one file in the missing file's folder whose name is at least
        ``cutoff`` alike (a typo), or None when none or several are."""
        key = ("near", missing, cutoff)
        if key not in self.memo:
            folder, name = posixpath.split(missing)
            close = self.files.in_folder(folder).close_matches(name, 2, cutoff) if name else []
            self.memo[key] = posixpath.join(folder, close[0]) if len(close) == 1 else None
        return self.memo[key]  # type: ignore[return-value]

    def candidates(self) -> frozenset[str]:
        """Pages a link may be suggested to: published, not drafts nor
        partials. Worked out once: every page with too few links asks for it."""
        if self._candidates is None:
            from linklint.site import is_draft

            partial = self.site.profile.is_partial
            # Each page's document at hand (``is_draft`` of it), not looked up
            # again by path: every page of the site is asked.
            self._candidates = frozenset(p for p, doc in self.site.documents.items() if not is_draft(doc) and not partial(p))
        return self._candidates

    def ideas(
        self,
        source: str,
        k: int,
        *,
        exclude: Sequence[str] = (),
        candidates: Sequence[str] | None = None,
    ) -> list[LinkIdea]:
        """The ``k`` pages most related to ``source`` that it does not link to
        yet, each with the first phrase in ``source`` that could carry the link."""
        return [self.idea_from(source, target, score) for target, score in self.related(source, k, exclude=exclude, candidates=candidates)]

    def related(
        self,
        source: str,
        k: int,
        *,
        exclude: Sequence[str] = (),
        candidates: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The ``k`` pages most related to ``source`` (among ``candidates``,
        else every published page) with their scores, best first; without
        looking for phrases, which is most of the cost of ``ideas``."""
        if k <= 0:
            return []
        pool = self.pool_for(source) if candidates is None else frozenset(candidates) & self.pool_for(source)
        # The page's own other versions are the pages most like it, and no
        # link a reader of this version needs.
        exclude = [*exclude, *self.versions_of(source)]
        if not pool or pool <= {source, *exclude}:
            return []
        return self.index.related(source, k, exclude=exclude, candidates=pool)

    def pool_for(self, source: str) -> frozenset[str]:
        """The pages a link from ``source`` may be suggested to: the
        ``candidates`` of its own version of the docs (its version folders:
        ``v23.2``) and those in no version folder. A page of another version
        is the page a reader of this one should not land on."""
        if self._unversioned():
            return self.candidates()
        version = self._version(source)[0]
        pool = self._pools.get(version)
        if pool is None:
            pool = self._pools[version] = frozenset(p for p in self.candidates() if self._version(p)[0] in ((), version))
        return pool

    def targets_for(self, source: str) -> frozenset[str]:
        """``pool_for(source)`` without ``source`` and its own copies in
        other versions: the pages a new link in it may lead to."""
        return self.pool_for(source).difference([source, *self.versions_of(source)])

    def versions_of(self, source: str) -> list[str]:
        """The other pages that are ``source`` in another version of the
        docs: the same path once the folders named as versions (``v23.2``,
        ``1.4``, ``latest``, ``next``) are left out of both."""
        if self._unversioned():
            return []
        if self._versions is None:
            self._versions = {}
            for path in self.site.documents:
                self._versions.setdefault(self._version(path)[1], []).append(path)
        return [p for p in self._versions.get(self._version(source)[1], ()) if p != source]

    def _unversioned(self) -> bool:
        """Whether no page is in a version of the docs, nor a copy of another
        page (as ``_version`` tells them apart): then every page's pool is
        ``candidates`` and no page has versions. Told from the pages'
        folders, a few hundred on most sites, where ``pool_for`` and
        ``versions_of`` asked ``_version`` of every page (50 ms of a
        pre-commit run at 50,000 posts)."""
        if self._no_versions is None:
            folders = {path.rpartition("/")[0] for path in self.site.documents}
            self._no_versions = not self.site.profile.keeps_versions() and all(
                _folder_versions(folder) == ((), folder) for folder in folders
            )
        return self._no_versions

    def _version(self, path: str) -> tuple[tuple[str, ...], str]:
        """The version of the docs ``path`` belongs to (``()`` for none) and
        the page's path within it: the generator's when it keeps versions
        (Docusaurus' ``versioned_docs/version-2.0/x.md`` is ``docs/x.md`` of
        version 2.0), else told by folder names: the version folders
        (outermost first) and the path without them (``_folder_versions``).

        Kept per path, and the folder names' part per folder: ``pool_for``
        and ``versions_of`` ask it of every page, and matching each folder
        name of 50,000 paths against ``_VERSION_FOLDER`` was 0.22 s of a
        pre-commit run on a site that size (its pages are in a few folders)."""
        known = self._page_versions.get(path)
        if known is not None:
            return known
        found = self.site.profile.version_of(path)
        if found is not None:
            version, within = found
            known = (version,), "\0" + within
        else:
            folders, _, name = path.rpartition("/")
            told = self._folder_versions.get(folders)
            if told is None:
                told = self._folder_versions[folders] = _folder_versions(folders)
            versions, kept = told
            # The path itself where its folders are all kept as they are.
            known = versions, path if kept == folders else f"{kept}/{name}" if kept else name
        self._page_versions[path] = known
        return known

    def idea_from(self, source: str, target: str, score: float) -> LinkIdea:
        key = (source, target)
        found = self._phrases.get(key, False)
        if found is False:
            found = self._phrases[key] = self._first_phrase(source, target)
        return LinkIdea(target, score) if found is None else LinkIdea(target, score, *found)

    def _first_phrase(self, source: str, target: str) -> tuple[str, int] | None:
        from linklint.nlp import PhraseFinder, key_phrases

        from collections import Counter

        site = self.site
        doc = site.documents[target]
        finder = self._finders.get(target)
        if finder is None:
            phrases = key_phrases(
                site.title(target), [h.text for h in doc.headings], Counter(self.term_counts(target) or {})
            )
            finder = self._finders[target] = PhraseFinder([(target, p) for p in phrases])
        source_doc = site.documents[source]
        first = finder.first(source_doc.prose)
        if first is None:
            return None
        return first.text, source_doc.prose[first.prose_index].span.line


# A folder named as a version of the docs: `v23.2`, `1.4`, `2.x`, `v3`,
# `version-2.0` (Docusaurus), `latest`.
_VERSION_FOLDER = re.compile(r"(?:version-)?v?\d+(?:\.(?:\d+|x))+|v\d+|latest|next|current|stable|unreleased", re.IGNORECASE)


def _folder_versions(folders: str) -> tuple[tuple[str, ...], str]:
    """For the pages in ``folders`` (a path's part before its name): the
    folders named as versions, outermost first, and the other folders but
    empty ones, joined by ``/``."""
    parts = folders.split("/")
    versions = tuple(f for f in parts if _VERSION_FOLDER.fullmatch(f))
    return versions, "/".join(f for f in parts if f and not _VERSION_FOLDER.fullmatch(f))
