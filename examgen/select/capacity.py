"""How many exams of one mix the bank can still give with no question repeated.

Questions alike in everything a rule can see are interchangeable, so the mix is written
over classes of them. Upper bound: K disjoint exams average to one fractional exam that
takes at most 1/K of every class, so K is impossible when that linear program is
infeasible (and when one rule alone needs more than its group has). Lower bound: K exams
with the same whole counts per class exist when the integer program with every count
times K within its class is feasible; the largest such K is taken, then again from what
is left, in rounds. When the bounds meet the capacity is exact; when not, and the whole
program is small, it decides one exam more at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from examgen.core.errors import InfeasibleError
from examgen.core.facility import expected_facility
from examgen.core.model import Bank, Question, working_minutes
from examgen.select.mix import ResolvedMix
from examgen.select.rules import Constraint, capacity_of, constraints, eligible
from examgen.select.solver import SelectionModel, check_each_alone, quiet_highs

# The whole program for K exams is tried only up to this size, and this long in all.
_WHOLE_PROGRAM_COLUMNS = 20_000
_TIME_LIMIT = 5.0


@dataclass(frozen=True)
class Limit:
    """One rule's own limit: the bank has ``have`` of what each exam needs ``need`` of."""

    rule: str  # as the lecturer wrote it: "--cell hard/recall=3", "final.yaml:7", ...
    what: str  # "hard/recall questions"
    have: int
    need: int

    @property
    def exams(self) -> int:
        return self.have // self.need


@dataclass(frozen=True)
class Capacity:
    exams: int  # disjoint exams the solver found
    bound: int  # no more than this many can exist
    limits: list[Limit] = field(default_factory=list)  # every rule's own limit, tightest first

    @property
    def exact(self) -> bool:
        return self.exams == self.bound

    @property
    def binding(self) -> Limit | None:
        """The rule that runs out first."""
        return self.limits[0] if self.limits else None


def capacity(bank: Bank, mix: ResolvedMix) -> Capacity:
    """The most exams of ``mix`` the bank gives without repeating a question."""
    candidates = eligible(bank, mix)
    rules = constraints(candidates, mix)
    limits = _limits(rules, candidates)
    try:
        check_each_alone(rules, candidates, mix)
    except InfeasibleError:
        return Capacity(0, 0, limits)
    if mix.require:  # a required question is in every exam
        qid = mix.require[0]
        limits.insert(0, Limit(mix.written("require", qid, f"--require {qid}",
                                           f"require: {qid}"), "required question", 1, 1))
    bound = min([limit.exams for limit in limits], default=len(candidates))
    model = _ClassModel(candidates, rules, mix)
    bound = _largest(0, bound, lambda k: model.feasible(k, relaxed=True))
    low = 0
    while low < bound:  # rounds of exams alike per class, each from what the last left
        k = _largest(0, bound - low, model.feasible)
        if k == 0:
            break
        model.take(k)
        low += k
    # Exams need not share counts per class: where the bounds differ and the program is
    # small, the whole program for one exam more decides it.
    deadline = time.monotonic() + _TIME_LIMIT
    while low < bound and (low + 1) * len(candidates) <= _WHOLE_PROGRAM_COLUMNS:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        found, proven = SelectionModel(candidates, rules, low + 1, 0, 1, mix).attempt(
            time_limit=left)
        if found is not None:
            low += 1
        elif proven:
            bound = low
        else:
            break
    return Capacity(low, bound, limits)


def _largest(low: int, high: int, feasible: Callable[[int], bool]) -> int:
    """The largest K in low..high with feasible(K), feasibility falling with K."""
    while low < high:
        k = (low + high + 1) // 2
        if feasible(k):
            low = k
        else:
            high = k - 1
    return low


def _limits(rules: list[Constraint], candidates: list[Question]) -> list[Limit]:
    out = []
    for rule in rules:
        if rule.kind in ("count", "total") and rule.lo > 0:
            have = capacity_of(rule.members, candidates)
            out.append(Limit(rule.source if rule.flag else rule.label, rule.what, have,
                             int(rule.lo)))
    return sorted(out, key=lambda limit: (limit.exams, limit.have))


def _seen_by(rules: list[Constraint]) -> set[str]:
    """What the rules tell questions apart by: the fewer, the larger the classes, and the
    closer the class program comes to the true capacity."""
    seen = set()
    for rule in rules:
        if rule.axis in ("difficulty", "knowledge", "level", "cells"):
            seen.add("cell")
        elif rule.axis in ("topic", "type"):
            seen.add(rule.axis)
        elif rule.kind in ("points", "facility", "minutes"):
            seen.add(rule.kind)
    return seen


class _ClassModel:
    """The mix over classes of interchangeable questions: y[c] questions of class c in
    every exam, with K * y[c] no more than the class has."""

    def __init__(self, candidates: list[Question], rules: list[Constraint], mix: ResolvedMix):
        classes: dict[tuple[object, ...], list[int]] = {}
        required = set(mix.require)
        seen = _seen_by(rules)
        for i, q in enumerate(candidates):
            key = (q.id,) if q.id in required else (
                q.cell if "cell" in seen else "", q.topic if "topic" in seen else "",
                q.type if "type" in seen else "", q.points if "points" in seen else 0,
                q.group, expected_facility(q) if "facility" in seen else 0.0,
                working_minutes(q) if "minutes" in seen else 0.0)
            classes.setdefault(key, []).append(i)
        self.sizes = np.array([len(m) for m in classes.values()], dtype=float)
        self.counts = np.zeros(len(self.sizes))  # per class, of the last feasible program
        first = np.array([m[0] for m in classes.values()])
        self.rows = []
        for rule in rules:
            inside = np.isin(first, rule.members)
            weights = np.ones(len(first)) if rule.weights is None else rule.weights[first]
            self.rows.append((np.flatnonzero(inside), weights[inside], rule.lo, rule.hi))

    def take(self, exams: int) -> None:
        """Use up ``exams`` exams of the last feasible counts per class."""
        self.feasible(exams)
        self.sizes = self.sizes - exams * self.counts

    def feasible(self, exams: int, relaxed: bool = False) -> bool:
        """Whether ``exams`` exams with the same counts per class exist; ``relaxed``: the
        linear relaxation, which holds whenever any ``exams`` disjoint exams exist (by
        symmetry, the average of their counts solves it), so it bounds from above."""
        if exams == 0:
            return True
        n = len(self.sizes)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(self.rows)
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = self.sizes / exams if relaxed else np.floor(self.sizes / exams)
        lp.row_lower_ = np.array([lo for _, _, lo, _ in self.rows], dtype=float)
        lp.row_upper_ = np.array([hi for _, _, _, hi in self.rows], dtype=float)
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kRowwise
        matrix.num_col_, matrix.num_row_ = n, len(self.rows)
        lengths = [len(columns) for columns, _, _, _ in self.rows]
        matrix.start_ = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
        matrix.index_ = np.concatenate([c for c, _, _, _ in self.rows]).astype(np.int32)
        matrix.value_ = np.concatenate([w for _, w, _, _ in self.rows])
        if not relaxed:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        highs = quiet_highs()
        highs.passModel(lp)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return False
        self.counts = np.round(np.asarray(highs.getSolution().col_value))
        return True


def capacity_json(result: Capacity) -> dict[str, object]:
    """``capacity`` in ``examgen coverage --json``."""
    return {"exams": result.exams, "bound": result.bound, "exact": result.exact,
            "binding": None if result.binding is None else _limit_json(result.binding),
            "limits": [_limit_json(limit) for limit in result.limits]}


def _limit_json(limit: Limit) -> dict[str, object]:
    return {"rule": limit.rule, "what": limit.what, "have": limit.have, "need": limit.need,
            "exams": limit.exams}


def render_capacity(result: Capacity, source: str) -> list[str]:
    """The capacity as lines for the terminal."""
    if result.exact:
        head = f"{result.exams} exam(s) of {source} with no question repeated"
    else:
        head = (f"at least {result.exams} and at most {result.bound} exam(s) of {source} "
                "with no question repeated")
    lines = ["Capacity", "", f"  {head}"]
    b = result.binding
    if b is not None and b.exams <= result.exams:
        lines.append(f"  runs out first: {b.rule}: {b.need} {b.what} per exam, the bank has "
                     f"{b.have}")
    elif b is not None:
        lines.append(f"  no rule alone runs out first: together they allow {result.exams}; "
                     f"the tightest alone, {b.rule} ({b.need} {b.what} per exam, "
                     f"{b.have} in the bank), would allow {b.exams}")
    thin = [limit for limit in result.limits[1:] if limit.exams <= result.exams + 1]
    lines += [f"  then: {limit.rule}: {limit.need} per exam, {limit.have} in the bank "
              f"({limit.exams} exam(s))" for limit in thin[:5]]
    return lines
