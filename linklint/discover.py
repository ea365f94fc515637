"""Which files make up the site.

Inside a Git work tree the file list comes from Git (tracked files plus untracked
ones that are not ignored), so build output, ``node_modules`` and everything else a
project already ignores stay out without any configuration. Outside Git a directory
walk is used that skips hidden folders (but VitePress' ``.vitepress``, which holds
the site's config) and well-known dependency folders.

Symbolic links are never followed blindly: a Markdown file that is a symlink is
read only when it resolves to a file inside the repository; loops and links that
leave the repository are reported instead.
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# Folders a directory walk never enters (outside Git there is no ignore file to
# tell us). Build-output folders (`public/`, `_site/`, `site/`) are not among them:
# those names are also used for content.
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
# Hidden folders a walk enters all the same: a generator's config lives there.
_CONFIG_DIRS = frozenset({".vitepress"})


@dataclass
class Inventory:
    """Every file of the repository (as POSIX paths relative to ``root``) and the
    folders that contain them."""

    root: Path
    files: set[str] = field(default_factory=set)
    dirs: set[str] = field(default_factory=set)
    in_git: bool = False
    # Size, modification time (ns) and mode of each file as listed, without
    # following symlinks: what a run's result depends on, cheap to compare.
    stamps: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def add(self, rel: str, stamp: tuple[int, int, int] | None = None) -> None:
        self.files.add(rel)
        if stamp is not None:
            self.stamps[rel] = stamp
        self.add_folder(rel.rpartition("/")[0])

    def sorted_files(self) -> list[str]:
        """``files`` in path order. The stamps are listed in that order (as
        Git or the walk gives the files), and sorting what is sorted is one
        pass: sorting the set took 8 ms at 50,000 files."""
        return sorted(self.stamps if self.stamps.keys() == self.files else self.files)

    def add_folder(self, folder: str) -> None:
        """``folder`` ("" for the root) and the folders above it."""
        while folder and folder not in self.dirs:
            self.dirs.add(folder)
            folder = folder.rpartition("/")[0]


def git_toplevel(start: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=start,
            capture_output=True,
            text=True,
            check=False,
        )
    except (OSError, ValueError):
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return Path(out.stdout.strip())


_LIST_FILES = ("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
# Git's listings started ahead (``start_listing``), by root.
_started: dict[Path, subprocess.Popen] = {}


def start_listing(root: Path) -> None:
    """Have Git start listing the files under ``root`` now, for ``inventory``
    to take when it gets there: Git lists them while this process imports
    the rest of linklint (at 50,000 files Git takes 35 ms, time a run on two
    posts spent waiting). Outside a Git work tree the listing fails and is
    not used."""
    root = root.resolve()
    if root in _started:
        return
    try:
        _started[root] = subprocess.Popen(_LIST_FILES, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except (OSError, ValueError):
        pass


def drop_listing(root: Path) -> None:
    """Stop a listing started ahead that no inventory took (a run that ended
    before it got there)."""
    started = _started.pop(root.resolve(), None)
    if started is not None:
        started.kill()
        started.communicate()


def _git_files(root: Path) -> list[str] | None:
    started = _started.pop(root, None)
    try:
        if started is not None:
            stdout, _ = started.communicate()
            out = subprocess.CompletedProcess(_LIST_FILES, started.returncode, stdout)
        else:
            out = subprocess.run(_LIST_FILES, cwd=root, capture_output=True, check=False)
    except OSError:
        return None
    if out.returncode != 0:
        return None
    names = out.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def _walk_files(root: Path) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        # A symlink to a folder is an entry of its own, as Git sees it; it is
        # never entered (loops, links out of the repository).
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = sorted(
            d for d in dirnames if (not d.startswith(".") or d in _CONFIG_DIRS) and d not in _SKIP_DIRS and d not in links
        )
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames + links:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            found.append(rel.replace(os.sep, "/"))
    found.sort()
    return found


def inventory(root: Path) -> Inventory:
    """List the repository's files. Files Git knows of but that are gone from the
    work tree (deleted, not yet committed) are left out."""
    root = root.resolve()
    # Outside a Git work tree the listing fails (no second Git command asks
    # first: starting one is 2 ms of every run's start).
    names = _git_files(root)
    inv = Inventory(root=root, in_git=names is not None)
    if names is None:
        names = _walk_files(root)
    inv.stamps = _stamps(str(root), names)
    inv.files = set(inv.stamps)
    for folder in {rel.rpartition("/")[0] for rel in inv.files}:
        inv.add_folder(folder)
    return inv


def _stamps(base: str, names: list[str]) -> dict[str, tuple[int, int, int]]:
    """The stamp of each file that is there. Each ``lstat`` is relative to the
    open root folder where the system allows it: the kernel does not walk the
    root's path for every file (10 ms of the 70 ms of listing a 10,000-post
    site)."""
    try:
        relative = os.stat in os.supports_dir_fd and os.stat in os.supports_follow_symlinks
        folder = os.open(base, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if relative else None
    except (OSError, ValueError):
        folder = None
    if folder is not None:
        lstat = functools.partial(os.stat, dir_fd=folder, follow_symlinks=False)
    else:
        lstat = lambda rel: os.lstat(os.path.join(base, rel))  # noqa: E731
    stamps: dict[str, tuple[int, int, int]] = {}
    try:
        for rel in names:
            try:
                info = lstat(rel)
            except (OSError, ValueError):
                continue  # listed by Git but gone from the work tree
            stamps[rel] = (info.st_size, info.st_mtime_ns, info.st_mode)
    finally:
        if folder is not None:
            os.close(folder)
    return stamps


class OutsideRepository(Exception):
    pass


def read_inside(root: Path, rel: str) -> bytes:
    """Read a file of the repository, refusing to follow a symlink out of it.

    Raises ``OutsideRepository`` for a symlink that leaves ``root`` and ``OSError``
    (ELOOP and friends) for loops and unreadable files.
    """
    path = root / rel
    if path.is_symlink():
        real = Path(os.path.realpath(path, strict=True))
        if not real.is_relative_to(root):
            raise OutsideRepository(rel)
    return path.read_bytes()
