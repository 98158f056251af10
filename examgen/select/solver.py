"""Pick the exam's questions with a 0-1 integer program solved by HiGHS.

One binary variable per eligible question (per form), one sparse row per rule of the
mix. A random objective drawn from the seed makes the choice random but reproducible.
When the mix cannot be met, the conflict is found (HiGHS's IIS, then a deletion filter)
and explained with the flags the lecturer typed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

import highspy
import numpy as np

from examgen.core.errors import InfeasibleError
from examgen.core.facility import expected_facility
from examgen.core.model import (
    FORM_KEYS,
    LEVELS,
    Bank,
    Difficulty,
    Knowledge,
    Question,
    working_minutes,
)
from examgen.select.infeasible import explain
from examgen.select.mix import ResolvedMix
from examgen.select.rules import (
    Constraint,
    capacity_of,
    constraints,
    eligible,
    filters,
    max_points,
)


def select(bank: Bank, mix: ResolvedMix, seed: int, forms: int = 1,
           overlap: int = 0) -> list[tuple[Question, ...]]:
    """The selected questions for each form, in bank order, meeting every rule of ``mix``."""
    candidates = eligible(bank, mix)
    rules = constraints(candidates, mix)
    check_each_alone(rules, candidates, mix)
    if forms > 1:
        balanced = _balanced_forms(candidates, rules, forms, overlap, seed, mix)
        if balanced is not None:
            return [tuple(candidates[i] for i in form) for form in balanced]
    picked = SelectionModel(candidates, rules, forms, overlap, seed, mix).solve()
    if picked is not None:
        return [tuple(candidates[i] for i in form) for form in picked]
    if forms > 1:
        if SelectionModel(candidates, rules, 1, 0, seed, mix).solve() is not None:
            raise InfeasibleError(_forms_message(candidates, rules, forms, overlap, seed, mix),
                                  (f"--forms {forms}",))
    conflict = SelectionModel(candidates, rules, 1, 0, seed, mix, prune=False).conflict()
    raise InfeasibleError(explain(conflict, candidates),
                          tuple(dict.fromkeys(r.source for r in conflict)))


# What parallel forms are made alike in, from all of it down to the cells alone: the
# first set the bank can give for every form is used.
# "topic~": each topic's count within one of the first form's, on one side of it. A topic
# missing from one form and twice in another is worse than a type off by one, so types
# give way first.
BALANCES = (("cell", "type", "topic", "points"), ("cell", "type", "topic~", "points"),
            ("cell", "type~", "topic~", "points"), ("cell", "topic~", "points"),
            ("cell", "type", "points"), ("cell", "points"), ("cell",))


def _balanced_forms(candidates: list[Question], rules: list[Constraint], forms: int,
                    overlap: int, seed: int, mix: ResolvedMix) -> list[list[int]] | None:
    """Parallel forms alike in cell, type, topic and points, as far as the bank allows.

    One joint program with "form k has as many as form 1" rows is symmetric and can take
    HiGHS minutes to decide. Instead the first form is chosen alone, then the others
    together with the first one's counts as fixed numbers, which is quick either way.
    The first form is chosen so that the others surely exist when the bank allows: at
    most 1/forms of each class of questions alike in everything balanced; else, a few
    draws under 1/forms of each cell, type and topic separately.
    """
    for balance in BALANCES:
        chosen = _balanced(candidates, rules, forms, overlap, seed, mix, balance)
        if chosen is not None:
            return chosen
    return None


def _balanced(candidates: list[Question], rules: list[Constraint], forms: int,
              overlap: int, seed: int, mix: ResolvedMix,
              balance: tuple[str, ...]) -> list[list[int]] | None:
    exact = [FORM_KEYS[name] for name in balance if name in FORM_KEYS]
    near = [FORM_KEYS[name[:-1]] for name in balance if name.endswith("~")]
    points = np.array([float(q.points) for q in candidates])
    alike: dict[tuple[object, ...], list[int]] = {}
    for i, q in enumerate(candidates):
        key = tuple(k(q) for k in exact)
        alike.setdefault((*key, q.points) if "points" in balance else key, []).append(i)
    groups = _groups(candidates, exact)
    loose = _groups(candidates, near)
    attempts = [[np.array(m) for m in alike.values()]] + [groups + loose] * 8
    for stream, caps in enumerate(attempts):
        limits = [_row(members, 0, len(members) // forms) for members in caps]
        first = SelectionModel(candidates, rules + limits, 1, 0, seed, mix, stream=stream).solve()
        if first is None:
            continue
        chosen = first[0]
        profile = [_row(members, n, n) for members in groups
                   for n in [len(np.intersect1d(members, chosen))]]
        # within one of the first form's count, all on the same side of it, so that no two
        # forms differ by two: up from a count below the bank's share, else down
        for members in loose:
            n = len(np.intersect1d(members, chosen))
            share = len(chosen) * len(members) / len(candidates)
            profile.append(_row(members, n - 1, n) if n > share else _row(members, n, n + 1))
        if "points" in balance:
            total = float(points[chosen].sum())
            profile.append(_row(np.arange(len(candidates)), total, total, points))
        apart = _row(np.array(chosen), 0, overlap)
        others = SelectionModel(candidates, rules + profile + [apart], forms - 1, overlap,
                                seed, mix, stream=forms + stream, avoid=list(chosen)).solve()
        if others is not None:
            return [chosen, *others]
    return None


def _row(members: np.ndarray, lo: float, hi: float,
         weights: np.ndarray | None = None) -> Constraint:
    """A row of the balancing between forms: never named to anyone, so it has no label."""
    return Constraint("", "", members, lo, hi, weights)  # pragma: no mutate  # never shown


def _groups(candidates: list[Question], keys: Sequence[Callable[[Question], str]]
            ) -> list[np.ndarray]:
    """The candidates by each key (cell, type, topic): what forms share counts of."""
    out = []
    for key in keys:
        members: dict[str, list[int]] = {}
        for i, q in enumerate(candidates):
            members.setdefault(key(q), []).append(i)
        out += [np.array(m) for m in members.values()]
    return out


def check_each_alone(rules: list[Constraint], candidates: list[Question],
                      mix: ResolvedMix) -> None:
    """The plain cases first: a single rule that asks for more than the bank has."""
    for rule in rules:
        if rule.kind in ("count", "total"):
            have = len(rule.members)
            can = capacity_of(rule.members, candidates)
            if rule.lo > can:
                exactly = "" if rule.hi > rule.lo else "exactly "
                note = "" if can == have else (
                    f", and only {can} of them can appear together (enemy groups)")
                raise InfeasibleError(
                    f"{rule.label}: asked for {exactly}{rule.lo:g} {rule.what}, the bank has "
                    f"{have}{filters(mix)}{note}", (rule.label,))
        elif rule.kind == "points" and rule.weights is not None:
            best = max_points(rule.members, rule.weights, candidates)
            if rule.lo > best:
                raise InfeasibleError(
                    f"{rule.label}: asked for {rule.lo:g} points, but all eligible questions "
                    f"together give at most {best:g}{filters(mix)}", (rule.label,))


class SelectionModel:
    """The 0-1 program for ``forms`` exams over the candidates, built from sparse rows."""

    def __init__(self, candidates: list[Question], rules: list[Constraint], forms: int,
                 overlap: int, seed: int, mix: ResolvedMix, prune: bool = True,
                 stream: int = 0, avoid: list[int] | None = None):
        self.candidates, self.rules = candidates, rules
        self.forms, self.overlap = forms, overlap
        # stream k > 0: the k-th of forms chosen one after another, each its own draw
        rng = np.random.default_rng(seed if stream == 0 else [seed, stream])
        self.weights = rng.random((forms, len(candidates)))
        if mix.seen:  # --prefer-unused: an earlier use costs more than any random draw
            self.weights -= np.array([mix.seen.get(q.id, 0) for q in candidates], dtype=float)
        if avoid:  # an earlier form's questions: shared only where nothing else fits
            self.weights[:, avoid] -= 1
        # The search for a conflict drops rules one by one, so it must see every question.
        self.kept = (_interchangeable_pruned(candidates, self.weights.max(axis=0), mix, forms,
                                             by_type=stream > 0 or forms > 1)
                     if prune else np.arange(len(candidates)))

    def solve(self, subset: list[int] | None = None) -> list[list[int]] | None:
        return self.attempt(subset)[0]

    def attempt(self, subset: list[int] | None = None, time_limit: float | None = None
                ) -> tuple[list[list[int]] | None, bool]:
        """The forms found (or None), and whether None means proven infeasible (not a
        time limit reached)."""
        highs, _ = self._build(subset)
        if time_limit is not None:
            highs.setOptionValue("time_limit", time_limit)
        highs.run()
        status = highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return None, status == highspy.HighsModelStatus.kInfeasible
        values = np.asarray(highs.getSolution().col_value)
        n = len(self.kept)
        return [list(self.kept[np.flatnonzero(values[k * n:(k + 1) * n] > 0.5)])
                for k in range(self.forms)], True

    def conflict(self) -> list[Constraint]:
        """A smallest set of rules that cannot hold together (irreducible)."""
        highs, row_rule = self._build(None)
        # Tuning only: the deletion filter below decides what the conflict is.
        highs.setOptionValue("iis_strategy", 4)  # pragma: no mutate
        highs.setOptionValue("iis_time_limit", 20.0)  # pragma: no mutate
        highs.run()
        status, iis = highs.getIis()
        suspects = sorted({int(row_rule[r]) for r in iis.row_index_}) if iis.valid_ else []
        if not suspects or self.solve(suspects) is not None:
            suspects = list(range(len(self.rules)))  # integrality made it infeasible
        suspects = self._without_groups_if_possible(suspects)
        for rule in list(suspects):
            trial = [r for r in suspects if r != rule]
            if self.solve(trial) is None:
                suspects = trial
        return [self.rules[r] for r in suspects]

    def _without_groups_if_possible(self, suspects: list[int]) -> list[int]:
        plain = [r for r in suspects if self.rules[r].kind != "group"]
        return plain if plain != suspects and self.solve(plain) is None else suspects

    def _build(self, subset: list[int] | None) -> tuple[highspy.Highs, np.ndarray]:
        n, forms = len(self.kept), self.forms
        column = np.full(len(self.candidates), -1)
        column[self.kept] = np.arange(n)
        indexes, values, lower, upper, row_rule = [], [], [], [], []
        for r in range(len(self.rules)) if subset is None else subset:
            rule = self.rules[r]
            members = rule.members[column[rule.members] >= 0]
            weights = np.ones(len(members)) if rule.weights is None else rule.weights[members]
            members = column[members]
            for k in range(forms):
                indexes.append(members + k * n)
                values.append(weights)
                lower.append(rule.lo)
                upper.append(rule.hi)
                row_rule.append(r)
        columns = n * forms
        if forms > 1:
            columns = self._add_form_rows(indexes, values, lower, upper, row_rule, columns)
        lengths = np.array([len(i) for i in indexes])
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = columns, len(indexes)
        cost = np.zeros(columns)
        cost[: n * forms] = self.weights[:, self.kept].ravel()
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(columns)
        lp.col_upper_ = np.ones(columns)
        lp.row_lower_ = np.array(lower, dtype=float)  # pragma: no mutate  # highspy casts
        lp.row_upper_ = np.array(upper, dtype=float)  # pragma: no mutate
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kRowwise
        matrix.num_col_, matrix.num_row_ = columns, len(indexes)
        matrix.start_ = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
        matrix.index_ = (np.concatenate(indexes) if indexes else np.zeros(0)).astype(np.int32)
        matrix.value_ = np.concatenate(values) if values else np.zeros(0)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
        lp.sense_ = highspy.ObjSense.kMaximize
        highs = quiet_highs()
        highs.passModel(lp)
        return highs, np.array(row_rule)

    def _add_form_rows(self, indexes: list[np.ndarray], values: list[np.ndarray],
                       lower: list[float], upper: list[float], row_rule: list[int],
                       columns: int) -> int:
        """Forms share no question (or at most ``overlap`` between any two)."""
        n, forms = len(self.kept), self.forms
        shared = -1  # a rule index of its own, so a conflict can name --forms
        if self.overlap == 0:
            for i in range(n):
                indexes.append(np.arange(forms) * n + i)
                values.append(np.ones(forms))
                lower.append(0)
                upper.append(1)
                row_rule.append(shared)
            return columns
        for a in range(forms):
            for b in range(a + 1, forms):
                both = np.arange(columns, columns + n)  # y_i >= x_ia + x_ib - 1
                for i in range(n):
                    indexes.append(np.array([a * n + i, b * n + i, both[i]]))
                    values.append(np.array([1.0, 1.0, -1.0]))
                    lower.append(-np.inf)
                    upper.append(1)
                    row_rule.append(shared)
                indexes.append(both)
                values.append(np.ones(n))
                lower.append(0)
                upper.append(self.overlap)
                row_rule.append(shared)
                columns += n
        return columns


def _interchangeable_pruned(candidates: list[Question], priority: np.ndarray,
                            mix: ResolvedMix, forms: int, by_type: bool = False) -> np.ndarray:
    """The candidates worth a variable: an exact reduction of the program.

    Questions alike in everything a rule can see (cell, topic, points, group) are
    interchangeable, so no exam needs more of them than one form can hold times the
    number of forms (one per form from an enemy group). Keeping the ones the random
    objective prefers leaves the optimum unchanged and feasibility intact, and turns
    100,000 variables into a few thousand.
    """
    classes: dict[tuple[Difficulty, Knowledge, str, float, str, tuple[float, float], str],
                  list[int]] = {}
    for i, q in enumerate(candidates):
        # with --facility, --minutes or --type, questions differ in what those rules see
        seen = (expected_facility(q) if mix.facility is not None else 0.0,
                working_minutes(q) if mix.minutes is not None else 0.0)
        qtype = q.type if mix.types or by_type else ""
        classes.setdefault((q.difficulty, q.knowledge, q.topic, q.points, q.group, seen,
                            qtype), []).append(i)
    required = {q.id for q in candidates}.intersection(mix.require)
    keep = [i for i, q in enumerate(candidates) if q.id in required]
    for (difficulty, knowledge, topic, _, group, _, qtype), members in classes.items():
        limit = forms if group else forms * _per_form_cap(mix, difficulty, knowledge, topic,
                                                          qtype)
        if len(members) > limit:
            order = np.argsort(-priority[members], kind="stable")[:limit]
            members = [members[j] for j in order]
        keep.extend(members)
    return np.unique(np.array(keep, dtype=np.int64))


def _per_form_cap(mix: ResolvedMix, difficulty: Difficulty, knowledge: Knowledge,
                  topic: str, qtype: str = "") -> int:
    """The most questions of one class a single form can take under the mix's counts."""
    level = LEVELS[(difficulty, knowledge)].value
    values = {"difficulty": difficulty.value, "knowledge": knowledge.value, "level": level,
              "cells": f"{difficulty.value}/{knowledge.value}"}
    cap = mix.total
    for axis, counts in mix.counts.items():
        if values[axis] in counts:
            cap = min(cap, counts[values[axis]])
    for high in (mix.topics.get(topic, (0, None))[1], mix.types.get(qtype, (0, None))[1]):
        cap = cap if high is None else min(cap, high)
    return cap


def quiet_highs() -> highspy.Highs:
    """A Highs instance; its constructor prints a banner on file descriptor 1."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highs = highspy.Highs()  # type: ignore[no-untyped-call]  # unannotated in highspy
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    # Silence and one thread: no test can see them, so mutation testing skips them.
    highs.setOptionValue("output_flag", False)  # pragma: no mutate
    highs.setOptionValue("log_to_console", False)  # pragma: no mutate
    highs.setOptionValue("threads", 1)  # pragma: no mutate
    return highs


def _forms_message(candidates: list[Question], rules: list[Constraint], forms: int,
                   overlap: int, seed: int, mix: ResolvedMix) -> str:
    supported = 1
    for k in range(forms - 1, 1, -1):
        if SelectionModel(candidates, rules, k, overlap, seed, mix).solve() is not None:
            supported = k
            break
    shared = "no questions in common" if overlap == 0 else f"at most {overlap} in common"
    return (f"--forms {forms}: the bank supports at most {supported} form(s) of this mix with "
            f"{shared} (--overlap {overlap}); ask for fewer forms, allow more overlap, "
            f"or add questions")
