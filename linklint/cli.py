"""The ``linklint`` command.

Exit codes: 0 no errors (warnings alone do not fail a run unless
``--fail-on warning``), 1 errors remain, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from linklint import __version__

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2

COMMANDS = ("check", "rule", "install-hook", "init")
CONFIG_NAMES = (".linklint.yaml", ".linklint.yml")


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    from linklint.output import FORMATS

    parser = argparse.ArgumentParser(
        prog="linklint",
        description="Keep the internal links of a Markdown site healthy.",
    )
    parser.add_argument("--version", action="version", version=f"linklint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check the site (the default command)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="report only these files or folders (the whole site is still read)")
    check.add_argument("--format", choices=FORMATS, default=None, help="output format (default: text; github under GitHub Actions)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--select", metavar="CODES", default="", help="comma-separated rule codes, prefixes or names to report")
    check.add_argument("--ignore", metavar="CODES", default="", help="comma-separated rule codes, prefixes or names not to report")
    check.add_argument("--config", metavar="FILE", help="configuration file (default: the closest .linklint.yaml or pyproject.toml)")
    check.add_argument("--root", metavar="DIR", help="the site's repository root (default: the folder of the closest config, else the Git work tree)")
    check.add_argument("--fail-on", choices=("error", "warning"), default="error", help="lowest severity that makes the exit status 1")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")

    rule = sub.add_parser("rule", help="print a rule's reference page, or list the rules")
    rule.add_argument("code", nargs="?", help="rule code or name; without it, list all rules")
    _add_change_options(check)
    _add_setup_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    parser = _parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        if args.command == "rule":
            return _rule(args.code)
        if args.command in ("install-hook", "init"):
            return _setup_command(args)
        return _check(args)
    except UsageError as exc:
        print(f"linklint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _rule(code: str | None) -> int:
    from linklint.ruledocs import rule_page
    from linklint.rules import RULES, lookup

    if code is None:
        for module in RULES.values():
            print(f"{module.CODE}  {module.NAME:<22} {module.LEVEL:<8} {module.SUMMARY}")
        return EXIT_OK
    module = lookup(code)
    if module is None:
        raise UsageError(f"unknown rule `{code}`; `linklint rule` lists them")
    sys.stdout.write(rule_page(module))
    return EXIT_OK


def find_root(start: Path) -> Path:
    """The folder of the closest config file at or above ``start`` (not above
    the Git work tree), else the Git work tree, else ``start``."""
    from linklint.discover import git_toplevel

    start = start.resolve()
    top = git_toplevel(start)
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in CONFIG_NAMES) or _pyproject_has_section(folder):
            return folder
        if top is not None and folder == top.resolve():
            return folder
    return start


def _pyproject_has_section(folder: Path) -> bool:
    path = folder / "pyproject.toml"
    try:
        return "[tool.linklint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _check(args: argparse.Namespace) -> int:
    from linklint.config import ConfigError, load_config
    from linklint.engine import Selection, check, relative_to_root, unknown_selectors
    from linklint.output import render
    from linklint.rules import specs
    from linklint.sites import PROFILE_NAMES

    root = Path(args.root) if args.root else find_root(Path.cwd())
    if not root.is_dir():
        raise UsageError(f"--root `{args.root}` is not a folder")
    select = _words(args.select)
    ignore = _words(args.ignore)
    bad = unknown_selectors(select + ignore)
    if bad:
        raise UsageError(f"unknown rule `{bad[0]}` in --select/--ignore; `linklint rule` lists them")
    paths = _report_paths(root, args.paths, relative_to_root)
    scope = _scope(args, root)
    try:
        config = load_config(
            root,
            specs(),
            config_file=Path(args.config) if args.config else None,
            profiles=PROFILE_NAMES,
        )
    except ConfigError as exc:
        print(f"linklint: config error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    run = check(root, config, paths=paths, selection=Selection(select, ignore), progress=True)
    if args.write_baseline:
        return _write_baseline(Path(args.write_baseline), run.report)
    report, stale = _narrow(run, scope, select, ignore, paths)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    color = _use_color(args.color, args.output)
    text = render(report, fmt, color=color, rules=_rule_infos())
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    failing = report.errors + (report.warnings if args.fail_on == "warning" else 0)
    if stale:
        from linklint.baseline import stale_message

        print(f"linklint: {stale_message(stale)}", file=sys.stderr)
    return EXIT_VIOLATIONS if failing else EXIT_OK


def _words(value: str) -> list[str]:
    return [w.strip() for w in value.split(",") if w.strip()]


def _report_paths(root: Path, given: Sequence[str], relative_to_root) -> list[str] | None:
    if not given:
        return None
    paths = []
    for raw in given:
        if not os.path.lexists(raw):
            raise UsageError(f"`{raw}`: no such file or folder")
        rel = relative_to_root(root, raw)
        if rel is None:
            raise UsageError(f"`{raw}` is outside the site's repository `{root}`")
        paths.append(rel)
    return paths


def _use_color(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _rule_infos():
    from linklint.output import RuleInfo
    from linklint.rules import RULES

    return {
        code: RuleInfo(code, module.NAME, module.SUMMARY, None) for code, module in RULES.items()
    }


# -- narrowing a run: --changed-since, --staged, --baseline, --write-baseline ------


def _add_change_options(check: argparse.ArgumentParser) -> None:
    group = check.add_argument_group("changes and baselines")
    group.add_argument(
        "--changed-since",
        metavar="REF",
        help="report only problems in files changed since the merge base of REF and HEAD "
        "(commits, staged, unstaged and untracked changes) and problems the change caused "
        "elsewhere (links into a renamed or deleted page, anchors into a changed page)",
    )
    group.add_argument(
        "--staged",
        action="store_true",
        help="like --changed-since, for the changes staged for the next commit (a pre-commit hook)",
    )
    group.add_argument("--baseline", metavar="FILE", help="report only problems not recorded in FILE")
    group.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every current problem in FILE and exit 0 (adopt linklint on a site with old problems)",
    )


class _Scope:
    """What narrows the report of a run: the change it is judged by and the
    baseline of known problems; both are read before the site is."""

    def __init__(self, changes=None, baseline=None) -> None:
        self.changes = changes
        self.baseline = baseline


def _scope(args: argparse.Namespace, root: Path) -> _Scope:
    from linklint.baseline import BaselineError, load
    from linklint.git import GitError, changes_since, staged_changes

    if args.changed_since and args.staged:
        raise UsageError("--changed-since and --staged cannot be used together")
    if args.write_baseline and (args.baseline or args.changed_since or args.staged):
        raise UsageError("--write-baseline records the whole site; use it without --baseline, --changed-since and --staged")
    try:
        if args.staged:
            changes = staged_changes(root)
        elif args.changed_since:
            changes = changes_since(root, args.changed_since)
        else:
            changes = None
        baseline = load(Path(args.baseline)) if args.baseline else None
    except (GitError, BaselineError) as exc:
        raise UsageError(str(exc)) from None
    return _Scope(changes, baseline)


def _narrow(run, scope: _Scope, select: list[str], ignore: list[str], paths: list[str] | None):
    """The run's report without baselined problems and, when judging a change,
    without problems the change is not answerable for; and the number of stale
    baseline entries."""
    from linklint.engine import Selection

    report = run.report
    stale = 0
    if scope.baseline is not None:
        from linklint.baseline import apply

        selection = Selection(select, ignore)
        wanted = _under(paths)
        outcome = apply(report, scope.baseline, lambda code, path: selection.wants(code) and wanted(path))
        report, stale = outcome.report, len(outcome.stale)
    if scope.changes is not None:
        from linklint.git import caused_by, narrow

        report = narrow(report, caused_by(scope.changes, run.site))
    return report, stale


def _under(paths: list[str] | None):
    """A test for paths at or under one of ``paths`` (all paths when None)."""
    if paths is None or any(p in ("", ".") for p in paths):
        return lambda path: True
    exact = {p.rstrip("/") for p in paths}
    folders = tuple(p.rstrip("/") + "/" for p in exact)
    return lambda path: path in exact or path.startswith(folders)


def _write_baseline(path: Path, report) -> int:
    from linklint.baseline import write

    try:
        count = write(path, report)
    except OSError as exc:
        raise UsageError(f"cannot write baseline `{path}`: {exc.strerror or exc}") from None
    noun = "problem" if count == 1 else "problems"
    print(f"linklint: recorded {count} {noun} in {path}", file=sys.stderr)
    return EXIT_OK


# -- setting a repository up: install-hook, init -------------------------------------


def _add_setup_commands(sub) -> None:
    hook = sub.add_parser("install-hook", help="install linklint as the repository's Git pre-commit hook")
    hook.add_argument("--force", action="store_true", help="replace an existing pre-commit hook")
    init = sub.add_parser("init", help="write a commented .linklint.yaml for the site")
    init.add_argument("folder", nargs="?", default=".", metavar="DIR", help="the site's root folder (default: the current folder)")


def _setup_command(args: argparse.Namespace) -> int:
    if args.command == "install-hook":
        return _install_hook(args.force)
    return _init(Path(args.folder))


def _install_hook(force: bool) -> int:
    from linklint.git import GitError, HookExists, install_hook

    try:
        hook = install_hook(Path.cwd(), force=force)
    except (GitError, HookExists) as exc:
        raise UsageError(str(exc)) from None
    print(f"linklint: installed the pre-commit hook in {_shown(hook)}")
    return EXIT_OK


def _shown(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)


# Folders that commonly hold a site's pages, most specific first: Hugo and Zola
# (content/), Astro (src/content/), MkDocs and Docusaurus (docs/), Jekyll (_posts/).
CONTENT_FOLDERS = ("content", "src/content", "docs", "_posts")
_POST_FOLDERS = ("posts", "blog", "_posts", "articles")
_NOT_CONTENT = frozenset({"node_modules", "vendor", "public", "_site", "site", "build", "dist"})


def _init(folder: Path) -> int:
    if not folder.is_dir():
        raise UsageError(f"`{folder}` is not a folder")
    existing = [name for name in CONFIG_NAMES if (folder / name).exists()]
    if not existing and _pyproject_has_section(folder):
        existing = ["pyproject.toml"]
    if existing:
        where = _shown(folder / existing[0])
        raise UsageError(f"{where} already configures linklint; not overwritten")
    content, posts = detect_content(folder)
    target = folder / CONFIG_NAMES[0]
    target.write_text(config_template(content, posts), encoding="utf-8")
    print(f"linklint: wrote {_shown(target)} (content: {content}); list your landing pages in it, then run `linklint check`")
    return EXIT_OK


def detect_content(folder: Path) -> tuple[str, str | None]:
    """The content root of the site in ``folder`` and a glob for its posts (None:
    every page). Jekyll keeps pages beside ``_posts/``, so there the root is
    ``.`` and the posts are ``_posts/**``."""
    for name in CONTENT_FOLDERS:
        if _has_markdown(folder / name):
            if name == "_posts":
                return ".", "_posts/**"
            return name, _posts_glob(folder / name)
    return ".", _posts_glob(folder)


def _posts_glob(content: Path) -> str | None:
    for name in _POST_FOLDERS:
        if _has_markdown(content / name):
            return f"{name}/**"
    return None


def _has_markdown(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in _NOT_CONTENT]
        if any(f.lower().endswith((".md", ".markdown", ".mdx")) for f in filenames):
            return True
    return False


def config_template(content: str, posts: str | None) -> str:
    posts_line = f'posts: ["{posts}"]' if posts else '# posts: ["posts/**"]     # default: every page'
    return f"""\
# linklint configuration. Every key is optional; delete what you do not need.
# `linklint rule` lists the rules, `linklint rule LL002` explains one.

# A preset to build on: recommended (the default), strict or relaxed.
extends: recommended

# The folder that holds the site's pages; root-relative links (/posts/a/)
# are resolved against it.
content: {content}

# The pages that are posts: LL001 (min-internal-links), LL002
# (landing-page-link) and LL007 (orphan-page) check only these.
# Globs relative to `content`.
{posts_line}

# The pages every post should lead its readers to (LL002): newsletter
# sign-up, pricing, product pages. Paths or globs relative to `content`, e.g.
#   landing_pages: [newsletter.md, pricing.md, "products/*.md"]
# LL002 checks nothing until this list names at least one page.
landing_pages: []

# Absolute links to this address count as internal links.
# base_url: https://example.com/

# Pages that are not part of the published site.
# exclude: ["drafts/**"]

# Levels (error, warning, off) and options per rule, by code or name.
# rules:
#   min-internal-links: {{min: 3}}
#   generic-anchor-text: off
"""
