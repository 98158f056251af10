"""Copies for a class and a room: a copy per student of the roster, and with a seating
plan a variant per seat such that no two neighbours share one.

Neighbours are the seats left and right in a row (seat numbers one apart), and with
``neighbours=4`` also in front and behind (the same seat number, rows one apart). Giving
seat (r, s) the variant (r + s) mod k is a proper colouring: two neighbours differ by one
in r + s, so their variants differ for any k >= 2; and it is exact, since this neighbour
graph is a part of a grid, which is bipartite: two variants are enough for any room, one
only for a room where nobody has a neighbour. Over a row the variants take turns, so
more variants are spread evenly.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from examgen.core.csv_cells import csv_text
from examgen.core.errors import InfeasibleError, InputError
from examgen.core.model import Exam
from examgen.core.roster import Roster, check_printable, read_roster
from examgen.core.sheet_geometry import Copy, assign_copies
from examgen.select.blueprint import BuildSettings
from examgen.select.variants import variant_names

_GRID = re.compile(r"([0-9]+)x([0-9]+)")
ROW_COLUMNS = ("row", "reihe")
SEAT_COLUMNS = ("seat", "platz", "sitz", "sitzplatz")
STUDENT_COLUMNS = ("student", "number", "matrikelnummer", "student number")
MAX_SEATS = 5000


@dataclass(frozen=True)
class Seat:
    row: int
    seat: int
    student: str = ""  # the student the plan puts here, if it says
    line: int = 0

    @property
    def label(self) -> str:
        return f"{self.row}-{self.seat}"


def read_seating(spec: str) -> list[Seat]:
    """A room: ``ROWSxSEATS`` (e.g. 10x12), or a CSV with the columns row, seat and
    optionally student; seats in the order rows are filled (front row first)."""
    grid = _GRID.fullmatch(spec.strip())
    if grid:
        row_count, seat_count = int(grid.group(1)), int(grid.group(2))
        if not 0 < row_count * seat_count <= MAX_SEATS:
            raise InputError(f"--seating {spec}: a room of 1 to {MAX_SEATS} seats")
        return [Seat(r, s) for r in range(1, row_count + 1)
                for s in range(1, seat_count + 1)]
    path = Path(spec)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the seating plan ({exc.strerror}); give a "
                         "CSV file or ROWSxSEATS such as 10x12") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}:1: the seating plan is not UTF-8; save it as UTF-8"
                         ) from None
    delimiter = max((",", ";", "\t"), key=text.split("\n", 1)[0].count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [cell.strip().casefold() for cell in rows[0]] if rows else []
    row_at = next((header.index(c) for c in ROW_COLUMNS if c in header), None)
    seat_at = next((header.index(c) for c in SEAT_COLUMNS if c in header), None)
    if row_at is None or seat_at is None:
        raise InputError(f"{path}:1: a seating plan has the columns row and seat (and "
                         "student, if it says who sits where)")
    student_at = next((header.index(c) for c in STUDENT_COLUMNS if c in header), None)
    seats: list[Seat] = []
    taken: dict[tuple[int, int], int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        try:
            row, seat = int(cells[row_at]), int(cells[seat_at])
        except (ValueError, IndexError):
            raise InputError(f"{path}:{line}: row and seat are whole numbers") from None
        if row < 1 or seat < 1:
            raise InputError(f"{path}:{line}: rows and seats count from 1")
        if (row, seat) in taken:
            raise InputError(f"{path}:{line}: row {row}, seat {seat} is listed twice "
                             f"(first at line {taken[(row, seat)]})")
        taken[(row, seat)] = line
        student = cells[student_at].strip() if student_at is not None and \
            student_at < len(cells) else ""
        seats.append(Seat(row, seat, student, line))
    if not seats or len(seats) > MAX_SEATS:
        raise InputError(f"{path}: a seating plan of 1 to {MAX_SEATS} seats")
    return sorted(seats, key=lambda s: (s.row, s.seat))


def neighbours(seats: list[Seat], four: bool) -> list[tuple[Seat, Seat]]:
    """Every pair of neighbouring seats."""
    at = {(s.row, s.seat): s for s in seats}
    pairs = [(s, at[(s.row, s.seat + 1)]) for s in seats if (s.row, s.seat + 1) in at]
    if four:
        pairs += [(s, at[(s.row + 1, s.seat)]) for s in seats if (s.row + 1, s.seat) in at]
    return pairs


def variants_needed(seats: list[Seat], four: bool) -> int:
    return 2 if neighbours(seats, four) else 1


def seat_copies(seats: list[Seat], variants: int, four: bool,
                roster: Roster | None) -> list[Copy]:
    """A copy per seat that gets one, numbered in seat order, with its variant and, with a
    roster, its student (as the plan says, else the roster's order)."""
    needed = variants_needed(seats, four)
    if variants < needed:
        raise InfeasibleError(f"the seating plan has neighbours, so no two of them may share "
                              f"a variant: it needs {needed} variants (--variants {needed})")
    names = variant_names(variants)
    students = _students(seats, roster)
    copies: list[Copy] = []
    for seat in seats:
        student = students.get(seat)
        if roster is not None and student is None:
            continue  # an empty seat: no copy
        copies.append(Copy(len(copies) + 1, "", names[(seat.row + seat.seat) % variants],
                           student or "", seat.label,
                           roster.by_number[student].name if roster and student else ""))
    return copies


def _students(seats: list[Seat], roster: Roster | None) -> dict[Seat, str]:
    if roster is None:
        return {}
    planned = {s: s.student for s in seats if s.student}
    first: dict[str, Seat] = {}
    for seat, number in planned.items():
        if number in first:
            raise InputError(f"the seating plan's line {seat.line}: student {number} already "
                             f"sits in row {first[number].row}, seat {first[number].seat}")
        first[number] = seat
        if number not in roster.by_number:
            raise InputError(f"the seating plan's line {seat.line}: student {number} is not "
                             f"on the roster {roster.path}")
    placed = set(planned.values())
    rest = [s.number for s in roster.students if s.number not in placed]
    free = [s for s in seats if s not in planned]
    if len(rest) > len(free):
        raise InputError(f"the room has {len(free)} free seat(s) for {len(rest)} students of "
                         f"the roster {roster.path}; give a larger room")
    return {**planned, **dict(zip(free, rest, strict=False))}


def roster_copies(roster: Roster, copies: list[Copy]) -> list[Copy]:
    """Without a seating plan: copy n for the roster's n-th student."""
    if len(copies) < len(roster.students):
        raise InputError(f"--copies {len(copies)} is fewer than the {len(roster.students)} "
                         f"students of {roster.path}; leave --copies out with a roster")
    named = [Copy(c.number, c.form, c.variant, s.number, "", s.name)
             for c, s in zip(copies, roster.students, strict=False)]
    return named + copies[len(named):]  # the rest: spare copies, without a name


SEATS_CSV, SEATS_PDF = "seats.csv", "seats.pdf"


def has_seat_list(copies: tuple[Copy, ...]) -> bool:
    return any(c.seat or c.student for c in copies)


def seats_csv(copies: tuple[Copy, ...]) -> str:
    rows: list[list[Any]] = [["copy", "seat", "variant", "student", "name"]]
    rows += [[c.number, c.seat, c.key, c.student, c.name] for c in copies]
    return csv_text(rows)


def class_and_room(chosen: BuildSettings) -> tuple[Roster | None, list[Seat] | None]:
    """The class list and the room, when the build is for them."""
    if (chosen.roster or chosen.seating) and not chosen.sheet:
        raise InputError("--roster and --seating print named, seated answer sheets: add "
                         "--sheet")
    if chosen.seating and (chosen.forms or 1) > 1:
        raise InputError("--seating assigns the variants of one exam; build the forms "
                         "without it")
    roster = _printed_roster(chosen.roster, chosen) if chosen.roster else None
    return roster, read_seating(chosen.seating) if chosen.seating else None


def _printed_roster(path: str, chosen: BuildSettings) -> Roster:
    """The class list at ``path``, refused if a name would print as empty boxes."""
    roster = read_roster(Path(path), chosen.roster_number, chosen.roster_name)
    check_printable(roster)
    return roster


def class_copies(exams: list[Exam], chosen: BuildSettings, roster: Roster | None,
                 seats: list[Seat] | None) -> list[Copy]:
    """The copies of a build for a class: one per seat, or per student of the roster."""
    if seats is not None:
        if chosen.copies:
            raise InputError("--seating makes a copy per seat (per student with --roster): "
                             "drop --copies")
        return seat_copies(seats, len(exams[0].variants), chosen.neighbours == 4, roster)
    assert roster is not None
    count = chosen.copies or len(roster.students)
    return roster_copies(roster, assign_copies(exams, count))


def earlier_copies(sheets: dict[str, Any], chosen: BuildSettings, notes: list[str]
                    ) -> list[Copy]:
    """The earlier build's copies as they were (number, form, variant, student, seat),
    with their students' names from the roster when one is given."""
    copies = [Copy.from_json(c) for c in sheets.get("copies", [])]
    students = [c for c in copies if c.student]
    if not chosen.roster:
        if students:
            notes.append(f"Note: {len(students)} copies were printed for students; exam.json "
                         "keeps their numbers, not their names: add --roster to print the "
                         "names again.")
        return copies
    roster = _printed_roster(chosen.roster, chosen)
    if not students:
        raise InputError(f"the earlier build has no copies printed for students, so "
                         f"{roster.path} names none; build anew with --roster")
    unknown = [c.student for c in students if c.student not in roster.by_number]
    if unknown:
        raise InputError(f"{roster.path} has no student {unknown[0]}, for whom copy "
                         f"{next(c.number for c in students if c.student == unknown[0])} "
                         f"was printed ({len(unknown)} such students); is it the class "
                         "list of that build?")
    return [replace(c, name=roster.by_number[c.student].name) if c.student else c
            for c in copies]
