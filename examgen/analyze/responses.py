"""Answers in, one score matrix out: ``responses.csv`` from ``examgen grade`` (or the
same columns from anywhere else), checked against the exam's manifest.

The file has one row per student and question with at least the columns ``student`` (or
``copy``), ``question`` (the bank id), ``points``, and for choice questions ``response``
(option letters in the bank's order, ``;`` between them). Rows whose ``status`` is
``review`` (no points yet) count as not answered.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import MixError
from ..values import ValueProblem, parse_decimal

REQUIRED = ("question", "points")


@dataclass(frozen=True)
class Responses:
    """Scores of ``students`` (rows) on ``items`` (columns, bank ids); NaN: no answer."""

    source: str
    students: tuple[str, ...]
    items: tuple[str, ...]
    scores: np.ndarray
    choices: dict[str, list[frozenset[str]]]  # item -> per student the letters chosen


def read_responses(path: Path, exam_ids: list[str]) -> Responses:
    """Read and check a responses file; every problem names its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MixError(f"{path}: cannot read the responses ({exc})") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise MixError(f"{path}:1: the file is empty; give the responses.csv that examgen "
                       "grade wrote")
    header = [h.strip() for h in rows[0]]
    who = "student" if "student" in header else "copy" if "copy" in header else ""
    missing = [c for c in REQUIRED if c not in header] + ([] if who else ["student"])
    if missing:
        raise MixError(f"{path}:1: missing column(s) {', '.join(missing)}; the file needs "
                       "student (or copy), question, points and, for choice questions, "
                       "response")
    col = {name: header.index(name) for name in header}
    known = set(exam_ids)
    students: dict[str, int] = {}
    cells: dict[tuple[int, str], tuple[float, frozenset[str]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        qid = cell("question")
        if qid not in known:
            raise MixError(f"{path}:{line}: question '{qid}' is not in this exam's manifest; "
                           "are the responses and the manifest from the same exam?")
        person = cell("student") or (f"copy {cell('copy')}" if cell("copy") else "")
        if not person:
            raise MixError(f"{path}:{line}: no student (or copy) on this line")
        key = (students.setdefault(person, len(students)), qid)
        if key in cells:
            raise MixError(f"{path}:{line}: '{person}' answers '{qid}' a second time")
        if cell("status") == "review" or not cell("points"):
            cells[key] = (math.nan, frozenset())
            continue
        try:
            points = parse_decimal(cell("points"))
        except ValueProblem as exc:
            raise MixError(f"{path}:{line}: points: {exc}") from None
        letters = frozenset(p.strip() for p in cell("response").split(";") if p.strip())
        cells[key] = (float(points), letters)
    if not students:
        raise MixError(f"{path}: no answers in the file")
    items = tuple(i for i in exam_ids if any(k[1] == i for k in cells))
    scores = np.full((len(students), len(items)), np.nan)
    choices: dict[str, list[frozenset[str]]] = {i: [frozenset()] * len(students)
                                                for i in items}
    index = {qid: j for j, qid in enumerate(items)}
    for (s, qid), (points, letters) in cells.items():
        scores[s, index[qid]] = points
        choices[qid][s] = letters
    return Responses(str(path), tuple(students), items, scores, choices)
