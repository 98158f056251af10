"""Classical item analysis, computed once into ``Analysis``; the CSV, the JSON and the PDF
report are views of it.

Per question: facility (mean score / points), discrimination (the corrected item-total
correlation: the item against the total of the other items), the upper-lower index (the
top and bottom 27 % by total), and for choice questions each option's share and its
correlation with the rest score. Per exam: mean, spread, Cronbach's alpha (KR-20 for
right/wrong items) and the standard error of measurement.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from examgen.analyze.responses import Responses
from examgen.core.model import (
    FACILITY_BANDS,
    LETTERS,
    MIN_ANSWERS,
    ChoiceQuestion,
    Question,
    band_of,
)

LOW_DISCRIMINATION = 0.1  # a corrected item-total correlation below this barely separates
FAR_OUTSIDE = 0.1  # facility this far outside the tagged band is flagged
MIN_N_FOR_FLAGS = 20  # below this, correlations are noise: no flags at all
UPPER_LOWER = 0.27


@dataclass
class OptionStats:
    option: str  # letter in the bank's order
    correct: bool
    share: float  # of the students who answered
    upper_share: float
    rest_correlation: float | None


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


@dataclass
class Flag:
    question: str
    where: str  # FILE:LINE in the bank
    kind: str  # miskeyed | negative-discrimination | low-discrimination | unused-distractor
    #            | easier-than-tagged | harder-than-tagged
    message: str


@dataclass
class Analysis:
    exam: str  # the exam id (from the answer sheets) or the manifest's digest
    date: str
    responses: str
    students: int
    excluded: int  # students left out for an unanswered (review) question
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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def analyse(responses: Responses, questions: dict[str, Question], exam: str,
            date: str) -> Analysis:
    complete = ~np.isnan(responses.scores).any(axis=1)
    scores = responses.scores[complete]
    n, k = scores.shape
    maxima = np.array([questions[i].points for i in responses.items])
    totals = scores.sum(axis=1)
    order = np.argsort(totals, kind="stable")
    group = max(1, int(round(UPPER_LOWER * n)))
    lower, upper = order[:group], order[-group:]
    items = []
    chosen_rows = np.flatnonzero(complete)
    for j, qid in enumerate(responses.items):
        q = questions[qid]
        x = scores[:, j]
        rest = totals - x
        item = ItemStats(
            qid, q.type, q.topic, q.difficulty.value, q.knowledge.value, q.level.value,
            q.points, q.file, q.line, n, float(x.mean() / q.points) if n else 0.0,
            _correlation(x, rest),
            float((x[upper].mean() - x[lower].mean()) / q.points) if n >= 2 else None)
        if isinstance(q, ChoiceQuestion):
            picks = [responses.choices[qid][s] for s in chosen_rows]
            for i, option in enumerate(q.options):
                letter = LETTERS[i]
                chose = np.array([letter in p for p in picks], dtype=float)
                item.options.append(OptionStats(
                    letter, option.correct, float(chose.mean()) if n else 0.0,
                    float(chose[upper].mean()) if n else 0.0,
                    _correlation(chose, rest)))
        items.append(item)
    variance_items = scores.var(axis=0, ddof=1).sum() if n > 1 else 0.0
    variance_total = float(totals.var(ddof=1)) if n > 1 else 0.0
    alpha = (k / (k - 1) * (1 - variance_items / variance_total)
             if k > 1 and variance_total > 0 else None)
    sd = float(np.sqrt(variance_total))
    # alpha below 0 means the items do not measure one thing: no error of measurement then
    sem = sd * float(np.sqrt(1 - alpha)) if alpha is not None and 0 <= alpha <= 1 else None
    counts, edges = _histogram(totals, float(maxima.sum()))
    analysis = Analysis(exam, date, responses.source, int(n), int((~complete).sum()), k,
                        float(maxima.sum()), float(totals.mean()) if n else 0.0, sd,
                        None if alpha is None else float(alpha), sem, counts, edges, items, [])
    analysis.flags = flags(analysis)
    return analysis


def _correlation(a: np.ndarray, b: np.ndarray) -> float | None:
    """Pearson's r, or None when either side does not vary."""
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


def _histogram(totals: np.ndarray, maximum: float) -> tuple[list[int], list[float]]:
    bins = min(20, max(1, int(np.ceil(maximum))))
    counts, edges = np.histogram(totals, bins=bins, range=(0.0, max(maximum, 1e-9)))
    return [int(c) for c in counts], [float(e) for e in edges]


def flags(analysis: Analysis) -> list[Flag]:
    """What a lecturer should look at, each with the question's place in the bank."""
    out: list[Flag] = []
    if analysis.students < MIN_N_FOR_FLAGS:
        return out
    for item in analysis.items:
        where = f"{item.file}:{item.line}"
        if item.options:
            key = max((o.rest_correlation for o in item.options
                       if o.correct and o.rest_correlation is not None), default=None)
            rival = max((o for o in item.options if not o.correct
                         and o.rest_correlation is not None),
                        key=lambda o: o.rest_correlation or 0.0, default=None)
            # the classic sign of a wrong key: the keyed answer goes with weak students and
            # a "wrong" one with strong students
            if key is not None and key < 0 and rival is not None and \
                    (rival.rest_correlation or 0) > LOW_DISCRIMINATION:
                out.append(Flag(item.id, where, "miskeyed",
                                f"likely miskeyed: option {rival.option} (marked wrong) goes "
                                f"with strong students (r = {rival.rest_correlation:.2f}, "
                                f"{rival.upper_share:.0%} of the top 27 % chose it), the key "
                                f"with weak ones (r = {key:.2f}); check the correct option"))
            for o in item.options:
                if not o.correct and o.share == 0:
                    out.append(Flag(item.id, where, "unused-distractor",
                                    f"option {o.option} was chosen by nobody: replace it with "
                                    "a plausible wrong answer"))
        r = item.discrimination
        if r is not None and r < 0:
            out.append(Flag(item.id, where, "negative-discrimination",
                            f"weaker students score better than stronger ones (r = {r:.2f}): "
                            "check the key and the wording"))
        elif r is not None and r < LOW_DISCRIMINATION:
            out.append(Flag(item.id, where, "low-discrimination",
                            f"barely separates strong from weak students (r = {r:.2f})"))
        if item.n >= MIN_ANSWERS:
            low, high = FACILITY_BANDS[item.difficulty]
            if item.facility > high + FAR_OUTSIDE or item.facility < low - FAR_OUTSIDE:
                easier = item.facility > high
                out.append(Flag(item.id, where,
                                "easier-than-tagged" if easier else "harder-than-tagged",
                                f"facility {item.facility:.2f} is far "
                                f"{'above' if easier else 'below'} the {item.difficulty} band "
                                f"({low:g}-{high:g}); it behaves like "
                                f"{band_of(item.facility)}"))
    return out
