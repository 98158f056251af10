"""One question as flowables: heading, image, body by type, and in the key its solution."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, Spacer

from ..model import CHOICE_TYPES, Question
from ..variants import LETTERS, answer
from .flowables import AnswerLine, Badge, Hanging, Indented, RuledLines
from .page import GUTTER, OPTION_INDENT, Page

EMPTY_BOX, TICKED_BOX = "\u2610", "\u2612"
BLANK = "\u00a0" * 2 + "_" * 14


def question_parts(page: Page, number: int, q: Question, permutation, key: bool) -> list:
    """The flowables of question ``number``; with ``key``, its cell badge and solution."""
    points = f"{q.points:g} {page.label('point_abbr')}"
    hint = ""
    if q.type in CHOICE_TYPES:
        which = "one_answer" if q.type == "single" else "several_answers"
        hint = f' <font size="{page.small.fontSize}" color="#555555">({page.label(which)})</font>'
    text = _cloze_text(page, q) if q.type == "cloze" else page.text(q.text)
    head = Hanging(page, f"{number}.", page.paragraph(f"{text}{hint}", "body"), points,
                   indent=GUTTER, bold=True)
    parts: list[Flowable] = [head]
    if key:
        parts.insert(0, Badge(page, q))
    if q.image is not None:
        parts += [Spacer(1, 2 * mm), Indented(_image(q, page.width * 0.8), GUTTER)]
    parts.append(Spacer(1, 1.5 * mm))
    parts += _BODIES[q.type](page, q, permutation, key)
    if key:
        parts += _key_notes(page, q)
    return parts


def _cloze_text(page: Page, q: Question) -> str:
    text = page.text(q.text)
    for n in range(1, len(q.gaps) + 1):
        text = text.replace(f"{{{{{n}}}}}", f"<b>({n})</b>{BLANK}")
    return text


def _image(q: Question, max_width: float) -> Image:
    image = Image(str(q.image))
    scale = min(1.0, max_width / image.imageWidth, (60 * mm) / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "LEFT"
    return image


def _option_rows(page: Page, texts: list[str], correct: list[bool], key: bool) -> list:
    """One row per option: box and letter in the gutter, the text as a paragraph."""
    colour = page.layout.colour("correct")
    rows = []
    for pos, (text, right) in enumerate(zip(texts, correct, strict=True)):
        body = page.text(text)
        ticked = key and right
        if ticked:
            body = f'<font color="{colour}"><b>{body}</b></font>'
        rows.append(Hanging(page, f"{TICKED_BOX if ticked else EMPTY_BOX}\u2002{LETTERS[pos]})",
                             page.paragraph(body, "body"), indent=OPTION_INDENT,
                             colour=colour if ticked else None, gap=2))
    return rows


def _choice_body(page: Page, q: Question, permutation, key: bool) -> list:
    order = permutation or tuple(range(len(q.options)))
    options = [q.options[i] for i in order]
    return _option_rows(page, [o.text for o in options], [o.correct for o in options], key)


def _truefalse_body(page: Page, q: Question, permutation, key: bool) -> list:
    labels = [page.layout.labels["true"], page.layout.labels["false"]]
    return _option_rows(page, labels, [q.answer is True, q.answer is False], key)


def _short_body(page: Page, q: Question, permutation, key: bool) -> list:
    return [] if key else [AnswerLine(page)]


def _numeric_body(page: Page, q: Question, permutation, key: bool) -> list:
    return [] if key else [AnswerLine(page, q.unit)]


def _open_body(page: Page, q: Question, permutation, key: bool) -> list:
    if key:
        return []
    spacing = float(page.layout.settings["open_line_spacing"]) * mm
    return [RuledLines(q.answer_lines, spacing, page.layout.colour("rule"))]


def _cloze_body(page: Page, q: Question, permutation, key: bool) -> list:
    out = []
    for n, gap in enumerate(q.gaps, 1):
        if gap.is_choice and not key:
            choices = "\u2003".join(f"{EMPTY_BOX}\u00a0{page.text(o.text)}" for o in gap.options)
            out.append(Indented(Paragraph(f"<b>({n})</b>\u2003{choices}", page.body), GUTTER))
    return out


_BODIES = {"single": _choice_body, "multiple": _choice_body, "truefalse": _truefalse_body,
           "short": _short_body, "numeric": _numeric_body, "open": _open_body,
           "cloze": _cloze_body}


def _key_notes(page: Page, q: Question) -> list:
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
    return [Spacer(1, 1 * mm), *(Indented(n, GUTTER) for n in notes)]
