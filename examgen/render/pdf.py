"""Exam and answer-key PDFs with reportlab: what a lecturer hands out, what a grader uses.

The question loop stays in Python; the layout supplies paper, fonts, colours, labels and
the text blocks. Every text from the bank is escaped before it reaches Paragraph markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..markup import to_plain, to_reportlab
from ..model import CELLS, CHOICE_TYPES, LEVELS, Difficulty, Exam, Knowledge, Question, Variant
from ..variants import LETTERS, answer
from .fonts import register_fonts
from .layout import Layout

PAPERS = {"a4": A4, "letter": LETTER}
EMPTY_BOX, TICKED_BOX = "\u2610", "\u2612"
BLANK = "\u00a0" * 2 + "_" * 14


@dataclass(frozen=True)
class _Page:
    """What every flowable needs to know: styles, widths, labels and colours."""

    layout: Layout
    width: float
    sans: str
    mono: str
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    right: ParagraphStyle
    centre: ParagraphStyle

    def text(self, text: str) -> str:
        return to_reportlab(text, self.mono)

    def label(self, key: str) -> str:
        return to_reportlab(self.layout.labels[key], self.mono)


def _page(layout: Layout, paper: str) -> tuple[_Page, tuple[float, float]]:
    sans, mono = register_fonts()
    fonts = layout.settings["fonts"]
    size, leading = float(fonts["size"]), float(fonts["leading"])
    body = ParagraphStyle("body", fontName=sans, fontSize=size, leading=leading)
    small = ParagraphStyle("small", parent=body, fontSize=float(fonts["small_size"]),
                           leading=float(fonts["small_size"]) * 1.3)
    title = ParagraphStyle("title", parent=body, fontSize=float(fonts["title_size"]),
                           leading=float(fonts["title_size"]) * 1.25,
                           textColor=colors.HexColor(layout.colour("accent")), spaceAfter=2)
    pagesize = PAPERS[paper]
    margins = layout.settings["margins"]
    width = pagesize[0] - (float(margins["left"]) + float(margins["right"])) * mm
    return _Page(layout, width, sans, mono, body, small, title,
                 ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
                 ParagraphStyle("centre", parent=small, alignment=TA_CENTER)), pagesize


def render_exam(exam: Exam, variant: Variant, layout: Layout, header: dict,
                paper: str = "a4") -> bytes:
    """The exam as handed out: no answers, no explanations, no level colours."""
    page, pagesize = _page(layout, paper)
    context = _context(exam, variant, header)
    story = _blocks(page, layout.render("header", context), first_is_title=True)
    story += [Spacer(1, 3 * mm), _name_fields(page), Spacer(1, 4 * mm)]
    story += _blocks(page, layout.render("instructions", context))
    story += [Spacer(1, 3 * mm), *_points_table(page, exam, variant), Spacer(1, 6 * mm)]
    by_id = {q.id: q for q in exam.questions}
    for number, qid in enumerate(variant.order, 1):
        q = by_id[qid]
        story.append(KeepTogether(_question(page, number, q, variant.options.get(qid), False)))
        story.append(Spacer(1, 5 * mm))
    return _build(story, page, pagesize, header, variant, exam)


def render_key(exam: Exam, variant: Variant, layout: Layout, header: dict,
               paper: str = "a4") -> bytes:
    """The grader's key: a grid first, then every question with its solution and cell."""
    page, pagesize = _page(layout, paper)
    context = _context(exam, variant, header)
    story = _blocks(page, layout.render("key_header", context), first_is_title=True)
    story += [Spacer(1, 4 * mm), Paragraph(f"<b>{page.label('grid')}</b>", page.body),
              Spacer(1, 2 * mm), _grid(page, exam, variant), Spacer(1, 6 * mm)]
    by_id = {q.id: q for q in exam.questions}
    for number, qid in enumerate(variant.order, 1):
        q = by_id[qid]
        story.append(KeepTogether(_question(page, number, q, variant.options.get(qid), True)))
        story.append(Spacer(1, 5 * mm))
    story += [Paragraph(f"<b>{page.label('totals_per_cell')}</b>", page.body),
              Spacer(1, 2 * mm), _cell_totals(page, exam)]
    return _build(story, page, pagesize, header, variant, exam, key=True)


def _context(exam: Exam, variant: Variant, header: dict) -> dict:
    """The variables a layout's templates may use."""
    return {
        "title": header.get("title", ""), "course": header.get("course", ""),
        "date": header.get("date", ""), "duration": header.get("duration", ""),
        "instructions": header.get("instructions", ""),
        "variant": variant.name if len(exam.variants) > 1 else "",
        "form": exam.name, "question_count": len(exam.questions),
        "total_points": f"{exam.total_points:g}",
        "has_single": any(q.type in ("single", "truefalse") for q in exam.questions),
        "has_multiple": any(q.type == "multiple" for q in exam.questions),
    }


def _blocks(page: _Page, text: str, first_is_title: bool = False) -> list:
    """A template's output: paragraphs separated by blank lines, in the light markup."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    out = []
    for i, para in enumerate(paragraphs):
        style = page.title if first_is_title and i == 0 else page.body
        out.append(Paragraph(page.text(para), style))
    return out


def _name_fields(page: _Page) -> Table:
    rows = [[Paragraph(page.label("name"), page.body), ""],
            [Paragraph(page.label("student_id"), page.body), ""]]
    table = Table(rows, colWidths=[35 * mm, page.width - 35 * mm], rowHeights=9 * mm)
    table.setStyle(TableStyle([
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]))
    return table


def _points_table(page: _Page, exam: Exam, variant: Variant) -> list:
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
        rows = [[Paragraph(c, page.centre) for c in head], [Paragraph(c, page.centre) for c in pts],
                [Paragraph(page.label("score"), page.centre)] + [""] * (len(head) - 1)]
        first, total = 24 * mm, 15 * mm
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


def _question(page: _Page, number: int, q: Question, permutation, key: bool) -> list:
    points = f"{q.points:g} {page.label('point_abbr')}"
    hint = ""
    if q.type in CHOICE_TYPES:
        which = "one_answer" if q.type == "single" else "several_answers"
        hint = f' <font size="{page.small.fontSize}" color="#555555">({page.label(which)})</font>'
    text = _cloze_text(page, q) if q.type == "cloze" else page.text(q.text)
    head = Table([[Paragraph(f"<b>{number}.</b>\u00a0{text}{hint}", page.body),
                   Paragraph(points, page.right)]],
                 colWidths=[page.width - 22 * mm, 22 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    parts: list[Flowable] = [head]
    if key:
        parts.insert(0, _badge(page, q))
    if q.image is not None:
        parts += [Spacer(1, 2 * mm), _image(q, page.width * 0.8)]
    parts.append(Spacer(1, 1.5 * mm))
    parts += _BODIES[q.type](page, q, permutation, key)
    if key:
        parts += _key_notes(page, q)
    return parts


def _cloze_text(page: _Page, q: Question) -> str:
    text = page.text(q.text)
    for n in range(1, len(q.gaps) + 1):
        text = text.replace(f"{{{{{n}}}}}", f"<b>({n})</b>{BLANK}")
    return text


def _image(q: Question, max_width: float) -> Image:
    image = Image(str(q.image))
    scale = min(1.0, max_width / image.imageWidth, (90 * mm) / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "LEFT"
    return image


def _option_rows(page: _Page, texts: list[str], correct: list[bool], key: bool) -> Table:
    colour = page.layout.colour("correct")
    rows = []
    for pos, (text, right) in enumerate(zip(texts, correct, strict=True)):
        box = TICKED_BOX if key and right else EMPTY_BOX
        body = page.text(text)
        if key and right:
            body = f'<font color="{colour}"><b>{body}</b></font>'
            box = f'<font color="{colour}">{box}</font>'
        rows.append([Paragraph(box, page.body), Paragraph(f"{LETTERS[pos]})", page.body),
                     Paragraph(body, page.body)])
    table = Table(rows, colWidths=[7 * mm, 7 * mm, page.width - 20 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _choice_body(page: _Page, q: Question, permutation, key: bool) -> list:
    order = permutation or tuple(range(len(q.options)))
    options = [q.options[i] for i in order]
    return [_option_rows(page, [o.text for o in options], [o.correct for o in options], key)]


def _truefalse_body(page: _Page, q: Question, permutation, key: bool) -> list:
    labels = [page.layout.labels["true"], page.layout.labels["false"]]
    return [_option_rows(page, labels, [q.answer is True, q.answer is False], key)]


def _answer_line(page: _Page, suffix: str = "") -> Table:
    table = Table([[Paragraph(page.label("answer") + ":", page.body), "",
                    Paragraph(page.text(suffix), page.body) if suffix else ""]],
                  colWidths=[24 * mm, 80 * mm, 20 * mm], rowHeights=9 * mm, hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return table


def _short_body(page: _Page, q: Question, permutation, key: bool) -> list:
    return [] if key else [_answer_line(page)]


def _numeric_body(page: _Page, q: Question, permutation, key: bool) -> list:
    return [] if key else [_answer_line(page, q.unit)]


class _RuledLines(Flowable):
    """The answer area of an open question: ``count`` lines to write on."""

    def __init__(self, width: float, count: int, spacing: float, colour: str):
        super().__init__()
        self.width, self.count, self.spacing, self.colour = width, count, spacing, colour
        self.height = count * spacing

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.setStrokeColor(colors.HexColor(self.colour))
        self.canv.setLineWidth(0.4)
        for n in range(self.count):
            y = self.height - (n + 1) * self.spacing
            self.canv.line(0, y, self.width, y)


def _open_body(page: _Page, q: Question, permutation, key: bool) -> list:
    if key:
        return []
    spacing = float(page.layout.settings["open_line_spacing"]) * mm
    return [_RuledLines(page.width, q.answer_lines, spacing, page.layout.colour("rule"))]


def _cloze_body(page: _Page, q: Question, permutation, key: bool) -> list:
    out = []
    for n, gap in enumerate(q.gaps, 1):
        if gap.is_choice and not key:
            choices = "\u2003".join(f"{EMPTY_BOX}\u00a0{page.text(o.text)}" for o in gap.options)
            out.append(Paragraph(f"<b>({n})</b>\u2003{choices}", page.body))
    return out


_BODIES = {"single": _choice_body, "multiple": _choice_body, "truefalse": _truefalse_body,
           "short": _short_body, "numeric": _numeric_body, "open": _open_body,
           "cloze": _cloze_body}


def _key_notes(page: _Page, q: Question) -> list:
    """Accepted answers, value, model answer, explanation and source, for the grader."""
    notes = []
    colour = page.layout.colour("correct")

    def note(label: str, text: str) -> None:
        notes.append(Paragraph(f'<b>{page.label(label)}:</b> <font color="{colour}">'
                               f"{text}</font>", page.body))

    if q.type == "short":
        note("accepted", " | ".join(page.text(a) for a in q.answers))
    elif q.type == "numeric":
        note("value", page.text(answer(q)))
    elif q.type == "open":
        note("model_answer", page.text(q.model_answer or "-"))
    elif q.type == "cloze":
        for n, gap in enumerate(q.gaps, 1):
            accepted = [gap.solution] if gap.is_choice else list(gap.answers)
            note("gap", f"({n}) " + " | ".join(page.text(a) for a in accepted))
    if q.explanation:
        notes.append(Paragraph(f"<b>{page.label('explanation')}:</b> {page.text(q.explanation)}",
                               page.small))
    if q.source:
        notes.append(Paragraph(f"<b>{page.label('source')}:</b> {page.text(q.source)}",
                               page.small))
    return [Spacer(1, 1 * mm), *notes]


def _level_colours(page: _Page, level: str) -> tuple[colors.Color, colors.Color]:
    background = colors.HexColor(page.layout.colour(level))
    return background, colors.black if level == "yellow" else colors.white


def _badge(page: _Page, q: Question) -> Table:
    background, ink = _level_colours(page, q.level.value)
    style = ParagraphStyle("badge", parent=page.small, textColor=ink)
    text = f"{q.difficulty.value} · {q.knowledge.value} · {q.level.value} · {q.id}"
    width = stringWidth(text, page.sans, style.fontSize) + 16
    badge = Table([[Paragraph(page.text(text), style)]], colWidths=[width], hAlign="LEFT")
    badge.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), background),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return badge


def _grid_answer(page: _Page, q: Question, permutation) -> str:
    value = answer(q, permutation)
    if q.type == "multiple":
        return ", ".join(value)
    if q.type == "truefalse":
        return page.label(value)
    if q.type == "open":
        return page.label("see_below")
    if q.type == "cloze":
        return "  ".join(f"({n}) {page.text(v)}" for n, v in enumerate(value, 1))
    return page.text(value)


def _grid(page: _Page, exam: Exam, variant: Variant) -> Table:
    by_id = {q.id: q for q in exam.questions}
    head = [page.label(k) for k in ("number", "answer", "points", "cell")]
    rows = [[Paragraph(f"<b>{h}</b>", page.small) for h in head]]
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(page.layout.colour("rule"))),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for number, qid in enumerate(variant.order, 1):
        q = by_id[qid]
        background, ink = _level_colours(page, q.level.value)
        rows.append([Paragraph(str(number), page.small),
                     Paragraph(f"<b>{_grid_answer(page, q, variant.options.get(qid))}</b>",
                               page.small),
                     Paragraph(f"{q.points:g}", page.small),
                     Paragraph(q.cell, ParagraphStyle("cell", parent=page.small,
                                                      textColor=ink))])
        style.append(("BACKGROUND", (3, number), (3, number), background))
    widths = [18 * mm, page.width - 18 * mm - 16 * mm - 38 * mm, 16 * mm, 38 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _cell_totals(page: _Page, exam: Exam) -> Table:
    head = [page.label("cell"), page.label("questions"), page.label("points")]
    rows = [[Paragraph(f"<b>{h}</b>", page.small) for h in head]]
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(page.layout.colour("rule"))),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]
    for row, cell in enumerate(CELLS, 1):
        difficulty, knowledge = cell.split("/")
        level = LEVELS[(Difficulty(difficulty), Knowledge(knowledge))].value
        background, ink = _level_colours(page, level)
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


def _build(story: list, page: _Page, pagesize, header: dict, variant: Variant, exam: Exam,
           key: bool = False) -> bytes:
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
    doc.build(story, canvasmaker=_numbered_canvas(page, footer_left, footer_right))
    return buffer.getvalue()


def _numbered_canvas(page: _Page, left: str, right: str):
    """A canvas that knows the page count when it draws the footers ("page X of Y")."""
    pattern = page.layout.labels["page"]
    margins = page.layout.settings["margins"]

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = self._pagesize[0]
            y = float(margins["bottom"]) * mm / 2
            self.setFont(page.sans, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(float(margins["left"]) * mm, y, left[:90])
            text = pattern.replace("{page}", str(self._pageNumber)).replace("{pages}", str(total))
            self.drawCentredString(width / 2, y, text)
            self.drawRightString(width - float(margins["right"]) * mm, y, right)

    return NumberedCanvas
