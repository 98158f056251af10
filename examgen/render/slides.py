"""Lecture slides of quiz questions (16:9): a question slide with the options lettered
A, B, C as clickers use them and the question's place on the lecture's matrix, and a
reveal slide with the correct options marked and the explanation.

Drawn with reportlab on examgen's formula canvas, so formulas are the PDFs' own vector
formulas at the slide's type size. The matrix is the seed's: difficulty down, kind of
knowledge across, the question's cell in its level colour (``table``), or that colour
alone as a badge (``badge``), or left out (``none``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table

from examgen.core.header import ExamHeader
from examgen.core.markup import to_plain
from examgen.core.model import (
    GAP_MARK,
    LETTERS,
    LEVELS,
    ChoiceGap,
    ChoiceQuestion,
    Cloze,
    Difficulty,
    Knowledge,
    Matching,
    Numeric,
    OpenQuestion,
    Permutation,
    Question,
    ShortAnswer,
    TrueFalse,
    numeric_answer,
)
from examgen.render.layout import Layout
from examgen.render.math_drawing import FormulaCanvas
from examgen.render.page import Page, level_colours, page_for
from examgen.render.pictures import printable
from examgen.render.questions import CHOOSE_BELOW, gap_marker

WIDTH, HEIGHT = 960.0, 540.0  # 16:9, in points (33.9 x 19.1 cm)
MARGIN = 40.0
MATRICES = ("table", "badge", "none")
_SIZES = (26.0, 22.0, 19.0, 16.0, 14.0, 12.0)  # the text shrinks until the slide holds it
CLICKER_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class _Deck:
    """What every part of the slides needs."""

    questions: list[Question]
    layout: Layout
    header: ExamHeader
    matrix: str
    reveal: bool
    title_slide: bool
    summary: bool
    orders: dict[str, Permutation]


# From this many questions on, the slides are drawn in two halves on two processes and
# joined by PDFium (always two: the same file on any machine, one core or many).
_HALVES_FROM = 12


def render_slides(questions: list[Question], layout: Layout, header: ExamHeader,
                  matrix: str = "table", reveal: bool = True, title_slide: bool = False,
                  summary: bool = False,
                  orders: dict[str, Permutation] | None = None) -> bytes:
    """One PDF: (title), question and reveal slide per question, (summary); options in
    ``orders`` (a shuffled order per question, so that A is not always right)."""
    deck = _Deck(questions, layout, header, matrix, reveal, title_slide, summary,
                 orders or {})
    title = header.title or layout.labels["exam"]
    if len(questions) < _HALVES_FROM:
        return _draw(deck, 0, len(questions), title)
    from examgen.core.workers import run_all
    from examgen.render.merge import concatenate

    half = (len(questions) + 1) // 2
    halves = run_all(_half, [(0, half), (half, len(questions))], "drawing the slides",
                     start=_ready, given=deck)
    return concatenate(halves, {"Title": title})


def _ready(deck: _Deck) -> None:
    """The fonts, read before the halves are forked so that both start with them."""
    from examgen.render.fonts import read_text_faces

    read_text_faces()


def _half(piece: tuple[int, int]) -> bytes:
    from examgen.core.workers import job

    return _draw(job(), *piece, title="")


def _draw(deck: _Deck, first: int, stop: int, title: str) -> bytes:
    """The slides of questions ``first`` to ``stop`` (with the title slide before the
    first question, and the summary after the last), numbered as in the whole deck."""
    buffer = io.BytesIO()
    canvas = FormulaCanvas(buffer, pagesize=(WIDTH, HEIGHT), invariant=1)  # same input, same bytes
    canvas.setTitle(title)
    header, layout, questions = deck.header, deck.layout, deck.questions
    base, _ = page_for(layout, "a4")
    number = (deck.title_slide and first > 0) + first * (2 if deck.reveal else 1)  # before

    def finish() -> None:
        nonlocal number
        number += 1
        canvas.setFont(base.sans, 10)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawRightString(WIDTH - MARGIN, 18, str(number))
        footer = " · ".join(filter(None, [header.course, header.title]))
        if footer:
            canvas.drawString(MARGIN, 18, to_plain(footer)[:120])
        canvas.showPage()

    if deck.title_slide and first == 0:
        _title_slide(canvas, base, header, layout, len(questions))
        finish()
    for q in questions[first:stop]:
        order = deck.orders.get(q.id)
        size = _question_slide(canvas, base, q, deck.matrix, False, order,
                               fit_answer=deck.reveal)
        finish()
        if deck.reveal:  # in the size the question slide chose for both
            _question_slide(canvas, base, q, deck.matrix, True, order, size=size)
            finish()
    if deck.summary and stop == len(questions):
        _summary_slide(canvas, base, questions)
        finish()
    canvas.save()
    return buffer.getvalue()


@lru_cache(maxsize=len(_SIZES) * 2)
def _page(base: Page, size: float) -> Page:
    """The layout's page with the slide's type sizes (formulas follow the size); one per
    size, so that its texts are converted and its formulas typeset once for all slides."""
    body = ParagraphStyle("slide-body", parent=base.body, fontSize=size, leading=size * 1.25)
    small = ParagraphStyle("slide-small", parent=base.body, fontSize=size * 0.7,
                           leading=size * 0.9)
    return replace(base, body=body, small=small, cache={}, tall={}, markup={})


def _question_slide(canvas: Any, base: Page, q: Question, matrix: str, answer: bool,
                    order: Permutation | None, fit_answer: bool = False,
                    size: float | None = None) -> float:
    """One slide in type of ``size``, or else of the largest size at which it fits, and
    the answer slide too (``fit_answer``), so that the question does not change size when
    it is revealed; returns the size."""
    labels = base.layout.labels
    accent = colors.HexColor(base.layout.colour("accent"))
    canvas.setFillColor(accent)
    canvas.setFont(base.sans, 15)
    topic = to_plain(q.topic) + (f"  ·  {labels['slide_answer']}" if answer else "")
    canvas.drawString(MARGIN, HEIGHT - MARGIN - 6, topic)
    right = WIDTH - MARGIN
    if matrix == "table":
        right = _matrix(canvas, base, q) - 20
    elif matrix == "badge":
        right = _badge(canvas, base, q) - 20
    top = HEIGHT - MARGIN - 30
    width = right - MARGIN
    picture = None
    if q.image is not None:
        picture = printable(q.image, WIDTH * 0.32, HEIGHT * 0.5)
        width = min(width, WIDTH - 2 * MARGIN - picture.drawWidth - 24)
    def heights_of(blocks: list[tuple[str, Any, Any]]) -> list[float]:
        return [b.wrap(width - (44 if kind == "option" else 0), HEIGHT)[1]
                for kind, b, _ in blocks]

    chosen = _SIZES[-1]
    for chosen in _SIZES if size is None else (size,):  # the largest type that fits
        page = _page(base, chosen)
        measured = _blocks(page, q, answer or fit_answer, order)
        if sum(heights_of(measured)) + 10 * len(measured) <= top - 40:
            break
    blocks = measured if answer or not fit_answer else _blocks(page, q, answer, order)
    heights = heights_of(blocks)
    y = top
    for (kind, block, state), height in zip(blocks, heights, strict=True):
        if kind == "option":
            _option_mark(canvas, base, page, block, state, answer, y, height)
            block.drawOn(canvas, MARGIN + 44, y - height)
        else:
            block.drawOn(canvas, MARGIN, y - height)
        y -= height + 10
    if picture is not None:
        picture.drawOn(canvas, WIDTH - MARGIN - picture.drawWidth,
                       max(60, top - 150 - picture.drawHeight))
    return chosen


def _blocks(page: Page, q: Question, answer: bool,
            order: Permutation | None = None) -> list[tuple[str, Any, Any]]:
    """(kind, paragraph, state) top to bottom: the stem, the options (state: letter and
    correct), and on the reveal slide the answer and explanation."""
    labels = page.layout.labels
    green = page.layout.colour("correct")
    stem = page.text(q.text) if q.text else ""
    if isinstance(q, Cloze):
        solutions = [g.solution for g in q.gaps]

        def gap(match: Any) -> str:
            n = int(match.group(1))
            if answer:
                shown = (page.text(solutions[n - 1]) if isinstance(q.gaps[n - 1], ChoiceGap)
                         else page.literal(solutions[n - 1]))
                return f'<font color="{green}"><b>{shown}</b></font>'
            return gap_marker(n, q.gaps[n - 1], "\u00a0________")
        stem = GAP_MARK.sub(gap, stem)
    blocks: list[tuple[str, Any, Any]] = [("stem", _paragraph(page, stem, "body"), None)]
    options: list[tuple[str, bool, Path | None]] = []
    if isinstance(q, ChoiceQuestion):
        options = [(page.text(o.text) if o.text else "", o.correct, o.image)
                   for o in q.shown(order)]
    elif isinstance(q, TrueFalse):
        options = [(page.label("true"), q.answer, None),
                   (page.label("false"), not q.answer, None)]
    elif isinstance(q, Cloze) and not answer:
        for n, g in enumerate(q.gaps, 1):
            if isinstance(g, ChoiceGap):
                choices = " · ".join(page.text(o.text) for o in g.options)
                blocks.append(("note", _paragraph(page, f"<b>({n})</b>{CHOOSE_BELOW} {choices}",
                                                  "small"),
                               None))
    elif isinstance(q, Matching):  # left items numbered, right items lettered
        shown = q.shown(order)
        lefts = "<br/>".join(f"<b>{n}.</b> {page.text(p.left)}" for n, p in enumerate(q.pairs, 1))
        rights = "<br/>".join(f"<b>{LETTERS[k]})</b> {page.text(t)}" for k, t in enumerate(shown))
        blocks += [("note", _paragraph(page, lefts, "body"), None),
                   ("note", _paragraph(page, rights, "body"), None)]
        if answer:
            pairs = ", ".join(f"{n}\u00a0\u2192\u00a0{letter}"
                              for n, letter in enumerate(q.partner_letters(order), 1))
            blocks.append(("note", _paragraph(
                page, f'<font color="{green}"><b>{pairs}</b></font>', "body"), None))
    for n, (text, right, image) in enumerate(options):
        style = page.style("body", text)
        if answer and not right:
            style = ParagraphStyle("slide-wrong", parent=style,
                                   textColor=colors.HexColor("#9e9e9e"))
        block: Any = Paragraph(text, style)
        if image is not None:  # the picture beside the text (or alone), in one row
            cells = [block, printable(image, 160, 80)] if text else [printable(image, 160, 80)]
            block = Table([cells], hAlign="LEFT", style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
        blocks.append(("option", block, (CLICKER_LETTERS[n], right)))
    if answer:
        solution = _solution(page, q)
        if solution:
            blocks.append(("note", _paragraph(
                page, f'<font color="{green}"><b>{solution}</b></font>', "body"), None))
        if q.explanation:
            blocks.append(("note", _paragraph(
                page, f"<b>{labels['explanation']}:</b> {page.text(q.explanation, 'small')}",
                "small"), None))
    return blocks


def _paragraph(page: Page, markup: str, style: str) -> Paragraph:
    """A paragraph whose lines grow around a tall formula (the page's own rule)."""
    return Paragraph(markup, page.style(style, markup))


def _solution(page: Page, q: Question) -> str:
    labels = page.layout.labels
    match q:
        case Numeric():
            return f"{labels['value']}: {page.literal(numeric_answer(q, page.number))}"
        case ShortAnswer():
            return f"{labels['accepted']}: " + " | ".join(page.literal(a) for a in q.answers)
        case OpenQuestion():
            return f"{labels['model_answer']}: {page.text(q.model_answer or '-')}"
    return ""


def _option_mark(canvas: Any, base: Page, page: Page, block: Any, state: Any, answer: bool,
                 y: float, height: float) -> None:
    """The clicker letter in a rounded box; on the reveal slide the correct ones filled."""
    letter, right = state
    size = min(30.0, page.body.fontSize * 1.3)
    top = y - (page.body.leading - size) / 2 - 2
    correct = colors.HexColor(base.layout.colour("correct"))
    if answer and right:
        canvas.setFillColor(correct)
        canvas.setStrokeColor(correct)
        canvas.roundRect(MARGIN, top - size, size, size, 5, stroke=1, fill=1)
        canvas.setFillColor(colors.white)
    else:
        canvas.setStrokeColor(colors.HexColor("#9e9e9e" if answer else "#1f3a5f"))
        canvas.setLineWidth(1.2)
        canvas.roundRect(MARGIN, top - size, size, size, 5, stroke=1, fill=0)
        canvas.setFillColor(colors.HexColor("#9e9e9e" if answer else "#1f3a5f"))
    canvas.setFont(f"{base.sans}-10", size * 0.6)
    canvas.drawCentredString(MARGIN + size / 2, top - size * 0.72, letter)


def _matrix(canvas: Any, base: Page, q: Question) -> float:
    """The lecture's matrix at the top right, the question's cell in its colour; returns
    its left edge."""
    labels = base.layout.labels
    cell_w, cell_h, head_w, font = 104.0, 22.0, 96.0, 10.0
    left = WIDTH - MARGIN - head_w - 2 * cell_w
    top = HEIGHT - MARGIN + 8
    canvas.setFont(base.sans, font)
    canvas.setFillColor(colors.HexColor("#444444"))
    canvas.drawString(left, top - 12, labels["matrix_difficulty"])
    canvas.drawCentredString(left + head_w + cell_w, top + 2, labels["matrix_knowledge"])
    for col, knowledge in enumerate(Knowledge):
        canvas.drawCentredString(left + head_w + cell_w * (col + 0.5), top - 12,
                                 labels[knowledge.value])
    for row, difficulty in enumerate(Difficulty):
        y = top - 18 - cell_h * (row + 1)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.setFont(base.sans, font)
        canvas.drawString(left, y + 7, labels[difficulty.value])
        for col, knowledge in enumerate(Knowledge):
            x = left + head_w + cell_w * col
            mine = (difficulty, knowledge) == (q.difficulty, q.knowledge)
            level = LEVELS[(difficulty, knowledge)].value
            background, ink = level_colours(base, level)
            canvas.setStrokeColor(colors.HexColor("#9e9e9e"))
            canvas.setLineWidth(0.6)
            if mine:
                canvas.setFillColor(background)
                canvas.rect(x, y, cell_w, cell_h, stroke=1, fill=1)
                canvas.setFillColor(ink)
                canvas.setFont(f"{base.sans}-10", font)
                canvas.drawCentredString(x + cell_w / 2, y + 7, labels[level])
            else:
                canvas.rect(x, y, cell_w, cell_h, stroke=1, fill=0)
    return left


def _badge(canvas: Any, base: Page, q: Question) -> float:
    """The question's level colour alone, with its cell in words; returns its left edge."""
    labels = base.layout.labels
    background, ink = level_colours(base, q.level.value)
    text = f"{labels[q.difficulty.value]} · {labels[q.knowledge.value]}"
    width = float(canvas.stringWidth(text, base.sans, 11)) + 24
    left = WIDTH - MARGIN - width
    canvas.setFillColor(background)
    canvas.roundRect(left, HEIGHT - MARGIN - 12, width, 22, 11, stroke=0, fill=1)
    canvas.setFillColor(ink)
    canvas.setFont(base.sans, 11)
    canvas.drawCentredString(left + width / 2, HEIGHT - MARGIN - 5, text)
    return left


def _title_slide(canvas: Any, base: Page, header: ExamHeader, layout: Layout,
                 count: int) -> None:
    canvas.setFillColor(colors.HexColor(layout.colour("accent")))
    canvas.setFont(base.sans, 40)
    canvas.drawCentredString(WIDTH / 2, HEIGHT / 2 + 30,
                             to_plain(header.title or layout.labels["exam"])[:60])
    canvas.setFillColor(colors.HexColor("#444444"))
    canvas.setFont(base.sans, 20)
    below = " · ".join(filter(None, [header.course, header.date,
                                     f"{count} {layout.labels['questions']}"]))
    canvas.drawCentredString(WIDTH / 2, HEIGHT / 2 - 20, to_plain(below)[:90])


def _summary_slide(canvas: Any, base: Page, questions: list[Question]) -> None:
    labels = base.layout.labels
    canvas.setFillColor(colors.HexColor(base.layout.colour("accent")))
    canvas.setFont(base.sans, 30)
    canvas.drawString(MARGIN, HEIGHT - MARGIN - 30, labels["slide_summary"])
    counts: dict[str, int] = {}
    for q in questions:
        counts[q.topic] = counts.get(q.topic, 0) + 1
    canvas.setFillColor(colors.black)
    canvas.setFont(base.sans, 20)
    y = HEIGHT - MARGIN - 90
    for topic, n in counts.items():
        canvas.drawString(MARGIN + 20, y, f"•  {to_plain(topic)} ({n})")
        y -= 34
        if y < 60:
            break
