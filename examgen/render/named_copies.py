"""The print shop's file of named copies: every copy's exam in the order of the class
(seat by seat with a seating plan), its cover's lines filled in with the student's name,
number and seat, each copy starting on an odd page.

The exam is drawn once per variant. A copy is its variant's pages with one page of
writing laid over the cover (PDFium imports it as a form), so named copies cost little
more than the anonymous ones.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from reportlab.pdfgen.canvas import Canvas

from examgen.core.errors import InputError
from examgen.core.sheet_geometry import Copy
from examgen.core.workers import job, run_all
from examgen.render.exam import CoverPlace
from examgen.render.flowables import fit
from examgen.render.layout import Layout
from examgen.render.merge import back_of, finished
from examgen.render.page import page_for

_ABOVE_LINE = 2.5  # points between a written line and the text on it
_INSET = 8.0  # points from the line's ends, clear of a long label ("Matrikelnummer")
_SIZE = 12


def named_copies(copies: list[Copy], exams: dict[str, bytes], places: dict[str, CoverPlace],
                 layout: Layout, paper: str, workers: int | None = None) -> bytes:
    """Each copy's exam (``exams`` and ``places`` by variant key) with its student on
    the cover; the covers are made on ``workers`` processes."""
    missing = sorted({c.key for c in copies} - set(places))
    if missing:
        raise InputError(f"the layout's header pushes the name fields of variant "
                         f"{missing[0]} off the exam's first page, where a named copy "
                         "writes its student: shorten header.j2")
    batches = run_all(_covers, [(start, min(start + _BATCH, len(copies)))
                                for start in range(0, len(copies), _BATCH)],
                      "writing the students on the covers",
                      given=_Covers(copies, exams, places, layout, paper), workers=workers)
    # Every page a copy can show, once, in one pool; the print file is then imported from
    # the pool in one go, in the copies' order: pages shown by many copies (a variant's
    # later pages, the blank back) share one copy of their fonts and pictures, and no page
    # has to be moved afterwards (PDFium's moving took 0.8 s for 500 copies).
    pool = pdfium.PdfDocument.new()
    sources = {key: pdfium.PdfDocument(data) for key, data in exams.items()}
    later: dict[str, int] = {}  # where a variant's second page stands in the pool
    for key, source in sources.items():
        later[key] = len(pool)
        if len(source) > 1:
            pool.import_pages(source, pages=list(range(1, len(source))))
    covers = len(pool)
    for batch in batches:
        pool.import_pages(pdfium.PdfDocument(batch))
    back = len(pool)  # a page that says it is blank on purpose, after each copy of an odd
    pool.import_pages(pdfium.PdfDocument(back_of(layout, paper)))  # page count
    order: list[int] = []
    for n, copy in enumerate(copies):
        pages = len(sources[copy.key])
        order += [covers + n, *range(later[copy.key], later[copy.key] + pages - 1)]
        if pages % 2:
            order.append(back)
    merged = pdfium.PdfDocument.new()
    merged.import_pages(pool, pages=order)
    pool.close()
    return finished(merged)


# Covers are made in documents of this many: PDFium's time to write a page's content
# grows with the pages of its document, and each such document holds one copy of every
# variant's cover.
_BATCH = 50


@dataclass(frozen=True)
class _Covers:
    """What every batch of covers needs: the copies, the exams and the places of their
    cover's lines by variant key, and the layout and paper to write in."""

    copies: list[Copy]
    exams: dict[str, bytes]
    places: dict[str, CoverPlace]
    layout: Layout
    paper: str


def _covers(span: tuple[int, int]) -> bytes:
    """The covers of copies ``span``: each copy's writing (drawn here, on the workers)
    with its exam's cover laid over it as a form, so that the exam's drawing stays
    exactly as reportlab wrote it."""
    given: _Covers = job()
    first, end = span
    copies = given.copies[first:end]
    batch = pdfium.PdfDocument.new()
    batch.import_pages(pdfium.PdfDocument(_writing(copies, given.places, given.layout,
                                                   given.paper)))
    forms = {key: pdfium.PdfDocument(given.exams[key]).page_as_xobject(0, batch)
             for key in sorted({c.key for c in copies})}  # in one order: the same bytes
    for n, copy in enumerate(copies):
        cover = batch[n]
        cover.insert_obj(forms[copy.key].as_pageobject())
        cover.gen_content()
        cover.close()
    for form in forms.values():  # PDFium's objects go before their document does
        form.close()
    return finished(batch)


def _writing(copies: list[Copy], places: dict[str, CoverPlace], layout: Layout,
             paper: str) -> bytes:
    """One page per copy with nothing but what is written on its cover's lines."""
    page, size = page_for(layout, paper)
    buffer = io.BytesIO()
    # the font every page sets first is the one it writes in (reportlab's default,
    # Helvetica, would be a font the page names but never uses)
    canvas = Canvas(buffer, pagesize=size, invariant=1,
                    initialFontName=page.sans,  # type: ignore[arg-type]  # a name; the
                    initialFontSize=_SIZE)  # stubs say float
    for copy in copies:
        place = places[copy.key]
        room = place.right - place.left - 2 * _INSET
        canvas.setFont(page.sans, _SIZE)
        if copy.name:
            canvas.drawString(place.left + _INSET, place.name_line + _ABOVE_LINE,
                              fit(copy.name, page.sans, _SIZE, room))
        seat = f"{layout.labels['seat']} {copy.seat}" if copy.seat else ""
        if copy.student:
            used = canvas.stringWidth(seat + "\u2003", page.sans, _SIZE) if seat else 0
            canvas.drawString(place.left + _INSET, place.number_line + _ABOVE_LINE,
                              fit(copy.student, page.sans, _SIZE, room - used))
        if seat:
            canvas.drawRightString(place.right - _INSET, place.number_line + _ABOVE_LINE,
                                   seat)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
