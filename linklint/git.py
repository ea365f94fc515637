"""What a change touched, as Git sees it, and which findings it is answerable for.

A pull request or a commit should be judged by what it changes, not by every old
problem of the site. Yet the whole site still has to be read: renaming a page breaks
the links *into* it from pages the change never touched, and rewording a heading
breaks the ``#fragments`` pointing at it from elsewhere. So linklint checks the whole
site and then keeps

* every finding in a file the change added, modified or renamed, and
* every finding elsewhere that the change caused: a broken link whose target is a
  page (or file) the change deleted or renamed away, and a broken anchor into a page
  the change modified.

All paths are POSIX paths relative to the site's root (the folder linklint runs
in), which may be a sub-folder of the Git work tree.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from linklint.model import Violation
from linklint.report import Report

if TYPE_CHECKING:
    from linklint.site import Site
    from linklint.sites import Target

BROKEN_LINK = "LL003"
BROKEN_ANCHOR = "LL004"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")


class GitError(Exception):
    """Git could not answer (not a repository, an unknown revision …); the message
    is meant for the user."""


@dataclass(frozen=True)
class ChangeSet:
    """The files a change touched, relative to the site's root.

    ``changed`` holds files that exist after the change and differ from ``base``
    (added, modified, copied, the new name of a renamed file, untracked files);
    ``gone`` holds files that existed at ``base`` and no longer do (deleted, the old
    name of a renamed file); ``renamed`` maps old names to new ones.
    """

    base: str
    changed: frozenset[str]
    gone: frozenset[str]
    renamed: dict[str, str] = dataclasses.field(default_factory=dict)


# -- asking Git ----------------------------------------------------------------


def _git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            input=input,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def _text(root: Path, *args: str) -> str:
    return _git(root, *args).decode("utf-8", "surrogateescape").strip()


def git_path(root: Path, name: str) -> Path:
    """Where Git keeps ``name`` (``hooks`` …) for the repository at ``root``;
    ``core.hooksPath`` and linked work trees are taken into account by Git itself."""
    try:
        location = _text(root, "rev-parse", "--git-path", name)
    except GitError as exc:
        raise GitError(f"`{root}` is not inside a Git repository") from exc
    return Path(os.path.normpath(root / location))


def merge_base(root: Path, ref: str) -> str:
    """The commit where ``HEAD`` left ``ref``: what a pull request is compared with."""
    _require_repository(root)
    try:
        commit = _text(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        commit = ""
    if not commit:
        raise GitError(f"unknown revision `{ref}` (a shallow clone may lack it: fetch more history)")
    try:
        return _text(root, "merge-base", commit, "HEAD")
    except GitError as exc:
        raise GitError(
            f"`{ref}` and HEAD have no common commit (a shallow clone may need more history)"
        ) from exc


def changes_since(root: Path, ref: str) -> ChangeSet:
    """Everything that differs from the merge base of ``ref`` and ``HEAD``: commits
    since then, staged and unstaged edits, and untracked (not ignored) files."""
    base = merge_base(root, ref)
    changed, gone, renamed = _parse_name_status(
        _git(root, "diff", "--name-status", "-M", "-z", "--no-color", "--no-ext-diff", "--relative", base, "--")
    )
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    changed |= {_decode(name) for name in untracked.split(b"\0") if name}
    return ChangeSet(base, frozenset(changed), frozenset(gone), renamed)


def staged_changes(root: Path) -> ChangeSet:
    """What the next commit would change: the index compared with ``HEAD`` (with
    the empty tree before the first commit)."""
    _require_repository(root)
    try:
        base = _text(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        base = ""
    if not base:
        base = _text(root, "hash-object", "-t", "tree", "--stdin")  # the empty tree
    changed, gone, renamed = _parse_name_status(
        _git(root, "diff", "--cached", "--name-status", "-M", "-z", "--no-color", "--no-ext-diff", "--relative", base, "--")
    )
    return ChangeSet(base, frozenset(changed), frozenset(gone), renamed)


def _require_repository(root: Path) -> None:
    try:
        _git(root, "rev-parse", "--git-dir")
    except GitError as exc:
        raise GitError(f"`{root}` is not inside a Git repository") from exc


def _decode(name: bytes) -> str:
    return name.decode("utf-8", "surrogateescape")


def _parse_name_status(output: bytes) -> tuple[set[str], set[str], dict[str, str]]:
    """Parse ``git diff --name-status -z``: a status field, then one path (two for
    renames and copies), each NUL-terminated."""
    fields = [_decode(f) for f in output.split(b"\0")]
    changed: set[str] = set()
    gone: set[str] = set()
    renamed: dict[str, str] = {}
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][0]
        if status in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
            changed.add(new)
            if status == "R":
                gone.add(old)
                renamed[old] = new
            continue
        path = fields[i + 1]
        i += 2
        if status == "D":
            gone.add(path)
        else:  # A, M, T (type change), U (unmerged)
            changed.add(path)
    return changed, gone, renamed


# -- judging findings ------------------------------------------------------------


def caused_by(changes: ChangeSet, site: Site) -> Callable[[Violation], bool]:
    """A test for findings the change is answerable for: any finding in a changed
    file, a broken link into a page the change removed or renamed away, and a broken
    anchor into a page the change modified."""
    removed = _removed_locations(changes, site)

    def test(violation: Violation) -> bool:
        if violation.path in changes.changed:
            return True
        if violation.code not in (BROKEN_LINK, BROKEN_ANCHOR):
            return False
        target = _target_of(site, violation)
        if target is None or target.path is None:
            return False
        if violation.code == BROKEN_LINK:
            return target.path in removed
        return target.path in changes.changed

    return test


def narrow(report: Report, keep: Callable[[Violation], bool]) -> Report:
    """The report with only the findings ``keep`` accepts (and the source texts
    they need)."""
    kept = [v for v in report.violations if keep(v)]
    texts = {v.path: report.texts[v.path] for v in kept if v.path in report.texts}
    return dataclasses.replace(report, violations=kept, texts=texts)


def _target_of(site: Site, violation: Violation) -> Target | None:
    """Where the finding's link leads, as the site model resolved it."""
    document = site.documents.get(violation.path)
    if document is not None:
        for link, target in zip(document.links, site.targets.get(violation.path, ())):
            if link.span == violation.span:
                return target
    if violation.target is None:
        return None
    return site.profile.resolve(violation.path, violation.target)


def _removed_locations(changes: ChangeSet, site: Site) -> set[str]:
    """Every path a link to a removed file may resolve to: the file itself, the
    URL forms of a removed page (``/posts/a/``, ``/posts/a``), and folders that
    disappeared with their files."""
    profile = site.profile
    content_root = getattr(profile, "content_root", "")
    present_dirs: set[str] = set(site.inventory.dirs)
    locations: set[str] = set()
    for path in changes.gone:
        locations.add(path)
        if path.lower().endswith(MARKDOWN_SUFFIXES):
            for url in profile.page_urls(path):
                joined = posixpath.join(content_root, url.lstrip("/")) if content_root else url.lstrip("/")
                locations.add(posixpath.normpath(joined) if joined else "")
        folder = posixpath.dirname(path)
        while folder and folder not in present_dirs:
            locations.add(folder)
            folder = posixpath.dirname(folder)
    locations.discard("")
    locations.discard(".")
    return locations



# -- the plain pre-commit hook -------------------------------------------------------

# The text of hooks/pre-commit (a test keeps the two identical). It lives here too
# because `linklint install-hook` must work from an installed package, where the
# repository's hooks/ folder does not exist.
PRE_COMMIT_HOOK = r'''#!/bin/sh
# linklint: a plain Git pre-commit hook, for repositories that do not use the
# pre-commit framework. Install it with `linklint install-hook`, or copy it to
# .git/hooks/pre-commit and make it executable.
#
# It checks the Markdown files staged for this commit against the whole site,
# and the links elsewhere that the commit breaks: links into a page it renames
# or deletes, #fragments into a page whose headings it changes. Problems the
# site already had in files the commit does not touch are not reported.
# Files are read from the work tree, so unstaged edits to a staged file count.
#
# Skip it once with `git commit --no-verify`.

# A commit can break links without touching Markdown (deleting or renaming
# a page or an image), so deletions of any file count; otherwise only staged
# Markdown files need a check.
if git diff --cached --quiet --diff-filter=ACMR -- '*.md' '*.markdown' '*.mdx' &&
    git diff --cached --quiet --no-renames --diff-filter=D --; then
    exit 0
fi

if ! command -v linklint >/dev/null 2>&1; then
    echo "linklint pre-commit hook: the linklint command was not found on PATH;" >&2
    echo "install it (pip install linklint-md) or commit with --no-verify" >&2
    exit 1
fi

linklint check --staged
status=$?
if [ "$status" -ne 0 ]; then
    echo "linklint: commit rejected (fix the links above, or commit with --no-verify)" >&2
fi
exit "$status"
'''


class HookExists(Exception):
    """A pre-commit hook is already installed and --force was not given."""


def install_hook(root: Path, *, force: bool = False) -> Path:
    """Write the plain pre-commit hook into the repository's hooks folder (which
    ``core.hooksPath`` may move) and make it executable; return its path."""
    hook = git_path(root, "hooks") / "pre-commit"
    if hook.exists() or hook.is_symlink():
        try:
            same = hook.read_text(encoding="utf-8") == PRE_COMMIT_HOOK
        except (OSError, UnicodeDecodeError):
            same = False
        if not same and not force:
            raise HookExists(f"{hook} already exists; use --force to replace it")
        if hook.is_symlink():
            hook.unlink()  # replace the link, never write through it
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_bytes(PRE_COMMIT_HOOK.encode("utf-8"))
    hook.chmod(hook.stat().st_mode | 0o755)
    return hook
