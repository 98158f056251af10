"""Answers in, one score matrix out: ``responses.csv`` from ``examgen grade`` (or the
same columns from anywhere else), or a Moodle quiz's Grades report, checked against the
exam's manifest.

The file has one row per student and question with at least the columns ``student`` (or
``copy``), ``question`` (the bank id), ``points``, and for choice questions ``response``
(option letters in the bank's order, ``;`` between them). Rows whose ``status`` is
``review`` (no points yet) count as not answered.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from examgen.analyze.csv_columns import Column, read_columns
from examgen.core.csv_cells import MAX_CELL, read_rows
from examgen.core.errors import InputError
from examgen.core.model import LETTERS, ChoiceQuestion, Question, TrueFalse
from examgen.core.values import ValueProblem, parse_decimal

Fail = Callable[[np.ndarray, str], None]

REQUIRED = ("question", "points")
STATUSES = ("", "ok", "decided", "review")  # review: no points yet
# Moodle's Grades report: "Q. 3 /2.00" is question 3 of the quiz, worth 2 points.
_MOODLE_QUESTION = re.compile(r"Q\. ?(\d+) ?/(\d+(?:[.,]\d+)?)")
_WANTED = {"student", "copy", "form", "question", "points", "response", "status"}


@dataclass(frozen=True)
class Responses:
    """Scores of ``students`` (rows) on ``items`` (columns, bank ids).

    ``seen``: the student had the question (a row for it); ``scores`` is NaN where a seen
    question has no points yet. ``choices`` holds the options each student ticked as bits
    in the bank's order (true = bit 0, false = bit 1 for true/false), or is None when the
    file says nothing about choices. ``forms`` names each student's form ("" unknown).
    """

    source: str
    students: tuple[str, ...]
    items: tuple[str, ...]
    scores: np.ndarray
    seen: np.ndarray
    choices: np.ndarray | None
    forms: tuple[str, ...]


def option_labels(q: Question) -> tuple[str, ...]:
    """The tokens a response names this question's options by, in bank order."""
    if isinstance(q, ChoiceQuestion):
        return tuple(LETTERS[:len(q.options)])
    if isinstance(q, TrueFalse):
        return ("true", "false")
    return ()


def read_responses(path: Path, exam_ids: list[str],
                   questions: dict[str, Question]) -> Responses:
    """Read and check a responses file; every problem names its line, and nothing that
    cannot be right is let through: unknown questions or option letters, points outside
    0 to the question's points, a second answer to one question."""
    head = _first_line(path)
    if any(_MOODLE_QUESTION.fullmatch(h.strip()) for h in head):
        return _moodle_grades(path, exam_ids, questions)
    table = read_columns(path, _WANTED)
    header = [h.strip() for h in table.header]
    columns = table.columns
    missing = [c for c in REQUIRED if c not in columns] + (
        [] if "student" in columns or "copy" in columns else ["student"])
    if missing:
        raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}; the file needs "
                         "student (or copy), question, points and, for choice questions, "
                         f"response (it has: {', '.join(header)})")
    lines = table.lines
    if not len(lines):
        raise InputError(f"{path}: no answers in the file")

    def fail(rows: np.ndarray, message: str) -> None:
        if rows.any():
            raise InputError(f"{path}:{lines[int(np.argmax(rows))]}: {message}")

    answered = set(columns["question"].values)
    items = tuple(i for i in exam_ids if i in answered)
    index = {qid: j for j, qid in enumerate(items)}
    question = columns["question"]
    for code, qid in enumerate(question.values):
        if qid not in index:
            fail(question.codes == code, f"question '{qid}' is not in this exam's manifest; "
                 "are the responses and the manifest from the same exam?")
    column = np.array([index[q] for q in question.values], dtype=np.int64)[question.codes]
    row, names = _students(columns, fail)
    forms = _forms(columns, row, len(names), fail)
    pair = row * len(items) + column
    counts = np.bincount(pair, minlength=len(names) * len(items))
    if (counts > 1).any():
        order = np.argsort(pair, kind="stable")
        twice = np.zeros(len(pair), dtype=bool)
        twice[order[1:]] = pair[order[1:]] == pair[order[:-1]]
        fail(twice, "a second answer of the same student to the same question")

    maxima = np.array([questions[q].points for q in items])[column]
    points = _points(path, columns["points"], fail)[columns["points"].codes]
    fail(points < 0, "points below 0; give the points scored, from 0 to the question's")
    fail(points > maxima + 1e-9, "more points than the question is worth; give the points "
         "scored, from 0 to the question's (see max_points)")
    if "status" in columns:
        status = columns["status"]
        for code, value in enumerate(status.values):
            if value.strip() not in STATUSES:
                fail(status.codes == code, f"status '{value}': write ok, decided or review")
        review = np.array([v.strip() == "review" for v in status.values])[status.codes]
        points = np.where(review, np.nan, points)
    scores = np.full((len(names), len(items)), np.nan)
    scores[row, column] = points
    seen = np.zeros((len(names), len(items)), dtype=bool)
    seen[row, column] = True
    choices = None
    if "response" in columns:
        choices = np.zeros((len(names), len(items)), dtype=np.int64)
        choices[row, column] = _choices(columns["response"], column, items, questions, fail)
    return Responses(str(path), tuple(names), items, scores, seen, choices, forms)


def _first_line(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader([f.readline(MAX_CELL)]), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}:1: cannot read the responses ({exc})") from None


def _students(columns: dict[str, Column], fail: Fail) -> tuple[np.ndarray, list[str]]:
    """Per row the student's index, and the students' names: the student column, else
    "copy N"."""
    who = columns.get("student")
    copy = columns.get("copy")
    if who and all(v.strip() for v in who.values):  # every row names its student
        labels: dict[str, int] = {}
        index = [labels.setdefault(v.strip(), len(labels)) for v in who.values]
        return np.array(index, dtype=np.int64)[who.codes], list(labels)
    names_of = [v.strip() for v in who.values] if who else []
    copies = [v.strip() for v in copy.values] if copy else []
    n = len(who.codes) if who else len(copy.codes) if copy else 0
    s_codes = who.codes if who else np.zeros(n, dtype=np.int64)
    c_codes = copy.codes if copy else np.zeros(n, dtype=np.int64)
    pair = s_codes.astype(np.int64) * max(1, len(copies)) + c_codes
    distinct, first, row = np.unique(pair, return_index=True, return_inverse=True)
    labels = {}
    index = []
    for p, at in zip(distinct.tolist(), first.tolist(), strict=True):
        name = names_of[p // max(1, len(copies))] if names_of else ""
        if not name and copies and copies[p % len(copies)]:
            name = f"copy {copies[p % len(copies)]}"
        if not name:
            fail(np.arange(n) == at, "no student (or copy) on this line")
        index.append(labels.setdefault(name, len(labels)))
    return np.array(index, dtype=np.int64)[row.reshape(-1)], list(labels)


def _forms(columns: dict[str, Column], row: np.ndarray, students: int,
           fail: Fail) -> tuple[str, ...]:
    """Each student's form from the form column, or "" without one."""
    form = columns.get("form")
    if form is None:
        return ("",) * students
    per_student = np.full(students, -1, dtype=np.int64)
    per_student[row] = form.codes
    fail(per_student[row] != form.codes, "this student's answers name two forms")
    return tuple(form.values[c].strip() for c in per_student.tolist())


def _points(path: Path, points: Column, fail: Fail) -> np.ndarray:
    values = np.empty(len(points.values))
    for code, text in enumerate(points.values):
        if not text.strip():
            values[code] = np.nan  # not scored yet
            continue
        try:
            values[code] = parse_decimal(text[:40]) if len(text) <= 40 else math.inf
        except ValueProblem as exc:
            fail(points.codes == code, f"points: {exc}")
        if not math.isfinite(values[code]):
            fail(points.codes == code, f"points: '{text[:40]}' is no number of points")
    return values


def _choices(response: Column, column: np.ndarray, items: tuple[str, ...],
             questions: dict[str, Question], fail: Fail) -> np.ndarray:
    """Per row the options named as bits; a token a question does not have is refused.
    Each distinct response is read once; the rows are checked all at once."""
    known = [option_labels(questions[q]) for q in items]
    # per distinct response: its bits as letters (a = bit 0) and as true/false
    as_letters = np.zeros(len(response.values), dtype=np.int64)
    as_truth = np.zeros(len(response.values), dtype=np.int64)
    letter_ok = np.ones(len(response.values), dtype=bool)
    truth_ok = np.ones(len(response.values), dtype=bool)
    for code, value in enumerate(response.values):
        for token in {t.strip() for t in value.split(";") if t.strip()}:
            if len(token) == 1 and token in LETTERS:
                as_letters[code] |= 1 << LETTERS.index(token)
            else:
                letter_ok[code] = False
            if token in ("true", "false"):
                as_truth[code] |= 1 << ("true", "false").index(token)
            else:
                truth_ok[code] = False
    kind = np.array([0 if not labels else 2 if labels == ("true", "false") else 1
                     for labels in known])[column]
    width = np.array([len(labels) for labels in known])[column]
    codes = response.codes
    bits = np.where(kind == 2, as_truth[codes], np.where(kind == 1, as_letters[codes], 0))
    bad = ((kind == 1) & (~letter_ok[codes] | (bits >> width != 0))) | \
        ((kind == 2) & ~truth_ok[codes])
    if bad.any():
        at = int(np.argmax(bad))
        value, j = response.values[codes[at]], int(column[at])
        upper = all(t.strip().lower() in known[j] for t in value.split(";") if t.strip())
        fail(np.arange(len(bad)) == at,
             f"response '{value[:40]}' for '{items[j]}': "
             + ("write option letters in lower case, as examgen grade does" if upper
                else f"it has only {', '.join(known[j])}") + " (';' between several)")
    return bits


def _moodle_grades(path: Path, exam_ids: list[str],
                   questions: dict[str, Question]) -> Responses:
    """A Moodle quiz's Grades report (Results > Grades > Download, CSV). Question n of the
    quiz is the n-th question of the manifest, the order ``examgen export moodle
    --manifest`` writes them in; each column's maximum must be that question's points.
    The report has no choices: no option statistics come from it."""
    try:
        rows = read_rows(path, path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the report ({exc})") from None
    header = [h.strip() for h in rows[0]]
    worth = {qid: q.points for qid, q in questions.items()}
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
                mark = float(parse_decimal(text[:40]))
            except ValueProblem:
                mark = math.nan  # "Requires grading", "-": not scored
            if not 0 <= mark <= columns[n][1] + 1e-9 and not math.isnan(mark):
                raise InputError(f"{path}:{line}: 'Q. {n}' is {text[:40]}, outside 0 to "
                                 f"{columns[n][1]:g}")
            marks.append(mark)
        scores.append(marks)
    if not students:
        raise InputError(f"{path}: no finished attempts in the report")
    table = np.array(scores, dtype=float)
    return Responses(str(path), tuple(students), tuple(exam_ids), table,
                     np.ones(table.shape, dtype=bool), None, ("",) * len(students))
