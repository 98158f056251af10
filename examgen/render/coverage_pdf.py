"""coverage.pdf: the bank on the lecture's matrix in one look. The big matrix in the level
colours with its counts, a small one per topic, what a blueprint can still be built, and
every thin place marked, so a lecturer sees where to write questions next."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from examgen.bank.coverage_report import CoverageReport
from examgen.core.model import LEVELS, PAPERS, Difficulty, Knowledge
from examgen.render.layout import Layout
from examgen.render.page import Page, level_colours, page_for

_MARK = colors.HexColor("#111111")  # the frame of a thin cell, seen on every colour


def render_coverage(report: CoverageReport, layout: Layout, title: str) -> bytes:
    """The report as one or two A4 pages, with what capacity and stress test found."""
    capacity = [line for line in report.lines if line]
    page, _ = page_for(layout, "a4")
    width, height = PAPERS["a4"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(width, height), invariant=1, title=title,
                            author="examgen", leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm)
    thin = {(t.topic, t.cell) for t in report.thin}
    story: list[Any] = [
        Paragraph(page.literal(title), page.title),
        Paragraph(f"{report.total} questions · a dark frame and '!': fewer than needed"
                  + (f" · {report.excluded.questions} used in earlier exams left out"
                     if report.excluded else ""), page.body),
        Spacer(1, 4 * mm),
        _matrix(report.cells, page, {c for (t, c) in thin if t is None}, big=True),
        Spacer(1, 4 * mm),
    ]
    for line in capacity:
        story.append(Paragraph(page.literal(line.strip()), page.body if not line.startswith(
            " ") else page.small))
    if capacity:
        story.append(Spacer(1, 4 * mm))
    boxes: list[Any] = [
        Table([[Paragraph(f"<b>{page.literal(topic)}</b> · {sum(cells.values())} questions, "
                          f"{report.topic_points[topic]:g} points", page.small)],
               [_matrix(cells, page, {c for (t, c) in thin if t == topic}, big=False)]])
        for topic, cells in report.topics.items()]
    if boxes:
        pairs = [boxes[i:i + 2] + [""] * (2 - len(boxes[i:i + 2]))
                 for i in range(0, len(boxes), 2)]
        column = (width - 32 * mm) / 2
        table = Table(pairs, colWidths=[column, column])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        story.append(table)
    if report.warnings:
        story += [Spacer(1, 3 * mm), Paragraph("Thin places", page.body)]
        story += [Paragraph(page.literal(w), page.small) for w in report.warnings]
    doc.build(story)
    return buffer.getvalue()


def _matrix(cells: dict[str, int], page: Page, thin: set[str], big: bool) -> Table:
    """Difficulty x knowledge in the level colours, the counts inside, thin cells framed."""
    rows: list[list[str]] = [["", *(k.value for k in Knowledge)]]
    style: list[Any] = [("FONTSIZE", (0, 0), (-1, -1), 11 if big else 7),
                        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("GRID", (1, 1), (-1, -1), 0.5, colors.white)]
    for r, d in enumerate(Difficulty, start=1):
        row = [d.value]
        for c, k in enumerate(Knowledge, start=1):
            cell = f"{d.value}/{k.value}"
            level = LEVELS[(d, k)].value
            count = f"{cells[cell]} {level}" if big else str(cells[cell])
            row.append(count + (" !" if cell in thin else ""))
            background, ink = level_colours(page, level)
            style += [("BACKGROUND", (c, r), (c, r), background),
                      ("TEXTCOLOR", (c, r), (c, r), ink)]
            if cell in thin:
                style.append(("BOX", (c, r), (c, r), 2.5 if big else 1.6, _MARK))
        rows.append(row)
    widths = [28 * mm, 45 * mm, 45 * mm] if big else [15 * mm, 22 * mm, 22 * mm]
    heights = [7 * mm] + [11 * mm] * 3 if big else [4.5 * mm] + [5.5 * mm] * 3
    table = Table(rows, colWidths=widths, rowHeights=heights)
    table.setStyle(TableStyle(style))
    return table
