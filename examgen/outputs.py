"""Every file one build writes, named and rendered in memory before anything is written.

Many variants render on all cores: the documents are independent, and reportlab is pure
Python, so processes are what scales. They are forked when a build starts (``Workers``)
and import reportlab and read the fonts while the parent loads the bank and solves; the
exams go with every task, pickled once, and each worker unpickles them once.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import re
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .manifest import ManifestJSON, dumps
from .model import Exam

if TYPE_CHECKING:  # reportlab and PDFium are imported only by builds that draw
    from .render.layout import Layout
    from .sheet import SheetPlan

_KINDS = ("exam", "key")
_PARALLEL_FROM = 2  # documents: an exam and its key already gain from two workers
# What a task needs besides its name: exams, layout, header, paper and the answer sheets.
_Job = tuple[list[Exam], "Layout", dict[str, Any], str, "SheetPlan | None"]
_job: _Job | None = None  # in a worker: the last job it was sent, by its number
_job_number = 0


class Workers:
    """Processes that render, forked as a build starts so that reportlab's import and the
    fonts (0.1 to 0.2 s) happen on the second core while the parent solves; none where
    the system cannot fork or has one core, and then everything renders in-process.

    Used as a context manager: the workers end with the build, however it ends.
    """

    def __init__(self, drawing: bool) -> None:
        self.pool: Any = None
        self.drawing = drawing
        self.count = min(os.cpu_count() or 1, 8)

    def __enter__(self) -> Workers:
        # a build that draws has an exam and a key at least
        if self.drawing and self.count > 1 and _can_fork() and _PARALLEL_FROM <= 2:
            gc.freeze()  # the workers' collections leave the inherited objects alone
            try:
                self.pool = multiprocessing.get_context("fork").Pool(self.count, warm_up)
            finally:
                gc.unfreeze()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def warm_up() -> None:
    """What every task of a worker needs first: reportlab, the templates' engine, and
    the two faces every document prints in."""
    from .render import pdf  # noqa: F401  # imports reportlab and the page's modules
    from .render.fonts import read_now, register_fonts
    from .render.layout import load_layout  # noqa: F401  # imports Jinja2

    sans, _ = register_fonts()
    read_now(sans, f"{sans}-10")


# Every PDF name pdf_name can give: what a later build into the same folder may replace.
PDF_NAME = re.compile(r"(exam|key)(-f[0-9]+)?(-[A-Z]+)?\.pdf|sheets\.pdf|exam-all\.pdf"
                      r"|key-overview\.pdf")
MANIFEST = "exam.json"
SHEETS = "sheets.pdf"
# With several variants or forms: every exam in one file for the print shop, and the
# answers of every variant side by side for the graders.
ALL_EXAMS, KEY_OVERVIEW = "exam-all.pdf", "key-overview.pdf"


def pdf_name(kind: str, exam: Exam, variant: str) -> str:
    """exam.pdf, exam-B.pdf, exam-f2.pdf or exam-f2-B.pdf (likewise key...)."""
    parts = [kind]
    if exam.name:
        parts.append(f"f{exam.name}")
    if len(exam.variants) > 1:
        parts.append(variant)
    return "-".join(parts) + ".pdf"


def render_outputs(exams: list[Exam], manifest: ManifestJSON, layout: Layout | None,
                   paper: str, sheets: SheetPlan | None,
                   workers: Workers) -> dict[str, bytes | str]:
    """exam.json and, unless ``layout`` is None, an exam and a key PDF per variant, and
    with ``sheets`` the answer sheets of every copy (sheets.pdf); on ``workers`` when
    they could be forked, else here.

    The manifest lists the files it belongs with (``files``).
    """
    documents = [] if layout is None else [
        (kind, e, v) for e, exam in enumerate(exams) for v in range(len(exam.variants))
        for kind in _KINDS]
    names = [pdf_name(kind, exams[e], exams[e].variants[v].name) for kind, e, v in documents]
    several = len(documents) > 2
    if several:
        names += [ALL_EXAMS, KEY_OVERVIEW]
    if sheets is not None and layout is not None:
        names.append(SHEETS)
    if sheets is not None:
        manifest = {**manifest, "sheets": sheets.to_json()}
    files: dict[str, bytes | str] = {MANIFEST: dumps({**manifest, "files": [MANIFEST, *names]})}
    if layout is None:
        return files
    # The documents about every variant first: each is longer than one variant's.
    tasks = [*([(KEY_OVERVIEW, 0, 0)] if several else []),
             *([(SHEETS, 0, 0)] if sheets is not None else []), *documents]
    job = (exams, layout, manifest.get("header", {}), paper, sheets)
    rendered = dict(zip(tasks, _render_all(tasks, job, workers), strict=True))
    if sheets is not None:
        files[SHEETS] = rendered[(SHEETS, 0, 0)]
    files.update(zip(names, [rendered[task] for task in documents], strict=False))
    if several:
        from .render.merge import duplex

        files[ALL_EXAMS] = duplex([rendered[task] for task in documents if task[0] == "exam"])
        files[KEY_OVERVIEW] = rendered[(KEY_OVERVIEW, 0, 0)]
    return files


def _render_all(tasks: list[tuple[str, int, int]], job: _Job,
                workers: Workers) -> list[bytes]:
    """Every task's PDF: on the workers when there are several tasks, each worker reading
    the pickled job once; else here."""
    global _job, _job_number
    if workers.pool is None or len(tasks) < _PARALLEL_FROM:
        _job = job
        try:
            return [_render(task) for task in tasks]
        finally:
            _job = None
    _job_number += 1
    exams, layout, header, paper, sheets = job  # a layout travels as what loads it again
    sent = pickle.dumps((exams, layout.name, header, paper, sheets),
                        protocol=pickle.HIGHEST_PROTOCOL)
    items = [(_job_number, sent, task) for task in tasks]
    pending = workers.pool.map_async(_render_sent, items,
                                     chunksize=max(1, len(tasks) // workers.count // 4))
    if sum(kind == "exam" for kind, _, _ in tasks) > 1:  # exam-all.pdf follows
        from .render import merge  # noqa: F401  # PDFium loads while they draw
    documents: list[bytes] = pending.get()
    return documents


def _render_sent(item: tuple[int, bytes, tuple[str, int, int]]) -> bytes:
    """A task on a worker: the job unpickled when it is a new one."""
    global _job, _job_number
    number, sent, task = item
    if number != _job_number or _job is None:
        from .render.layout import load_layout

        exams, layout, header, paper, sheets = pickle.loads(sent)
        _job = (exams, load_layout(layout, paper), header, paper, sheets)
        _job_number = number
    return _render(task)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _render(task: tuple[str, int, int]) -> bytes:
    kind, e, v = task
    assert _job is not None, "set by _render_all, or sent to the worker with the task"
    exams, layout, header, paper, sheets = _job
    from .render.pdf import render_exam, render_key, render_key_overview

    if kind == KEY_OVERVIEW:
        return render_key_overview(exams, layout, header, paper)
    if kind == SHEETS:
        from .render.sheet import render_sheets

        assert sheets is not None, "a sheets task only with a plan of sheets"
        return render_sheets(list(sheets.copies), sheets.layouts, exams, layout, header, paper,
                             sheets.exam, sheets.scoring)
    exam = exams[e]
    render = render_exam if kind == "exam" else render_key
    return render(exam, exam.variants[v], layout, header, paper)
