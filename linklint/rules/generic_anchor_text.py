"""A link to a page of the site whose text says nothing about its target.

## What it does
Reports internal links whose anchor text, after lemmatising, is a generic
phrase ("click here", "here", "read more", "this post", "learn more", "link" …;
a placeholder, "TODO", "TBD", too) or a bare URL. Add phrases with `extra`; allow some with `allow`. Images and
links to other sites are not checked.

## Why it matters
Screen-reader users often jump from link to link: a list of "click here" tells
them nothing. Search engines use anchor text to learn what the target is about;
"read more" teaches them nothing either.

## Example
```markdown
Our guide to compost is [here](composting-basics.md).
```

## Use instead
```markdown
Read our [guide to hot composting](composting-basics.md).
```

## Fix and suggestions
The finding suggests the target's title (and, for a link to a section, the
section's heading) as anchor text.
"""

from __future__ import annotations

import re
from typing import Iterator

from linklint.rules.base import Context, Finding, Option
from linklint.sites.base import Status

CODE = "LL006"
NAME = "generic-anchor-text"
LEVEL = "warning"
SCOPE = "link"
SUMMARY = "An internal link's text is generic (\"click here\", \"read more\") or a bare URL."
OPTIONS = {
    "extra": Option([], list, "More generic phrases to report (compared after lemmatising).", item_type=str),
    "allow": Option([], list, "Phrases never to report, even if generic.", item_type=str),
    "bare_urls": Option(True, bool, "Report link text that is a URL or a file path."),
}

_URLISH = re.compile(r"^(https?://|www\.|\.{0,2}/)\S+$|^\S+\.(md|markdown|html?)$", re.I)


def check(ctx: Context) -> Iterator[Finding]:
    from linklint.nlp import GENERIC_ANCHORS, normalise_anchor

    generic = (GENERIC_ANCHORS | {normalise_anchor(p) for p in ctx.options["extra"]}) - {
        normalise_anchor(p) for p in ctx.options["allow"]
    }
    site = ctx.site
    for link, target in site.links(ctx.path):
        if link.image or target.status not in (Status.PAGE, Status.ASSET):
            continue
        text = link.text.strip()
        if ctx.options["bare_urls"] and _URLISH.match(text):
            reason = "is a bare URL"
        elif text and normalise_anchor(text) in generic:
            reason = "is generic"
        else:
            continue
        better = _better_texts(ctx, target)
        yield Finding(
            link.span,
            f"link text “{text}” {reason}; describe the target",
            target=link.destination,
            suggestions=better,
            fix=_advice(ctx, link, better),
        )


def _advice(ctx: Context, link, better: tuple[str, ...]):
    """Display-only: the better text in place of the generic one (the sentence
    around it may need rewording, so it is never applied)."""
    from linklint.linkedit import text_advice

    texts = [s[len("use “") : -1] for s in better]
    if not texts:
        return None
    return text_advice(ctx.document, link, texts, f"replace the link text with “{texts[0]}”")


def _better_texts(ctx: Context, target) -> tuple[str, ...]:
    site = ctx.site
    if target.status != Status.PAGE or target.path not in site.documents:
        return ()
    texts = [site.title(target.path)]
    if target.fragment:
        ids = site.heading_id_list(target.path)
        headings = site.documents[target.path].headings
        for heading, hid in zip(headings, ids):
            if hid == target.fragment:
                texts.insert(0, heading.text)
    return tuple(f"use “{t}”" for t in texts)
