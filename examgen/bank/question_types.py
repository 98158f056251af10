"""Each question type built from its checked fields: what only that type may hold,
and the checks that only it needs (a single answer, gap marks, gap points)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from examgen.bank.fields import Fields, is_text, line_of
from examgen.core.model import (
    GAP_MARK,
    ChoiceGap,
    Cloze,
    Gap,
    Matching,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Option,
    Pair,
    Question,
    ShortAnswer,
    SingleChoice,
    TextGap,
    TrueFalse,
)
from examgen.core.values import ValueProblem, as_whole
from examgen.core.yamlio import Node

GAP_FIELDS = {"answers", "options", "points"}
PAIR_FIELDS = {"left", "right"}
MAX_MATCH = 12  # left items, and right items: one row of boxes on the answer sheet


def _single(f: Fields, common: dict[str, Any]) -> Question:
    options = _choice_options(f, single=True)
    return SingleChoice(options=options, **common)


def _multiple(f: Fields, common: dict[str, Any]) -> Question:
    options = _choice_options(f, single=False)
    return MultipleChoice(options=options, **common)


def _choice_options(f: Fields, single: bool) -> tuple[Option, ...]:
    options = f.options(f.node.get("options"), "options", "'options'")
    correct = sum(o.correct for o in options)
    if options and len(options) < 2:
        f.report("options", "a choice question needs at least 2 options")
    if single and options and correct != 1:
        f.report("options", f"a 'single' question needs exactly one correct option, it has "
                            f"{correct}; mark one with 'correct: true' (or use type 'multiple')")
    if not single and options and correct == 0:
        f.report("options", "a 'multiple' question needs at least one option with "
                            "'correct: true'")
    return options


def _truefalse(f: Fields, common: dict[str, Any]) -> Question:
    if "answer" not in f.node:
        f.report(None, "a 'truefalse' question needs 'answer: true' or 'answer: false'")
    return TrueFalse(answer=f.boolean("answer"), **common)


def _short(f: Fields, common: dict[str, Any]) -> Question:
    answers = f.text_list(f.node.get("answers"))
    if answers is None:
        f.report("answers", "a 'short' question needs 'answers:' with one or more accepted "
                            "texts")
    return ShortAnswer(answers=answers or (), case_sensitive=f.boolean("case_sensitive"),
                       **common)


def _numeric(f: Fields, common: dict[str, Any]) -> Question:
    if "value" not in f.node:
        f.report(None, "a 'numeric' question needs 'value:' with a number, e.g. value: 0.15")
    value = f.number("value", 0, minimum=-float("inf"))
    return Numeric(value=value, tolerance=f.number("tolerance", 0), unit=f.text("unit"),
                   **common)


def _open(f: Fields, common: dict[str, Any]) -> Question:
    lines = 6
    if "answer_lines" in f.node:
        try:
            lines = as_whole(f.node["answer_lines"])
        except ValueProblem:
            lines = 0
        if not 1 <= lines <= 40:
            f.report("answer_lines", "'answer_lines' must be a whole number from 1 to 40")
    return OpenQuestion(model_answer=f.text("model_answer"), answer_lines=lines, **common)


def _cloze(f: Fields, common: dict[str, Any]) -> Question:
    items = f.node.get("gaps")
    if not isinstance(items, list) or not items:
        f.report("gaps" if "gaps" in f.node else None,
                 "a 'cloze' question needs 'gaps:', one entry per {{n}} mark in its text")
        return Cloze(gaps=(), **common)
    gaps: list[Gap] = []
    for n, item in enumerate(items, 1):
        where = f"gap {n}"
        line = line_of(item, f.node.key_lines["gaps"])
        if not isinstance(item, Node):
            f.report(None, f"{where} is a mapping with 'answers:' or 'options:'", line)
            continue
        f.known(item, GAP_FIELDS, where)
        points = f.number("points", 0, strictly_above=True, node=item, where=where) or None
        if "options" in item:
            options = f.options(item["options"], "gaps", where)
            if options and (len(options) < 2 or sum(o.correct for o in options) != 1):
                f.report(None, f"{where}: a choice gap needs 2 or more options, exactly one "
                               "with 'correct: true'", line)
            gaps.append(ChoiceGap(options, points))
        else:
            answers = f.text_list(item.get("answers"))
            if answers is None:
                f.report(None, f"{where} needs 'answers:' (accepted texts) or 'options:'", line)
            gaps.append(TextGap(answers or (), points))
    _check_gap_marks(f, str(f.node.get("text", "")), len(items))
    _check_gap_points(f, gaps, common)
    cloze = Cloze(gaps=tuple(gaps), **common)
    if gaps and not cloze.gaps_in_whole_points():
        shares = ", ".join(f"{p:g}" for p in cloze.gap_points())
        f.ctx.warn(f.node.line, f"{f.label}: its gaps are worth {shares} points; Moodle "
                   "weighs cloze gaps in "
                   "whole points only, so 'export moodle' will refuse it: give whole 'points:' "
                   "per gap, or question points that the gaps share evenly")
    return cloze


def _check_gap_points(f: Fields, gaps: list[Gap], common: dict[str, Any]) -> None:
    """Points per gap: all gaps or none; the question is then worth their sum."""
    given = [g.points for g in gaps if g.points is not None]
    if not given:
        return
    if len(given) != len(gaps):
        f.report("gaps", "give 'points:' to every gap or to none (the question's points are "
                         "then shared evenly)")
        return
    total = sum(given)
    if "points" in f.node and common["points"] != total:
        f.report("points", f"the gaps' points add up to {total:g}, the question says "
                           f"{common['points']:g}; drop the question's 'points:' or make them "
                           "agree")
    common["points"] = total


def _check_gap_marks(f: Fields, text: str, count: int) -> None:
    marks = GAP_MARK.findall(text)
    padded = [m for m in marks if m != str(int(m))]
    if padded:
        f.report("text", f"write the gap mark {{{{{padded[0]}}}}} as {{{{{int(padded[0])}}}}}")
        return
    numbers = [int(m) for m in marks]
    if sorted(numbers) != list(range(1, count + 1)):
        f.report("text", f"the text must mark each of the {count} gaps once as "
                         f"{{{{1}}}}, {{{{2}}}}, ...; it has {numbers or 'none'}")


def _matching(f: Fields, common: dict[str, Any]) -> Question:
    items = f.node.get("pairs")
    if not isinstance(items, list) or len(items) < 2:
        f.report("pairs" if "pairs" in f.node else None,
                 "a 'matching' question needs 'pairs:', two or more entries of 'left:' and "
                 "'right:'")
        items = []
    pairs: list[Pair] = []
    for n, item in enumerate(items, 1):
        where, line = f"pair {n}", line_of(item, f.node.key_lines["pairs"])
        if not isinstance(item, Node) or not all(is_text(item.get(k)) for k in PAIR_FIELDS):
            f.report(None, f"{where} is a mapping with a non-empty 'left:' and 'right:'", line)
            continue
        f.known(item, PAIR_FIELDS, where)
        pairs.append(Pair(*(f.bounded(str(item[k]).strip(), f"{where}: '{k}'",
                                      item.key_lines[k]) for k in ("left", "right"))))
    lefts = [_norm(p.left) for p in pairs]
    for n, left in enumerate(lefts):
        if left in lefts[:n]:
            f.report("pairs", f"pair {n + 1}: the left item '{pairs[n].left}' is there twice")
    distractors: tuple[str, ...] = ()
    if "distractors" in f.node:
        distractors = f.text_list(f.node["distractors"]) or ()
        if not distractors:
            f.report("distractors", "'distractors' is a list of right-hand items that match "
                                    "no left item")
    rights = {_norm(p.right) for p in pairs}
    for n, extra in enumerate(distractors):
        if _norm(extra) in rights:
            f.report("distractors", f"the distractor '{extra}' is already a right-hand item")
        elif _norm(extra) in map(_norm, distractors[:n]):
            f.report("distractors", f"the distractor '{extra}' is there twice")
    question = Matching(pairs=tuple(pairs), distractors=distractors, **common)
    if len(pairs) == 2 and not distractors:
        f.report("pairs", "two pairs and nothing else give the second away: add a pair or "
                          "'distractors:' (Moodle asks for 3 right-hand items too)")
    if len(pairs) > MAX_MATCH or len(question.choices) > MAX_MATCH:
        f.report("pairs", f"a matching question has at most {MAX_MATCH} left and {MAX_MATCH} "
                          "right items (one row of boxes on the answer sheet): split it")
    return question


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


TYPE_PARSERS: dict[str, Callable[[Fields, dict[str, Any]], Question]] = {
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "open": _open,
    "cloze": _cloze,
    "matching": _matching,
}
