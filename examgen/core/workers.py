"""Independent pieces of work on all cores, with a pool that fails loudly.

reportlab and OpenCV are pure Python or hold the GIL in places, so processes are what
scales. ``concurrent.futures`` reports a worker that dies (killed, out of memory) as a
broken pool instead of waiting for it forever, and a pool whose initializer raised is
broken too, instead of starting new workers in a loop. Both end the command with one
line that names what failed (``WorkerFailure``, exit 70).

The task and the job a worker needs (the exams, the sheet plan) are handed to its
initializer, once per worker (inherited through fork, not pickled), never left in a
module global by the parent; only the items travel to the workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from examgen.core.errors import ExamgenError

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 8

_task: Callable[[Any], Any] = print  # in a worker: the task its initializer was given
_job: Any = None  # in a worker: what its initializer was given
_failed_start: str = ""  # in a worker: why its initializer failed, for every task to say


class WorkerFailure(ExamgenError):
    """A worker process died or could not start: examgen's failure, not the input's."""

    exit_code = 70


def worker_count(asked: int | None = None) -> int:
    """The workers to use: as asked, else one per core (at most ``MAX_WORKERS``)."""
    return asked or min(os.cpu_count() or 1, MAX_WORKERS)


def job() -> Any:
    """In a task: the job its worker's initializer was given."""
    return _job


def run_all(task: Callable[[T], R], items: Sequence[T], what: str, *,
            start: Callable[[Any], Any] | None = None, given: Any = None,
            workers: int | None = None, parallel_from: int = 2) -> list[R]:
    """``task`` of every item, in order: on worker processes when there are at least
    ``parallel_from`` items, more than one core and a system that can fork; else here.

    ``start(given)`` runs here first, so that the workers forked next inherit what it
    loads, and then in each worker, where its failure is reported; a task reads
    ``given`` with ``job()``. ``what`` names the work in the message of a failure
    ("rendering the PDFs").
    """
    global _job
    if start is not None:
        start(given)
    count = min(worker_count(workers), len(items))
    if count < 2 or len(items) < parallel_from or not _can_fork():
        outer, _job = _job, given  # a task of an outer run here keeps its own job
        try:
            return [task(item) for item in items]
        finally:
            _job = outer
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start, initargs=(task, start, given)) as pool:
            chunk = max(1, len(items) // count // 4)
            return list(pool.map(_call, items, chunksize=chunk))
    except BrokenProcessPool:
        raise WorkerFailure(f"a worker process ended abruptly while {what} (killed, or out "
                            "of memory?); nothing was written") from None
    except RuntimeError as exc:
        if str(exc).startswith(_START_FAILED):
            raise WorkerFailure(f"{exc} while {what}; nothing was written") from None
        raise


_START_FAILED = "a worker process could not start"


def _call(item: Any) -> Any:
    if _failed_start:
        raise RuntimeError(_failed_start)
    return _task(item)


def _start(task: Callable[[Any], Any], start: Callable[[Any], Any] | None,
           given: Any) -> None:
    """A worker's initializer: it never raises, so the pool is not broken by a start that
    failed; the failure is told by every task instead, in one line."""
    global _task, _job, _failed_start
    _task, _job = task, given
    if start is None:
        return
    try:
        start(given)
    except Exception as exc:  # noqa: BLE001 - reported by every task of this worker
        _failed_start = f"{_START_FAILED} ({type(exc).__name__}: {exc})"


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
