"""The exam as handed out: header, name and student-ID fields, instructions, the points
table and the questions; no answers, no explanations, no level colours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from examgen.core.header import ExamHeader
from examgen.core.model import Exam, Variant
from examgen.render.document import build_document, questions_story, template_context, text_blocks
from examgen.render.layout import Layout
from examgen.render.page import Page, page_for


def render_exam(exam: Exam, variant: Variant, layout: Layout, header: ExamHeader,
                paper: str = "a4") -> tuple[bytes, CoverPlace | None]:
    """The exam as handed out (no answers, no explanations, no level colours), and where
    its cover's name and student-ID lines were drawn (None when a long header pushed them
    off the first page): a named copy is this exam with its student written on them."""
    story, fields, page, pagesize = exam_story(exam, variant, layout, header, paper)
    return build_document(story, page, pagesize, header, variant, exam), fields.place


def exam_story(exam: Exam, variant: Variant, layout: Layout, header: ExamHeader,
               paper: str = "a4") -> tuple[list[Flowable], NameFields, Page,
                                           tuple[float, float]]:
    """What the exam's document is built from: its flowables, the name fields among them,
    and the page and paper size they are laid out on."""
    page, pagesize = page_for(layout, paper)
    context = template_context(exam, variant, header, layout.labels["decimal"])
    fields = NameFields(page)
    story = text_blocks(page, layout.render("header", context), first_is_title=True)
    story += [Spacer(1, 3 * mm), fields, Spacer(1, 4 * mm)]
    story += text_blocks(page, layout.render("instructions", context))
    story += [Spacer(1, 3 * mm), *_points_table(page, exam, variant), Spacer(1, 6 * mm)]
    story += questions_story(page, exam, variant, key=False)
    return story, fields, page, pagesize


@dataclass(frozen=True)
class CoverPlace:
    """The cover's two lines to write on (name, then student ID), in points from the
    page's lower left corner: where they start and end, and each line's height."""

    left: float
    right: float
    name_line: float
    number_line: float


_FIELD_ROW = 9 * mm
_LABELS = 35 * mm


class NameFields(Table):
    """The name and student-ID lines; drawn, it notes where (``place``)."""

    def __init__(self, page: Page) -> None:
        rows = [[Paragraph(page.label("name"), page.body), ""],
                [Paragraph(page.label("student_id"), page.body), ""]]
        super().__init__(rows, colWidths=[_LABELS, page.width - _LABELS],
                         rowHeights=_FIELD_ROW)
        self.setStyle(TableStyle([
            ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ]))
        self.width = page.width
        self.place: CoverPlace | None = None

    def drawOn(self, canvas: Canvas, x: float, y: float, *args: Any, **kwargs: Any) -> None:
        super().drawOn(canvas, x, y, *args, **kwargs)
        if self.place is None and canvas.getPageNumber() == 1:
            self.place = CoverPlace(x + _LABELS, x + self.width, y + _FIELD_ROW, y)


def _points_table(page: Page, exam: Exam, variant: Variant) -> list[Flowable]:
    """One column per question and the total, in chunks that fit the page width."""
    by_id = {q.id: q for q in exam.questions}
    points = [by_id[qid].points for qid in variant.order]
    per_row = 15
    tables = []
    for start in range(0, len(points), per_row):
        chunk = points[start:start + per_row]
        last = start + per_row >= len(points)
        head = [page.label("question")] + [str(start + i + 1) for i in range(len(chunk))]
        pts = [page.label("points")] + [page.number(p) for p in chunk]
        if last:
            head.append(page.label("total"))
            pts.append(page.number(exam.total_points))
        # numbers as plain cells: a cell never wraps "1.5" into "1." and "5"
        rows: list[list[Paragraph | str]] = [
            [Paragraph(head[0], page.centre), *head[1:]],
            [Paragraph(pts[0], page.centre), *pts[1:]],
            [Paragraph(page.label("score"), page.centre)] + [""] * (len(head) - 1)]
        first, total = 24 * mm, 18 * mm
        cell = min(10 * mm, (page.width - first - total) / per_row)
        widths = [first] + [cell] * len(chunk) + ([total] if last else [])
        table = Table(rows, colWidths=widths, rowHeights=[None, None, 9 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(page.layout.colour("rule"))),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("FONT", (1, 0), (-1, 1), page.sans, page.small.fontSize),
            ("LEFTPADDING", (1, 0), (-1, -1), 1), ("RIGHTPADDING", (1, 0), (-1, -1), 1),
        ]))
        tables += [table, Spacer(1, 2 * mm)]
    return tables
