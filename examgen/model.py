"""The bank's vocabulary as frozen dataclasses: what every other module reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


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

TYPES = ("single", "multiple", "truefalse", "short", "numeric", "open", "cloze")
CHOICE_TYPES = ("single", "multiple")


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False
    fixed_order: bool = False  # keeps its place when options are shuffled


@dataclass(frozen=True)
class Gap:
    """A cloze gap: free text (``answers``) or a choice among ``options``."""

    answers: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()

    @property
    def is_choice(self) -> bool:
        return bool(self.options)

    @property
    def solution(self) -> str:
        if self.options:
            return next(o.text for o in self.options if o.correct)
        return self.answers[0]


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    difficulty: Difficulty
    knowledge: Knowledge
    type: str
    text: str
    points: float = 1
    options: tuple[Option, ...] = ()
    answer: bool | None = None  # truefalse
    answers: tuple[str, ...] = ()  # short
    case_sensitive: bool = False  # short
    value: float | None = None  # numeric
    tolerance: float = 0.0  # numeric
    unit: str = ""  # numeric
    model_answer: str = ""  # open
    answer_lines: int = 6  # open: height of the ruled answer area
    gaps: tuple[Gap, ...] = ()  # cloze
    explanation: str = ""
    source: str = ""
    image: Path | None = None
    tags: tuple[str, ...] = ()
    group: str = ""
    file: str = ""
    line: int = 0

    @property
    def level(self) -> Level:
        return LEVELS[(self.difficulty, self.knowledge)]

    @property
    def cell(self) -> str:
        return f"{self.difficulty.value}/{self.knowledge.value}"


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
    options: dict[str, tuple[int, ...]]


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
