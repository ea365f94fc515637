"""One run of linklint: discover, parse, build the site, run the rules, report."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from operator import attrgetter
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from linklint import __version__, renames
from linklint.config import DEFAULT_INCLUDE, Config, apply_front_matter, globs_matcher
from linklint.discover import Inventory, inventory
from linklint.loading import load_pages
from linklint.model import Document, Problem, Severity, Span, Violation
from linklint.names import use_store as use_name_index_store
from linklint.progress import Progress
from linklint.report import Report
from linklint.rules import RULES, lookup, specs
from linklint.rules.base import Context, RuleSetting
from linklint.site import Site
from linklint.sites import PROFILES, detect
from linklint.sites.base import Status
from linklint.suggest import Suggester
from linklint.suppress import Suppressions
from linklint.textpos import LineIndex

if TYPE_CHECKING:
    from linklint.cache import ParseCache
    from linklint.lexicon import Lexicon
    from linklint.output import Prerendered
    from linklint.renames import RenameHistory
    from linklint.snapshot import Snapshot, StoredTerms

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
# The rule that asks Git's rename history where a missing file went.
_ASKS_HISTORY = "LL003"
# The rule that asks which fragments a linked page answers to (``Site.ids``).
_ASKS_IDS = "LL004"


@dataclass
class Selection:
    """Which rules to report (``--select`` / ``--ignore``): codes, code prefixes
    (``LL00``) or names."""

    select: Sequence[str] = ()
    ignore: Sequence[str] = ()

    def wants(self, code: str) -> bool:
        if self.select and not any(_matches(code, s) for s in self.select):
            return False
        return not any(_matches(code, s) for s in self.ignore)


def _matches(code: str, word: str) -> bool:
    rule = lookup(word)
    if rule is not None:
        return rule.CODE == code
    return code.startswith(word.upper())


def unknown_selectors(words: Iterable[str]) -> list[str]:
    return [w for w in words if lookup(w) is None and not any(c.startswith(w.upper()) for c in RULES)]


@dataclass
class Run:
    """Everything a run produced: the report and the site it was made from."""

    report: Report
    site: Site | None  # None for a report reused from an earlier run
    settings: dict[str, dict[str, RuleSetting]] = field(default_factory=dict)


# Folders of tests and dependencies. Markdown there is test data (a Markdown
# tool's fixtures, broken links on purpose) or another project's documentation,
# not the site's pages: in code repositories checked without a config, nearly
# every error came from them (prettier's `tests/format/`: 60 of 61, jekyll's
# `test/source/`: 6 of 14). A generator may publish such a folder (google/docsy's
# `docsy.dev/content/en/tests/`), so inside what it publishes they stay pages.
NOT_CONTENT_FOLDERS = frozenset(
    {"test", "tests", "__tests__", "testdata", "fixtures", "__fixtures__", "node_modules", "bower_components", "vendor", "third_party"}
)


def site_pages(config: Config, inv: Inventory, generator_dir: str | None = None) -> list[str]:
    """The Markdown pages of the site, as repository-relative paths. Unless
    ``include`` is set, files in folders of tests and dependencies
    (``NOT_CONTENT_FOLDERS``) are no pages, only link targets: anywhere in a
    plain repository (``generator_dir`` None), outside the folder a generator
    publishes from (none when that is the repository's root)."""
    content = config.content.strip("/")
    prefix = "" if content in ("", ".") else content + "/"
    leave_out = config.include == DEFAULT_INCLUDE and generator_dir != ""
    inside = generator_dir + "/" if generator_dir else None
    left_out: dict[str, bool] = {}  # by folder: each is judged once
    included, excluded = globs_matcher(config.include), globs_matcher(config.exclude)
    pages = []
    for rel in inv.sorted_files():
        if prefix and not rel.startswith(prefix):
            continue
        content_rel = rel[len(prefix) :]
        if not included(content_rel) or excluded(content_rel):
            continue
        if leave_out and "/" in content_rel and not (inside and rel.startswith(inside)):
            folder = content_rel.rpartition("/")[0]
            out = left_out.get(folder)
            if out is None:
                out = left_out[folder] = any(name.lower() in NOT_CONTENT_FOLDERS for name in folder.split("/"))
            if out:
                continue
        pages.append(rel)
    return pages


@dataclass
class Survey:
    """What a run starts from: the repository's files and, when results may be
    reused, the key of everything the run depends on (``run_key``)."""

    inventory: Inventory
    key: str | None
    started: int  # time.time_ns() at the start of the run
    slot: str | None = None  # the command without the files: where its result is kept

    @property
    def settled(self) -> bool:
        """Whether a result of these inputs may be stored for reuse."""
        return self.key is not None and _settled(self.inventory, self.started)


def survey(
    root: Path,
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    selection: Selection | None = None,
    unsafe_fixes: bool = False,
    reuse: bool = False,
) -> Survey:
    started = time.time_ns()
    inv = inventory(root.resolve())
    if not reuse:
        return Survey(inv, None, started)
    selection = selection or Selection()
    return Survey(inv, run_key(inv, config, paths, selection, unsafe_fixes), started, run_slot(inv, config, paths, selection, unsafe_fixes))


def check(
    root: Path,
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    selection: Selection | None = None,
    cache: ParseCache | None = None,
    jobs: int | None = None,
    progress: bool = False,
    unsafe_fixes: bool = False,
    reuse: bool = False,
    surveyed: Survey | None = None,
    prerendered: Prerendered | None = None,
) -> Run:
    """Check the site at ``root``; report violations in ``paths`` (repository-
    relative files or folders) or everywhere when ``paths`` is None.

    With ``reuse`` and a cache, a run whose inputs are all as they were in an
    earlier identical run returns that run's report (``Run.site`` is then
    None): see ``run_key``. ``surveyed`` is the run's ``survey`` when the
    caller made it already. ``prerendered`` gets the printed text of each
    violation to report, made by the process that found it
    (``linklint.output.Prerendered``)."""
    root = root.resolve()
    selection = selection or Selection()
    if surveyed is None:
        surveyed = survey(root, config, paths=paths, selection=selection, unsafe_fixes=unsafe_fixes, reuse=reuse)
    inv = surveyed.inventory
    key = surveyed.key if cache is not None else None
    slot = surveyed.slot or ""
    if key is not None:
        report = cache.get_result(key, slot)  # type: ignore[union-attr]
        if report is not None:
            return Run(report, None)
    profile_name = detect(inv.files, config.content, inv.root) if config.site == "auto" else config.site
    profile_class = PROFILES[profile_name]
    # Templates, themes and build output of a generator are no pages of the site.
    site_dir = _site_dir(profile_class, config, inv)
    # What the generator publishes, else (docs beside its folder make that the
    # root: Docusaurus in `website/` with `../docs`) the generator's folder.
    generator_dir = (profile_class.published_folder(config, inv) or site_dir) if profile_class.is_generator else None
    pages = [p for p in site_pages(config, inv, generator_dir) if not profile_class.ignores(_in_site(p, site_dir))]
    from linklint.heap import frozen_until_done

    with frozen_until_done():
        return _check_pages(root, config, inv, profile_class, site_dir, pages, paths, selection, cache, jobs, progress, unsafe_fixes, key, surveyed, prerendered)


def _check_pages(
    root: Path,
    config: Config,
    inv: Inventory,
    profile_class: type,
    site_dir: str,
    pages: list[str],
    paths: Sequence[str] | None,
    selection: Selection,
    cache: ParseCache | None,
    jobs: int | None,
    progress: bool,
    unsafe_fixes: bool,
    key: str | None,
    surveyed: Survey,
    prerendered: Prerendered | None,
) -> Run:
    from linklint.heap import collector_paused

    bar = Progress(len(pages)) if progress and Progress.wanted() else None
    wanted = _path_filter(paths)
    # Paths that hold every page ("." or the content folder) report on the
    # whole site: it is loaded as a run without paths loads it (links
    # resolved and terms counted while parsing, Git's history read beside).
    whole = paths is None or all(map(wanted, pages))
    stored = _StoredSite(cache, config, inv, profile_class, site_dir, surveyed.started)
    # Loading, the rules and the report make many objects that live to the
    # end and few garbage cycles: left to itself the collector would walk
    # them again and again (while loading, 2-4x the cost of unpickling; in
    # the rules, a second of a 10,000-post run). Frozen until ``check`` ends.
    with collector_paused():
        lexicons = _LexiconMemory(cache)
        # Git's committed renames are kept in the cache (``linklint fix`` wraps
        # the real one), and so are the large indexes "did you mean" searches.
        store = getattr(cache, "inner", cache)
        renames.use_store(store)
        use_name_index_store(store)
        site, suggester, settings, found = _load_site(root, config, inv, profile_class, pages, None if whole else wanted, selection, cache, jobs, bar, stored)
        documents = site.documents
        profile = site.profile

        rules = _PageRules(site, settings, selection, suggester, unsafe_fixes, wanted, prerendered)
        anchors = _AnchorMemory(cache, site)
        # A run on the whole site has every page in full before the rules:
        # its snapshot for later runs is stored while a rule worker starts on
        # the pages (half a second of a first run at 10,000 posts, done alone
        # after the rules before). A run on some paths reads more pages as
        # its rules ask, and the rules may count terms: stored after them.
        found.extend(rules.run_all(jobs, meanwhile=(lambda: stored.update_site(site)) if whole else None))
        anchors.store()
        lexicons.store()

        violations = _reported(found, selection, wanted if paths is not None else None, documents)
        report = Report(
            version=__version__,
            root=".",
            generator=profile.name,
            files=len(documents),
            violations=violations,
            texts={rel: documents[rel].text for rel in dict.fromkeys(map(_path_of, violations))},
        )
        if key is not None and cache is not None and surveyed.settled:
            cache.put_result(key, surveyed.slot or "", report)
        if not whole:
            stored.update_site(site)
        stored.update_terms(suggester)
        if paths is None and cache is not None and hasattr(cache, "prune"):
            cache.prune()  # at most daily: entries no run has used for a month
        return Run(report, site, settings)


def _reported(
    found: list[Violation], selection: Selection, wanted: Callable[[str], bool] | None, documents: Mapping[str, Document]
) -> list[Violation]:
    """The violations to report, in report order (``Violation.sort_key``):
    of the selected rules, in the pages asked for (``wanted``; None: all) and
    not suppressed by a directive. Done once for the whole run and by the
    parent alone, so with C-level maps where it can (40,000 violations at
    10,000 posts): the selection is asked once per rule, and only the pages
    with directives are asked about suppressions."""
    codes = {code for code in set(map(_code_of, found)) if selection.wants(code)}
    reported = [v for v in found if v.code in codes and (wanted is None or wanted(v.path))]
    suppressions = {
        rel: Suppressions(documents[rel].directives, lambda w: (lookup(w).CODE if lookup(w) else None))
        for rel in set(map(_path_of, reported))
        if documents[rel].directives
    }
    if suppressions:
        reported = [
            v for v in reported if v.path not in suppressions or not suppressions[v.path].suppressed(v.code, v.span.line)
        ]
    reported.sort(key=_SORT_KEY)
    return reported


_code_of = attrgetter("code")
_path_of = attrgetter("path")
# ``Violation.sort_key`` as one C-level call.
_SORT_KEY = attrgetter("path", "span.line", "span.column", "code", "message")


class _StoredSite:
    """The site's snapshot in the cache (``linklint.snapshot``): read by runs
    on a few paths, written by runs that loaded much of the site anew."""

    def __init__(
        self, cache: ParseCache | None, config: Config, inv: Inventory, profile_class: type, site_dir: str, started: int
    ) -> None:
        from linklint.snapshot import site_key

        # A stand-in cache (``linklint fix`` serves edited texts that are not
        # on disk yet) cannot vouch that stamps describe contents.
        cache = cache if getattr(cache, "keeps_snapshots", False) else None
        self.cache = cache
        self.inventory = inv
        self.profile_class = profile_class
        self.started = started
        parts = (repr(config), inv.root.as_posix(), profile_class.name, site_dir)
        self.key = site_key(parts) if cache is not None else None
        self.snapshot: Snapshot | None = None
        self.kept: dict[str, Document] = {}  # pages taken from the snapshot
        self.links_reused = False  # stored link targets reused, or only a few resolved again
        self.terms_found: int | None = None  # stored term counts usable, once read
        self._terms: StoredTerms | None = None

    def keep(self, root: Path, pages: Sequence[str], reported, max_bytes: int) -> dict[str, Document]:
        """The pages that can come from the snapshot: unchanged and not
        reported on (a reported page is read in full anyway)."""
        from linklint.snapshot import attach, load

        if self.key is None or self.cache is None:
            return {}
        self.snapshot = stored = load(self.cache, self.key)
        if stored is None:
            return {}
        cache = self.cache

        def load_text(rel: str) -> Document:
            from linklint.loading import load_page

            return load_page(root, rel, max_bytes, cache)

        self.kept = {
            rel: attach(stored.pages[rel], load_text)
            for rel in stored.unchanged(pages, self.inventory.stamps)
            if not reported(rel)
        }
        return self.kept

    def stored_links(self, documents: dict[str, Document], profile) -> tuple[dict[str, tuple], bool | frozenset[str]]:
        """The stored links of the kept pages, and which of them the site
        resolves again: none when where they lead still holds, the pages a
        new or removed page may concern, or all (see ``linklint.snapshot``)."""
        from linklint.snapshot import EVERY_PAGE

        stored = self.snapshot
        assert stored is not None
        links = dict(self.kept)  # a StoredDocument has its stored links (read when first asked for)
        plan = stored.retarget_plan(self.inventory, documents, self.kept, profile)
        self.links_reused = plan is not EVERY_PAGE
        return links, True if plan is EVERY_PAGE else plan

    def stored_terms(self) -> StoredTerms:
        """The term counts stored for the pages unchanged since then, and the
        relevance index of then."""
        from linklint.snapshot import StoredTerms, load_terms

        if self.key is None or self.cache is None:
            return StoredTerms(None, frozenset())
        found = self._terms = load_terms(self.cache, self.key, self.inventory.stamps)
        self.terms_found = len(found.usable)
        return found

    def _trusted(self) -> Callable[[tuple], bool]:
        settled_before = self.started - _SETTLE_NS
        return lambda stamp: stamp[1] < settled_before

    def update_site(self, site: Site) -> None:
        """Store a new snapshot when this run had none, could not reuse its
        link targets, or read many pages in full."""
        from linklint.snapshot import REFRESH_AFTER, store, take

        if self.key is None or self.cache is None or not self.cache.writable:
            return
        read = len(site.documents) - len(site.stored_links)
        if self.snapshot is None or not self.links_reused or read > REFRESH_AFTER:
            store(self.cache, self.key, take(site, self.inventory, self._trusted(), self.snapshot))

    def update_terms(self, suggester: Suggester) -> None:
        """Store the pages' term counts when this run has them all and the
        stored ones are missing, far behind or of other pages."""
        from linklint.snapshot import REFRESH_AFTER, store_terms

        if self.key is None or self.cache is None or not self.cache.writable:
            return
        table = suggester.known_terms()
        if table is None:
            return
        # Stored when this run had none, counted many pages' terms, or has
        # other pages than the stored table (a new post): a few edited pages
        # are counted again cheaply (their counts are cached by content).
        stored = self._terms.table if self._terms is not None else None
        if self.terms_found is None or suggester.terms_counted > REFRESH_AFTER or stored is None or stored.paths != table.paths:
            store_terms(self.cache, self.key, table, self.inventory.stamps, self._trusted())


def _with_cache(profile, cache):
    """``profile``, reading the files pages take text from through the run's
    parse cache (``GeneratorProfile.parsed_file``)."""
    if hasattr(profile, "parse_cache"):
        profile.parse_cache = getattr(cache, "inner", cache)
    return profile


def _load_site(root, config, inv, profile_class, pages, reported, selection, cache, jobs, bar, stored: _StoredSite):
    """Every page loaded (unchanged pages a run on some of them does not
    report on from the stored site: ``reported`` tells which it does, None
    for all), the site built from them, and each page's settings (with the
    LL902 findings of broken front-matter settings)."""
    kept = stored.keep(root, pages, reported, config.max_file_size) if reported is not None else {}
    if bar and kept:
        bar.advance(len(kept))  # taken from the stored site: as good as loaded
    # A run on the whole site of a profile whose links resolve from the files
    # alone resolves each page's links as it comes in: in a cold run on
    # several processes that work is shared out with the parsing, where after
    # it it was serial (half a second at 10,000 posts).
    early = None
    if reported is None and not profile_class.links_need_documents:
        history_root = inv.root if inv.in_git and selection.wants(_ASKS_HISTORY) else None
        early = _EarlyLinks(_with_cache(profile_class(config, inv, set(pages), None), cache), history_root, selection.wants(_ASKS_IDS))
    try:
        loaded = load_pages(
            root,
            [rel for rel in pages if rel not in kept] if kept else pages,
            config.max_file_size,
            cache=cache,
            jobs=jobs,
            progress=bar.advance if bar else None,
            terms_language=config.language if _counts_while_loading(reported, stored, selection) else None,
            parsed=early.add if early else None,
            stamps=inv.stamps,
        )
    finally:
        if bar:
            bar.close()
        past = early.finish() if early is not None else None
    documents = {rel: kept[rel] if rel in kept else loaded.documents[rel] for rel in pages} if kept else loaded.documents
    if early is not None:
        profile = early.resolver.profile
        profile.documents = documents
    else:
        profile = _with_cache(profile_class(config, inv, set(documents), documents), cache)
    stored_links, retarget = stored.stored_links(documents, profile) if kept else (None, False)
    site = Site(
        config, inv, documents, profile, stored_links, retarget=retarget,
        resolver=early.resolver if early else None, resolved=early.targets if early else None,
        inbound=early.inbound.complete() if early else None, ids=early.ids if early else None,
        linkers=stored.snapshot.linkers if kept and stored.snapshot is not None else None,
    )
    if past is not None:
        renames.read_for(site, past)
    suggester = Suggester(site, cache, loaded.terms, stored.stored_terms if kept else None, loaded.tables)

    settings = _Settings(config, site)
    found: list[Violation] = []
    for rel, doc in documents.items():
        if reported is None or reported(rel):
            settings[rel], errors = _page_settings(config, site, doc)
            found.extend(errors)
    return site, suggester, settings, found


class _Settings(dict):
    """Each page's rule settings (``_page_settings``). A run on a few paths
    works them out for the pages it reports on, with their LL902 findings,
    and for any other page when a rule asks (the pages its posts link to):
    50,000 pages' settings were 40 ms of a pre-commit run on two posts. The
    findings of the other pages would not be reported."""

    def __init__(self, config: Config, site: Site) -> None:
        super().__init__()
        self.config = config
        self.site = site

    def __missing__(self, rel: str) -> dict[str, RuleSetting]:
        found = self[rel] = _page_settings(self.config, self.site, self.site.documents[rel])[0]
        return found


class _EarlyLinks:
    """Where the links of each page lead, and so the links into each page,
    worked out as the page is loaded. With ``history_root``, the first link
    to a missing file starts reading Git's rename history there, which the
    broken-link rule will ask for (``renames.HistoryReading``). With
    ``with_ids``, the fragments each page linked with a fragment answers to
    (``Site.ids``), worked out as soon as both the page and such a link are
    loaded: the broken-anchor rule asks for them, and asked in the rules,
    each rule process worked them out again for the pages its share links to
    (14,400 pages' ids in two processes against 9,300 in one at 10,000 posts),
    where here they are shared out with the parsing."""

    def __init__(self, profile, history_root: Path | None = None, with_ids: bool = False) -> None:
        from linklint.site import InboundEdges, LinkResolver

        self.resolver = LinkResolver(profile)
        self.targets: dict[str, tuple] = {}
        self.inbound = InboundEdges()
        self._history_root = history_root
        self._history = None
        self.ids: dict[str, frozenset[str]] = {}
        self._with_ids = with_ids
        self._loaded: dict[str, Document] = {}
        self._ids_wanted: set[str] = set()  # linked with a fragment, not loaded yet

    def add(self, doc: Document) -> None:
        targets = self.targets[doc.path] = self.resolver.page(doc)
        self.inbound.add(doc, targets)
        if self._history_root is not None and any(target.status == Status.MISSING and target.path for target in targets):
            self._history = renames.HistoryReading(self._history_root)
            self._history_root = None
        if self._with_ids:
            self._add_ids(doc, targets)

    def _add_ids(self, doc: Document, targets: tuple) -> None:
        loaded, ids = self._loaded, self.ids
        loaded[doc.path] = doc
        if doc.path in self._ids_wanted:
            self._ids_wanted.discard(doc.path)
            ids[doc.path] = self.resolver.profile.fragment_ids(doc)
        for target in targets:
            page = target.path
            if target.fragment is None or target.status != Status.PAGE or page in ids:
                continue
            if page in loaded:
                ids[page] = self.resolver.profile.fragment_ids(loaded[page])
            else:
                self._ids_wanted.add(page)

    def finish(self) -> RenameHistory | None:
        """The history read, if it was started: before the rules, and before
        any rule process is forked."""
        past = None
        if self._history is not None:
            past = self._history.finish()
            self._history = None
        self._loaded = {}
        return past


def run_key(
    inv: Inventory, config: Config, paths: Sequence[str] | None, selection: Selection, unsafe_fixes: bool
) -> str:
    """Everything a run's report depends on, as one string: the configuration,
    the options, the size, modification time and mode of every file of the
    repository (pages, generator configs, images: a new or removed file can
    make a link valid or broken), and Git's state (renames in its history
    shape fixes). Stored results are keyed by its digest with linklint's
    version and code (see ``ParseCache.get_result``).

    Like Git's index and make, this trusts modification times: a file
    rewritten with the same size within the same nanosecond tick would go
    unnoticed. ``_settled`` keeps results of files changed just before or
    during a run from being stored at all."""
    import hashlib

    digest = hashlib.sha256()
    digest.update(_command_parts(inv, config, paths, selection, unsafe_fixes))
    if inv.in_git:
        from linklint.renames import repository_state

        digest.update(repr(repository_state(inv.root)).encode())
    digest.update(_stamps_bytes(inv.stamps))
    return digest.hexdigest()


def _stamps_bytes(stamps: Mapping[str, tuple[int, int, int]]) -> bytes:
    """Every file's name and stamp as bytes: the names (which hold no NUL)
    joined, then the stamps' numbers as one array of 64-bit integers (a
    string made and hashed per file was 40 ms at 50,000 files, this 17)."""
    from array import array
    from itertools import chain

    names = sorted(stamps)
    head = f"{len(names)}\0" + "\0".join(names)
    try:
        numbers = b"a" + array("q", chain.from_iterable(map(stamps.__getitem__, names))).tobytes()
    except OverflowError:  # a time past the year 2262: each stamp written out
        numbers = b"r" + repr([stamps[rel] for rel in names]).encode()
    return head.encode("utf-8", "surrogatepass") + b"\0" + numbers


def _command_parts(inv: Inventory, config: Config, paths, selection: Selection, unsafe_fixes: bool) -> bytes:
    parts = (repr(config), inv.root.as_posix(), inv.in_git, paths and sorted(paths), selection, unsafe_fixes)
    return repr(parts).encode("utf-8", "surrogatepass")


def run_slot(inv: Inventory, config: Config, paths, selection: Selection, unsafe_fixes: bool) -> str:
    """The command a run answers (configuration, options), without the state
    of the files: one stored result per command, replaced by the next."""
    import hashlib

    return hashlib.sha256(_command_parts(inv, config, paths, selection, unsafe_fixes)).hexdigest()


# Files changed this recently before a run may change again within the same
# timestamp tick on coarse file systems: a result that depends on them is not stored.
_SETTLE_NS = 2_000_000_000


def _settled(inv: Inventory, started: int) -> bool:
    newest = max((stamp[1] for stamp in inv.stamps.values()), default=0)
    return newest < started - _SETTLE_NS


def _site_dir(profile_class: type, config: Config, inv: Inventory) -> str:
    """The folder of a generator's site ('' for the root or a plain repository)."""
    from linklint.sites import site_folder

    if not profile_class.is_generator:
        return ""
    return site_folder(profile_class, inv.files, config.content, inv.root)


def _in_site(path: str, site_dir: str) -> str:
    """``path`` relative to the site's folder when it lies inside it: where a
    generator's own folders (``_layouts/``, ``themes/``) are looked for."""
    prefix = site_dir + "/" if site_dir else ""
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


# Rules whose findings may carry related-page suggestions: when one may run,
# every page's terms are counted while it is parsed.
_SUGGESTING_RULES = ("LL001", "LL002", "LL007")


def _counts_while_loading(reported, stored: _StoredSite, selection: Selection) -> bool:
    """Whether every page's terms are counted as the pages load (by the
    parent, while workers parse): in a run that may ask for related pages,
    when it loads every page in full anyway: on the whole site, or on some
    pages with no stored site to take the others from (a cold cache, a CI
    job on a fresh runner). The first related-page question needs every
    page's terms; counted after loading, in one process, they were 3 s of a
    12.8 s cold run on one post at 10,000 posts. A run on a few pages with a
    stored site counts only what a suggestion asks for."""
    if not _may_suggest_pages(selection):
        return False
    return reported is None or stored.snapshot is None


def _may_suggest_pages(selection: Selection) -> bool:
    """Whether a run may ask for related pages (see ``_counts_while_loading``
    for when every page's terms are then counted as pages load). A run on a
    few paths with a stored site counts them only if a suggestion is asked
    for (and spaCy is not loaded at all when none is)."""
    return any(selection.wants(code) for code in _SUGGESTING_RULES)


def _page_settings(config: Config, site: Site, doc: Document) -> tuple[dict[str, RuleSetting], list[Violation]]:
    """The rule settings of one page (config, then its front matter) and the
    LL902 findings for a broken front-matter ``linklint`` key."""
    base = config.rule_settings(site.content_path(doc.path))
    errors: list[Violation] = []
    if "linklint" in doc.front_matter:
        line = _front_matter_key_line(doc, "linklint")
        base, messages = apply_front_matter(base, doc.front_matter["linklint"], specs(), path=doc.path, line=line)
        for message in messages:
            violation = _problem_violation(doc, Problem("LL902", message, line, 1), base)
            if violation is not None:
                errors.append(violation)
    return base, errors


# Below this many pages the rules run in this process: starting workers costs
# more than they save.
PARALLEL_MIN_RULE_PAGES = 200
# Pages per task for the rules: pages differ a lot in cost (a post with
# findings asks for suggestions), so tasks are small to balance the workers.
RULE_CHUNK = 16


def _rule_workers(jobs: int | None, count: int) -> int:
    if jobs is not None:
        return max(1, jobs) if count >= 2 else 1
    if count < PARALLEL_MIN_RULE_PAGES:
        return 1
    return min(os.cpu_count() or 1, 8)


def _rule_tasks(pages: list[str], inbound: Mapping[str, Sequence[object]]) -> list[list[str]]:
    """The pages in rule tasks: the costly ones first, each a task of its
    own, then the others in the site's order, ``RULE_CHUNK`` to a task.

    A page's rules cost about as much as the links into it (LL005 compares
    the texts of every one): a landing page with thousands of inbound links
    is many posts' worth of work. The workers start on those, so none is
    left to the end while the other process waits. The rest keep the site's
    order because this process takes them from the end back (``share``'s
    ``from_end``) while the worker goes on from the front: each process
    checks the posts of the same folders, which link to and are suggested
    the same pages, so more of what is worked out about those pages (their
    key phrases, their headings' ids) is worked out in one process only."""
    counts = {rel: len(inbound.get(rel, ())) for rel in pages}
    typical = sorted(counts.values())[len(counts) // 2] if counts else 0
    # More than a whole task of typical pages.
    costly = max(RULE_CHUNK * typical, RULE_CHUNK * 2)
    heavy = sorted((rel for rel in pages if counts[rel] > costly), key=lambda rel: -counts[rel])
    rest = [rel for rel in pages if counts[rel] <= costly]
    return [[rel] for rel in heavy] + [rest[i : i + RULE_CHUNK] for i in range(0, len(rest), RULE_CHUNK)]


# The rule run the workers of a pool work for: set before the pool starts, so
# forked workers inherit it (site, settings, suggester) instead of unpickling it.
_ACTIVE: _PageRules | None = None


def _run_chunk(pages: list[str]) -> list[tuple]:
    """One task of a worker: the violations of ``pages``, packed for the trip
    back with their printed texts when the run makes them (the anchor texts
    and words it learned come back with them as news, see ``linklint.nlp``)."""
    from linklint.packing import pack_violation

    assert _ACTIVE is not None
    printed = _ACTIVE.printed
    return [(pack_violation(v), printed(v) if printed else None) for v in _ACTIVE.run(pages)]


class _LexiconMemory:
    """The lexicon kept from run to run (``linklint.lexicon``): the tokens and
    lemmas of words seen before need no spaCy, so a pre-commit run on an
    edited post that asks for related pages need not load it."""

    def __init__(self, cache: ParseCache | None) -> None:
        from linklint.nlp import use_stored_lexicon

        self.cache = cache
        self.absent: set[str] = set()  # languages with nothing stored
        # The folder of the cache (``linklint fix`` wraps the real one).
        where = getattr(getattr(cache, "inner", cache), "dir", None)
        use_stored_lexicon(self._stored if cache is not None else None, where)

    def _stored(self, language: str) -> Lexicon | None:
        assert self.cache is not None
        found = self.cache.get_lexicon(language)
        if found is None:
            self.absent.add(language)
        return found

    def store(self) -> None:
        """Store each lexicon that learned words in this run, whose rules
        worked out what is worth keeping, or that the cache lacks (once spaCy
        has said anything)."""
        from linklint.nlp import learned_words, lexicon, worked_out_rules

        learned = learned_words()
        if self.cache is None:
            return
        for language in set(learned) | worked_out_rules() | self.absent:
            known = lexicon(language)
            if known.words:
                self.cache.put_lexicon(language, known)
                if known.rules is not None:
                    known.rules.worked_out = False


class _AnchorMemory:
    """Normalised anchor texts kept from run to run: LL005 and LL006 compare
    anchor texts after lemmatising them, and a run that meets only texts seen
    before (a pre-commit run on one edited post) need not load spaCy."""

    def __init__(self, cache: ParseCache | None, site: Site) -> None:
        from linklint.nlp import learned_anchors, remember_anchors

        self.cache = cache
        self.site = site
        if cache is not None:
            remember_anchors(cache.get_anchors())
        learned_anchors()  # what was known before this run is not news

    def store(self) -> None:
        """Store the forms of this site's texts when the run learned new ones
        (worker processes' included: they come back as news of their tasks)."""
        from linklint.nlp import GENERIC_ANCHOR_PHRASES, forget_learned_anchors, known_anchors, learned_anchors

        if self.cache is None:
            forget_learned_anchors()
            return
        if not learned_anchors():
            return
        if self.site.stored_links:
            # A run on a few paths has not read most pages' links and headings:
            # it adds what it learned to what was stored (a run on the whole
            # site drops the texts no page uses any more).
            self.cache.put_anchors(known_anchors(lambda text: True))
            return
        texts = set(GENERIC_ANCHOR_PHRASES)
        for path, doc in self.site.documents.items():
            texts.add(self.site.title(path))
            texts.update(link.text for link in doc.links)
            texts.update(heading.text for heading in doc.headings)
        self.cache.put_anchors(known_anchors(texts.__contains__))


class _PageRules:
    """Running the rules page by page, in this process or in forked workers."""

    def __init__(self, site: Site, settings, selection: Selection, suggester: Suggester, unsafe_fixes: bool, wanted, prerendered: Prerendered | None = None):
        self.site = site
        self.settings = settings
        self.selection = selection
        self.suggester = suggester
        self.unsafe_fixes = unsafe_fixes
        self.wanted = wanted
        self.rules = [
            (code, rule) for code, rule in RULES.items() if hasattr(rule, "check") and selection.wants(code)
        ]
        self.prerendered = prerendered
        # A violation's printed text (the bytes the command writes), when the
        # run makes them.
        self.printed: Callable[[Violation], bytes] | None = None
        if prerendered is not None:
            from linklint.output import SourceLines

            make = prerendered.maker()
            sources = SourceLines(_Texts(site.documents))
            self.printed = lambda v: make(v, sources)

    def pages(self) -> list[str]:
        """The pages a rule has to run on: the reported ones, and for rules
        that report in *other* pages (LL005 reports at the links into a page),
        the pages those link to. This keeps a pre-commit run on one post from
        checking the whole site."""
        reported = [rel for rel in self.site.documents if self.wanted(rel)]
        if len(reported) == len(self.site.documents):
            return reported
        if not any(getattr(rule, "REPORTS_ELSEWHERE", False) for _, rule in self.rules):
            return reported
        linked = set(reported)
        for rel in reported:
            linked.update(self.site.outbound_pages(rel))
        return [rel for rel in self.site.documents if rel in linked]

    def run_all(self, jobs: int | None, meanwhile: Callable[[], None] | None = None) -> list[Violation]:
        """Every page's violations; ``meanwhile()`` is done in this process
        while a rule worker starts on the pages."""
        global _ACTIVE
        pages = self.pages()
        workers = _rule_workers(jobs, len(pages))
        if workers <= 1:
            if meanwhile is not None:
                meanwhile()
            return self.run_here(pages)
        self._prepare()
        from linklint.workshare import share

        _ACTIVE = self
        try:
            found = share(_rule_tasks(pages, self.site.inbound), workers, here=self.run_here, there=_run_chunk, receive=self._received, first=meanwhile, from_end=True)
        finally:
            _ACTIVE = None
        return [violation for chunk in found for violation in chunk]

    def run_here(self, pages: Sequence[str]) -> list[Violation]:
        """``run``, keeping each violation's printed text when the run makes
        them. A page's rules find only what is reported (a rule that reports
        in other pages skips those not reported): no text is made for nothing."""
        found = self.run(pages)
        if self.printed is not None:
            assert self.prerendered is not None
            add, printed = self.prerendered.add, self.printed
            for violation in found:
                add(violation, printed(violation))
        return found

    def _received(self, answer: list[tuple]) -> list[Violation]:
        """A worker's violations (``_run_chunk``), their texts kept."""
        from linklint.packing import unpack_violation

        found = list(map(unpack_violation, [packed for packed, _ in answer]))
        if self.prerendered is not None:
            for violation, (_, text) in zip(found, answer):
                if text is not None:
                    self.prerendered.add(violation, text)
        return found

    def _prepare(self) -> None:
        """Build, once and before the workers start, what every worker would
        otherwise build for itself: the link graph and, when suggestions may
        be asked for, the relevance index."""
        self.site.inbound.complete()
        if any(code in _SUGGESTING_RULES for code, _ in self.rules):
            self.suggester.index.prepare()

    def run(self, pages: Sequence[str]) -> list[Violation]:
        found: list[Violation] = []
        for rel in pages:
            found.extend(self._run_page(rel))
        return found

    def _run_page(self, rel: str) -> Iterator[Violation]:
        site = self.site
        doc = site.documents[rel]
        reported_here = self.wanted(rel)
        for problem in doc.problems if reported_here else ():
            violation = _problem_violation(doc, problem, self.settings[rel])
            if violation is not None:
                yield violation
        if doc.problems and not doc.text:
            return
        for code, rule in self.rules:
            if not reported_here and not getattr(rule, "REPORTS_ELSEWHERE", False):
                continue
            setting = self.settings[rel][code]
            if not setting.enabled:
                continue
            ctx = Context(site, rel, setting.options, self.suggester, self.unsafe_fixes, self.wanted)
            for finding in rule.check(ctx):
                where = finding.path or rel
                severity = self.settings[where][code].level if finding.path else setting.level
                if severity == "off":
                    continue
                if finding.at_most == "warning":
                    severity = "warning"
                yield Violation(
                    code,
                    rule.NAME,
                    Severity(severity),
                    where,
                    finding.span,
                    finding.message,
                    finding.target,
                    finding.suggestions,
                    finding.fix,
                )


class _Texts(Mapping[str, str]):
    """The pages' texts by path, as the printed violations quote them."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self.documents = documents

    def __getitem__(self, path: str) -> str:
        return self.documents[path].text

    def __iter__(self) -> Iterator[str]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


def _path_filter(paths: Sequence[str] | None):
    if paths is None:
        return lambda path: True
    exact = {p.rstrip("/") for p in paths}
    folders = tuple(p.rstrip("/") + "/" for p in paths if p not in ("", "."))
    if "." in exact or "" in exact:
        return lambda path: True
    return lambda path: path in exact or path.startswith(folders)


def _front_matter_key_line(doc: Document, key: str) -> int:
    """The line of a top-level front-matter key, for messages about its value."""
    if doc.front_matter_span is None:
        return 1
    index = LineIndex(doc.text)
    for line in range(doc.front_matter_span.line, doc.front_matter_span.end_line + 1):
        text = index.line_text(line)
        if text.startswith((f"{key}:", f"{key} =", f'"{key}"')):
            return line
    return doc.front_matter_span.line


def _problem_violation(
    doc: Document, problem: Problem, settings: dict[str, RuleSetting]
) -> Violation | None:
    rule = RULES[problem.code]
    level = settings[problem.code].level
    if level == "off":
        return None
    return Violation(
        problem.code,
        rule.NAME,
        Severity(level),
        doc.path,
        _problem_span(doc, problem),
        problem.message,
    )


def _problem_span(doc: Document, problem: Problem) -> Span:
    if not doc.text:
        return Span(0, 0, problem.line, problem.column, problem.line, problem.column)
    index = LineIndex(doc.text)
    line = min(max(problem.line, 1), index.line_count)
    start = index.line_start(line) + min(problem.column - 1, len(index.line_text(line)))
    return index.span(start, start)


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def relative_to_root(root: Path, path: str | os.PathLike[str]) -> str | None:
    """A user-given path as a repository-relative POSIX path, or None when it
    is outside the repository."""
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(root.resolve())
    except ValueError:
        return None
    text = rel.as_posix()
    return "." if text in ("", ".") else text
