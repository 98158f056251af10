"""Kahoot's quiz spreadsheet: the XLSX Kahoot imports (Create → Import spreadsheet).

The layout is that of Kahoot's own template (Kahoot-Quiz-Spreadsheet-Template.xlsx, as
tools that fill it write it, e.g. pacphi/kahoot-quiz-generator): a title block, the header
in row 8, and from row 9 a question per row, columns B to H: the question (at most 120
characters), answers 1 to 4 (at most 75 each), the time limit (5, 10, 20, 30, 60, 90, 120
or 240 seconds) and the correct answers' numbers ("1,3"). Every cell is plain text.

A question Kahoot's quiz cannot hold is left out with the reason: a type other than
single, multiple or true/false, more than 4 options, a text over the limits, a picture
(the template carries none), or a formula (the cells are plain text).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from examgen.core.latex import formulas_in
from examgen.core.model import ChoiceQuestion, Question, TrueFalse
from examgen.formats.portable import one_line

TIMES = (5, 10, 20, 30, 60, 90, 120, 240)  # the time limits Kahoot offers, in seconds
QUESTION_CHARS, ANSWER_CHARS, ANSWERS = 120, 75, 4
HEADER_ROW = 8  # as in Kahoot's template; the questions follow from row 9
HEADERS = ("#", "Question - max 120 characters", "Answer 1 - max 75 characters",
           "Answer 2 - max 75 characters", "Answer 3 - max 75 characters",
           "Answer 4 - max 75 characters",
           "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
           "Correct answer(s) - choose at least one")


@dataclass(frozen=True)
class KahootRow:
    qid: str
    question: str
    answers: tuple[str, ...]
    seconds: int
    correct: tuple[int, ...]  # 1-based


@dataclass
class KahootExport:
    rows: list[KahootRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "id: why"


def kahoot_rows(questions: list[Question], time_limit: int = 20,
                true_false: tuple[str, str] = ("True", "False")) -> KahootExport:
    """The questions Kahoot can hold as rows, the others named with the reason."""
    out = KahootExport()
    for q in questions:
        why = _unfit(q)
        if why:
            out.skipped.append(f"{q.id}: {why}")
            continue
        answers: tuple[str, ...]
        correct: tuple[int, ...]
        if isinstance(q, TrueFalse):
            answers, correct = true_false, (1,) if q.answer else (2,)
        else:
            assert isinstance(q, ChoiceQuestion)
            answers = tuple(one_line(o.text) for o in q.options)
            correct = tuple(n for n, o in enumerate(q.options, 1) if o.correct)
        long = [a for a in answers if len(a) > ANSWER_CHARS]
        if long:
            out.skipped.append(f"{q.id}: an answer has {len(long[0])} characters; Kahoot "
                               f"allows {ANSWER_CHARS}")
            continue
        out.rows.append(KahootRow(q.id, one_line(q.text), answers, _seconds(q, time_limit),
                                  correct))
    return out


def _unfit(q: Question) -> str:
    if not isinstance(q, ChoiceQuestion | TrueFalse):
        return (f"type {q.type}: Kahoot's quiz holds single, multiple and true/false "
                "questions only")
    if q.image is not None:
        return "it has a picture, and the spreadsheet carries none (add it in Kahoot)"
    if isinstance(q, ChoiceQuestion) and any(o.image for o in q.options):
        return "an option has a picture, and Kahoot's answers are text"
    texts = [q.text, *(o.text for o in q.options)] if isinstance(q, ChoiceQuestion) \
        else [q.text]
    if any(formulas_in(t) for t in texts):
        return "it has a formula, and Kahoot's cells are plain text"
    if isinstance(q, ChoiceQuestion) and len(q.options) > ANSWERS:
        return f"{len(q.options)} options; Kahoot allows {ANSWERS}"
    if len(one_line(q.text)) > QUESTION_CHARS:
        return (f"its text has {len(one_line(q.text))} characters; Kahoot allows "
                f"{QUESTION_CHARS}")
    return ""


def _seconds(q: Question, default: int) -> int:
    """The question's own working time when it has one, else ``default``; as the
    shortest time Kahoot offers that is not shorter (240 s at most)."""
    if q.minutes is None:
        return default
    wanted = math.ceil(q.minutes * 60)
    return next((t for t in TIMES if t >= wanted), TIMES[-1])


def to_kahoot_xlsx(export: KahootExport, title: str) -> bytes:
    """The rows in Kahoot's template layout."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet["B2"] = "Quiz template"
    sheet["B3"] = title
    sheet["B4"] = "Exported by examgen: one question per row from row 9."
    for column, header in enumerate(HEADERS, start=1):
        sheet.cell(HEADER_ROW, column, header)
    for n, row in enumerate(export.rows, start=1):
        at = HEADER_ROW + n
        sheet.cell(at, 1, n)
        for column, text in ((2, row.question), *((3 + k, a) for k, a in
                                                   enumerate(row.answers)),
                             (8, ",".join(str(c) for c in row.correct))):
            cell = sheet.cell(at, column, text)
            cell.data_type = "s"  # a text, even when it starts with "=": never a formula
        sheet.cell(at, 7, row.seconds)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
