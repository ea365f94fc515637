"""The generator reference, ``docs/generators.md``, generated from the profiles.

Each profile module's docstring says what the generator does and how the
profile follows it; this module adds what the code knows (the config files it
is detected by, the slug algorithm, the settings linklint's ``generator:`` key
takes) so the page cannot disagree with the code. ``python -m
linklint.sitedocs docs/generators.md`` writes it; a test fails when the
committed page is stale.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

INTRO = """\
# Site generators

linklint checks links the way the site is built, not the way the files lie in
the repository. A *profile* knows, for one generator, the public URL of each
page (permalinks, slugs, aliases, dates, bundles, languages, drafts), how a
link written in a page reaches its target (the browser resolving a relative
URL against the page's URL, or the generator rewriting a link to a file) and
how heading ids are made.

## Choosing the profile

`site: auto` (the default) detects the generator from its config file: at the
repository root first, then in linklint's `content` folder, then in the
shallowest folder at most two levels down (so a Jekyll site in `docs/` is found
when linklint runs from the repository root). Hidden, dependency, test,
fixture, example, sample and template folders
(named so, or so in part: `test_site`, `example-blog`) are never chosen; when two
folders of the same depth hold a config, set `content:`. Pages outside the
site's folder are checked as GitHub shows them, except that an absolute URL on
the site's own host (a README's link or badge on `https://example.org/…`)
is resolved as the built site serves it; pages of another site in the
repository (a sample site) are skipped. Without a generator config the
*plain* profile is used.

Name the profile to skip detection:

```yaml
site: hugo     # auto, plain, astro, docfx, docusaurus, eleventy, hugo, jekyll, mdbook, mkdocs, vitepress, zensical, zola
```

## Settings linklint cannot read

Docusaurus, Eleventy and Astro are configured by programs
(`docusaurus.config.js`, `.eleventy.js`, `astro.config.mjs`). linklint reads
the values written there as plain literals; a value the program computes must
be given under `generator:` in linklint's config:

```yaml
generator:
  url: https://docs.example.com   # the site's own address (Docusaurus `url`, Astro `site`)
  base_path: /                    # Docusaurus `baseUrl`, Astro `base`
  docs_path: docs                 # Docusaurus docs plugin `path`
  docs_route: docs                # Docusaurus docs plugin `routeBasePath`
  blog_path: blog                 # Docusaurus blog plugin `path`
  blog_route: blog                # Docusaurus blog plugin `routeBasePath`
  input: src                      # Eleventy input folder
```

## What is a warning, what is skipped

- A link that works on the live site only by luck is a **warning** (LL003 or
  LL004 at warning level), never an error: a path or fragment that matches only
  when case is ignored, a page reached only through an alias, a redirect
  (`aliases`, `redirect_from`, redirection files, Netlify `_redirects` and
  `netlify.toml`, Vercel `vercel.json`) or a hook the site may not have.
- A link to a page that is not published (a draft, `published: false`, a
  future date where the generator hides it, a chapter missing from mdBook's
  `SUMMARY.md`) is its own LL003 error, except from a page that is not
  published either.
- Template syntax in a destination (`{{ … }}`, `{% … %}`), links inside
  `{% capture %}`, `{% comment %}`, `{% highlight %}` and `{% set %}` blocks,
  links into content that comes from outside the repository, and URLs of the
  site's host outside its base path (`https://org.github.io/other-project/`
  beside a site served at `/docs/`: another site on the host) are skipped; a
  page of the site found at such a URL without the base path is a warning.

## Seeing how a link resolves

`linklint check --explain-links PATH` prints, for one page, each link with the
profile, the URL it was resolved as, the target file and the anchor:

```text
{explain}
```
"""

PLAIN = """\
- A relative link is resolved from the page's folder; `README.md` and
  `index.md` stand for their folder; a link to a folder reaches it.
- `/x` is resolved from linklint's `content` folder; absolute links to
  `base_url`'s host are internal.
- Heading ids are GitHub's (identical to github-slugger: emoji, punctuation,
  Unicode, `-1` suffixes for repeats), also with the `user-content-` prefix
  GitHub adds; explicit `{#id}` and HTML `id`/`name` anchors count.
- A fragment that matches only when case is ignored is a warning: GitHub
  ignores case, browsers and generators do not."""

# The Hugo fixture page the example above comes from.
EXPLAIN_SITE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sites" / "hugo"
EXPLAIN_PAGE = "content/about.md"


def _markdown(docstring: str) -> str:
    """A module docstring as Markdown: reStructuredText literals become code."""
    text = textwrap.dedent(docstring).strip()
    return re.sub(r"``(.+?)``", r"`\1`", text, flags=re.S)


def _section(profile: type) -> str:
    import importlib

    module = importlib.import_module(profile.__module__)
    title, _, body = _markdown(module.__doc__ or "").partition("\n")
    lines = [f"## {profile.name}", "", f"*{title.strip()}*", ""]
    names = getattr(profile, "config_names", ())
    if names:
        lines.append("Detected by: " + ", ".join(f"`{n}`" for n in names) + ".")
    lines.append(f"Heading ids: `{profile.slugger}`.")
    lines += ["", body.strip(), ""]
    return "\n".join(lines)


def _explain() -> str:
    """The ``--explain-links`` output for the Hugo fixture page, or a note."""
    import contextlib
    import io
    import os
    import shutil
    import tempfile

    from linklint.cli import main

    if not EXPLAIN_SITE.is_dir():
        return "(run from a checkout to include an example)"
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(EXPLAIN_SITE, site)
        out = io.StringIO()
        cwd = os.getcwd()
        try:
            os.chdir(site)
            with contextlib.redirect_stdout(out):
                main(["check", "--no-cache", "--explain-links", EXPLAIN_PAGE])
        finally:
            os.chdir(cwd)
    return out.getvalue().rstrip()


def render() -> str:
    from linklint.sites import PROFILES
    from linklint.sites.base import Profile

    parts = [INTRO.replace("{explain}", _explain())]
    parts.append(f"## plain\n\n*A Git repository as GitHub shows it.*\n\nHeading ids: `{Profile.slugger}`.\n\n{PLAIN}\n")
    for name, profile in PROFILES.items():
        if name != "plain":
            parts.append(_section(profile))
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("docs/generators.md")
    target.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
