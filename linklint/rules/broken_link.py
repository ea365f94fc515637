"""A link to a page or file of the site that does not exist.

## What it does
Checks that every internal link (a relative path, a root-relative path, or an
absolute URL on the site's own `base_url`) leads to an existing page, folder or
file of the repository. Links are resolved the way the site profile serves them:
for a plain repository, relative to the folder of the page, as GitHub does; a
folder stands for its `README.md` or `index.md`. Also reported: an empty
destination (`[text]()`; not when an attribute list with an id follows it,
`[](){#usage}`, which is an anchor), a link that leaves the repository
(`../../../etc/passwd` is reported and never read), and a web address written
without its scheme (`github.com/org/repo` is a relative path to a browser)
and an e-mail address without `mailto:`. In GitHub's issue and pull request
templates (`.github/PULL_REQUEST_TEMPLATE.md`, `.github/ISSUE_TEMPLATE/*.md`)
a root-relative link is a path on github.com (`/org/repo/blob/main/x.md`),
not checked. In a page a site generator builds, a link to a file that is not
in the repository but that the repository's `.gitignore` names (`/docs/rubydoc`,
`**/spec.md`) leads to what a build step writes, and is not judged; in a page
GitHub shows as it is, no build runs, and such a link is broken.

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

A link that works only by luck is a warning: a path that matches a page only
when case is ignored (most hosts compare paths exactly), a URL that reaches the
page only through a redirect (an alias, `redirect_from`), a link to a source
file that the generator does not rewrite. A link from a published page to a
page the generator does not publish (a draft, a post dated in the future, an
mdBook chapter missing from `SUMMARY.md`) is an error of its own: the page is
there in the repository, but not on the site.

## Fix and suggestions
The finding lists the existing files whose names are closest to the missing
one (a moved post usually keeps its file name; a renamed one keeps its folder).
Links whose destination contains template syntax (`{{ … }}`, `{% … %}`) cannot
be judged without building the site and are skipped.

**Safe fix** (`linklint fix`): when the new place of the file is proved, the
destination is rewritten to it in the form the post already uses (a relative
path stays relative, `/posts/b/` stays a root URL with a trailing slash; the
`?query` and `#fragment` are kept). Proof is Git's rename history, followed
through chains of renames and including renames staged with `git mv` and not
yet committed (also when the page itself moved and its relative link was
written for the old place), or, without history, a single file of the same
name elsewhere in the repository (or one whose path differs only in case).

**Unsafe fix** (`--unsafe-fixes`): when exactly one file in the same folder has
nearly the missing name (a typo such as `composting-basic.md`), or a URL
without a file name (`/posts/watering/`) matches exactly one page by its last
part, the link is pointed at it.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from typing import Iterator

from linklint.model import Applicability, Fix, Link
from linklint.rules.base import Context, Finding, Option
from linklint.sites.base import Status, Target, looks_like_missing_scheme
from linklint.suggest import relative_link

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


# An attribute list with an id right after a link: `[](){#usage}` is an anchor
# (mkdocs-autorefs, attr_list, kramdown), not a link going nowhere.
_ANCHOR_ATTRIBUTES = re.compile(r"\{:?[ \t]*(?:[^{}\n]*\s)?(?:#|id=)[^{}\n]*\}")


def check(ctx: Context) -> Iterator[Finding]:
    ignore = [re.compile(p) for p in ctx.options["ignore"]]
    inventory = ctx.site.inventory
    text = ctx.site.documents[ctx.path].text
    for link, target in ctx.site.links(ctx.path):
        if link.image and not ctx.options["check_images"]:
            continue
        if any(p.match(link.destination) for p in ignore):
            continue
        if target.status == Status.EMPTY:
            if not link.image and _ANCHOR_ATTRIBUTES.match(text, link.span.end):
                continue
            yield Finding(link.span, "link has an empty destination", target=link.destination)
        elif target.status == Status.OUTSIDE:
            yield Finding(
                link.span,
                f"link target `{link.destination}` is outside the repository",
                target=link.destination,
            )
        elif target.status == Status.MISSING:
            finding = _missing(ctx, link.destination, link.span, target.path or "", inventory.files)
            yield _with_fix(ctx, finding, link, target)
        elif target.status == Status.DRAFT:
            if not _unpublished(ctx.site, ctx.path):
                yield _draft(ctx.site, link, target)
        elif target.warning:
            yield Finding(link.span, target.warning, target=link.destination, at_most="warning")


def _unpublished(site, path: str) -> bool:
    """Whether the site does not publish ``path`` (a draft): its links to other
    drafts are not broken, they go live together."""
    info = getattr(site.profile, "info", {}).get(path)
    return site.is_draft(path) or bool(info is not None and info.draft)


def _draft(site, link: Link, target: Target) -> Finding:
    info = getattr(site.profile, "info", {}).get(target.path or "")
    reason = info.draft_reason if info is not None and info.draft_reason else "a draft"
    return Finding(
        link.span,
        f"link target `{link.destination}` is not published: `{target.path}` is {reason}",
        target=link.destination,
    )


def _missing(ctx: Context, destination: str, span, missing: str, files: set[str]) -> Finding:
    if looks_like_missing_scheme(destination):
        return Finding(
            span,
            f"`{destination}` looks like a web address without `https://`; as written it is a "
            "relative path that does not exist",
            target=destination,
            suggestions=(f"write `https://{destination}`",),
        )
    if _EMAIL.match(destination):
        return Finding(
            span,
            f"`{destination}` looks like an e-mail address without `mailto:`; as written it is a "
            "relative path that does not exist",
            target=destination,
            suggestions=(f"write `mailto:{destination}`",),
        )
    what = "image" if posixpath.splitext(missing)[1].lower() in _IMAGE_EXTENSIONS else "link target"
    names = ctx.suggester.closest_files(missing)
    suggestions = tuple(f"did you mean `{relative_link(ctx.path, n)}`?" for n in names)
    return Finding(span, f"{what} `{destination}` does not exist", target=destination, suggestions=suggestions)


def _with_fix(ctx: Context, finding: Finding, link: Link, target: Target) -> Finding:
    """The finding with a fix that points the link at the file's new place: safe
    when Git's rename history or a unique match proves it, unsafe when one
    existing name is very close to the missing one (a typo)."""
    if link.dest_span is None or looks_like_missing_scheme(link.destination):
        return finding
    from linklint.linkedit import rewrite_destination
    from linklint.renames import new_home

    home = new_home(ctx.site, ctx.path, link, target)
    if home is not None:
        new, reason = home.path, home.reason
        applicability = Applicability.SAFE if home.proved else Applicability.UNSAFE
    else:
        near = ctx.suggester.near_name(target.path or "", _NEAR)
        if near is None:
            return finding
        new, reason, applicability = near, "the closest existing name", Applicability.UNSAFE
    rewritten = rewrite_destination(ctx.site, ctx.path, link, new)
    if rewritten is None:
        return finding
    edit, written = rewritten
    title = f"point the link to `{written}` ({reason})"
    return dataclasses.replace(finding, fix=Fix(title, applicability, (edit,)))


# How alike (difflib ratio) a name in the same folder must be to be offered as
# a typo fix: one or two characters off in a typical post name.
_NEAR = 0.9

_EMAIL = re.compile(r"^[^@/\s:]+@[^@/\s:]+\.[A-Za-z]{2,}$")
_IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"})
