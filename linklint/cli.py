"""The ``linklint`` command.

Exit codes: 0 no errors (warnings alone do not fail a run unless
``--fail-on warning``), 1 errors remain, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

from linklint import __version__, forget_working_folder

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2

COMMANDS = ("check", "fix", "suggest", "rule", "cache", "install-hook", "init")

# The last check's site, kept to the end: ``run`` exits without freeing it
# (at 50,000 posts freeing it object by object took 0.3 s after the output,
# when ``_check`` returned). One at most: the next ``main`` replaces it.
_LAST_RUN: list = []
CONFIG_NAMES = (".linklint.yaml", ".linklint.yml")


class UsageError(Exception):
    pass


def _terminal_columns() -> int:
    """The terminal's width, as ``shutil.get_terminal_size`` tells it
    (``COLUMNS``, else the width of standard output's terminal, else 80)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, given the terminal's width: finding it itself, it
    imports ``shutil`` (and with it ``lzma`` and ``bz2``: about 2 ms of every
    run's start, before any work) as each parser is built."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None, **more: Any
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, _terminal_columns() - 2 if width is None else width, **more)


class _ArgumentParser(argparse.ArgumentParser):
    """A parser (and its subcommands' parsers, made of the same class) using
    ``_HelpFormatter``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    from linklint.output import FORMATS

    parser = _ArgumentParser(
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
    check.add_argument("--root", metavar="DIR", help="the site's repository root (default: the folder of the closest config, else the Git work tree, found from the current folder or, outside any, from the paths given)")
    check.add_argument("--fail-on", choices=("error", "warning"), default="error", help="lowest severity that makes the exit status 1")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the parse cache (.linklint_cache/)")
    check.add_argument("--unsafe-fixes", action="store_true", help="also work out the fixes that insert links (LL001, LL002), to show them; slower")
    check.add_argument("--jobs", "-j", type=int, metavar="N", help="processes for parsing and the rules, this one included (default: one per core on large sites; 1: no workers)")
    check.add_argument("--explain-links", metavar="PATH", help="print how each link of one page is resolved (profile, URL, target file, anchor) and exit")

    cache = sub.add_parser("cache", help="manage the parse cache in .linklint_cache/")
    cache.add_argument("action", choices=("clear",), help="clear: delete every cache entry")
    cache.add_argument("--root", metavar="DIR", help="the site's root (default: found as for check)")

    rule = sub.add_parser("rule", help="print a rule's reference page, or list the rules")
    rule.add_argument("code", nargs="?", help="rule code or name; without it, list all rules")
    _add_change_options(check)
    _add_fix_commands(sub, FORMATS)
    _add_setup_commands(sub)
    return parser


def run() -> NoReturn:
    """The command's entry point: ``main``, then exit at once. A normal exit
    frees every object of the run one by one, which takes seconds after a big
    site and helps nobody: the output is flushed and nothing else is pending
    (files are written and worker pools shut down before ``main`` returns)."""
    # linklint does no linear algebra: unless told otherwise, importing NumPy
    # starts OpenBLAS's threads, which keep a second core busy for about
    # 70 ms, time a parsing worker could use.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    forget_working_folder()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass  # the reader went away; the exit code still tells the story
    workshare = sys.modules.get("linklint.workshare")  # imported by runs that forked workers
    if workshare is not None:
        # A rule worker ends while this process prints the report; it has
        # ended by now but for a moment at most. Reaped, its CPU time counts
        # in this run's, where whoever timed the run looks for it.
        workshare.reap_ended(wait=True)
    os._exit(code)


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
        if args.command == "cache":
            return _cache_command(args)
        if args.command in ("install-hook", "init"):
            return _setup_command(args)
        if args.command == "fix":
            return _fix(args)
        if args.command == "suggest":
            return _suggest(args)
        return _check(args)
    except UsageError as exc:
        print(f"linklint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a crash must not look like "problems found" (exit 1)
        import traceback

        from linklint.workshare import WorkerLost

        if isinstance(exc, WorkerLost):
            # Killed from outside (the system short of memory, most often):
            # not a bug, and one process may get through.
            print(f"linklint: error: {exc}; the system may have stopped it (short of memory?): try --jobs 1", file=sys.stderr)
            return EXIT_ERROR
        traceback.print_exc()
        print(
            f"linklint {__version__}: internal error (a bug in linklint, not in your site); "
            "please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_ERROR


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


def open_cache(root: Path, config):
    """The parse cache of the site at ``root``; parsing depends on the
    file-size limit, so it is part of every key."""
    from linklint.cache import ParseCache

    return ParseCache(root, salt=f"max_file_size={config.max_file_size}")


def _cache_command(args: argparse.Namespace) -> int:
    from linklint.cache import ParseCache

    root = Path(args.root) if args.root else find_root(Path.cwd())
    removed = ParseCache(root, salt="").clear()
    print(f"linklint: removed {removed} cache {'entry' if removed == 1 else 'entries'}")
    return EXIT_OK


def find_root(start: Path, paths: Sequence[str] = ()) -> Path:
    """The folder of the closest config file at or above ``start`` (not above
    the Git work tree), else the Git work tree. When neither is at or above
    ``start`` and ``paths`` are given (``linklint check blog`` from the folder
    that holds the site), the root found so from the first path, if every
    path is in it: the folder that holds a site is not its root, and links
    like ``/posts/a.md`` would not resolve from it. Else ``start``."""
    found = _anchored_root(start)
    if found is not None:
        return found
    if paths:
        first = (start / paths[0]).resolve()
        found = _anchored_root(first if first.is_dir() else first.parent)
        if found is not None and all((start / path).resolve().is_relative_to(found) for path in paths):
            return found
    return start.resolve()


def _anchored_root(start: Path) -> Path | None:
    """``find_root``'s answer when a config file or a Git work tree is at or
    above ``start``, else None."""
    from linklint.discover import git_toplevel

    start = start.resolve()
    top = git_toplevel(start)
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in CONFIG_NAMES) or _pyproject_has_section(folder):
            return folder
        if top is not None and folder == top.resolve():
            return folder
    return None


def _pyproject_has_section(folder: Path) -> bool:
    path = folder / "pyproject.toml"
    try:
        return "[tool.linklint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _check(args: argparse.Namespace) -> int:
    from linklint.discover import drop_listing, start_listing

    root = Path(args.root) if args.root else find_root(Path.cwd(), args.paths)
    if not root.is_dir():
        raise UsageError(f"--root `{args.root}` is not a folder")
    # Git lists the files, and tells the commit and the index the run
    # depends on, while the rest is imported (the listing first: the rename
    # module's imports are among that rest).
    start_listing(root)
    from linklint.renames import drop_state, start_state

    start_state(root)
    try:
        return _check_site(args, root)
    finally:
        drop_state(root)
        drop_listing(root)


def _check_site(args: argparse.Namespace, root: Path) -> int:
    from linklint.config import ConfigError, load_config
    from linklint.engine import Selection, check, relative_to_root, survey, unknown_selectors
    from linklint.output import Prerendered, render_printout
    from linklint.rules import specs
    from linklint.sites import PROFILE_NAMES
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
    cache = None if args.no_cache else open_cache(root, config)
    explaining = getattr(args, "explain_links", None)
    # A report from an identical earlier run serves, unless the site itself is
    # needed (to explain links, to judge a change); the same printout too,
    # unless a baseline file (not part of the run's inputs) filters it.
    reuse = cache is not None and not explaining and scope.changes is None
    surveyed = survey(
        root, config, paths=paths, selection=Selection(select, ignore), unsafe_fixes=args.unsafe_fixes, reuse=reuse
    )
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    color = _use_color(args.color, args.output)
    printout_key = printout_slot = None
    if surveyed.key is not None and scope.baseline is None and not args.write_baseline:
        printout_key = repr((surveyed.key, fmt, color, args.fail_on))
        printout_slot = repr((surveyed.slot, fmt, color, args.fail_on))
        stored = cache.get_output(printout_key, printout_slot)  # type: ignore[union-attr]
        if stored is not None:
            return _emit(args, *stored)
    # Each violation's printed text is made by the process that finds it.
    prerendered = Prerendered(fmt, color) if Prerendered.wanted(fmt) and not explaining and not args.write_baseline else None
    run = check(
        root,
        config,
        paths=paths,
        selection=Selection(select, ignore),
        progress=True,
        cache=cache,
        jobs=args.jobs,
        unsafe_fixes=args.unsafe_fixes,
        surveyed=surveyed,
        prerendered=prerendered,
    )
    _LAST_RUN[:] = [run]
    if explaining:
        return _explain_links(root, run, args.explain_links)
    if args.write_baseline:
        return _write_baseline(Path(args.write_baseline), run.report)
    report, stale = _narrow(run, scope, select, ignore, paths)
    printout = render_printout(report, fmt, color=color, rules=_rule_infos(), prerendered=prerendered)
    failing = report.failing(args.fail_on)
    if stale:
        from linklint.baseline import stale_message

        print(f"linklint: {stale_message(stale)}", file=sys.stderr)
    if config.site == "auto" and report.generator == "plain":
        _note_tied_sites(surveyed.inventory)
    exit_code = EXIT_VIOLATIONS if failing else EXIT_OK
    if printout_key is not None and surveyed.settled:
        cache.put_output(printout_key, printout_slot, printout, exit_code)  # type: ignore[union-attr]
    return _emit(args, printout, exit_code)


def _note_tied_sites(inv) -> None:
    """Say why a repository holding generator sites was checked as a plain
    one: several at the same depth (fastapi keeps one MkDocs site per
    language in `docs/<lang>/`), none of which can be told to be the site."""
    from linklint.sites import tied_sites

    tied = tied_sites(inv.files, ".", inv.root)
    if not tied:
        return
    names = [f"`{folder}/`" for folder in tied[:3]] + ([f"{len(tied) - 3} more"] if len(tied) > 3 else [])
    shown = ", ".join(names[:-1]) + " and " + names[-1]
    print(
        f"linklint: note: {shown} each hold a site generator's config, at the same depth: which one is the site "
        "cannot be told, so the repository was checked as a plain one (links as GitHub shows them); "
        "set `content:` to the site's folder in .linklint.yaml",
        file=sys.stderr,
    )


def _emit(args: argparse.Namespace, printout: bytes, exit_code: int) -> int:
    """Write the printout (UTF-8) to ``--output`` or standard output."""
    from linklint.output import write_printout

    if args.output:
        # A UTF-8 text file: its bytes, or where lines end otherwise than in
        # "\n", text whose lines end as the system's do.
        with open(args.output, "w", encoding="utf-8") as out:
            write_printout(out, printout)
    else:
        write_printout(sys.stdout, printout)
    return exit_code


def _explain_links(root: Path, run, given: str) -> int:
    """``--explain-links PATH``: each link of one page and how the site's
    profile resolved it."""
    from linklint.engine import relative_to_root

    rel = relative_to_root(root, given)
    site = run.site
    if rel is None or rel not in site.documents:
        raise UsageError(f"`{given}` is not a page of the site")
    profile = site.profile
    urls = profile.page_urls(rel)
    print(f"{rel}: profile {profile.name}, URL {urls[0] if urls else '(none)'}")
    for link, target in site.links(rel):
        print(f"  {link.span.line}:{link.span.column} {link.destination}")
        print(f"    {target.status}" + (f" -> {target.path}" if target.path else "") + (f" (URL {target.url})" if target.url else ""))
        if target.fragment is not None:
            found = target.path in site.documents and target.fragment in site.ids(target.path)
            print(f"    anchor #{target.fragment}: {'found' if found else 'not found'}")
        if target.note:
            print(f"    how: {target.note}")
        if target.warning:
            print(f"    warning: {target.warning}")
    return EXIT_OK


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
    if args.changed_since and args.staged:
        raise UsageError("--changed-since and --staged cannot be used together")
    if args.write_baseline and (args.baseline or args.changed_since or args.staged):
        raise UsageError("--write-baseline records the whole site; use it without --baseline, --changed-since and --staged")
    if not (args.staged or args.changed_since or args.baseline):
        return _Scope()  # nothing to import: a pre-commit run's start-up counts
    from linklint.baseline import BaselineError, load
    from linklint.git import GitError, changes_since, staged_changes

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


# -- fix and suggest -------------------------------------------------------------------


def _add_fix_commands(sub, formats: Sequence[str]) -> None:
    fix = sub.add_parser("fix", help="apply fixes: safe ones, and unsafe ones with --unsafe-fixes")
    fix.add_argument("paths", nargs="*", metavar="PATH", help="fix only these files or folders (the whole site is still read)")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes (inserted links, a call to action, fuzzy matches)")
    fix.add_argument("--diff", action="store_true", help="print a unified diff of the fixes and write nothing (exit 1 when there is something to fix)")
    fix.add_argument("--format", choices=formats, default="text", help="format of the problems that remain (default: text)")
    for flag in ("--select", "--ignore"):
        fix.add_argument(flag, metavar="CODES", default="", help=f"comma-separated rule codes, prefixes or names to {'fix' if flag == '--select' else 'leave alone'}")
    fix.add_argument("--config", metavar="FILE", help="configuration file (default: the closest .linklint.yaml or pyproject.toml)")
    fix.add_argument("--root", metavar="DIR", help="the site's repository root (default: the folder of the closest config, else the Git work tree, found from the current folder or, outside any, from the paths given)")
    fix.add_argument("--fail-on", choices=("error", "warning"), default="error", help="lowest severity left unfixed that makes the exit status 1")
    fix.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")
    fix.add_argument("--no-cache", action="store_true", help="neither read nor write the parse cache (.linklint_cache/)")

    suggest = sub.add_parser("suggest", help="rank the pages one post could link to, with the phrase to link")
    suggest.add_argument("path", metavar="PATH", help="the post")
    suggest.add_argument("--limit", "-n", type=int, default=10, metavar="N", help="how many pages to list (default: 10)")
    suggest.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    suggest.add_argument("--config", metavar="FILE", help="configuration file (default: the closest .linklint.yaml or pyproject.toml)")
    suggest.add_argument("--root", metavar="DIR", help="the site's repository root (default: the folder of the closest config, else the Git work tree, found from the current folder or, outside any, from the paths given)")


def _setup_run(args: argparse.Namespace, given_paths: Sequence[str]):
    """Root, config, selection and repository-relative paths, as ``check`` reads them."""
    from linklint.config import ConfigError, load_config
    from linklint.engine import Selection, relative_to_root, unknown_selectors
    from linklint.rules import specs
    from linklint.sites import PROFILE_NAMES

    root = Path(args.root) if args.root else find_root(Path.cwd(), given_paths)
    if not root.is_dir():
        raise UsageError(f"--root `{args.root}` is not a folder")
    select = _words(getattr(args, "select", ""))
    ignore = _words(getattr(args, "ignore", ""))
    bad = unknown_selectors(select + ignore)
    if bad:
        raise UsageError(f"unknown rule `{bad[0]}` in --select/--ignore; `linklint rule` lists them")
    paths = _report_paths(root, given_paths, relative_to_root)
    try:
        config = load_config(root, specs(), config_file=Path(args.config) if args.config else None, profiles=PROFILE_NAMES)
    except ConfigError as exc:
        raise _ConfigFailure(str(exc)) from None
    return root, config, Selection(select, ignore), paths


class _ConfigFailure(Exception):
    pass


def _fix(args: argparse.Namespace) -> int:
    from linklint.fix import FixError, fix_site, unified_diff, write_changes
    from linklint.output import render_printout, write_printout

    try:
        root, config, selection, paths = _setup_run(args, args.paths)
    except _ConfigFailure as exc:
        print(f"linklint: config error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        cache = None if args.no_cache else open_cache(root, config)
        result = fix_site(root, config, paths=paths, selection=selection, unsafe=args.unsafe_fixes, cache=cache)
    except FixError as exc:
        print(f"linklint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for refusal in result.refused:
        print(
            f"linklint: {refusal.path}:{refusal.line}:{refusal.column}: {refusal.code} fix not applied, "
            f"{refusal.reason}: {refusal.title}",
            file=sys.stderr,
        )
    files = len(result.files)
    summary = f"{result.fixed} {'problem' if result.fixed == 1 else 'problems'} in {files} {'file' if files == 1 else 'files'}"
    if args.diff:
        sys.stdout.write(unified_diff(result))
        sys.stderr.write(_changes(result))
        print(f"Would fix {summary}." if result.files else "Nothing to fix.", file=sys.stderr)
        return EXIT_VIOLATIONS if result.files else EXIT_OK
    failed = write_changes(root, result)
    for path, reason in failed:
        print(f"linklint: {path} {reason}", file=sys.stderr)
        result.files.pop(path, None)
    people = args.format in ("text", "concise")
    out = sys.stdout if people else sys.stderr
    out.write(_changes(result))
    if result.files:
        print(f"Fixed {summary}.", file=out)
        if people:
            print(file=out)
    report = result.run.report
    # As bytes: a file name Git gave as bytes that are not UTF-8 is written as them.
    write_printout(sys.stdout, render_printout(report, args.format, color=_use_color(args.color, None), rules=_rule_infos()))
    failing = report.failing(args.fail_on)
    # A file that could not be written keeps its problems: the run fails.
    return EXIT_VIOLATIONS if failing or failed else EXIT_OK


def _changes(result) -> str:
    """What the fixes changed, per file: one line per fixed problem."""
    lines: list[str] = []
    for path, change in sorted(result.files.items()):
        lines.append(path)
        for fix in change.applied:
            lines.append(f"  {fix.line}:{fix.column}: {fix.code} {fix.title}")
    return "".join(line + "\n" for line in lines)


def _suggest(args: argparse.Namespace) -> int:
    import json

    from linklint.engine import Selection, check
    from linklint.insert import rank_targets

    try:
        root, config, _, paths = _setup_run(args, [args.path])
    except _ConfigFailure as exc:
        print(f"linklint: config error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    assert paths is not None
    rel = paths[0]
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    # The site is needed, not the findings: LL901 runs no check of its own.
    run = check(root, config, paths=[rel], selection=Selection(["LL901"]), cache=open_cache(root, config))
    if rel not in run.site.documents:
        raise UsageError(f"`{args.path}` is not a page of the site (see `content`, `include` and `exclude` in the config)")
    ranked = rank_targets(run.site, rel, args.limit)
    if args.format == "json":
        data = {"path": rel, "suggestions": [r.as_json() for r in ranked]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    if not ranked:
        print(f"No related pages found for {rel}.")
        return EXIT_OK
    print(f"Pages related to {rel}, most related first:")
    for r in ranked:
        state = "linked" if r.linked else ("landing page" if r.landing else "")
        where = f"line {r.line}: “{r.phrase}”" if r.phrase else "no phrase in the post matches"
        print(f"  {r.score:.3f}  {r.link}  ({r.title})")
        print(f"         {where}{'  [' + state + ']' if state else ''}")
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
