"""A link to a page or file of the site that does not exist.

## What it does
Checks that every internal link (a relative path, a root-relative path, or an
absolute URL on the site's own `base_url`) leads to an existing page, folder or
file of the repository. Links are resolved the way the site profile serves them:
for a plain repository, relative to the folder of the page, as GitHub does; a
folder stands for its `README.md` or `index.md`. Also reported: an empty
destination (`[text]()`), a link that leaves the repository
(`../../../etc/passwd` is reported and never read), and a web address written
without its scheme (`github.com/org/repo` is a relative path to a browser).

## Why it matters
A broken link is a dead end: the visitor who clicked it leaves, and a search
engine that finds it wastes crawl budget on a 404 and passes no value to the
page you meant. Broken internal links appear quietly whenever a post is renamed
or moved.

## Example
```markdown
Read [how to start a compost heap](composting-basic.md) first.
```

## Use instead
```markdown
Read [how to start a compost heap](composting-basics.md) first.
```

## Fix and suggestions
The finding lists the existing files whose names are closest to the missing
one (a moved post usually keeps its file name; a renamed one keeps its folder).
Links whose destination contains template syntax (`{{ … }}`, `{% … %}`) cannot
be judged without building the site and are skipped.
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from linklint.rules.base import Context, Finding, Option
from linklint.sites.base import Status, looks_like_missing_scheme
from linklint.suggest import closest_paths, relative_link

CODE = "LL003"
NAME = "broken-link"
LEVEL = "error"
SCOPE = "link"
SUMMARY = "An internal link leads to a page or file that does not exist."
OPTIONS = {
    "check_images": Option(True, bool, "Also check images (`![alt](src)`, `<img src>`)."),
    "ignore": Option(
        [],
        list,
        "Regular expressions; a destination that matches one (from its start) is not checked.",
        item_type=str,
    ),
}


def check(ctx: Context) -> Iterator[Finding]:
    ignore = [re.compile(p) for p in ctx.options["ignore"]]
    inventory = ctx.site.inventory
    for link, target in ctx.site.links(ctx.path):
        if link.image and not ctx.options["check_images"]:
            continue
        if any(p.match(link.destination) for p in ignore):
            continue
        if target.status == Status.EMPTY:
            yield Finding(link.span, "link has an empty destination", target=link.destination)
        elif target.status == Status.OUTSIDE:
            yield Finding(
                link.span,
                f"link target `{link.destination}` is outside the repository",
                target=link.destination,
            )
        elif target.status == Status.MISSING:
            yield _missing(ctx, link.destination, link.span, target.path or "", inventory.files)


def _missing(ctx: Context, destination: str, span, missing: str, files: set[str]) -> Finding:
    if looks_like_missing_scheme(destination):
        return Finding(
            span,
            f"`{destination}` looks like a web address without `https://`; as written it is a "
            "relative path that does not exist",
            target=destination,
            suggestions=(f"write `https://{destination}`",),
        )
    what = "image" if posixpath.splitext(missing)[1].lower() in _IMAGE_EXTENSIONS else "link target"
    names = closest_paths(missing, files)
    suggestions = tuple(f"did you mean `{relative_link(ctx.path, n)}`?" for n in names)
    return Finding(span, f"{what} `{destination}` does not exist", target=destination, suggestions=suggestions)


_IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"})
