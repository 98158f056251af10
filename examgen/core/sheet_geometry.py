"""The answer sheet's geometry: where every marker, QR code and box sits, computed once.

The PDF drawer places exactly these boxes, the manifest stores them, and the grader
measures a scan at these coordinates after mapping it onto the page through the markers;
nothing is ever guessed from the image, so drawing and reading cannot disagree.

Coordinates are PDF points from the page's bottom-left corner, as reportlab draws.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from examgen.core.model import (
    LETTERS,
    PAPERS,
    ChoiceQuestion,
    Cloze,
    Exam,
    Matching,
    Numeric,
    OpenQuestion,
    Question,
    ShortAnswer,
    TrueFalse,
    Variant,
    assert_never,
    format_number,
    shuffled_count,
)

MM = 72 / 25.4
FORMAT = 1  # of the "sheets" block of the manifest

# ArUco markers of OpenCV's DICT_4X4_50, ids 0-3, as 6 x 6 cells (1 = black) row by row
# from the top, border included; one per corner: the id says which corner (so a sheet
# scanned upside down is read the right way up). tests/test_sheet.py checks them
# against OpenCV's dictionary.
MARKER_CELLS = (
    "111111101001110101111001111011111111",
    "111111111111100001101101101011111111",
    "111111111001111001111011100101111111",
    "111111101101101101110111110011111111",
)
CORNERS = ("top-left", "top-right", "bottom-right", "bottom-left")  # marker id order
MARKER = 12 * MM  # side of a marker
MARKER_INSET = 8 * MM  # paper edge to the marker's outer edge
QR_SIZE = 24 * MM
BOX = 5.2 * MM  # side of a tick box
PITCH = 7 * MM  # box to box within a row
TF_PITCH = 12 * MM  # true/false boxes carry words
ROW = 9 * MM  # row to row: a box and the labels above the next one
LABEL = 12 * MM  # room for the question number before the boxes
DIGIT_PITCH = 6.6 * MM  # the student-number grid is denser
TOP_BAND = 44 * MM  # from the marker line down: title, copy, QR
SCORE_BOXES = 11  # the most score boxes one row may hold


@dataclass(frozen=True)
class Box:
    """One box to tick. ``item`` is a question id or ``student:N`` (digit position N);
    ``value`` is what ticking it means: a bank option index, ``true``/``false``, a score,
    or a digit; ``label`` is what is printed beside it."""

    item: str
    value: str
    label: str
    x: float
    y: float

    @property
    def name(self) -> str:
        """How a person names the box in a review: its label, or '2b' (left item 2, right
        item b) in a matching question's rows, whose labels repeat row by row."""
        left, sep, _ = self.value.partition(":")
        return f"{int(left) + 1}{self.label}" if sep else self.label


@dataclass(frozen=True)
class Row:
    """A question's row: its printed number and where the number is written."""

    item: str
    number: int
    kind: str  # choice | truefalse | score | match
    x: float
    y: float
    sub: int = 0  # a matching question's left item (1, 2, ...): its own row; 0 for others

    @property
    def label(self) -> str:
        """The row's printed number: '3', or '3.2' for left item 2 of question 3."""
        return f"{self.number}.{self.sub}" if self.sub else str(self.number)


@dataclass(frozen=True)
class SheetPage:
    number: int
    width: float
    height: float
    markers: tuple[tuple[float, float], ...]  # bottom-left corner of markers 0-3
    qr: tuple[float, float]  # bottom-left corner of the QR code
    boxes: tuple[Box, ...]
    rows: tuple[Row, ...]
    name_field: tuple[float, float, float, float] | None  # x, y, width, height (page 1)
    digits: int  # student-number positions on this page (0 after page 1)

    def marker_corners(self, marker: int) -> list[tuple[float, float]]:
        """The marker's four corners as OpenCV reports them: TL, TR, BR, BL (y up)."""
        x, y = self.markers[marker]
        return [(x, y + MARKER), (x + MARKER, y + MARKER), (x + MARKER, y), (x, y)]


@dataclass(frozen=True)
class SheetLayout:
    """Every page of the answer sheet of one variant (all its copies look alike)."""

    key: str  # "A", or "2-A" for variant A of form 2
    pages: tuple[SheetPage, ...]


def score_steps(points: float) -> list[float]:
    """The scores a grader may tick for an open question: 0, 0.5, 1, ... up to its points."""
    for step in (0.5, 1, 2, 5, 10):
        count = int(points / step) + 1
        if count <= SCORE_BOXES and float(points / step).is_integer():
            return [k * step for k in range(count)]
    # points that no step divides within the row: whole steps and the points themselves
    step = max(1.0, float(int(points / (SCORE_BOXES - 2)) + 1))
    steps = [k * step for k in range(int(points / step) + 1)]
    return steps + ([points] if steps[-1] < points else [])


Entries = list[tuple[str, str]]  # (value, label) of each box of a row


def _rows(q: Question, variant: Variant, labels: dict[str, str]) -> list[tuple[str, int,
                                                                                 Entries]]:
    """(kind, sub, [(value, label), ...]) for each of one question's rows."""
    perm = variant.options.get(q.id, tuple(range(shuffled_count(q))))
    match q:
        case ChoiceQuestion():
            return [("choice", 0, [(str(bank_index), LETTERS[pos])
                                   for pos, bank_index in enumerate(perm)])]
        case TrueFalse():
            return [("truefalse", 0, [("true", labels.get("true", "True")),
                                      ("false", labels.get("false", "False"))])]
        case ShortAnswer() | Numeric() | OpenQuestion() | Cloze():
            return [("score", 0, [(format_number(s), format_number(s))
                                  for s in score_steps(q.points)])]
        case Matching():  # a row per left item; a box's value: "left:right" in bank order
            return [("match", left + 1, [(f"{left}:{right}", LETTERS[pos])
                                         for pos, right in enumerate(perm)])
                    for left in range(len(q.pairs))]
        case _:
            assert_never(q)


def _pitch(kind: str) -> float:
    return TF_PITCH if kind == "truefalse" else PITCH


def layout_sheet(exam: Exam, variant: Variant, digits: int, paper: str,
                 labels: dict[str, str]) -> SheetLayout:
    """Place the sheet of one variant: header, name, student number, one row a question."""
    width, height = PAPERS[paper]
    inner_left, inner_right = MARKER_INSET, width - MARKER_INSET
    markers = ((inner_left, height - MARKER_INSET - MARKER),
               (inner_right - MARKER, height - MARKER_INSET - MARKER),
               (inner_right - MARKER, MARKER_INSET), (inner_left, MARKER_INSET))
    qr = (inner_right - MARKER - 4 * MM - QR_SIZE, height - MARKER_INSET - QR_SIZE)
    left, right = 20 * MM, width - 20 * MM
    bottom = MARKER_INSET + MARKER + 4 * MM
    by_id = {q.id: q for q in exam.questions}
    rows = [(number, qid, kind, sub, entries)
            for number, qid in enumerate(variant.order, start=1)
            for kind, sub, entries in _rows(variant.question(by_id[qid]), variant, labels)]
    widest = max(LABEL + len(entries) * _pitch(kind) for _, _, kind, _, entries in rows)
    columns = 2 if widest <= (right - left) / 2 - 4 * MM else 1
    column_width = (right - left) / columns

    pages: list[SheetPage] = []
    pending = list(rows)
    number = 1
    while pending or not pages:
        top = height - MARKER_INSET - TOP_BAND
        boxes: list[Box] = []
        name_field = None
        page_digits = 0
        if number == 1:
            name_field = (left, top - 10 * MM, right - left - 2 * MM, 10 * MM)
            grid_top = top - 18 * MM
            for pos in range(digits):
                for digit in range(10):
                    boxes.append(Box(f"student:{pos}", str(digit), str(digit),
                                     left + LABEL + pos * DIGIT_PITCH,
                                     grid_top - (digit + 1) * DIGIT_PITCH))
            page_digits = digits
            top = grid_top - 11 * DIGIT_PITCH - 4 * MM
        placed: list[Row] = []
        room = int((top - bottom) // ROW)
        if room < 1:
            raise ValueError("no room for answer rows on the sheet")
        # the rows this page takes, shared evenly by its columns (20 rows: 10 and 10,
        # not 17 and 3)
        per_column = min(room, -(-min(len(pending), room * columns) // columns))
        for column in range(columns):
            x0 = left + column * column_width
            for slot in range(per_column):
                if not pending:
                    break
                qnumber, qid, kind, sub, entries = pending.pop(0)
                y = top - (slot + 1) * ROW
                placed.append(Row(qid, qnumber, kind, x0, y, sub))
                for k, (value, label) in enumerate(entries):
                    boxes.append(Box(qid, value, label, x0 + LABEL + k * _pitch(kind), y))
        pages.append(SheetPage(number, width, height, markers, qr, tuple(boxes), tuple(placed),
                               name_field, page_digits))
        number += 1
    key = f"{exam.name}-{variant.name}" if exam.name else variant.name
    return SheetLayout(key, tuple(pages))


def exam_id(manifest_core: dict[str, Any]) -> str:
    """A short digest of what the sheets encode (selection, orders, copies, scoring): the
    QR code carries it, so a page of another exam is recognised and refused."""
    text = json.dumps(manifest_core, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def qr_payload(exam: str, copy: int, key: str, page: int) -> str:
    return f"EXAMGEN1/{exam}/{copy}/{key}/{page}"


_DIGITS = re.compile(r"[0-9]{1,9}")


def parse_qr(text: str) -> tuple[str, int, str, int] | None:
    """(exam id, copy, variant key, page) or None for a code examgen did not write."""
    parts = text.split("/")
    if len(parts) != 5 or parts[0] != "EXAMGEN1" or not (
            _DIGITS.fullmatch(parts[2]) and _DIGITS.fullmatch(parts[4])):
        return None  # ASCII digits only: "²".isdigit() is true, and int("²") fails
    return parts[1], int(parts[2]), parts[3], int(parts[4])


def to_json(layout: SheetLayout) -> dict[str, Any]:
    return {"key": layout.key, "box": BOX, "marker": MARKER, "qr_size": QR_SIZE, "pages": [{
        "page": p.number, "size": [p.width, p.height], "digits": p.digits,
        "markers": [list(m) for m in p.markers], "qr": list(p.qr),
        "name_field": list(p.name_field) if p.name_field else None,
        "rows": [[r.item, r.number, r.kind, r.x, r.y] + ([r.sub] if r.sub else [])
                 for r in p.rows],
        "boxes": [[b.item, b.value, b.label, round(b.x, 3), round(b.y, 3)] for b in p.boxes],
    } for p in layout.pages]}


def from_json(data: dict[str, Any]) -> SheetLayout:
    pages = []
    for p in data["pages"]:
        pages.append(SheetPage(
            int(p["page"]), float(p["size"][0]), float(p["size"][1]),
            tuple((float(x), float(y)) for x, y in p["markers"]),
            (float(p["qr"][0]), float(p["qr"][1])),
            tuple(Box(str(i), str(v), str(lab), float(x), float(y))
                  for i, v, lab, x, y in p["boxes"]),
            tuple(Row(str(r[0]), int(r[1]), str(r[2]), float(r[3]), float(r[4]),
                      int(r[5]) if len(r) > 5 else 0) for r in p["rows"]),
            tuple(p["name_field"]) if p.get("name_field") else None, int(p["digits"])))
    return SheetLayout(str(data["key"]), tuple(pages))


@dataclass(frozen=True)
class Copy:
    """One printed copy: its number and which form and variant it is."""

    number: int
    form: str
    variant: str
    student: str = ""  # printed for this student (with a roster): the grid must agree
    seat: str = ""  # where it is handed out (with a seating plan)
    name: str = field(default="", compare=False)  # printed only: never in exam.json

    def to_json(self) -> list[object]:
        """[number, form, variant], and the student and seat when it has them."""
        plain: list[object] = [self.number, self.form, self.variant]
        return plain + [self.student, self.seat] if self.student or self.seat else plain

    @classmethod
    def from_json(cls, data: list[Any]) -> Copy:
        """A copy as ``to_json`` wrote it (no name: exam.json keeps none)."""
        return cls(int(data[0]), str(data[1]), str(data[2]), *(str(x) for x in data[3:5]))

    @property
    def key(self) -> str:
        return f"{self.form}-{self.variant}" if self.form else self.variant


def assign_copies(exams: list[Exam], copies: int) -> list[Copy]:
    """Copies 1..N cycle over every form's variants: A, B, C, A, B, C, ..."""
    cycle = [(e.name, v.name) for e in exams for v in e.variants]
    return [Copy(n + 1, *cycle[n % len(cycle)]) for n in range(copies)]


@dataclass(frozen=True)
class SheetPlan:
    """Everything the grader needs to read the sheets of one build, as the manifest keeps it."""

    exam: str  # the exam id in every QR code
    scoring: str  # the scheme for multiple-response questions
    digits: int  # student-number positions
    copies: tuple[Copy, ...]
    layouts: dict[str, SheetLayout]  # by Copy.key

    @cached_property
    def by_number(self) -> dict[int, Copy]:
        """The copies by their printed number (what a page's QR code names)."""
        return {c.number: c for c in self.copies}

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "exam": self.exam, "scoring": self.scoring,
                "student_digits": self.digits,
                "copies": [c.to_json() for c in self.copies],
                "layouts": {key: to_json(layout) for key, layout in self.layouts.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SheetPlan:
        """Raises KeyError, TypeError or ValueError on a block examgen did not write."""
        if data.get("format") != FORMAT:
            raise ValueError(f"sheets format {data.get('format')!r}")
        copies = tuple(Copy.from_json(c) for c in data["copies"])
        layouts = {str(k): from_json(v) for k, v in data["layouts"].items()}
        if any(c.key not in layouts for c in copies):
            raise ValueError("a copy names a variant without a sheet layout")
        return cls(str(data["exam"]), str(data["scoring"]), int(data["student_digits"]),
                   copies, layouts)


def plan_sheets(exams: list[Exam], manifest: dict[str, Any], copies: int | list[Copy] | None,
                digits: int, paper: str, labels: dict[str, str], scoring: str) -> SheetPlan:
    """Lay out every variant's sheet and number the copies (or take the copies given,
    assigned to students and seats); the exam id covers them all."""
    numbered = copies if isinstance(copies, list) else assign_copies(
        exams, copies or sum(len(e.variants) for e in exams))
    layouts = {}
    for exam in exams:
        for variant in exam.variants:
            layout = layout_sheet(exam, variant, digits, paper, labels)
            layouts[layout.key] = layout
    core = {k: v for k, v in manifest.items() if k not in ("files", "header", "sheets")}
    # the paper and every box's place too: a rebuild on other paper or with another
    # layout's geometry is another exam to the reader, whose pages it refuses
    core["sheets"] = {"scoring": scoring, "digits": digits, "paper": paper,
                      "copies": [c.to_json() for c in numbered],
                      "layouts": {key: to_json(layout) for key, layout in layouts.items()}}
    return SheetPlan(exam_id(core), scoring, digits, tuple(numbered), layouts)
