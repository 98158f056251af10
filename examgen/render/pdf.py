"""Exam and answer-key PDFs with reportlab: what a lecturer hands out, what a grader uses.

The question loop stays in Python; the layout supplies paper, fonts, colours, labels and
the text blocks. Every text from the bank is escaped before it reaches Paragraph markup.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..markup import to_plain
from ..model import (
    CELLS,
    LEVELS,
    ChoiceGap,
    Cloze,
    Difficulty,
    Exam,
    Knowledge,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Permutation,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    Variant,
    assert_never,
    key_answer,
)
from .flowables import QuestionBlock, numbered_canvas
from .layout import Layout
from .page import Page, level_colours, page_for
from .questions import EMPTY_BOX, TICKED_BOX, question_parts

__all__ = ["EMPTY_BOX", "TICKED_BOX", "render_exam", "render_key"]


def render_exam(exam: Exam, variant: Variant, layout: Layout, header: dict[str, Any],
                paper: str = "a4") -> bytes:
    """The exam as handed out: no answers, no explanations, no level colours."""
    page, pagesize = page_for(layout, paper)
    context = _context(exam, variant, header)
    story = _blocks(page, layout.render("header", context), first_is_title=True)
    story += [Spacer(1, 3 * mm), _name_fields(page), Spacer(1, 4 * mm)]
    story += _blocks(page, layout.render("instructions", context))
    story += [Spacer(1, 3 * mm), *_points_table(page, exam, variant), Spacer(1, 6 * mm)]
    story += _questions(page, exam, variant, key=False)
    return _build(story, page, pagesize, header, variant, exam)


def render_key(exam: Exam, variant: Variant, layout: Layout, header: dict[str, Any],
               paper: str = "a4") -> bytes:
    """The grader's key: a grid first, then every question with its solution and cell."""
    page, pagesize = page_for(layout, paper)
    context = _context(exam, variant, header)
    story = _blocks(page, layout.render("key_header", context), first_is_title=True)
    story += [Spacer(1, 4 * mm), Paragraph(f"<b>{page.label('grid')}</b>", page.body),
              Spacer(1, 2 * mm), _grid(page, exam, variant), Spacer(1, 6 * mm)]
    story += _questions(page, exam, variant, key=True)
    story += [Paragraph(f"<b>{page.label('totals_per_cell')}</b>", page.body),
              Spacer(1, 2 * mm), _cell_totals(page, exam)]
    return _build(story, page, pagesize, header, variant, exam, key=True)


def _questions(page: Page, exam: Exam, variant: Variant, key: bool) -> list[Flowable]:
    """The questions in the variant's order, each kept on one page."""
    by_id = {q.id: q for q in exam.questions}
    story: list[Flowable] = []
    for number, qid in enumerate(variant.order, 1):
        parts = question_parts(page, number, by_id[qid], variant.options.get(qid), key)
        story += [QuestionBlock(parts, page.height), Spacer(1, 5 * mm)]
    return story


def _context(exam: Exam, variant: Variant, header: dict[str, Any]) -> dict[str, Any]:
    """The variables a layout's templates may use."""
    return {
        "title": header.get("title", ""), "course": header.get("course", ""),
        "date": header.get("date", ""), "duration": header.get("duration", ""),
        "instructions": header.get("instructions", ""),
        "variant": variant.name if len(exam.variants) > 1 else "",
        "form": exam.name, "question_count": len(exam.questions),
        "total_points": f"{exam.total_points:g}",
        "has_single": any(isinstance(q, SingleChoice) for q in exam.questions),
        "has_multiple": any(isinstance(q, MultipleChoice) for q in exam.questions),
    }


def _blocks(page: Page, text: str, first_is_title: bool = False) -> list[Flowable]:
    """A template's output: paragraphs separated by blank lines, in the light markup."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    out: list[Flowable] = []
    for i, para in enumerate(paragraphs):
        style = page.title if first_is_title and i == 0 else page.body
        out.append(Paragraph(page.text(para), style))
    return out


def _name_fields(page: Page) -> Table:
    rows = [[Paragraph(page.label("name"), page.body), ""],
            [Paragraph(page.label("student_id"), page.body), ""]]
    table = Table(rows, colWidths=[35 * mm, page.width - 35 * mm], rowHeights=9 * mm)
    table.setStyle(TableStyle([
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]))
    return table


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
        pts = [page.label("points")] + [f"{p:g}" for p in chunk]
        if last:
            head.append(page.label("total"))
            pts.append(f"{exam.total_points:g}")
        rows: list[list[Paragraph | str]] = [
            [Paragraph(c, page.centre) for c in head], [Paragraph(c, page.centre) for c in pts],
            [Paragraph(page.label("score"), page.centre)] + [""] * (len(head) - 1)]
        first, total = 24 * mm, 18 * mm
        cell = min(10 * mm, (page.width - first - total) / per_row)
        widths = [first] + [cell] * len(chunk) + ([total] if last else [])
        table = Table(rows, colWidths=widths, rowHeights=[None, None, 9 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(page.layout.colour("rule"))),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        tables += [table, Spacer(1, 2 * mm)]
    return tables


def _grid_answer(page: Page, q: Question, permutation: Permutation | None) -> str:
    """The key answer as plain text for the grid (the grid's cells are not markup)."""
    answer = key_answer(q, permutation)
    labels = page.layout.labels
    match q:
        case SingleChoice() | ShortAnswer() | Numeric():
            return str(answer)
        case MultipleChoice():
            return ", ".join(answer)
        case TrueFalse():
            return labels[str(answer)]
        case OpenQuestion():
            return labels["see_below"]
        case Cloze():
            # A choice gap's option is bank text (markup removed); a text gap's is literal.
            return "  ".join(f"({n}) {to_plain(a) if isinstance(g, ChoiceGap) else a}"
                             for n, (g, a) in enumerate(zip(q.gaps, answer, strict=True), 1))
        case _:
            assert_never(q)


def _grid(page: Page, exam: Exam, variant: Variant) -> Table:
    """Question number -> answer, points and cell: plain cells, drawn without wrapping."""
    by_id = {q.id: q for q in exam.questions}
    widths = [14 * mm, page.width - 14 * mm - 18 * mm - 36 * mm, 18 * mm, 36 * mm]
    rows: list[list[str | Paragraph]] = [
        [page.layout.labels[k] for k in ("number", "answer", "points", "cell")]]
    bold = f"{page.sans}-10"
    rule = colors.HexColor(page.layout.colour("rule"))
    style: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.4, rule),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("FONT", (0, 0), (-1, -1), page.sans, page.small.fontSize),
        ("FONT", (0, 0), (-1, 0), bold, page.small.fontSize),
        ("FONT", (1, 1), (1, -1), bold, page.small.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    fits = widths[1] - 8
    for number, qid in enumerate(variant.order, 1):
        q = by_id[qid]
        background, ink = level_colours(page, q.level.value)
        answer = _grid_answer(page, q, variant.options.get(qid))
        shown: str | Paragraph = answer
        if stringWidth(answer, bold, page.small.fontSize) > fits:
            shown = Paragraph(f"<b>{page.literal(answer)}</b>", page.small)
        rows.append([str(number), shown, f"{q.points:g}", q.cell])
        style += [("BACKGROUND", (3, number), (3, number), background),
                  ("TEXTCOLOR", (3, number), (3, number), ink)]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _cell_totals(page: Page, exam: Exam) -> Table:
    head = [page.label("cell"), page.label("questions"), page.label("points")]
    rows = [[Paragraph(f"<b>{h}</b>", page.small) for h in head]]
    rule = colors.HexColor(page.layout.colour("rule"))
    style: list[Any] = [("GRID", (0, 0), (-1, -1), 0.4, rule),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]
    for row, cell in enumerate(CELLS, 1):
        difficulty, knowledge = cell.split("/")
        level = LEVELS[(Difficulty(difficulty), Knowledge(knowledge))].value
        background, ink = level_colours(page, level)
        chosen = [q for q in exam.questions if q.cell == cell]
        cell_style = ParagraphStyle("cell", parent=page.small, textColor=ink)
        rows.append([Paragraph(f"{cell} ({level})", cell_style),
                     Paragraph(str(len(chosen)), page.small),
                     Paragraph(f"{sum(q.points for q in chosen):g}", page.small)])
        style.append(("BACKGROUND", (0, row), (0, row), background))
    rows.append([Paragraph(f"<b>{page.label('total')}</b>", page.small),
                 Paragraph(f"<b>{len(exam.questions)}</b>", page.small),
                 Paragraph(f"<b>{exam.total_points:g}</b>", page.small)])
    table = Table(rows, colWidths=[55 * mm, 25 * mm, 25 * mm], hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _build(story: list[Flowable], page: Page, pagesize: tuple[float, float],
           header: dict[str, Any], variant: Variant, exam: Exam, key: bool = False) -> bytes:
    margins = page.layout.settings["margins"]
    buffer = io.BytesIO()
    title = header.get("title") or "Exam"
    if key:
        title = f"{page.layout.labels['answer_key']}: {title}"
    footer_left = to_plain(" · ".join(filter(None, [header.get("course"), title])))
    parts = []
    if exam.name:
        parts.append(f"{page.layout.labels['form']} {exam.name}")
    if len(exam.variants) > 1:
        parts.append(f"{page.layout.labels['variant']} {variant.name}")
    footer_right = " · ".join(parts)
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, invariant=1, title=title, author="examgen",
        creator="examgen", subject=header.get("course", ""),
        leftMargin=float(margins["left"]) * mm, rightMargin=float(margins["right"]) * mm,
        topMargin=float(margins["top"]) * mm, bottomMargin=float(margins["bottom"]) * mm,
    )
    doc.build(story, canvasmaker=numbered_canvas(page, footer_left, footer_right))
    return buffer.getvalue()
