"""The mix as rows of the 0-1 program: which questions may appear, and one constraint
per rule, named by the flag or blueprint line the lecturer wrote."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from examgen.core.errors import InfeasibleError
from examgen.core.facility import expected_facility
from examgen.core.model import Bank, Question, working_minutes
from examgen.select.mix import AXES, ResolvedMix, flag_for

_AXIS_WORDS = {"difficulty": "{} questions", "knowledge": "{} questions",
               "level": "{} (level) questions", "cells": "{} questions"}


@dataclass(frozen=True)
class Constraint:
    """One rule of the mix: lo <= sum(weights[members] * x[members]) <= hi, per form."""

    label: str  # as the lecturer typed it, e.g. "--hard 3"
    what: str  # what it counts, e.g. "hard questions"
    members: np.ndarray  # candidate indexes
    lo: float
    hi: float
    weights: np.ndarray | None = None  # None: count questions; else e.g. points
    kind: str = "count"  # count | points | minutes | group | require | total | facility
    axis: str = ""  # what it partitions by (difficulty, topic, ...): rules of one axis
    flag: str = ""  # the flag behind it when several rules share one (--each-topic 2)

    @property
    def source(self) -> str:
        return self.flag or self.label


def eligible(bank: Bank, mix: ResolvedMix) -> list[Question]:
    """The questions the solver may pick at all: filters first, then the program."""
    tags, excluded = set(mix.tags), set(mix.exclude)
    out = []
    for q in bank.questions:
        if q.id in excluded or q.id in mix.used or (tags and not tags.intersection(q.tags)):
            if q.id in mix.require:
                raise InfeasibleError(f"--require {q.id} cannot hold: "
                                      f"{why_ineligible(q, mix)}", (f"--require {q.id}",))
            continue
        out.append(q)
    return out


def why_ineligible(q: Question, mix: ResolvedMix) -> str:
    """The rule that keeps a question out of the candidates (for --require and the
    stress test)."""
    if q.id in mix.exclude:
        return f"it is also excluded (--exclude {q.id})"
    if q.id in mix.used:
        return f"it was used in {mix.used[q.id]} (--exclude-used)"
    return f"it has none of the tags {', '.join(mix.tags)} (--tag)"


def constraints(candidates: list[Question], mix: ResolvedMix) -> list[Constraint]:
    """Every rule of the mix as a sparse row over the candidates."""
    n = len(candidates)
    everyone = np.arange(n)
    total_label = (mix.written("total", "", f"--total {mix.total}", f"total: {mix.total}")
                   if mix.total_given else _implied_total_label(mix))
    rules = [Constraint(total_label, "questions in all", everyone, mix.total, mix.total,
                        kind="total")]
    attrs = {
        "difficulty": _strings([q.difficulty.value for q in candidates]),
        "knowledge": _strings([q.knowledge.value for q in candidates]),
        "level": _strings([q.level.value for q in candidates]),
        "cells": _strings([q.cell for q in candidates]),
    }
    for axis in AXES:
        for value, count in mix.counts.get(axis, {}).items():
            label = mix.written(axis, value, flag_for(axis, value, count), f"{value}: {count}")
            if value in mix.implied_zero.get(axis, ()):
                label = f"no {value} questions (not asked for, and no --total)"
            rules.append(Constraint(label, _AXIS_WORDS[axis].format(value),
                                    everyone[attrs[axis] == value], count, count, axis=axis))
    topic_of = _strings([q.topic for q in candidates])
    for topic in dict.fromkeys([*mix.topics, *(q.topic for q in candidates)]):
        members = everyone[topic_of == topic]
        lo, hi = mix.topics.get(topic, (0, None))
        if topic in mix.topics:
            flag = mix.topic_flags[topic]
            spec = f"{lo}" if hi is None else f"{lo}:{hi}"
            label = mix.written("topics", flag, f'--topic "{flag}={spec}"', f'{flag}: "{spec}"')
            rules.append(Constraint(label, f"questions from '{topic}'",
                                    members, lo, np.inf if hi is None else hi, axis="topic"))
        if mix.each_topic > lo:
            each = mix.written("each_topic", "", f"--each-topic {mix.each_topic}",
                               f"each_topic: {mix.each_topic}")
            rules.append(Constraint(f"{each} ('{topic}')",
                                    f"questions from '{topic}'", members, mix.each_topic,
                                    np.inf, axis="topic", flag=each))
    type_of = _strings([q.type for q in candidates])
    for qtype, (lo, hi) in mix.types.items():
        spec = f"{lo}" if hi is None else f"{lo}:{hi}"
        label = mix.written("types", qtype, f'--type "{qtype}={spec}"', f'{qtype}: "{spec}"')
        rules.append(Constraint(label, f"{qtype} questions",
                                everyone[type_of == qtype], lo, np.inf if hi is None else hi,
                                axis="type"))
    if mix.points is not None:
        least, most = mix.points
        upper = "" if most is None else f"{most:g}"
        spec = f"{least:g}" if least == most else f"{least:g}:{upper}"
        label = mix.written("points", "", f"--points {spec}", f'points: "{spec}"')
        rules.append(Constraint(label, "points", everyone, least,
                                np.inf if most is None else most,
                                np.array([float(q.points) for q in candidates]),
                                kind="points"))
    if mix.minutes is not None:
        least, most = mix.minutes
        spec = f"{most:g}" if least == 0 else f"{least:g}:{'' if np.isinf(most) else f'{most:g}'}"
        label = mix.written("minutes", "", f"--minutes {spec}", f'minutes: "{spec}"')
        rules.append(Constraint(label, "minutes of working time", everyone, least, most,
                                np.array([working_minutes(q) for q in candidates]),
                                kind="minutes"))
    if mix.facility is not None:
        rules += _facility_rules(candidates, mix.facility, mix)
    index = {q.id: i for i, q in enumerate(candidates)}
    for qid in mix.require:
        rules.append(Constraint(mix.written("require", qid, f"--require {qid}",
                                            f"require: {qid}"), f"'{qid}'",
                                np.array([index[qid]]), 1, 1, kind="require"))
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(candidates):
        if q.group:
            groups.setdefault(q.group, []).append(i)
    for name, members in groups.items():
        if len(members) > 1:
            ids = ", ".join(candidates[i].id for i in members)
            rules.append(Constraint(f"group '{name}'", f"questions of group '{name}' ({ids})",
                                    np.array(members), 0, 1, kind="group"))
    return rules


def _facility_rules(candidates: list[Question], bounds: tuple[float, float],
                    mix: ResolvedMix) -> list[Constraint]:
    """The exam's expected facility, sum(points * f) / sum(points), between the bounds:
    linear as sum(points * (f - low)) >= 0 and sum(points * (high - f)) >= 0."""
    low, high = bounds
    label = mix.written("facility", "", f"--facility {low:g}:{high:g}",
                        f'facility: "{low:g}:{high:g}"')
    points = np.array([float(q.points) for q in candidates])
    expected = np.array([expected_facility(q) for q in candidates])
    everyone = np.arange(len(candidates))
    return [Constraint(label, f"expected facility at least {low:g}", everyone, 0, np.inf,
                       points * (expected - low), kind="facility"),
            Constraint(label, f"expected facility at most {high:g}", everyone, 0, np.inf,
                       points * (high - expected), kind="facility")]


def _strings(values: list[str]) -> np.ndarray:
    """An array to compare with ``==`` element by element (object: no fixed width)."""
    return np.array(values, dtype=object)  # pragma: no mutate  # any dtype compares alike


def _implied_total_label(mix: ResolvedMix) -> str:
    axis = next(iter(mix.counts))
    given = [flag_for(axis, v, c) for v, c in mix.counts[axis].items()
             if v not in mix.implied_zero.get(axis, ())]
    return f"{mix.total} questions in all ({' '.join(given)}, no --total)"


def capacity_of(members: np.ndarray, candidates: list[Question]) -> int:
    """How many of these questions can appear together, given the enemy groups."""
    groups = {candidates[i].group for i in members if candidates[i].group}
    return sum(1 for i in members if not candidates[i].group) + len(groups)


def filters(mix: ResolvedMix) -> str:
    parts = [name for name, on in (("--tag", mix.tags), ("--exclude", mix.exclude),
                                   ("--exclude-used", mix.used)) if on]
    return f" after {', '.join(parts)}" if parts else ""


def max_points(members: np.ndarray, weights: np.ndarray, candidates: list[Question]) -> float:
    best: dict[str, float] = {}
    free = 0.0
    for i in members:
        group = candidates[i].group
        if group:
            best[group] = max(best.get(group, 0.0), weights[i])
        else:
            free += weights[i]
    return free + sum(best.values())
