"""Grade a pile of scans against one manifest: read every page, group pages by copy,
score every copy, and collect what a person has to decide.

Pages are read on all cores (forked workers share the plan); each returns its box states
and a small picture of the mapped page for the review and the annotated copies, never
the full scan, so 500 sheets fit in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from examgen.core.errors import InputError
from examgen.core.model import Exam, Question
from examgen.core.sheet_geometry import Copy, SheetPage, SheetPlan
from examgen.core.workers import job, run_all
from examgen.grade.overrides import Decision
from examgen.grade.read import SCALE, State, is_blank, is_thresholded, locate, measure
from examgen.grade.scans import PageRef, ScanProblem, all_pages, load_page, load_scan
from examgen.grade.score import ItemResult, Marks, SheetResult, read_student, score_item

PICTURE_DPI = 120  # the mapped page kept for crops and annotated copies
_PARALLEL_FROM = 4  # pages


@dataclass
class PageRead:
    ref: PageRef
    copy: int = 0
    key: str = ""
    page: int = 0
    states: tuple[State, ...] = ()
    picture: bytes = b""  # JPEG of the mapped page at PICTURE_DPI
    problem: str = ""
    blank: bool = False  # no markers and almost no ink: not a sheet, and not a problem
    thresholded: bool = False  # scanned in black and white: pencil may be gone


@dataclass
class Review:
    """One thing a person decides: an item of a copy, or a page that could not be used."""

    copy: int  # 0 when the page could not be tied to a copy
    item: str  # question id, "student", or "page"
    number: str  # as printed on the copy ("7"), or ""
    problem: str
    read: str
    where: PageRef | None
    picture: bytes = b""  # JPEG crop


@dataclass
class Grading:
    sheets: list[SheetResult] = field(default_factory=list)
    pages: dict[tuple[int, int], PageRead] = field(default_factory=dict)
    reviews: list[Review] = field(default_factory=list)
    unscanned: list[int] = field(default_factory=list)  # copies with no page at all
    page_count: int = 0
    blank: list[PageRef] = field(default_factory=list)  # blank pages, left out
    thresholded: list[PageRef] = field(default_factory=list)  # black-and-white scans
    alike: list[tuple[PageRef, PageRef]] = field(default_factory=list)  # scanned twice


# Decisions from a filled-in review file: (copy, item) -> what the person decided.
Decisions = dict[tuple[int, str], Decision]

def grade(paths: list[Path], plan: SheetPlan, exams: list[Exam], scheme: str,
          decisions: Decisions | None = None, workers: int | None = None) -> Grading:
    refs: list[PageRef] = []
    result = Grading()
    for entry in all_pages(paths):
        if isinstance(entry, ScanProblem):
            result.reviews.append(Review(0, "page", "", entry.message, "", entry.where))
        else:
            refs.append(entry)
    result.page_count = len(refs)
    for read in _read_all(refs, plan, workers):
        if read.blank:
            result.blank.append(read.ref)
            continue
        if read.thresholded:
            result.thresholded.append(read.ref)
        if read.problem:
            result.reviews.append(Review(read.copy, "page", "", read.problem, "", read.ref,
                                         read.picture))
            continue
        first = result.pages.get((read.copy, read.page))
        if first is not None:
            result.pages[(read.copy, read.page)] = _both_scans(result, first, read)
            continue
        result.pages[(read.copy, read.page)] = read
    _score(result, plan, exams, scheme, decisions or {})
    return result


def _both_scans(result: Grading, first: PageRead, second: PageRead) -> PageRead:
    """A page scanned twice is read twice: where the two scans agree, one is kept (and
    named in the summary); every box they read differently goes to a person."""
    if first.states == second.states:
        result.alike.append((first.ref, second.ref))
        return first
    differing = sum(a != b for a, b in zip(first.states, second.states, strict=True))
    result.reviews.append(Review(
        first.copy, "page", "", f"page {first.page} of copy {first.copy} scanned twice "
        f"(first: {first.ref}) and read differently in {differing} box(es): they go to "
        "review", "", second.ref, second.picture))
    states = tuple(a if a == b else State.UNSURE
                   for a, b in zip(first.states, second.states, strict=True))
    return replace(first, states=states)


def _read_all(refs: list[PageRef], plan: SheetPlan, workers: int | None) -> list[PageRead]:
    return run_all(_read_page, refs, "reading the scans", given=plan, workers=workers,
                   parallel_from=_PARALLEL_FROM)


def _read_page(ref: PageRef) -> PageRead:
    plan: SheetPlan = job()
    image, stored = load_scan(ref)
    if isinstance(image, str):
        return PageRead(ref, problem=image)
    template = next(iter(plan.layouts.values())).pages[0]
    located = locate(image, template)
    if isinstance(located, str) and stored:  # the stored picture as the page shows it
        drawn = load_page(ref, rasterize=True)
        if isinstance(drawn, str):
            return PageRead(ref, problem=drawn)
        image, located = drawn, locate(drawn, template)
    if isinstance(located, str):
        if is_blank(image):
            return PageRead(ref, blank=True)
        return PageRead(ref, problem=located, picture=_picture(image, fit=True))
    picture = _picture(located.image)
    if located.qr is None:
        what = "unreadable" if not located.qr_text else f"not examgen's ({located.qr_text!r})"
        return PageRead(ref, problem=f"the QR code is {what}: which copy is this?",
                        picture=picture)
    exam, copy, key, page = located.qr
    if exam != plan.exam:
        return PageRead(ref, problem=f"belongs to another exam (its code {exam}, this "
                                     f"manifest's {plan.exam}): refused", picture=picture)
    copies = plan.by_number
    if copy not in copies or copies[copy].key != key or \
            not 1 <= page <= len(plan.layouts[key].pages):
        return PageRead(ref, problem=f"copy {copy}, variant {key}, page {page} is not in "
                                     "this manifest", picture=picture)
    sheet_page = plan.layouts[key].pages[page - 1]
    thresholded = is_thresholded(image)
    states = tuple(b.state for b in measure(located, sheet_page, thresholded))
    return PageRead(ref, copy, key, page, states, picture, thresholded=thresholded)


def _picture(image: np.ndarray, fit: bool = False) -> bytes:
    factor = PICTURE_DPI / 72 / SCALE
    if fit:  # an unmapped scan: about A4 at the picture's resolution
        factor = 1400 / max(image.shape)
    small = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return data.tobytes() if ok else b""


def _score(result: Grading, plan: SheetPlan, exams: list[Exam], scheme: str,
           decisions: Decisions) -> None:
    by_key = {(e.name, v.name): (e, v) for e in exams for v in e.variants}
    for copy in plan.copies:
        layout = plan.layouts[copy.key]
        scanned = [p.number for p in layout.pages if (copy.number, p.number) in result.pages]
        if not scanned:
            result.unscanned.append(copy.number)
            continue
        exam, _ = by_key[(copy.form, copy.variant)]
        sheet = _score_copy(result, copy, layout.pages, exam, scheme, decisions)
        result.sheets.append(sheet)
        for p in layout.pages:
            if p.number not in scanned:
                sheet.problems.append(f"page {p.number} missing")
                result.reviews.append(Review(copy.number, "page", "",
                                             f"page {p.number} of copy {copy.number} was not "
                                             "scanned", "", None))
    _flag_duplicate_students(result)


def _score_copy(result: Grading, copy: Copy, pages: tuple[SheetPage, ...], exam: Exam,
                scheme: str, decisions: Decisions) -> SheetResult:
    variant = next(v for v in exam.variants if v.name == copy.variant)
    by_id: dict[str, Question] = {q.id: variant.question(q) for q in exam.questions}
    marks: dict[str, Marks] = {}
    numbers: dict[str, int] = {}
    for page in pages:
        read = result.pages.get((copy.number, page.number))
        for row in page.rows:
            numbers[row.item] = row.number
        if read is None:
            continue
        grouped: dict[str, list[int]] = {}
        for index, box in enumerate(page.boxes):
            grouped.setdefault(box.item, []).append(index)
        for name, indexes in grouped.items():
            marks[name] = Marks(tuple(page.boxes[i] for i in indexes),
                                tuple(read.states[i] for i in indexes), page.number)
    positions = sorted((k for k in marks if k.startswith("student:")),
                       key=lambda k: int(k.split(":")[1]))
    student_marks = [marks[k] for k in positions]
    student = read_student(student_marks) if student_marks else None
    decided_student = decisions.get((copy.number, "student"))
    if decided_student:
        student = decided_student.text
        if not (student.isdigit() and len(student) == len(student_marks)):
            raise InputError(f"{decided_student.where}: a student number of "
                             f"{len(student_marks)} digits, not {student!r}")
    mismatch = False
    if copy.student and decided_student is None:  # a named copy: the grid is a check
        if student is None:
            student = copy.student  # the QR code names the copy, the copy its student
        elif student != copy.student:
            mismatch = True
            result.reviews.append(Review(
                copy.number, "student", "", f"the copy was printed for {copy.student}, its "
                f"grid reads {student}: decide the student number",
                " ".join(m.shown() for m in student_marks), _ref(result, copy, 1)))
            student = None
    sheet = SheetResult(copy, student, student_marks, [])
    if student is None and student_marks and not mismatch:
        result.reviews.append(Review(
            copy.number, "student", "", "student number unreadable",
            " ".join(m.shown() for m in student_marks), _ref(result, copy, 1)))
    order = sorted(numbers, key=numbers.__getitem__)
    for qid in order:
        q = by_id[qid]
        item = ItemResult(qid, numbers[qid], q.type, q.points, marks.get(qid))
        if item.marks is not None:
            item.ticked = item.marks.ticked
            decision = decisions.get((copy.number, qid))
            if decision is not None:
                try:
                    item.ticked = decision_values(decision.text, item.marks)
                except ValueError as exc:
                    raise InputError(f"{decision.where}: {exc}") from None
                item.decided = True
        score_item(q, item, scheme)
        if item.points is None and item.marks is not None:
            result.reviews.append(Review(copy.number, qid, str(item.number), item.problem,
                                         item.marks.shown(),
                                         _ref(result, copy, item.marks.page)))
        sheet.items.append(item)
    return sheet


def _ref(result: Grading, copy: Copy, page: int) -> PageRef | None:
    read = result.pages.get((copy.number, page))
    return read.ref if read else None


def decision_values(decision: str, marks: Marks) -> list[str]:
    """A person's decision ('b d', '-', 'true', '1.5') as box values; ValueError if odd."""
    text = decision.replace(",", " ").split()
    if text in (["-"], []):
        return []
    by_label = {b.name.lower(): b.value for b in marks.boxes}
    by_value = {b.value.lower(): b.value for b in marks.boxes}
    out = []
    for word in text:
        key = word.lower().rstrip(")")
        if key in by_label:
            out.append(by_label[key])
        elif key in by_value:
            out.append(by_value[key])
        else:
            raise ValueError(f"'{word}' is not a box of this question (boxes: "
                             f"{', '.join(b.name for b in marks.boxes)})")
    return out


def _flag_duplicate_students(result: Grading) -> None:
    seen: dict[str, int] = {}
    for sheet in result.sheets:
        if sheet.student is None:
            continue
        if sheet.student in seen:
            result.reviews.append(Review(
                sheet.copy.number, "student", "", f"student number {sheet.student} also on "
                f"copy {seen[sheet.student]}", sheet.student, _ref(result, sheet.copy, 1)))
        else:
            seen[sheet.student] = sheet.copy.number
