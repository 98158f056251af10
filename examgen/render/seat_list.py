"""The invigilators' seat list of a build with a roster or a seating plan: which copy
(and so which variant) goes to which seat and student, as a PDF to carry into the room
and as a CSV."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from examgen.core.header import ExamHeader
from examgen.core.model import Exam
from examgen.core.sheet_geometry import Copy
from examgen.render.document import build_document
from examgen.render.layout import Layout
from examgen.render.page import page_for


def seats_pdf(copies: tuple[Copy, ...], exam: Exam, layout: Layout, header: ExamHeader,
              paper: str) -> bytes:
    page, pagesize = page_for(layout, paper)
    labels = layout.labels
    title = header.title or labels["exam"]
    head = [labels["seat"], labels["sheet_copy"], labels["variant"], labels["student_id"],
            labels["name"]]
    rows: list[list[Any]] = [head]
    ordered = sorted(copies, key=lambda c: ([int(p) for p in c.seat.split("-")]
                                            if c.seat else [c.number]))
    rows += [[c.seat, str(c.number), c.key, c.student, page.literal(c.name)]
             for c in ordered]
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(layout.colour("rule"))),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("FONT", (0, 0), (-1, -1), page.sans, page.body.fontSize)]))
    story = [Paragraph(page.literal(title), page.title), Spacer(1, 12), table]
    return build_document(story, page, pagesize, header, exam.variants[0], exam,
                          every_variant=True)
