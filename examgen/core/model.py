"""The bank's vocabulary as frozen dataclasses: what every other module reads.

Each question type is its own class holding only its own fields, and the correct answer
of a question lives here, with its class: variants only permute options, and the PDF
key, the manifest and the formats all ask the question.
"""

from __future__ import annotations

import math
import re
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import ClassVar, TypeAlias

from examgen.core.params import Template, Values

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # pragma: no cover - Python 3.10
    from typing_extensions import assert_never

__all__ = ["assert_never"]


class Difficulty(str, Enum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Knowledge(str, Enum):
    RECALL = "recall"  # from the lecture (Abfragewissen, Vorlesung)
    APPLICATION = "application"  # from the literature (Anwendungswissen, Literatur)


class Level(str, Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


# The matrix from the lecture: the level colour is derived from the cell, never stored.
LEVELS = {
    (Difficulty.EASY, Knowledge.RECALL): Level.GREEN,
    (Difficulty.EASY, Knowledge.APPLICATION): Level.YELLOW,
    (Difficulty.MEDIUM, Knowledge.RECALL): Level.YELLOW,
    (Difficulty.MEDIUM, Knowledge.APPLICATION): Level.RED,
    (Difficulty.HARD, Knowledge.RECALL): Level.RED,
    (Difficulty.HARD, Knowledge.APPLICATION): Level.RED,
}

CELLS = tuple(f"{d.value}/{k.value}" for d in Difficulty for k in Knowledge)

# Working time a question takes per point, by type, when the bank gives no 'minutes:':
# ticking is quick, writing takes longer (a 2-point open question: 10 minutes).
MINUTES_PER_POINT: dict[str, float] = {"truefalse": 1.0, "single": 1.5, "multiple": 2.0,
                                       "short": 2.0, "numeric": 3.0, "cloze": 2.0,
                                       "open": 5.0, "matching": 2.0}


def working_minutes(q: BaseQuestion) -> float:
    """The minutes a question takes: its own 'minutes:', else the default for its type."""
    return q.minutes if q.minutes is not None else MINUTES_PER_POINT[q.type] * q.points


# Paper sizes in points (1/72 inch), width x height, as reportlab's A4 and LETTER.
_MM = 72.0 / 2.54 * 0.1
PAPERS: dict[str, tuple[float, float]] = {"a4": (210 * _MM, 297 * _MM),
                                          "letter": (612.0, 792.0)}

# Option letters as printed: a), b), c) ...
LETTERS = string.ascii_lowercase

# A cloze gap in a question text: {{1}}, {{2}}, ... (the number says which gap).
GAP_MARK = re.compile(r"\{\{([0-9]+)\}\}")

Permutation = tuple[int, ...]  # printed position -> index into the bank's options


@dataclass(frozen=True)
class Option:
    text: str  # "" when the picture alone is the option
    correct: bool = False
    fixed_order: bool = False  # keeps its place when options are shuffled
    image: Path | None = None  # a picture printed with the option

    @property
    def name(self) -> str:  # as a report names it: its text, or its picture's file name
        return self.text or (f"[{self.image.name}]" if self.image else "")

@dataclass(frozen=True)
class TextGap:
    """A cloze gap the student fills in; any of ``answers`` is accepted (compared literally)."""

    answers: tuple[str, ...]
    points: float | None = None  # None: an equal share of the question's points

    @property
    def solution(self) -> str:
        return self.answers[0]


@dataclass(frozen=True)
class ChoiceGap:
    """A cloze gap answered by choosing one of ``options``, exactly one of them correct."""

    options: tuple[Option, ...]
    points: float | None = None  # None: an equal share of the question's points

    @property
    def solution(self) -> str:
        return next(o.text for o in self.options if o.correct)


Gap: TypeAlias = TextGap | ChoiceGap


@dataclass(frozen=True)
class Observation:
    """What one exam measured of a question: written into the bank by examgen calibrate."""

    exam: str  # the analysed exam's id
    date: str
    n: int  # answers
    facility: float  # mean score / points, 0..1
    discrimination: float | None = None  # corrected item-total correlation
    cohort: str = ""  # the class: one exam given to two classes is two observations


@dataclass(frozen=True, kw_only=True)
class BaseQuestion:
    """What every question has, whatever its type: identity, cell, text and points."""

    type: ClassVar[str]

    id: str
    topic: str
    difficulty: Difficulty
    knowledge: Knowledge
    text: str
    points: float = 1
    minutes: float | None = None  # working time; None: MINUTES_PER_POINT of its type
    explanation: str = ""
    source: str = ""
    image: Path | None = None
    tags: tuple[str, ...] = ()
    group: str = ""
    stats: tuple[Observation, ...] = ()
    file: str = ""
    line: int = 0
    # A parametrised question's params, let and where; the question itself is one draw.
    template: Template | None = field(default=None, compare=False, repr=False)

    @property
    def level(self) -> Level:
        return LEVELS[(self.difficulty, self.knowledge)]

    @property
    def cell(self) -> str:
        return f"{self.difficulty.value}/{self.knowledge.value}"


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(BaseQuestion):
    """Options to tick; which are correct is said by the options themselves."""

    options: tuple[Option, ...]

    def shown(self, permutation: Permutation | None = None) -> tuple[Option, ...]:
        """The options in printed order for a variant's permutation (bank order without)."""
        order = permutation if permutation is not None else range(len(self.options))
        return tuple(self.options[i] for i in order)

    def correct_letters(self, permutation: Permutation | None = None) -> list[str]:
        """The letters of the correct options as printed in that order."""
        return [LETTERS[pos] for pos, o in enumerate(self.shown(permutation)) if o.correct]


@dataclass(frozen=True, kw_only=True)
class SingleChoice(ChoiceQuestion):
    type: ClassVar[str] = "single"


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(ChoiceQuestion):
    type: ClassVar[str] = "multiple"


@dataclass(frozen=True, kw_only=True)
class TrueFalse(BaseQuestion):
    type: ClassVar[str] = "truefalse"
    answer: bool


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(BaseQuestion):
    """Accepted answers are literal texts compared with what a student writes."""

    type: ClassVar[str] = "short"
    answers: tuple[str, ...]
    case_sensitive: bool = False


@dataclass(frozen=True, kw_only=True)
class Numeric(BaseQuestion):
    type: ClassVar[str] = "numeric"
    value: float
    tolerance: float = 0.0
    unit: str = ""


@dataclass(frozen=True, kw_only=True)
class OpenQuestion(BaseQuestion):
    type: ClassVar[str] = "open"
    model_answer: str = ""
    answer_lines: int = 6  # height of the ruled answer area


@dataclass(frozen=True, kw_only=True)
class Cloze(BaseQuestion):
    """A text with gaps marked {{1}}, {{2}}, ...; one ``Gap`` per mark, in order."""

    type: ClassVar[str] = "cloze"
    gaps: tuple[Gap, ...]

    def gap_points(self) -> tuple[float, ...]:
        """What each gap is worth: its own ``points`` or an equal share of the question's."""
        share = self.points / len(self.gaps)
        return tuple(share if g.points is None else g.points for g in self.gaps)

    def gaps_in_whole_points(self) -> bool:
        """Whether Moodle, which weighs cloze gaps in whole points, can give it its points."""
        return all(float(p).is_integer() for p in self.gap_points())


@dataclass(frozen=True)
class Pair:
    """A left-hand item and the right-hand item it belongs to."""
    left: str
    right: str


@dataclass(frozen=True, kw_only=True)
class Matching(BaseQuestion):
    """Left-hand items numbered, right-hand items lettered: each left item takes the letter
    of its partner. A right item may serve two left items; distractors serve none."""

    type: ClassVar[str] = "matching"
    pairs: tuple[Pair, ...]
    distractors: tuple[str, ...] = ()

    @property
    def choices(self) -> tuple[str, ...]:
        """The right-hand items in bank order: the pairs' (each once), then distractors."""
        return tuple(dict.fromkeys(p.right for p in self.pairs)) + self.distractors

    def shown(self, permutation: Permutation | None = None) -> tuple[str, ...]:
        """The right-hand items in a variant's printed order."""
        order = permutation if permutation is not None else range(len(self.choices))
        return tuple(self.choices[i] for i in order)

    def partners(self) -> tuple[int, ...]:
        """For each pair, its right item's index in ``choices``."""
        return tuple(self.choices.index(p.right) for p in self.pairs)

    def partner_letters(self, permutation: Permutation | None = None) -> list[str]:
        """For each left item, the letter of its partner as printed in that order."""
        return [LETTERS[self.shown(permutation).index(p.right)] for p in self.pairs]


Question: TypeAlias = (SingleChoice | MultipleChoice | TrueFalse | ShortAnswer | Numeric
                       | OpenQuestion | Cloze | Matching)
QUESTION_CLASSES: tuple[type[Question], ...] = (
    SingleChoice, MultipleChoice, TrueFalse, ShortAnswer, Numeric, OpenQuestion, Cloze,
    Matching)
TYPES = tuple(cls.type for cls in QUESTION_CLASSES)
BY_TYPE: dict[str, type[Question]] = {cls.type: cls for cls in QUESTION_CLASSES}

# What parallel forms are made alike in, as functions of a question (balance, report).
def cell_of(q: BaseQuestion) -> str:
    return q.cell


def type_of(q: BaseQuestion) -> str:
    return q.type


def topic_of(q: BaseQuestion) -> str:
    return q.topic


FORM_KEYS = {"cell": cell_of, "type": type_of, "topic": topic_of}

def shuffled_count(q: Question) -> int:
    """How many items a variant's permutation orders: options, or right-hand items."""
    return (len(q.options) if isinstance(q, ChoiceQuestion) else
            len(q.choices) if isinstance(q, Matching) else 0)


# The answer as the manifest records it: a letter, letters, or texts.
Answer: TypeAlias = str | list[str]


def format_number(value: float) -> str:
    """A number exactly, as short as possible: 2, 0.15, 1234567, 1e-06 (never rounded)."""
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


def numeric_answer(q: Numeric, number: Callable[[float], str] = format_number) -> str:
    """'1.75 ± 0.001 m'; ``number`` writes each number (a layout's: '1,75 ± 0,001 m')."""
    value = number(q.value) + (f" ± {number(q.tolerance)}" if q.tolerance else "")
    return f"{value} {q.unit}".strip()


def key_answer(q: Question, permutation: Permutation | None = None) -> Answer:
    """The answer as the grader reads it: 'c', ['a', 'd'], 'true', or a text (a list for cloze;
    for matching, the partner's letter per left item).

    This is the one place that says what is correct; every writer asks it or the fields
    it reads.
    """
    match q:
        case SingleChoice():
            return q.correct_letters(permutation)[0]
        case MultipleChoice():
            return q.correct_letters(permutation)
        case TrueFalse():
            return "true" if q.answer else "false"
        case ShortAnswer():
            return q.answers[0]
        case Numeric():
            return numeric_answer(q)
        case OpenQuestion():
            return q.model_answer
        case Cloze():
            return [gap.solution for gap in q.gaps]
        case Matching():
            return q.partner_letters(permutation)
        case _:
            assert_never(q)


@dataclass(frozen=True)
class Bank:
    path: Path
    questions: tuple[Question, ...]
    digest: str
    by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id.update((q.id, q) for q in self.questions)

    @property
    def topics(self) -> list[str]:
        """Topics in the order they first appear in the bank."""
        return list(dict.fromkeys(q.topic for q in self.questions))


@dataclass(frozen=True)
class Variant:
    """One printed version of an exam: its own question and option order."""

    name: str
    order: tuple[str, ...]
    options: dict[str, Permutation]
    values: dict[str, Values] = field(default_factory=dict)  # a parametrised question's draw
    # the questions of those draws, as this variant prints them (``select.draws``)
    drawn: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def question(self, q: Question) -> Question:
        """The question as this variant asks it: its own draw of a parametrised one."""
        return self.drawn.get(q.id, q)


@dataclass(frozen=True)
class Exam:
    """The selection, made once; the PDF, the key and the export all read it."""

    seed: int
    questions: tuple[Question, ...]
    variants: tuple[Variant, ...]
    name: str = ""  # the form's name when several parallel forms were built

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def minutes(self) -> int:
        """The questions' working time, rounded up to whole minutes."""
        return math.ceil(sum(working_minutes(q) for q in self.questions) - 1e-9)
