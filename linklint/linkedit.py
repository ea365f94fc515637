"""Edits to links: a destination rewritten to point at another file, in the style
it was written in; a destination for a new link, in the style the post already
uses; and where a link's text lies in the source.

A destination has a *style*: where it starts (relative to the page, from the site
root, or an absolute URL on the site's own host), what it names (the file
``b.md``, the folder URL ``b/``, the extensionless URL ``b`` or ``b.html``) and
small habits such as a leading ``./``. A rewritten link keeps its style, so a
fixed post reads as if its writer had fixed it. Every candidate is resolved
again with the site's profile before it is used: a destination that would not
lead to the intended file is never written.
"""

from __future__ import annotations

import posixpath
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from linklint.model import Document, Edit, Fix, Link, LinkKind
from linklint.relpath import relpath
from linklint.sites.base import Status, split_url

if TYPE_CHECKING:
    from linklint.site import Site

# Characters a destination cannot carry as they are in every kind of link
# (inline, reference definition, autolink, HTML attribute): they are
# percent-encoded. `%` itself is encoded because the profile percent-decodes
# paths; `#` and `?` would start a fragment or query.
_ENCODE = frozenset(" <>()[]\\\"'`&%#?{}|^")


@dataclass(frozen=True)
class Style:
    """How a destination is written."""

    base: str  # "relative", "root", or an origin such as "https://example.com"
    form: str  # "file" (b.md), "dir" (b/), "bare" (b), "html" (b.html)
    dot: bool = False  # a relative path written as ./b.md
    ascii: bool = False  # non-ASCII characters percent-encoded, as the writer did


RELATIVE_FILE = Style("relative", "file")


def split_destination(source: str) -> tuple[str, str]:
    """``(path, rest)``: the path part of a destination as written and the query
    and fragment after it (``?x=1#part``), kept verbatim."""
    cut = len(source)
    for mark in ("?", "#"):
        at = source.find(mark)
        if at >= 0:
            cut = min(cut, at)
    return source[:cut], source[cut:]


def style_of(path: str) -> Style:
    """The style of a destination's path part (as written)."""
    parts = split_url(path)
    if parts.scheme and parts.netloc:
        base = f"{parts.scheme}://{parts.netloc}"
        url_path = parts.path
    elif path.startswith("/"):
        base, url_path = "root", path
    else:
        base, url_path = "relative", path
    name = posixpath.basename(url_path)
    ext = posixpath.splitext(name)[1].lower()
    if url_path.endswith("/") or url_path in ("", "."):
        form = "dir"
    elif ext in (".html", ".htm"):
        form = "html"
    elif ext:
        form = "file"
    else:
        form = "bare"
    return Style(base, form, dot=path.startswith("./"), ascii="%" in path)


def encode_path(path: str, *, ascii: bool = False) -> str:
    """A path as it can be written in any kind of link."""
    out = []
    for ch in path:
        if ch in _ENCODE or ch.isspace() or not ch.isprintable() or (ascii and not ch.isascii()):
            out.append(quote(ch, safe=""))
        else:
            out.append(ch)
    return "".join(out)


def _url_for_form(urls: list[str], form: str, file_url: str) -> str | None:
    """The URL among a page's URLs that has the given form."""
    for url in urls:
        if form == "dir" and url.endswith("/"):
            return url
        if form == "html" and url.endswith((".html", ".htm")):
            return url
        if form == "bare" and not url.endswith("/") and not posixpath.splitext(url)[1]:
            return url
        if form == "file" and url == file_url:
            return url
    return None


def _relative_url(target_url: str, source_url: str) -> str:
    folder = source_url if source_url.endswith("/") else posixpath.dirname(source_url) + "/"
    rel = relpath(target_url, folder)
    if target_url.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


def candidate_paths(site: Site, source: str, target: str, style: Style) -> list[str]:
    """Ways to write a link from ``source`` to the file ``target`` (decoded
    paths), the given style first, then the others, ending with the plain path
    relative to the page; duplicates removed."""
    profile = site.profile
    content_rel = profile.content_relative(target)
    in_content = content_rel != target or not getattr(profile, "content_root", "")
    file_url = "/" + content_rel
    is_page = target in site.documents
    urls = profile.page_urls(target) if is_page else [file_url]
    forms = [style.form] + [f for f in ("file", "dir", "bare", "html") if f != style.form]
    if not is_page:
        forms = ["file"]
    bases = [style.base] + [b for b in ("relative", "root") if b != style.base]
    out: list[str] = []
    for base in bases:
        for form in forms:
            url = _url_for_form(urls, form, file_url)
            if url is None:
                continue
            if base == "relative":
                if form == "file":
                    path = relpath(target, posixpath.dirname(source) or ".")
                else:
                    source_urls = profile.page_urls(source) if source in site.documents else []
                    source_url = _url_for_form(source_urls, form, "") or ("/" + profile.content_relative(source))
                    path = _relative_url(url, source_url)
                if style.dot and not path.startswith(("../", "./")):
                    path = "./" + path
            elif base == "root":
                if not in_content:
                    continue
                path = url
            else:  # an absolute URL on the site's own host
                path = base + profile.base_path.rstrip("/") + url
            if path not in out:
                out.append(path)
    folder = _folder_of(site, target)
    if folder is not None:
        # A folder, or the index page that stands for it: `guides/` as a path
        # relative to the page, as GitHub and most generators resolve it.
        rel = relpath(folder or ".", posixpath.dirname(source) or ".")
        rel = "./" if rel == "." else rel + "/"
        position = 0 if style.form == "dir" and style.base == "relative" else len(out)
        if rel not in out:
            out.insert(position, rel)
    plain = relpath(target, posixpath.dirname(source) or ".")
    if plain not in out:
        out.append(plain)
    return out


def _folder_of(site: Site, target: str) -> str | None:
    """The folder ``target`` stands for: itself when it is a folder, its folder
    when it is that folder's index page; else None."""
    if target in site.inventory.dirs:
        return target
    folder, name = posixpath.split(target)
    if name in site.profile.index_names:
        return folder
    return None


def resolves_to(site: Site, source: str, destination: str, target: str) -> bool:
    """Whether ``destination`` written in ``source`` leads to the file ``target``."""
    found = site.profile.resolve(source, destination)
    if found.status not in (Status.PAGE, Status.ASSET) or found.path is None:
        return False
    if found.path == target:
        return True
    # A folder is reached through its index page.
    return target in site.inventory.dirs and _folder_of(site, found.path) == target


def written_path(site: Site, source: str, target: str, style: Style, rest: str = "") -> str | None:
    """The encoded path to write for a link to ``target`` in ``style`` (or the
    closest style that works), or None when no way of writing it resolves."""
    for path in candidate_paths(site, source, target, style):
        encoded = encode_path(path, ascii=style.ascii)
        # Resolution sees the destination as the parser decodes it: escapes and
        # entities are never produced, so only percent-decoding applies.
        if resolves_to(site, source, encoded + rest, target):
            return encoded
    return None


def rewrite_destination(site: Site, source: str, link: Link, target: str) -> tuple[Edit, str] | None:
    """An edit that points ``link`` (in ``source``) at the file ``target``,
    keeping its style, query and fragment; with the new destination as written.
    None when the destination cannot be edited safely."""
    span = link.dest_span
    if span is None:
        return None
    text = site.documents[source].text
    written = text[span.start : span.end]
    path, rest = split_destination(written)
    if not path or "\\" in path or "&" in path:
        # Escapes or entities: what is written is not what the parser reads;
        # rewriting it would need to re-encode them. Left to the writer.
        return None
    new_path = written_path(site, source, target, style_of(path), rest)
    if new_path is None or new_path == path:
        return None
    return Edit(span.start, span.start + len(path), new_path), new_path + rest


def replace_fragment(text: str, link: Link, new_id: str) -> Edit | None:
    """An edit that replaces the ``#fragment`` of ``link``'s destination."""
    span = link.dest_span
    if span is None:
        return None
    written = text[span.start : span.end]
    at = written.find("#")
    if at < 0 or "\\" in written[at:] or "&" in written[at:]:
        return None
    old = written[at + 1 :]
    new = encode_path(new_id, ascii="%" in old)
    if new == old:
        return None
    return Edit(span.start + at + 1, span.end, new)


# -- the style a post already uses ------------------------------------------------------

_SITE_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _page_link_styles(site: Site, path: str) -> Counter[Style]:
    styles: Counter[Style] = Counter()
    for link, target in site.links(path):
        if target.status != Status.PAGE or link.image:
            continue
        dest_path, _ = split_destination(link.destination)
        if not dest_path:
            continue  # `#section` in the same page says nothing about style
        styles[style_of(dest_path)] += 1
    return styles


def _most_common(styles: Counter[Style]) -> Style | None:
    if not styles:
        return None
    # Ties go to the plain relative file path, then to a fixed order.
    return max(styles, key=lambda s: (styles[s], s == RELATIVE_FILE, s.base == "relative", s.form, s.base))


def house_style(site: Site, source: str) -> Style:
    """The style of the post's own links to pages; for a post without any, the
    site's most common style; for a site without any, a relative file path."""
    own = _most_common(_page_link_styles(site, source))
    if own is not None:
        return own
    cached = _SITE_STYLES.get(site)
    if cached is None:
        total: Counter[Style] = Counter()
        for path in site.documents:
            total.update(_page_link_styles(site, path))
        cached = _most_common(total) or RELATIVE_FILE
        _SITE_STYLES[site] = cached
    return cached


def new_destination(site: Site, source: str, target: str) -> str | None:
    """The destination to write for a new link from ``source`` to ``target``."""
    return written_path(site, source, target, house_style(site, source))


# -- link text ----------------------------------------------------------------------------


def text_span(doc: Document, link: Link) -> tuple[int, int] | None:
    """Offsets of the text of an inline link ``[text](dest)``; None for other
    kinds, whose text cannot be located as reliably."""
    if link.kind != LinkKind.INLINE or link.dest_span is None or link.image:
        return None
    end = doc.text.rfind("](", link.span.start, link.dest_span.start)
    if end < 0 or doc.text[link.span.start] != "[":
        return None
    return link.span.start + 1, end


def escape_link_text(text: str) -> str:
    """Text that can stand between ``[`` and ``]`` as it is."""
    return "".join("\\" + ch if ch in "[]\\`*_<" else ch for ch in text)


def text_advice(doc: Document, link: Link, texts: list[str], title: str) -> Fix | None:
    """Display-only advice to change a link's text, with the edit that would
    put the first of ``texts`` in place (for editors that offer it)."""
    from linklint.model import Applicability

    if not texts:
        return None
    span = text_span(doc, link)
    edits = (Edit(span[0], span[1], escape_link_text(texts[0])),) if span else ()
    return Fix(title, Applicability.DISPLAY_ONLY, edits)
