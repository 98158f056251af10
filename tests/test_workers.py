"""The pool every part shares (rendering, reading scans): results in order, and a worker
that dies or cannot start ends the work with one line, never a hang or a respawn loop."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from examgen.core.workers import WorkerFailure, job, run_all


def _square_plus_job(n: int) -> int:
    return n * n + job()


def _die(n: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return n


PARENT = os.getpid()


def _refuse(given: object) -> None:
    """A start that works here and fails in every worker (a library that a worker
    cannot load)."""
    if os.getpid() != PARENT:
        raise OSError("cannot read the fonts")


def test_results_come_in_order_on_workers_and_here():
    items = list(range(40))
    expected = [n * n + 5 for n in items]
    assert run_all(_square_plus_job, items, "squaring", given=5, workers=2) == expected
    assert run_all(_square_plus_job, items, "squaring", given=5, workers=1) == expected
    assert multiprocessing.active_children() == []


def test_a_killed_worker_is_reported_not_waited_for():
    with pytest.raises(WorkerFailure, match="a worker process ended abruptly while reading "
                                            "the scans") as failure:
        run_all(_die, list(range(8)), "reading the scans", workers=2)
    assert failure.value.exit_code == 70
    assert multiprocessing.active_children() == []


def test_a_start_that_fails_is_reported_once_and_never_respawned():
    with pytest.raises(WorkerFailure) as failure:
        run_all(_square_plus_job, list(range(8)), "reading the scans", start=_refuse,
                given=0, workers=2)
    assert str(failure.value) == ("a worker process could not start (OSError: cannot read "
                                  "the fonts) while reading the scans; nothing was written")
    assert multiprocessing.active_children() == []


def _inner(n: int) -> str:
    return f"{job()}{n}"


def _outer(n: int) -> tuple[str, list[str], str]:
    before = job()
    inner = run_all(_inner, [n], "an inner run", given="inner", workers=1)
    return before, inner, job()


def test_a_run_inside_a_task_leaves_the_tasks_own_job_as_it_was():
    """with_drawn runs inside whatever calls it; an inner run here once reset the outer
    task's job to None for the tasks after it."""
    assert run_all(_outer, [1, 2], "an outer run", given="outer", workers=1) == [
        ("outer", ["inner1"], "outer"), ("outer", ["inner2"], "outer")]
