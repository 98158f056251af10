"""A pen and a scanner without either: fill rendered answer sheets with marks from a known
truth, then distort them as scanners and phones do. Used by the grading tests and by
benchmarks/grade.py; it reads the sheet geometry from the manifest, like the grader.

Marks: crosses, ticks, light pencil crosses, filled (cancelled) boxes, stray strokes and
a scribbled name. Distortions: rotation, scale, perspective, blur, noise, uneven light,
grey paper, JPEG compression, resolution, a dog-eared corner.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pypdfium2
from PIL import Image

from examgen.core.model import MultipleChoice
from examgen.core.sheet_geometry import BOX, SheetPage, SheetPlan

RENDER_DPI = 300


@dataclass
class Truth:
    """What the student (and the grader, for open questions) meant, box by box."""

    copy: int
    student: str
    ticked: dict[str, set[str]] = field(default_factory=dict)  # item -> box values
    marks: list[tuple[str, str, str]] = field(default_factory=list)  # item, value, kind


@dataclass(frozen=True)
class Profile:
    name: str
    angle: float  # degrees, either way
    scale: float  # 1 +- this
    perspective: float  # corner jitter, share of the page size
    blur: float  # sigma in pixels at the output resolution
    noise: float  # grey levels
    light: float  # darkest corner of uneven light, 0 = even
    paper: tuple[int, int]  # paper grey range
    jpeg: int  # quality, 0 = PNG
    dpi: tuple[int, ...]
    light_marks: float  # share of marks made with a light pencil
    dog_ear: float  # chance of a folded corner
    threshold: tuple[int, int] = (0, 0)  # a black-and-white scanner's threshold range
    pen_mm: tuple[float, float] = (0.0, 0.0)  # the marks' line width; 0: a ballpoint's


SCANNER = Profile("scanner", 3.0, 0.02, 0.0, 0.6, 3.0, 0.0, (235, 255), 90, (150, 200, 300),
                  0.03, 0.0)
PHONE = Profile("phone", 5.0, 0.05, 0.012, 1.1, 7.0, 0.45, (175, 230), 60, (150, 200),
                0.08, 0.15)
# An office scanner left at its default: 1-bit, thresholded at 140-180, saved as PNG; a
# tenth of the marks made with a light pencil.
BLACK_AND_WHITE = Profile("black-and-white", 2.0, 0.01, 0.0, 0.5, 2.0, 0.0, (235, 255), 0,
                          (200, 300), 0.1, 0.0, (140, 181))
# Marks made with felt-tips and soft pens, 0.9 to 1.6 mm wide, on a greyscale scanner.
FELT_TIP = Profile("felt-tip", 3.0, 0.02, 0.0, 0.6, 3.0, 0.0, (235, 255), 90, (150, 200, 300),
                   0.0, 0.0, (0, 0), (0.9, 1.6))


def load_plan(manifest: Path) -> SheetPlan:
    return SheetPlan.from_json(json.loads(manifest.read_text())["sheets"])


def render(sheets_pdf: Path) -> list[np.ndarray]:
    doc = pypdfium2.PdfDocument(str(sheets_pdf))
    pages = [np.asarray(doc[i].render(scale=RENDER_DPI / 72, grayscale=True).to_numpy())
             for i in range(len(doc))]
    doc.close()
    return [p if p.ndim == 2 else p[:, :, 0] for p in pages]


def choose_truth(plan: SheetPlan, copy_number: int, exams: dict[str, object],
                 rng: np.random.Generator) -> Truth:
    """A plausible student: one digit per column, answers for most questions, a change of
    mind now and then."""
    copy = plan.by_number[copy_number]
    layout = plan.layouts[copy.key]
    truth = Truth(copy_number, "".join(str(d) for d in rng.integers(0, 10, plan.digits)))
    for pos, digit in enumerate(truth.student):
        truth.ticked[f"student:{pos}"] = {digit}
    for page in layout.pages:
        for row in page.rows:
            values = [b.value for b in page.boxes if b.item == row.item]
            if row.kind == "match":  # a row per left item, its boxes "left:right"
                mine = [v for v in values if v.split(":")[0] == str(row.sub - 1)]
                chosen = truth.ticked.setdefault(row.item, set())
                if rng.random() < 0.9:
                    chosen.add(mine[int(rng.integers(len(mine)))])
            elif row.kind == "score":
                truth.ticked[row.item] = {values[int(rng.integers(len(values)))]}
            elif isinstance(exams.get(row.item), MultipleChoice):
                k = int(rng.integers(1, min(3, len(values)) + 1))
                truth.ticked[row.item] = set(rng.choice(values, k, replace=False).tolist())
            elif rng.random() < 0.9:
                truth.ticked[row.item] = {values[int(rng.integers(len(values)))]}
            else:
                truth.ticked[row.item] = set()
    return truth


def fill(image: np.ndarray, page: SheetPage, truth: Truth, profile: Profile,
         rng: np.random.Generator) -> np.ndarray:
    """Draw the truth's marks (and a few cancelled ones and stray strokes) on a page."""
    out = image.copy()
    px = RENDER_DPI / 72
    for box in page.boxes:
        wanted = box.value in truth.ticked.get(box.item, set())
        x0, y0 = box.x * px, (page.height - box.y - BOX) * px
        side = BOX * px
        pen = float(rng.uniform(*profile.pen_mm)) if profile.pen_mm[1] else None
        if wanted:
            kind = "light" if rng.random() < profile.light_marks else (
                "cross" if rng.random() < 0.65 else "tick")
            _mark(out, kind, x0, y0, side, rng, pen)
            truth.marks.append((box.item, box.value, kind))
        elif rng.random() < 0.02:  # a changed mind: marked, then filled in
            _mark(out, "cross", x0, y0, side, rng)
            _mark(out, "fill", x0, y0, side, rng)
            truth.marks.append((box.item, box.value, "cancelled"))
    if page.name_field:
        x, y, w, h = page.name_field
        _scribble(out, x * px + 10, (page.height - y - h) * px + 10, w * px * 0.4,
                  h * px - 20, rng)
    for _ in range(int(rng.integers(0, 3))):  # stray strokes in the right margin
        x = out.shape[1] - int(rng.uniform(0.06, 0.09) * out.shape[1])
        y = int(rng.uniform(0.3, 0.8) * out.shape[0])
        cv2.line(out, (x, y), (x + int(rng.integers(-30, 30)), y + int(rng.integers(20, 80))),
                 int(rng.integers(30, 80)), 3, cv2.LINE_AA)
    return out


def _mark(image: np.ndarray, kind: str, x0: float, y0: float, side: float,
          rng: np.random.Generator, pen_mm: float | None = None) -> None:
    """A student's mark; ``pen_mm`` the line's width (default: a ballpoint's 0.4-0.6 mm,
    a felt-tip draws 0.9-1.6 mm)."""
    ink = int(rng.integers(15, 70))
    width = max(2, int(side * rng.uniform(0.09, 0.14))) if pen_mm is None else \
        max(1, int(round(pen_mm * RENDER_DPI / 25.4)))

    def p(u: float, v: float) -> tuple[int, int]:
        jitter = side * 0.07
        return (int(x0 + u * side + rng.normal(0, jitter)),
                int(y0 + v * side + rng.normal(0, jitter)))

    if kind == "cross":
        cv2.line(image, p(0.1, 0.1), p(0.9, 0.9), ink, width, cv2.LINE_AA)
        cv2.line(image, p(0.9, 0.1), p(0.1, 0.9), ink, width, cv2.LINE_AA)
    elif kind == "tick":
        cv2.line(image, p(0.12, 0.5), p(0.4, 0.88), ink, width, cv2.LINE_AA)
        cv2.line(image, p(0.4, 0.88), p(0.92, 0.08), ink, width, cv2.LINE_AA)
    elif kind == "light":  # a pencil pressed lightly: grey and thin, but a whole cross
        grey = int(rng.integers(110, 145))
        thin = max(2, int(width * 0.8))
        cv2.line(image, p(0.1, 0.1), p(0.9, 0.9), grey, thin, cv2.LINE_AA)
        cv2.line(image, p(0.9, 0.1), p(0.1, 0.9), grey, thin, cv2.LINE_AA)
    elif kind == "fill":
        corners = np.array([p(0.0, 0.0), p(1.0, 0.0), p(1.0, 1.0), p(0.0, 1.0)], np.int32)
        cv2.fillPoly(image, [corners], ink)
        for k in range(6):  # the pen's strokes that filled it
            y = int(y0 + side * (k + 0.5) / 6)
            cv2.line(image, (int(x0), y), (int(x0 + side), y), ink, width, cv2.LINE_AA)


def _scribble(image: np.ndarray, x: float, y: float, w: float, h: float,
              rng: np.random.Generator) -> None:
    points = [(int(x + w * t), int(y + h * (0.5 + 0.4 * math.sin(t * 40 + rng.random()))))
              for t in np.linspace(0, 1, 60)]
    cv2.polylines(image, [np.array(points, np.int32)], False, 40, 3, cv2.LINE_AA)


def distort(image: np.ndarray, profile: Profile, rng: np.random.Generator
            ) -> tuple[np.ndarray, int]:
    """The page as a scanner or phone would deliver it, and its resolution."""
    dpi = int(rng.choice(profile.dpi))
    h, w = image.shape
    factor = dpi / RENDER_DPI * (1 + rng.uniform(-profile.scale, profile.scale))
    angle = rng.uniform(-profile.angle, profile.angle)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, factor)
    frame = 1.08 + 2 * profile.scale  # the whole sheet in the picture, as a person frames it
    out_w, out_h = int(w * dpi / RENDER_DPI * frame), int(h * dpi / RENDER_DPI * frame)
    matrix[0, 2] += out_w / 2 - w / 2 + rng.normal(0, 5)
    matrix[1, 2] += out_h / 2 - h / 2 + rng.normal(0, 5)
    paper = int(rng.integers(*profile.paper))
    scaled = (image.astype(np.float32) * paper / 255).astype(np.uint8)
    page = cv2.warpAffine(scaled, matrix, (out_w, out_h), flags=cv2.INTER_AREA,
                          borderValue=int(rng.integers(60, 120)))
    if profile.perspective:
        jitter = profile.perspective * np.array([out_w, out_h])
        src = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
        dst = (src + rng.uniform(-1, 1, (4, 2)) * jitter).astype(np.float32)
        page = cv2.warpPerspective(page, cv2.getPerspectiveTransform(src, dst),
                                   (out_w, out_h), borderValue=80)
    if rng.random() < profile.dog_ear:
        leg = int(rng.uniform(10, 16) / 25.4 * dpi)
        corner = int(rng.integers(4))
        cx, cy = [(0, 0), (out_w, 0), (out_w, out_h), (0, out_h)][corner]
        sx, sy = (1 if cx == 0 else -1), (1 if cy == 0 else -1)
        tri = np.array([(cx, cy), (cx + sx * leg * 2, cy), (cx, cy + sy * leg * 2)], np.int32)
        cv2.fillPoly(page, [tri], int(rng.integers(50, 110)))
    result = page.astype(np.float32)
    if profile.light:
        yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
        direction = rng.uniform(0, 2 * math.pi)
        ramp = (np.cos(direction) * xx / out_w + np.sin(direction) * yy / out_h)
        ramp = (ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min()))
        result *= 1 - profile.light * ramp
    if profile.blur:
        result = cv2.GaussianBlur(result, (0, 0), profile.blur)
    result += rng.normal(0, profile.noise, result.shape).astype(np.float32)
    out = np.clip(result, 0, 255).astype(np.uint8)
    if profile.threshold[1]:
        out = np.where(out < int(rng.integers(*profile.threshold)), 0, 255).astype(np.uint8)
    return out, dpi


def encode(image: np.ndarray, profile: Profile) -> tuple[bytes, str]:
    """The page as a file's bytes and its suffix: JPEG at the profile's quality, or PNG."""
    if profile.jpeg:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, profile.jpeg])
        return data.tobytes(), ".jpg"
    ok, data = cv2.imencode(".png", image)
    return data.tobytes(), ".png"


def to_pdf(images: list[tuple[np.ndarray, int]]) -> bytes:
    """Pages as one PDF, as a scanner's 'scan to PDF' writes them (JPEG inside)."""
    pil = [Image.fromarray(i) for i, _ in images]
    buffer = io.BytesIO()
    pil[0].save(buffer, "PDF", save_all=True, append_images=pil[1:],
                resolution=float(images[0][1]), quality=85)
    return buffer.getvalue()


def simulate(manifest: Path, sheets_pdf: Path, folder: Path, profile: Profile, seed: int,
             copies: list[int] | None = None, as_pdf: bool = False) -> dict[int, Truth]:
    """Fill and distort the sheets of ``copies`` (default all) into ``folder``: one image
    per page, or one PDF per copy; returns the truth per copy."""
    from examgen.bank.loader import load_bank
    from examgen.select.manifest import exams_from_manifest, read_manifest

    plan = load_plan(manifest)
    read = read_manifest(manifest)
    questions = {q.id: q for e in exams_from_manifest(read, load_bank(Path(read.bank_path)))
                 for q in e.questions}
    rendered = render(sheets_pdf)
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truths: dict[int, Truth] = {}
    index = 0
    starts: dict[int, int] = {}
    for copy in plan.copies:
        starts[copy.number] = index
        index += len(plan.layouts[copy.key].pages)
    for copy in plan.copies:
        if copies is not None and copy.number not in copies:
            continue
        truth = choose_truth(plan, copy.number, questions, rng)  # type: ignore[arg-type]
        pages = []
        for page in plan.layouts[copy.key].pages:
            filled = fill(rendered[starts[copy.number] + page.number - 1], page, truth,
                          profile, rng)
            pages.append(distort(filled, profile, rng))
        if as_pdf:
            (folder / f"copy-{copy.number:04d}.pdf").write_bytes(to_pdf(pages))
        else:
            for n, (image, _) in enumerate(pages, start=1):
                data, suffix = encode(image, profile)
                (folder / f"copy-{copy.number:04d}-p{n}{suffix}").write_bytes(data)
        truths[copy.number] = truth
    return truths


@dataclass
class Tally:
    right: int = 0
    flagged: int = 0
    wrong: int = 0
    wrong_marks: list[str] = field(default_factory=list)
    questions: int = 0  # question rows seen
    questions_flagged: int = 0  # rows with a box the reader was not sure of
    numbers: int = 0  # student numbers (one per copy)
    numbers_flagged: int = 0  # with a digit box not sure, or a column not read as one digit

    @property
    def total(self) -> int:
        return self.right + self.flagged + self.wrong


def evaluate(grading: object, plan: SheetPlan, truths: dict[int, Truth]) -> Tally:
    """Every box of every simulated page: read as meant, flagged for a person, or wrong."""
    from examgen.grade.read import State

    tally = Tally()
    pages = grading.pages  # type: ignore[attr-defined]
    for number, truth in truths.items():
        copy = plan.by_number[number]
        for page in plan.layouts[copy.key].pages:
            read = pages.get((number, page.number))
            if read is None:
                tally.flagged += len(page.boxes)  # the page itself goes to review
                continue
            unsure: set[str] = set()
            digits: dict[str, int] = {}
            for box, state in zip(page.boxes, read.states, strict=True):
                meant = box.value in truth.ticked.get(box.item, set())
                if state is State.UNSURE:
                    tally.flagged += 1
                    unsure.add(box.item)
                elif (state is State.TICKED) == meant:
                    tally.right += 1
                else:
                    tally.wrong += 1
                    tally.wrong_marks.append(f"copy {number} {box.item} {box.label}: "
                                             f"meant {meant}, read {state.value}")
                if box.item.startswith("student:"):
                    digits[box.item] = digits.get(box.item, 0) + (state is State.TICKED)
            rows = {box.item for box in page.boxes if not box.item.startswith("student:")}
            tally.questions += len(rows)
            tally.questions_flagged += len(rows & unsure)
            if digits:
                tally.numbers += 1
                tally.numbers_flagged += any(i.startswith("student:") for i in unsure) or \
                    any(count != 1 for count in digits.values())
    return tally
