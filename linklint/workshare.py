"""Sharing a list of tasks between this process and forked workers.

With N jobs a run uses N - 1 worker processes and this one: the parent would
otherwise sit waiting on the workers, and its own share of the tasks costs no
pickling (what a worker sends back has to be packed there and unpacked here,
a tenth of the work it did). Every task is queued for the workers at the
start, and whenever the parent is free it takes back the first one no worker
has started. So a worker never waits for the parent, however long the
parent's own task is (its first one loads the language pipeline: half a
second and more, in which a worker with a short backlog ran dry).

By default tasks are done in order, by whichever process is free. With
``from_end`` the parent takes them from the last one back while the workers
go on from the first, until they meet: each process then works through a
run of neighbouring tasks rather than every other one, so what neighbouring
tasks have in common (the pages a folder's posts link to, worked out for
one page and kept for the next) is worked out once, not in both processes.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TypeVar

from linklint.heap import frozen_until_done

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["can_fork", "forked_pool", "share", "share_news"]

Task = TypeVar("Task")
Result = TypeVar("Result")

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
    first: Callable[[], None] | None = None,
    from_end: bool = False,
) -> list[Result]:
    """The result of every task, in the order of ``tasks``.

    ``here(task)`` runs a task in this process; ``there(task)`` in a worker (a
    module-level function, as the pool pickles it by name), and
    ``receive(what_it_returned)`` turns its answer into a result here (after
    the news it brings, see ``share_news``, went to their ``give``).
    ``done(result)`` is called in this process as each result comes in.
    ``first()`` is work only this process can do, done here before it takes
    a task: the workers start on the tasks meanwhile, so it costs the run
    about its share of the time instead of all of it. With ``from_end``
    this process takes its tasks from the last one back (see the module's
    docstring).
    ``processes`` counts this one: 1 runs everything here, without a pool,
    as does a system that cannot fork (the rule workers need the site they
    inherit).
    """
    if processes <= 1 or len(tasks) <= 1 or not can_fork():
        if first is not None:
            first()
        return [_finished(here(task), done) for task in tasks]
    interval = sys.getswitchinterval()
    # A worker's answer is read by a thread of this process, which needs the
    # interpreter lock while this one works; at the default switch interval
    # (5 ms) a worker blocked on a full pipe waits that long for each read.
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        with forked_pool(processes - 1) as pool:
            return _share_with(pool, tasks, here, there, receive, done, first, from_end)
    finally:
        sys.setswitchinterval(interval)


def _share_with(
    pool: ProcessPoolExecutor,
    tasks: Sequence[Task],
    here: Callable[[Task], Result],
    there: Callable[[Task], object],
    receive: Callable[[object], Result],
    done: Callable[[Result], None] | None,
    first: Callable[[], None] | None = None,
    from_end: bool = False,
) -> list[Result]:
    results: list = [None] * len(tasks)
    # The executor hands a worker the first queued task that is not cancelled;
    # this process cancels a task to take it. So the workers go through the
    # tasks in their order, and a task this process finds started has a worker
    # on it, as has every task before it.
    queued = [pool.submit(_there_with_news, there, task) for task in tasks]
    if first is not None:
        first()
    read = 0  # the workers' answers before this task have been taken in

    def take_in(up_to: int, wait: bool) -> None:
        """Take in the workers' answers to the tasks before ``up_to``, in
        order, as far as they are there (all of them, waiting, with ``wait``)."""
        nonlocal read
        while read < up_to:
            future = queued[read]
            if not future.cancelled():  # cancelled: done here
                if not (wait or future.done()):
                    return
                answer, news = future.result()
                for (_, give), heard in zip(_NEWS, news):
                    give(heard)
                results[read] = _finished(receive(answer), done)
            read += 1

    mine = range(len(tasks) - 1, -1, -1) if from_end else range(len(tasks))
    for index in mine:
        if not queued[index].cancel():
            if from_end:
                break  # the workers came this far: the tasks before are theirs
            continue  # a worker has it
        results[index] = _finished(here(tasks[index]), done)
        take_in(index if from_end else len(tasks), wait=False)
    take_in(len(tasks), wait=True)
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
            _widen_answer_pipe(pool)
            try:
                yield pool
            except BaseException:
                # Every task is queued from the start: do not run them all
                # before the error gets out.
                pool.shutdown(cancel_futures=True)
                raise


# Bytes the pipe of the workers' answers holds (Linux lets any process go up to
# 1 MiB, /proc/sys/fs/pipe-max-size). A parsing task's answer is a few hundred
# kilobytes: with the default 64 KiB the worker waited, after each task, for
# this process's reading thread to get the interpreter lock once per 64 KiB,
# 5 ms a task and 0.7 s of a 10,000-post run.
ANSWER_PIPE_BYTES = 1 << 20


def _widen_answer_pipe(pool: ProcessPoolExecutor) -> None:
    """Let the workers write an answer whole without waiting for it to be
    read. Best effort: where the pipe cannot grow (not Linux, a lower limit)
    or the executor keeps it elsewhere, answers wait as before."""
    try:
        import fcntl

        fcntl.fcntl(pool._result_queue._writer.fileno(), fcntl.F_SETPIPE_SZ, ANSWER_PIPE_BYTES)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        pass
