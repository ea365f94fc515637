"""What a change touched (linklint.git) and `linklint check --changed-since/--staged`,
on real Git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from linklint.cli import main
from linklint.git import ChangeSet, GitError, changes_since, merge_base, staged_changes
from tests.site_helpers import git_init, write_files


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git_init(tmp_path)
    write_files(
        tmp_path,
        {
            ".gitignore": "ignored.md\n",
            "a.md": "# A\n",
            "b.md": "# B\n",
            "c.md": "# C\n",
            "d.md": "# D\n",
            "x.md": "# X\n",
        },
    )
    commit(tmp_path, "start")
    return tmp_path


# -- change sets ------------------------------------------------------------------


def test_changes_since_collects_commits_staged_unstaged_and_untracked(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "feature")
    (repo / "posts").mkdir()
    git(repo, "mv", "a.md", "posts/a.md")
    commit(repo, "move a")
    (repo / "b.md").write_text("# B\n\nmore\n")
    commit(repo, "edit b")
    git(repo, "rm", "-q", "c.md")  # staged deletion
    (repo / "d.md").write_text("# D, unstaged\n")  # unstaged edit
    (repo / "new.md").write_text("# New\n")  # untracked
    (repo / "ignored.md").write_text("# Ignored\n")  # ignored: not part of the site

    changes = changes_since(repo, "main")

    assert changes == ChangeSet(
        base=git(repo, "rev-parse", "main"),
        changed=frozenset({"posts/a.md", "b.md", "d.md", "new.md"}),
        gone=frozenset({"a.md", "c.md"}),
        renamed={"a.md": "posts/a.md"},
    )


def test_changes_are_measured_from_the_merge_base(repo: Path) -> None:
    start = git(repo, "rev-parse", "HEAD")
    git(repo, "switch", "-q", "-c", "feature")
    (repo / "b.md").write_text("# B on the branch\n")
    commit(repo, "branch edit")
    git(repo, "switch", "-q", "main")
    (repo / "x.md").write_text("# X moved on\n")
    commit(repo, "main moves on")
    git(repo, "switch", "-q", "feature")

    assert merge_base(repo, "main") == start
    changes = changes_since(repo, "main")
    assert changes.changed == {"b.md"}  # x.md changed on main, not here
    assert changes.gone == set()


def test_staged_changes_ignore_unstaged_and_untracked_files(repo: Path) -> None:
    git(repo, "mv", "a.md", "a-renamed.md")
    (repo / "b.md").write_text("# B staged\n")
    git(repo, "add", "b.md")
    (repo / "d.md").write_text("# D unstaged\n")
    (repo / "new.md").write_text("# untracked\n")

    changes = staged_changes(repo)

    assert changes.base == git(repo, "rev-parse", "HEAD")
    assert changes.changed == {"a-renamed.md", "b.md"}
    assert changes.gone == {"a.md"}
    assert changes.renamed == {"a.md": "a-renamed.md"}


def test_staged_changes_before_the_first_commit(tmp_path: Path) -> None:
    git_init(tmp_path)
    write_files(tmp_path, {"a.md": "# A\n", "b.md": "# B\n"})
    git(tmp_path, "add", "a.md")

    changes = staged_changes(tmp_path)

    assert changes.changed == {"a.md"}
    assert changes.gone == set()


def test_paths_are_relative_to_a_site_in_a_sub_folder(tmp_path: Path) -> None:
    git_init(tmp_path)
    write_files(tmp_path, {"site/a.md": "# A\n", "site/b.md": "# B\n", "other/c.md": "# C\n"})
    commit(tmp_path, "start")
    git(tmp_path, "switch", "-q", "-c", "feature")
    git(tmp_path, "rm", "-q", "site/b.md")
    (tmp_path / "site/a.md").write_text("# A!\n")
    (tmp_path / "other/c.md").write_text("# C!\n")
    (tmp_path / "site/new.md").write_text("# New\n")

    changes = changes_since(tmp_path / "site", "main")

    assert changes.changed == {"a.md", "new.md"}
    assert changes.gone == {"b.md"}


def test_file_names_with_spaces_and_non_ascii_letters(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "feature")
    git(repo, "mv", "b.md", "crème brûlée.md")
    (repo / "tab\there.md").write_text("# odd\n")

    changes = changes_since(repo, "main")

    assert changes.changed == {"crème brûlée.md", "tab\there.md"}
    assert changes.renamed == {"b.md": "crème brûlée.md"}


def test_an_unknown_revision_is_reported(repo: Path) -> None:
    with pytest.raises(GitError) as caught:
        changes_since(repo, "no-such-branch")
    assert str(caught.value) == (
        "unknown revision `no-such-branch` (a shallow clone may lack it: fetch more history)"
    )


def test_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError) as caught:
        staged_changes(tmp_path)
    assert str(caught.value) == f"`{tmp_path}` is not inside a Git repository"


# -- linklint check --changed-since / --staged ------------------------------------

ONLY_LINKS = ".linklint.yaml", "rules:\n  all: off\n  broken-link: error\n  broken-anchor: error\n"

BLOG = {
    ONLY_LINKS[0]: ONLY_LINKS[1],
    "posts/intro.md": (
        "# Intro\n\n"
        "Read [the guide](guide.md), the [guide's page](/posts/guide/) and\n"
        "[its setup](setup.md#install-the-tools).\n"
    ),
    "posts/guide.md": "# Guide\n\nStart with [setup](setup.md).\n",
    "posts/setup.md": "# Setup\n\n## Install the tools\n\nBack to the [intro](intro.md).\n",
    # An old problem in a page no change touches: never reported with --changed-since.
    "posts/archive.md": "# Archive\n\n[lost](lost-years-ago.md)\n",
}


@pytest.fixture
def blog(tmp_path: Path, monkeypatch) -> Path:
    git_init(tmp_path)
    write_files(tmp_path, BLOG)
    commit(tmp_path, "the blog")
    git(tmp_path, "switch", "-q", "-c", "edits")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def concise(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()[:-1]  # the last line is the total


def test_without_changes_nothing_is_reported(blog: Path, capsys) -> None:
    assert main(["check", "--changed-since", "main", "--format", "concise"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "No problems found in 4 files."


def test_the_whole_site_still_has_its_old_problem(blog: Path, capsys) -> None:
    assert main(["check", "--format", "concise"]) == 1
    assert concise(capsys) == ["posts/archive.md:3:1: LL003 link target `lost-years-ago.md` does not exist"]


def test_a_rename_and_a_heading_change_over_several_commits(blog: Path, capsys) -> None:
    git(blog, "mv", "posts/guide.md", "posts/handbook.md")
    commit(blog, "rename the guide")
    (blog / "posts/setup.md").write_text("# Setup\n\n## Installing\n\nBack to the [intro](intro.md).\n")
    commit(blog, "reword a heading")
    (blog / "posts/new.md").write_text("# New\n\n[nowhere](nowhere.md)\n")  # untracked

    assert main(["check", "--changed-since", "main", "--format", "concise"]) == 1

    assert concise(capsys) == [
        "posts/intro.md:3:6: LL003 link target `guide.md` does not exist",
        "posts/intro.md:3:33: LL003 link target `/posts/guide/` does not exist",
        "posts/intro.md:4:1: LL004 `#install-the-tools` matches no heading or anchor in `posts/setup.md`",
        "posts/new.md:3:1: LL003 link target `nowhere.md` does not exist",
    ]


def test_a_deleted_page_breaks_links_into_it(blog: Path, capsys) -> None:
    git(blog, "rm", "-q", "posts/setup.md")
    commit(blog, "drop setup")

    assert main(["check", "--changed-since", "main", "--format", "concise"]) == 1

    assert concise(capsys) == [
        "posts/guide.md:3:12: LL003 link target `setup.md` does not exist",
        "posts/intro.md:4:1: LL003 link target `setup.md#install-the-tools` does not exist",
    ]


def test_a_moved_folder_breaks_links_to_it(blog: Path, capsys) -> None:
    write_files(blog, {"guides/README.md": "# Guides\n", "posts/guide.md": "# Guide\n\nAll [guides](../guides/).\n"})
    commit(blog, "guides")
    git(blog, "switch", "-q", "-c", "move-guides")
    git(blog, "mv", "guides", "handbook")

    assert main(["check", "--changed-since", "edits", "--format", "concise"]) == 1

    assert concise(capsys) == ["posts/guide.md:3:5: LL003 link target `../guides/` does not exist"]


def test_staged_counts_only_what_the_next_commit_holds(blog: Path, capsys) -> None:
    git(blog, "mv", "posts/guide.md", "posts/handbook.md")
    (blog / "posts/draft.md").write_text("# Draft\n\n[nowhere](nowhere.md)\n")  # untracked

    assert main(["check", "--staged", "--format", "concise"]) == 1

    assert concise(capsys) == [
        "posts/intro.md:3:6: LL003 link target `guide.md` does not exist",
        "posts/intro.md:3:33: LL003 link target `/posts/guide/` does not exist",
    ]


def test_paths_narrow_a_change_further(blog: Path, capsys) -> None:
    git(blog, "mv", "posts/guide.md", "posts/handbook.md")
    (blog / "posts/archive.md").write_text("# Archive\n\n[lost](lost-years-ago.md) [gone](gone.md)\n")

    assert main(["check", "--changed-since", "main", "--format", "concise", "posts/archive.md"]) == 1

    assert concise(capsys) == [
        "posts/archive.md:3:1: LL003 link target `lost-years-ago.md` does not exist",
        "posts/archive.md:3:27: LL003 link target `gone.md` does not exist",
    ]


def test_bad_revision_and_conflicting_options_exit_2(blog: Path, capsys) -> None:
    assert main(["check", "--changed-since", "nope"]) == 2
    assert capsys.readouterr().err == (
        "linklint: error: unknown revision `nope` (a shallow clone may lack it: fetch more history)\n"
    )
    assert main(["check", "--changed-since", "main", "--staged"]) == 2
    assert capsys.readouterr().err == "linklint: error: --changed-since and --staged cannot be used together\n"


def test_a_check_has_git_list_the_files_ahead_and_takes_that_listing(repo: Path, monkeypatch, capsys) -> None:
    """Git lists the files while the check imports the rest; the inventory
    takes that listing (Git is not asked twice), the same files as asked
    then; a check that ends before its inventory leaves no listing behind."""
    import linklint.discover as discover

    listed: list[tuple[str, ...]] = []
    real_popen, real_run = subprocess.Popen, subprocess.run

    def popen(args, *rest, **kw):
        listed.append(("ahead", *args[1:3]))
        return real_popen(args, *rest, **kw)

    def run(args, *rest, **kw):
        listed.append(("asked", *args[1:3]))
        return real_run(args, *rest, **kw)

    monkeypatch.chdir(repo)
    write_files(repo, {"untracked.md": "# U\n\n[a](a.md) [gone](gone.md)\n", "ignored.md": "[gone](gone.md)\n"})
    monkeypatch.setattr(discover.subprocess, "Popen", popen)
    monkeypatch.setattr(discover.subprocess, "run", run)
    assert main(["check", "--no-cache", "--select", "LL003", "--format", "json"]) == 1
    assert [call for call in listed if call[1] == "ls-files"] == [("ahead", "ls-files", "-z")]
    assert [v["path"] for v in json.loads(capsys.readouterr().out)["violations"]] == ["untracked.md"]
    assert discover.inventory(repo).files == {".gitignore", "a.md", "b.md", "c.md", "d.md", "x.md", "untracked.md"}
    assert discover._started == {}
    write_files(repo, {".linklint.yaml": "rules: [not, a, mapping]\n"})
    assert main(["check"]) == 2  # a broken config: the run ends before its inventory
    assert discover._started == {}
