"""Every link to a page uses the same anchor text.

## What it does
For each page with at least `min_links` inbound links from other published
pages, compares the links' anchor texts after lemmatising them (so "Our plan"
and "our plans" are the same text) and reports the links that share the most
common text when more than `max_share` of all inbound links use it. Images and
links with no text are not counted. The site's home page is not checked: links
back to it ("Home", the site's name) are navigation and uniform by design.

The finding is reported at each link that uses the repeated text, in the page
that contains the link, so a pull request that adds one more is told so. The
rule's level and options are those of the *linked* page: a page can opt out
with `linklint: {disable: [LL005]}` in its front matter.

## Why it matters
Anchor text tells visitors and search engines what the target is about. When
every link says the same words, the page is described one way only, and
repeated exact-match anchors can look manipulative to a search engine. Varied,
descriptive anchors cover more of the ways people search.

## Example
Five posts each link to `pricing.md` as "our plans".

## Use instead
"compare the course plans", "the pricing page", "see what a season of
coaching costs" …

## Fix and suggestions
The finding lists phrasings already used by other links to the page, the page's
title and its headings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from linklint.rules.base import Context, Finding, Option

CODE = "LL005"
NAME = "anchor-text-variety"
LEVEL = "warning"
SCOPE = "site"
# Findings land in the pages that link here, not in this page.
REPORTS_ELSEWHERE = True
SUMMARY = "Most links to a page reuse the same anchor text."
OPTIONS = {
    "min_links": Option(3, int, "Only pages with at least this many inbound links are checked.", minimum=2),
    "max_share": Option(
        0.75, (int, float), "Largest share (0–1) of inbound links that may use the same text.", minimum=0
    ),
}


def check(ctx: Context) -> Iterator[Finding]:
    site = ctx.site
    if site.is_home(ctx.path):
        return
    edges = [e for e in site.inbound.get(ctx.path, ()) if not e.image and e.text.strip()]
    edges = [e for e in edges if e.source != ctx.path]
    if len(edges) < ctx.options["min_links"]:
        return
    from linklint.nlp import normalise_anchor

    groups: dict[str, list] = defaultdict(list)
    for edge in edges:
        groups[normalise_anchor(edge.text)].append(edge)
    text, same = max(groups.items(), key=lambda item: (len(item[1]), item[0]))
    if not text or len(same) / len(edges) <= ctx.options["max_share"]:
        return
    alternatives = _alternatives(ctx, text, groups)
    from linklint.linkedit import text_advice

    for edge in same:
        if not ctx.reported(edge.source):
            continue
        link = site.link_of(edge)
        advice = None
        if alternatives:
            title = "vary the anchor text: " + ", ".join(f"“{a}”" for a in alternatives)
            advice = text_advice(site.documents[edge.source], link, alternatives, title)
        yield Finding(
            link.span,
            f"anchor text “{link.text}” is used by {len(same)} of {len(edges)} links "
            f"to `{ctx.path}`; vary it",
            target=link.destination,
            suggestions=tuple(f"try “{a}”" for a in alternatives),
            path=edge.source,
            fix=advice,
        )


def _alternatives(ctx: Context, text: str, groups: dict) -> list[str]:
    from linklint.nlp import normalise_anchor

    site = ctx.site
    doc = site.documents[ctx.path]
    seen = {text}
    out: list[str] = []
    candidates = [edges[0].text for key, edges in sorted(groups.items()) if key != text]
    candidates.append(site.title(ctx.path))
    candidates.extend(h.text for h in doc.headings if h.level <= 3)
    for phrase in candidates:
        key = normalise_anchor(phrase)
        if key and key not in seen:
            seen.add(key)
            out.append(phrase)
    return out[:3]
