"""Tasks shared between this process and forked workers (linklint.workshare)."""

from __future__ import annotations

import os
import sys
import time

import pytest

from linklint import workshare
from linklint.workshare import share

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="workers are forked")


def doubled_there(task: int) -> tuple[int, int]:
    """A worker's answer: its process id and the result."""
    time.sleep(0.002)
    return os.getpid(), task * 2


def slow_there(task: int) -> tuple[int, int]:
    time.sleep(0.5)
    return os.getpid(), task * 2


def failing_there(task: int) -> tuple[int, int]:
    raise ValueError(f"task {task} failed in a worker")


def slow_here(task: int) -> int:
    time.sleep(0.02)  # long enough for the pool to queue its first tasks
    return task * 2


def test_results_come_in_task_order_from_both_processes() -> None:
    ran_where: list[str] = []

    def here(task: int) -> int:
        ran_where.append("here")
        time.sleep(0.002)
        return task * 2

    def receive(answer: tuple[int, int]) -> int:
        pid, result = answer
        assert pid != os.getpid()
        ran_where.append("there")
        return result

    seen: list[int] = []
    results = share(list(range(60)), 2, here=here, there=doubled_there, receive=receive, done=seen.append)
    assert results == [task * 2 for task in range(60)]
    assert sorted(seen) == results  # each result reported once, as it came
    assert ran_where.count("there") >= 1 and ran_where.count("here") >= 1
    assert len(ran_where) == 60


def test_a_long_task_here_does_not_leave_the_worker_waiting() -> None:
    """While this process is busy with one long task (loading the language
    pipeline), the worker goes on through the queue: it is not held to a
    backlog of a few tasks that runs dry."""
    ran_here: list[int] = []

    def here(task: int) -> int:
        ran_here.append(task)
        time.sleep(1.5 if len(ran_here) == 1 else 0.01)
        return task * 2

    results = share(list(range(20)), 2, here=here, there=doubled_there, receive=lambda answer: answer[1])
    assert results == [task * 2 for task in range(20)]
    # 19 tasks of 2 ms take the worker a fraction of the 1.5 s (a slow start
    # may leave it one). With a backlog of four, this process ran four.
    assert len(ran_here) <= 2


def test_tasks_are_done_in_their_order() -> None:
    """Both processes take the first task nobody has started: the run ends on
    the last tasks (the smallest, as parsing tasks are sorted)."""
    started: list[int] = []

    def here(task: int) -> int:
        started.append(task)
        time.sleep(0.002)
        return task * 2

    def receive(answer: tuple[int, int]) -> int:
        return answer[1]

    results = share(list(range(200)), 2, here=here, there=doubled_there, receive=receive)
    assert results == [task * 2 for task in range(200)]
    # What this process took is in order, and the worker's tasks sit between
    # them: never a task of this process's after the last one the pool had.
    assert started == sorted(started) and 1 <= len(started) < 200


def test_from_end_this_process_takes_the_last_tasks_and_the_worker_the_first() -> None:
    """With ``from_end`` the two processes meet: the worker does a run of the
    first tasks, this process a run of the last ones, from the end back."""
    started: list[int] = []
    theirs: list[int] = []
    reported: list[int] = []

    def here(task: int) -> int:
        started.append(task)
        time.sleep(0.002)
        return task * 2

    def receive(answer: tuple[int, int]) -> int:
        pid, result = answer
        assert pid != os.getpid()
        theirs.append(result // 2)
        return result

    results = share(list(range(200)), 2, here=here, there=doubled_there, receive=receive, done=reported.append, from_end=True)
    assert results == [task * 2 for task in range(200)]
    assert 1 <= len(started) < 200 and theirs
    assert started == list(range(199, 199 - len(started), -1))  # the last ones, from the end back
    assert theirs == list(range(200 - len(started)))  # all the others, taken in in order
    assert sorted(reported) == results  # each result reported once


@pytest.mark.parametrize("from_end", [False, True])
def test_with_two_workers_every_task_is_done_once(from_end: bool) -> None:
    """Two workers answer out of order; each answer is taken in once, and
    this process's tasks are still the last ones with ``from_end``."""
    started: list[int] = []
    pids: set[int] = set()

    def here(task: int) -> int:
        started.append(task)
        time.sleep(0.003)
        return task * 2

    def receive(answer: tuple[int, int]) -> int:
        pids.add(answer[0])
        return answer[1]

    reported: list[int] = []
    results = share(list(range(150)), 3, here=here, there=doubled_there, receive=receive, done=reported.append, from_end=from_end)
    assert results == [task * 2 for task in range(150)]
    assert sorted(reported) == results
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    if from_end:
        assert started == list(range(149, 149 - len(started), -1))


def test_from_end_a_worker_that_did_everything_leaves_nothing_here() -> None:
    """Busy with ``first`` while the worker did every task, this process
    finds the last task done and takes none."""
    ran_here: list[int] = []

    def first() -> None:
        time.sleep(1.0)

    def here(task: int) -> int:
        ran_here.append(task)
        return task * 2

    results = share(list(range(10)), 2, here=here, there=doubled_there, receive=lambda a: a[1], first=first, from_end=True)
    assert results == [task * 2 for task in range(10)]
    assert ran_here == []


def test_from_end_what_workers_learn_and_failures_reach_this_process(monkeypatch) -> None:
    import linklint.workshare as workshare

    heard: list[int] = []
    monkeypatch.setattr(workshare, "_NEWS", [(_take, heard.extend)])
    worker_tasks: list[int] = []

    def receive(answer: tuple[int, int]) -> int:
        worker_tasks.append(answer[1] // 2)
        return answer[1]

    results = share(list(range(40)), 2, here=slow_here, there=learning_there, receive=receive, from_end=True)
    assert results == [n * 2 for n in range(40)]
    assert worker_tasks and sorted(heard) == worker_tasks
    with pytest.raises(ValueError, match="task 0 failed in a worker"):
        share(list(range(10)), 2, here=slow_here, there=failing_there, receive=lambda a: a[1], from_end=True)

    def failing_here(task: int) -> int:
        raise KeyError(task)

    with pytest.raises(KeyError) as raised:
        share(list(range(10)), 2, here=failing_here, there=doubled_there, receive=lambda a: a[1], from_end=True)
    assert raised.value.args == (9,)  # the last task, the first one this process takes


def test_tasks_a_worker_has_not_started_are_taken_back_at_the_end() -> None:
    """A slow worker keeps the tasks it has started or that the pool passed
    to it (one running, two queued); this process does all the others rather
    than wait."""
    answers: list[int] = []

    def receive(answer: tuple[int, int]) -> int:
        answers.append(answer[1])
        return answer[1]

    results = share(list(range(20)), 2, here=slow_here, there=slow_there, receive=receive)
    assert results == [task * 2 for task in range(20)]
    assert 1 <= len(answers) <= 3


def test_one_process_runs_everything_here_without_a_pool(monkeypatch) -> None:
    import linklint.workshare as workshare

    monkeypatch.setattr(workshare, "_Workers", None)  # would fail if used
    assert share([1, 2, 3], 1, here=lambda t: t + 1, there=doubled_there, receive=None) == [2, 3, 4]
    assert share([5], 2, here=lambda t: t + 1, there=doubled_there, receive=None) == [6]
    assert share([], 2, here=lambda t: t + 1, there=doubled_there, receive=None) == []
    # Where workers cannot start as copies of this process, everything runs here.
    monkeypatch.setattr(workshare, "can_fork", lambda: False)
    assert share([1, 2, 3], 2, here=lambda t: t + 1, there=doubled_there, receive=None) == [2, 3, 4]


@pytest.mark.parametrize("processes", [1, 2])
def test_first_is_done_here_once_before_this_process_takes_a_task(processes: int) -> None:
    events: list[str] = []

    def first() -> None:
        time.sleep(0.1)  # the worker starts on the tasks meanwhile
        events.append("first")

    def here(task: int) -> int:
        events.append(f"here {task}")
        return task * 2

    results = share(list(range(20)), processes, here=here, there=doubled_there, receive=lambda answer: answer[1], first=first)
    assert results == [task * 2 for task in range(20)]
    assert events[0] == "first" and events.count("first") == 1
    if processes == 1:
        assert events[1:] == [f"here {task}" for task in range(20)]
    else:
        # The worker took the first tasks while this process was busy.
        assert "here 0" not in events


def test_a_failure_in_a_worker_or_here_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match=r"task \d+ failed in a worker"):
        share(list(range(10)), 2, here=slow_here, there=failing_there, receive=lambda a: a[1])

    def here(task: int) -> int:
        raise KeyError(task)

    with pytest.raises(KeyError):
        share(list(range(10)), 2, here=here, there=doubled_there, receive=lambda a: a[1])


def counted_there(task: tuple[str, int]) -> tuple[int, int]:
    path, number = task
    with open(path, "a") as log:
        log.write(f"{number}\n")
    time.sleep(0.05)
    return os.getpid(), number


def test_after_a_failure_here_the_queued_tasks_are_not_run(tmp_path) -> None:
    """Every task is queued for the worker from the start; an error here
    cancels them instead of waiting while the worker runs them all."""
    log = tmp_path / "ran"
    log.touch()

    def here(task: tuple[str, int]) -> int:
        time.sleep(0.1)
        raise KeyError(task[1])

    with pytest.raises(KeyError):
        share([(str(log), n) for n in range(100)], 2, here=here, there=counted_there, receive=lambda a: a[1])
    ran = log.read_text().split()
    assert 1 <= len(ran) <= 10  # started before the error, or already passed to it


# What a worker learned: the tasks it ran, handed over as news.
_LEARNED_HERE: list[int] = []


def learning_there(task: int) -> tuple[int, int]:
    _LEARNED_HERE.append(task)
    return doubled_there(task)


def _take() -> list[int]:
    taken = list(_LEARNED_HERE)
    _LEARNED_HERE.clear()
    return taken


def test_what_workers_learn_reaches_this_process(monkeypatch) -> None:
    import linklint.workshare as workshare

    heard: list[int] = []
    monkeypatch.setattr(workshare, "_NEWS", [(_take, heard.extend)])
    worker_tasks: list[int] = []

    def receive(answer: tuple[int, int]) -> int:
        pid, result = answer
        assert pid != os.getpid()
        worker_tasks.append(result // 2)
        return result

    results = share(list(range(40)), 2, here=slow_here, there=learning_there, receive=receive)
    assert results == [n * 2 for n in range(40)]
    assert worker_tasks and sorted(heard) == sorted(worker_tasks)


def big_answer(task: int) -> bytes:
    time.sleep(0.2)  # the pipe is looked at before it is closed
    return bytes(600_000)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are set on Linux")
def test_a_worker_writes_a_parsing_tasks_answer_without_waiting_for_it_to_be_read() -> None:
    """The pipe of a worker's answers holds a few hundred kilobytes (64 KiB
    by default): the worker goes on to its next task at once."""
    import fcntl

    from linklint.workshare import ANSWER_PIPE_BYTES, _Workers

    with open("/proc/sys/fs/pipe-max-size") as limit:
        if int(limit.read()) < ANSWER_PIPE_BYTES:
            pytest.skip("this system's pipes cannot grow that much")
    with _Workers(1, [0, 1], big_answer) as workers:
        assert fcntl.fcntl(workers.pipes[0], fcntl.F_GETPIPE_SZ) == ANSWER_PIPE_BYTES
        assert workers.answer(0, wait=True)[0] == bytes(600_000)
        assert workers.answer(1, wait=True)[0] == bytes(600_000)


def timed_big_answer(task: int) -> tuple[float, int, bytes]:
    """A worker's answer of 600 KB, with when it was ready."""
    return time.monotonic(), os.getpid(), bytes(600_000)


def test_a_worker_goes_on_while_this_process_is_busy_and_its_pipe_is_full() -> None:
    """Twelve answers of 600 KB (seven times what the pipe holds) while this
    process spends its only task asleep, reading nothing: the worker does
    every other task meanwhile, keeping what the pipe has no room for, and
    every answer arrives whole."""
    slept_until: list[float] = []

    def here(task: int) -> tuple[float, int, bytes]:
        time.sleep(1.5)
        slept_until.append(time.monotonic())
        return time.monotonic(), os.getpid(), bytes(600_000)

    results = share(list(range(13)), 2, here=here, there=timed_big_answer, receive=lambda answer: answer)
    assert len(slept_until) == 1  # the worker took the other twelve
    answered = [ready for ready, pid, data in results if pid != os.getpid()]
    assert len(answered) == 12
    assert max(answered) < slept_until[0]
    assert all(data == bytes(600_000) for _, _, data in results)


def _no_child_left() -> bool:
    """No worker is left once those that gave every answer have ended (they
    are reaped without being waited for, see ``workshare._ENDING``)."""
    workshare.reap_ended(wait=True)
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_workers_are_copies_that_need_nothing_pickled_and_all_end() -> None:
    """A worker runs what it inherited (a closure, a task that does not
    pickle); when ``share`` returns every worker has given its last answer
    and is ending (reaped once ended), and after an error every worker has
    been stopped and reaped."""
    lock = __import__("threading").Lock()  # not picklable
    tasks = [(n, lock) for n in range(30)]
    pids = set()

    def there(task):
        time.sleep(0.002)
        return os.getpid(), task[0] * 3

    def receive(answer):
        pids.add(answer[0])
        return answer[1]

    results = share(tasks, 3, here=lambda task: task[0] * 3, there=there, receive=receive)
    assert results == [n * 3 for n in range(30)]
    assert len(pids) <= 2 and len(workshare._ENDING) <= 2  # those not reaped yet (ended ones are)
    workshare.reap_ended(wait=True)
    assert workshare._ENDING == [] and _no_child_left()
    with pytest.raises(ValueError):
        share(list(range(10)), 2, here=slow_here, there=failing_there, receive=lambda a: a[1])
    assert _no_child_left()


def test_share_returns_without_waiting_for_its_workers_to_end(monkeypatch) -> None:
    """A worker that has given every answer is not waited for while it ends
    (at 10,000 posts a rule worker took 20 ms giving back its memory): it is
    reaped by a later share once it has ended."""
    real_exit = os._exit

    def slow_exit(code: int) -> None:  # in the worker, after its last answer
        time.sleep(1.5)
        real_exit(code)

    monkeypatch.setattr(os, "_exit", slow_exit)
    started = time.monotonic()
    assert share(list(range(6)), 2, here=slow_here, there=doubled_there, receive=lambda a: a[1]) == [0, 2, 4, 6, 8, 10]
    assert time.monotonic() - started < 1.0
    (ending,) = workshare._ENDING
    assert os.waitpid(ending, os.WNOHANG) == (0, 0)  # still there
    monkeypatch.setattr(os, "_exit", real_exit)
    time.sleep(1.6)  # it has ended now
    assert share([1, 2], 2, here=slow_here, there=doubled_there, receive=lambda a: a[1]) == [2, 4]
    assert ending not in workshare._ENDING
    with pytest.raises(ChildProcessError):
        os.waitpid(ending, os.WNOHANG)  # reaped
    workshare.reap_ended(wait=True)
    assert _no_child_left()


def test_the_command_reaps_its_ending_workers_before_it_exits(monkeypatch) -> None:
    """Reaped, a worker's CPU time counts in the command's, where whoever
    timed the run looks for it."""
    from linklint import cli

    workshare.reap_ended(wait=True)
    parent = os.getpid()
    real_exit = os._exit

    def exit_(code: int) -> None:
        if os.getpid() == parent:
            raise SystemExit(code)
        time.sleep(0.5)  # a worker slow to end
        real_exit(code)

    ending = []

    def main() -> int:
        assert share(list(range(4)), 2, here=slow_here, there=doubled_there, receive=lambda a: a[1]) == [0, 2, 4, 6]
        ending.extend(workshare._ENDING)
        return 0

    monkeypatch.setattr(os, "_exit", exit_)
    monkeypatch.setattr(cli, "main", main)
    with pytest.raises(SystemExit):
        cli.run()
    assert len(ending) == 1 and workshare._ENDING == []
    with pytest.raises(ChildProcessError):
        os.waitpid(ending[0], os.WNOHANG)  # reaped


def test_a_worker_that_dies_stops_the_run_with_an_error_not_a_hang() -> None:
    from linklint.workshare import WorkerLost

    def dying(task: int) -> int:
        os._exit(7)

    started = time.monotonic()
    with pytest.raises(WorkerLost, match=r"ended before answering task \d \(exit code 7\)"):
        share(list(range(10)), 2, here=slow_here, there=dying, receive=lambda a: a)
    assert time.monotonic() - started < 10
    assert _no_child_left()


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def test_a_workers_error_comes_with_its_traceback() -> None:
    def failing(task: int) -> int:
        raise ValueError(f"bad task {task}")

    with pytest.raises(ValueError, match=r"bad task \d") as raised:
        share(list(range(4)), 2, here=slow_here, there=failing, receive=lambda a: a)
    assert any("In a worker process:" in note and "in failing" in note for note in raised.value.__notes__)

    def failing_oddly(task: int) -> int:
        raise _Unpicklable("odd")

    # An error that cannot be pickled is told as a RuntimeError with its traceback.
    with pytest.raises(RuntimeError, match="(?s)in a worker process: .*_Unpicklable: odd"):
        share(list(range(4)), 2, here=slow_here, there=failing_oddly, receive=lambda a: a)


def test_answers_larger_than_the_pipe_arrive_whole() -> None:
    def large(task: int) -> bytes:
        return bytes([task]) * 3_000_000

    results = share(list(range(6)), 2, here=lambda task: bytes([task]) * 3_000_000, there=large, receive=lambda a: a)
    assert results == [bytes([task]) * 3_000_000 for task in range(6)]


def test_a_check_whose_parsing_worker_is_killed_says_so_and_what_to_try(tmp_path, monkeypatch, capsys) -> None:
    """A worker stopped from outside (the system short of memory) is no bug
    of linklint's: the run says what happened and to try one process."""
    import linklint.loading as loading
    from linklint.cli import main

    for name in ("a", "b", "c", "d"):
        (tmp_path / f"{name}.md").write_text(f"# {name.upper()}\n\nSee [a](a.md).\n")
    monkeypatch.chdir(tmp_path)

    def killed(*args, **kwargs):
        os.kill(os.getpid(), 9)

    monkeypatch.setattr(loading, "_parse_many", killed)
    assert main(["check", "--no-cache", "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert "linklint: error: a worker process ended before answering task" in err
    assert "(exit code -9); the system may have stopped it (short of memory?): try --jobs 1" in err
    assert "internal error" not in err and "Traceback" not in err
    assert _no_child_left()
    assert main(["check", "--no-cache", "--jobs", "1"]) == 0


def _jittered(task: tuple[int, float]) -> tuple[int, int]:
    number, pause = task
    time.sleep(pause)
    return os.getpid(), number * 7


@pytest.mark.parametrize("processes", [2, 3])
@pytest.mark.parametrize("from_end", [False, True])
def test_tasks_of_uneven_length_are_each_done_once_in_every_mode(processes: int, from_end: bool) -> None:
    """Tasks of uneven length, taken by processes that finish at random
    moments: every result once, in task order, every answer reported once,
    nothing left running."""
    import random

    rng = random.Random(processes * 10 + from_end)
    for _ in range(3):
        tasks = [(number, rng.choice((0.0, 0.0, 0.0005, 0.002))) for number in range(rng.randint(2, 120))]
        reported: list[int] = []
        results = share(
            tasks,
            processes,
            here=lambda task: _jittered(task)[1],
            there=_jittered,
            receive=lambda answer: answer[1],
            done=reported.append,
            from_end=from_end,
        )
        assert results == [number * 7 for number, _ in tasks]
        assert sorted(reported) == results
        assert _no_child_left()
