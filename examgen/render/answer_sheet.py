"""The answer sheets as one PDF: every copy's pages, drawn from the sheet geometry.

Nothing here decides a position: boxes, markers and the QR code are where
``core.sheet_geometry`` put them (and where the grader will look); this module only draws them
and the words a student reads.
"""

from __future__ import annotations

import io
import itertools
import re

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from examgen.core.header import ExamHeader
from examgen.core.markup import to_plain
from examgen.core.model import Exam, MultipleChoice
from examgen.core.sheet_geometry import (
    BOX,
    MARKER,
    MARKER_CELLS,
    MARKER_INSET,
    QR_SIZE,
    Copy,
    SheetLayout,
    SheetPage,
    qr_payload,
)
from examgen.render.flowables import fit, fit_name
from examgen.render.layout import Layout
from examgen.render.page import Page, page_for


def render_sheets(copies: list[Copy], layouts: dict[str, SheetLayout], exams: list[Exam],
                  layout: Layout, header: ExamHeader, paper: str, exam: str,
                  scoring: str) -> bytes:
    """sheets.pdf: for each copy in order, its answer sheet's pages."""
    page, _ = page_for(layout, paper)
    buffer = io.BytesIO()
    title = header.title or layout.labels["exam"]
    first = next(iter(layouts.values())).pages[0]
    canvas = Canvas(buffer, pagesize=(first.width, first.height), invariant=1)
    canvas.setTitle(f"{layout.labels['sheet_title']}: {to_plain(title)}")
    canvas.setAuthor("examgen")
    multiple = any(isinstance(q, MultipleChoice) for e in exams for q in e.questions)
    for copy in copies:
        sheet = layouts[copy.key]
        for sheet_page in sheet.pages:
            _draw_page(canvas, page, sheet_page, len(sheet.pages), copy, header,
                       qr_payload(exam, copy.number, copy.key, sheet_page.number),
                       scoring if multiple else "")
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_page(c: Canvas, page: Page, p: SheetPage, pages: int, copy: Copy,
               header: ExamHeader, payload: str, scoring: str) -> None:
    labels = page.layout.labels
    for marker in range(4):
        _marker(c, marker, *p.markers[marker])
    _qr(c, payload, *p.qr)
    accent = page.layout.colour("accent")
    x0 = 20 * mm
    top = p.height - MARKER_INSET - MARKER - 4 * mm
    c.setFillColor(accent)
    c.setFont(page.sans, 14)
    c.drawString(x0, top - 4 * mm, labels["sheet_title"])
    c.setFillColor("#000000")
    c.setFont(page.sans, 10)
    title = " · ".join(filter(None, [header.course, header.title]))
    room = p.qr[0] - 4 * mm - x0  # up to the QR code, never under it
    c.drawString(x0, top - 10 * mm, fit(to_plain(title), page.sans, 10, room))
    variant = copy.variant if not copy.form else f"{copy.form}-{copy.variant}"
    c.setFont(page.sans, 12)
    seat = f"   ·   {labels['seat']} {copy.seat}" if copy.seat else ""
    c.drawString(x0, top - 17 * mm, f"{labels['sheet_copy']} {copy.number}   ·   "
                                    f"{labels['variant']} {variant}{seat}")
    c.setFont(page.sans, 8)
    c.drawString(x0, top - 22 * mm, labels["page"].format(page=p.number, pages=pages))
    if p.name_field:
        x, y, w, h = p.name_field
        c.setFont(page.sans, 8)
        c.drawString(x, y + h + 1.5 * mm, labels["name"])
        c.setLineWidth(0.6)
        c.rect(x, y, w, h)
        if copy.student:  # a named copy: its student, printed; the grid stays as a check
            who, size = fit_name(f"{copy.name} ({copy.student})" if copy.name
                                 else copy.student, page.sans, 11, w - 4 * mm)
            c.setFont(page.sans, size)
            c.drawString(x + 2 * mm, y + h / 2 - 1.5 * mm, who)
    if p.digits:
        _student_grid(c, page, p, scoring)
    c.setFont(page.sans, 10)
    for row in p.rows:
        star = "*" if row.kind == "score" else ""
        c.drawRightString(row.x + 9 * mm, row.y + 1 * mm, f"{row.label}{star}")
    c.setLineWidth(0.7)
    small = 6.5
    for box in p.boxes:
        if box.item.startswith("student:"):
            continue
        c.rect(box.x, box.y, BOX, BOX)
        c.setFont(page.sans, small)
        c.drawCentredString(box.x + BOX / 2, box.y + BOX + 1.0 * mm, _decimal(box.label, labels))
    c.setFont(page.sans, 7)
    c.setFillColor("#555555")
    # the exam id, clear of the corner marker (it ends 20 mm from the edge)
    c.drawRightString(p.width - 20 * mm - 3 * mm, MARKER_INSET + 2 * mm, payload.split("/")[1])
    c.setFillColor("#000000")


def _student_grid(c: Canvas, page: Page, p: SheetPage, scoring: str) -> None:
    labels = page.layout.labels
    digits = [b for b in p.boxes if b.item.startswith("student:")]
    left = min(b.x for b in digits)
    top = max(b.y for b in digits) + BOX
    c.setFont(page.sans, 8)
    c.drawString(left - 12 * mm, top + 3 * mm, labels["sheet_student_number"])
    c.setLineWidth(0.6)
    c.setFont(page.sans, 7)
    for b in digits:
        c.rect(b.x, b.y, BOX, BOX)
        if b.item == "student:0":
            c.drawRightString(b.x - 2 * mm, b.y + 1.2 * mm, b.label)
    # the rules beside the grid, where every student reads them before the rows
    right = max(b.x for b in digits) + BOX + 10 * mm
    width = p.width - 20 * mm - right
    rules = [labels["sheet_how"], labels["sheet_cancel"], labels["sheet_grader"]]
    if scoring:
        rules.append(labels[f"scoring_{scoring.replace('-', '_')}"])
    y = top
    for rule in rules:
        para = Paragraph(page.label_text(rule), page.small)
        _, h = para.wrap(width, 200 * mm)
        para.drawOn(c, right, y - h)
        y -= h + 2 * mm
    _example_marks(c, page, right, y - 6 * mm)


def _example_marks(c: Canvas, page: Page, x: float, y: float) -> None:
    """A ticked box and a cancelled one, drawn as the rules describe them."""
    c.setLineWidth(0.7)
    c.rect(x, y, BOX, BOX)
    c.setLineWidth(1.2)
    c.line(x + 0.6 * mm, y + 0.6 * mm, x + BOX - 0.6 * mm, y + BOX - 0.6 * mm)
    c.line(x + 0.6 * mm, y + BOX - 0.6 * mm, x + BOX - 0.6 * mm, y + 0.6 * mm)
    c.setLineWidth(0.7)
    gap = 30 * mm
    c.rect(x + gap, y, BOX, BOX, fill=1)
    c.setFont(page.sans, 7)
    c.drawString(x + BOX + 2 * mm, y + 1.2 * mm, page.layout.labels["sheet_marked"])
    c.drawString(x + gap + BOX + 2 * mm, y + 1.2 * mm, page.layout.labels["sheet_taken_back"])


def _marker(c: Canvas, marker: int, x: float, y: float) -> None:
    cell = MARKER / 6
    cells = MARKER_CELLS[marker]
    c.setFillColor("#000000")
    for row in range(6):
        for col in range(6):
            if cells[row * 6 + col] == "1":
                c.rect(x + col * cell, y + MARKER - (row + 1) * cell, cell, cell, stroke=0,
                       fill=1)


_QR_BORDER = 2  # quiet modules around the code, inside QR_SIZE


def _qr(c: Canvas, payload: str, x: float, y: float) -> None:
    """The QR code as one filled path, a rectangle per run of dark modules in a row:
    reportlab's QR widget makes a validated shape object per run, 60 ms a code."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    size = QR_SIZE / (len(code.modules) + 2 * _QR_BORDER)
    path = c.beginPath()
    for r, row in enumerate(code.modules):
        col = 0
        for dark, run in itertools.groupby(bool(m) for m in row):
            count = sum(1 for _ in run)
            if dark:
                path.rect(x + (col + _QR_BORDER) * size,
                          y + QR_SIZE - (r + _QR_BORDER + 1) * size, count * size, size)
            col += count
    c.saveState()
    c.setFillColor(black)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _decimal(label: str, labels: dict[str, str]) -> str:
    """A score label ("1.5") with the layout's decimal mark ("1,5"); letters stay."""
    if re.fullmatch(r"[0-9]+\.[0-9]+", label):
        return label.replace(".", labels.get("decimal", "."))
    return label
