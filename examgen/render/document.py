"""What the exam and the key share: the question loop, the template context, text blocks
and the document with its footers. Every text from the bank is escaped before it reaches
Paragraph markup."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from examgen.core.header import ExamHeader
from examgen.core.markup import to_plain
from examgen.core.model import (
    ChoiceGap,
    Cloze,
    Exam,
    Matching,
    MultipleChoice,
    SingleChoice,
    Variant,
    format_number,
)
from examgen.render.canvases import FirstPageDrawn, numbered_canvas
from examgen.render.flowables import QuestionBlock
from examgen.render.page import Page
from examgen.render.questions import question_parts

_NUMBER_AND_WORD = re.compile(r"(?<=\d) (?=[^\W\d])")


def questions_story(page: Page, exam: Exam, variant: Variant, key: bool) -> list[Flowable]:
    """The questions in the variant's order, each kept on one page."""
    by_id = {q.id: q for q in exam.questions}
    story: list[Flowable] = []
    for number, qid in enumerate(variant.order, 1):
        parts = question_parts(page, number, variant.question(by_id[qid]),
                               variant.options.get(qid), key, variant.values.get(qid))
        if story:  # between questions only: a space after the last that no longer fits
            story.append(Spacer(1, 5 * mm))  # on its page would open a blank one
        story.append(QuestionBlock(parts, page.height))
    return story


def template_context(exam: Exam, variant: Variant, header: ExamHeader,
                     decimal: str = ".") -> dict[str, Any]:
    """The variables a layout's templates may use (numbers with the layout's decimal
    mark)."""
    return {
        "title": header.title, "course": header.course,
        "date": header.date, "duration": header.duration,
        "instructions": header.instructions,
        "variant": variant.name if len(exam.variants) > 1 else "",
        "form": exam.name, "question_count": len(exam.questions),
        "total_points": format_number(exam.total_points).replace(".", decimal),
        "minutes": exam.minutes,  # the questions' working time, rounded up
        "has_single": any(isinstance(q, SingleChoice) for q in exam.questions),
        "has_multiple": any(isinstance(q, MultipleChoice) for q in exam.questions),
        "has_choice_gaps": any(isinstance(q, Cloze) and any(isinstance(g, ChoiceGap)
                                                            for g in q.gaps)
                               for q in exam.questions),
        "has_matching": any(isinstance(q, Matching) for q in exam.questions),
        # with answer sheets: the scoring scheme of multiple-response questions (its label
        # is scoring_<scheme>), else empty
        "answer_sheet": header.answer_sheet.replace("-", "_"),
    }


def text_blocks(page: Page, text: str, first_is_title: bool = False) -> list[Flowable]:
    """A template's output: paragraphs separated by blank lines, in the light markup."""
    # a number and the word after it stay on one line: "90 minutes", "20 points"
    text = _NUMBER_AND_WORD.sub("\u00a0", text)
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    out: list[Flowable] = []
    for i, para in enumerate(paragraphs):
        markup = page.text(para)
        style = page.style("title" if first_is_title and i == 0 else "body", markup)
        out.append(Paragraph(markup, style))
    return out


def build_document(story: list[Flowable], page: Page, pagesize: tuple[float, float],
           header: ExamHeader, variant: Variant, exam: Exam, key: bool = False,
           every_variant: bool = False,
           canvas: Callable[[type[Canvas]], type[Canvas]] | None = None) -> bytes:
    """The story with footers: course and title, and the form and variant (none with
    ``every_variant``: a document about all of them); drawn on ``canvas`` of the
    numbered canvas when given (the named copies' covers, which end the build early)."""
    margins = page.layout.settings["margins"]
    buffer = io.BytesIO()
    title = header.title or page.layout.labels["exam"]
    if key:
        title = f"{page.layout.labels['answer_key']}: {title}"
    footer_left = to_plain(" · ".join(filter(None, [header.course, title])))
    parts = []
    if exam.name:
        parts.append(f"{page.layout.labels['form']} {exam.name}")
    if len(exam.variants) > 1 and not every_variant:
        parts.append(f"{page.layout.labels['variant']} {variant.name}")
    if every_variant:
        parts = []
    footer_right = " · ".join(parts)
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, invariant=1, title=title, author="examgen",
        creator="examgen", subject=header.course,
        leftMargin=float(margins["left"]) * mm, rightMargin=float(margins["right"]) * mm,
        topMargin=float(margins["top"]) * mm, bottomMargin=float(margins["bottom"]) * mm,
    )
    numbered = numbered_canvas(page, footer_left, footer_right, pagesize[0])
    try:
        doc.build(story, canvasmaker=numbered if canvas is None else canvas(numbered))
    except FirstPageDrawn:
        pass  # the covers canvas saved its document
    return buffer.getvalue()
