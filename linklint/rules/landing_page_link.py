"""A post with no link to any landing page.

## What it does
Reports a post that links to none of the pages listed in `landing_pages` in the
config (paths or globs relative to the content root: the newsletter sign-up,
the pricing page, product pages). The rule is silent while no landing page is
configured.

Checked: every page matched by `posts` that is not a draft and not itself a
landing page.

## Why it matters
Posts bring the visitors; landing pages convert them. A post with no path to a
sign-up, pricing or product page leaves every reader it attracts one step
further from converting than they need to be.

## Example
```markdown
That is all you need to start a worm bin.
```

## Use instead
```markdown
That is all you need to start a worm bin. Get one guide like this a month
with the [Fieldnotes newsletter](../newsletter.md).
```

## Fix and suggestions
The finding names the landing page most related to the post's content, with
the phrase in the post that could carry the link when one matches.
"""

from __future__ import annotations

from typing import Iterator

from linklint.rules.base import Context, Finding

CODE = "LL002"
NAME = "landing-page-link"
LEVEL = "warning"
SCOPE = "document"
SUMMARY = "A post does not link to any configured landing page."
OPTIONS: dict = {}


def check(ctx: Context) -> Iterator[Finding]:
    site = ctx.site
    landing = site.landing_pages
    if not landing or not site.is_post(ctx.path) or site.is_draft(ctx.path) or site.is_landing_page(ctx.path):
        return
    if site.outbound_pages(ctx.path) & set(landing):
        return
    ideas = ctx.suggester.ideas(ctx.path, 1, candidates=[p for p in landing if not site.is_draft(p)])
    names = ", ".join(f"`{p}`" for p in landing[:5]) + (" …" if len(landing) > 5 else "")
    yield Finding(
        ctx.page_span(),
        f"links to no landing page ({names})",
        suggestions=tuple(i.describe(ctx.path, site.title(i.target)) for i in ideas),
    )
