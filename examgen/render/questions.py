"""One question as flowables: heading, image, body by type, and in the key its solution."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Spacer, Table, TableStyle

from examgen.core.model import (
    GAP_MARK,
    LETTERS,
    ChoiceGap,
    ChoiceQuestion,
    Cloze,
    Matching,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Permutation,
    Question,
    ShortAnswer,
    SingleChoice,
    TextGap,
    TrueFalse,
    assert_never,
    numeric_answer,
)
from examgen.core.number_format import NumberStyle, format_value
from examgen.core.params import Values
from examgen.render.flowables import (
    EMPTY_BOX,
    TICKED_BOX,
    AnswerLine,
    Badge,
    Hanging,
    HangingPicture,
    Indented,
    RuledLines,
    inline_box,
)
from examgen.render.math_drawing import in_colour
from examgen.render.page import GUTTER, OPTION_INDENT, Page
from examgen.render.pictures import printable

BLANK = "\u00a0" * 2 + "_" * 14
CHOOSE_BELOW = "\u00a0\u2193"  # a choice gap: its boxes are below the text


def gap_marker(number: int, gap: TextGap | ChoiceGap, blank: str = BLANK) -> str:
    """Where gap ``number`` stands in the text: a line to write on, or, for a choice gap,
    its number and an arrow to the boxes below (a line there read as 'write here')."""
    if isinstance(gap, ChoiceGap):
        return f"<b>({number})</b>{CHOOSE_BELOW}"
    return f"<b>({number})</b>{blank}"


def question_parts(page: Page, number: int, q: Question, permutation: Permutation | None,
                   key: bool, values: Values | None = None) -> list[Flowable]:
    """The flowables of question ``number``; with ``key``, its cell badge and solution
    (and the numbers ``values`` of a parametrised question's draw)."""
    abbr = "point_abbr" if q.points == 1 else "points_abbr"
    points = f"{page.number(q.points)} {page.label(abbr)}"
    hint = ""
    if isinstance(q, ChoiceQuestion):
        which = "one_answer" if isinstance(q, SingleChoice) else "several_answers"
        # in one piece, but free to start a line of its own: glued to the last word, it
        # dragged that word down and left the line above ragged
        words = page.label(which).replace(" ", "\u00a0")
        hint = f' <font size="{page.small.fontSize}" color="#555555">({words})</font>'
    text = _cloze_text(page, q) if isinstance(q, Cloze) else page.text(q.text)
    head = Hanging(page, f"{number}.", page.paragraph(f"{text}{hint}", "body"), points,
                   indent=GUTTER, bold=True)
    parts: list[Flowable] = [head]
    if key:
        parts.insert(0, Badge(page, q))
    if q.image is not None:
        parts += [Spacer(1, 2 * mm), Indented(_image(q, page.width * 0.8), GUTTER)]
    parts.append(Spacer(1, 1.5 * mm))
    parts += _body(page, q, permutation, key, number)
    if key:
        parts += _key_notes(page, q, values)
    return parts


def _cloze_text(page: Page, q: Cloze) -> str:
    return GAP_MARK.sub(lambda m: gap_marker(int(m.group(1)), q.gaps[int(m.group(1)) - 1]),
                        page.text(q.text))


def _image(q: Question, max_width: float) -> Image:
    assert q.image is not None
    return printable(q.image, max_width, 60 * mm)


# An option's picture: at most this wide and high, beside its box and letter, or under
# the option's text
OPTION_PICTURE = (60 * mm, 30 * mm)


def _option_rows(page: Page, texts: list[str], correct: list[bool], key: bool,
                 pictures: list[Path | None] | None = None) -> list[Flowable]:
    """One row per option: box and letter in the gutter, the text as a paragraph, and
    the option's picture, if it has one, below."""
    colour = page.layout.colour("correct")
    rows: list[Flowable] = []
    for pos, (body, right) in enumerate(zip(texts, correct, strict=True)):
        ticked = key and right
        label = f"{TICKED_BOX if ticked else EMPTY_BOX}\u2002{LETTERS[pos]})"
        picture = pictures[pos] if pictures else None
        if picture is not None and not body:
            rows.append(HangingPicture(page, label, printable(picture, *OPTION_PICTURE),
                                       OPTION_INDENT, colour if ticked else None, gap=4))
            continue
        if ticked:
            body = f'<font color="{colour}"><b>{in_colour(body, colour)}</b></font>'
        rows.append(Hanging(page, label, page.paragraph(body, "body"), indent=OPTION_INDENT,
                            colour=colour if ticked else None, gap=2))
        if picture is not None:
            rows += [Indented(printable(picture, *OPTION_PICTURE), OPTION_INDENT),
                     Spacer(1, 2 * mm)]
    return rows


def _body(page: Page, q: Question, permutation: Permutation | None,
          key: bool, number: int = 0) -> list[Flowable]:
    """What follows the question text: options to tick, a line or an area to write on."""
    match q:
        case SingleChoice() | MultipleChoice():
            shown = q.shown(permutation)
            return _option_rows(page, [page.text(o.text) if o.text else "" for o in shown],
                                [o.correct for o in shown], key, [o.image for o in shown])
        case TrueFalse():
            labels = [page.label("true"), page.label("false")]
            return _option_rows(page, labels, [q.answer, not q.answer], key)
        case ShortAnswer():
            return [] if key else [AnswerLine(page)]
        case Numeric():
            return [] if key else [AnswerLine(page, q.unit)]
        case OpenQuestion():
            if key:
                return []
            spacing = float(page.layout.settings["open_line_spacing"]) * mm
            # a continuation on the next page says whose lines they are
            continued = f"{number}. ({page.layout.labels['continued']})" if number else ""
            return [RuledLines(q.answer_lines, spacing, page.layout.colour("rule"),
                               continued, page.sans, page.small.fontSize)]
        case Cloze():
            return [] if key else _choice_gaps(page, q)
        case Matching():
            return [Indented(_matching_table(page, q, permutation, key), GUTTER)]
        case _:
            assert_never(q)


def _matching_table(page: Page, q: Matching, permutation: Permutation | None,
                    key: bool) -> Table:
    """Left items numbered, each with a box for its partner's letter (filled in the key),
    and the right items lettered beside them, in the variant's order."""
    colour = page.layout.colour("correct")
    letters = q.partner_letters(permutation)
    shown = q.shown(permutation)
    rows = []
    for n in range(max(len(q.pairs), len(shown))):
        left: Flowable | str = ""
        answer: Flowable | str = ""
        right: Flowable | str = ""
        if n < len(q.pairs):
            left = page.paragraph(f"<b>{n + 1}.</b> {page.text(q.pairs[n].left)}", "body")
            answer = page.paragraph(
                f'<font color="{colour}"><b>{letters[n]}</b></font>' if key else "", "body")
        if n < len(shown):
            right = page.paragraph(f"<b>{LETTERS[n]})</b> {page.text(shown[n])}", "body")
        rows.append([left, answer, right])
    table = Table(rows, colWidths=["44%", 9 * mm, "*"], hAlign="LEFT")
    boxes = [("BOX", (1, n), (1, n), 0.6, colors.black) for n in range(len(q.pairs))]
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("ALIGN", (1, 0), (1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (0, -1), 0),
                               ("LEFTPADDING", (2, 0), (2, -1), 4 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3), *boxes]))
    return table


def _choice_gaps(page: Page, q: Cloze) -> list[Flowable]:
    """The options of each choice gap on a line below the text, to tick."""
    out: list[Flowable] = []
    for n, gap in enumerate(q.gaps, 1):
        if isinstance(gap, ChoiceGap):
            box = inline_box(page.sans, float(page.body.fontSize))
            choices = "\u2003".join(f"{box}\u00a0{page.text(o.text)}" for o in gap.options)
            markup = f"<b>({n})</b>{CHOOSE_BELOW}\u2003{choices}"
            out.append(Indented(page.paragraph(markup, "body"), GUTTER))
    return out


def _key_notes(page: Page, q: Question, values: Values | None) -> list[Flowable]:
    """Accepted answers, value, model answer, explanation and source, for the grader.

    Answers compared with what a student writes are printed literally (``R*S*T`` stays
    ``R*S*T``); model answers and explanations are bank text with its light markup.
    """
    notes = []
    colour = page.layout.colour("correct")

    def note(label: str, text: str) -> None:
        markup = (f'<b>{page.label(label)}:</b> '
                  f'<font color="{colour}">{in_colour(text, colour)}</font>')
        notes.append(page.paragraph(markup, "body"))

    match q:
        case SingleChoice() | MultipleChoice() | TrueFalse():
            pass  # the ticked boxes above are the solution
        case ShortAnswer():
            note("accepted", " | ".join(page.literal(a) for a in q.answers))
        case Numeric():
            note("value", page.literal(numeric_answer(q, page.number)))
        case OpenQuestion():
            note("model_answer", page.text(q.model_answer or "-"))
        case Cloze():
            for n, gap in enumerate(q.gaps, 1):
                note("gap", f"({n}) " + _gap_solution(page, gap))
        case Matching():
            pass  # the letters in the table above are the solution
        case _:
            assert_never(q)
    if values:  # the draw the explanation's steps are worked with
        style = NumberStyle(page.layout.labels.get("decimal", "."))
        shown = ", ".join(f"{name}\u00a0=\u00a0{format_value(value, style=style)}"
                          for name, value in values.items())
        notes.append(page.paragraph(f"<b>{page.label('values')}:</b> {page.literal(shown)}",
                                    "small"))
    if q.explanation:
        markup = (f"<b>{page.label('explanation')}:</b> "
                  f"{page.text(q.explanation, 'small')}")
        notes.append(page.paragraph(markup, "small"))
    if q.source:
        notes.append(page.paragraph(f"<b>{page.label('source')}:</b> {page.literal(q.source)}",
                                    "small"))
    return [Spacer(1, 1 * mm), *(Indented(n, GUTTER) for n in notes)]


def _gap_solution(page: Page, gap: TextGap | ChoiceGap) -> str:
    match gap:
        case TextGap():
            return " | ".join(page.literal(a) for a in gap.answers)
        case ChoiceGap():
            return page.text(gap.solution)
        case _:
            assert_never(gap)
