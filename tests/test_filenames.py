"""The index of the site's files (``linklint.filenames``) answers as the
per-path working it replaced: ``posixpath``'s splitting of every path, the
file lookups of ``renames`` one dict per question."""

from __future__ import annotations

import itertools
import posixpath
from pathlib import Path

from linklint import renames
from linklint.filenames import FileNames, file_names, split_extension
from linklint.renames import NewHome

from tests.site_helpers import run_site

# Names and folders that trip splitting: dots alone or first, no extension,
# case variants side by side, index names in any case, non-ASCII letters
# (a final sigma lowers by its context).
FILES = {
    "README.md": "# Home\n",
    "index.md": "# Index\n",
    "Where.md": "# Where\n",
    "where/INDEX.md": "# Where, the folder\n",
    "docs/README.md": "# Docs\n",
    "docs/Guide.md": "# Guide\n",
    "docs/guide.md": "# guide\n",
    "docs/guides/index.html": "<h1>Guides</h1>\n",
    "a/index.md": "# A\n",
    "b/a/index.md": "# B's A\n",
    "b/a/_index.md": "# B's A section\n",
    "c/a.md": "# C's A\n",
    "x/a.markdown": "# X's A\n",
    "notes/..md": "# Dots\n",
    "notes/v1.2.md": "# v1.2\n",
    "notes/v1.2": "no extension\n",
    "notes/.hidden.md": "# Hidden\n",
    "notes/trailing.": "a dot at the end\n",
    "img/photo.PNG": b"\x89PNG\r\n",
    "img/photo.png": b"\x89PNG\r\n",
    "blog/2020/Post.MD": "# Post\n",
    "blog/2020/post.md": "# post\n",
    "ΑΣ/Σ.md": "# Sigma\n",
    "ΑΣ/σ.md": "# sigma\n",
    "deep/one/two/three.md": "# Three\n",
}


def test_a_file_names_extension_is_split_as_posixpath_splits_it() -> None:
    tricky = ["a.md", ".md", "..md", "...", "a.", "a..b", ".a.md", "a", ".", "..", "a.b.c", "tar.gz.", ".a.", "..a"]
    generated = ["".join(chars) for size in range(1, 5) for chars in itertools.product(".ab", repeat=size)]
    for name in tricky + generated:
        assert split_extension(name) == posixpath.splitext(name), name


class _ReferenceNames:
    """The lookups as they were worked out: every path split by ``posixpath``."""

    def __init__(self, files: set[str]) -> None:
        self.paths = sorted(files)
        self.by_name: dict[str, list[str]] = {}
        self.by_stem: dict[str, list[str]] = {}
        self.by_folder: dict[str, list[str]] = {}
        self.by_lower: dict[str, list[str]] = {}
        for path in self.paths:
            folder, name = posixpath.split(path)
            self.by_name.setdefault(name, []).append(path)
            self.by_stem.setdefault(posixpath.splitext(name)[0], []).append(path)
            self.by_folder.setdefault(folder, []).append(name)
            self.by_lower.setdefault(path.lower(), []).append(path)

    def of_kind(self, extension: str) -> list[str]:
        return [p for p in self.paths if posixpath.splitext(p)[1].lower() == extension]


def _queries(files: list[str]) -> list[str]:
    """Paths like the files and unlike them: other cases, other extensions,
    other folders, no extension, a folder's URL."""
    out = ["index.md", "README.md", "readme.md", "INDEX.MD", "_index.md", "nothing.md", "nothing", "a", "guide"]
    out += ["elsewhere/where/", "elsewhere/a/", "elsewhere/b/a/index.md", "elsewhere/guides/", "ας/σ.md"]
    for path in files:
        folder, name = posixpath.split(path)
        stem = posixpath.splitext(name)[0]
        out += [path, path.upper(), path.lower(), path.swapcase(), stem, f"{folder}/{stem}" if folder else stem]
        out += [f"{stem}.html", f"elsewhere/{name}", f"elsewhere/{stem}", f"elsewhere/{stem}/", f"{stem}/index.md"]
    return sorted(set(out))


def test_the_index_answers_as_each_path_split_alone(tmp_path: Path) -> None:
    files = set(FILES) | {"Makefile", "LICENSE", ".gitignore", "x/y/z/.env"}
    names, reference = FileNames(files), _ReferenceNames(files)
    assert names.paths == reference.paths
    assert names.by_name == reference.by_name
    assert names.by_folder == reference.by_folder
    for stem in sorted(reference.by_stem) + ["missing", "", "."]:
        assert names.with_stem(stem) == reference.by_stem.get(stem, []), stem
    for extension in sorted({posixpath.splitext(p)[1].lower() for p in files}) + [".none"]:
        assert names.of_kind(extension).names == sorted(reference.of_kind(extension)), extension
    for query in _queries(sorted(files)):
        assert names.same_but_case(query) == reference.by_lower.get(query.lower(), []), query
    # The Greek pair differs in case only (a final sigma lowers to ς, the
    # folder's here): each finds both.
    assert names.same_but_case("ΑΣ/σ.md") == names.same_but_case("ας/Σ.md") == ["ΑΣ/Σ.md", "ΑΣ/σ.md"]


class _ReferenceFileIndex:
    """``renames``' own index of the site's files, as it was."""

    def __init__(self, site) -> None:
        self.files = sorted(site.inventory.files)
        self.by_lower: dict[str, list[str]] = {}
        self.by_name_key: dict[str, list[str]] = {}
        for path in self.files:
            self.by_lower.setdefault(path.lower(), []).append(path)
            self.by_name_key.setdefault(renames._name_key(path), []).append(path)
        self.by_page_stem: dict[str, list[str]] = {}
        for path in site.documents:
            self.by_page_stem.setdefault(renames._page_stem(path), []).append(path)

    def named(self, key: str) -> list[str]:
        if "/" not in key and key.lower() in renames._INDEX_NAMES:
            pool = self.files
        else:
            pool = self.by_name_key.get(renames._name_key(key), [])
        return [f for f in pool if f == key or f.endswith("/" + key)]

    def only_file(self, missing: str) -> NewHome | None:
        base = missing.rstrip("/")
        folded = sorted({f for v in renames._variants(missing) for f in self.by_lower.get(v.lower(), ())})
        if len(folded) == 1:
            return NewHome(folded[0], f"`{folded[0]}` differs only in case")
        ext = posixpath.splitext(base)[1].lower()
        if ext and ext not in (".html", ".htm"):
            key = renames._name_key(base)
            if not key or key.startswith("/"):
                return None
            same = self.named(key)
            what = f"the only file named `{key}`"
        else:
            stem = posixpath.splitext(posixpath.basename(base))[0]
            if not stem:
                return None
            same = self.by_page_stem.get(stem, [])
            if len(same) == 1:
                return NewHome(same[0], f"the only page named `{stem}` is `{same[0]}`", proved=False)
            return None
        if len(same) == 1:
            return NewHome(same[0], f"{what} is `{same[0]}`")
        return None


def test_where_a_missing_file_went_is_found_as_before(tmp_path: Path) -> None:
    site = run_site(tmp_path, FILES).site
    reference = _ReferenceFileIndex(site)
    queries = _queries(sorted(site.inventory.files))
    found = {query: renames._only_file(site, query) for query in queries}
    assert found == {query: reference.only_file(query) for query in queries}
    # Each kind of answer is among them.
    assert found["where.md"] == NewHome("Where.md", "`Where.md` differs only in case")
    assert found["elsewhere/three.md"] == NewHome("deep/one/two/three.md", "the only file named `three.md` is `deep/one/two/three.md`")
    assert found["elsewhere/three"] == NewHome("deep/one/two/three.md", "the only page named `three` is `deep/one/two/three.md`", proved=False)
    assert found["elsewhere/where/"] == NewHome("where/INDEX.md", "the only page named `where` is `where/INDEX.md`", proved=False)
    assert found["elsewhere/a.md"] == NewHome("c/a.md", "the only file named `a.md` is `c/a.md`")
    assert found["elsewhere/a"] is None  # c/a.md, and the index pages of the folders named a
    # The site's index is made once and shared.
    assert file_names(site) is file_names(site)
