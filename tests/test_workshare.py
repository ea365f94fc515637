"""Tasks shared between this process and forked workers (linklint.workshare)."""

from __future__ import annotations

import os
import sys
import time

import pytest

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
    # The worker is handed its backlog before this process takes a task.
    assert ran_where.count("there") >= 5 and ran_where.count("here") >= 1
    assert len(ran_where) == 60


def test_tasks_a_worker_has_not_started_are_taken_back_at_the_end() -> None:
    """A slow worker keeps the tasks already queued for it (the pool queues
    two); this process does the rest of its backlog rather than wait."""
    answers: list[int] = []

    def receive(answer: tuple[int, int]) -> int:
        answers.append(answer[1])
        return answer[1]

    results = share(list(range(20)), 2, here=slow_here, there=slow_there, receive=receive)
    assert results == [task * 2 for task in range(20)]
    assert 2 <= len(answers) <= 3  # of the 5 handed to it


def test_one_process_runs_everything_here_without_a_pool(monkeypatch) -> None:
    import linklint.workshare as workshare

    monkeypatch.setattr(workshare, "forked_pool", None)  # would fail if used
    assert share([1, 2, 3], 1, here=lambda t: t + 1, there=doubled_there, receive=None) == [2, 3, 4]
    assert share([5], 2, here=lambda t: t + 1, there=doubled_there, receive=None) == [6]
    assert share([], 2, here=lambda t: t + 1, there=doubled_there, receive=None) == []
    # Where workers cannot start as copies of this process, everything runs here.
    monkeypatch.setattr(workshare, "can_fork", lambda: False)
    assert share([1, 2, 3], 2, here=lambda t: t + 1, there=doubled_there, receive=None) == [2, 3, 4]


def test_a_failure_in_a_worker_or_here_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="task 0 failed in a worker"):
        share(list(range(10)), 2, here=slow_here, there=failing_there, receive=lambda a: a[1])

    def here(task: int) -> int:
        raise KeyError(task)

    with pytest.raises(KeyError):
        share(list(range(10)), 2, here=here, there=doubled_there, receive=lambda a: a[1])
    assert sys.getswitchinterval() == pytest.approx(0.005)  # put back after a failure


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
