"""A `#fragment` that matches no heading or anchor in the page it points to.

## What it does
Checks that the fragment of every link to a Markdown page of the site (`#usage`
in `guide.md#usage`, or `#usage` alone for the same page) is an id that exists
in the target page: a heading id under the site's slug algorithm (GitHub's for a
plain repository: lower-case, punctuation dropped, spaces to hyphens, `-1`,
`-2` … for repeated headings), an explicit `{#id}` on a heading, or an `id` /
`name` attribute in raw HTML. `#` and `#top` are always valid. Fragments are
compared after percent-decoding and, like browsers, case-sensitively.

## Why it matters
A link whose fragment matches nothing still opens the page, but at the top: the
visitor who wanted one section has to hunt for it. Fragments break silently
whenever a heading is reworded.

## Example
```markdown
See [the summer schedule](watering.md#Summer-Schedule).
```

## Use instead
```markdown
See [the summer schedule](watering.md#summer-schedule).
```

## Fix and suggestions
The finding lists the target's ids closest to the fragment; a fragment that
differs from an id only by case is listed first.
"""

from __future__ import annotations

from typing import Iterator

from linklint.rules.base import Context, Finding
from linklint.sites.base import Status
from linklint.suggest import closest

CODE = "LL004"
NAME = "broken-anchor"
LEVEL = "error"
SCOPE = "link"
SUMMARY = "A link's #fragment matches no heading or anchor in the target page."
OPTIONS: dict = {}

_ALWAYS_VALID = frozenset({"", "top"})


def check(ctx: Context) -> Iterator[Finding]:
    site = ctx.site
    for link, target in site.links(ctx.path):
        fragment = target.fragment
        if target.status != Status.PAGE or fragment is None or fragment in _ALWAYS_VALID:
            continue
        page = target.path
        doc = site.documents.get(page)  # type: ignore[arg-type]
        if doc is None or doc.problems and not doc.text:
            continue  # the page itself could not be read; LL901 says so
        if fragment in site.ids(page):  # type: ignore[arg-type]
            continue
        where = "this page" if page == ctx.path else f"`{page}`"
        ids = site.heading_id_list(page)  # type: ignore[arg-type]
        near = closest(fragment, ids + sorted(site.ids(page) - set(ids)))  # type: ignore[arg-type]
        yield Finding(
            link.span,
            f"`#{fragment}` matches no heading or anchor in {where}",
            target=link.destination,
            suggestions=tuple(f"did you mean `#{n}`?" for n in near),
        )
