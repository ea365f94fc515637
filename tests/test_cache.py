"""The parse cache: what it stores, what it refuses, and that it never fails a run."""

from __future__ import annotations

import datetime
import os
import pickle
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import linklint.cache as cache_module
import linklint.document
from linklint.cache import CACHE_DIR, ParseCache
from linklint.document import parse_document
from linklint.loading import load_documents
from linklint.model import Applicability, Document, Edit, Fix, Severity, Violation
from linklint.report import Report

SALT = "max_file_size=5000000"

POST = """\
---
title: Hot composting
date: 2024-03-01T08:30:00+01:00
tags: [soil, compost]
---

# Hot composting

A hot heap needs [greens and browns](../basics/greens.md#ratio) and a
[thermometer][thermo]. See <https://example.com/heat> and the [plan](plan.md).

![A heap](../images/heap.png)

## Turning the heap {#turning}

<!-- linklint-disable-next-line LL006 -->
[read more](turning.md)

[thermo]: ../tools/thermometer.md
"""


def parse(path: str, data: bytes) -> Document:
    return parse_document(path, data, max_bytes=5_000_000)


def entries(root: Path) -> list[Path]:
    """Every stored entry (not the folder's own files)."""
    folder = root / CACHE_DIR
    return sorted(p for p in folder.glob("??/*") if p.is_file())


@pytest.fixture
def data() -> bytes:
    return POST.encode("utf-8")


@pytest.fixture
def doc(data: bytes) -> Document:
    return parse("posts/hot.md", data)


# -- storing and finding -----------------------------------------------------------


def test_round_trip_in_a_new_run(tmp_path: Path, data: bytes, doc: Document) -> None:
    assert doc.links and doc.headings and doc.front_matter["tags"] == ["soil", "compost"]
    ParseCache(tmp_path, SALT).put("posts/hot.md", data, doc)

    loaded = ParseCache(tmp_path, SALT).get("posts/hot.md", data)  # a later run
    assert loaded == doc
    assert isinstance(loaded.front_matter["date"], datetime.datetime)


def test_folder_layout_and_gitignore(tmp_path: Path, data: bytes, doc: Document) -> None:
    ParseCache(tmp_path, SALT).put("posts/hot.md", data, doc)
    folder = tmp_path / CACHE_DIR
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    (entry,) = entries(tmp_path)
    key = entry.parent.name + entry.name
    assert len(entry.parent.name) == 2 and len(key) == 64 and int(key, 16) >= 0
    assert not [p for p in folder.rglob(".tmp-*")]


def test_gitignore_keeps_the_cache_out_of_git(tmp_path: Path, data: bytes, doc: Document) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    ParseCache(tmp_path, SALT).put("posts/hot.md", data, doc)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert listed.stdout == ""


def test_same_content_at_two_paths(tmp_path: Path, data: bytes, doc: Document) -> None:
    cache = ParseCache(tmp_path, SALT)
    cache.put("posts/hot.md", data, doc)

    copy = cache.get("archive/2024/hot-copy.md", data)
    assert copy is not None
    assert copy.path == "archive/2024/hot-copy.md"
    assert copy == parse("archive/2024/hot-copy.md", data)
    assert cache.get("posts/hot.md", data).path == "posts/hot.md"
    assert len(entries(tmp_path)) == 1  # stored once, for every path


def test_the_same_bytes_as_markdown_and_as_mdx_are_two_entries(tmp_path: Path) -> None:
    # MDX has no indented code: the same bytes are a heading in an MDX page
    # and code in a Markdown one.
    data = b"# Page\n\n    ## Indented\n"
    cache = ParseCache(tmp_path, SALT)
    as_markdown, as_mdx = parse("a.md", data), parse("b.mdx", data)
    assert ([h.text for h in as_markdown.headings], [h.text for h in as_mdx.headings]) == (["Page"], ["Page", "Indented"])
    cache.put("a.md", data, as_markdown)
    assert cache.get("c.mdx", data) is None
    cache.put("b.mdx", data, as_mdx)
    assert cache.get("c.MDX", data) == parse("c.MDX", data)
    assert cache.get("c.md", data) == parse("c.md", data)
    assert len(entries(tmp_path)) == 2


def test_a_page_stored_packed_is_the_entry_put_stores(tmp_path: Path, data: bytes, doc: Document) -> None:
    from linklint.packing import pack

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ParseCache(tmp_path / "a", SALT).put("posts/hot.md", data, doc)
    ParseCache(tmp_path / "b", SALT).put_packed(data, pack(doc))  # as a worker stores what it parsed

    (put,), (packed,) = entries(tmp_path / "a"), entries(tmp_path / "b")
    assert packed.relative_to(tmp_path / "b") == put.relative_to(tmp_path / "a")
    assert packed.read_bytes() == put.read_bytes()
    assert ParseCache(tmp_path / "b", SALT).get("archive/hot.md", data) == parse("archive/hot.md", data)

def test_changed_bytes_miss(tmp_path: Path, data: bytes, doc: Document) -> None:
    cache = ParseCache(tmp_path, SALT)
    cache.put("posts/hot.md", data, doc)
    assert cache.get("posts/hot.md", data.replace(b"plan.md", b"plans.md")) is None
    assert cache.get("posts/hot.md", data + b"\n") is None
    assert cache.get("posts/hot.md", data.replace(b"\n", b"\r\n")) is None


def test_other_configuration_misses(tmp_path: Path, data: bytes, doc: Document) -> None:
    ParseCache(tmp_path, SALT).put("posts/hot.md", data, doc)
    assert ParseCache(tmp_path, "max_file_size=100").get("posts/hot.md", data) is None
    assert ParseCache(tmp_path, SALT).get("posts/hot.md", data) == doc


def test_other_linklint_code_misses(tmp_path: Path, data: bytes, doc: Document, monkeypatch) -> None:
    ParseCache(tmp_path, SALT).put("posts/hot.md", data, doc)
    monkeypatch.setattr(cache_module, "_fingerprint", "an edited parser")
    assert ParseCache(tmp_path, SALT).get("posts/hot.md", data) is None
    monkeypatch.setattr(cache_module, "_fingerprint", None)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert ParseCache(tmp_path, SALT).get("posts/hot.md", data) is None


def test_disabled_cache_reads_and_writes_nothing(tmp_path: Path, data: bytes, doc: Document) -> None:
    ParseCache(tmp_path, SALT).put("posts/hot.md", data, doc)
    off = ParseCache(tmp_path, SALT, enabled=False)
    assert off.get("posts/hot.md", data) is None
    off.put("other.md", b"# other\n", parse("other.md", b"# other\n"))
    assert len(entries(tmp_path)) == 1


def test_problem_documents_round_trip(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path, SALT)
    for data in (b"\xff\xfe not utf-8", b"---\ntitle: [unclosed\n---\n# x\n", b"\xef\xbb\xbf# BOM\r\n"):
        doc = parse("p.md", data)
        cache.put("p.md", data, doc)
        assert cache.get("q.md", data) == parse("q.md", data)


# -- entries that must not be trusted ------------------------------------------------


class _Exec:
    """Unpickling this would run ``code``: the classic pickle attack."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


def _partial_document() -> Document:
    # A Document as an older model might have pickled it: fields missing.
    broken = object.__new__(Document)
    object.__setattr__(broken, "text", "# x\n")
    return broken


def _swapped(blob: bytes) -> bytes:
    """The first two different neighbouring bytes of the payload swapped."""
    at = next(i for i in range(8, len(blob) - 1) if blob[i] != blob[i + 1])
    return blob[:at] + blob[at + 1 : at + 2] + blob[at : at + 1] + blob[at + 2 :]


def _checksummed(payload: bytes) -> bytes:
    return payload + cache_module._digest(payload)


BAD_ENTRIES = {
    "garbage": lambda blob: os.urandom(300),
    "empty": lambda blob: b"",
    "truncated": lambda blob: blob[: len(blob) // 2],
    "one byte flipped": lambda blob: blob[:-40] + bytes([blob[-40] ^ 0x20]) + blob[-39:],
    "one bit flipped in the checksum": lambda blob: blob[:-1] + bytes([blob[-1] ^ 0x01]),
    "the last byte cut": lambda blob: blob[:-1],
    "two bytes swapped": lambda blob: _swapped(blob),
    "plain pickle of a document": lambda blob: blob[: -cache_module._DIGEST_SIZE],
    "a byte after the payload, checksummed": lambda blob: _checksummed(blob[: -cache_module._DIGEST_SIZE] + b"."),
    "another type": lambda blob: cache_module._dump({"path": "p.md", "text": "# x"}),
    "a document with missing fields": lambda blob: cache_module._dump(_partial_document()),
}


@pytest.mark.parametrize("damage", list(BAD_ENTRIES), ids=list(BAD_ENTRIES))
def test_bad_entry_is_ignored_and_rebuilt(tmp_path: Path, data: bytes, doc: Document, damage: str) -> None:
    cache = ParseCache(tmp_path, SALT)
    cache.put("posts/hot.md", data, doc)
    (entry,) = entries(tmp_path)
    entry.write_bytes(BAD_ENTRIES[damage](entry.read_bytes()))

    assert cache.get("posts/hot.md", data) is None
    cache.put("posts/hot.md", data, doc)  # what a run does after a miss
    assert ParseCache(tmp_path, SALT).get("posts/hot.md", data) == doc


def test_planted_entry_cannot_run_code(tmp_path: Path, data: bytes, doc: Document) -> None:
    """The folder is inside the repository: a pull request could add an entry
    for a page whose content it knows. Loading it must not execute anything."""
    marker = tmp_path / "pwned"
    cache = ParseCache(tmp_path, SALT)
    cache.put("posts/hot.md", data, doc)
    (entry,) = entries(tmp_path)
    attack = _Exec(f"open({str(marker)!r}, 'w').close()")
    for blob in (cache_module._dump(attack), pickle.dumps(attack), cache_module._dump([doc, attack])):
        entry.write_bytes(blob)
        assert cache.get("posts/hot.md", data) is None
        assert not marker.exists()


class _Getattr:
    def __reduce__(self):
        return getattr, (Document, "__init__")


def test_a_stored_report_comes_back_whole_and_getattr_reaches_nothing(tmp_path: Path, doc: Document) -> None:
    cache = ParseCache(tmp_path, SALT)
    span = doc.links[0].span
    fix = Fix("drop it", Applicability.UNSAFE, (Edit(span.start, span.end, ""),))
    violations = [
        Violation("LL003", "broken-link", Severity.ERROR, doc.path, span, "gone", "a.md", ("b.md",), fix),
        Violation("LL007", "orphan-page", Severity.WARNING, doc.path, span, "alone"),
    ]
    report = Report(version="1", root=".", generator="plain", files=1, violations=violations, texts={doc.path: doc.text})
    cache.put_result("inputs", "check", report)
    back = cache.get_result("inputs", "check")
    assert back == report and back.violations[0].severity is Severity.ERROR
    assert back.violations[0].fix.applicability is Applicability.UNSAFE  # type: ignore[union-attr]
    assert cache.get_result("other inputs", "check") is None
    (entry,) = entries(tmp_path)
    entry.write_bytes(cache_module._dump(("inputs", _Getattr())))
    assert cache.get_result("inputs", "check") is None
    entry.write_bytes(cache_module._dump(("inputs", report)))  # unpacked objects are not allowed in an entry
    assert cache.get_result("inputs", "check") is None


# -- a folder that cannot be written -----------------------------------------------


def test_a_file_named_like_the_cache_folder(tmp_path: Path, data: bytes, doc: Document) -> None:
    (tmp_path / CACHE_DIR).write_text("not a folder\n")
    cache = ParseCache(tmp_path, SALT)
    assert cache.get("posts/hot.md", data) is None
    cache.put("posts/hot.md", data, doc)
    cache.put("posts/hot.md", data, doc)
    assert not cache.writable
    assert cache.get("posts/hot.md", data) is None
    assert cache.get_terms(data) is None
    cache.put_terms(data, {"heap": 2})
    assert cache.clear() == 0
    assert (tmp_path / CACHE_DIR).read_text() == "not a folder\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="permissions do not bind the superuser")
def test_read_only_folders(tmp_path: Path, data: bytes, doc: Document) -> None:
    site = tmp_path / "site"
    site.mkdir()
    ParseCache(site, SALT).put("posts/hot.md", data, doc)
    folder = site / CACHE_DIR
    modes = {p: p.stat().st_mode for p in [site, folder, *folder.iterdir()] if p.is_dir()}
    try:
        for path in modes:
            path.chmod(stat.S_IRUSR | stat.S_IXUSR)
        cache = ParseCache(site, SALT)
        assert cache.get("posts/hot.md", data) == doc  # reading still works
        other = b"# Another page\n"
        cache.put("other.md", other, parse("other.md", other))
        assert not cache.writable
        assert cache.get("other.md", other) is None

        fresh = tmp_path / "fresh"
        fresh.mkdir()
        fresh.chmod(stat.S_IRUSR | stat.S_IXUSR)
        modes[fresh] = stat.S_IRWXU
        unmade = ParseCache(fresh, SALT)
        unmade.put("posts/hot.md", data, doc)
        assert not unmade.writable and not (fresh / CACHE_DIR).exists()
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


# -- two runs at once ---------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from linklint.cache import ParseCache
    from linklint.document import parse_document

    root, source = Path(sys.argv[1]), Path(sys.argv[2])
    data = source.read_bytes()
    doc = parse_document("posts/hot.md", data)
    cache = ParseCache(root, sys.argv[3])
    for _ in range(200):
        cache.put("posts/hot.md", data, doc)
    assert cache.writable
    """
)


def test_concurrent_writers_leave_a_loadable_entry(tmp_path: Path, data: bytes, doc: Document) -> None:
    source = tmp_path / "hot.md"
    source.write_bytes(data)
    site = tmp_path / "site"
    site.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")])}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(site), str(source), SALT], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    reader = ParseCache(site, SALT)
    seen_wrong = lost_again = 0
    seen = False
    while any(w.poll() is None for w in writers):
        found = reader.get("posts/hot.md", data)
        seen_wrong += found is not None and found != doc
        # Entries are replaced whole: once there, never half-written again.
        lost_again += seen and found is None
        seen = seen or found is not None
    for writer in writers:
        _, err = writer.communicate()
        assert writer.returncode == 0, err.decode()

    assert seen_wrong == 0 and lost_again == 0
    assert ParseCache(site, SALT).get("posts/hot.md", data) == doc
    assert len(entries(site)) == 1
    assert not list((site / CACHE_DIR).rglob(".tmp-*"))


# -- content terms --------------------------------------------------------------------


def test_terms_round_trip_per_language(tmp_path: Path, data: bytes) -> None:
    terms = {"heap": 3, "compost": 2, "thermometer": 1}
    cache = ParseCache(tmp_path, SALT)
    assert cache.get_terms(data) is None
    cache.put_terms(data, terms, language="en")
    assert ParseCache(tmp_path, "another salt").get_terms(data, language="en") == terms
    assert cache.get_terms(data, language="de") is None
    assert cache.get_terms(data + b" ") is None
    text = "Kompost und Wärme"
    cache.put_terms(text, {"kompost": 1, "wärme": 1}, language="de")
    assert cache.get_terms(text, language="de") == {"kompost": 1, "wärme": 1}
    assert cache.get_terms(text.encode(), language="de") == {"kompost": 1, "wärme": 1}


def test_terms_and_documents_do_not_mix(tmp_path: Path, data: bytes, doc: Document) -> None:
    cache = ParseCache(tmp_path, SALT)
    cache.put("posts/hot.md", data, doc)
    assert cache.get_terms(data) is None
    cache.put_terms(data, {"heap": 1})
    assert cache.get("posts/hot.md", data) == doc
    assert len(entries(tmp_path)) == 2


def test_bad_terms_entry_is_ignored(tmp_path: Path, data: bytes) -> None:
    cache = ParseCache(tmp_path, SALT)
    cache.put_terms(data, {"heap": 1})
    (entry,) = entries(tmp_path)
    for bad in ({"heap": "1"}, {1: 1}, ["heap"], {"heap": 1.5}):
        entry.write_bytes(cache_module._dump(bad))
        assert cache.get_terms(data) is None


# -- clearing -----------------------------------------------------------------------------


def test_clear_removes_every_entry(tmp_path: Path, doc: Document) -> None:
    cache = ParseCache(tmp_path, SALT)
    for n in range(5):
        page = f"# Page {n}\n".encode()
        cache.put(f"p{n}.md", page, parse(f"p{n}.md", page))
    cache.put_terms(b"# Page 0\n", {"page": 1})
    stray = tmp_path / CACHE_DIR / "ab"
    stray.mkdir(exist_ok=True)
    (stray / ".tmp-left-by-a-killed-run").write_bytes(b"x")
    (tmp_path / CACHE_DIR / "notes.txt").write_text("not ours to remove")

    assert ParseCache(tmp_path, SALT, enabled=False).clear() == 6
    assert entries(tmp_path) == []
    assert cache.get("p0.md", b"# Page 0\n") is None
    assert (tmp_path / CACHE_DIR / ".gitignore").exists()
    assert (tmp_path / CACHE_DIR / "notes.txt").exists()
    assert cache.clear() == 0


def test_prune_removes_entries_unused_for_a_month_and_keeps_used_ones(tmp_path: Path) -> None:
    import time

    cache = ParseCache(tmp_path, SALT)
    pages = {f"p{n}.md": f"# Page {n}\n".encode() for n in range(4)}
    for rel, page in pages.items():
        cache.put(rel, page, parse(rel, page))
    long_ago = time.time() - 40 * 24 * 3600
    for entry in entries(tmp_path):
        os.utime(entry, (long_ago, long_ago))
    # A run reads two of them: reading touches an entry that was not touched today.
    assert ParseCache(tmp_path, SALT).get("p0.md", pages["p0.md"]) is not None
    assert ParseCache(tmp_path, SALT).get("p1.md", pages["p1.md"]) is not None
    (tmp_path / CACHE_DIR / "notes.txt").write_text("not ours to remove")

    assert ParseCache(tmp_path, SALT).prune() == 2
    assert len(entries(tmp_path)) == 2
    fresh = ParseCache(tmp_path, SALT)
    assert fresh.get("p0.md", pages["p0.md"]) is not None and fresh.get("p2.md", pages["p2.md"]) is None
    assert (tmp_path / CACHE_DIR / "notes.txt").exists() and (tmp_path / CACHE_DIR / ".gitignore").exists()
    # At most once a day: the marker says it was done.
    for entry in entries(tmp_path):
        os.utime(entry, (long_ago, long_ago))
    assert ParseCache(tmp_path, SALT).prune() == 0
    assert len(entries(tmp_path)) == 2


def test_a_run_on_the_whole_site_prunes(tmp_path: Path) -> None:
    import time

    from linklint.config import load_config
    from linklint.engine import check
    from linklint.rules import specs
    from linklint.sites import PROFILE_NAMES

    (tmp_path / "a.md").write_text("# A\n\n[b](b.md)\n")
    (tmp_path / "b.md").write_text("# B\n")
    stale = tmp_path / CACHE_DIR / "ab" / ("c" * 62)
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an entry of another linklint version")
    long_ago = time.time() - 40 * 24 * 3600
    os.utime(stale, (long_ago, long_ago))
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    check(tmp_path, config, paths=["a.md"], cache=ParseCache(tmp_path, SALT))
    assert stale.exists()  # a run on a few paths leaves housekeeping to whole runs
    check(tmp_path, config, cache=ParseCache(tmp_path, SALT))
    assert not stale.exists()
    assert (tmp_path / CACHE_DIR / "last-pruned").exists()


def test_is_empty_until_something_is_stored(tmp_path: Path, data: bytes, doc: Document) -> None:
    cache = ParseCache(tmp_path, SALT)
    assert cache.is_empty()  # no folder at all
    (tmp_path / CACHE_DIR).mkdir()
    (tmp_path / CACHE_DIR / "notes.txt").write_text("not an entry")
    (tmp_path / CACHE_DIR / "zz").mkdir()  # not a fan-out folder's name
    assert cache.is_empty()
    cache.put("posts/hot.md", data, doc)
    assert not cache.is_empty() and not ParseCache(tmp_path, SALT).is_empty()
    assert ParseCache(tmp_path, SALT, enabled=False).is_empty()  # finds nothing either
    ParseCache(tmp_path, SALT).clear()
    assert ParseCache(tmp_path, SALT).is_empty()


def test_a_run_that_found_the_cache_empty_starts_the_pruning_clock_without_a_walk(tmp_path: Path, data: bytes, doc: Document) -> None:
    """Everything in a cache that was empty when the run began was stored by
    the run: nothing to prune, and no 100,000 new files to look at."""
    import time

    cache = ParseCache(tmp_path, SALT)
    assert cache.is_empty()
    cache.put("posts/hot.md", data, doc)
    long_ago = time.time() - 40 * 24 * 3600
    for entry in entries(tmp_path):
        os.utime(entry, (long_ago, long_ago))
    assert cache.prune() == 0
    assert len(entries(tmp_path)) == 1
    assert (tmp_path / CACHE_DIR / "last-pruned").exists()
    # A run that found entries walks them, once the marker is a day old.
    marker = tmp_path / CACHE_DIR / "last-pruned"
    os.utime(marker, (long_ago, long_ago))
    later = ParseCache(tmp_path, SALT)
    assert not later.is_empty()
    assert later.prune() == 1 and entries(tmp_path) == []


def test_a_temporary_name_left_by_an_earlier_process_is_passed_over(tmp_path: Path, data: bytes, doc: Document, monkeypatch) -> None:
    """Temporary files are named after the process id and a count; a file of
    that name left by a killed process that had the same id is not touched."""
    import itertools

    cache = ParseCache(tmp_path, SALT)
    key = cache._document_key("posts/hot.md", data)
    folder = tmp_path / CACHE_DIR / key[:2]
    folder.mkdir(parents=True)
    stray = folder / f".tmp-{os.getpid()}-0"
    stray.write_bytes(b"left by a killed run")
    monkeypatch.setattr(cache_module, "_temp_names", itertools.count())
    cache.put("posts/hot.md", data, doc)
    assert stray.read_bytes() == b"left by a killed run"
    assert ParseCache(tmp_path, SALT).get("posts/hot.md", data) == doc
    assert sorted(p.name for p in folder.iterdir()) == sorted([stray.name, key[2:]])
    assert stat.S_IMODE((folder / key[2:]).stat().st_mode) == 0o600 or sys.platform == "win32"


def test_a_folder_removed_during_a_run_is_made_again(tmp_path: Path, data: bytes, doc: Document) -> None:
    """Another run may clear the cache while this one stores entries: the
    fan-out folder this run made is made again, and writing goes on."""
    cache = ParseCache(tmp_path, SALT)
    cache.put("posts/hot.md", data, doc)
    assert ParseCache(tmp_path, SALT).clear() == 1
    assert entries(tmp_path) == [] and not (tmp_path / CACHE_DIR / cache._document_key("posts/hot.md", data)[:2]).exists()
    cache.put("posts/hot.md", data, doc)  # into the folder this cache made before, gone
    assert cache.writable
    assert ParseCache(tmp_path, SALT).get("posts/hot.md", data) == doc


def test_clear_without_a_cache_folder(tmp_path: Path) -> None:
    assert ParseCache(tmp_path, SALT).clear() == 0
    assert not (tmp_path / CACHE_DIR).exists()


# -- in a run ----------------------------------------------------------------------------


def test_a_second_run_parses_only_changed_pages(tmp_path: Path, monkeypatch) -> None:
    pages = {f"posts/p{n}.md": f"# Post {n}\n\nSee [the next](p{n + 1}.md).\n".encode() for n in range(4)}
    for rel, content in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(content)
    order = sorted(pages)
    first = load_documents(tmp_path, order, 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=1)

    parsed: list[str] = []

    def counting(path: str, data: bytes, *, max_bytes: int) -> Document:
        parsed.append(path)
        return parse_document(path, data, max_bytes=max_bytes)

    monkeypatch.setattr(linklint.document, "parse_document", counting)
    second = load_documents(tmp_path, order, 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=1)
    assert parsed == [] and second == first

    (tmp_path / "posts/p2.md").write_bytes(b"# Post 2, rewritten\n")
    third = load_documents(tmp_path, order, 5_000_000, cache=ParseCache(tmp_path, SALT), jobs=1)
    assert parsed == ["posts/p2.md"]
    assert third["posts/p2.md"].title == "Post 2, rewritten"
    assert third["posts/p1.md"] == first["posts/p1.md"]


def test_installed_versions_are_read_from_dist_info_folders_as_importlib_metadata_reads_them(tmp_path: Path, monkeypatch) -> None:
    from importlib import metadata

    from linklint.cache import _nlp_versions
    from linklint.versions import installed_version

    for name in ("spacy", "spacy-lookups-data", "markdown-it-py", "ruamel.yaml", "numpy", "pre-commit"):
        assert installed_version(name) == metadata.version(name)
    assert _nlp_versions() == f"spacy={metadata.version('spacy')},spacy-lookups-data={metadata.version('spacy-lookups-data')}"
    # The first folder on the path wins, whatever the spelling of the name.
    (tmp_path / "Spacy_Lookups.Data-9.9.9.dist-info").mkdir()
    (tmp_path / "spacy-9.9.9.txt").mkdir()  # no dist-info
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path), *sys.path])
    assert installed_version("spacy-lookups-data") == "9.9.9"
    assert installed_version("spacy") == metadata.version("spacy")
    assert installed_version("no-such-distribution-here") is None


# -- bundles ------------------------------------------------------------------------


def _bundles(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR / "bundles").glob("*.pack"))


def _pages(count: int) -> dict[str, bytes]:
    return {f"posts/p{n:03}.md": f"# Post {n}\n\nSee [the next](p{n + 1:03}.md).\n".encode() for n in range(count)}


def test_entries_stored_in_a_batch_are_one_bundle_read_back_by_a_later_run(tmp_path: Path) -> None:
    pages = _pages(5)
    cache = ParseCache(tmp_path, SALT)
    with cache.batched():
        for rel, data in pages.items():
            cache.put(rel, data, parse(rel, data))
            cache.put_terms(data, {"post": 1})
        assert _bundles(tmp_path) == []  # written when the block ends
    assert len(_bundles(tmp_path)) == 1 and entries(tmp_path) == []
    later = ParseCache(tmp_path, SALT)
    assert not later.is_empty()
    for rel, data in pages.items():
        assert later.get(rel, data) == parse(rel, data)
        assert later.get_terms(data) == {"post": 1}
    assert later.get("posts/other.md", b"# Other\n") is None
    # One entry alone is a file of its own, as outside a batch.
    with cache.batched():
        cache.put("posts/one.md", b"# One\n", parse("posts/one.md", b"# One\n"))
    assert len(entries(tmp_path)) == 1 and len(_bundles(tmp_path)) == 1


def _write_bundle(folder: Path, name: str, rows: list[tuple[bytes, int, int]], size: int) -> None:
    """A bundle file of ``size`` bytes (its table cut there if longer) whose
    table holds ``rows`` as given."""
    head = cache_module._BUNDLE_MAGIC + len(rows).to_bytes(4, "little")
    table = b"".join(cache_module._BUNDLE_ROW.pack(*row) for row in rows)
    (folder / name).write_bytes((head + table)[:size].ljust(size, b"\0"))


def test_a_bundled_entry_is_found_by_searching_the_tables_as_in_a_dict_of_them(tmp_path: Path, monkeypatch) -> None:
    """Looked up in the bundles' tables as read, an entry is where a dict of
    every table's rows puts it: the last bundle in name order holding the key
    serves, a bundle with an entry past its end serves none, and a key's bytes
    found across two rows are no match."""
    folder = tmp_path / "bundles"
    folder.mkdir()
    key = bytes(range(32))
    other = bytes(range(100, 132))
    first, second = b"\1" * 32, b"\2" * 32
    _write_bundle(folder, "a.pack", [(key, 100, 10), (other, 110, 5), (first, 5, 1), (second, 6, 1)], 1000)
    _write_bundle(folder, "b.pack", [(key, 200, 20)], 1000)  # later in name order: serves the key
    _write_bundle(folder, "c.pack", [(other, 120, 10), (b"\3" * 32, 990, 20)], 1000)  # an entry past its end
    _write_bundle(folder, "d.pack", [(b"\4" * 32, 30, 4)], 20)  # table cut short by the file's end
    (folder / "e.pack").write_bytes(b"XXXX" + b"\0" * 60)  # no bundle
    # Keys whose bytes are in a.pack's table across fields and rows only.
    across = [first[12:] + (5).to_bytes(8, "little") + (1).to_bytes(4, "little"), (1).to_bytes(4, "little") + second[:28]]
    wanted = [key, other, first, b"\3" * 32, b"\4" * 32, *across, b"\5" * 32]
    index = cache_module._BundleIndex(str(folder))
    searched = {k.hex(): index.get(k.hex()) for k in wanted}
    assert index._dict is None  # found by searching, no dict made
    assert searched == {k.hex(): cache_module._BundleIndex(str(folder)).as_dict().get(k.hex()) for k in wanted}
    assert searched[key.hex()] == (str(folder / "b.pack"), 200, 20)
    assert searched[other.hex()] == (str(folder / "a.pack"), 110, 5)  # c.pack is passed over
    assert searched[(b"\3" * 32).hex()] is None and searched[(b"\4" * 32).hex()] is None
    assert [k for k, found in searched.items() if found is not None] == [key.hex(), other.hex(), first.hex()]
    # Entries this run bundled serve first, before and after the dict is made.
    index.add([(key.hex(), ("new.pack", 1, 2))])
    assert index.get(key.hex()) == ("new.pack", 1, 2)
    monkeypatch.setattr(cache_module._BundleIndex, "DICT_AFTER", 2)
    many = cache_module._BundleIndex(str(folder))
    many.add([(key.hex(), ("new.pack", 1, 2))])
    assert [many.get(k.hex()) for k in wanted] == [("new.pack", 1, 2), *(searched[k.hex()] for k in wanted[1:])]
    assert many._dict is not None  # made at the second lookup


def test_a_batch_is_written_in_bundles_of_at_most_so_many_entries(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "_BUNDLE_ENTRIES", 4)
    pages = _pages(10)
    cache = ParseCache(tmp_path, SALT)
    with cache.batched():
        for rel, data in pages.items():
            cache.put(rel, data, parse(rel, data))
        assert len(_bundles(tmp_path)) == 2  # two full bundles so far
    assert len(_bundles(tmp_path)) == 3 and entries(tmp_path) == []
    # The same process reads what it bundled.
    assert all(cache.get(rel, data) is not None for rel, data in pages.items())


def _three_pages_in_a_bundle(tmp_path: Path) -> tuple[dict[str, bytes], Path]:
    """Three pages stored in one batch, and the bundle that holds them."""
    pages = _pages(3)
    cache = ParseCache(tmp_path, SALT)
    with cache.batched():
        for rel, data in pages.items():
            cache.put(rel, data, parse(rel, data))
    (bundle,) = _bundles(tmp_path)
    return pages, bundle


@pytest.mark.parametrize("damage", ["magic", "truncated header", "truncated body", "flipped byte"])
def test_a_damaged_bundle_is_a_miss_and_the_run_goes_on(tmp_path: Path, damage: str) -> None:
    pages, bundle = _three_pages_in_a_bundle(tmp_path)
    blob = bytearray(bundle.read_bytes())
    if damage == "magic":
        blob[:4] = b"XXXX"
    elif damage == "truncated header":
        blob = blob[:20]
    elif damage == "truncated body":
        blob = blob[:-10]
    else:
        blob[-30] ^= 0xFF  # inside the last entry: its checksum no longer matches
    bundle.write_bytes(bytes(blob))
    later = ParseCache(tmp_path, SALT)
    found = {rel: later.get(rel, data) for rel, data in pages.items()}
    if damage == "flipped byte":
        assert [rel for rel, doc in found.items() if doc is None] == ["posts/p002.md"]
    else:
        assert all(doc is None for doc in found.values())
    docs = load_documents(tmp_path, [], 5_000_000, cache=later)  # nothing breaks
    assert docs == {}


def test_clear_and_prune_take_bundles_as_a_whole(tmp_path: Path) -> None:
    import time

    pages = _pages(6)
    cache = ParseCache(tmp_path, SALT)
    for half in (list(pages)[:3], list(pages)[3:]):
        with cache.batched():
            for rel in half:
                cache.put(rel, pages[rel], parse(rel, pages[rel]))
    first, second = _bundles(tmp_path)
    long_ago = time.time() - 40 * 24 * 3600
    for bundle in (first, second):
        os.utime(bundle, (long_ago, long_ago))
    # Reading an entry touches its bundle: used bundles stay.
    used = next(iter(pages))
    assert ParseCache(tmp_path, SALT).get(used, pages[used]) is not None
    assert ParseCache(tmp_path, SALT).prune() == 1
    assert len(_bundles(tmp_path)) == 1
    assert ParseCache(tmp_path, SALT).get(used, pages[used]) is not None
    assert ParseCache(tmp_path, SALT).clear() == 3  # the entries of the bundle left
    assert _bundles(tmp_path) == [] and ParseCache(tmp_path, SALT).is_empty()


def test_a_cold_run_on_two_processes_stores_bundles_and_the_next_run_reads_them(tmp_path: Path, monkeypatch) -> None:
    # The real pool: the worker bundles what it parses, this process the
    # rest and every page's terms; a later run finds all of them.
    from linklint.cli import main

    pages = _pages(150)
    for rel, content in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--jobs", "2", "--format", "json", "--output", "first.json"]) in (0, 1)
    assert len(_bundles(tmp_path)) >= 2 and entries(tmp_path) != []
    bundled = cache_module._BundleIndex(str(tmp_path / CACHE_DIR / "bundles")).as_dict()
    assert len(bundled) >= 2 * len(pages)  # every page's parse and terms
    order = sorted(pages)
    parsed: list[str] = []

    def counting(path: str, data: bytes, *, max_bytes: int) -> Document:
        parsed.append(path)
        return parse_document(path, data, max_bytes=max_bytes)

    monkeypatch.setattr(linklint.document, "parse_document", counting)
    again = load_documents(tmp_path, order, 5_000_000, cache=ParseCache(tmp_path, "max_file_size=5000000"), jobs=1)
    assert parsed == [] and list(again) == order


def test_an_entry_stored_outside_a_batch_is_written_as_it_is_pickled(tmp_path: Path) -> None:
    # The same bytes `_dump` makes (pickle, then its checksum), read back.
    store = ParseCache(tmp_path, SALT)
    value = ("key", b"x" * 100_000, 1)
    store.put_output("run", "slot", value[1], 1)
    assert store.get_output("run", "slot") == (value[1], 1)
    (entry,) = [p for p in (tmp_path / CACHE_DIR).rglob("*") if p.is_file() and p.stat().st_size > 100_000]
    assert entry.read_bytes() == cache_module._dump(("run", value[1], 1))


def test_an_unpicklable_value_is_not_stored_and_leaves_no_file(tmp_path: Path) -> None:
    store = ParseCache(tmp_path, SALT)
    store.put_snapshot("site", {"bad": lambda: None})
    store.put_snapshot("other", {"good": 1})
    files = sorted(p.name for p in (tmp_path / CACHE_DIR).rglob("*") if p.is_file() and p.parent.name != CACHE_DIR)
    assert len(files) == 1 and not files[0].startswith(cache_module._TEMP_PREFIX)
    assert store.get_snapshot("other") == {"good": 1} and store.get_snapshot("site") is None


def test_only_the_bundles_this_code_wrote_are_read(tmp_path: Path, monkeypatch) -> None:
    """Every key holds the code's fingerprint: another version's bundles
    serve nothing, and their tables are not read."""
    pages, bundle = _three_pages_in_a_bundle(tmp_path)
    assert bundle.name.startswith(cache_module.code_fingerprint()[:16] + "-")
    # The same bundle under another version's name: passed over.
    bundle.rename(bundle.with_name("0123456789abcdef-" + bundle.name.split("-", 1)[1]))
    later = ParseCache(tmp_path, SALT)
    assert all(later.get(rel, data) is None for rel, data in pages.items())
    assert later._bundled is not None and later._bundled._paths == []
    # Back under this code's name, it serves.
    (renamed,) = _bundles(tmp_path)
    renamed.rename(bundle)
    again = ParseCache(tmp_path, SALT)
    assert all(again.get(rel, data) == parse(rel, data) for rel, data in pages.items())
    assert again._bundled is not None and again._bundled._paths == [str(bundle)]
