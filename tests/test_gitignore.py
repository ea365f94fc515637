"""The repository's .gitignore patterns, as Git reads them, and links to what
they name (build output): not judged."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from linklint.gitignore import GitIgnore
from tests.site_helpers import git_init, positions, run_site, write_files

GITIGNORE = {
    ".gitignore": (
        "# build output\n"
        "/docs/rubydoc\n"
        "*.log\n"
        "!keep.log\n"
        "build/\n"
        "site-src/reference/**/spec.md\n"
        "out/**\n"
        "\\#literal\n"
        "trailing\\ \n"
        "data[0-9].csv\n"
    ),
    "docs/.gitignore": "generated/\n/local.md\n",
    "docs/index.md": "# Docs\n",
}

CASES = [
    ("docs/rubydoc/Formula.html", True),  # below an anchored folder
    ("rubydoc/Formula.html", False),  # anchored: only at the root
    ("a/b/debug.log", True),  # a name at any depth
    ("a/keep.log", False),  # re-included
    ("build/index.html", True),  # a folder pattern, below it
    ("build", False),  # ...but a file named so is not a folder
    ("site-src/reference/api/v1/spec.md", True),
    ("site-src/reference/spec.md", True),  # `**/` may be no folder at all
    ("site-src/other/spec.md", False),
    ("out/x/y.html", True),
    ("#literal", True),
    ("trailing ", True),
    ("data7.csv", True),
    ("dataX.csv", False),
    ("docs/generated/api.md", True),  # a deeper .gitignore
    ("docs/local.md", True),  # anchored to its own folder
    ("docs/sub/local.md", False),
    ("local.md", False),
]


@pytest.mark.parametrize(("path", "ignored"), CASES)
def test_patterns_as_git_reads_them(tmp_path: Path, path: str, ignored: bool) -> None:
    write_files(tmp_path, GITIGNORE)
    assert GitIgnore.of(tmp_path, GITIGNORE).ignores(path) is ignored


def test_the_same_answers_as_git(tmp_path: Path) -> None:
    write_files(tmp_path, GITIGNORE)
    git_init(tmp_path)
    paths = [path for path, _ in CASES]
    out = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin", "-z"],
        cwd=tmp_path, input="\0".join(paths) + "\0", capture_output=True, text=True,
    ).stdout
    assert set(filter(None, out.split("\0"))) == {path for path, ignored in CASES if ignored}


def test_nothing_below_an_ignored_folder_is_re_included(tmp_path: Path) -> None:
    files = {".gitignore": "build/\n!build/keep.md\n"}
    write_files(tmp_path, files)
    assert GitIgnore.of(tmp_path, files).ignores("build/keep.md")


def test_a_link_to_build_output_is_not_judged(tmp_path: Path) -> None:
    files = {
        ".gitignore": "/docs/api/\n",
        "docs/_config.yml": "title: Docs\n",
        "docs/index.md": "---\ntitle: Docs\n---\n[API](/api/Formula.html) [gone](/guide.html) [also](../build/x.md)\n",
        "README.md": "# Repo\n\n[API](docs/api/Formula.html)\n",
    }
    run = run_site(tmp_path, files, select=["LL003"])
    assert run.report.generator == "jekyll"
    # The Jekyll page's link into the ignored folder is not judged; the
    # README, which GitHub shows as it is, links to a file GitHub does not have.
    assert positions(run) == [("LL003", "README.md", 3, 1), ("LL003", "docs/index.md", 4, 26), ("LL003", "docs/index.md", 4, 46)]
    target = run.site.profile.resolve("docs/index.md", "/api/Formula.html")
    assert target.status == "missing"  # the profile's answer; the site's is:
    assert [t.status for _, t in run.site.links("docs/index.md")] == ["skipped", "missing", "missing"]
