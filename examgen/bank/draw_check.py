"""``examgen check --draws N``: each parametrised question drawn N times, as R/exams'
``stresstest_exercise`` does, so that a rare bad draw is found before an exam prints it.

What a lecturer needs to know of a question's draws: how often ``where`` refused a draw,
which draws fail (two options printing alike, a single choice with two correct options, a
format that does not fit), how far the answers range, where the correct option stands
among the options sorted by value (a correct answer that is always the largest is
guessable), and what a draw costs.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from examgen.bank.parametrised import instantiate
from examgen.core.errors import Problem
from examgen.core.model import ChoiceQuestion, Numeric, Question
from examgen.core.params import MAX_TRIES, DrawError, draw_key
from examgen.core.values import ValueProblem, parse_decimal

DEFAULT_DRAWS = 200


@dataclass
class DrawReport:
    """What N draws of one question showed."""

    question: Question
    draws: int = 0
    distinct: int = 0
    tries: int = 0  # draws of the parameters, refused by 'where' or not
    failed: Counter[str] = field(default_factory=Counter)  # kind of problem -> draws
    # kind -> the first such problem: its line, its message and its draw
    first_failure: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    answers: list[float] = field(default_factory=list)
    ranks: Counter[str] = field(default_factory=Counter)  # "2 of 4" -> draws
    seconds: float = 0.0

    def lines(self) -> list[str]:
        q = self.question
        good = self.draws - sum(self.failed.values())
        refused = 1 - self.draws / self.tries if self.tries else 0.0
        out = [f"{q.id}: {self.draws} draws, {self.distinct} different, {good} good; "
               f"'where' refused {refused:.0%} of tries; "
               f"{1000 * self.seconds / max(self.draws, 1):.2f} ms per draw"]
        if self.answers:
            low, high = min(self.answers), max(self.answers)
            different = len(set(self.answers))
            out.append(f"  answers from {low:g} to {high:g}, {different} different")
            if different == 1 and self.distinct > 1:
                out.append("  every draw has the same answer: a neighbour's is right too; "
                           "let the parameters change the answer")
        if self.ranks:
            shown = ", ".join(f"{rank}: {n}" for rank, n in sorted(self.ranks.items()))
            out.append(f"  correct option by value (1 = smallest): {shown}")
            positions = {rank.split()[0] for rank in self.ranks}
            if len(self.ranks) == 1 and self.draws >= 20:
                out.append(f"  the correct option is always {next(iter(positions))} by "
                           "value: a student can guess it; vary the distractors")
        return out

    def problems(self) -> list[Problem]:
        out = []
        for kind, n in self.failed.most_common():
            line, message, draw = self.first_failure[kind]
            out.append(Problem(self.question.file, line,
                               f"question '{self.question.id}': {message} in {n} of "
                               f"{self.draws} draws (first: {draw})"))
        return out


def check_draws(questions: tuple[Question, ...], count: int = DEFAULT_DRAWS
                ) -> list[DrawReport]:
    """``count`` draws of every parametrised question, the same on every run."""
    return [_check(q, count) for q in questions if q.template is not None]


def _check(q: Question, count: int) -> DrawReport:
    assert q.template is not None
    report = DrawReport(q)
    seen: set[str] = set()
    start = time.perf_counter()
    for n in range(count):
        rng = random.Random(f"examgen-check-draws/{q.id}/{n}")
        report.draws += 1
        try:
            values, tries = q.template.draw_counted(rng)
        except DrawError as exc:
            _fail(report, str(exc), exc.line, "no draw")
            report.tries += MAX_TRIES
            continue
        report.tries += tries
        seen.add(draw_key(values))
        shown = ", ".join(f"{k} = {v}" for k, v in values.items())
        try:
            drawn = instantiate(q.template, values)
        except DrawError as exc:
            message = str(exc).split(" (in the draw ")[0]
            _fail(report, message, exc.line, shown)
            continue
        _tally(report, drawn)
    report.seconds = time.perf_counter() - start
    report.distinct = len(seen)
    return report


def _fail(report: DrawReport, message: str, line: int, draw: str) -> None:
    """Count a failed draw under its kind: the message without the values it quotes
    (duplicate option '455' and '419' are one kind)."""
    kind = f"{line}:" + re.sub(r"'[^']*'|[-0-9.]+", "_", message)
    report.failed[kind] += 1
    report.first_failure.setdefault(kind, (line, message, draw))


def _tally(report: DrawReport, q: Question) -> None:
    if isinstance(q, Numeric):
        report.answers.append(q.value)
    elif isinstance(q, ChoiceQuestion):
        try:
            numbers = [float(parse_decimal(o.text.replace("\u2212", "-").replace(
                "\u202f", ""))) for o in q.options]
        except ValueProblem:
            return  # options that are not numbers have no order by value
        right = [n for n, o in zip(numbers, q.options, strict=True) if o.correct]
        report.answers += right
        ordered = sorted(numbers)
        for value in right:
            report.ranks[f"{ordered.index(value) + 1} of {len(ordered)}"] += 1
