"""A class list: who sits the exam, by student number, with a name and what an LMS keys
grades by (an email or an ID number).

The exports lecturers have work as they are: Moodle's participants page ("First name",
"Last name", "ID number", "Email address"), HISinOne and other campus systems
("Matrikelnummer", "Nachname", "Vorname", "E-Mail"), commas, semicolons or tabs. The
columns are found by their names; ``--roster-number`` and ``--roster-name`` say which
when they are named otherwise. Every problem names the file and the line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from examgen.core.errors import InputError
from examgen.core.glyphs import characters

NUMBER_COLUMNS = ("number", "student number", "student", "matriculation number",
                  "matrikelnummer", "matrikel-nr.", "mtknr", "student id", "id number",
                  "idnumber")
NAME_COLUMNS = ("name", "full name", "student name", "vollständiger name")
FIRST_COLUMNS = ("first name", "firstname", "given name", "vorname")
LAST_COLUMNS = ("last name", "lastname", "surname", "family name", "nachname")
EMAIL_COLUMNS = ("email", "email address", "e-mail", "e-mail-adresse", "e-mail address",
                 "mail")
IDNUMBER_COLUMNS = ("id number", "idnumber", "moodle idnumber")
MAX_STUDENTS = 5000


@dataclass(frozen=True)
class Student:
    number: str
    name: str
    email: str = ""
    idnumber: str = ""
    line: int = 0


@dataclass(frozen=True)
class Roster:
    path: Path
    students: tuple[Student, ...]
    by_number: dict[str, Student] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_number:
            self.by_number.update((s.number, s) for s in self.students)


def read_roster(path: Path, number_column: str | None = None,
                name_column: str | None = None) -> Roster:
    """Read and check a class list; raises InputError with FILE:LINE."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the roster ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: the roster is not UTF-8 (byte "
                         f"0x{raw[exc.start]:02x}); save it as UTF-8 (CSV UTF-8 in Excel)"
                         ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(f"{path}:1: the roster is empty; it needs a header line naming "
                         "its columns (e.g. number,name,email)")
    header = [cell.strip().casefold() for cell in rows[0]]
    number = _column(path, header, number_column, NUMBER_COLUMNS, "--roster-number",
                     "the student number")
    names = ([_column(path, header, name_column, NAME_COLUMNS, "--roster-name", "the name")]
             if name_column or any(h in NAME_COLUMNS for h in header) else
             [_column(path, header, None, FIRST_COLUMNS, "--roster-name", "the first name"),
              _column(path, header, None, LAST_COLUMNS, "--roster-name", "the last name")])
    email = _optional(header, EMAIL_COLUMNS)
    idnumber = _optional(header, IDNUMBER_COLUMNS)  # may be the number itself (Moodle)
    students: list[Student] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{path}:{line}: {len(row)} cells where the header has "
                             f"{len(header)}; is a cell with a '{delimiter}' not quoted?")
        student_number = row[number].strip()
        if not student_number.isdigit() or not student_number.isascii():
            raise InputError(f"{path}:{line}: '{student_number}' is not a student number "
                             "(digits only, as students write it on the answer sheet)")
        if student_number in seen:
            raise InputError(f"{path}:{line}: student number {student_number} is listed "
                             f"twice (first at line {seen[student_number]})")
        seen[student_number] = line
        name = " ".join(" ".join(row[i].split()) for i in names if row[i].strip())
        if not name:
            raise InputError(f"{path}:{line}: student {student_number} has no name")
        students.append(Student(student_number, name,
                                row[email].strip() if email is not None else "",
                                row[idnumber].strip() if idnumber is not None else "", line))
        if len(students) > MAX_STUDENTS:
            raise InputError(f"{path}:{line}: more than {MAX_STUDENTS} students")
    if not students:
        raise InputError(f"{path}:2: the roster lists no student")
    return Roster(path, tuple(students))


def _column(path: Path, header: list[str], given: str | None, known: tuple[str, ...],
            flag: str, what: str) -> int:
    if given is not None:
        wanted = given.strip().casefold()
        if wanted not in header:
            raise InputError(f"{path}:1: no column '{given}' ({flag}); the columns are "
                             f"{', '.join(repr(h) for h in header)}")
        return header.index(wanted)
    for name in known:
        if name in header:
            return header.index(name)
    raise InputError(f"{path}:1: no column for {what}: name it {known[0]!r} or say which "
                     f"with {flag} (the columns are {', '.join(repr(h) for h in header)})")


def _optional(header: list[str], known: tuple[str, ...]) -> int | None:
    return next((header.index(n) for n in known if n in header), None)


def check_printable(roster: Roster) -> None:
    """Raise InputError at the first student whose name the print font cannot write: it
    would come out as empty boxes on the cover, the answer sheet and the seat list."""
    font = characters("text")
    for student in roster.students:
        missing = [c for c in dict.fromkeys(student.name) if ord(c) > 0x7E
                   and ord(c) not in font]
        if missing:
            raise InputError(
                f"{roster.path}:{student.line}: the name '{student.name}' has characters "
                f"the exam's font (DejaVu Sans) cannot print ({', '.join(missing)}); they "
                "would print as empty boxes: write the name in Latin letters in the roster")
