"""A `#fragment` that matches no heading or anchor in the page it points to.

## What it does
Checks that the fragment of every link to a Markdown page of the site (`#usage`
in `guide.md#usage`, or `#usage` alone for the same page) is an id that exists
in the target page: a heading id under the site's slug algorithm (GitHub's for a
plain repository: lower-case, punctuation dropped, spaces to hyphens, `-1`,
`-2` … for repeated headings), an explicit `{#id}` on a heading, or an `id` /
`name` attribute in raw HTML. `#` and `#top` are always valid, and so is a
text fragment (`#:~:text=watering`); of `#usage:~:text=…` the id `usage` is
checked; a fragment the site's template engine writes (`#{{ release | slugify }}`)
is known only once the site is built, and is not checked. Fragments are
compared after percent-decoding and, like browsers, case-sensitively. In a
plain (GitHub) repository `#user-content-usage` is the same as `#usage`, as on
GitHub.

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

**Safe fix** (`linklint fix`): the fragment is replaced by the one id it
means when it differs from it only by case (`#Summer-Schedule` →
`#summer-schedule`), or is the same heading's id under another slug algorithm
(GitLab's, GitHub's), or has the same letters and digits
(`#summer_schedule`).

**Unsafe fix** (`--unsafe-fixes`): the fragment is replaced by the closest id
when one is clearly closer than the others (`#summer-schedul`).
"""

from __future__ import annotations

from typing import Iterator

from linklint.model import Applicability, Fix, Link
from linklint.rules.base import Context, Finding, Option
from linklint.sites.base import Status
from linklint.suggest import closest

CODE = "LL004"
NAME = "broken-anchor"
LEVEL = "error"
SCOPE = "link"
SUMMARY = "A link's #fragment matches no heading or anchor in the target page."
OPTIONS = {
    "ignore_case": Option(
        False,
        bool,
        "Accept a fragment that matches an id only when case is ignored (GitHub's own pages do); "
        "by default such a link is a warning.",
    ),
}

_ALWAYS_VALID = frozenset({"", "top"})


def check(ctx: Context) -> Iterator[Finding]:
    site = ctx.site
    for link, target in site.links(ctx.path):
        fragment = target.fragment
        if target.status != Status.PAGE or fragment is None or fragment in _ALWAYS_VALID:
            continue
        if "{{" in fragment or "{%" in fragment:
            continue  # made by the template engine (`#{{ r.name | slugify }}`): known only once built
        directive = ":~:" in fragment
        if directive:
            # A fragment directive (`#:~:text=watering`, scroll to a text):
            # browsers take it off, and what stands before it is the id.
            fragment = fragment.partition(":~:")[0]
            if fragment in _ALWAYS_VALID:
                continue
        page = target.path
        doc = site.documents.get(page)  # type: ignore[arg-type]
        if doc is None or doc.problems and not doc.text:
            continue  # the page itself could not be read; LL901 says so
        if fragment in site.ids(page):  # type: ignore[arg-type]
            continue
        if _github_prefixed(site, fragment, page):
            continue
        where = "this page" if page == ctx.path else f"`{page}`"
        case_only = _case_only_match(fragment, site.ids(page))  # type: ignore[arg-type]
        if case_only is not None:
            if not ctx.options["ignore_case"]:
                yield Finding(
                    link.span,
                    f"`#{fragment}` matches `#{case_only}` in {where} only when case is ignored: "
                    "GitHub ignores it, browsers and most site generators do not",
                    target=link.destination,
                    suggestions=(f"write `#{case_only}`",),
                    fix=None if directive else _fix(ctx, link, fragment, page, [case_only]),  # type: ignore[arg-type]
                    at_most="warning",
                )
            continue
        ids = site.heading_id_list(page)  # type: ignore[arg-type]
        near = closest(fragment, ids + sorted(site.ids(page) - set(ids)))  # type: ignore[arg-type]
        yield Finding(
            link.span,
            f"`#{fragment}` matches no heading or anchor in {where}",
            target=link.destination,
            suggestions=tuple(f"did you mean `#{n}`?" for n in near),
            fix=None if directive else _fix(ctx, link, fragment, page, near),  # type: ignore[arg-type]
        )


def _fix(ctx: Context, link: Link, fragment: str, page: str, near: list[str]) -> Fix | None:
    """Safe when the fragment names exactly one id apart from case or slug
    algorithm; unsafe for the one closest id."""
    if link.dest_span is None:
        return None
    from linklint.linkedit import replace_fragment

    found = same_id(ctx.site, page, fragment)
    if found is not None:
        new, reason = found
        applicability = Applicability.SAFE
    elif len(near) == 1 or len(near) > 1 and _ratio(fragment, near[0]) > _ratio(fragment, near[1]):
        new, reason = near[0], "the closest id"
        applicability = Applicability.UNSAFE
    else:
        return None
    edit = replace_fragment(ctx.document.text, link, new)
    if edit is None:
        return None
    return Fix(f"change `#{fragment}` to `#{new}` ({reason})", applicability, (edit,))


def _github_prefixed(site, fragment: str, page: str) -> bool:
    """GitHub renders heading ids as ``user-content-<id>`` and accepts links
    written either way."""
    prefix = "user-content-"
    return (
        getattr(site.profile, "slugger", "") == "github"
        and fragment.startswith(prefix)
        and fragment[len(prefix) :] in site.ids(page)
    )


def _case_only_match(fragment: str, ids: frozenset[str]) -> str | None:
    folded = fragment.casefold()
    matches = sorted(i for i in ids if i.casefold() == folded)
    return matches[0] if len(matches) == 1 else None


def _fold(text: str) -> str:
    """Letters and digits only, case-folded: what every slug algorithm keeps."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def same_id(site, page: str, fragment: str) -> tuple[str, str] | None:
    """The one id of ``page`` the fragment means, when it differs only by case
    or by the slug algorithm that made it; with the reason."""
    from linklint.slugs import SLUGGERS

    ids = sorted(site.ids(page))
    folded = [i for i in ids if i.casefold() == fragment.casefold()]
    if len(folded) == 1:
        return folded[0], "differs only in case"
    current = site.heading_id_list(page)
    by_algorithm = set()
    for name in SLUGGERS:
        for mine, theirs in zip(current, site.heading_ids_under(page, name)):
            if theirs.casefold() == fragment.casefold():
                by_algorithm.add(mine)
    if len(by_algorithm) == 1:
        return by_algorithm.pop(), "the same heading under another slug algorithm"
    key = _fold(fragment)
    same_words = [i for i in ids if key and _fold(i) == key]
    if len(same_words) == 1:
        return same_words[0], "the same words"
    return None


def _ratio(a: str, b: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio()
