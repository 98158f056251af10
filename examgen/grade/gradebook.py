"""Results joined with the class list, and the grades in the files an LMS imports.

The join is checked both ways, and what does not fit goes to the review: a sheet whose
number is not on the roster, a student of the roster without a sheet (two sheets of one
student are already a review item of the grading). ``grades.csv`` has a row per student
of the roster; ``grades-moodle.csv`` is what Moodle's gradebook import (Grades → Import →
CSV file) reads, keyed by ID number or email, with only the students whose result is
complete and certain: the others are named in a note instead of being imported wrong.
"""

from __future__ import annotations

import re

from examgen.core.csv_cells import csv_text
from examgen.core.errors import InputError
from examgen.core.model import format_number
from examgen.core.roster import Roster, Student
from examgen.grade.grading import Grading, Review
from examgen.grade.scale import Scale
from examgen.grade.scans import PageRef
from examgen.grade.score import SheetResult

GRADES = "grades.csv"
MOODLE_GRADES = "grades-moodle.csv"
MOODLE_KEYS = {"idnumber": "ID number", "email": "Email address"}


def join_roster(grading: Grading, roster: Roster) -> None:
    """Add to the review what does not fit between the sheets and the roster."""
    for sheet in grading.sheets:
        if sheet.student is not None and sheet.student not in roster.by_number:
            grading.reviews.append(Review(
                sheet.copy.number, "student", "", f"student number {sheet.student} is not "
                f"on the roster {roster.path.name}", sheet.student, _first_page(grading,
                                                                                sheet)))
    graded = {s.student for s in grading.sheets if s.student is not None}
    for student in roster.students:
        if student.number not in graded:
            grading.reviews.append(Review(0, "student", "", f"no sheet of student "
                                          f"{student.number} ({student.name})", "", None))


def _first_page(grading: Grading, sheet: SheetResult) -> PageRef | None:
    read = grading.pages.get((sheet.copy.number, 1))
    return read.ref if read else None


def sheets_by_student(grading: Grading) -> dict[str, list[SheetResult]]:
    out: dict[str, list[SheetResult]] = {}
    for sheet in grading.sheets:
        if sheet.student is not None:
            out.setdefault(sheet.student, []).append(sheet)
    return out


def grades_csv(grading: Grading, roster: Roster, scale: Scale | None) -> str:
    """A row per student of the roster, then the sheets of numbers not on it."""
    rows = [["number", "name", "email", "idnumber", "copy", "points", "max", "grade",
             "status"]]
    sheets = sheets_by_student(grading)
    for student in roster.students:
        rows.append(_row(student, sheets.get(student.number, []), scale))
    for number, extra in sorted(sheets.items()):
        if number not in roster.by_number:
            rows.append(_row(Student(number, ""), extra, scale, "not on the roster"))
    return csv_text(rows)


def _row(student: Student, sheets: list[SheetResult], scale: Scale | None,
         status: str = "") -> list[str]:
    cells = [student.number, student.name, student.email, student.idnumber]
    if len(sheets) != 1:
        return [*cells, " ".join(str(s.copy.number) for s in sheets), "", "", "",
                status or ("no sheet" if not sheets else "two or more sheets")]
    sheet = sheets[0]
    maximum = sum(i.max_points for i in sheet.items)
    total = sheet.total
    grade = scale.grade(total, maximum) if scale and total is not None else ""
    state = status or ("ok" if total is not None and not sheet.open_items
                       and not sheet.problems else "review")
    return [*cells, str(sheet.copy.number),
            "" if total is None else format_number(round(total, 4)),
            format_number(maximum), grade, state]


def moodle_key(roster: Roster, asked: str | None) -> str:
    """The column Moodle finds its users by: as asked, else the ID number when every
    student has one, else the email."""
    if asked is not None:
        missing = [s for s in roster.students if not getattr(s, asked)]
        if missing:
            raise InputError(f"{roster.path}:{missing[0].line}: student "
                             f"{missing[0].number} has no {MOODLE_KEYS[asked].lower()}, "
                             f"which --moodle-key {asked} needs")
        return asked
    for key in MOODLE_KEYS:
        if all(getattr(s, key) for s in roster.students):
            return key
    raise InputError(f"{roster.path}:1: Moodle's grade import finds students by ID number "
                     "or email, and the roster has neither for every student; add a column "
                     "'ID number' or 'Email address'")


def moodle_grades_csv(grading: Grading, roster: Roster, key: str, item: str
                      ) -> tuple[str, list[str]]:
    """The CSV for Moodle's gradebook import, and who is left out and why."""
    rows = [[MOODLE_KEYS[key], item]]
    left_out = []
    sheets = sheets_by_student(grading)
    for student in roster.students:
        mine = sheets.get(student.number, [])
        sheet = mine[0] if len(mine) == 1 else None
        if sheet is None or sheet.total is None or sheet.open_items or sheet.problems:
            why = ("no sheet" if not mine else "two or more sheets" if len(mine) > 1
                   else "marks to review")
            left_out.append(f"{student.number} ({why})")
            continue
        rows.append([getattr(student, key), format_number(round(sheet.total, 4))])
    return csv_text(rows), left_out


def annotated_name(student: Student | None, fallback: str) -> str:
    """'12345678-Erika-Mustermann': the number first, then the name in letters and
    digits only (a safe file name everywhere)."""
    if student is None:
        return fallback
    name = re.sub(r"[^\w]+", "-", student.name, flags=re.UNICODE).strip("-")
    return f"{student.number}-{name}" if name else student.number
