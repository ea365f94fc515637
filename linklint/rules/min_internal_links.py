"""A post that links to too few other pages of the site.

## What it does
Counts the distinct pages of the site a post links to (links to itself, to
external sites and to files that are not pages do not count; several links to
one page count once) and reports a post below `min`.

Checked: every page matched by `posts` in the config that is not a draft
(`draft: true`, `published: false`) and not a landing page.

## Why it matters
A post without internal links is a dead end: the visitor who arrived from a
search result or a backlink has nowhere to go next but back. Internal links
also tell search engines which of your pages are related and spread the value
of backlinks across the site.

## Example
```markdown
---
title: Mulching in autumn
---
Mulch keeps the soil warm. See the [RHS guide](https://www.rhs.org.uk/).
```

## Use instead
```markdown
Mulch keeps the soil warm; it also feeds the
[compost heap](composting-basics.md) and cuts the
[watering schedule](watering-schedule.md) in half.
```

## Fix and suggestions
The finding suggests the most related pages the post does not link to yet
(ranked by lemma TF-IDF over the whole site), each with the first phrase in the
post that matches the target's title or headings, and its line.

**Unsafe fix** (`--unsafe-fixes`): the post gets the links it lacks, each on a
phrase of its own text: for the most related pages in turn, the first phrase
that matches the page's title or a heading by lemmas ("internal link strategy"
carries a link to "Internal Linking Strategy"). Never in a heading, code, front
matter, HTML, a table, an existing link or across emphasis; a body paragraph
is preferred to a list or a quote; one new link per page; the phrase must
contain one of the target's distinctive words, and the page must be about as
related to the post as a typical page's best match on the site. A phrase from
one of the target's headings links to that heading. The link is written in the
form the post's other links use. A post that needs more than
`max_inserted_links` links gets no fix.
"""

from __future__ import annotations

from typing import Iterator

from linklint.model import Applicability, Fix
from linklint.rules.base import Context, Finding, Option

CODE = "LL001"
NAME = "min-internal-links"
LEVEL = "warning"
SCOPE = "document"
SUMMARY = "A post links to fewer distinct internal pages than the minimum."
OPTIONS = {
    "min": Option(3, int, "Distinct internal pages a post must link to.", minimum=0),
    "suggestions": Option(3, int, "How many related pages to suggest.", minimum=0),
    "max_inserted_links": Option(
        3,
        int,
        "Most links `linklint fix --unsafe-fixes` adds to one post; a post that needs more gets suggestions only.",
        minimum=0,
    ),
}


def applies(ctx: Context) -> bool:
    site = ctx.site
    return site.is_post(ctx.path) and not site.is_draft(ctx.path) and not site.is_landing_page(ctx.path)


def check(ctx: Context) -> Iterator[Finding]:
    if not applies(ctx):
        return
    linked = ctx.site.outbound_pages(ctx.path)
    minimum = ctx.options["min"]
    if len(linked) >= minimum:
        return
    ideas = ctx.suggester.ideas(ctx.path, ctx.options["suggestions"], exclude=sorted(linked))
    count = len(linked)
    pages = "page" if count == 1 else "pages"
    yield Finding(
        ctx.page_span(),
        f"links to {count} internal {pages}; at least {minimum} expected",
        suggestions=tuple(i.describe(ctx.path, ctx.site.title(i.target)) for i in ideas),
        fix=_fix(ctx, linked, minimum - count) if ctx.unsafe_fixes else None,
    )


def _fix(ctx: Context, linked: set[str], needed: int) -> Fix | None:
    """Links the missing number of related pages from phrases of the post. Only
    offered when that number is within ``max_inserted_links``: a fix that
    stopped at the cap would leave the post short and be offered again, so
    fixing twice would not equal fixing once."""
    if needed > ctx.options["max_inserted_links"]:
        return None
    from linklint.insert import PhraseSearch, link_edits, related_targets

    targets = related_targets(ctx.site, ctx.suggester, ctx.path, linked)
    chosen = PhraseSearch(ctx.site, ctx.suggester, ctx.path).choose(targets, needed)
    edits = link_edits(ctx.site, ctx.path, chosen)
    if not edits:
        return None
    described = ", ".join(f"“{p.phrase}” (line {p.line}) to `{d}`" for _, p, d in edits)
    return Fix(f"link {described}", Applicability.UNSAFE, tuple(e for e, _, _ in edits))
