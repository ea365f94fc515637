"""mdBook: chapters from SUMMARY.md, ``.md`` links rewritten to ``.html``.

What mdBook does, and this profile follows:

* ``book.toml``'s ``[book] src`` (default ``src``) holds the chapters;
  ``SUMMARY.md`` lists them. Only listed chapters are rendered: a file that is
  not in the summary is reported as not published.
* ``src/a/b.md`` is served at ``/a/b.html``; ``README.md`` is renamed to
  ``index.md`` first, so it is served at ``/a/index.html`` (a link to
  ``README.md`` becomes ``README.html``, which does not exist).
* Every link with a ``.md`` path (``x.md``, ``x.md#anchor``, ``/a/x.md``) is
  rewritten to ``.html``; links resolve relative to the page, which here is
  the same as relative to the file, and a root-relative one from the book's
  host root. Other files of ``src`` are copied as they are.
* ``[output.html.redirect]`` entries are redirects.
* With the mdbook-spec preprocessor (``[preprocessor.spec]``, the Rust
  Reference's): a link whose destination is a rule's name (``[if]:
  expr.if``, the rule written ``r[expr.if]`` on a line of its own) leads to
  the rule, ``#r-expr.if`` on its page; grammar productions have the ids
  ``grammar-<Name>``; any other destination without ``.md``, ``.html``, a
  scheme, a ``/`` or a fragment (``std::vec::Vec``) is rustdoc's, a link to
  the standard library's documentation, not checked. A dotted name no rule
  has (``expr.iff``) is missing.
* Heading ids: mdBook 0.4's (letters, digits, ``_``, ``-`` kept, only ASCII
  lower-cased) and 0.5's (fully lower-cased, ``section`` for an empty one) are
  both accepted, as the book's mdBook version is not written down.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import unquote

from linklint.sites.base import Status, Target
from linklint.sites.configfiles import dig, read_text, read_toml
from linklint.sites.generator import GeneratorProfile, PageInfo, is_markdown, normalize_url

_SUMMARY_LINK = re.compile(r"\]\(\s*<?([^)>\s]+\.md)(?:#[^)\s]*)?>?\s*\)")
# mdbook-spec (the Rust Reference's preprocessor): a rule `r[expr.if]` on a
# line of its own, and the productions of its ```grammar blocks.
_RULE = re.compile(r"^r\[([^\]\n]+)\]$", re.M)
_GRAMMAR_BLOCK = re.compile(r"^```grammar[^\n]*\n(.*?)^```", re.M | re.S)
_PRODUCTION = re.compile(r"^(?:@root )?([A-Za-z0-9_]+|[^\x00-\x7F])(?: \([^)]+\))? ->", re.M)
# A name only a rule can be (`type.never`): rustdoc paths use `::`.
_RULE_NAME = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+")


class MdbookProfile(GeneratorProfile):
    name = "mdbook"
    slugger = "mdbook"
    config_names = ("book.toml",)
    ignored_prefixes = ("book/", "theme/")
    index_names = ("index.md", "README.md")
    extensionless_html = False

    def read_settings(self) -> dict[str, Any]:
        return read_toml(self.site_path("book.toml")) or {}

    def generator_content(self) -> str:
        src = dig(self.settings, "book", "src", default="src")
        return self.site_file(str(src).strip("/") or "src")

    def generator_base_url(self) -> str | None:
        url = dig(self.settings, "output", "html", "site-url")
        return f"https://book.invalid/{str(url).strip('/')}/" if isinstance(url, str) and url.strip("/") else None

    def build(self) -> None:
        root = self.content_root
        summary_path = posixpath.join(root, "SUMMARY.md") if root else "SUMMARY.md"
        listed: set[str] | None = None
        text = read_text(self.inventory.root / summary_path)
        if text is not None:
            listed = set()
            for match in _SUMMARY_LINK.finditer(text):
                target = posixpath.normpath(posixpath.join(root, unquote(match.group(1)).lstrip("./")) if root else unquote(match.group(1)))
                listed.add(target)
        for path in sorted(self.pages):
            if root and not path.startswith(root + "/"):
                continue
            rel = path[len(root) + 1 :] if root else path
            stem, _ = posixpath.splitext(rel)
            folder, name = posixpath.split(stem)
            if name.lower() == "readme":
                url = "/" + posixpath.join(folder, "index.html")
            else:
                url = "/" + stem + ".html"
            info = PageInfo(path, url)
            if url.endswith("/index.html"):
                info.other_urls.append(url[: -len("index.html")])
            if rel == "SUMMARY.md":
                info.draft, info.draft_reason = True, "the book's SUMMARY.md, which mdBook does not render as a page"
            elif listed is not None and path not in listed:
                info.draft, info.draft_reason = True, "a file that SUMMARY.md does not list, which mdBook does not render"
            self.info[path] = info
        self.static_dirs.append((root, "/"))
        preprocessors = dig(self.settings, "preprocessor", default={})
        self.spec = isinstance(preprocessors, dict) and any(
            name == "spec" or "mdbook-spec" in str(options.get("command", "") if isinstance(options, dict) else "")
            for name, options in preprocessors.items()
        )
        self._rules: dict[str, str] | None = None
        redirects = dig(self.settings, "output", "html", "redirect", default={})
        by_url = {i.url: i for i in self.info.values()}
        for old, new in redirects.items() if isinstance(redirects, dict) else []:
            target = normalize_url(posixpath.join(posixpath.dirname("/" + str(old).lstrip("/")), str(new).split("#")[0])) if not str(new).startswith("/") else str(new).split("#")[0]
            info = by_url.get(target)
            if info is not None:
                info.aliases.append("/" + str(old).lstrip("/"))

    def memo_key(self, source: str, destination: str) -> tuple[str, str] | None:
        # The summary resolves its links by rules of its own: shared with no page.
        if posixpath.basename(source) == "SUMMARY.md":
            return None
        return super().memo_key(source, destination)

    def resolve(self, source: str, destination: str) -> Target:
        if posixpath.basename(source) == "SUMMARY.md" and source in self.info:
            # The summary is the book's table of contents: its links name chapter
            # files (README.md included) and `[Draft]()` is a draft chapter.
            if not destination.strip():
                return Target(Status.SKIPPED, note="mdbook: a draft chapter in SUMMARY.md")
            path, _, fragment = destination.partition("#")
            found = self.lookup_source_file(posixpath.join(posixpath.dirname(source), unquote(path)), unquote(fragment) if fragment else None, note="mdbook: a chapter of SUMMARY.md")
            if found is not None and found.status != Status.OUTSIDE:
                return found
        target = super().resolve(source, destination)
        if self.spec and target.status == Status.MISSING:
            return self._spec_link(destination) or target
        return target

    def _spec_link(self, destination: str) -> Target | None:
        """mdbook-spec's links: a rule's name (`[if]: expr.if`) becomes a link
        to the rule on its page; any other destination without `.md`,
        `.html`, a scheme or a fragment goes to rustdoc, which makes it a
        link to the standard library's documentation (`std::vec::Vec`)."""
        dest = destination.strip()
        if self._rules is None:
            self._rules = {}
            for path, info in self.info.items():
                if not info.draft:
                    for name in _RULE.findall(self.page_text(path)):
                        self._rules.setdefault(name, path)
        page = self._rules.get(dest)
        if page is not None:
            return Target(Status.PAGE, path=page, fragment="r-" + dest, url=self.info[page].url, note="mdbook-spec: the name of a rule")
        if _RULE_NAME.fullmatch(dest) or "/" in dest or ".md" in dest or ".html" in dest or dest.startswith(("http", "#")):
            return None
        return Target(Status.EXTERNAL, note="mdbook-spec: a path rustdoc makes a link to the standard library's documentation")

    def resolve_relative(self, source: str, info: PageInfo, path: str, fragment: str | None) -> Target:
        if is_markdown(path) and path.lower().endswith(".md"):
            joined = posixpath.join(posixpath.dirname(source), path)
            target = self.lookup_source_file(joined, fragment, note="mdbook: a `.md` link, rewritten to `.html`")
            if target is not None and target.status in (Status.PAGE, Status.DRAFT):
                if posixpath.basename(path).lower() == "readme.md":
                    from linklint.sites.generator import with_warning

                    return with_warning(
                        target,
                        f"`{path}` becomes `README.html`, but mdBook serves README.md as `index.html`: "
                        "link `index.md` or the folder instead",
                    )
                return target
        return super().resolve_relative(source, info, path, fragment)

    def resolve_file_link(self, source: str, path: str, fragment: str | None) -> Target | None:
        return None

    def resolve_host_path(self, path: str, fragment: str | None, how: str) -> Target:
        # mdBook rewrites every `.md` link without a scheme, `/a/b.md` too:
        # `/a/b.html` on the book's host.
        if path.lower().endswith(".md"):
            path = path[:-3] + ".html"
            how += ", its `.md` rewritten to `.html`"
        return super().resolve_host_path(path, fragment, how)

    @classmethod
    def url_inputs(cls, doc) -> tuple:
        """SUMMARY.md's links say which chapters are rendered; mdbook-spec's
        rules, where the links naming them lead."""
        found = super().url_inputs(doc)
        if posixpath.basename(doc.path) == "SUMMARY.md":
            found += tuple(link.destination for link in doc.links)
        if "r[" in doc.text:
            rules = _RULE.findall(doc.text)
            if rules:
                found += ("rules", *rules)
        return found

    def fragment_ids(self, doc):
        from linklint.slugs import FragmentIds, heading_ids

        texts = [h.text for h in doc.headings]
        explicit = [h.explicit_id for h in doc.headings]
        ids = set(heading_ids(texts, explicit, algorithm="mdbook"))
        ids.update(heading_ids(texts, explicit, algorithm="mdbook-0.5", reserve_explicit=True))
        ids.update(a.id for a in doc.html_anchors)
        if self.spec and ("r[" in doc.text or "```grammar" in doc.text):
            # mdbook-spec gives each rule the id `r-<name>`, each grammar
            # production `grammar-<Name>`.
            ids.update("r-" + name for name in _RULE.findall(doc.text))
            ids.update("grammar-" + name for block in _GRAMMAR_BLOCK.findall(doc.text) for name in _PRODUCTION.findall(block))
        return FragmentIds(ids)
