"""A mix the bank cannot meet, in the lecturer's words: the conflicting rules with
their flags and numbers, and where they overlap in the bank."""

from __future__ import annotations

import numpy as np

from examgen.core.facility import expected_facility
from examgen.core.model import Question, working_minutes
from examgen.select.rules import Constraint


def _describe(rule: Constraint, candidates: list[Question]) -> str:
    if rule.kind == "points":
        worth = sorted({candidates[i].points for i in rule.members})
        each = (f"each question is worth {_points(worth[0])}" if len(worth) == 1
                else f"questions are worth {worth[0]:g} to {_points(worth[-1])}")
        return f"{_amount(rule)} {rule.what} in all; {each}"
    if rule.kind == "minutes":
        spent = sorted(working_minutes(candidates[i]) for i in rule.members)
        return (f"{_amount(rule)} {rule.what}; the questions take {spent[0]:g} to "
                f"{spent[-1]:g} minutes each")
    if rule.kind == "group":
        return f"at most one of the {rule.what} (they give each other away)"
    if rule.kind == "facility":
        expected = [expected_facility(candidates[i]) for i in rule.members]
        return (f"{rule.what}; the questions expect {min(expected):.2f} to "
                f"{max(expected):.2f} (measured, or the middle of their tagged band)")
    if rule.kind == "require":
        q = candidates[int(rule.members[0])]
        return f"must include {rule.what} ({q.cell}, {q.topic}, {_points(q.points)})"
    one = rule.hi == 1 or (rule.lo == 1 and np.isinf(rule.hi))  # "at least 1 question"
    what = _singular(rule.what) if one else rule.what
    return f"{_amount(rule)} {what}; the bank has {len(rule.members)}"


def _amount(rule: Constraint) -> str:
    """'exactly 3', 'at least 3' or '3 to 5': the rule's bounds in words."""
    if rule.hi == rule.lo:
        return f"exactly {rule.lo:g}"
    if np.isinf(rule.hi):
        return f"at least {rule.lo:g}"
    if rule.lo == 0:
        return f"at most {rule.hi:g}"
    return f"{rule.lo:g} to {rule.hi:g}"


def _singular(what: str) -> str:
    """'questions from X' -> 'question from X', for a count of one."""
    return what.replace("questions", "question", 1)


def _adjective(rule: Constraint) -> str:
    """'hard questions' -> 'hard', "questions from 'GAN'" -> "from 'GAN'"."""
    return rule.what.replace(" questions", "").replace("questions ", "")


def _points(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


def explain(conflict: list[Constraint], candidates: list[Question]) -> str:
    """The conflict in the lecturer's words: the flags, their numbers, and the overlaps."""
    by_flag: dict[str, list[Constraint]] = {}
    for rule in conflict:
        by_flag.setdefault(rule.source, []).append(rule)
    flags = list(by_flag)
    head = flags[0] if len(flags) == 1 else ", ".join(flags[:-1]) + " and " + flags[-1]
    lines = [f"{head} cannot hold together:"]
    for flag, rules in by_flag.items():
        if len(rules) > 2:
            smallest = min(len(r.members) for r in rules)
            each = "question" if rules[0].lo == 1 else "questions"
            topics = len({q.topic for q in candidates})
            some = (f"{len(rules)} of them already need" if len(rules) < topics
                    else "together")
            lines.append(f"  - {flag}: at least {rules[0].lo:g} {each} from each of the "
                         f"{topics} topics; {some} {len(rules) * rules[0].lo:g} "
                         f"(the smallest of them has {smallest})")
        else:
            lines += [f"  - {r.label}: {_describe(r, candidates)}" for r in rules]
    counted = [r for r in conflict if r.kind == "count"]
    overlaps = [(a, b) for i, a in enumerate(counted) for b in counted[i + 1:]
                if a.axis != b.axis]
    for a, b in overlaps[:8]:
        both = len(np.intersect1d(a.members, b.members))
        lines.append(f"  - {both} question{'' if both == 1 else 's'} in the bank "
                     f"{'is' if both == 1 else 'are'} both {_adjective(a)} and {_adjective(b)}")
    return "\n".join(lines)
