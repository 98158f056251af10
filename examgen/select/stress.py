"""R/exams' stress test for a mix: build it with many seeds and see which questions are
never or rarely drawn, and which rule keeps them out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from examgen.core.model import Bank, Question
from examgen.select.mix import ResolvedMix
from examgen.select.rules import Constraint, constraints, eligible, why_ineligible
from examgen.select.solver import select

RARELY = 0.5  # drawn less than half as often as its share of places: "rarely"


@dataclass(frozen=True)
class Drawn:
    question: Question
    times: int
    expected: float  # how often it would be drawn if the places were shared evenly
    why: str


@dataclass(frozen=True)
class Stress:
    runs: int
    never: list[Drawn]
    rarely: list[Drawn]


def stress(bank: Bank, mix: ResolvedMix, runs: int) -> Stress:
    """Select the mix with seeds 1..runs and count how often each question comes up."""
    counts: Counter[str] = Counter()
    for seed in range(1, runs + 1):
        counts.update(q.id for q in select(bank, mix, seed)[0])  # raises when infeasible
    candidates = eligible(bank, mix)
    rules = constraints(candidates, mix)
    index = {q.id: i for i, q in enumerate(candidates)}
    never, rarely = [], []
    for q in bank.questions:
        if q.id not in index:
            never.append(Drawn(q, 0, 0.0, why_ineligible(q, mix)))
            continue
        share, why = _places(index[q.id], rules, q)
        drawn = Drawn(q, counts[q.id], share * runs, why)
        if drawn.times == 0:
            never.append(drawn)
        elif drawn.times < RARELY * drawn.expected:
            rarely.append(drawn)
    return Stress(runs, never, sorted(rarely, key=lambda d: d.times / max(d.expected, 1e-9)))


def _places(i: int, rules: list[Constraint], q: Question) -> tuple[float, str]:
    """Its fair share of the places of the tightest rule it falls under, and why."""
    best: tuple[float, str] = (1.0, "")
    for rule in rules:
        if (rule.kind not in ("count", "total") or not np.isfinite(rule.hi)
                or not np.isin(i, rule.members)):
            continue
        places = rule.hi
        share = places / len(rule.members)
        if places == 0:
            return 0.0, (rule.label if rule.label.startswith("no ") else
                         f"{rule.label} leaves no place for {rule.what}")
        if share < best[0]:
            best = (share, f"{rule.label}: one of {len(rule.members)} {rule.what} for "
                            f"{places:g} place(s)")
    points = [r for r in rules if r.kind == "points" and np.isfinite(r.hi)]
    if points and q.points > points[0].hi:
        return 0.0, f"{points[0].label}: it alone is worth {q.points:g} points"
    return best[0], best[1] or "no rule limits it; other questions won the random draw"


def stress_report(result: Stress) -> tuple[dict[str, Any], list[str]]:
    """The stress test as JSON (coverage --json) and as the report's lines."""
    def entry(d: Drawn) -> dict[str, Any]:
        return {"id": d.question.id, "where": f"{d.question.file}:{d.question.line}",
                "drawn": d.times, "expected": round(d.expected, 1), "why": d.why}

    data = {"runs": result.runs, "never": [entry(d) for d in result.never],
            "rarely": [entry(d) for d in result.rarely]}
    lines = ["", f"Stress test: {result.runs} seeds",
             f"  never drawn: {len(result.never)}, rarely (under half their share): "
             f"{len(result.rarely)}"]
    by_reason: dict[str, list[Drawn]] = {}
    for d in result.never:  # one line per reason: 28 "no medium questions" say it once
        by_reason.setdefault(d.why, []).append(d)
    for why, drawn in by_reason.items():
        if len(drawn) == 1:
            d = drawn[0]
            lines.append(f"  - never  {d.question.id} ({d.question.file}:{d.question.line}): "
                         f"{why}")
        else:
            ids = ", ".join(d.question.id for d in drawn[:12])
            more = f" and {len(drawn) - 12} more" if len(drawn) > 12 else ""
            lines.append(f"  - never  {len(drawn)} questions: {why}: {ids}{more}")
    lines += [f"  - rarely {d.question.id}: {d.times} of {result.runs}, its share "
              f"{d.expected:.0f}; {d.why}" for d in result.rarely]
    return data, lines
