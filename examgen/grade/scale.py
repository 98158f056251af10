"""A grading scale file: from points (or percent of the maximum) to grades.

One threshold and its grade per line (or ``50%;4,0`` as a spreadsheet writes it), in
any order; ``#`` starts a comment. A total gets the grade of the highest threshold it reaches::

    # German scale, percent of the points
    0%    5.0
    50%   4.0
    55%   3.7
    ...
    95%   1.0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from examgen.core.errors import InputError
from examgen.core.values import ValueProblem, parse_decimal


@dataclass(frozen=True)
class Scale:
    steps: tuple[tuple[float, bool, str], ...]  # threshold, in percent?, grade

    def grade(self, points: float, maximum: float) -> str:
        best = ""
        best_at = -1.0
        for threshold, percent, grade in self.steps:
            limit = threshold * maximum / 100 if percent else threshold
            if points + 1e-9 >= limit and limit >= best_at:
                best, best_at = grade, limit
        return best


def read_scale(path: Path) -> Scale:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the grading scale ({exc})") from None
    steps = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        parts = content.split()
        if len(parts) == 1 and ";" in content:  # a spreadsheet's CSV: 50%;4,0
            parts = [p.strip() for p in content.split(";", 1)]
        if len(parts) != 2:
            raise InputError(f"{path}:{number}: write a threshold and a grade, e.g. '50% 4.0' "
                             "or '25 4.0'")
        threshold, grade = parts
        percent = threshold.endswith("%")
        try:
            value = parse_decimal(threshold.rstrip("%").strip())
        except ValueProblem as exc:
            raise InputError(f"{path}:{number}: the threshold {threshold!r}: {exc}") from None
        if value < 0 or (percent and value > 100):
            raise InputError(f"{path}:{number}: the threshold {threshold!r} is out of range")
        steps.append((value, percent, grade))
    if not steps:
        raise InputError(f"{path}:1: the grading scale is empty; write lines like '50% 4.0'")
    return Scale(tuple(steps))
