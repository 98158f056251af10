"""Every file one build writes, named and rendered in memory before anything is written.

Many variants render on all cores: the documents are independent, and reportlab is pure
Python, so processes (forked, sharing the loaded bank and layout) are what scales.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from typing import TYPE_CHECKING, Any

from .manifest import ManifestJSON, dumps
from .model import Exam

if TYPE_CHECKING:  # reportlab and PDFium are imported only by builds that draw
    from .render.layout import Layout
    from .sheet import SheetPlan

_KINDS = ("exam", "key")
_PARALLEL_FROM = 2  # documents: an exam and its key already gain from two workers
# What forked workers inherit: exams, layout, header, paper and the answer sheets.
_Job = tuple[list[Exam], "Layout", dict[str, Any], str, "SheetPlan | None"]
_job: _Job | None = None


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
                   paper: str = "a4", sheets: SheetPlan | None = None) -> dict[str, bytes | str]:
    """exam.json and, unless ``layout`` is None, an exam and a key PDF per variant, and
    with ``sheets`` the answer sheets of every copy (sheets.pdf).

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
    rendered = dict(zip(tasks, _render_all(tasks, (exams, layout, manifest.get("header", {}),
                                                   paper, sheets)), strict=True))
    if sheets is not None:
        files[SHEETS] = rendered[(SHEETS, 0, 0)]
    files.update(zip(names, [rendered[task] for task in documents], strict=False))
    if several:
        from .render.merge import duplex

        files[ALL_EXAMS] = duplex([rendered[task] for task in documents if task[0] == "exam"])
        files[KEY_OVERVIEW] = rendered[(KEY_OVERVIEW, 0, 0)]
    return files


def _render_all(tasks: list[tuple[str, int, int]], job: _Job) -> list[bytes]:
    """Every task's PDF, on forked workers when there are several: they inherit ``job``
    (and the page's styles) instead of receiving it."""
    global _job
    _job = job
    try:
        workers = min(os.cpu_count() or 1, 8, len(tasks))
        if len(tasks) < _PARALLEL_FROM or workers < 2 or not _can_fork():
            return [_render(task) for task in tasks]
        from .render.page import page_for

        page_for(job[1], job[3])  # styles made once, before the workers fork
        gc.freeze()  # the workers' collections leave the inherited objects (and pages) alone
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pending = pool.map_async(_render, tasks,
                                         chunksize=max(1, len(tasks) // workers // 4))
                if sum(kind == "exam" for kind, _, _ in tasks) > 1:  # exam-all.pdf follows
                    from .render import merge  # noqa: F401  # PDFium loads while they draw
                return pending.get()
        finally:
            gc.unfreeze()
    finally:
        _job = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _render(task: tuple[str, int, int]) -> bytes:
    kind, e, v = task
    assert _job is not None, "set by render_outputs before the workers start"
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
