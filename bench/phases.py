"""Where a linklint run spends its time, phase by phase, in the parent and in
its worker processes.

    python bench/phases.py SITE [linklint check options]
    python bench/phases.py ~/bench-blog --no-cache --jobs 1
    python bench/phases.py ~/bench-blog --no-cache --jobs 2

Runs ``linklint check`` in this process with a few engine functions wrapped
in timers, and prints (to stderr) the wall and CPU time of each phase in the
parent, the CPU time the workers spent parsing and running rules, and the
CPU time of the parent and of its children as the system counts it. Compare
``--jobs 1`` with ``--jobs 2`` on the same site to see what the workers
parallelise and what only the parent does. Not part of the test run; the
timers cost a little, so use ``run.py`` for the figures to quote.
"""

from __future__ import annotations

import functools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import linklint.cli as cli  # noqa: E402
import linklint.engine as engine  # noqa: E402
import linklint.loading as loading  # noqa: E402
import linklint.nlp as nlp  # noqa: E402
import linklint.output as output  # noqa: E402
import linklint.site as site  # noqa: E402

_PARENT: dict[str, list[float]] = {}
# Worker processes append "function cpu-seconds" lines here.
_WORKER_LOG = Path(tempfile.gettempdir()) / f"linklint-phases-{os.getpid()}.log"


def _time_in_parent(owner: object, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent = _PARENT.setdefault(label, [0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.process_time() - cpu

    setattr(owner, name, timed)


def _time_in_workers(module: object, name: str) -> None:
    """Wrap a module-level function that worker processes run: the pool
    pickles it by name, so the wrapper takes the function's place."""
    original = getattr(module, name)

    def timed(*args, **kwargs):
        cpu = time.process_time()
        result = original(*args, **kwargs)
        with open(_WORKER_LOG, "a", encoding="utf-8") as log:
            log.write(f"{name} {time.process_time() - cpu:.6f}\n")
        return result

    timed.__name__ = timed.__qualname__ = name
    timed.__module__ = module.__name__  # type: ignore[attr-defined]
    setattr(module, name, timed)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    started = time.perf_counter()
    os.chdir(argv[0])
    _time_in_parent(engine, "load_pages", "read and parse (parent's wait included)")
    _time_in_parent(nlp, "get_nlp", "load spaCy")
    _time_in_parent(site.Site, "__init__", "build the site (resolve links)")
    _time_in_parent(engine._PageRules, "run_all", "run the rules (parent's wait included)")
    _time_in_parent(output, "render", "print the report")
    _time_in_workers(loading, "_parse_many")
    _time_in_workers(engine, "_run_chunk")
    try:
        cli.main(["check", *argv[1:]])
    except SystemExit:
        pass
    workers: dict[str, float] = {}
    if _WORKER_LOG.exists():
        for line in _WORKER_LOG.read_text(encoding="utf-8").splitlines():
            name, seconds = line.split()
            workers[name] = workers.get(name, 0.0) + float(seconds)
        _WORKER_LOG.unlink()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = sys.stderr
    print(f"\n{'phase (parent)':45} {'wall s':>8} {'CPU s':>8}", file=out)
    for label, (wall, cpu) in _PARENT.items():
        print(f"{label:45} {wall:8.2f} {cpu:8.2f}", file=out)
    for name, label in (("_parse_many", "parse in workers"), ("_run_chunk", "rules in workers")):
        if name in workers:
            print(f"{label:45} {'':8} {workers[name]:8.2f}", file=out)
    print(f"{'whole run':45} {time.perf_counter() - started:8.2f} {own.ru_utime + own.ru_stime:8.2f}", file=out)
    print(f"{'worker processes (system count)':45} {'':8} {children.ru_utime + children.ru_stime:8.2f}", file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
