"""linklint's cache: parse results and content terms per file, keyed by
content, and whole-run results keyed by everything a run depends on.

Parsing is the bulk of a run's work, and between two runs almost no page
changes. Each parsed ``Document`` is stored under a SHA-256 of the file's bytes
together with everything else that shapes the result: the linklint version,
``CACHE_FORMAT``, a fingerprint of linklint's own source files (so an edited or
reinstalled parser never serves stale results while the version number stays
the same) and a caller-given ``salt`` describing the configuration that affects
parsing (``max_file_size``). The path is not part of the key, only whether it
names an MDX page: the same content at two Markdown paths is parsed once;
documents are stored with an empty path and get the caller's path back on
load. A page's content terms (lemma counts, for
related-page suggestions) are stored the same way, keyed by the text they
were counted from and the versions of the language packages, and so is
each language's lexicon (``linklint.lexicon``: the tokenizer's rules and the
words seen, so that known words need no spaCy).

A run whose inputs are all unchanged (``engine.run_key``: configuration,
options, every file's size, time and mode, Git's state) needs no page at all:
its ``Report`` is stored with that key, and so is the printed output of the
command that made it, so an identical command only prints again. Both are
stored in a *slot* per command (configuration and options, not the files): a
new result replaces the previous one, so a cache does not grow by a whole
report at every edit. So does the stored site (``linklint.snapshot``): one per
site and configuration.

Layout: ``.linklint_cache/`` at the site root, with a ``.gitignore`` of ``*``
and a ``CACHEDIR.TAG`` (so Git and backup tools leave it alone), and one file
per entry in 256 fan-out folders (``ab/cdef…``). Entries are written to a
temporary file in their folder and moved into place with ``os.replace``, so two
runs at the same time (or a run's worker processes) never see half an entry.
A run that parses many pages stores their entries in *bundles* instead
(``bundles/*.pack``, one per parsing task: a table of keys, offsets and
lengths, then the entries; ``ParseCache.batched``): creating a file cost more
than writing a page's entry into it, up to half a millisecond on a virtual
machine's disk. An entry is looked for in its own file first, then in the
bundles (their tables read once per run, on the first miss).

Entries no run has read or written for 30 days (parses of files as they were
long ago, entries of another linklint version) are removed by ``prune``,
which a run on the whole site calls at most once a day; reading an entry
touches it (at most daily), so entries in use stay. A bundle goes as a whole,
when none of its entries has been read for that long.

Trust: the folder lives inside the repository, so its content can come from
whoever can write there, a pull request included. An entry is therefore
never trusted: it carries a checksum of its payload, the payload is unpickled
with an allow-list of the few classes a stored site is made of (pages and
reports are stored as plain tuples, ``linklint.packing``; no other class,
function or module can be named, so a planted entry cannot run code), and the
result must have the expected shape: a packed page, term counts, a packed
report, or a printout and exit code. Anything
else — garbage, truncation, another type — is a miss, and the work is done and
stored again.

The cache never fails a run: when the folder cannot be written (permissions, a
read-only file system, a *file* named ``.linklint_cache``) writing is switched
off for the rest of the run and reading goes on where it can.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import io
import itertools
import os
import pickle
import struct
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from linklint import __version__
from linklint.model import Document, is_mdx
from linklint.packing import DAMAGED, Packed, is_plain_dict, pack, pack_report, unpack, unpack_report
from linklint.report import Report
from linklint.versions import installed_version

if TYPE_CHECKING:
    from linklint.lexicon import Lexicon

__all__ = ["CACHE_DIR", "CACHE_FORMAT", "ParseCache"]

# Raise when the stored form changes in a way the other key parts do not show.
CACHE_FORMAT = 2
CACHE_DIR = ".linklint_cache"

_TEMP_PREFIX = ".tmp-"
# Bundles: many entries written at once, in one file of this folder (see
# ``ParseCache.batched``).
_BUNDLES = "bundles"
_BUNDLE_SUFFIX = ".pack"
_BUNDLE_MAGIC = b"LLB1"
_BUNDLE_ROW = struct.Struct("<32sQI")  # key (SHA-256), offset, length
# A bundle is written when a batch holds this many entries or bytes.
_BUNDLE_ENTRIES = 512
_BUNDLE_BYTES = 16 * 1024 * 1024
# Entries unused for this long are removed by `ParseCache.prune` (30 days).
PRUNE_AFTER = 30 * 24 * 3600.0
_DAY = 24 * 3600.0
_PRUNED = "last-pruned"  # marker file: when the cache was last pruned
# A CRC-32 of the payload after it: catches a file damaged or cut short on
# disk (entries are written whole and renamed into place). Not a defence
# against planted entries (see "Trust" above): blake2b did the same job at a
# fifth of the speed, 20 ms of a pre-commit run's 17 MB of stored site and
# term counts at 10,000 posts. At the end, not the front: the payload is then
# unpickled from the blob as read, not from a copy of it without its first
# bytes (5 ms for the 8.8 MB of term counts at 10,000 posts).
_DIGEST_SIZE = 4
_GITIGNORE = "# Written by linklint: a local cache, never committed.\n*\n"
# https://bford.info/cachedir/ — backup and archiving tools skip tagged folders.
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by linklint.\n"
)

# The only globals an entry may name: what a stored site's page cores are made
# of, and the types YAML and TOML front matter produce beyond the ones pickle
# has opcodes for.
_ALLOWED_GLOBALS = frozenset(
    # Pages and reports are stored packed (``linklint.packing``): plain tuples.
    # A stored site (linklint.snapshot): the pages' cores and their problems.
    [("linklint.snapshot", "StoredDocument"), ("linklint.model", "Problem")]
    # Front-matter values.
    + [("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")]
)


class _Refused(pickle.UnpicklingError):
    pass


class _SafeUnpickler(pickle.Unpickler):
    """Unpickles only the allow-listed classes; any other global is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise _Refused(f"{module}.{name} is not allowed in a cache entry")


def _load(blob: bytes) -> Any:
    """The object stored in ``blob``; raises on any damage or refused content."""
    size = len(blob) - _DIGEST_SIZE
    if size < 0 or _digest(memoryview(blob)[:size]) != blob[size:]:
        raise ValueError("damaged cache entry")
    # The unpickler stops at the payload's end, which must be where the digest starts.
    return _unpickled(blob, size)


def load_nested(data: bytes) -> Any:
    """An object pickled apart inside an entry (whose checksum covers it),
    unpickled as entries are: allow-listed classes only; raises on damage."""
    return _unpickled(data, len(data))


def _unpickled(data: bytes, end: int) -> Any:
    """The object pickled at the start of ``data``, whose pickle must end at
    ``end``. A BytesIO over bytes reads them in place."""
    source = io.BytesIO(data)
    obj = _SafeUnpickler(source).load()
    if source.tell() != end:
        raise ValueError("damaged cache entry")
    return obj


def _dump(obj: Any) -> bytes:
    """``obj`` pickled, then its checksum (``_pickle_to``). Into one buffer,
    not into a string copied to append the checksum: a large site's term
    table is tens of megabytes, and each copy of it was held at the run's
    peak."""
    buffer = io.BytesIO()
    _pickle_to(buffer.write, obj)
    # The buffer's own bytes object, trimmed to size in place and shared:
    # CPython's BytesIO copies on getvalue() only while a view is open.
    return buffer.getvalue()


def _pickle_to(write: Callable[[bytes], Any], obj: Any) -> None:
    """Write ``obj`` pickled, then the checksum of the pickle, through
    ``write``: an entry's bytes, whether kept in memory or written straight
    to its file."""
    crc = 0

    def checksummed(data: bytes) -> None:
        nonlocal crc
        crc = zlib.crc32(data, crc)
        write(data)

    pickle.Pickler(_Writer(checksummed), protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    write(crc.to_bytes(_DIGEST_SIZE, "little"))


class _Writer(NamedTuple):
    """What the pickler writes to: a function for its bytes."""

    write: Callable[[bytes], Any]


def _digest(payload: bytes) -> bytes:
    return zlib.crc32(payload).to_bytes(_DIGEST_SIZE, "little")


_fingerprint: str | None = None


def code_fingerprint() -> str:
    """A digest of linklint's own source files (parser, language code, rules,
    generator profiles). Computed once per process, on first use, so commands
    that never touch the cache do not pay for it."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256()
        package = Path(__file__).resolve().parent
        with contextlib.suppress(OSError):
            for source in sorted(package.rglob("*.py")):
                name = source.relative_to(package).as_posix()
                digest.update(name.encode() + b"\0" + source.read_bytes() + b"\0")
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _nlp_versions() -> str:
    """Versions of the packages lemmas come from: new lookup tables, new terms."""
    return ",".join(f"{name}={installed_version(name) or 'none'}" for name in ("spacy", "spacy-lookups-data"))


class ParseCache:
    """Parsed documents and content terms of one site, stored under ``root``.

    ``salt`` describes the configuration that affects parsing (for example
    ``"max_file_size=5000000"``); a different salt never sees the other's
    entries. With ``enabled=False`` nothing is read or written (``clear``
    still works).
    """

    # Entries are files written atomically: worker processes may store them.
    process_safe = True
    # Pages are read from the files as they are on disk, so a stored site
    # (keyed by the files' stamps) describes them: see linklint.snapshot.
    keeps_snapshots = True

    def __init__(self, root: Path, salt: str, enabled: bool = True) -> None:
        self.dir = Path(root) / CACHE_DIR
        self.salt = salt
        self.enabled = enabled
        self._writable: bool | None = None if enabled else False  # None: not tried yet
        self._terms_versions: str | None = None
        # Fan-out folders this process has made or found: a cold run stores two
        # entries a page, and asking the file system again each time was a
        # third of what a write cost.
        self._folders: set[str] = set()
        # Whether ``is_empty`` found nothing stored: then everything in the
        # folder at the end of the run is this run's, and new.
        self._found_empty = False
        # Entries written inside ``batched``, not yet in a bundle.
        self._batch: list[tuple[str, bytes]] | None = None
        self._batch_bytes = 0
        self._batch_pid = 0
        # Where each bundled entry is (``_BundleIndex``), read on the first
        # entry not found in a file of its own.
        self._bundled: _BundleIndex | None = None
        self._touched: set[str] = set()

    @property
    def _language_versions(self) -> str:
        """The versions of the language packages (read once, on first use):
        part of the key of everything worked out with them."""
        if self._terms_versions is None:
            self._terms_versions = _nlp_versions()
        return self._terms_versions

    def is_empty(self) -> bool:
        """Whether no entry can be there: the folder has no fan-out folder
        (a first run, a fresh clone, a cleared cache) or the cache is off.
        Every lookup would miss, so a cold run need not read each page first
        to look it up."""
        if not self.enabled:
            return True
        try:
            with os.scandir(self.dir) as found:
                empty = not any(_is_fanout_entry(entry) or entry.name == _BUNDLES for entry in found)
        except OSError:
            empty = True
        self._found_empty |= empty
        return empty

    @property
    def writable(self) -> bool:
        """False once a write failed (or when disabled): nothing more is written."""
        return self._writable is not False

    # -- documents --------------------------------------------------------------

    def get(self, path: str, data: bytes) -> Document | None:
        """The cached Document for ``data``, stamped with ``path``; None on a miss."""
        if not self.enabled:
            return None
        obj = self._read(self._document_key(path, data))
        if obj is None:
            return None
        try:
            return unpack(obj, path)
        except DAMAGED:
            return None  # written by another layout of the page: parse again

    def put(self, path: str, data: bytes, doc: Document) -> None:
        """Store ``doc``, the parse of ``data``, for every path with this content."""
        if self.writable:
            self.put_packed(data, pack(doc))

    def put_packed(self, data: bytes, packed: Packed) -> None:
        """``put`` for a page already packed (a worker packs each page it
        parses for the trip back; packing it again to store it was 30–60 µs a
        page). The entry leaves the page's path out: it serves every path
        with this content."""
        if self.writable:
            self._store(self._document_key(packed[0], data), ("", *packed[1:]))

    # -- content terms (for suggestions) -----------------------------------------

    def get_terms(self, data: bytes | str, language: str = "en") -> dict[str, int] | None:
        """The content-term counts stored for ``data`` in ``language``, or None."""
        if not self.enabled:
            return None
        obj = self._read(self._terms_key(data, language))
        return obj if is_plain_dict(obj, int) else None

    def put_terms(self, data: bytes | str, terms: dict[str, int], language: str = "en") -> None:
        if not self.writable:
            return
        try:
            # Counted terms are a plain dict of strings and ints already
            # (``terms.count_terms``): a copy of 10,000 pages' was 0.15 s of
            # a first run's loading at 10,000 posts.
            blob = _dump(terms if type(terms) is dict else {str(k): int(v) for k, v in terms.items()})
        except (TypeError, ValueError):
            return
        self._write(self._terms_key(data, language), blob)

    # -- whole-run results ------------------------------------------------------------

    def get_result(self, key: str, slot: str) -> Report | None:
        """The report stored in ``slot`` when it was made from the inputs
        ``key`` (see ``engine.run_key``), or None."""
        if not self.enabled:
            return None
        obj = self._read(self._result_key(slot))
        if type(obj) is not tuple or len(obj) != 2 or obj[0] != key:
            return None
        try:
            return unpack_report(obj[1])
        except DAMAGED:
            return None

    def put_result(self, key: str, slot: str, report: Report) -> None:
        """Store ``report`` in ``slot`` (one per command: a new result replaces
        the last one, so the cache does not grow with every edit)."""
        if self.writable:
            self._store(self._result_key(slot), (key, pack_report(report)))

    def _result_key(self, key: str) -> str:
        return _key(("result", __version__, CACHE_FORMAT, code_fingerprint(), self.salt), key.encode())

    # -- normalised anchor texts ------------------------------------------------------

    def get_anchors(self) -> dict[str, dict[str, str]]:
        """Normalised anchor texts per language from earlier runs (empty when
        none): known texts need no lemmatiser."""
        if not self.enabled:
            return {}
        obj = self._read(self._anchors_key())
        valid = type(obj) is dict and all(type(lang) is str and is_plain_dict(texts, str) for lang, texts in obj.items())
        return obj if valid else {}

    def put_anchors(self, anchors: dict[str, dict[str, str]]) -> None:
        if self.writable:
            self._write(self._anchors_key(), _dump(anchors))

    def _anchors_key(self) -> str:
        return _key(("anchors", __version__, CACHE_FORMAT, code_fingerprint(), self._language_versions), b"")

    # -- Git's renames --------------------------------------------------------------------------

    def get_renames(self) -> tuple[str, list[tuple[str, str]]] | None:
        """The committed renames (old, new), oldest first, as of the commit
        they were read at (``linklint.renames``), or None."""
        if not self.enabled:
            return None
        obj = self._read(self._renames_key())
        if type(obj) is not tuple or len(obj) != 2 or type(obj[0]) is not str or type(obj[1]) is not list:
            return None
        commit, renames = obj
        if not all(type(entry) is tuple and len(entry) == 2 and type(entry[0]) is str and type(entry[1]) is str for entry in renames):
            return None
        return commit, renames

    def put_renames(self, commit: str, renames: list[tuple[str, str]]) -> None:
        if self.writable:
            self._store(self._renames_key(), (commit, renames))

    def _renames_key(self) -> str:
        return _key(("renames", __version__, CACHE_FORMAT, code_fingerprint()), b"")

    # -- large name indexes ------------------------------------------------------------------

    def get_name_index(self, slot: str) -> Any:
        """What ``put_name_index`` last kept in ``slot`` (``linklint.names``
        checks it), or None."""
        if not self.enabled:
            return None
        return self._read(self._name_index_key(slot))

    def put_name_index(self, slot: str, names_key: str, arrays: tuple[tuple[str, bytes], ...]) -> None:
        """Keep the arrays of the index of the names ``names_key`` names in
        ``slot``, in place of the last ones: one entry per slot, however
        often the site's files change."""
        if self.writable:
            self._store(self._name_index_key(slot), (names_key, arrays))

    def _name_index_key(self, slot: str) -> str:
        return _key(("names", __version__, CACHE_FORMAT, code_fingerprint(), self.salt), slot.encode())

    # -- the lexicon --------------------------------------------------------------------------

    def get_lexicon(self, language: str) -> Lexicon | None:
        """The lexicon of ``language`` from earlier runs (``linklint.lexicon``),
        or None: tokens of known words need no spaCy."""
        from linklint.lexicon import Lexicon, Rules, is_word_set, is_words

        if not self.enabled:
            return None
        obj = self._read(self._lexicon_key(language))
        if (
            type(obj) is not dict
            or set(obj) != {"rules", "words", "stop_words", "number_words"}
            or not is_words(obj["words"])
            or not is_word_set(obj["stop_words"])
            or not is_word_set(obj["number_words"])
        ):
            return None
        rules = Rules.from_data(obj["rules"])
        if rules is None:
            return None
        stop_words, number_words = obj["stop_words"], obj["number_words"]
        return Lexicon(
            rules,
            obj["words"],
            frozenset(stop_words) if stop_words is not None else None,
            frozenset(number_words) if number_words is not None else None,
        )

    def put_lexicon(self, language: str, lexicon: Lexicon) -> None:
        if self.writable and lexicon.rules is not None:
            stored = {
                "rules": lexicon.rules.as_data(),
                "words": lexicon.words,
                "stop_words": tuple(sorted(lexicon.stop_words)) if lexicon.stop_words is not None else None,
                "number_words": tuple(sorted(lexicon.number_words)) if lexicon.number_words is not None else None,
            }
            self._write(self._lexicon_key(language), _dump(stored))

    def _lexicon_key(self, language: str) -> str:
        return _key(("lexicon", __version__, CACHE_FORMAT, code_fingerprint(), self._language_versions), language.encode())

    # -- stored sites ------------------------------------------------------------------------

    def get_snapshot(self, key: str, part: str = "site") -> Any:
        """The unpickled ``part`` (``site`` or ``terms``) of the snapshot under
        ``key`` (``linklint.snapshot`` checks its shape), or None."""
        if not self.enabled:
            return None
        return self._read(self._snapshot_key(key, part))

    def put_snapshot(self, key: str, stored: Any, part: str = "site") -> None:
        if self.writable:
            self._store(self._snapshot_key(key, part), stored)

    def _snapshot_key(self, key: str, part: str) -> str:
        versions = self._language_versions if part == "terms" else ""
        return _key((part, __version__, CACHE_FORMAT, code_fingerprint(), self.salt, versions), key.encode())

    # -- printouts ------------------------------------------------------------------------

    def get_output(self, key: str, slot: str) -> tuple[bytes, int] | None:
        """The rendered output (UTF-8) and exit code in ``slot`` when they
        were made from the inputs ``key``, or None."""
        if not self.enabled:
            return None
        obj = self._read(self._output_key(slot))
        ok = type(obj) is tuple and len(obj) == 3 and obj[0] == key and type(obj[1]) is bytes and type(obj[2]) is int
        return (obj[1], obj[2]) if ok else None

    def put_output(self, key: str, slot: str, printout: bytes, exit_code: int) -> None:
        """Keep the rendered output as the bytes printed: a warm run writes
        them as they are (text was decoded from the entry and encoded again
        to print: 0.4 s of a warm run at 50,000 posts, whose printout is
        over 100 MB)."""
        if self.writable:
            self._store(self._output_key(slot), (key, printout, exit_code))

    def _output_key(self, key: str) -> str:
        return _key(("output", __version__, CACHE_FORMAT, code_fingerprint(), self.salt), key.encode())

    # -- housekeeping --------------------------------------------------------------

    def prune(self, max_age: float = PRUNE_AFTER) -> int:
        """Remove the entries no run has read or written for ``max_age``
        seconds (parses of old file versions, entries of other linklint
        versions); return how many. Done at most once a day (a marker file
        keeps the time), and never fails a run."""
        marker = self.dir / _PRUNED
        now = time.time()
        try:
            if now - marker.stat().st_mtime < _DAY:
                return 0
        except OSError:
            pass  # never pruned: now
        if not self.writable or not self.dir.is_dir() or self.dir.is_symlink():
            return 0
        if self._found_empty:
            # Everything stored was stored by this run (a first run at 50,000
            # posts would look at 100,000 new files for nothing).
            with contextlib.suppress(OSError):
                _write_atomically(marker, b"")
            return 0
        removed = 0
        for folder in self._fanout_folders():
            for entry in _listing(folder):
                try:
                    if now - entry.lstat().st_mtime > max_age:
                        entry.unlink()
                        removed += 1
                except OSError:
                    continue
        with contextlib.suppress(OSError):
            _write_atomically(marker, b"")
        return removed

    def clear(self) -> int:
        """Remove every entry (and stray temporary files); return how many
        entries were removed. The folder, its ``.gitignore`` and tag stay."""
        removed = 0
        if not self.dir.is_dir() or self.dir.is_symlink():
            return 0  # never delete anything that is not our own folder
        for folder in self._fanout_folders():
            for entry in _listing(folder):
                entry_count = _bundle_size(entry) if entry.name.endswith(_BUNDLE_SUFFIX) else 1
                try:
                    entry.unlink()
                except OSError:
                    continue  # not ours to remove; leave it and go on
                if not entry.name.startswith(_TEMP_PREFIX):
                    removed += entry_count
            with contextlib.suppress(OSError):
                folder.rmdir()
        return removed

    def _fanout_folders(self) -> Iterator[Path]:
        """The ``ab/`` folders entries live in, and the bundles' (nothing
        else of the folder)."""
        return (folder for folder in _listing(self.dir) if _is_fanout(folder) or _is_bundles(folder))

    # -- keys and files ------------------------------------------------------------

    def _document_key(self, path: str, data: bytes) -> str:
        # The same bytes parse differently as Markdown and as MDX.
        dialect = "mdx" if is_mdx(path) else "md"
        return _key(("document", __version__, CACHE_FORMAT, code_fingerprint(), self.salt, dialect), data)

    def _terms_key(self, data: bytes | str, language: str) -> str:
        content = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        return _key(("terms", __version__, CACHE_FORMAT, code_fingerprint(), self._language_versions, language), content)

    def _folder(self, key: str) -> str:
        """The fan-out folder of entry ``key``, as a string: it is worked out
        for every entry read or written, thousands in a run."""
        return os.path.join(self.dir, key[:2])

    def _entry(self, key: str) -> Path:
        return Path(self._folder(key), key[2:])

    def _read(self, key: str) -> Any:
        entry = os.path.join(self._folder(key), key[2:])
        try:
            with open(entry, "rb") as handle:
                blob = handle.read()
                used = os.fstat(handle.fileno()).st_mtime
            if used < time.time() - _DAY:
                # Entries in use are touched (at most daily): `prune` removes
                # the ones no run has used for a long time.
                with contextlib.suppress(OSError):
                    os.utime(entry)
        except FileNotFoundError:
            found = self._read_bundled(key)
            if found is None:
                return None
            blob = found
        except OSError:  # unreadable, or the cache "folder" is a file
            return None
        try:
            return _load(blob)
        except Exception:  # noqa: BLE001 - a bad entry of any kind is a miss
            return None

    def _store(self, key: str, obj: Any) -> None:
        """Write ``obj`` under ``key``; a value pickle cannot take (an odd
        front-matter value) is simply not stored. Outside a batch the pickle
        goes to its file as it is made: a whole run's report of a large site
        holds the text of every page it reports on (100 MB at 7,400 pages),
        and pickled in memory first it was the run's peak."""
        if not (self._batching() and self._writable is not False):
            with contextlib.suppress(_Unpicklable):
                self._write_file(self._folder(key), key[2:], _Pickled(obj))
            return
        try:
            blob = _dump(obj)
        except Exception:  # noqa: BLE001 - an unpicklable value: just not cached
            return
        self._write(key, blob)

    @contextlib.contextmanager
    def batched(self) -> Iterator[None]:
        """Entries stored inside are written together, a few hundred to a
        file (a *bundle*), when the block ends: a cold run stores two entries
        a page, and creating a file cost more than writing it (0.5 ms each
        on a virtual machine's disk: a second of a first run at 1,000
        pages). Read back like any entry; a bundle is pruned as a whole."""
        if self._batching():
            yield  # already batching: the outer block writes
            return
        self._batch, self._batch_bytes, self._batch_pid = [], 0, os.getpid()
        try:
            yield
        finally:
            batch, self._batch = self._batch, None
            self._write_bundle(batch)

    def _write_bundle(self, batch: list[tuple[str, bytes]]) -> None:
        if len(batch) < 2:
            for key, blob in batch:
                self._write(key, blob)
            return
        header = bytearray(_BUNDLE_MAGIC + len(batch).to_bytes(4, "little"))
        offset = len(header) + len(batch) * _BUNDLE_ROW.size
        rows = []
        for key, blob in batch:
            header += _BUNDLE_ROW.pack(bytes.fromhex(key), offset, len(blob))
            rows.append((key, offset, len(blob)))
            offset += len(blob)
        name = f"{_bundle_tag()}{os.getpid()}-{time.time_ns()}-{next(_temp_names)}{_BUNDLE_SUFFIX}"
        folder = os.path.join(self.dir, _BUNDLES)
        if not self._write_file(folder, name, bytes(header) + b"".join(blob for _, blob in batch)):
            return
        if self._bundled is not None:
            path = os.path.join(folder, name)
            self._bundled.add((key, (path, start, size)) for key, start, size in rows)

    def _read_bundled(self, key: str) -> bytes | None:
        if self._bundled is None:
            self._bundled = _BundleIndex(os.path.join(self.dir, _BUNDLES), _bundle_tag())
        found = self._bundled.get(key)
        if found is None:
            return None
        path, start, size = found
        try:
            with open(path, "rb") as handle:
                handle.seek(start)
                blob = handle.read(size)
                if path not in self._touched:
                    self._touched.add(path)
                    if os.fstat(handle.fileno()).st_mtime < time.time() - _DAY:
                        os.utime(path)
        except OSError:
            return None
        return blob if len(blob) == size else None

    def _batching(self) -> bool:
        # A worker process forked inside a batch has a copy of it: not its own.
        return self._batch is not None and self._batch_pid == os.getpid()

    def _write(self, key: str, blob: bytes) -> None:
        if self._batching() and self._writable is not False:
            self._batch.append((key, blob))
            self._batch_bytes += len(blob)
            if len(self._batch) >= _BUNDLE_ENTRIES or self._batch_bytes >= _BUNDLE_BYTES:
                batch, self._batch, self._batch_bytes = self._batch, [], 0
                self._write_bundle(batch)
            return
        self._write_file(self._folder(key), key[2:], blob)

    def _write_file(self, folder: str, name: str, blob: bytes) -> bool:
        """``blob`` as the file ``name`` of ``folder`` (an entry's fan-out
        folder, or the bundles'), made when missing; False when it could
        not be written."""
        try:
            if self._writable is None:
                self._prepare()
                self._writable = True
            if folder not in self._folders:
                _make_folder(folder)
                self._folders.add(folder)
            try:
                _write_in(folder, name, blob)
            except FileNotFoundError:
                # The folder went away since (another run cleared the cache).
                _make_folder(folder)
                _write_in(folder, name, blob)
        except OSError:
            # One failure says the folder is not ours to write: stop trying
            # rather than fail again for every page.
            self._writable = False
            return False
        return True

    def _prepare(self) -> None:
        """Create the cache folder with its ``.gitignore`` and tag."""
        self.dir.mkdir(exist_ok=True)  # a file of that name raises: not writable
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            target = self.dir / name
            if not target.exists():
                _write_atomically(target, text.encode())


def _key(parts: tuple[object, ...], data: bytes) -> str:
    # repr of a tuple of plain values is unambiguous: no part can run into the next.
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _bundle_size(path: Path) -> int:
    """How many entries a bundle holds (by its header; 1 when unreadable)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return 1
    return int.from_bytes(head[4:], "little") if len(head) == 8 and head[:4] == _BUNDLE_MAGIC else 1


def _bundle_tag() -> str:
    """What starts the names of the bundles this code writes. Every entry's
    key holds the code's fingerprint, so a bundle another linklint wrote
    serves none of them: the index reads the tables of this code's bundles
    only (a checkout's cache after a few upgrades holds several versions'
    bundles until they are pruned, and each was read at the first miss)."""
    return code_fingerprint()[:16] + "-"


class _BundleIndex:
    """Where each bundled entry is: key → (file, offset, length).

    Every bundle's table is read (key, offset and length of each entry; of
    the bundles whose names start with ``tag``), and
    kept as read, joined in one string of bytes: a run on a few pages looks
    up a few dozen keys, each found by searching that string, where making a
    dict of every entry cost such a run 98 ms at 50,000 posts with the
    entries of two versions (200,000; the tables read in 20 ms), 0.44 s with
    700,000.
    From the ``DICT_AFTER``-th lookup on (a run that reads many pages), the
    dict is made, from the tables already read.

    A bundle whose header is damaged, or one of whose entries would lie past
    its end, is passed over (its entries are misses); each entry still
    carries its own checksum. Where several bundles hold one key, the last
    in name order serves, and after them the entries this run bundled."""

    DICT_AFTER = 32

    def __init__(self, folder: str, tag: str = "") -> None:
        self._paths: list[str] = []
        self._sizes: list[int] = []
        self._first_rows: list[int] = []  # the row of the joined tables each bundle's starts at
        self._sound: dict[int, bool] = {}  # bundle number → whether every entry lies inside it
        self._added: dict[str, tuple[str, int, int]] = {}
        self._dict: dict[str, tuple[str, int, int]] | None = None
        self._lookups = 0
        tables: list[bytes] = []
        rows = 0
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(_BUNDLE_SUFFIX) and name.startswith(tag))
        except OSError:
            names = []
        for name in names:
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as handle:
                    head = handle.read(8)
                    if len(head) != 8 or head[:4] != _BUNDLE_MAGIC:
                        continue
                    count = int.from_bytes(head[4:], "little")
                    table = handle.read(count * _BUNDLE_ROW.size)
                    size = os.fstat(handle.fileno()).st_size
            except OSError:
                continue
            if len(table) != count * _BUNDLE_ROW.size:
                continue
            self._paths.append(path)
            self._sizes.append(size)
            self._first_rows.append(rows)
            tables.append(table)
            rows += count
        self._tables = b"".join(tables)

    def add(self, entries: Iterable[tuple[str, tuple[str, int, int]]]) -> None:
        """Entries this run bundled (they serve before any read)."""
        for key, where in entries:
            self._added[key] = where
            if self._dict is not None:
                self._dict[key] = where

    def get(self, key: str) -> tuple[str, int, int] | None:
        if self._dict is not None:
            return self._dict.get(key)
        found = self._added.get(key)
        if found is not None:
            return found
        self._lookups += 1
        if self._lookups >= self.DICT_AFTER:
            return self.as_dict().get(key)
        tables, wanted, size = self._tables, bytes.fromhex(key), _BUNDLE_ROW.size
        at = tables.rfind(wanted)
        while at >= 0:
            # A key's bytes may also turn up across two rows: only a match
            # at a row's start is one.
            if at % size == 0:
                bundle = bisect.bisect_right(self._first_rows, at // size) - 1
                if self._is_sound(bundle):
                    _, start, length = _BUNDLE_ROW.unpack_from(tables, at)
                    return self._paths[bundle], start, length
            at = tables.rfind(wanted, 0, at + len(wanted) - 1)
        return None

    def as_dict(self) -> dict[str, tuple[str, int, int]]:
        """Every entry, as a dict (the lookups from then on use it)."""
        if self._dict is None:
            found: dict[str, tuple[str, int, int]] = {}
            for bundle, path in enumerate(self._paths):
                if self._is_sound(bundle):
                    for key, start, length in self._rows(bundle):
                        found[key.hex()] = (path, start, length)
            found.update(self._added)
            self._dict = found
        return self._dict

    def _rows(self, bundle: int) -> Iterator[tuple[bytes, int, int]]:
        """The (key, offset, length) rows of one bundle's table."""
        size = _BUNDLE_ROW.size
        first = self._first_rows[bundle]
        end = self._first_rows[bundle + 1] if bundle + 1 < len(self._first_rows) else len(self._tables) // size
        return _BUNDLE_ROW.iter_unpack(memoryview(self._tables)[first * size : end * size])

    def _is_sound(self, bundle: int) -> bool:
        sound = self._sound.get(bundle)
        if sound is None:
            limit = self._sizes[bundle]
            sound = self._sound[bundle] = all(start + length <= limit for _, start, length in self._rows(bundle))
        return sound


def _listing(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _is_fanout_name(name: str) -> bool:
    return len(name) == 2 and all(c in "0123456789abcdef" for c in name)


def _is_fanout_entry(entry: os.DirEntry) -> bool:
    return _is_fanout_name(entry.name) and entry.is_dir(follow_symlinks=False)


def _is_bundles(folder: Path) -> bool:
    return folder.name == _BUNDLES and folder.is_dir() and not folder.is_symlink()


def _is_fanout(folder: Path) -> bool:
    return _is_fanout_name(folder.name) and folder.is_dir() and not folder.is_symlink()


def _write_atomically(target: Path, blob: bytes) -> None:
    """Write ``blob`` to ``target`` through a temporary file in the same folder,
    so a reader sees the old entry or the new one, never a part."""
    folder, name = os.path.split(os.fspath(target))
    _make_folder(folder)
    _write_in(folder, name, blob)


def _make_folder(folder: str) -> None:
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder)


# Temporary files are named after the process and this count: no other running
# process has its id, and ``O_EXCL`` passes over a name left behind by one that
# had it before. (``tempfile.mkstemp``'s random names cost more than the write
# of a page's entry on a fast disk.)
_temp_names = itertools.count()
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class _Pickled(NamedTuple):
    """An object to write pickled, with its checksum after it (``_dump``'s
    bytes), straight into the entry's file."""

    obj: Any


class _Unpicklable(Exception):
    """Pickle could not take the object: it is not stored."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_pickled(fd: int, obj: Any) -> None:
    """``_dump``'s bytes, written to ``fd`` as they are made."""
    try:
        _pickle_to(lambda data: _write_all(fd, data), obj)
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unpicklable value: just not cached
        raise _Unpicklable from exc


def _write_in(folder: str, name: str, blob: bytes | _Pickled) -> None:
    """``_write_atomically`` into ``folder``, which exists."""
    for _ in range(100):
        temp = os.path.join(folder, f"{_TEMP_PREFIX}{os.getpid()}-{next(_temp_names)}")
        try:
            fd = os.open(temp, _TEMP_FLAGS, 0o600)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name in {folder}")
    try:
        try:
            if isinstance(blob, _Pickled):
                _write_pickled(fd, blob.obj)
            else:
                _write_all(fd, blob)
        finally:
            os.close(fd)
        os.replace(temp, os.path.join(folder, name))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
