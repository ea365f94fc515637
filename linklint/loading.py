"""Reading and parsing every page: from the cache when the content is known,
shared with forked workers when there are enough new pages to pay for them.

Parsing is pure and per file, so it parallelises cleanly; workers return
``Document`` values (plain data), never markdown-it token lists, which pickle
slowly.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ContextManager, Mapping, NamedTuple, Sequence, Tuple

from linklint.discover import OutsideRepository, read_inside
from linklint.model import Document, Problem
from linklint.packing import Packed, pack, unpack

if TYPE_CHECKING:
    from linklint.cache import ParseCache
    from linklint.termtable import TermTable

# Below this many pages to parse, starting worker processes costs more than it
# saves (measured with bench/run.py: a pool pays from roughly 150 typical posts).
PARALLEL_MIN_PAGES = 200
# Pages per task: large enough to amortise pickling, small enough to balance.
CHUNK = 64
# From this many pages parsed in a run on, their cache entries go to bundles.
BUNDLE_MIN_PAGES = CHUNK
# Bytes of Markdown per parsing task at most (a page larger than this is a
# task of its own).
CHUNK_BYTES = 256 * 1024
# The last tasks are cut in pieces, so the processes finish together (see
# ``_cut_the_last``).
TAIL_TASKS = 4
TAIL_PIECES = 4
# Pages larger than this are parsed first, the largest first (about 4 ms of
# parsing here); the others in the site's order (see ``_parsing_tasks``).
LARGE_PAGE_BYTES = 32 * 1024


def read_page(root: Path, rel: str) -> bytes | Document:
    """The page's bytes, or a Document carrying the LL901 problem."""
    try:
        return read_inside(root, rel)
    except OutsideRepository:
        return _unreadable(rel, "symbolic link leads outside the repository; not read")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _unreadable(rel, "symbolic link loop; not read")
        if exc.errno == errno.EISDIR:
            return _unreadable(rel, "is a folder, not a file; not read")
        return _unreadable(rel, f"cannot be read: {exc.strerror or exc}")


def load_page(root: Path, rel: str, max_bytes: int, cache: ParseCache | None, *, store: bool = False) -> Document:
    """One page parsed, from the cache when its content is known (and with
    ``store``, stored there when it was not)."""
    from linklint.document import parse_document

    data = read_page(root, rel)
    if isinstance(data, Document):
        return data
    cached = cache.get(rel, data) if cache is not None else None
    if cached is not None:
        return cached
    doc = parse_document(rel, data, max_bytes=max_bytes)
    if store and cache is not None:
        cache.put(rel, data, doc)
    return doc


def _ignore(doc: Document) -> None:
    pass


def _unreadable(rel: str, message: str) -> Document:
    return Document(path=rel, text="", problems=(Problem("LL901", message),))


class Loaded(NamedTuple):
    """Every page parsed, in the order asked for, and when asked for, each
    page's term counts (for related-page suggestions): page by page in
    ``terms``, or as the tables of the parsing tasks that counted them."""

    documents: dict[str, Document]
    terms: dict[str, dict[str, int]]
    tables: Tuple[TermTable, ...] = ()

    def counts(self) -> dict[str, dict[str, int]]:
        """Every counted page's term counts, in the order of ``documents``."""
        found = dict(self.terms)
        for table in self.tables:
            found.update(table.as_dict())
        return {rel: found[rel] for rel in self.documents if rel in found}


def _parsed(root: Path, rel: str, max_bytes: int, store: ParseCache | None, read: Mapping[str, bytes] | None = None) -> Document:
    """One page read (unless its bytes are in ``read``), parsed and stored."""
    data, doc = _read_and_parse(root, rel, max_bytes, read)
    if store is not None and data is not None:
        store.put(rel, data, doc)
    return doc


def _read_and_parse(root: Path, rel: str, max_bytes: int, read: Mapping[str, bytes] | None = None) -> tuple[bytes | None, Document]:
    """The page's bytes (None when it could not be read) and its parse."""
    from linklint.document import parse_document

    data = read[rel] if read and rel in read else read_page(root, rel)
    if isinstance(data, Document):
        return None, data
    return data, parse_document(rel, data, max_bytes=max_bytes)


def _counted(doc: Document, language: str, store: ParseCache | None) -> dict[str, int]:
    """The page's term counts, stored in ``store``."""
    from linklint.terms import count_terms, relevance_text

    if store is None or not doc.text:
        return count_terms(doc, language)
    text = relevance_text(doc)  # the entry's key too
    counted = count_terms(doc, language, text)
    store.put_terms(text, counted, language)
    return counted


def _counted_table(docs: Sequence[Document], language: str, store: ParseCache | None) -> TermTable:
    """The term counts of a task's pages as one table (stored page by page in
    ``store``). Made per task, a table costs the end of the parsing nothing
    but joining it to the others (``TermTable.combined``): the counts of
    10,000 pages as dicts made into one table were half a second of a cold
    run's serial work, and seconds at 50,000."""
    from linklint.termtable import TermTable

    return TermTable.from_counts({doc.path: _counted(doc, language, store) for doc in docs})


def _parse_many(root: Path, rels: Sequence[str], max_bytes: int, store: ParseCache | None) -> list[Packed]:
    """A parsing task in a worker, packed for the trip back (and stored in
    ``store`` as packed: each page is packed once)."""
    out = []
    with _batched(store, len(rels) > 1):
        for rel in rels:
            data, doc = _read_and_parse(root, rel, max_bytes)
            packed = pack(doc)
            if store is not None and data is not None:
                store.put_packed(data, packed)
            out.append(packed)
    return out


def _batched(store: ParseCache | None, many: bool) -> ContextManager[None]:
    """``store.batched()`` when many pages are stored at once (a bundle per
    parsing task rather than a file per entry), else nothing."""
    batched = getattr(store, "batched", None)
    return batched() if many and batched is not None else contextlib.nullcontext()


def load_documents(
    root: Path,
    pages: Sequence[str],
    max_bytes: int,
    *,
    cache: ParseCache | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Document]:
    """Every page parsed, in the order of ``pages``."""
    return load_pages(root, pages, max_bytes, cache=cache, jobs=jobs, progress=progress).documents


def load_pages(
    root: Path,
    pages: Sequence[str],
    max_bytes: int,
    *,
    cache: ParseCache | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    terms_language: str | None = None,
    parsed: Callable[[Document], None] | None = None,
    stamps: Mapping[str, tuple[int, int, int]] | None = None,
) -> Loaded:
    """Every page parsed, from the cache where it can; with ``terms_language``
    also every page's term counts (in a cold run on several processes, this
    one counts them, see ``_parse_in_pool``). ``parsed(doc)`` is called in
    this process with each page as soon as it has it: work done there while
    other pages are still being parsed is shared out like the parsing.
    ``stamps`` (size, mtime, mode by path, as the inventory found them) spare
    a second look at each file's size."""
    from linklint.terms import relevance_text

    seen = parsed or _ignore

    documents: dict[str, Document] = {}
    terms: dict[str, dict[str, int]] = {}
    todo: list[str] = []
    uncounted: list[str] = []  # parsed before, terms not counted yet
    contents: dict[str, bytes] = {}
    nothing_stored = cache is None or (getattr(cache, "process_safe", False) and cache.is_empty())
    if nothing_stored and _workers(jobs, len(pages)) > 1:
        # Nothing to look up: the workers read the pages themselves (and store
        # what they parse), rather than this process reading every page first.
        todo = list(pages)
    else:
        for rel in pages:
            data = read_page(root, rel)
            if isinstance(data, Document):
                documents[rel] = data
                if terms_language:
                    terms[rel] = {}  # unreadable: about nothing
                continue
            cached = cache.get(rel, data) if cache is not None and not nothing_stored else None
            counted = None
            if cached is not None and terms_language:
                counted = cache.get_terms(relevance_text(cached), terms_language) if cached.text else {}  # type: ignore[union-attr]
            if cached is not None:
                documents[rel] = cached
                seen(cached)
                if counted is not None:
                    terms[rel] = counted
                elif terms_language:
                    uncounted.append(rel)
            else:
                todo.append(rel)
                contents[rel] = data
    if progress:
        progress(len(documents))

    workers = _workers(jobs, len(todo))
    tables: list[TermTable] = []
    # Many pages parsed: their entries are stored in bundles (a file creation
    # cost more than the write of a page's entry); a few, a file each.
    with _batched(cache, len(todo) + len(uncounted) >= BUNDLE_MIN_PAGES):
        if workers > 1:
            parsed_docs, tables = _parse_in_pool(root, todo, contents, max_bytes, terms_language, cache, workers, progress, seen, stamps)
            for doc in parsed_docs:
                documents[doc.path] = doc
        else:
            for rel in todo:
                doc = documents[rel] = _parsed(root, rel, max_bytes, cache, contents)
                seen(doc)
                if terms_language:
                    terms[rel] = _counted(doc, terms_language, cache)
                if progress:
                    progress(1)
        if uncounted and terms_language:
            counted_now = _count_terms([documents[rel] for rel in uncounted], terms_language, jobs)
            for rel, counted in zip(uncounted, counted_now):
                terms[rel] = counted
                if cache is not None:
                    cache.put_terms(relevance_text(documents[rel]), counted, terms_language)
    # In the order of ``pages``, whatever order they were parsed in.
    return Loaded({rel: documents[rel] for rel in pages}, {rel: terms[rel] for rel in pages if rel in terms}, tuple(tables))


# Documents whose terms the workers of a pool count: set before the pool
# starts, so forked workers inherit them instead of unpickling them.
_TO_COUNT: list[Document] = []


def _count_range(bounds: tuple[int, int], language: str) -> list[dict[str, int]]:
    from linklint.terms import count_terms

    start, stop = bounds
    return [count_terms(doc, language) for doc in _TO_COUNT[start:stop]]


def _count_terms(docs: list[Document], language: str, jobs: int | None) -> list[dict[str, int]]:
    from linklint.workshare import share

    global _TO_COUNT
    _TO_COUNT = docs
    try:
        count = functools.partial(_count_range, language=language)
        ranges = [(start, start + CHUNK) for start in range(0, len(docs), CHUNK)]
        counted = share(ranges, _workers(jobs, len(docs)), here=count, there=count, receive=lambda found: found)
        return [terms for chunk in counted for terms in chunk]
    finally:
        _TO_COUNT = []


def _workers(jobs: int | None, count: int) -> int:
    if jobs is not None:
        return max(1, jobs)
    if count < PARALLEL_MIN_PAGES:
        return 1
    return min(os.cpu_count() or 1, 8, max(1, count // CHUNK))


def _parse_in_pool(
    root: Path,
    todo: list[str],
    read: Mapping[str, bytes],
    max_bytes: int,
    language: str | None,
    cache: ParseCache | None,
    workers: int,
    progress: Callable[[int], None] | None,
    seen: Callable[[Document], None],
    stamps: Mapping[str, tuple[int, int, int]] | None = None,
) -> tuple[list[Document], list[TermTable]]:
    """The pages parsed, and with ``language`` the term tables of the tasks;
    ``seen`` is called here with each page as it comes."""
    from linklint.workshare import share

    chunks = _parsing_tasks(root, todo, stamps)
    done = (lambda parsed: progress(len(parsed[0]))) if progress else None
    # The worker stores what it parses itself when the cache is safe to write
    # from several processes (this process's time is the run's bottleneck);
    # otherwise this process stores it. This process stores what it parses
    # and every page's terms (it counts them all).
    worker_stores = getattr(cache, "process_safe", False)

    def taken(docs: list[Document]) -> tuple[list[Document], TermTable | None]:
        for doc in docs:
            seen(doc)
        return docs, _counted_table(docs, language, cache) if language else None

    def received(packed: list[Packed]) -> tuple[list[Document], TermTable | None]:
        docs = list(map(unpack, packed))
        if cache is not None and not worker_stores:
            for doc in docs:
                cache.put(doc.path, read[doc.path], doc)
        return taken(docs)

    # The parser's modules (markdown-it-py among them) are imported before the
    # worker forks: imported by each process at its first page, as they were,
    # the worker spent 25-30 ms on them that this process spends anyway.
    importlib.import_module("linklint.document")

    # The worker starts before the language pipeline is loaded (English with
    # nothing stored: about 60 ms, half of it compiling the tokenizer's
    # patterns; spaCy for another language: half a second and more) and only
    # parses; this process loads it in its first task and counts the terms of
    # every page, the worker's as they come back (about a sixth of the cost of
    # parsing them). Loading it first, before forking, kept both processes
    # waiting for it. The rule workers, forked later, inherit it.
    parsed = share(
        chunks,
        workers,
        here=lambda rels: taken([_parsed(root, rel, max_bytes, cache, read) for rel in rels]),  # no second read
        there=functools.partial(_parse_many, root, max_bytes=max_bytes, store=cache if worker_stores else None),
        receive=received,
        done=done,
    )
    docs = [doc for chunk, _ in parsed for doc in chunk]
    return docs, [table for _, table in parsed if table is not None]


def _parsing_tasks(root: Path, rels: Sequence[str], stamps: Mapping[str, tuple[int, int, int]] | None = None) -> list[list[str]]:
    """The pages in parsing tasks of at most ``CHUNK`` pages or ``CHUNK_BYTES``
    bytes: the large pages first, the largest first, then the others in the
    order of ``rels`` (the site's). Sizes come from ``stamps`` where they are
    a file's own (not a symlink's).

    Parsing time follows size, and a site's largest page can be a hundred
    times its median (a 1.4 MB changelog among 4 KB pages): parsed last, it
    would keep one process busy while the others wait. Pages of up to
    ``LARGE_PAGE_BYTES`` take a few milliseconds each, and the last tasks
    are cut smaller (``_cut_the_last``), so the others can keep the site's
    order. This process takes in the pages in about the order of the tasks,
    so the site is then loaded in its own order: the links into each page
    arrive sorted (``InboundEdges.complete``, serial between the parsing
    and the rules, sorts them in about half the time: 15-19 ms against
    27-29 at 10,000 posts), and the pages lie in memory in the order the
    rules take them. Two-process cold runs, parsing every page largest
    first and this way taking turns: 41.61 s against 40.55 s at 50,000
    posts (3 rounds, all shorter), 56-147 ms shorter at 10,000 (13 rounds,
    10 shorter), 26 ms on kubernetes/community, within the noise at 1,000."""
    sizes = {}
    for rel in rels:
        stamp = stamps.get(rel) if stamps is not None else None
        if stamp is not None and not stat.S_ISLNK(stamp[2]):
            sizes[rel] = stamp[0]
            continue
        try:
            sizes[rel] = os.stat(root / rel).st_size
        except OSError:
            sizes[rel] = 0  # read, and reported, by the task
    large = sorted((rel for rel in rels if sizes[rel] > LARGE_PAGE_BYTES), key=lambda rel: -sizes[rel])
    chunks: list[list[str]] = []
    chunk: list[str] = []
    total = 0
    for rel in large + [rel for rel in rels if sizes[rel] <= LARGE_PAGE_BYTES]:
        if chunk and (len(chunk) == CHUNK or total + sizes[rel] > CHUNK_BYTES):
            chunks.append(chunk)
            chunk, total = [], 0
        chunk.append(rel)
        total += sizes[rel]
    if chunk:
        chunks.append(chunk)
    return _cut_the_last(chunks)


def _cut_the_last(chunks: list[list[str]]) -> list[list[str]]:
    """The tasks with the last ``TAIL_TASKS`` of them cut in ``TAIL_PIECES``.

    A run's loading ends when its last task does, and this process then
    still has to take in the worker's last answer (unpack it, count its
    pages' terms): with whole tasks to the end, one process finished up to
    a task's time (64 small pages, 0.07 s at 1,000 posts) after the other.
    Small last tasks end both processes closer together."""
    if TAIL_TASKS <= 0:
        return chunks
    out = chunks[:-TAIL_TASKS]
    for chunk in chunks[-TAIL_TASKS:]:
        step = -(-len(chunk) // TAIL_PIECES)  # ceiling division
        out.extend(chunk[start : start + step] for start in range(0, len(chunk), step))
    return out
