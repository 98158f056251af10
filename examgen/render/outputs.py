"""Every file one build writes, named and rendered in memory before anything is written.

Many variants render on all cores: the documents are independent, and reportlab is pure
Python, so processes are what scales (``core.workers``). This process imports reportlab
and reads the fonts before the workers are forked, so that they start with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from examgen.core.header import ExamHeader
from examgen.core.model import Exam
from examgen.core.workers import job, run_all
from examgen.select.manifest import ManifestJSON, dumps
from examgen.select.seating import SEATS_CSV, SEATS_PDF, has_seat_list, seats_csv

if TYPE_CHECKING:  # reportlab and PDFium are imported only by builds that draw
    from examgen.core.sheet_geometry import SheetPlan
    from examgen.render.exam import CoverPlace
    from examgen.render.layout import Layout

_KINDS = ("exam", "key")
_PARALLEL_FROM = 2  # documents: an exam and its key already gain from two workers
# Answer sheets drawn per task: a long sheets.pdf is drawn in parts on all workers.
_SHEETS_PER_TASK = 25


@dataclass(frozen=True)
class _Job:
    """What every rendering task needs besides its name."""

    exams: list[Exam]
    layout: Layout
    header: ExamHeader
    paper: str
    sheets: SheetPlan | None


def _ready(given: _Job) -> None:
    """What every task needs first: reportlab, the templates' engine, and the two faces
    every document prints in (read before forking, so the workers share them)."""
    from examgen.render import pdf  # noqa: F401  # imports reportlab and the page's modules
    from examgen.render.fonts import read_text_faces

    read_text_faces()


# Every PDF name pdf_name can give: what a later build into the same folder may replace.
PDF_NAME = re.compile(r"(exam|key)(-f[0-9]+)?(-[A-Z]+)?\.pdf|sheets\.pdf|exam-all\.pdf"
                      r"|key-overview\.pdf|seats\.pdf|exam-copies\.pdf")
MANIFEST = "exam.json"
SHEETS = "sheets.pdf"
# With several variants or forms: every exam in one file for the print shop, and the
# answers of every variant side by side for the graders.
ALL_EXAMS, KEY_OVERVIEW = "exam-all.pdf", "key-overview.pdf"
# With a class list or a seating plan: every copy's exam, its student on the cover.
NAMED_COPIES = "exam-copies.pdf"


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
                   workers: int | None = None) -> dict[str, bytes | str]:
    """exam.json and, unless ``layout`` is None, an exam and a key PDF per variant, and
    with ``sheets`` the answer sheets of every copy (sheets.pdf); on ``workers``
    processes (default: one per core).

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
    seated = sheets is not None and has_seat_list(sheets.copies)
    if seated and layout is not None:
        names.append(SEATS_PDF)
    named = sheets is not None and layout is not None and \
        any(c.student or c.seat for c in sheets.copies)
    if named:
        names.append(NAMED_COPIES)
    if sheets is not None:
        manifest = {**manifest, "sheets": sheets.to_json()}
    files: dict[str, bytes | str] = {MANIFEST: dumps({**manifest, "files": [MANIFEST, *names]})}
    if seated:
        assert sheets is not None
        files[SEATS_CSV] = seats_csv(sheets.copies)
    if layout is None:
        return files
    # The documents about every variant first: each is longer than one variant's.
    parts = [] if sheets is None else [
        (SHEETS, start, min(start + _SHEETS_PER_TASK, len(sheets.copies)))
        for start in range(0, len(sheets.copies), _SHEETS_PER_TASK)]
    tasks = [*([(KEY_OVERVIEW, 0, 0)] if several else []), *parts, *documents,
             *([(SEATS_PDF, 0, 0)] if seated else [])]
    given = _Job(exams, layout, ExamHeader.from_json(manifest["header"]), paper, sheets)
    pdfs = run_all(_render, tasks, "rendering the PDFs", start=_ready, given=given,
                   workers=workers, parallel_from=_PARALLEL_FROM)
    rendered = {task: pdf for task, (pdf, _) in zip(tasks, pdfs, strict=True)}
    if named:
        from examgen.render.named_copies import named_copies

        assert sheets is not None
        keys = {task: _key(exams[task[1]], exams[task[1]].variants[task[2]].name)
                for task in documents if task[0] == "exam"}
        places = {keys[task]: place for task, (_, place) in zip(tasks, pdfs, strict=True)
                  if task in keys and place is not None}
        sources = {keys[task]: (exams[task[1]], exams[task[1]].variants[task[2]])
                   for task in keys}
        files[NAMED_COPIES] = named_copies(list(sheets.copies),
                                           {keys[task]: rendered[task] for task in keys},
                                           places, sources, layout, given.header, paper,
                                           workers)
    if sheets is not None:
        parts_pdf = [rendered[part] for part in parts]
        if len(parts_pdf) == 1:  # PDFium only to join parts
            files[SHEETS] = parts_pdf[0]
        else:
            from examgen.render.merge import concatenate

            files[SHEETS] = concatenate(parts_pdf)
    files.update(zip(names, [rendered[task] for task in documents], strict=False))
    if seated:
        files[SEATS_PDF] = rendered[(SEATS_PDF, 0, 0)]
    if several:
        from examgen.render.merge import back_of, duplex

        files[ALL_EXAMS] = duplex([rendered[task] for task in documents if task[0] == "exam"],
                                  back_of(layout, paper))
        files[KEY_OVERVIEW] = rendered[(KEY_OVERVIEW, 0, 0)]
    return files


def _key(exam: Exam, variant: str) -> str:
    """A variant's key as copies name it: B, or 2-B with forms."""
    return f"{exam.name}-{variant}" if exam.name else variant


def _render(task: tuple[str, int, int]) -> tuple[bytes, CoverPlace | None]:
    """The task's PDF and, for an exam, where its cover's lines are."""
    kind, e, v = task
    if kind == "exam":
        from examgen.render.pdf import render_exam

        given: _Job = job()
        exam = given.exams[e]
        return render_exam(exam, exam.variants[v], given.layout, given.header, given.paper)
    return _render_pdf(task), None


def _render_pdf(task: tuple[str, int, int]) -> bytes:
    kind, e, v = task
    given: _Job = job()
    exams, layout, header, paper, sheets = (given.exams, given.layout, given.header,
                                            given.paper, given.sheets)
    from examgen.render.pdf import render_key, render_key_overview

    if kind == KEY_OVERVIEW:
        return render_key_overview(exams, layout, header, paper)
    if kind == SEATS_PDF:
        from examgen.render.seat_list import seats_pdf

        assert sheets is not None, "a seat list only with answer sheets"
        return seats_pdf(sheets.copies, exams[0], layout, header, paper)
    if kind == SHEETS:  # copies e to v
        from examgen.render.answer_sheet import render_sheets

        assert sheets is not None, "a sheets task only with a plan of sheets"
        return render_sheets(list(sheets.copies[e:v]), sheets.layouts, exams, layout, header,
                             paper, sheets.exam, sheets.scoring)
    exam = exams[e]
    return render_key(exam, exam.variants[v], layout, header, paper)
