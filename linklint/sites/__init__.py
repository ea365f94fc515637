"""Generator profiles: how a site generator turns files into URLs and links into targets.

A profile answers three questions for the site model:

* which public URL paths a page is served at (``page_urls``),
* how a link destination written in a page maps to a file of the repository
  (``resolve``), and
* which slug algorithm turns headings into fragment ids (``slugger``,
  ``heading_ids``).

``base.Profile`` is the plain Git repository, rendered the way GitHub renders it.
Each generator is a subclass in its own module, registered in ``PROFILES`` and
detected from the repository's own config files (``detect``). The registry
names each module and the files that tell its generator (``_DETECTION``): a
generator's module is imported only when a run needs it.

Where the site is (``site_folder``). A generator's config file is looked for,
in this order:

1. at the repository root;
2. in linklint's content folder (``content:`` in linklint's config);
3. in a subfolder, as in a code repository that keeps its site in ``docs/`` or
   ``website/``: the shallowest folder, at most two levels down, that holds a
   generator config. Hidden folders and folders of dependencies, tests and
   examples (``node_modules``, ``vendor``, ``tests``, ``fixtures``,
   ``examples`` …, also as a part of a name: ``test_site``, ``example-blog``)
   are not searched: a config there is a sample, not the site.
   When two folders at that depth hold one (a ``docs/`` site and a
   ``website/`` site), the one with ten times the Markdown files of each
   other is the site; else which one is meant cannot be told: the repository
   is checked as a plain one, and ``content:`` in linklint's config settles it.

That folder is the site. The pages outside it (the repository's README,
contributing guide …) are still checked, the way GitHub shows them: with the
plain profile's rules.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping

from linklint.sites.base import Profile, Status, Target, any_under

if TYPE_CHECKING:
    from linklint.sites.generator import GeneratorProfile


class _Generator:
    """A generator's entry in the registry: its profile's name (its module's
    too) and class, and what in a folder tells ``detect`` that a site of it
    may be there: one of ``files`` (the profile's ``detection_names``) or,
    for Hugo, any file under ``under`` (``config/_default/``).

    The profile's module is imported when it is first needed: when one of
    those files is there, or when the profile is asked for by name. A
    repository with none of them (a plain one, like most) imports none of
    the eleven modules, a few milliseconds of every run's start."""

    __slots__ = ("name", "class_name", "files", "under", "_profile")

    def __init__(self, name: str, class_name: str, files: tuple[str, ...], under: str = "") -> None:
        self.name = name
        self.class_name = class_name
        self.files = files
        self.under = under
        self._profile: type[GeneratorProfile] | None = None

    def profile(self) -> type[GeneratorProfile]:
        if self._profile is None:
            module = importlib.import_module(f"linklint.sites.{self.name}")
            self._profile = getattr(module, self.class_name)
        return self._profile

    def may_be_at(self, files: set[str], base: str) -> bool:
        """Whether the profile's ``detect`` may find a site in ``base``:
        without this, it does not."""
        return any(base + name in files for name in self.files) or (bool(self.under) and any_under(files, base + self.under))

    def __repr__(self) -> str:
        return f"<generator {self.name}>"


_VITEPRESS_EXTENSIONS = (".js", ".ts", ".mjs", ".mts", ".cjs", ".cts")
_HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")

# In the order `detect` tries them: the most specific config files first (a
# Docusaurus or MkDocs repository may also hold a `_config.yml`; Zensical
# reads `zensical.toml` before an `mkdocs.yml` beside it), Zola before Hugo
# since both may use `config.toml`. Each entry's files are its profile's
# ``detection_names()`` (``tests/test_profiles.py`` holds them to it).
_DETECTION: tuple[_Generator, ...] = (
    _Generator("mdbook", "MdbookProfile", ("book.toml",)),
    _Generator("docfx", "DocfxProfile", ("docfx.json",)),
    _Generator("zensical", "ZensicalProfile", ("zensical.toml",)),
    _Generator("mkdocs", "MkdocsProfile", ("mkdocs.yml", "mkdocs.yaml")),
    _Generator(
        "vitepress",
        "VitepressProfile",
        tuple(f".vitepress/config{ext}" for ext in _VITEPRESS_EXTENSIONS)
        + tuple(f".vitepress/config/index{ext}" for ext in _VITEPRESS_EXTENSIONS),
    ),
    _Generator(
        "docusaurus",
        "DocusaurusProfile",
        tuple(f"docusaurus.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "mts")),
    ),
    _Generator("astro", "AstroProfile", tuple(f"astro.config.{ext}" for ext in ("mjs", "js", "ts", "mts", "cjs"))),
    _Generator(
        "eleventy",
        "EleventyProfile",
        (".eleventy.js", ".eleventy.cjs", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts"),
    ),
    _Generator("zola", "ZolaProfile", ("zola.toml", "config.toml")),
    _Generator(
        "hugo",
        "HugoProfile",
        _HUGO_CONFIGS + tuple(f"config/_default/{name}" for name in ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml")),
        under="config/_default/",
    ),
    _Generator("jekyll", "JekyllProfile", ("_config.yml", "_config.yaml", "Gemfile")),
)
_GENERATORS = {generator.name: generator for generator in _DETECTION}
PROFILE_NAMES = ("plain", *sorted(_GENERATORS))


class _Profiles(Mapping[str, "type[Profile]"]):
    """The profiles by name, "plain" first: a generator's is imported when it
    is first asked for."""

    def __getitem__(self, name: str) -> type[Profile]:
        return Profile if name == "plain" else _GENERATORS[name].profile()

    def __contains__(self, name: object) -> bool:
        return name in PROFILE_NAMES  # without importing the profile

    def __iter__(self) -> Iterator[str]:
        return iter(PROFILE_NAMES)

    def __len__(self) -> int:
        return len(PROFILE_NAMES)


PROFILES: Mapping[str, type[Profile]] = _Profiles()

# How deep below the repository root a site's folder may be (`docs/`,
# `packages/website/`); deeper configs are samples and test data far more often.
MAX_SITE_DEPTH = 2
# Of sites tied at one depth, one with this many times the Markdown files of
# each other is the repository's site.
DOMINANT_SITE = 10
_MARKDOWN = (".md", ".markdown", ".mdx")
# Folders whose generator configs are never the repository's own site.
_NOT_SITE_FOLDERS = frozenset(
    {
        "node_modules", "vendor", "third_party", "test", "tests", "testdata", "fixtures",
        "example", "examples", "sample", "samples", "template", "templates", "archetypes",
    }
)  # fmt: skip


def detect(files: set[str], content: str = ".", root: Path | None = None) -> str:
    """The profile for a repository, judged from its own config files (see the
    module docstring for where they are looked for). ``root`` lets a profile
    look inside an ambiguous file (``config.toml``: Zola or Hugo)."""
    found = find_site(files, content, root)
    return found[0].name if found else "plain"


def find_site(
    files: set[str], content: str = ".", root: Path | None = None
) -> tuple[type[GeneratorProfile], str] | None:
    """The generator and the folder of its site ('' for the root), or None."""
    for base in _configured_bases(content):
        profile = _profile_at(files, base, root, _DETECTION)
        if profile is not None:
            return profile, base.rstrip("/")
    return _site_in_subfolder(files, root, _DETECTION)


def tied_sites(files: set[str], content: str = ".", root: Path | None = None) -> list[str]:
    """The folders ('docs/en', 'docs/de' …) holding generator configs at the
    shallowest depth, when there are several and nothing else settles which
    is the site (no config at the root or in the content folder): the
    repository is then checked as a plain one. Otherwise []."""
    for base in _configured_bases(content):
        if _profile_at(files, base, root, _DETECTION) is not None:
            return []
    shallowest = _shallowest_sites(files, root, _DETECTION)
    return sorted(base.rstrip("/") for base in shallowest) if len(shallowest) > 1 else []


def site_folder(profile: type[GeneratorProfile], files: set[str], content: str, root: Path | None) -> str:
    """The folder of ``profile``'s site: the root or the content folder when
    either holds its config, else the subfolder detection would choose for it,
    else the root."""
    for base in _configured_bases(content):
        if profile.detect(files, base, root):
            return base.rstrip("/")
    found = _site_in_subfolder(files, root, (_GENERATORS[profile.name],))
    return found[1] if found else ""


def all_site_folders(files: set[str], root: Path | None) -> list[str]:
    """Every folder ('' for the root, else ending in '/') that holds a
    generator config, at any depth: the sites a repository holds, samples and
    test sites included."""
    bases = _candidate_bases(files, _DETECTION, limit=False) | {""}
    return sorted(base for base in bases if _profile_at(files, base, root, _DETECTION) is not None)


def _configured_bases(content: str) -> list[str]:
    content = content.strip("/")
    return [""] + ([content + "/"] if content not in ("", ".") else [])


def _profile_at(
    files: set[str], base: str, root: Path | None, generators: tuple[_Generator, ...]
) -> type[GeneratorProfile] | None:
    for generator in generators:
        if generator.may_be_at(files, base):
            profile = generator.profile()
            if profile.detect(files, base, root):
                return profile
    return None


def _site_in_subfolder(
    files: set[str], root: Path | None, generators: tuple[_Generator, ...]
) -> tuple[type[GeneratorProfile], str] | None:
    """The shallowest subfolder holding one of ``generators``' configs, when
    it is the only one at its depth."""
    shallowest = _shallowest_sites(files, root, generators)
    if len(shallowest) != 1:
        return None
    ((base, profile),) = shallowest.items()
    return profile, base.rstrip("/")


def _shallowest_sites(
    files: set[str], root: Path | None, generators: tuple[_Generator, ...]
) -> dict[str, type[GeneratorProfile]]:
    """The subfolders (``docs/``) at the shallowest depth that hold one of
    ``generators``' configs, with the profile of each."""
    # A run asks this of the same listing three or four times (detection,
    # the site's folder, the folder its generator publishes), each a pass
    # over every file and a read of the configs found: the answers are kept
    # for the one listing last asked about (held here, so it is that very
    # set, not another at its address).
    if _LAST_LISTING.get("files") is not files or _LAST_LISTING.get("root") != root:
        _LAST_LISTING.clear()
        _LAST_LISTING.update(files=files, root=root)
    if generators not in _LAST_LISTING:
        _LAST_LISTING[generators] = _find_shallowest_sites(files, root, generators)
    return dict(_LAST_LISTING[generators])


_LAST_LISTING: dict = {}


def _find_shallowest_sites(
    files: set[str], root: Path | None, generators: tuple[_Generator, ...]
) -> dict[str, type[GeneratorProfile]]:
    by_depth: dict[int, dict[str, type[GeneratorProfile]]] = {}
    for base in sorted(_candidate_bases(files, generators)):
        profile = _profile_at(files, base, root, generators)
        if profile is not None:
            by_depth.setdefault(base.count("/"), {})[base] = profile
    if not by_depth:
        return {}
    shallowest = by_depth[min(by_depth)]
    if len(shallowest) > 1:
        # One of them holding nearly all the Markdown is the site; the others
        # are small sites beside it (cockroachdb/docs: `src/current` with
        # 15,000 pages beside `src/api` and `src/interactive-tutorials`).
        counts = sorted(((sum(1 for f in files if f.startswith(base) and f.endswith(_MARKDOWN)), base) for base in shallowest), reverse=True)
        if counts[0][0] >= DOMINANT_SITE * max(counts[1][0], 1):
            return {counts[0][1]: shallowest[counts[0][1]]}
    return shallowest


def _candidate_bases(files: set[str], generators: tuple[_Generator, ...], limit: bool = True) -> set[str]:
    """Subfolders (``docs/``) that hold a file named like a config of
    ``generators``; with ``limit``, only those that may hold the repository's
    own site."""
    names = {name for generator in generators for name in generator.files}
    # One C-level test of each path's end (a config's whole name, after a
    # folder): most paths are pages, and taking each one's base name was
    # most of detection at 50,000 files.
    ends = tuple("/" + name for name in names)
    bases: set[str] = set()
    for path in files:
        if not path.endswith(ends):
            continue
        for name in names:
            if path.endswith("/" + name):
                base = path[: -len(name)]
                if base and (not limit or _may_hold_site(base)):
                    bases.add(base)
    return bases


# What a folder's name is made of: `test_site`, `example-blog`, `docs.sample`.
_NAME_PARTS = re.compile(r"[-_.]+")


def _may_hold_site(base: str) -> bool:
    folders = base.rstrip("/").split("/")
    return len(folders) <= MAX_SITE_DEPTH and not any(_not_site_folder(f) for f in folders)


def _not_site_folder(folder: str) -> bool:
    """A hidden folder, or one named (or named in part, as in `test_site` or
    `example-blog`) for dependencies, tests or examples: zola's repository
    keeps its test sites in `test_site/` and `test_site_i18n/` beside its
    documentation site in `docs/`."""
    if folder.startswith("."):
        return True
    lowered = folder.lower()
    # Whole (`node_modules`, `third_party` hold the separators), or in part.
    return lowered in _NOT_SITE_FOLDERS or not _NOT_SITE_FOLDERS.isdisjoint(_NAME_PARTS.split(lowered))


__all__ = ["PROFILES", "PROFILE_NAMES", "Profile", "Status", "Target", "all_site_folders", "detect", "find_site", "site_folder", "tied_sites"]
