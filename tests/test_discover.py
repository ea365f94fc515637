"""Listing a repository's files: Git's listing inside a work tree, a walk of
the folders outside one."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from linklint.discover import inventory, start_listing
from tests.site_helpers import git_init, write_files

FILES = {
    "index.md": "# Home\n",
    "posts/a.md": "# A\n",
    "drafts/b.md": "# B\n",
    ".hidden/c.md": "# C\n",
}


def test_outside_a_work_tree_the_folders_are_walked(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    inv = inventory(tmp_path)
    assert not inv.in_git
    # Hidden folders are not walked; Git would list them.
    assert inv.sorted_files() == ["drafts/b.md", "index.md", "posts/a.md"]
    assert inv.dirs == {"drafts", "posts"}


def test_in_a_work_tree_git_lists_the_files_it_does_not_ignore(tmp_path: Path) -> None:
    write_files(tmp_path, {**FILES, ".gitignore": "drafts/\n"})
    git_init(tmp_path)
    subprocess.run(["git", "add", "index.md"], cwd=tmp_path, check=True)
    inv = inventory(tmp_path)
    assert inv.in_git
    # Tracked and untracked alike; the ignored folder left out.
    assert inv.sorted_files() == [".gitignore", ".hidden/c.md", "index.md", "posts/a.md"]
    assert inv.stamps["posts/a.md"][0] == len("# A\n")


def test_a_folder_inside_a_work_tree_lists_its_own_files(tmp_path: Path) -> None:
    write_files(tmp_path, {"README.md": "# Repo\n", **{f"site/{rel}": text for rel, text in FILES.items()}})
    git_init(tmp_path)
    start_listing(tmp_path / "site")  # as a run starts it, ahead
    inv = inventory(tmp_path / "site")
    assert inv.in_git
    assert inv.sorted_files() == [".hidden/c.md", "drafts/b.md", "index.md", "posts/a.md"]


def test_without_git_the_folders_are_walked(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, FILES)
    git_init(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))
    inv = inventory(tmp_path)
    assert not inv.in_git
    assert inv.sorted_files() == ["drafts/b.md", "index.md", "posts/a.md"]


def test_inside_the_git_folder_the_folders_are_walked(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    git_init(tmp_path)
    (tmp_path / ".git" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    inv = inventory(tmp_path / ".git")
    assert not inv.in_git
    assert "notes.md" in inv.files


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_listing_keeps_a_symlinks_own_stamp(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    (tmp_path / "link.md").symlink_to("index.md")
    git_init(tmp_path)
    inv = inventory(tmp_path)
    assert inv.in_git
    assert stat.S_ISLNK(inv.stamps["link.md"][2]) and not stat.S_ISLNK(inv.stamps["index.md"][2])
