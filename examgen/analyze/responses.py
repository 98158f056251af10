"""Answers in, one score matrix out: ``responses.csv`` from ``examgen grade`` (or the
same columns from anywhere else), or a Moodle quiz's Grades report, checked against the
exam's manifest.

The file has one row per student and question with at least the columns ``student`` (or
``copy``), ``question`` (the bank id), ``points``, and for choice questions ``response``
(option letters in the bank's order, ``;`` between them). Rows whose ``status`` is
``review`` (no points yet) count as not answered.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from examgen.core.csv_cells import read_rows
from examgen.core.errors import InputError
from examgen.core.values import ValueProblem, parse_decimal

REQUIRED = ("question", "points")
# Moodle's Grades report: "Q. 3 /2.00" is question 3 of the quiz, worth 2 points.
_MOODLE_QUESTION = re.compile(r"Q\. ?(\d+) ?/(\d+(?:[.,]\d+)?)")


@dataclass(frozen=True)
class Responses:
    """Scores of ``students`` (rows) on ``items`` (columns, bank ids); NaN: no answer."""

    source: str
    students: tuple[str, ...]
    items: tuple[str, ...]
    scores: np.ndarray
    choices: dict[str, list[frozenset[str]]]  # item -> per student the letters chosen


def read_responses(path: Path, exam_ids: list[str],
                   worth: dict[str, float] | None = None) -> Responses:
    """Read and check a responses file; every problem names its line. ``worth`` (the
    questions' points) lets a Moodle Grades report be checked against the exam."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the responses ({exc})") from None
    rows = read_rows(path, text)
    if not rows:
        raise InputError(f"{path}:1: the file is empty; give the responses.csv that examgen "
                         "grade wrote")
    header = [h.strip() for h in rows[0]]
    if any(_MOODLE_QUESTION.fullmatch(h) for h in header):
        return _moodle_grades(path, rows, header, exam_ids, worth or {})
    who = "student" if "student" in header else "copy" if "copy" in header else ""
    missing = [c for c in REQUIRED if c not in header] + ([] if who else ["student"])
    if missing:
        raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}; the file needs "
                         "student (or copy), question, points and, for choice questions, "
                         "response")
    width = len(header)
    q_at, p_at = header.index("question"), header.index("points")
    r_at = header.index("response") if "response" in header else None
    s_at = header.index("student") if "student" in header else None
    c_at = header.index("copy") if "copy" in header else None
    st_at = header.index("status") if "status" in header else None
    known = set(exam_ids)
    students: dict[str, int] = {}
    cells: dict[tuple[int, str], tuple[float, frozenset[str]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not "".join(row).strip():
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        qid = row[q_at].strip()
        if qid not in known:
            raise InputError(f"{path}:{line}: question '{qid}' is not in this exam's manifest; "
                             "are the responses and the manifest from the same exam?")
        person = row[s_at].strip() if s_at is not None else ""
        if not person and c_at is not None and row[c_at].strip():
            person = f"copy {row[c_at].strip()}"
        if not person:
            raise InputError(f"{path}:{line}: no student (or copy) on this line")
        key = (students.setdefault(person, len(students)), qid)
        if key in cells:
            raise InputError(f"{path}:{line}: '{person}' answers '{qid}' a second time")
        points_text = row[p_at].strip()
        if (st_at is not None and row[st_at].strip() == "review") or not points_text:
            cells[key] = (math.nan, frozenset())
            continue
        try:
            points = parse_decimal(points_text)
        except ValueProblem as exc:
            raise InputError(f"{path}:{line}: points: {exc}") from None
        response = row[r_at] if r_at is not None else ""
        letters = frozenset(p.strip() for p in response.split(";") if p.strip())
        cells[key] = (float(points), letters)
    if not students:
        raise InputError(f"{path}: no answers in the file")
    answered = {qid for _, qid in cells}
    items = tuple(i for i in exam_ids if i in answered)
    scores = np.full((len(students), len(items)), np.nan)
    choices: dict[str, list[frozenset[str]]] = {i: [frozenset()] * len(students)
                                                for i in items}
    index = {qid: j for j, qid in enumerate(items)}
    for (s, qid), (points, letters) in cells.items():
        scores[s, index[qid]] = points
        choices[qid][s] = letters
    return Responses(str(path), tuple(students), items, scores, choices)


def _moodle_grades(path: Path, rows: list[list[str]], header: list[str], exam_ids: list[str],
                   worth: dict[str, float]) -> Responses:
    """A Moodle quiz's Grades report (Results > Grades > Download, CSV). Question n of the
    quiz is the n-th question of the manifest, the order ``examgen export moodle
    --manifest`` writes them in; each column's maximum must be that question's points."""
    columns = {int(m.group(1)): (i, float(m.group(2).replace(",", ".")))
               for i, h in enumerate(header) if (m := _MOODLE_QUESTION.fullmatch(h))}
    if sorted(columns) != list(range(1, len(exam_ids) + 1)):
        raise InputError(f"{path}:1: the report has {len(columns)} question columns (Q. 1 ... "
                         f"Q. {max(columns)}), the exam {len(exam_ids)}; was the quiz made from "
                         "this manifest's export, with every question in its order?")
    for n, (_, maximum) in columns.items():
        qid = exam_ids[n - 1]
        if worth and abs(worth[qid] - maximum) > 1e-6:
            raise InputError(f"{path}:1: 'Q. {n}' is worth {maximum:g} in Moodle, but question "
                             f"{n} of the exam ('{qid}') is worth {worth[qid]:g}: add the "
                             "questions to the quiz in the order of the export, with their "
                             "points")
    who = next((header.index(h) for h in ("ID number", "Email address", "Username")
                if h in header), None)
    state = header.index("State") if "State" in header else None
    students: list[str] = []
    scores: list[list[float]] = []
    for line, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        if state is not None and row[state].strip() not in ("Finished", "Beendet"):
            continue  # attempts in progress, and the report's "Overall average" line
        name = row[who].strip() if who is not None else ""
        students.append(name or f"{row[0].strip()} {row[1].strip()} (line {line})")
        marks = []
        for n in range(1, len(exam_ids) + 1):
            text = row[columns[n][0]].strip().replace(",", ".")
            try:
                marks.append(parse_decimal(text))
            except ValueProblem:
                marks.append(math.nan)  # "Requires grading", "-": not scored
        scores.append(marks)
    if not students:
        raise InputError(f"{path}: no finished attempts in the report")
    return Responses(str(path), tuple(students), tuple(exam_ids), np.array(scores, dtype=float),
                     {qid: [frozenset()] * len(students) for qid in exam_ids})
