"""Exam and answer-key PDFs with reportlab: what a lecturer hands out, what a grader uses.

The question loop stays in Python; the layout supplies paper, fonts, colours, labels and
the text blocks. Every text from the bank is escaped before it reaches Paragraph markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

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
GUTTER, OPTION_INDENT, LABEL_INSET, POINTS_WIDTH = 8 * mm, 19 * mm, 8 * mm, 22 * mm
BLANK = "\u00a0" * 2 + "_" * 14


class _StableParagraph(Paragraph):
    """A Paragraph that remembers its line breaks for the width it was last wrapped at."""

    _wrapped: tuple | None = None

    def wrap(self, available_width, available_height):
        if self._wrapped and self._wrapped[0] == available_width:
            _, self.width, self.height, self.blPara = self._wrapped
            return self.width, self.height
        size = super().wrap(available_width, available_height)
        self._wrapped = (available_width, self.width, self.height, self.blPara)
        return size


@dataclass(frozen=True, eq=False)
class _Page:
    """What every flowable needs to know: styles, widths, labels and colours."""

    layout: Layout
    width: float
    height: float  # what one page's frame holds: a taller question has to split
    sans: str
    mono: str
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    right: ParagraphStyle
    centre: ParagraphStyle
    cache: dict = field(default_factory=dict, compare=False)

    def text(self, text: str) -> str:
        return to_reportlab(text, self.mono)

    def paragraph(self, markup: str, style: str) -> Paragraph:
        """A paragraph shared by every document of this process that prints the same text:
        variants differ in order, not in text, so each is parsed and wrapped once."""
        key = (markup, style)
        cached = self.cache.get(key)
        if cached is None:
            if len(self.cache) > 20_000:
                self.cache.clear()
            cached = self.cache[key] = _StableParagraph(markup, getattr(self, style))
        return cached

    def label(self, key: str) -> str:
        return to_reportlab(self.layout.labels[key], self.mono)


@lru_cache(maxsize=8)
def _page(layout: Layout, paper: str) -> tuple[_Page, tuple[float, float]]:
    """Styles and measures for a layout, made once so its paragraph cache lives on."""
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
    # What the frame offers inside its 6 pt padding on every side.
    width = pagesize[0] - (float(margins["left"]) + float(margins["right"])) * mm - 12
    height = pagesize[1] - (float(margins["top"]) + float(margins["bottom"])) * mm - 12
    return _Page(layout, width, height, sans, mono, body, small, title,
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
    story += _questions(page, exam, variant, key=False)
    return _build(story, page, pagesize, header, variant, exam)


def render_key(exam: Exam, variant: Variant, layout: Layout, header: dict,
               paper: str = "a4") -> bytes:
    """The grader's key: a grid first, then every question with its solution and cell."""
    page, pagesize = _page(layout, paper)
    context = _context(exam, variant, header)
    story = _blocks(page, layout.render("key_header", context), first_is_title=True)
    story += [Spacer(1, 4 * mm), Paragraph(f"<b>{page.label('grid')}</b>", page.body),
              Spacer(1, 2 * mm), _grid(page, exam, variant), Spacer(1, 6 * mm)]
    story += _questions(page, exam, variant, key=True)
    story += [Paragraph(f"<b>{page.label('totals_per_cell')}</b>", page.body),
              Spacer(1, 2 * mm), _cell_totals(page, exam)]
    return _build(story, page, pagesize, header, variant, exam, key=True)


def _questions(page: _Page, exam: Exam, variant: Variant, key: bool) -> list:
    """The questions in the variant's order, each kept on one page."""
    by_id = {q.id: q for q in exam.questions}
    story: list[Flowable] = []
    for number, qid in enumerate(variant.order, 1):
        parts = _question(page, number, by_id[qid], variant.options.get(qid), key)
        story += [_QuestionBlock(parts, page.height), Spacer(1, 5 * mm)]
    return story


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


def _question(page: _Page, number: int, q: Question, permutation, key: bool) -> list:
    points = f"{q.points:g} {page.label('point_abbr')}"
    hint = ""
    if q.type in CHOICE_TYPES:
        which = "one_answer" if q.type == "single" else "several_answers"
        hint = f' <font size="{page.small.fontSize}" color="#555555">({page.label(which)})</font>'
    text = _cloze_text(page, q) if q.type == "cloze" else page.text(q.text)
    head = _Hanging(page, f"{number}.", page.paragraph(f"{text}{hint}", "body"), points,
                    indent=GUTTER, bold=True)
    parts: list[Flowable] = [head]
    if key:
        parts.insert(0, _Badge(page, q))
    if q.image is not None:
        parts += [Spacer(1, 2 * mm), _Indented(_image(q, page.width * 0.8), GUTTER)]
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


def _option_rows(page: _Page, texts: list[str], correct: list[bool], key: bool) -> list:
    """One row per option: box and letter in the gutter, the text as a paragraph."""
    colour = page.layout.colour("correct")
    rows = []
    for pos, (text, right) in enumerate(zip(texts, correct, strict=True)):
        body = page.text(text)
        ticked = key and right
        if ticked:
            body = f'<font color="{colour}"><b>{body}</b></font>'
        rows.append(_Hanging(page, f"{TICKED_BOX if ticked else EMPTY_BOX}\u2002{LETTERS[pos]})",
                             page.paragraph(body, "body"), indent=OPTION_INDENT,
                             colour=colour if ticked else None, gap=2))
    return rows


def _choice_body(page: _Page, q: Question, permutation, key: bool) -> list:
    order = permutation or tuple(range(len(q.options)))
    options = [q.options[i] for i in order]
    return _option_rows(page, [o.text for o in options], [o.correct for o in options], key)


def _truefalse_body(page: _Page, q: Question, permutation, key: bool) -> list:
    labels = [page.layout.labels["true"], page.layout.labels["false"]]
    return _option_rows(page, labels, [q.answer is True, q.answer is False], key)


class _AnswerLine(Flowable):
    """'Answer: ________ unit' for short and numeric questions."""

    def __init__(self, page: _Page, suffix: str = ""):
        super().__init__()
        self.page, self.suffix = page, suffix
        self.label = page.layout.labels["answer"] + ":"

    def wrap(self, available_width, available_height):
        return available_width, 9 * mm

    def draw(self):
        canvas, size = self.canv, self.page.body.fontSize
        canvas.setFont(self.page.sans, size)
        canvas.drawString(GUTTER, 1.5 * mm, self.label)
        canvas.setLineWidth(0.6)
        canvas.line(GUTTER + 24 * mm, 1 * mm, GUTTER + 104 * mm, 1 * mm)
        if self.suffix:
            canvas.drawString(GUTTER + 106 * mm, 1.5 * mm, self.suffix)


def _short_body(page: _Page, q: Question, permutation, key: bool) -> list:
    return [] if key else [_AnswerLine(page)]


def _numeric_body(page: _Page, q: Question, permutation, key: bool) -> list:
    return [] if key else [_AnswerLine(page, q.unit)]


class _RuledLines(Flowable):
    """The answer area of an open question: ``count`` lines to write on.

    A very tall area continues on the next page rather than failing the layout.
    """

    def __init__(self, count: int, spacing: float, colour: str):
        super().__init__()
        self.count, self.spacing, self.colour = count, spacing, colour
        self.height = count * spacing

    def wrap(self, available_width, available_height):
        self.width = available_width
        return self.width, self.height

    def split(self, available_width, available_height):
        fit = int(available_height // self.spacing)
        if fit < 1 or fit >= self.count:
            return []
        return [_RuledLines(fit, self.spacing, self.colour),
                _RuledLines(self.count - fit, self.spacing, self.colour)]

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
    return [_RuledLines(q.answer_lines, spacing, page.layout.colour("rule"))]


def _cloze_body(page: _Page, q: Question, permutation, key: bool) -> list:
    out = []
    for n, gap in enumerate(q.gaps, 1):
        if gap.is_choice and not key:
            choices = "\u2003".join(f"{EMPTY_BOX}\u00a0{page.text(o.text)}" for o in gap.options)
            out.append(_Indented(Paragraph(f"<b>({n})</b>\u2003{choices}", page.body), GUTTER))
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
    return [Spacer(1, 1 * mm), *(_Indented(n, GUTTER) for n in notes)]


def _level_colours(page: _Page, level: str) -> tuple[colors.Color, colors.Color]:
    background = colors.HexColor(page.layout.colour(level))
    return background, colors.black if level == "yellow" else colors.white


class _Badge(Flowable):
    """The question's cell in its level colour, e.g. 'hard · application · red'."""

    def __init__(self, page: _Page, q: Question):
        super().__init__()
        self.page = page
        self.text = f"{q.difficulty.value} · {q.knowledge.value} · {q.level.value} · {q.id}"
        self.background, self.ink = _level_colours(page, q.level.value)
        self.size = page.small.fontSize
        self.box_width = stringWidth(self.text, page.sans, self.size) + 8

    def wrap(self, available_width, available_height):
        return self.box_width, self.size + 6

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(self.background)
        canvas.roundRect(0, 1, self.box_width, self.size + 4, 2, stroke=0, fill=1)
        canvas.setFillColor(self.ink)
        canvas.setFont(self.page.sans, self.size)
        canvas.drawString(4, 4, self.text)


class _QuestionBlock(Flowable):
    """A question kept on one page: its parts are measured once and drawn together.

    Only a question taller than a whole page is handed back in parts, so that the frame
    can split it (reportlab's KeepTogether would measure every part twice).
    """

    def __init__(self, parts: list[Flowable], page_height: float):
        super().__init__()
        self.parts, self.page_height = parts, page_height
        self._measured: tuple[float, list[float]] | None = None

    def wrap(self, available_width, available_height):
        if self._measured is None or self._measured[0] != available_width:
            heights = [part.wrap(available_width, available_height)[1] for part in self.parts]
            self._measured = (available_width, heights)
        self.width, self.height = available_width, sum(self._measured[1])
        return self.width, self.height

    def split(self, available_width, available_height):
        return list(self.parts) if self.height > self.page_height else []

    def draw(self):
        y = self.height
        for part, height in zip(self.parts, self._measured[1], strict=True):
            y -= height
            part.drawOn(self.canv, 0, y)


class _Indented(Flowable):
    """Any flowable moved right by ``indent``, to line up with the question text."""

    def __init__(self, inner: Flowable, indent: float):
        super().__init__()
        self.inner, self.indent = inner, indent

    def wrap(self, available_width, available_height):
        _, self.height = self.inner.wrap(available_width - self.indent, available_height)
        self.width = available_width
        return self.width, self.height

    def draw(self):
        self.inner.drawOn(self.canv, self.indent, 0)


class _Hanging(Flowable):
    """A paragraph with a label hanging in the gutter (a question number, an option's box
    and letter) and, optionally, the points at the right margin.

    The paragraph holds no number or letter, so the same paragraph serves every variant.
    """

    def __init__(self, page: _Page, label: str, paragraph: Paragraph, points: str = "",
                 indent: float = 0, bold: bool = False, colour: str | None = None,
                 gap: float = 0):
        super().__init__()
        self.page, self.label, self.paragraph, self.points = page, label, paragraph, points
        self.indent, self.bold, self.colour, self.gap = indent, bold, colour, gap

    def wrap(self, available_width, available_height):
        self.width = available_width
        right = POINTS_WIDTH if self.points else 0
        _, height = self.paragraph.wrap(available_width - self.indent - right, available_height)
        self.height = height + self.gap
        return available_width, self.height

    def draw(self):
        canvas, size = self.canv, self.page.body.fontSize
        baseline = self.height - self.gap - size
        canvas.setFont(f"{self.page.sans}-10" if self.bold else self.page.sans, size)
        if self.colour:
            canvas.setFillColor(colors.HexColor(self.colour))
        canvas.drawString(LABEL_INSET if self.indent == OPTION_INDENT else 0, baseline,
                          self.label)
        canvas.setFillColor(colors.black)
        self.paragraph.drawOn(canvas, self.indent, 0)  # after the label: reading order
        if self.points:
            canvas.setFont(self.page.sans, size)
            canvas.drawRightString(self.width, baseline, self.points)


def _grid_answer(page: _Page, q: Question, permutation) -> str:
    """The answer as plain text for the grid (the grid's cells are not markup)."""
    value = answer(q, permutation)
    labels = page.layout.labels
    if q.type == "multiple":
        return ", ".join(value)
    if q.type == "truefalse":
        return labels[value]
    if q.type == "open":
        return labels["see_below"]
    if q.type == "cloze":
        return "  ".join(f"({n}) {v}" for n, v in enumerate(value, 1))
    return to_plain(value)


def _grid(page: _Page, exam: Exam, variant: Variant) -> Table:
    """Question number -> answer, points and cell: plain cells, drawn without wrapping."""
    by_id = {q.id: q for q in exam.questions}
    widths = [14 * mm, page.width - 14 * mm - 18 * mm - 36 * mm, 18 * mm, 36 * mm]
    rows = [[page.layout.labels[k] for k in ("number", "answer", "points", "cell")]]
    bold = f"{page.sans}-10"
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(page.layout.colour("rule"))),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
             ("FONT", (0, 0), (-1, -1), page.sans, page.small.fontSize),
             ("FONT", (0, 0), (-1, 0), bold, page.small.fontSize),
             ("FONT", (1, 1), (1, -1), bold, page.small.fontSize),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    fits = widths[1] - 8
    for number, qid in enumerate(variant.order, 1):
        q = by_id[qid]
        background, ink = _level_colours(page, q.level.value)
        shown: str | Paragraph = _grid_answer(page, q, variant.options.get(qid))
        if stringWidth(shown, bold, page.small.fontSize) > fits:
            shown = Paragraph(f"<b>{page.text(shown)}</b>", page.small)
        rows.append([str(number), shown, f"{q.points:g}", q.cell])
        style += [("BACKGROUND", (3, number), (3, number), background),
                  ("TEXTCOLOR", (3, number), (3, number), ink)]
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


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis until it fits ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


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
            room = width / 2 - float(margins["left"]) * mm - 28 * mm
            self.drawString(float(margins["left"]) * mm, y, _fit(left, page.sans, 8, room))
            text = pattern.replace("{page}", str(self._pageNumber)).replace("{pages}", str(total))
            self.drawCentredString(width / 2, y, text)
            self.drawRightString(width - float(margins["right"]) * mm, y, right)

    return NumberedCanvas
