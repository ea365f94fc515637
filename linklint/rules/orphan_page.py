"""A published page that no other published page links to.

## What it does
Reports a page with no inbound internal link from another page of the site.
Links from drafts do not count (they are not published), nor do links from a
page to itself.

Checked: every page matched by `posts` that is not a draft. The site's home
page (`README.md` or `index.md` at the content root) is never an orphan.
Landing pages are checked too: a sign-up page nobody links to converts nobody.

## Why it matters
Visitors reach an orphan page only from outside (a search result, a shared
link), and search engines find it late or not at all, and treat it as
unimportant because nothing on your own site points to it.

## Example
A new post `posts/worm-bins.md` that no other post, index or tag page mentions.

## Use instead
Link to it from the posts that cover the same ground, from a section index or
from the home page.

## Fix and suggestions
The finding names the pages most related to the orphan, with the phrase in
each that could carry a link to it when one matches.
"""

from __future__ import annotations

from typing import Iterator

from linklint.rules.base import Context, Finding, Option

CODE = "LL007"
NAME = "orphan-page"
LEVEL = "warning"
SCOPE = "site"
SUMMARY = "A published page has no inbound internal link."
OPTIONS = {
    "suggestions": Option(3, int, "How many pages to suggest as link sources.", minimum=0),
}


def check(ctx: Context) -> Iterator[Finding]:
    site = ctx.site
    path = ctx.path
    if not site.is_post(path) or site.is_draft(path) or site.is_home(path):
        return
    if any(edge.source != path for edge in site.inbound.get(path, ())):
        return
    suggester = ctx.suggester
    sources = []
    for other, score in suggester.related(path, ctx.options["suggestions"]):
        # Relevance is symmetric; the phrase must be found in the *other* page,
        # which would link here (a phrase in this page is not asked for).
        reverse = suggester.idea_from(other, path, score)
        where = f"“{reverse.phrase}” (line {reverse.line}) in " if reverse.phrase else ""
        sources.append(f"link to it from {where}`{other}` ({site.title(other)})")
    yield Finding(ctx.page_span(), "no other published page links here", suggestions=tuple(sources))
