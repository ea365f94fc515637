"""Sharing a list of tasks between this process and forked workers.

With N jobs a run uses N - 1 worker processes and this one: the parent would
otherwise sit waiting on the workers, and its own share of the tasks costs no
pickling (what a worker sends back has to be packed there and unpacked here,
a tenth of the work it did). Tasks are handed out in order, to whichever
process is free: the parent takes the next one whenever it finishes one,
and each worker is kept a short backlog so it never waits for the parent.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, TypeVar

from linklint.heap import frozen_until_done

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["can_fork", "forked_pool", "share", "share_news"]

Task = TypeVar("Task")
Result = TypeVar("Result")

# Tasks queued per worker beyond the one it runs: enough that it finds the
# next one ready while the parent is busy with its own (tasks no worker has
# started are taken back at the end, so a longer queue costs no balance).
BACKLOG = 4
# Seconds a thread may hold the interpreter lock while another waits for it.
SWITCH_INTERVAL = 0.0005


# What worker processes learn besides their results (words, normalised anchor
# texts) that this process should know too: ``(take, give)`` pairs, registered
# by the modules that learn (at import, so workers forked later have them).
# With every answer a worker sends ``take()`` of each; here it goes to ``give``.
_NEWS: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []


def share_news(take: Callable[[], Any], give: Callable[[Any], None]) -> None:
    """Have every worker task hand ``take()`` back to ``give`` in this process."""
    _NEWS.append((take, give))


def _there_with_news(there: Callable[[Task], object], task: Task) -> tuple[object, list]:
    return there(task), [take() for take, _ in _NEWS]


def share(
    tasks: Sequence[Task],
    processes: int,
    *,
    here: Callable[[Task], Result],
    there: Callable[[Task], object],
    receive: Callable[[object], Result],
    done: Callable[[Result], None] | None = None,
) -> list[Result]:
    """The result of every task, in the order of ``tasks``.

    ``here(task)`` runs a task in this process; ``there(task)`` in a worker (a
    module-level function, as the pool pickles it by name), and
    ``receive(what_it_returned)`` turns its answer into a result here (after
    the news it brings, see ``share_news``, went to their ``give``).
    ``done(result)`` is called in this process as each result comes in.
    ``processes`` counts this one: 1 runs everything here, without a pool,
    as does a system that cannot fork (the rule workers need the site they
    inherit).
    """
    if processes <= 1 or len(tasks) <= 1 or not can_fork():
        return [_finished(here(task), done) for task in tasks]
    interval = sys.getswitchinterval()
    # A worker's answer is read by a thread of this process, which needs the
    # interpreter lock while this one works; at the default switch interval
    # (5 ms) a worker blocked on a full pipe waits that long for each read.
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        with forked_pool(processes - 1) as pool:
            return _share_with(pool, processes - 1, tasks, here, there, receive, done)
    finally:
        sys.setswitchinterval(interval)


def _share_with(
    pool: ProcessPoolExecutor,
    workers: int,
    tasks: Sequence[Task],
    here: Callable[[Task], Result],
    there: Callable[[Task], object],
    receive: Callable[[object], Result],
    done: Callable[[Result], None] | None,
) -> list[Result]:
    from concurrent.futures import FIRST_COMPLETED, wait

    results: list = [None] * len(tasks)
    handed = 0  # tasks handed to some process so far
    pending: dict[Future, int] = {}
    limit = workers * (1 + BACKLOG)

    def top_up() -> None:
        nonlocal handed
        while len(pending) < limit and handed < len(tasks):
            pending[pool.submit(_there_with_news, there, tasks[handed])] = handed
            handed += 1

    def collect(futures: Iterable[Future]) -> None:
        for future in futures:
            index = pending.pop(future)
            answer, news = future.result()
            for (_, give), heard in zip(_NEWS, news):
                give(heard)
            results[index] = _finished(receive(answer), done)

    top_up()
    while handed < len(tasks):
        index = handed
        handed += 1
        results[index] = _finished(here(tasks[index]), done)
        collect([f for f in pending if f.done()])
        top_up()
    # Every task is handed out. Take back, last first, those no worker has
    # started, rather than wait while a worker works through its backlog.
    for future in sorted(pending, key=pending.__getitem__, reverse=True):
        if future.cancel():
            index = pending.pop(future)
            results[index] = _finished(here(tasks[index]), done)
    while pending:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        collect(finished)
    return results


def _finished(result: Result, done: Callable[[Result], None] | None) -> Result:
    if done is not None:
        done(result)
    return result


def can_fork() -> bool:
    """Whether worker processes can start as copies of this one (not on
    Windows)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers start as copies of this process: they have
    the imported modules and the data built so far (a site, for the rules)
    without importing or pickling them again."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with frozen_until_done():
        gc.freeze()  # the children share the parent's objects without touching them
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield pool
