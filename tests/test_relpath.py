"""``linklint.relpath.relpath`` gives ``posixpath.relpath``'s answer without
asking for the working directory."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linklint.relpath import relpath

_PARTS = st.sampled_from(["a", "b", "docs", "c.md", "index.md", "x y", "é", ".", "..", ""])
_PATHS = st.builds(
    lambda lead, parts, trail: lead + "/".join(parts) + trail,
    st.sampled_from(["", "", "/", "//", "./", "../"]),
    st.lists(_PARTS, max_size=5),
    st.sampled_from(["", "/"]),
)


@pytest.mark.parametrize(
    "path, start, expected",
    [
        ("posts/2021/b.md", "posts/2020", "../2021/b.md"),
        ("posts/a.md", "posts", "a.md"),
        ("posts", "posts", "."),
        ("guides/", ".", "guides"),
        ("a.md", "", "a.md"),
        ("/blog/post/", "/blog/", "post"),
        ("/about/", "/blog/2021/", "../../about"),
        ("docs/./a/../b.md", "docs", "b.md"),
    ],
)
def test_known_answers(path: str, start: str, expected: str) -> None:
    assert relpath(path, start) == expected == posixpath.relpath(path, start or ".")


def test_no_path_is_an_error_as_in_posixpath() -> None:
    with pytest.raises(ValueError, match="no path specified"):
        relpath("", "docs")


@settings(max_examples=3000, deadline=None)
@given(_PATHS, _PATHS)
def test_the_same_answer_as_posixpath(path: str, start: str) -> None:
    if not path:
        return
    assert relpath(path, start) == posixpath.relpath(path, start or ".")


@pytest.mark.parametrize("where", ["/", "deep"])
def test_the_same_answer_wherever_the_process_is(tmp_path: Path, monkeypatch, where: str) -> None:
    """Paths that climb above their start depend on the working directory
    (above the root there is nothing to climb to): posixpath answers them."""
    folder = tmp_path / "one" / "two" if where == "deep" else Path("/")
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(folder)
    for path, start in [("../../../x", "."), ("x", "../../.."), ("a/b", "c"), ("..", "a")]:
        assert relpath(path, start) == posixpath.relpath(path, start), (os.getcwd(), path, start)


def test_relative_paths_ask_nothing_of_the_system(monkeypatch) -> None:
    def no_cwd() -> str:
        raise AssertionError("os.getcwd called")

    monkeypatch.setattr(os, "getcwd", no_cwd)
    assert relpath("posts/2021/b.md", "posts/2020") == "../2021/b.md"
    assert relpath("/about/", "/blog/2021/") == "../../about"
