"""What ``examgen grade`` writes: results.csv, responses.csv, the review (HTML and CSV)
and one annotated PDF per student, all from one ``Grading``."""

from __future__ import annotations

import base64
import io
import time
from html import escape

import cv2
import numpy as np
from PIL import Image

from examgen.core.csv_cells import csv_text
from examgen.core.model import Exam, format_number
from examgen.core.sheet_geometry import BOX, SheetPage, SheetPlan
from examgen.grade.grading import PICTURE_DPI, Grading, Review
from examgen.grade.scale import Scale
from examgen.grade.score import SheetResult

REVIEW_COLUMNS = ["copy", "item", "number", "problem", "read", "file", "page", "decision"]


def _points(value: float | None) -> str:
    return "" if value is None else format_number(round(value, 4))


def results_csv(grading: Grading, exams: list[Exam], scale: Scale | None) -> str:
    """One row per sheet: who, which copy, the points per question (bank ids), the total."""
    ids = list(dict.fromkeys(q.id for e in exams for q in e.questions))
    rows = [["student", "copy", "form", "variant", *ids, "total", "max", "grade", "status"]]
    for sheet in sorted(grading.sheets, key=lambda s: s.copy.number):
        points = {i.qid: _points(i.points) for i in sheet.items}
        maximum = sum(i.max_points for i in sheet.items)
        total = sheet.total
        grade = scale.grade(total, maximum) if scale and total is not None else ""
        status = "ok" if not sheet.open_items and not sheet.problems else \
            f"review ({sheet.open_items + len(sheet.problems)})"
        rows.append([sheet.student or "", str(sheet.copy.number), sheet.copy.form,
                     sheet.copy.variant, *(points.get(i, "") for i in ids), _points(total),
                     format_number(maximum), grade, status])
    return csv_text(rows)


def responses_csv(grading: Grading) -> str:
    """One row per sheet and question, in the bank's terms (option letters in bank order)."""
    rows = [["student", "copy", "form", "variant", "question", "number", "type", "response",
             "points", "max_points", "status"]]
    for sheet in sorted(grading.sheets, key=lambda s: s.copy.number):
        for item in sheet.items:
            status = "decided" if item.decided and item.points is not None else (
                "ok" if item.points is not None else "review")
            rows.append([sheet.student or "", str(sheet.copy.number), sheet.copy.form,
                         sheet.copy.variant, item.qid, str(item.number), item.type,
                         item.response, _points(item.points), format_number(item.max_points),
                         status])
    return csv_text(rows)


def review_csv(grading: Grading) -> str:
    """The review as a file to fill in: a decision per line, then grade with --overrides."""
    rows = [REVIEW_COLUMNS]
    for r in grading.reviews:
        rows.append([str(r.copy or ""), r.item, r.number, r.problem, r.read,
                     r.where.file if r.where else "", str(r.where.page) if r.where else "",
                     ""])
    return csv_text(rows)


def review_html(grading: Grading, plan: SheetPlan) -> str:
    """Every open question with its picture, for a person to decide."""
    parts = ["<!doctype html><meta charset='utf-8'><title>examgen review</title>",
             "<style>body{font-family:sans-serif;margin:2em}td{padding:4px 10px;"
             "vertical-align:top;border-bottom:1px solid #ddd}img{max-width:720px;"
             "border:1px solid #999}img.crop{height:110px}</style>",
             f"<h1>To review: {len(grading.reviews)}</h1>",
             "<p>Write each decision into the <code>decision</code> column of review.csv: "
             "the boxes as printed (<code>b d</code>, <code>true</code>, <code>1.5</code>), "
             "<code>-</code> for none, or the student number; then run examgen grade again "
             "with <code>--overrides review.csv</code>.</p><table>",
             "<tr><th>copy</th><th>item</th><th>problem</th><th>read</th><th>scan</th>"
             "<th>picture</th></tr>"]
    for r in grading.reviews:
        picture = _crop(grading, plan, r)
        kind = "page" if r.item == "page" else "crop"
        image = (f"<img class='{kind}' alt='{kind}' src='data:image/jpeg;base64,"
                 f"{base64.b64encode(picture).decode()}'>" if picture else "")
        item = f"question {r.number} ({r.item})" if r.number else r.item
        parts.append(f"<tr><td>{r.copy or ''}</td><td>{escape(item)}</td>"
                     f"<td>{escape(r.problem)}</td><td>{escape(r.read)}</td>"
                     f"<td>{escape(str(r.where or ''))}</td><td>{image}</td></tr>")
    parts.append("</table>")
    if grading.unscanned:
        parts.append(f"<p>Copies with no page scanned (absent?): "
                     f"{', '.join(map(str, grading.unscanned))}</p>")
    return "\n".join(parts) + "\n"


def _crop(grading: Grading, plan: SheetPlan, review: Review) -> bytes:
    """The row of the question (or the student-number grid) from the mapped page."""
    if review.item == "page" or not review.copy:
        return review.picture
    copy = plan.by_number[review.copy]
    for page in plan.layouts[copy.key].pages:
        read = grading.pages.get((copy.number, page.number))
        boxes = [b for b in page.boxes if b.item == review.item or (
            review.item == "student" and b.item.startswith("student:"))]
        if read is None or not boxes:
            continue
        image = _decode(read.picture)
        scale = PICTURE_DPI / 72
        x0 = min(b.x for b in boxes) - 14 * 72 / 25.4
        x1 = max(b.x for b in boxes) + BOX + 4 * 72 / 25.4
        y0 = min(b.y for b in boxes) - 2 * 72 / 25.4
        y1 = max(b.y for b in boxes) + BOX + 5 * 72 / 25.4
        top, bottom = int((page.height - y1) * scale), int((page.height - y0) * scale)
        crop = image[max(0, top):bottom, max(0, int(x0 * scale)):int(x1 * scale)]
        ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 85])
        return data.tobytes() if ok else b""
    return b""


def _decode(picture: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(picture, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image is not None, "pictures are JPEGs examgen encoded itself"
    return np.asarray(image)


def annotated_pdfs(grading: Grading, plan: SheetPlan, exams: list[Exam],
                   names: dict[str, str] | None = None) -> dict[str, bytes]:
    """One PDF per sheet to hand back: correct boxes framed in green, wrong ticks circled
    in red, the points beside every question and the total on top."""
    correct = _correct_values(exams)
    files = {}
    for sheet in grading.sheets:
        images = []
        for page in plan.layouts[sheet.copy.key].pages:
            read = grading.pages.get((sheet.copy.number, page.number))
            if read is None:
                continue
            images.append(_annotate(_decode(read.picture), page, sheet, correct))
        if not images:
            continue
        buffer = io.BytesIO()
        pil = [Image.fromarray(cv2.cvtColor(i, cv2.COLOR_BGR2RGB)) for i in images]
        pil[0].save(buffer, "PDF", save_all=True, append_images=pil[1:],
                    resolution=PICTURE_DPI, creationDate=_FIXED_DATE, modDate=_FIXED_DATE)
        name = sheet.student or f"copy-{sheet.copy.number}"
        name = (names or {}).get(name, name)  # with a roster: 12345678-Erika-Mustermann
        if f"annotated/{name}.pdf" in files:
            name = f"{name}-copy-{sheet.copy.number}"
        files[f"annotated/{name}.pdf"] = buffer.getvalue()
    return files


# the same scans give the same files: no time of grading in them (as reportlab's invariant
# documents have it)
_FIXED_DATE = time.gmtime(946684800)  # 2000-01-01


def _correct_values(exams: list[Exam]) -> dict[str, set[str]]:
    from examgen.core.model import ChoiceQuestion, Matching, TrueFalse

    out: dict[str, set[str]] = {}
    for exam in exams:
        for q in exam.questions:
            if isinstance(q, ChoiceQuestion):
                out[q.id] = {str(i) for i, o in enumerate(q.options) if o.correct}
            elif isinstance(q, TrueFalse):
                out[q.id] = {"true" if q.answer else "false"}
            elif isinstance(q, Matching):
                out[q.id] = {f"{left}:{right}" for left, right in enumerate(q.partners())}
    return out


def _annotate(grey: np.ndarray, page: SheetPage, sheet: SheetResult,
              correct: dict[str, set[str]]) -> np.ndarray:
    image = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    scale = PICTURE_DPI / 72
    green, red, blue = (40, 140, 40), (30, 30, 210), (170, 80, 20)
    items = {i.qid: i for i in sheet.items}

    def rect(x: float, y: float, size: float) -> tuple[tuple[int, int], tuple[int, int]]:
        return ((int(x * scale), int((page.height - y - size) * scale)),
                (int((x + size) * scale), int((page.height - y) * scale)))

    for box in page.boxes:
        item = items.get(box.item)
        if item is None:
            continue
        if box.value in correct.get(box.item, ()):
            a, b = rect(box.x - 1.5, box.y - 1.5, BOX + 3)
            cv2.rectangle(image, a, b, green, 2)
        elif box.value in item.ticked and box.item in correct:
            a, b = rect(box.x, box.y, BOX)
            centre = ((a[0] + b[0]) // 2, (a[1] + b[1]) // 2)
            cv2.circle(image, centre, int(BOX * scale * 0.9), red, 2)
    for row in page.rows:
        item = items.get(row.item)
        if item is None:
            continue
        text = "?" if item.points is None else \
            f"{_points(item.points)}/{format_number(item.max_points)}"
        last = max(b.x for b in page.boxes if b.item == row.item)
        x = int((last + BOX + 3 * 72 / 25.4) * scale)
        y = int((page.height - row.y - BOX * 0.8) * scale)
        colour = blue if item.points is None else (green if item.points >= item.max_points
                                                   else red)
        cv2.putText(image, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1,
                    cv2.LINE_AA)
    if page.number == 1:
        total = sheet.total
        maximum = sum(i.max_points for i in sheet.items)
        label = f"{'?' if total is None else _points(total)} / {format_number(maximum)}"
        x = int((page.width - 75 * 72 / 25.4) * scale)
        y = int(44 * 72 / 25.4 * scale)
        cv2.putText(image, label, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.1, blue, 2, cv2.LINE_AA)
    return image
