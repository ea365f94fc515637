"""Reading and parsing every page: from the cache when the content is known,
in a process pool when there are enough new pages to pay for one.

Parsing is pure and per file, so it parallelises cleanly; workers return
``Document`` values (plain data), never markdown-it token lists, which pickle
slowly.
"""

from __future__ import annotations

import errno
import gc
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from linklint.discover import OutsideRepository, read_inside
from linklint.model import Document, Problem

if TYPE_CHECKING:
    from linklint.cache import ParseCache

# Below this many pages to parse, starting worker processes costs more than it
# saves (measured with bench/run.py: a pool pays from roughly 150 typical posts).
PARALLEL_MIN_PAGES = 200
# Pages per task: large enough to amortise pickling, small enough to balance.
CHUNK = 64


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


def _unreadable(rel: str, message: str) -> Document:
    return Document(path=rel, text="", problems=(Problem("LL901", message),))


def _parse_many(root: Path, rels: Sequence[str], max_bytes: int) -> list[Document]:
    from linklint.document import parse_document

    out = []
    for rel in rels:
        data = read_page(root, rel)
        out.append(data if isinstance(data, Document) else parse_document(rel, data, max_bytes=max_bytes))
    return out


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
    from linklint.document import parse_document

    documents: dict[str, Document] = {}
    todo: list[str] = []
    contents: dict[str, bytes] = {}
    for rel in pages:
        data = read_page(root, rel)
        if isinstance(data, Document):
            documents[rel] = data
            continue
        cached = cache.get(rel, data) if cache is not None else None
        if cached is not None:
            documents[rel] = cached
        else:
            todo.append(rel)
            contents[rel] = data
    if progress:
        progress(len(documents))

    workers = _workers(jobs, len(todo))
    if workers > 1:
        parsed = _parse_in_pool(root, todo, max_bytes, workers, progress)
    else:
        parsed = []
        for rel in todo:
            parsed.append(parse_document(rel, contents[rel], max_bytes=max_bytes))
            if progress:
                progress(1)
    for doc in parsed:
        documents[doc.path] = doc
        if cache is not None and doc.path in contents:
            cache.put(doc.path, contents[doc.path], doc)
    return {rel: documents[rel] for rel in pages}


def _workers(jobs: int | None, count: int) -> int:
    if jobs is not None:
        return max(1, jobs)
    if count < PARALLEL_MIN_PAGES:
        return 1
    return min(os.cpu_count() or 1, 8, max(1, count // CHUNK))


def _parse_in_pool(
    root: Path, todo: list[str], max_bytes: int, workers: int, progress: Callable[[int], None] | None
) -> list[Document]:
    import multiprocessing

    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    # fork keeps the imported parser in the children: no second import cost.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    gc.freeze()  # the children share the parent's objects without touching them
    out: list[Document] = []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for docs in pool.map(_parse_many, [root] * len(chunks), chunks, [max_bytes] * len(chunks)):
                out.extend(docs)
                if progress:
                    progress(len(docs))
    finally:
        gc.unfreeze()
    return out
