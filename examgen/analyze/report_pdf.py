"""analysis/report.pdf: the item analysis as pictures first (score histogram, facility x
discrimination scatter, the matrix with tagged counts and observed facility), then the
flags and the table; drawn with reportlab's own graphics, no plotting library."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from examgen.analyze.flags import TENTATIVE_BELOW
from examgen.analyze.results import Analysis
from examgen.core.facility import FACILITY_BANDS
from examgen.core.model import LEVELS, Difficulty, Knowledge
from examgen.render.layout import Layout
from examgen.render.page import Page, level_colours, page_for


def render_analysis(analysis: Analysis, layout: Layout) -> bytes:
    page, _ = page_for(layout, "a4")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1, title="Item analysis",
                            author="examgen", leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm)
    width = A4[0] - 36 * mm
    alpha = "n/a" if analysis.alpha is None else f"{analysis.alpha:.2f}"
    sem = "n/a" if analysis.sem is None else f"{analysis.sem:.2f}"
    serious = [f for f in analysis.flags if f.severity < 5]
    notes = [f for f in analysis.flags if f.severity >= 5]
    caution = [f"{count} left out: {reason}" for reason, count in analysis.left_out.items()]
    if analysis.students < TENTATIVE_BELOW:
        caution.append(f"fewer than {TENTATIVE_BELOW} students: every flag is tentative")
    if not analysis.choices:
        caution.append("the responses name no ticked options: no option statistics")
    story = [
        Paragraph("Item analysis", page.title),
        Paragraph(f"{analysis.students} students, {analysis.questions} questions, "
                  f"{analysis.max_points:g} points · mean {analysis.mean:.2f} "
                  f"(sd {analysis.sd:.2f}) · Cronbach's alpha {alpha} · SEM {sem}"
                  + (f" · {analysis.excluded} left out (questions still in review)"
                     if analysis.excluded else ""), page.body),
        Spacer(1, 4 * mm),
        Table([[_histogram(analysis, width / 2 - 4 * mm),
                _scatter(analysis, page.layout, width / 2 - 4 * mm)]],
              colWidths=[width / 2, width / 2]),
        Spacer(1, 4 * mm),
        Paragraph("The matrix: questions tagged per cell, observed mean facility", page.body),
        Spacer(1, 2 * mm),
        _matrix(analysis, page),
        Spacer(1, 5 * mm),
        Paragraph(f"Flags, most serious first ({len(serious)})", page.body),
    ]
    story[2:2] = [Paragraph(page.literal(c), page.small) for c in caution]
    for flag in serious:
        story.append(Paragraph(f"[{flag.severity}] <b>{flag.question}</b> ({flag.where}): "
                               f"{page.literal(flag.message)}", page.small))
    if not serious:
        story.append(Paragraph("none", page.small))
    if notes:
        story.append(Paragraph(f"Band notes ({len(notes)}): "
                               + "; ".join(f"{f.question} {f.kind}" for f in notes),
                               page.small))
    traces = _traces(analysis, width)
    if traces:
        story += [Spacer(1, 4 * mm), Paragraph("Option traces of the flagged questions (key "
                                               "in green)", page.body)]
        rows = [traces[i:i + 3] for i in range(0, len(traces), 3)]
        story.append(Table([r + [""] * (3 - len(r)) for r in rows],
                           colWidths=[width / 3] * 3))
    story += [Spacer(1, 5 * mm), _items_table(analysis, page, width)]
    doc.build(story)
    return buffer.getvalue()


def _histogram(analysis: Analysis, width: float) -> Drawing:
    """Students per total score: a bar per bin, about six bin edges labelled, and the
    count axis in whole steps (drawn with shapes: reportlab's chart classes cost a tenth
    of a second to import)."""
    height = 62 * mm
    drawing = Drawing(width, height)
    x0, y0, w, h = 10 * mm, 10 * mm, width - 14 * mm, height - 18 * mm
    counts = list(analysis.distribution)
    top = max(1, max(counts, default=0))
    unit = next(u * 10 ** e for e in range(10) for u in (1, 2, 5) if top / (u * 10 ** e) <= 5)
    top = -(-top // unit) * unit  # the axis ends at a whole step
    bar = w / max(1, len(counts))
    for i, count in enumerate(counts):
        shape = Rect(x0 + i * bar + bar * 0.1, y0, bar * 0.8, h * count / top)
        shape.fillColor, shape.strokeColor = colors.HexColor("#1f3a5f"), None
        drawing.add(shape)
    drawing.add(Line(x0, y0, x0 + w, y0, strokeColor=colors.black, strokeWidth=0.5))
    drawing.add(Line(x0, y0, x0, y0 + h, strokeColor=colors.black, strokeWidth=0.5))
    for value in range(0, int(top) + 1, int(unit)):
        y = y0 + h * value / top
        drawing.add(Line(x0 - 2, y, x0, y, strokeColor=colors.black, strokeWidth=0.5))
        drawing.add(String(x0 - 3, y - 2, f"{value:g}", fontSize=6, textAnchor="end"))
    step = max(1, len(analysis.bins) // 6)  # about six labels, at whole bin edges
    for i, edge in enumerate(analysis.bins[:-1]):
        if i % step == 0:
            drawing.add(String(x0 + (i + 0.5) * bar, y0 - 8, f"{edge:g}", fontSize=6,
                               textAnchor="middle"))
    drawing.add(String(10 * mm, height - 5 * mm, "Students per total score (points)",
                       fontSize=8))
    return drawing


def _scatter(analysis: Analysis, layout: Layout, width: float) -> Drawing:
    """Facility (x) against discrimination (y), each question a dot in its level colour."""
    height = 62 * mm
    drawing = Drawing(width, height)
    x0, y0, w, h = 10 * mm, 10 * mm, width - 14 * mm, height - 18 * mm
    frame = Rect(x0, y0, w, h)
    frame.fillColor, frame.strokeColor, frame.strokeWidth = None, colors.grey, 0.5
    drawing.add(frame)
    zero = y0 + h / 2  # discrimination from -1 to 1
    drawing.add(Line(x0, zero, x0 + w, zero, strokeColor=colors.lightgrey, strokeWidth=0.5))
    for facility in (0.4, 0.7):  # the band edges of medium
        drawing.add(Line(x0 + w * facility, y0, x0 + w * facility, y0 + h,
                         strokeColor=colors.lightgrey, strokeWidth=0.5,
                         strokeDashArray=[2, 2]))
    flagged = {f.question for f in analysis.flags if f.severity < 5}
    for number, item in enumerate(analysis.items, start=1):
        if item.discrimination is None:  # undefined, not 0: a hollow mark on the axis
            mark = Rect(x0 + w * item.facility - 2, y0 - 2, 4, 4)
            mark.fillColor, mark.strokeColor, mark.strokeWidth = None, colors.black, 0.4
            drawing.add(mark)
            continue
        r = item.discrimination
        colour = colors.HexColor(layout.colour(item.level))
        x, y = x0 + w * item.facility, zero + h / 2 * max(-1, min(1, r))
        drawing.add(Circle(x, y, 2.2, fillColor=colour, strokeColor=colors.black,
                           strokeWidth=0.3))
        if item.id in flagged:  # labelled by its row in the table below
            drawing.add(String(x + 3, y + 1, str(number), fontSize=5))
    for text, x, y in (("facility 0", x0, y0 - 8), ("1", x0 + w - 3, y0 - 8),
                       ("r 1", x0 - 8 * mm, y0 + h - 3), ("0", x0 - 4 * mm, zero - 2),
                       ("-1", x0 - 5 * mm, y0)):
        drawing.add(String(x, y, text, fontSize=6))
    drawing.add(String(x0, height - 5 * mm, "Facility x discrimination (level colours)",
                       fontSize=8))
    return drawing


def _matrix(analysis: Analysis, page: Page) -> Table:
    cells: dict[tuple[str, str], list[float]] = defaultdict(list)
    for item in analysis.items:
        cells[(item.difficulty, item.knowledge)].append(item.facility)
    rows = [["", *(k.value for k in Knowledge)]]
    style: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
             ("FONTSIZE", (0, 0), (-1, -1), 8), ("ALIGN", (1, 1), (-1, -1), "CENTER")]
    for r, d in enumerate(Difficulty, start=1):
        low, high = FACILITY_BANDS[d.value]
        row = [f"{d.value} ({low:g}-{high:g})"]
        for c, k in enumerate(Knowledge, start=1):
            facilities = cells.get((d.value, k.value), [])
            mean = f"{sum(facilities) / len(facilities):.2f}" if facilities else "-"
            row.append(f"{len(facilities)} tagged · observed {mean}")
            background, ink = level_colours(page, LEVELS[(d, k)].value)
            style += [("BACKGROUND", (c, r), (c, r), background),
                      ("TEXTCOLOR", (c, r), (c, r), ink)]
        rows.append(row)
    table = Table(rows, colWidths=[40 * mm, 55 * mm, 55 * mm])
    table.setStyle(TableStyle(style))
    return table


def _short(text: str, most: int = 40) -> str:
    """An option's text on one line of the table (markup and breaks as plain spaces)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[:most - 1] + "…"


def _traces(analysis: Analysis, width: float) -> list[Drawing]:
    """For each choice question with a serious flag (severity 1-3), its options' share by
    score group, lowest fifth to highest: a working key rises, a working distractor
    falls; a miskey shows the reverse."""
    serious = [f.question for f in analysis.flags if f.severity <= 3]
    items = {i.id: i for i in analysis.items}
    drawings = []
    for qid in dict.fromkeys(serious):
        item = items[qid]
        if not item.options or not item.options[0].trace:
            continue
        size = width / 3 - 4 * mm
        drawing = Drawing(size, 38 * mm)
        x0, y0, w, h = 8 * mm, 6 * mm, size - 12 * mm, 38 * mm - 13 * mm
        frame = Rect(x0, y0, w, h)
        frame.fillColor, frame.strokeColor, frame.strokeWidth = None, colors.grey, 0.4
        drawing.add(frame)
        groups = len(item.options[0].trace)
        for o in item.options:
            points = [(x0 + w * g / max(groups - 1, 1), y0 + h * share)
                      for g, share in enumerate(o.trace)]
            colour = colors.HexColor("#2e7d32") if o.correct else colors.HexColor("#555555")
            for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
                drawing.add(Line(xa, ya, xb, yb, strokeColor=colour,
                                 strokeWidth=1.2 if o.correct else 0.6))
            drawing.add(String(points[-1][0] + 1.5, points[-1][1] - 2, o.printed, fontSize=6,
                               fillColor=colour))
        drawing.add(String(x0, y0 + h + 2.5 * mm, f"{item.id} (trace by score fifth)",
                           fontSize=7))
        drawing.add(String(x0 - 6 * mm, y0 + h - 2, "100%", fontSize=5))
        drawing.add(String(x0 - 3 * mm, y0, "0", fontSize=5))
        drawings.append(drawing)
    return drawings[:12]


def _items_table(analysis: Analysis, page: Page, width: float) -> Table:
    rows: list[list[Any]] = [["#", "question", "cell", "n", "facility", "r (rest)",
                              "upper-lower", "flags", "options (printed letter, share)"]]
    kinds: dict[str, list[str]] = defaultdict(list)
    for flag in analysis.flags:
        kinds[flag.question].append(flag.kind)
    for number, item in enumerate(analysis.items, start=1):
        options = "\n".join(f"{o.printed}{'*' if o.correct else ''} {o.share:.0%} "
                            f"{_short(o.text)}"
                            for o in sorted(item.options, key=lambda o: o.printed)) or "-"
        rows.append([str(number), item.id, f"{item.difficulty}/{item.knowledge}", str(item.n),
                     f"{item.facility:.2f}",
                     "-" if item.discrimination is None else f"{item.discrimination:.2f}",
                     "-" if item.upper_lower is None else f"{item.upper_lower:.2f}",
                     "\n".join(kinds.get(item.id, [])), options])
    table = Table(rows, repeatRows=1, colWidths=[6 * mm, 30 * mm, 26 * mm, 9 * mm, 13 * mm,
                                                 13 * mm, 15 * mm, 25 * mm, width - 137 * mm])
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 6.5),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
