"""The grader's answer key: the answer grid, every question with its solution and cell,
and the points per cell. What it calls correct comes from the question classes."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from examgen.core.header import ExamHeader
from examgen.core.markup import to_plain
from examgen.core.model import (
    CELLS,
    LEVELS,
    ChoiceGap,
    Cloze,
    Difficulty,
    Exam,
    Knowledge,
    Matching,
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
    numeric_answer,
)
from examgen.core.number_format import NumberStyle, format_value
from examgen.core.scoring import DEFAULT_SCHEME
from examgen.render.document import build_document, questions_story, template_context, text_blocks
from examgen.render.layout import Layout
from examgen.render.page import Page, level_colours, page_for


def render_key(exam: Exam, variant: Variant, layout: Layout, header: ExamHeader,
               paper: str = "a4") -> bytes:
    """The grader's key: a grid first, then every question with its solution and cell."""
    page, pagesize = page_for(layout, paper)
    context = template_context(exam, variant, header, layout.labels["decimal"])
    story = text_blocks(page, layout.render("key_header", context), first_is_title=True)
    if context["has_multiple"]:  # the grader needs the rule the students were told
        scheme = header.answer_sheet or DEFAULT_SCHEME
        # the rule's text names what it is about ("One or more answers: ..."): bold, no
        # prefix ("Scoring of questions with one or more answers: One or more answers")
        head, _, rule = page.label("scoring_" + scheme.replace("-", "_")).partition(": ")
        story.append(Paragraph(f"<b>{head}:</b> {rule}" if rule else head, page.small))
    story += [Spacer(1, 4 * mm), Paragraph(f"<b>{page.label('grid')}</b>", page.body),
              Spacer(1, 2 * mm), _grid(page, exam, variant), Spacer(1, 6 * mm)]
    story += questions_story(page, exam, variant, key=True)
    # the table stays whole, with its heading: never its last rows alone on a page
    story.append(KeepTogether([Spacer(1, 6 * mm),
                               Paragraph(f"<b>{page.label('totals_per_cell')}</b>", page.body),
                               Spacer(1, 2 * mm), _cell_totals(page, exam)]))
    return build_document(story, page, pagesize, header, variant, exam, key=True)


def render_key_overview(exams: list[Exam], layout: Layout, header: ExamHeader,
                        paper: str = "a4") -> bytes:
    """The answers of every variant side by side, by question number, one table per form:
    what a grader marking a pile of mixed variants keeps beside them."""
    page, pagesize = page_for(layout, paper)
    title = header.title or layout.labels["exam"]
    story: list[Any] = [Paragraph(page.literal(f"{layout.labels['answer_key']}: {title}"),
                                  page.title), Spacer(1, 3 * mm)]
    for exam in exams:
        if exam.name:
            story += [Paragraph(f"<b>{page.label('form')} {page.literal(exam.name)}</b>",
                                page.body), Spacer(1, 2 * mm)]
        story += [*_overview(page, exam), Spacer(1, 2 * mm)]
    first = exams[0]
    return build_document(story, page, pagesize, header, first.variants[0], first, key=True,
                          every_variant=True)


_OVERVIEW_COLUMNS = 6  # variants side by side in one table; more go in the next table


def _overview(page: Page, exam: Exam) -> list[Any]:
    """The answers by question number, variants side by side: plain cells (a paragraph
    only where an answer is too wide), six variants to a table. An exam with drawn
    numbers and more variants than one table holds gets a line per variant instead."""
    by_id = {q.id: q for q in exam.questions}
    if len(exam.variants) > _OVERVIEW_COLUMNS and any(v.values for v in exam.variants):
        return _overview_lines(page, exam)
    bold = f"{page.sans}-10"
    out: list[Any] = []
    for start in range(0, len(exam.variants), _OVERVIEW_COLUMNS):
        variants = exam.variants[start:start + _OVERVIEW_COLUMNS]
        number = 12 * mm
        column = (page.width - number) / len(variants)
        rows: list[list[Any]] = [[page.layout.labels["number"],
                                  *(f"{page.layout.labels['variant']} {v.name}"
                                    for v in variants)]]
        for position in range(len(exam.questions)):
            row: list[Any] = [str(position + 1)]
            for variant in variants:
                q = variant.question(by_id[variant.order[position]])
                answer = _grid_answer(page, q, variant.options.get(q.id), overview=True)
                # the answer, and below it in grey the question's id
                # the same answer of the same question recurs in many variants: one
                # paragraph each, parsed and wrapped once (page.paragraph)
                row.append(page.paragraph(
                    f"<b>{page.literal(answer)}</b><br/><font size="
                    f'"{page.small.fontSize - 1.5:g}" color="#666666">'
                    f"{page.literal(q.id)}</font>", "small"))
            rows.append(row)
        table = Table(rows, colWidths=[number] + [column] * len(variants), repeatRows=1,
                      hAlign="LEFT")
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(page.layout.colour("rule"))),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("FONT", (0, 0), (-1, -1), page.sans, page.small.fontSize),
            ("FONT", (1, 1), (-1, -1), bold, page.small.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        out += [table, Spacer(1, 4 * mm)]
    return out


def _overview_lines(page: Page, exam: Exam) -> list[Any]:
    """One row per variant (per copy with ``--draw per-copy``): its answers by question
    number, and below them the numbers it drew, so a grader finds a copy's key at once."""
    by_id = {q.id: q for q in exam.questions}
    style = NumberStyle(page.layout.labels.get("decimal", "."))
    grey = f'<font size="{page.small.fontSize - 1.5:g}" color="#666666">'
    rows: list[list[Any]] = [[page.layout.labels["variant"], page.layout.labels["answer"]]]
    for variant in exam.variants:
        shown = [_grid_answer(page, variant.question(by_id[qid]), variant.options.get(qid),
                              overview=True) for qid in variant.order]
        # each answer in one piece: a line breaks between answers, never inside one
        answers = "  ".join(f"<b>{n}</b>\u00a0{page.literal(a).replace(' ', chr(0xA0))}"
                            for n, a in enumerate(shown, 1))
        drawn = "; ".join(
            f"{page.literal(qid)}: " + ", ".join(
                f"{name}\u00a0=\u00a0{page.literal(format_value(value, style=style))}"
                for name, value in values.items())
            for qid, values in variant.values.items())
        rows.append([variant.name, Paragraph(f"{answers}<br/>{grey}{drawn}</font>",
                                             page.small)])
    table = Table(rows, colWidths=[16 * mm, page.width - 16 * mm], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(page.layout.colour("rule"))),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("FONT", (0, 0), (-1, -1), page.sans, page.small.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table, Spacer(1, 4 * mm)]


def _grid_answer(page: Page, q: Question, permutation: Permutation | None,
                 overview: bool = False) -> str:
    """The key answer as plain text for the grid (the grid's cells are not markup); an
    open question's model answer is in the key below the grid, not in the overview."""
    answer = key_answer(q, permutation)
    labels = page.layout.labels
    match q:
        case Numeric():
            return numeric_answer(q, page.number)
        case SingleChoice() | ShortAnswer():
            return str(answer)
        case MultipleChoice():
            return ", ".join(answer)
        case TrueFalse():
            return labels[str(answer)]
        case OpenQuestion():
            return labels["see_key" if overview else "see_below"]
        case Cloze():
            # A choice gap's option is bank text (markup removed); a text gap's is literal.
            return "  ".join(f"({n})\u00a0{to_plain(a) if isinstance(g, ChoiceGap) else a}"
                             for n, (g, a) in enumerate(zip(q.gaps, answer, strict=True), 1))
        case Matching():  # left item -> its partner's letter: "1 c, 2 a, 3 b"
            return ", ".join(f"{n}\u00a0{a}" for n, a in enumerate(answer, 1))
        case _:
            assert_never(q)


def _grid(page: Page, exam: Exam, variant: Variant) -> Table:
    """Question number -> answer, points and cell: plain cells, drawn without wrapping."""
    by_id = {q.id: q for q in exam.questions}
    cell_width = max(stringWidth(page.cell(d.value, k.value), page.sans, page.small.fontSize)
                     for d in Difficulty for k in Knowledge) + 10  # as wide as its words
    widths = [14 * mm, page.width - 14 * mm - 18 * mm - cell_width, 18 * mm, cell_width]
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
        q = variant.question(by_id[qid])
        background, ink = level_colours(page, q.level.value)
        answer = _grid_answer(page, q, variant.options.get(qid))
        shown: str | Paragraph = answer
        if stringWidth(answer, bold, page.small.fontSize) > fits:
            shown = Paragraph(f"<b>{page.literal(answer)}</b>", page.small)
        rows.append([str(number), shown, page.number(q.points),
                     page.cell(q.difficulty.value, q.knowledge.value)])
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
        rows.append([Paragraph(f"{page.cell(difficulty, knowledge)} "
                               f"({page.layout.labels[level]})", cell_style),
                     Paragraph(str(len(chosen)), page.small),
                     Paragraph(page.number(sum(q.points for q in chosen)), page.small)])
        style.append(("BACKGROUND", (0, row), (0, row), background))
    rows.append([Paragraph(f"<b>{page.label('total')}</b>", page.small),
                 Paragraph(f"<b>{len(exam.questions)}</b>", page.small),
                 Paragraph(f"<b>{page.number(exam.total_points)}</b>", page.small)])
    first = max(stringWidth(f"{page.cell(d.value, k.value)} ({page.layout.labels[lv.value]})",
                            page.sans, page.small.fontSize)
                for (d, k), lv in LEVELS.items()) + 12
    table = Table(rows, colWidths=[max(55 * mm, first), 25 * mm, 25 * mm], hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table
