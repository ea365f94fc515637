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

Each phase also gets its minor page faults and system time: while a forked
worker lives, the first write to each page the two processes share (and
reading a Python object writes its reference count) copies the page, a few
microseconds each. At 10,000 posts the rules' phase took 100,000 of them in
the parent and 63,000 in the worker against 23,000 in one process: about
0.45 s more system time, half of what two processes spend on the rules
beyond what one does.
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
# As the command does before anything imports NumPy (``linklint.cli.run``):
# OpenBLAS's threads would add their CPU to the phases and take a core.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import linklint.cli as cli  # noqa: E402
import linklint.engine as engine  # noqa: E402
import linklint.loading as loading  # noqa: E402
import linklint.nlp as nlp  # noqa: E402
import linklint.output as output  # noqa: E402
import linklint.site as site  # noqa: E402

_PARENT: dict[str, list[float]] = {}
# Worker processes append "function cpu-seconds" lines here.
_WORKER_LOG = Path(tempfile.gettempdir()) / f"linklint-phases-{os.getpid()}.log"


def _faults_since(before: resource.struct_rusage) -> tuple[int, float]:
    """The minor page faults and system time of this process since ``before``."""
    after = resource.getrusage(resource.RUSAGE_SELF)
    return after.ru_minflt - before.ru_minflt, after.ru_stime - before.ru_stime


def _time_in_parent(owner: object, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        wall, cpu, before = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF)
        try:
            return original(*args, **kwargs)
        finally:
            faults, system = _faults_since(before)
            spent = _PARENT.setdefault(label, [0.0, 0.0, 0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.process_time() - cpu
            spent[2] += faults
            spent[3] += system

    setattr(owner, name, timed)


def _time_in_workers(module: object, name: str) -> None:
    """Wrap a module-level function that worker processes run: the pool
    pickles it by name, so the wrapper takes the function's place."""
    original = getattr(module, name)

    def timed(*args, **kwargs):
        cpu, before = time.process_time(), resource.getrusage(resource.RUSAGE_SELF)
        result = original(*args, **kwargs)
        faults, system = _faults_since(before)
        with open(_WORKER_LOG, "a", encoding="utf-8") as log:
            log.write(f"{name} {time.process_time() - cpu:.6f} {faults} {system:.6f}\n")
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
    workers: dict[str, list[float]] = {}
    if _WORKER_LOG.exists():
        for line in _WORKER_LOG.read_text(encoding="utf-8").splitlines():
            name, seconds, faults, system = line.split()
            spent = workers.setdefault(name, [0.0, 0, 0.0])
            spent[0] += float(seconds)
            spent[1] += int(faults)
            spent[2] += float(system)
        _WORKER_LOG.unlink()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = sys.stderr
    print(f"\n{'phase (parent)':45} {'wall s':>8} {'CPU s':>8} {'faults':>9} {'sys s':>7}", file=out)
    for label, (wall, cpu, faults, system) in _PARENT.items():
        print(f"{label:45} {wall:8.2f} {cpu:8.2f} {faults:9d} {system:7.2f}", file=out)
    for name, label in (("_parse_many", "parse in workers"), ("_run_chunk", "rules in workers")):
        if name in workers:
            cpu, faults, system = workers[name]
            print(f"{label:45} {'':8} {cpu:8.2f} {int(faults):9d} {system:7.2f}", file=out)
    print(f"{'whole run':45} {time.perf_counter() - started:8.2f} {own.ru_utime + own.ru_stime:8.2f} {own.ru_minflt:9d} {own.ru_stime:7.2f}", file=out)
    print(f"{'worker processes (system count)':45} {'':8} {children.ru_utime + children.ru_stime:8.2f} {children.ru_minflt:9d} {children.ru_stime:7.2f}", file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
