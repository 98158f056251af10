"""The print shop's file of named copies: every copy's exam in the order of the class
(seat by seat with a seating plan), its cover's lines filled in with the student's name,
number and seat, each copy starting on an odd page.

The exam is drawn once per variant. A copy's cover is its exam's first page, drawn once
more by reportlab per batch of students as a form that every student's page shows under
their writing (``canvases.covers_canvas``); its later pages are the exam's own, held once
for all copies. So named copies cost little more than the anonymous ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium

from examgen.core.errors import InputError
from examgen.core.header import ExamHeader
from examgen.core.model import Exam, Variant
from examgen.core.sheet_geometry import Copy
from examgen.core.workers import job, run_all
from examgen.render.canvases import Writing, covers_canvas
from examgen.render.document import build_document
from examgen.render.exam import CoverPlace, exam_story
from examgen.render.flowables import fit, fit_name
from examgen.render.layout import Layout
from examgen.render.merge import back_of, finished
from examgen.render.page import Page

_ABOVE_LINE = 2.5  # points between a written line and the text on it
_INSET = 8.0  # points from the line's ends, clear of a long label ("Matrikelnummer")
_SIZE = 12
# Covers are drawn in batches of this many students of one variant: each batch draws
# its exam's first page once, so larger batches cost less, and enough batches keep
# every worker busy.
_BATCH = 100


def named_copies(copies: list[Copy], exams: dict[str, bytes], places: dict[str, CoverPlace],
                 sources: dict[str, tuple[Exam, Variant]], layout: Layout,
                 header: ExamHeader, paper: str, workers: int | None = None) -> bytes:
    """Each copy's exam (``exams``, ``places`` and the ``sources`` they were drawn from,
    by variant key) with its student on the cover; the covers are drawn on ``workers``
    processes."""
    missing = sorted({c.key for c in copies} - set(places))
    if missing:
        raise InputError(f"the layout's header pushes the name fields of variant "
                         f"{missing[0]} off the exam's first page, where a named copy "
                         "writes its student: shorten header.j2")
    sources_pdf = {key: pdfium.PdfDocument(data) for key, data in exams.items()}
    batches: list[tuple[str, list[int]]] = []  # (variant key, the copies it writes)
    by_key: dict[str, list[int]] = {}
    for n, copy in enumerate(copies):
        by_key.setdefault(copy.key, []).append(n)
    for key, numbers in by_key.items():
        batches += [(key, numbers[start:start + _BATCH])
                    for start in range(0, len(numbers), _BATCH)]
    drawn = run_all(_covers, batches, "writing the students on the covers",
                    given=_Covers(copies, sources, {k: len(d) for k, d in sources_pdf.items()},
                                  places, layout, header, paper), workers=workers)
    # Every page a copy can show, once, in one pool; the print file is then imported from
    # the pool in one go, in the copies' order: pages shown by many copies (a variant's
    # later pages, the blank back) share one copy of their fonts and pictures, and no page
    # has to be moved afterwards (PDFium's moving took 0.8 s for 500 copies).
    pool = pdfium.PdfDocument.new()
    later: dict[str, int] = {}  # where a variant's second page stands in the pool
    for key, source in sources_pdf.items():
        later[key] = len(pool)
        if len(source) > 1:
            pool.import_pages(source, pages=list(range(1, len(source))))
    cover: dict[int, int] = {}  # a copy's cover in the pool
    for (_, numbers), batch in zip(batches, drawn, strict=True):
        cover.update(zip(numbers, range(len(pool), len(pool) + len(numbers)), strict=True))
        pool.import_pages(pdfium.PdfDocument(batch))
    back = len(pool)  # a page that says it is blank on purpose, after each copy of an odd
    pool.import_pages(pdfium.PdfDocument(back_of(layout, paper)))  # page count
    order: list[int] = []
    for n, copy in enumerate(copies):
        pages = len(sources_pdf[copy.key])
        order += [cover[n], *range(later[copy.key], later[copy.key] + pages - 1)]
        if pages % 2:
            order.append(back)
    merged = pdfium.PdfDocument.new()
    merged.import_pages(pool, pages=order)
    pool.close()
    return finished(merged)


@dataclass(frozen=True)
class _Covers:
    """What every batch of covers needs: the copies, by variant key the exam and variant
    to draw, its page count and where its cover's lines are, and the layout, header and
    paper they are drawn with."""

    copies: list[Copy]
    sources: dict[str, tuple[Exam, Variant]]
    pages: dict[str, int]
    places: dict[str, CoverPlace]
    layout: Layout
    header: ExamHeader
    paper: str


def _covers(batch: tuple[str, list[int]]) -> bytes:
    """A document of one cover per copy in ``batch``, all of one variant: its exam's first
    page, drawn as the exam draws it, under each student's writing."""
    given: _Covers = job()
    key, numbers = batch
    exam, variant = given.sources[key]
    story, _, page, pagesize = exam_story(exam, variant, given.layout, given.header,
                                          given.paper)
    place = given.places[key]
    writings = [_writing(given.copies[n], place, given.layout, page) for n in numbers]
    return build_document(story, page, pagesize, given.header, variant, exam,
                          canvas=lambda numbered: covers_canvas(numbered, writings,
                                                                given.pages[key]))


def _writing(copy: Copy, place: CoverPlace, layout: Layout, page: Page) -> Writing:
    """What is written on one copy's cover lines: name, number and seat."""
    def write(canvas: Any) -> None:
        room = place.right - place.left - 2 * _INSET
        if copy.name:
            name, size = fit_name(copy.name, page.sans, _SIZE, room)
            canvas.setFont(page.sans, size)
            canvas.drawString(place.left + _INSET, place.name_line + _ABOVE_LINE, name)
        canvas.setFont(page.sans, _SIZE)
        seat = f"{layout.labels['seat']} {copy.seat}" if copy.seat else ""
        if copy.student:
            used = canvas.stringWidth(seat + "\u2003", page.sans, _SIZE) if seat else 0
            canvas.drawString(place.left + _INSET, place.number_line + _ABOVE_LINE,
                              fit(copy.student, page.sans, _SIZE, room - used))
        if seat:
            canvas.drawRightString(place.right - _INSET, place.number_line + _ABOVE_LINE,
                                   seat)
    return write
