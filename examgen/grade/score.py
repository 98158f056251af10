"""From box states to points: one sheet (copy) at a time, with the exam's scoring rules.

A question with an unsure box, an open question with no score (or two) ticked, and an
unreadable student number are never guessed: they stay open (``points is None``) for a
person, and a decision from the review file closes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from examgen.core.model import (
    LETTERS,
    ChoiceQuestion,
    Cloze,
    Matching,
    Numeric,
    OpenQuestion,
    Question,
    ShortAnswer,
    TrueFalse,
    assert_never,
    format_number,
)
from examgen.core.scoring import choice_fraction, matching_fraction, truefalse_fraction
from examgen.core.sheet_geometry import Box, Copy
from examgen.grade.read import State


@dataclass(frozen=True)
class Marks:
    """What the boxes of one item (a question, or a student-number position) show."""

    boxes: tuple[Box, ...]
    states: tuple[State, ...]
    page: int

    @property
    def ticked(self) -> list[str]:
        return [b.value for b, s in zip(self.boxes, self.states, strict=True)
                if s is State.TICKED]

    @property
    def unsure(self) -> list[str]:
        return [b.name for b, s in zip(self.boxes, self.states, strict=True)
                if s is State.UNSURE]

    def shown(self) -> str:
        """The reading as a person would say it: 'b d', 'b d?' (d unsure), '-'."""
        parts = [b.name + ("?" if s is State.UNSURE else "")
                 for b, s in zip(self.boxes, self.states, strict=True)
                 if s in (State.TICKED, State.UNSURE)]
        return " ".join(parts) or "-"


@dataclass
class ItemResult:
    qid: str
    number: int  # as printed in this copy
    type: str
    max_points: float
    marks: Marks | None  # None: the page with this question was not scanned
    ticked: list[str] = field(default_factory=list)  # box values, after any decision
    points: float | None = None  # None: needs a person
    response: str = ""  # in the bank's terms (option letters in bank order, true, 1.5)
    problem: str = ""
    decided: bool = False


@dataclass
class SheetResult:
    copy: Copy
    student: str | None
    student_marks: list[Marks]
    items: list[ItemResult]
    problems: list[str] = field(default_factory=list)  # missing pages and the like

    @property
    def open_items(self) -> int:
        return sum(1 for i in self.items if i.points is None) + (self.student is None)

    @property
    def total(self) -> float | None:
        if any(i.points is None for i in self.items):
            return None
        return sum(i.points or 0.0 for i in self.items)


def read_student(marks: list[Marks]) -> str | None:
    """The student number: exactly one sure tick per position, else None."""
    digits = []
    for position in marks:
        if position.unsure or len(position.ticked) != 1:
            return None
        digits.append(position.ticked[0])
    return "".join(digits)


def score_item(q: Question, item: ItemResult, scheme: str) -> None:
    """Fill in ``points`` and ``response`` from ``item.ticked``, or say what is open."""
    marks = item.marks
    if marks is None:
        item.problem = "page not scanned"
        return
    if marks.unsure and not item.decided:
        item.problem = f"unsure mark: {marks.shown()}"
        return
    ticked = item.ticked
    match q:
        case ChoiceQuestion():
            chosen = sorted(int(v) for v in ticked)
            item.response = ";".join(LETTERS[i] for i in chosen)
            item.points = q.points * choice_fraction(q, chosen, scheme)
        case TrueFalse():
            answers = {v == "true" for v in ticked}
            item.response = ";".join(sorted(ticked))
            item.points = q.points * truefalse_fraction(q, answers)
        case Matching():
            matched = _matched(ticked, len(q.pairs))
            item.response = ";".join("-" if c is None else LETTERS[c] for c in matched)
            item.points = q.points * matching_fraction(q, matched)
        case ShortAnswer() | Numeric() | OpenQuestion() | Cloze():
            if len(ticked) != 1:
                item.problem = ("no score ticked" if not ticked else
                                f"{len(ticked)} scores ticked ({marks.shown()})")
                return
            item.points = float(ticked[0])
            item.response = format_number(item.points)
        case _:
            assert_never(q)
    item.problem = ""


def _matched(ticked: list[str], lefts: int) -> list[int | None]:
    """Each left item's ticked right item (bank indexes); None: no tick, or two in its row."""
    rows: list[list[int]] = [[] for _ in range(lefts)]
    for value in ticked:
        left, right = value.split(":")
        rows[int(left)].append(int(right))
    return [row[0] if len(row) == 1 else None for row in rows]
