"""Sharing a list of tasks between this process and forked workers.

With N jobs a run uses N - 1 worker processes and this one: the parent would
otherwise sit waiting on the workers, and its own share of the tasks costs no
pickling (what a worker sends back has to be packed there and unpacked here,
a tenth of the work it did). The workers are copies of this process
(``os.fork``) and have the tasks; which ones are taken is kept in memory the
processes share, so a worker is never handed a backlog and never waits for
the parent, however long the parent's own task is: each process takes the
next task when it is free.

By default tasks are done in order, by whichever process is free. With
``from_end`` the parent takes them from the last one back while the workers
go on from the first, until they meet: each process then works through a
run of neighbouring tasks rather than every other one, so what neighbouring
tasks have in common (the pages a folder's posts link to, worked out for
one page and kept for the next) is worked out once, not in both processes.
"""

from __future__ import annotations

import gc
import mmap
import os
import pickle
import select
import signal
import struct
import sys
from typing import Any, Callable, Sequence, TypeVar

from linklint.heap import frozen_until_done

__all__ = ["WorkerLost", "can_fork", "reap_ended", "share", "share_news"]

Task = TypeVar("Task")
Result = TypeVar("Result")

# What worker processes learn besides their results (words, normalised anchor
# texts) that this process should know too: ``(take, give)`` pairs, registered
# by the modules that learn (at import, so workers forked later have them).
# With every answer a worker sends ``take()`` of each; here it goes to ``give``.
_NEWS: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []


def share_news(take: Callable[[], Any], give: Callable[[Any], None]) -> None:
    """Have every worker task hand ``take()`` back to ``give`` in this process."""
    _NEWS.append((take, give))


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

    ``here(task)`` runs a task in this process; ``there(task)`` in a worker,
    and ``receive(what_it_returned)`` turns its answer into a result here
    (after the news it brings, see ``share_news``, went to their ``give``).
    ``done(result)`` is called in this process as each result comes in.
    ``first()`` is work only this process can do, done here before it takes
    a task: the workers start on the tasks meanwhile, so it costs the run
    about its share of the time instead of all of it. With ``from_end``
    this process takes its tasks from the last one back (see the module's
    docstring).
    ``processes`` counts this one: 1 runs everything here, without a
    worker, as does a system that cannot fork (the rule workers need the
    site they inherit).
    """
    if processes <= 1 or len(tasks) <= 1 or not can_fork():
        if first is not None:
            first()
        return [_finished(here(task), done) for task in tasks]
    with _Workers(processes - 1, tasks, there) as workers:
        return _share_with(workers, tasks, here, receive, done, first, from_end)


def _share_with(
    workers: _Workers,
    tasks: Sequence[Task],
    here: Callable[[Task], Result],
    receive: Callable[[object], Result],
    done: Callable[[Result], None] | None,
    first: Callable[[], None] | None = None,
    from_end: bool = False,
) -> list[Result]:
    results: list = [None] * len(tasks)
    done_here: set[int] = set()
    if first is not None:
        first()
    read = 0  # the workers' answers before this task have been taken in

    def take_in(up_to: int, wait: bool) -> None:
        """Take in the workers' answers to the tasks before ``up_to``, in
        order, as far as they are there (all of them, waiting, with ``wait``)."""
        nonlocal read
        while read < up_to:
            if read not in done_here:
                answer = workers.answer(read, wait)
                if answer is None:
                    return  # not there yet
                value, news = answer
                for (_, give), heard in zip(_NEWS, news):
                    give(heard)
                results[read] = _finished(receive(value), done)
            read += 1

    while True:
        index = workers.claim_last() if from_end else workers.claim_first()
        if index is None:
            break  # the workers have the rest
        done_here.add(index)
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
    return hasattr(os, "fork")


class WorkerLost(RuntimeError):
    """A worker process ended without answering a task it had taken."""


# Bytes the pipe of a worker's answers holds (Linux lets any process go up to
# 1 MiB, /proc/sys/fs/pipe-max-size). A parsing task's answer is a few hundred
# kilobytes: with the default 64 KiB most answers would be written in pieces,
# each waiting for this process to read the one before.
ANSWER_PIPE_BYTES = 1 << 20

# An answer's length, ahead of it in the pipe.
_LENGTH = struct.Struct("<Q")


class _Workers:
    """Worker processes started as copies of this one (``os.fork``): they
    have the imported modules and the data built so far (a site, for the
    rules) without importing or pickling them again, ``tasks`` among them.

    Which tasks are taken is two numbers in memory shared with the workers
    (the first task nobody took, and one past the last), changed under a
    lock: a worker takes the first, this process the first or the last. Only
    a task's number crosses between the processes. Each worker writes its
    answers, pickled, to a pipe of its own without ever waiting for it to
    be read (see ``_work``); this process reads the pipes between its own
    tasks, and waits on them only when it has none left.
    (A thread here used to read each answer as it came, taking the
    interpreter lock from this process's work in turns of half a
    millisecond, the switch interval lowered for the whole process to let
    it. Without it, runs take as long (paired rounds at 1,000 and 10,000
    posts), and the parsing worker of a 10,000-post run makes about half
    the page faults, 6,000 against 11,000.)
    (``concurrent.futures`` did more for each task: a queue and a thread to
    send it, a thread to read and unpickle each answer, a future to hand it
    over, and a thread to pickle it in the worker: 0.3 s of CPU around the
    560 rule tasks of a 10,000-post run.)"""

    def __init__(self, count: int, tasks: Sequence[Any], there: Callable[[Any], object]) -> None:
        self.count = count
        self.tasks = tasks
        self.there = there
        self._shared = mmap.mmap(-1, 16)  # shared with the processes forked from here
        self._numbers = memoryview(self._shared).cast("q")
        self._numbers[0], self._numbers[1] = 0, len(tasks)
        self._lock = _PipeLock()
        self.pids: list[int] = []
        self.pipes: list[int] = []  # the read ends, one per worker
        self._unread: dict[int, bytearray] = {}  # by pipe still open: read, not yet a whole answer
        self._arrived: dict[int, tuple[bool, Any]] = {}  # answers read before they are taken in
        self._frozen = frozen_until_done()

    def __enter__(self) -> _Workers:
        self._frozen.__enter__()
        gc.freeze()  # the workers share this process's objects without touching them
        try:
            for _ in range(self.count):
                self._start_one()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def _start_one(self) -> None:
        read_end, write_end = os.pipe()
        _widen(write_end)
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                os.close(read_end)
                for other in self.pipes:
                    os.close(other)
                self._work(write_end)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        os.set_blocking(read_end, False)
        self.pids.append(pid)
        self.pipes.append(read_end)
        self._unread[read_end] = bytearray()

    def _work(self, pipe: int) -> None:
        """A worker's life: the first task nobody took, until none is left.

        Each answer goes into the pipe as far as the pipe has room, and the
        worker goes on to its next task: what did not fit (this process
        reads only between its own tasks, and a task of a large page takes
        it a while) waits here and goes with the next answer. Only with no
        task left does the worker wait for the pipe to take the rest."""
        # Interrupted with this process (Ctrl-C reaches both), the worker
        # leaves it to this process to stop it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.set_blocking(pipe, False)
        unsent = bytearray()
        while True:
            index = self.claim_first()
            if index is None:
                break
            try:
                answer = (index, True, (self.there(self.tasks[index]), [take() for take, _ in _NEWS]))
                data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
            except BaseException as error:  # handed to the caller, as raised here
                data = pickle.dumps((index, False, _portable(error)), pickle.HIGHEST_PROTOCOL)
            unsent += _LENGTH.pack(len(data))
            unsent += data
            del data
            _send(pipe, unsent)
        os.set_blocking(pipe, True)
        _send(pipe, unsent)
        os.close(pipe)

    def claim_first(self) -> int | None:
        """Take the first task nobody has taken (None: there is none)."""
        numbers = self._numbers
        with self._lock:
            index = numbers[0]
            if index >= numbers[1]:
                return None
            numbers[0] = index + 1
            return index

    def claim_last(self) -> int | None:
        """Take the last task nobody has taken (None: there is none)."""
        numbers = self._numbers
        with self._lock:
            index = numbers[1] - 1
            if index < numbers[0]:
                return None
            numbers[1] = index
            return index

    def answer(self, index: int, wait: bool) -> tuple[Any, list] | None:
        """A worker's answer to task ``index`` (taken by a worker): its value
        and news, once it is there; None when it is not yet and ``wait`` is
        false. Raises what the task raised in the worker, or ``WorkerLost``."""
        arrived = self._arrived
        if index not in arrived:
            self._read_pipes()
        while index not in arrived:
            if not self._unread:
                self._lost(index)
            if not wait:
                return None
            self._wait_for_pipes()
            self._read_pipes()
        ok, value = arrived.pop(index)
        if not ok:
            raise value
        return value

    def _read_pipes(self) -> None:
        """Take in what the workers' pipes hold now, without waiting: each
        whole answer unpickled into ``_arrived``; a pipe closed (its worker
        ended) is read no more."""
        for pipe, unread in list(self._unread.items()):
            while True:
                try:
                    chunk = os.read(pipe, ANSWER_PIPE_BYTES)
                except BlockingIOError:
                    break
                if not chunk:
                    del self._unread[pipe]
                    break
                unread += chunk
            start = 0
            while len(unread) - start >= _LENGTH.size:
                end = start + _LENGTH.size + _LENGTH.unpack_from(unread, start)[0]
                if len(unread) < end:
                    break
                with memoryview(unread) as view:
                    number, ok, value = pickle.loads(view[start + _LENGTH.size : end])
                self._arrived[number] = (ok, value)
                start = end
            del unread[:start]

    def _wait_for_pipes(self) -> None:
        """Wait until a worker's pipe has something to read, or is closed."""
        waiting = select.poll()
        for pipe in self._unread:
            waiting.register(pipe, select.POLLIN)
        waiting.poll()

    def _lost(self, index: int) -> None:
        statuses = [_reap(pid) for pid in self.pids]
        self.pids = []
        codes = ", ".join(str(os.waitstatus_to_exitcode(status)) for status in statuses if status is not None)
        raise WorkerLost(f"a worker process ended before answering task {index} (exit code {codes or 'unknown'})")

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        try:
            if kind is not None:
                # Leave the workers nothing more to take, and stop them.
                with self._lock:
                    self._numbers[0] = self._numbers[1]
                for pid in self.pids:
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except OSError:
                        pass
                for pid in self.pids:
                    _reap(pid)
            else:
                # Every answer is in: the workers are ending. A process's end
                # (giving back the memory it copied: 20 ms at 10,000 posts) is
                # not waited for; it is reaped later (``reap_ended``).
                _ENDING.extend(self.pids)
            self.pids = []
            reap_ended()
            for pipe in self.pipes:
                os.close(pipe)
        finally:
            self._numbers.release()
            self._shared.close()
            self._lock.close()
            self._frozen.__exit__(kind, error, trace)


class _PipeLock:
    """A lock the processes forked from here share: a pipe holding one byte,
    taken to hold the lock and put back to let it go (two system calls; the
    ``multiprocessing`` lock took 7 ms of imports before the first fork)."""

    def __init__(self) -> None:
        self._take, self._give = os.pipe()
        os.write(self._give, b"x")

    def __enter__(self) -> None:
        os.read(self._take, 1)

    def __exit__(self, *exc: object) -> None:
        os.write(self._give, b"x")

    def close(self) -> None:
        os.close(self._take)
        os.close(self._give)


# Workers that gave every answer and are ending, not reaped yet.
_ENDING: list[int] = []


def reap_ended(wait: bool = False) -> None:
    """Reap the workers that gave every answer (``_ENDING``) and have ended
    since; with ``wait``, each of them once it has ended. Each share does
    so for those before it, and the command for all of them before it exits."""
    for pid in list(_ENDING):
        try:
            ended = os.waitpid(pid, 0 if wait else os.WNOHANG)[0] == pid
        except ChildProcessError:
            ended = True  # reaped elsewhere
        if ended:
            _ENDING.remove(pid)


def _reap(pid: int) -> int | None:
    """The wait status of a worker that has ended or is ending (None when it
    was reaped already)."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def _portable(error: BaseException) -> BaseException:
    """``error`` as it can cross to this process: itself when it pickles,
    with the worker's traceback as a note, else a RuntimeError telling it."""
    import traceback

    text = "".join(traceback.format_exception(error))
    if hasattr(error, "add_note"):  # Python 3.11
        error.add_note(f"In a worker process:\n{text}")
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"in a worker process: {text}")
    return error


def _send(pipe: int, unsent: bytearray) -> None:
    """Write the start of ``unsent`` to ``pipe`` and remove it from there:
    as much as a pipe that does not block takes now, or all of it."""
    while unsent:
        try:
            written = os.write(pipe, unsent)
        except BlockingIOError:
            return
        del unsent[:written]


def _widen(pipe: int) -> None:
    """Let a worker write an answer whole without waiting for it to be read.
    Best effort: where the pipe cannot grow (not Linux, a lower limit),
    answers wait as before."""
    try:
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, ANSWER_PIPE_BYTES)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        pass
