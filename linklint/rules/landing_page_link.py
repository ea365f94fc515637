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

**Unsafe fix** (`--unsafe-fixes`): a phrase of the post that matches a landing
page's title or a heading becomes a link to it, landing pages tried from the
most related one, with the same care as LL001's fix. When no phrase fits,
`call_to_action` is added as a paragraph of its own for the most related
landing page, at `call_to_action_place`: `end` (of the post, the default) or
`after-first-paragraph`. An empty `call_to_action` turns that off.
"""

from __future__ import annotations

from typing import Iterator

from linklint.model import Applicability, Fix
from linklint.rules.base import Context, Finding, Option

CODE = "LL002"
NAME = "landing-page-link"
LEVEL = "warning"
SCOPE = "document"
SUMMARY = "A post does not link to any configured landing page."
OPTIONS = {
    "call_to_action": Option(
        "See also: [{title}]({link}).",
        str,
        "Paragraph `linklint fix --unsafe-fixes` adds when no phrase of the post can carry the link; "
        "`{title}` and `{link}` stand for the landing page's title and link. Empty: add none.",
    ),
    "call_to_action_place": Option(
        "end", str, "Where the call to action goes: `end` (of the post) or `after-first-paragraph`."
    ),
}


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
        fix=_fix(ctx) if ctx.unsafe_fixes else None,
    )


def _fix(ctx: Context) -> Fix | None:
    """A link from a phrase of the post to the most related landing page that
    one fits; else the call to action for the most related landing page."""
    from linklint.insert import PLACES, PhraseSearch, call_to_action, landing_order, link_edits
    from linklint.linkedit import new_destination

    site = ctx.site
    order = landing_order(site, ctx.suggester, ctx.path)
    if not order:
        return None
    chosen = PhraseSearch(site, ctx.suggester, ctx.path, landing=True).choose(order, 1)
    edits = link_edits(site, ctx.path, chosen)
    if edits:
        edit, placement, destination = edits[0]
        title = f"link “{placement.phrase}” (line {placement.line}) to `{destination}`"
        return Fix(title, Applicability.UNSAFE, (edit,))
    place = ctx.options["call_to_action_place"]
    destination = new_destination(site, ctx.path, order[0])
    if destination is None or place not in PLACES:
        return None
    edit = call_to_action(ctx.document, ctx.options["call_to_action"], site.title(order[0]), destination, place)
    if edit is None:
        return None
    where = "at the end of the post" if place == "end" else "after the first paragraph"
    title = f"add a call to action for `{destination}` {where}"
    return Fix(title, Applicability.UNSAFE, (edit,))
