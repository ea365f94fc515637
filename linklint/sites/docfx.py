"""DocFX: file links matched without regard to case, redirection files, ``xref:``.

What DocFX (and the sites built with it, such as Microsoft Learn) does, and this
profile follows:

* ``docfx.json``'s ``build.content`` lists the Markdown files (``files``
  globs under ``src``, published under ``dest``); ``a/b.md`` is served at
  ``a/b.html`` (Learn serves it at ``a/b`` too).
* Links are written as relative paths to the source files and rewritten; the
  host compares paths without regard to case, so ``../Guide/Setup.md`` reaches
  ``guide/setup.md``. ``~/`` is the doc set's root.
* Redirection files (``.openpublishing.redirection*.json``, ``redirections``
  with ``source_path`` and ``redirect_url``) keep moved pages reachable: a link
  to a moved page works through the redirect, reported as such.
* ``xref:uid`` (and ``<xref:uid>``, ``@uid``) reach the page whose front matter
  has that ``uid``; an uid defined elsewhere (API reference, another doc set)
  cannot be checked and is skipped. Root-relative links (``/dotnet/...``)
  lead into other doc sets of the same host and are skipped too.
* ``[!INCLUDE [title](path)]`` pulls a file into the page: the file must
  exist, published or not (a plain link to the same unpublished file is
  still broken: the link's place tells them apart). Markdown of the doc set no content glob publishes
  in an ``includes`` folder is such a partial (no post rules, its links
  resolved from its own file); on a Microsoft Learn repository (an
  ``.openpublishing.publish.config.json``) the doc set's other unpublished
  Markdown is converted by a build step and published (PowerShell's cmdlet
  pages), so its links follow DocFX's rules, not GitHub's.
* Heading ids: markdig's auto identifiers (ASCII ids, GitHub-style ids; both
  are accepted), ``section``, ``section-1``… for a heading with no letters.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import Any
from urllib.parse import unquote

from linklint.sites.base import Status, Target
from linklint.sites.configfiles import read_json
from linklint.sites.generator import GeneratorProfile, PageInfo


# DocFX's file inclusion, `[!INCLUDE [title](path/to/file.md)]`: what stands
# before its link.
_INCLUDE_BEFORE = re.compile(r"\[!include[ \t]*\Z", re.I)


class DocfxProfile(GeneratorProfile):
    name = "docfx"
    slugger = "markdig"
    config_names = ("docfx.json",)
    ignored_prefixes = ("_site/", "obj/", "node_modules/", "_themes/")
    index_names = ("index.md", "README.md")
    case_insensitive_host = True

    def read_settings(self) -> dict[str, Any]:
        data = read_json(self.site_path("docfx.json"))
        return data if isinstance(data, dict) else {}

    def generator_content(self) -> str:
        return self.site_dir

    def build(self) -> None:
        build = self.settings.get("build") if isinstance(self.settings.get("build"), dict) else {}
        content = build.get("content") if isinstance(build.get("content"), list) else []
        groups = []
        for entry in content:
            if not isinstance(entry, dict):
                continue
            src = _folder(str(entry.get("src", "") or ""))
            dest = str(entry.get("dest", "") or "").strip("/")
            files = [str(f) for f in entry.get("files", []) if isinstance(f, str)] if isinstance(entry.get("files"), list) else []
            exclude = [str(f) for f in entry.get("exclude", []) if isinstance(f, str)] if isinstance(entry.get("exclude"), list) else []
            groups.append((self.site_file(src) if src else self.site_dir, dest, files, exclude))
        if not groups:
            groups.append((self.site_dir, "", ["**.md"], []))
        self.uids: dict[str, str] = {}
        self._with_includes: dict[str, str | None] = {}  # page → its text when it has `[!INCLUDE`
        for path in sorted(self.pages):
            for src, dest, files, exclude in groups:
                if src and not path.startswith(src + "/"):
                    continue
                rel = path[len(src) + 1 :] if src else path
                if files and not any(_glob(f, rel) for f in files):
                    continue
                if any(_glob(f, rel) for f in exclude):
                    continue
                stem = posixpath.splitext(rel)[0]
                url = "/" + posixpath.join(dest, stem) + ".html" if dest else "/" + stem + ".html"
                info = PageInfo(path, url, other_urls=[url[: -len(".html")]])
                if url.endswith("/index.html"):
                    info.other_urls.append(url[: -len("index.html")])
                self.info[path] = info
                fm = self.documents[path].front_matter if path in self.documents else {}
                if isinstance(fm.get("uid"), str):
                    self.uids[fm["uid"]] = path
                break
        for src, dest, _, _ in groups:
            self.static_dirs.append((src, "/" + (dest + "/" if dest else "")))
        # Markdown of the doc set that no content glob publishes: the files
        # `[!INCLUDE]` pulls into pages (an `includes` folder, by Learn's
        # convention) are partials; on a Microsoft Learn repository (its
        # publishing config) the rest are converted by a build step before
        # DocFX runs (PowerShell's cmdlet pages), so they are published all
        # the same, at URLs the step decides.
        publishing = ".openpublishing.publish.config.json" in self.inventory.files
        self.prebuilt: set[str] = set()
        inside = self.site_dir + "/" if self.site_dir else ""
        for path in self.pages:
            if path in self.info or not path.startswith(inside) or self.ignores(path):
                continue
            if "includes" in path.casefold().split("/")[:-1]:
                self.partials.add(path)
            elif publishing:
                self.prebuilt.add(path)
        # `docfx metadata` writes the API reference (`api/*.yml`) at build time:
        # links into it cannot be checked from the repository.
        metadata = self.settings.get("metadata") if isinstance(self.settings.get("metadata"), list) else []
        self.generated = [
            self.site_file(str(m.get("dest", "api")).strip("/")) for m in metadata if isinstance(m, dict)
        ]
        self._redirects()

    def _redirects(self) -> None:
        self.moved: dict[str, str] = {}  # lower-cased source path → redirect URL
        for rel in self.inventory.sorted_files():
            name = posixpath.basename(rel).lower()
            if not (name.startswith(".openpublishing.redirection") and name.endswith(".json")):
                continue
            data = read_json(self.inventory.root / rel)
            items = data.get("redirections") if isinstance(data, dict) else None
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("source_path"), str):
                    source = posixpath.normpath(posixpath.join(posixpath.dirname(rel), item["source_path"]))
                    self.moved[source.lower()] = str(item.get("redirect_url", ""))

    def heading_ids(self, doc) -> list[str]:
        from linklint.slugs import heading_ids

        return heading_ids([h.text for h in doc.headings], [h.explicit_id for h in doc.headings], algorithm="markdig")

    def fragment_ids(self, doc):
        from linklint.slugs import FragmentIds, heading_ids

        texts = [h.text for h in doc.headings]
        explicit = [h.explicit_id for h in doc.headings]
        ids = set(heading_ids(texts, explicit, algorithm="markdig"))
        ids.update(heading_ids(texts, explicit, algorithm="markdig-gfm"))
        ids.update(a.id for a in doc.html_anchors)
        return FragmentIds(ids)

    # -- links ------------------------------------------------------------------

    def rendered_elsewhere(self, path: str) -> bool:
        return path in self.partials or path in self.prebuilt

    def _resolve_in_partial(self, source: str, path: str, fragment: str | None) -> Target:
        """DocFX resolves the links of an included file from that file, and
        the converted pages' from theirs."""
        if not path:
            if source in self.prebuilt:
                return Target(Status.PAGE, path=source, fragment=fragment, url=None, note="docfx: the same page")
            return Target(Status.SKIPPED, fragment=fragment, note=f"docfx: `{source}` is included into other pages; the fragment is theirs")
        return self.resolve_relative(source, None, path, fragment)  # type: ignore[arg-type]

    def unrendered(self, source: str, link) -> Target | None:
        """``[!INCLUDE [title](path)]`` is no link: DocFX pulls the file into
        the page, published or not; it must exist."""
        if source not in self._with_includes:
            text = self.page_text(source)
            self._with_includes[source] = text if "[!include" in text.lower() else None
        text = self._with_includes[source]
        start = link.span.start
        if text is None or not _INCLUDE_BEFORE.search(text, max(0, start - 40), start):
            return super().unrendered(source, link)
        path = unquote(link.destination.strip().partition("#")[0])
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        actual = joined if joined in self.inventory.files else next(iter(self._files_folded().get(joined.casefold(), [])), None)
        if actual is None:
            return Target(Status.MISSING, path=joined, url=path, note="docfx: `[!INCLUDE]` names no file")
        return Target(Status.ASSET, path=actual, url=path, note=f"docfx: `{actual}`, a file `[!INCLUDE]` pulls into the page")

    def resolve_special(self, source: str, dest: str) -> Target | None:
        if dest.startswith("#tab/"):
            # `# [Linux](#tab/linux)` defines a tab of DocFX's tabbed content.
            return Target(Status.SKIPPED, note="docfx: a tab of tabbed content")
        if dest.startswith(("xref:", "@")) and not dest.startswith("@/"):
            uid = unquote(dest.split(":", 1)[1] if dest.startswith("xref:") else dest[1:])
            uid, _, rest = uid.partition("?")
            uid, _, fragment = uid.partition("#")
            path = self.uids.get(uid)
            if path is None:
                return Target(Status.SKIPPED, note=f"docfx: xref `{uid}` is defined outside this doc set (API reference or another repository)")
            info = self.info[path]
            return Target(Status.PAGE, path=path, fragment=fragment or None, url=info.url, note=f"docfx: xref `{uid}` is the uid of `{path}`")
        if dest.startswith("~/"):
            return self.resolve_relative_to(self.site_dir, dest[2:])
        return None

    def resolve_host_path(self, path: str, fragment: str | None, how: str) -> Target:
        found = self.lookup_url(path)
        if found is not None:
            return super().resolve_host_path(path, fragment, how)
        return Target(Status.SKIPPED, fragment=fragment, url=path, note="docfx: a root-relative link, into another doc set of the same host")

    def resolve_relative_to(self, folder: str, dest: str) -> Target:
        path, _, fragment = dest.partition("#")
        joined = posixpath.join(folder, unquote(path.split("?")[0])) if folder else unquote(path.split("?")[0])
        return self._file(joined, fragment or None)

    def resolve_relative(self, source: str, info: PageInfo, path: str, fragment: str | None) -> Target:
        return self._file(posixpath.join(posixpath.dirname(source), path), fragment)

    def _file(self, joined: str, fragment: str | None) -> Target:
        norm = posixpath.normpath(joined)
        if norm.startswith(".."):
            return Target(Status.OUTSIDE, fragment=fragment, url=joined, note="leaves the repository")
        for folder in self.generated:
            if norm == folder or norm.startswith(folder + "/"):
                return Target(Status.SKIPPED, fragment=fragment, url=joined, note=f"docfx: `{folder}/` is generated by `docfx metadata`")
        candidates = [norm]
        if norm.lower().endswith(".html"):
            candidates.append(norm[: -len(".html")] + ".md")
        if not posixpath.splitext(norm)[1]:
            candidates += [norm + ".md", posixpath.join(norm, "index.md")]
        for candidate in candidates:
            found = self.lookup_source_file(candidate, fragment, note="docfx: the source file")
            if found is not None and found.status != Status.OUTSIDE:
                return found
            for actual in self._files_folded().get(candidate.casefold(), []):
                found = self.lookup_source_file(actual, fragment, note="docfx: the source file, matched without regard to case as the host does")
                if found is not None:
                    return found
                if actual in self.prebuilt:
                    return Target(Status.PAGE, path=actual, fragment=fragment, url=None, note=f"docfx: `{actual}`, a page a build step converts before DocFX publishes it")
            moved = self.moved.get(candidate.lower())
            if moved is not None:
                return Target(
                    Status.ASSET,
                    path=None,
                    fragment=fragment,
                    url=moved,
                    note=f"docfx: `{candidate}` was moved; a redirection file sends it to `{moved}`",
                    warning=f"`{posixpath.basename(candidate)}` was moved and only a redirect leads on to `{moved}`: link the new page",
                )
        folded_dirs = {d.casefold(): d for d in self.inventory.dirs}
        if norm.casefold() in folded_dirs:
            return Target(Status.ASSET, path=folded_dirs[norm.casefold()], fragment=fragment, url=joined, note="docfx: a folder")
        return Target(Status.MISSING, path=norm, fragment=fragment, url=joined, note="docfx: no such file")


def _glob(pattern: str, rel: str) -> bool:
    """DocFX's file globs: ``**`` crosses folders, ``{md,yml}`` is a choice."""
    for choice in _expand_braces(pattern):
        choice = choice.replace("**/", "*").replace("**", "*")
        if fnmatch.fnmatch(rel, choice):
            return True
    return False


_BRACES = re.compile(r"\{([^{}]*)\}")


def _expand_braces(pattern: str) -> list[str]:
    """``*.{md,yml}`` → ``*.md``, ``*.yml`` (fnmatch knows no braces)."""
    match = _BRACES.search(pattern)
    if match is None:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [out for option in match.group(1).split(",") for out in _expand_braces(head + option + tail)]


def _folder(value: str) -> str:
    """A folder setting as a normalised relative path ('' for the config's own
    folder); ``../x`` stays a folder beside it."""
    value = value.strip()
    if not value:
        return ""
    normal = posixpath.normpath(value).strip("/")
    return "" if normal == "." else normal
