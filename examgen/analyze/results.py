"""What an item analysis found, as plain data: ``analyze`` fills it, the CSV, the JSON, the
report and ``calibrate`` read it."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Flag:
    question: str
    where: str  # FILE:LINE in the bank
    kind: str  # one of flags.KINDS
    message: str
    severity: int = 5  # KINDS[kind]: 1 comes first


@dataclass
class OptionStats:
    option: str  # letter in the bank's order (true/false for a true/false question)
    correct: bool
    share: float  # of the students who answered
    upper_share: float
    rest_correlation: float | None
    printed: str = ""  # the letter(s) the printed variants gave it
    text: str = ""
    trace: list[float] = field(default_factory=list)  # share per score group, low to high


@dataclass
class ItemForm:
    form: str
    n: int
    facility: float
    discrimination: float | None


@dataclass
class ItemStats:
    id: str
    type: str
    topic: str
    difficulty: str
    knowledge: str
    level: str
    points: float
    file: str
    line: int
    n: int
    facility: float
    discrimination: float | None  # corrected item-total correlation
    upper_lower: float | None
    options: list[OptionStats] = field(default_factory=list)
    sd: float = 0.0
    facility_interval: list[float] = field(default_factory=list)  # 95 %
    discrimination_interval: list[float] | None = None  # 95 %, Fisher's z
    chance: float = 0.0  # share of the points a blind guess scores
    corrected_facility: float = 0.0  # (facility - chance) / (1 - chance)
    alpha_if_deleted: float | None = None
    omitted: float | None = None  # share that ticked no option
    upper_count: int = 0  # students in the upper group
    forms: list[ItemForm] = field(default_factory=list)  # when on several forms


@dataclass
class FormSummary:
    form: str
    students: int
    questions: int
    max_points: float
    mean: float
    sd: float
    alpha: float | None
    sem: float | None


@dataclass
class Analysis:
    exam: str  # the exam id (from the answer sheets) or the manifest's digest
    date: str
    responses: str
    students: int
    excluded: int  # students left out, for the reasons in ``left_out``
    questions: int
    max_points: float
    mean: float
    sd: float
    alpha: float | None
    sem: float | None
    distribution: list[int]  # students per total score band, ``bins`` wide
    bins: list[float]
    items: list[ItemStats]
    flags: list[Flag]
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> students
    forms: list[FormSummary] = field(default_factory=list)
    choices: bool = True  # the responses said which options were ticked
    cohort: str = ""  # names the class: a digest of the students' identifiers

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = _finite(asdict(self))
        return data


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: an undefined number is null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


