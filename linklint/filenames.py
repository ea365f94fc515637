"""The repository's files by name, stem and folder, for the lookups that say
where a missing file is.

A broken link to a file asks two questions of every file of the site: which
existing names are closest to it (``suggest.closest_paths``, "did you mean")
and which file is the only one of its name, or differs from it only in case
(``renames``, the fix). Each used to index the files its own way, so a
pre-commit run on a post with one broken link made two indexes of every file:
at 50,000 files 77 ms and 86 ms, most of it in ``posixpath``'s generic
splitting. One index serves both, built once per site and run on the first
broken link, from the split a path needs: the inventory's paths are relative,
'/'-separated and normalised, so a path's folder and name are what is either
side of its last '/'. What only some lookups need (the names in lower case,
the stems) is indexed on the first lookup that needs it.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from linklint.names import NameIndex
    from linklint.site import Site

__all__ = ["FileNames", "file_names", "split_extension"]


def split_extension(name: str) -> tuple[str, str]:
    """``posixpath.splitext`` of a file name (no '/' in it): the extension
    starts at the last dot, unless only dots come before that one
    (``.gitignore`` and ``..md`` have none)."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip("."):
        return name, ""
    return stem, "." + ext


class FileNames:
    """A fixed set of files (paths as the inventory lists them)."""

    def __init__(self, files: Iterable[str]) -> None:
        self.paths = sorted(files if isinstance(files, (set, frozenset)) else set(files))
        # Each list in the order of ``paths``.
        self.by_name: dict[str, list[str]] = {}
        self.by_folder: dict[str, list[str]] = {}
        by_name, by_folder = self.by_name, self.by_folder
        for path in self.paths:
            folder, _, name = path.rpartition("/")
            same = by_name.get(name)
            if same is None:
                by_name[name] = [path]
            else:
                same.append(path)
            beside = by_folder.get(folder)
            if beside is None:
                by_folder[folder] = [name]
            else:
                beside.append(name)
        self._by_stem: dict[str, list[str]] | None = None
        self._by_folded_name: dict[str, list[str]] | None = None
        self._names: NameIndex | None = None
        self._by_kind: dict[str, NameIndex] = {}
        self._in_folder: dict[str, NameIndex] = {}

    @property
    def names(self) -> NameIndex:
        """Every file name."""
        if self._names is None:
            from linklint.names import NameIndex

            self._names = NameIndex(self.by_name, stored_as="file names")
        return self._names

    def in_folder(self, folder: str) -> NameIndex:
        """The names of the files directly in ``folder``."""
        index = self._in_folder.get(folder)
        if index is None:
            from linklint.names import NameIndex

            index = self._in_folder[folder] = NameIndex(self.by_folder.get(folder, ()))
        return index

    def of_kind(self, extension: str) -> NameIndex:
        """Whole paths of the files with this extension (lower case)."""
        index = self._by_kind.get(extension)
        if index is None:
            from linklint.names import NameIndex

            same = [path for name, paths in self.by_name.items() if split_extension(name)[1].lower() == extension for path in paths]
            index = self._by_kind[extension] = NameIndex(same, stored_as=f"paths ending {extension}")
        return index

    def with_stem(self, stem: str) -> list[str]:
        """The files whose name is ``stem`` and an extension, or ``stem``
        alone (``posixpath.splitext``), in path order."""
        if self._by_stem is None:
            self._by_stem = {}
            for name, paths in self.by_name.items():
                self._by_stem.setdefault(split_extension(name)[0], []).extend(paths)
        # Listed name by name: a stem's few files are put in path order here.
        return sorted(self._by_stem.get(stem, ()))

    def folded_name(self, name: str) -> list[str]:
        """The files named ``name`` (lower case) but for case, in path order."""
        if self._by_folded_name is None:
            self._by_folded_name = {}
            for each in self.paths:
                # Lowered as a whole and then cut, as ``same_but_case`` cuts a query.
                self._by_folded_name.setdefault(each.lower().rpartition("/")[2], []).append(each)
        return self._by_folded_name.get(name, [])

    def same_but_case(self, path: str) -> list[str]:
        """The files that are ``path`` but for case (``path`` itself too, when
        it exists), in path order."""
        folded = path.lower()
        return [each for each in self.folded_name(folded.rpartition("/")[2]) if each.lower() == folded]


_per_site: weakref.WeakKeyDictionary[Site, FileNames] = weakref.WeakKeyDictionary()


def file_names(site: Site) -> FileNames:
    """The index of the site's files, made on first use."""
    found = _per_site.get(site)
    if found is None:
        found = _per_site[site] = FileNames(site.inventory.files)
    return found
