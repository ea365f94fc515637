"""Where a missing file went: Git's rename history, and unique matches.

A link breaks when the file it names is renamed or moved. Git remembers the move
(``git log -M`` pairs a deleted file with an added one of similar content), so
the new name of a missing file can be proved rather than guessed: follow every
rename of the name, oldest first, through chains (``a.md`` → ``b.md`` →
``posts/b.md``), including renames staged with ``git mv`` and not committed yet.
When Git knows nothing, a file of the same name elsewhere in the site is the new
home only if it is the *only* one.

The history is read once per repository state (``HEAD`` and the index) and only
when there is a broken link, so a run without broken links never calls Git for
it. A run on the whole site starts reading it at the first broken link it
meets while parsing (``HistoryReading``); other runs read it when a broken
link asks. The committed renames are kept in the cache with their commit, so
a later run reads the log of the commits since at most.
"""

from __future__ import annotations

import os
import weakref
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from linklint.filenames import FileNames, file_names
from linklint.sites.base import Status

if TYPE_CHECKING:
    from linklint.model import Link
    from linklint.site import Site
    from linklint.sites.base import Target

_PAGE_EXTENSIONS = (".md", ".markdown", ".mdx")
# Names that stand for their folder: a second `index.md` elsewhere says nothing
# about where a missing one went.
_INDEX_NAMES = frozenset({"readme.md", "index.md", "_index.md", "readme.markdown", "index.markdown", "index.html"})


@dataclass(frozen=True)
class RenameHistory:
    """Every earlier name of each current file, as far as Git can tell."""

    origins: dict[str, frozenset[str]] = field(default_factory=dict)

    def destinations(self, old: str) -> list[str]:
        """The current names of the file once called ``old`` (several when the
        name was used again and moved again)."""
        return sorted(new for new, names in self.origins.items() if old in names)

    def earlier_names(self, path: str) -> frozenset[str]:
        return self.origins.get(path, frozenset())

    def folder_destinations(self, old: str) -> list[str]:
        """The folders a folder's files went to together (``old/x`` → ``new/x``)."""
        prefix = old.rstrip("/") + "/"
        found: set[str] = set()
        for new, names in self.origins.items():
            for name in names:
                if name.startswith(prefix):
                    rest = name[len(prefix) :]
                    if new.endswith("/" + rest):
                        found.add(new[: -len(rest) - 1])
        return sorted(found)


def chain(renames: list[tuple[str, str]]) -> RenameHistory:
    """The history made by ``renames`` (old, new), oldest first."""
    origins: dict[str, set[str]] = {}
    for old, new in renames:
        carried = origins.pop(old, set()) | {old}
        names = origins.setdefault(new, set())
        names.update(carried)
        names.discard(new)
    return RenameHistory({new: frozenset(names) for new, names in origins.items() if names})


# Git with names as they are and no signatures in its log.
_GIT = ("git", "-c", "log.showSignature=false", "-c", "core.quotePath=false")


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(
            [*_GIT, *args],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _decode(name: bytes) -> str:
    return name.decode("utf-8", "surrogateescape")


def parse_log(output: bytes) -> list[tuple[str, str]]:
    """Renames from ``git log --name-status -z --format=%x01%H``, newest first."""
    renames: list[tuple[str, str]] = []
    for chunk in output.split(b"\x01")[1:]:
        fields = chunk.split(b"\0")
        # fields[0] is the commit hash; the name-status part follows a newline.
        entries = fields[1:]
        if entries and entries[0].startswith(b"\n"):
            entries[0] = entries[0][1:]
        renames.extend(parse_name_status(entries))
    return renames


def parse_name_status(fields: list[bytes]) -> list[tuple[str, str]]:
    """The renames in NUL-separated ``--name-status`` fields."""
    renames: list[tuple[str, str]] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][:1]
        if status in (b"R", b"C"):
            if i + 2 >= len(fields):
                break
            if status == b"R":
                renames.append((_decode(fields[i + 1]), _decode(fields[i + 2])))
            i += 3
        else:
            i += 2
    return renames


# Every committed rename, newest first (``parse_log`` reads it).
_LOG = ("log", "-M", "--diff-filter=R", "--name-status", "-z", "--no-color", "--format=%x01%H", "--relative")
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

# Where the committed renames of earlier runs are kept (the run's cache, with
# ``get_renames`` and ``put_renames``), or None.
_STORE: Any = None


def use_store(store: Any) -> None:
    """Keep the committed renames in ``store`` (None: nowhere)."""
    global _STORE
    _STORE = store


def read_history(root: Path, state: tuple[str, int] | None = None) -> RenameHistory:
    """The rename history of the repository at ``root`` (paths relative to
    ``root``, which may be a folder inside the work tree): committed renames,
    then renames staged in the index. ``state`` is the repository's state
    when the caller has it."""
    return HistoryReading(root, state).finish()


# The repository's state asked of Git in one command: the index's path, then
# the commit checked out when there is one (with none, Git prints the path
# and exits 1; outside a repository, nothing).
_STATE = ("rev-parse", "--git-path", "index", "--verify", "--quiet", "HEAD")

# The state of a command's repository (by its resolved root), asked for at
# the command's start (``start_state``): Git's process until its answer is
# taken, then the answer.
_ASKING: dict[Path, subprocess.Popen] = {}
_STATES: dict[Path, tuple[str, int]] = {}
# A forked worker asks Git itself for a state this process has not taken yet:
# reading the answer from the shared pipe would leave this process without it.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ASKING.clear)


def start_state(root: Path) -> None:
    """Have Git tell the repository's state now, while this process imports
    the rest of linklint, and give that state to every ``repository_state``
    of the command until ``drop_state``. A command checks the repository as
    it was when the command started (its files are listed then too); asked
    for each time, the state cost a pre-commit run with a broken link six
    Git processes, one after the other."""
    root = root.resolve()
    if root in _ASKING or root in _STATES:
        return
    try:
        _ASKING[root] = subprocess.Popen([*_GIT, *_STATE], cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except (OSError, ValueError):
        pass


def drop_state(root: Path) -> None:
    """Forget the state ``start_state`` asked for (stopping Git if no one
    took its answer)."""
    root = root.resolve()
    _STATES.pop(root, None)
    asking = _ASKING.pop(root, None)
    if asking is not None:
        asking.kill()
        asking.communicate()


def repository_state(root: Path) -> tuple[str, int]:
    """What the history depends on: the commit checked out and the index."""
    if _ASKING or _STATES:
        key = root.resolve()
        asking = _ASKING.pop(key, None)
        if asking is not None:
            _STATES[key] = _state(root, asking.communicate()[0])
        kept = _STATES.get(key)
        if kept is not None:
            return kept
    try:
        done = subprocess.run([*_GIT, *_STATE], cwd=root, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except OSError:
        return "", 0
    return _state(root, done.stdout)


def _state(root: Path, output: bytes | None) -> tuple[str, int]:
    """The state in Git's answer to ``_STATE``: no commit is "", no index 0."""
    lines = (output or b"").decode("utf-8", "surrogateescape").splitlines()
    if not lines or not lines[0].strip():
        return "", 0  # not a repository (or no Git)
    head = lines[1].strip() if len(lines) > 1 else ""
    try:
        mtime = os.stat(root / lines[0].strip()).st_mtime_ns
    except OSError:
        mtime = 0
    return head, mtime


# Histories read in this process, by repository root and state.
_HISTORIES: dict[tuple[Path, tuple[str, int]], RenameHistory] = {}
_HISTORIES_KEPT = 8


def _keep(key: tuple[Path, tuple[str, int]], found: RenameHistory) -> RenameHistory:
    if len(_HISTORIES) >= _HISTORIES_KEPT:
        _HISTORIES.clear()
    _HISTORIES[key] = found
    return found


def history(root: Path) -> RenameHistory:
    """The rename history of the repository at ``root``, read once per state."""
    state = repository_state(root)
    found = _HISTORIES.get((root, state))
    return found if found is not None else _keep((root, state), read_history(root, state))


class HistoryReading:
    """The rename history read in two steps: ``git log`` of the committed
    renames and ``git diff --cached`` of the staged ones start now, ``finish``
    waits for them and keeps the history for ``history`` (and the processes
    forked after it) to find.

    A run on the whole site starts it at the first broken link it meets while
    pages are still being parsed, so Git works beside the parsing instead of
    holding up the rules (on a repository of 15,000 commits, 0.3 s in which a
    one-process run waited, and a run on two processes waited twice, each
    rule process starting its own).

    The committed renames are stored (``use_store``) with the commit they
    were read at: the same commit needs no ``git log`` at all, and a later
    one that descends from it only the log of the commits since (a
    pre-commit run on a long history waited 0.3 s for the whole log)."""

    def __init__(self, root: Path, state: tuple[str, int] | None = None) -> None:
        self.root = root
        self.state = state if state is not None else repository_state(root)
        self._known: list[tuple[str, str]] = []  # committed renames already known, oldest first
        head, index_time = self.state
        # The renames staged in the index are asked for now too, not when the
        # history is needed (the run then waited 4-5 ms for Git). Without an
        # index (outside a repository, or nothing ever added) none are staged.
        self._staged = _started(root, ["diff", "--cached", "-M", "--name-status", "-z", "--no-color", "--relative", head or _EMPTY_TREE, "--"]) if index_time else None
        self._log: _Started | None = None
        if not head:
            return  # nothing committed
        stored = _stored_renames()
        if stored is not None and stored[0] == head:
            self._known = stored[1]
            return
        args = list(_LOG)
        if stored is not None and _git(root, "merge-base", "--is-ancestor", stored[0], head) is not None:
            self._known = stored[1]
            args.append(f"{stored[0]}..{head}")
        self._log = _started(root, args)

    def finish(self) -> RenameHistory:
        """Wait for Git and keep the history (without the committed renames
        Git could not give)."""
        head = self.state[0]
        renames = list(self._known)
        log, self._log = _output(self._log), None
        if log is not None:
            renames.extend(reversed(parse_log(log)))
            _store_renames(head, renames)
        staged, self._staged = _output(self._staged), None
        if staged:
            renames.extend(parse_name_status(staged.split(b"\0")))
        return _keep((self.root, self.state), chain(renames))


# A Git command started with its output going to a temporary file: it never
# waits for a reader, and no thread is needed to read it.
_Started = tuple[subprocess.Popen, Any]


def _started(root: Path, args: list[str]) -> _Started | None:
    import tempfile  # here, not at the start of every run (2 ms of imports)

    output = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen([*_GIT, *args], cwd=root, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.DEVNULL)
    except OSError:
        output.close()
        return None
    return process, output


def _output(started: _Started | None) -> bytes | None:
    """What a started Git command wrote, once it has ended; None if it was not
    started or failed."""
    if started is None:
        return None
    process, output = started
    with output:
        if process.wait() != 0:
            return None
        output.seek(0)
        return output.read()


def _stored_renames() -> tuple[str, list[tuple[str, str]]] | None:
    return _STORE.get_renames() if _STORE is not None else None


def _store_renames(head: str, renames: list[tuple[str, str]]) -> None:
    if _STORE is not None:
        _STORE.put_renames(head, renames)


_run_histories: weakref.WeakKeyDictionary[Site, RenameHistory] = weakref.WeakKeyDictionary()


def site_history(site: Site) -> RenameHistory:
    """The rename history as of the start of this run: asking Git for its
    state again for every broken link costs two processes each."""
    past = _run_histories.get(site)
    if past is None:
        past = _run_histories[site] = history(site.inventory.root)
    return past


def read_for(site: Site, past: RenameHistory) -> None:
    """``past`` (read while the run loaded its pages) is ``site``'s history:
    the rule processes forked after find it without asking Git for its state
    again (two Git processes in each)."""
    _run_histories[site] = past


# -- finding the new home of a missing file -------------------------------------------


@dataclass(frozen=True)
class NewHome:
    """The file a broken link should point at now, and how that is known."""

    path: str
    reason: str
    # False when the evidence is only suggestive (a page of the same URL name):
    # the fix is offered as unsafe.
    proved: bool = True


def _variants(missing: str) -> list[str]:
    """The files a missing destination may have meant: itself, and for an
    extensionless or ``.html`` URL, the Markdown pages behind it."""
    base = missing.rstrip("/")
    stem, ext = posixpath.splitext(base)
    out = [base]
    if ext.lower() in (".html", ".htm"):
        out += [stem + e for e in _PAGE_EXTENSIONS]
    elif not ext:
        out += [base + e for e in _PAGE_EXTENSIONS]
        out += [f"{base}/{name}" for name in ("README.md", "index.md", "_index.md")]
    return out


def _exists(site: Site, path: str) -> bool:
    return path in site.inventory.files or path in site.inventory.dirs


def _from_history(site: Site, source: str, link: Link, missing: str) -> NewHome | None | bool:
    """The new home Git proves; False when Git's answer is ambiguous (several
    live files claim the name), None when it knows nothing."""
    if not site.inventory.in_git:
        return None
    past = site_history(site)
    found: dict[str, str] = {}
    for name in _variants(missing):
        for new in past.destinations(name):
            if _exists(site, new):
                found.setdefault(new, f"`{name}` was renamed to `{new}` in Git")
        if not posixpath.splitext(name)[1]:
            for folder in past.folder_destinations(name):
                if folder in site.inventory.dirs:
                    found.setdefault(folder, f"folder `{name}` was renamed to `{folder}` in Git")
    # The page itself moved and the link was written for its old place.
    for old_source in sorted(past.earlier_names(source)):
        target = site.profile.resolve(old_source, link.destination)
        if target.status in (Status.PAGE, Status.ASSET) and target.path and target.path != old_source:
            found.setdefault(target.path, f"this page was moved from `{old_source}`")
        elif target.status == Status.MISSING and target.path:
            for new in past.destinations(target.path):
                if _exists(site, new):
                    found.setdefault(new, f"this page was moved from `{old_source}` and `{target.path}` to `{new}`")
    if len(found) > 1:
        return False
    if found:
        (path, reason), = found.items()
        return NewHome(path, reason)
    return None


def _name_key(path: str) -> str:
    """What identifies a file when it moves: its name, or for an index file, its
    folder and name (``guides/index.md``)."""
    name = posixpath.basename(path.rstrip("/"))
    if name.lower() in _INDEX_NAMES:
        return posixpath.join(posixpath.basename(posixpath.dirname(path)), name)
    return name


def _page_stem(path: str) -> str:
    """The URL name of a page: ``a`` for ``x/a.md`` and for ``x/a/index.md``."""
    name = posixpath.basename(path)
    if name.lower() in _INDEX_NAMES:
        return posixpath.basename(posixpath.dirname(path))
    return posixpath.splitext(name)[0]


def _unique_match(site: Site, source: str, missing: str) -> NewHome | None:
    found = _only_file(site, missing)
    if found is None or found.path == source:
        # A page that seems to link to itself under another name more likely
        # links to something outside the repository with the same name (another
        # app on the same host): no guess.
        return None
    return found


def _only_file(site: Site, missing: str) -> NewHome | None:
    files = file_names(site)
    base = missing.rstrip("/")
    # A destination that differs from one file only by case (`Where.md`).
    folded = sorted({f for v in _variants(missing) for f in files.same_but_case(v)})
    if len(folded) == 1:
        return NewHome(folded[0], f"`{folded[0]}` differs only in case")
    ext = posixpath.splitext(base)[1].lower()
    if ext and ext not in (".html", ".htm"):
        key = _name_key(base)
        if not key or key.startswith("/"):
            return None
        same = _named(files, key)
        what = f"the only file named `{key}`"
    else:
        stem = posixpath.splitext(posixpath.basename(base))[0]
        if not stem:
            return None
        same = _pages_named(site, files, stem)
        if len(same) == 1:
            # A URL's last part is a weaker name than a file name: a generator
            # may serve anything there. Offered, not applied by default.
            return NewHome(same[0], f"the only page named `{stem}` is `{same[0]}`", proved=False)
        return None
    if len(same) == 1:
        return NewHome(same[0], f"{what} is `{same[0]}`")
    return None


def _named(files: FileNames, key: str) -> list[str]:
    """Files that are ``key`` or end with ``/key`` (a ``_name_key``)."""
    if "/" not in key and key.lower() in _INDEX_NAMES:
        pool: Iterable[str] = files.paths  # a bare index name: any folder's index file ends with it
    else:
        pool = files.by_name.get(posixpath.basename(key), ())
    return [f for f in pool if f == key or f.endswith("/" + key)]


def _pages_named(site: Site, files: FileNames, stem: str) -> list[str]:
    """The pages whose URL name (``_page_stem``) is ``stem``."""
    pages = site.documents
    found = [p for p in files.with_stem(stem) if p in pages and posixpath.basename(p).lower() not in _INDEX_NAMES]
    for name in sorted(_INDEX_NAMES):  # the index pages of the folders named ``stem``
        found += [p for p in files.folded_name(name) if p in pages and _page_stem(p) == stem]
    return found


def new_home(site: Site, source: str, link: Link, target: Target) -> NewHome | None:
    """Where the missing target of ``link`` (in ``source``) lives now, when Git's
    rename history or a unique match shows it; None otherwise. A match by a
    URL's last part alone is not ``proved``."""
    if target.status != Status.MISSING or not target.path:
        return None
    proved = _from_history(site, source, link, target.path)
    if proved is False:
        return None
    if proved is not None:
        return proved  # type: ignore[return-value]
    return _unique_match(site, source, target.path)
