"""One scanned page read: find the markers, map the page, decode its QR code, measure boxes.

The page is mapped onto the sheet's own coordinates through the four corner markers (a
homography: rotation, scale and perspective at once) and flattened against its own
paper (uneven light, grey paper). Every box is then measured where the manifest says it
is, and judged against the page's own blank boxes; a box that is neither clearly empty
nor clearly ticked nor clearly filled is ``unsure`` and goes to a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np
import zxingcpp

from examgen.core.sheet_geometry import BOX, QR_SIZE, SheetPage, parse_qr

SCALE = 200 / 72  # pixels per point of the mapped page: 200 dpi
_DETECT_WIDTH = 900  # markers are found on a copy about this wide (12 mm = 50 px at A4)
_INSET = 0.6 * 72 / 25.4  # measured inside a box: clear of its border and a slight shift

# Thresholds on a box's ink, above the page's blank boxes (0 = paper, 1 = black).
# The box is 5.2 mm (4.0 mm measured): a 0.3 mm tick covers about a quarter less of it
# than of the 4.2 mm box of before, so both limits are a quarter lower than they were.
EMPTY_BELOW = 0.04  # mean ink: less is empty (blank boxes measure below 0.02)
TICKED_FROM = 0.07  # mean ink: more is a mark; between: unsure
FILLED_FROM = 0.80  # share of inked pixels: more may be a filled (cancelled) box
TICKED_BELOW = 0.68  # share of inked pixels: a thin mark covers less
# A box is filled evenly, a cross or tick leaves parts of it white, however thick the pen.
# The box (all but its border) is cut into 3 x 3 cells, each measured as its inked share:
EVEN_FROM = 0.9  # the emptiest cell at least this: evenly filled (benchmarks/marks.py)
MARK_BELOW = 0.88  # the middles of two opposite edges both below this: a cross's shape
#                   (a 1.6 mm cross in a 5.2 mm box inks them up to about 0.85). A fill
#                   that misses a corner leaves that corner and its two neighbours white,
#                   and the opposite edges inked (so do opposite corners: a fill missing
#                   one corner can look like a tick there, and goes to review). On the
#                   simulator, none of 4,032 fills or 4,032 fills missing a corner was
#                   read as a tick.
_OPPOSITE = ((1, 7), (3, 5))  # the cells in the middle of the top and bottom, left and right
_CELL_INSET = 0.3 * 72 / 25.4  # the cells reach closer to the border than the ink does


class State(str, Enum):
    EMPTY = "empty"
    TICKED = "ticked"
    CANCELLED = "cancelled"  # filled in completely: the student took the mark back
    UNSURE = "unsure"


@dataclass(frozen=True)
class Located:
    """A page mapped onto sheet coordinates, with what its QR code says."""

    image: np.ndarray  # grey, SCALE pixels per point, the sheet's page size
    paper: np.ndarray  # the paper's brightness around each point, at a quarter of that
    qr: tuple[str, int, str, int] | None  # exam id, copy, variant key, page
    qr_text: str


def locate(gray: np.ndarray, template: SheetPage) -> Located | str:
    """Map a scan onto the page size and markers of ``template`` (every page of a paper
    size has its markers in the same places), or say why not."""
    width, height = template.width, template.height
    src, dst = _marker_points(gray, template)
    if len(src) < 12:
        return ("the corner markers were not found (at least 3 of 4 are needed): is the page "
                "a sheet of this exam, scanned whole?")
    matrix, _ = cv2.findHomography(np.array(src, np.float32), np.array(dst, np.float32),
                                   cv2.RANSAC, 6.0)
    if matrix is None:
        return "the corner markers do not fit together: is the page folded?"
    size = (round(width * SCALE), round(height * SCALE))
    image = cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)
    # Not where this exam's sheet has it: a sheet of another paper size or exam maps
    # its code elsewhere, and the whole scan says which exam it is.
    text = _read_qr(image, template) or _examgen_code(gray)
    return Located(image, _paper(image), parse_qr(text) if text else None, text)


BLANK_INK = 0.002  # share of dark pixels below which a page without markers is blank
# A black-and-white scan (1-bit, or thresholded by the scanner) has almost no pixel
# between paper and ink; a greyscale one has them along every printed line.
THRESHOLDED_BELOW = 0.002  # share of pixels from 64 to 191
TRACE_FROM = 0.01  # on such a page, this much ink in a box is unsure, not empty: pencil
#                    that survived the threshold as a few specks


def is_thresholded(gray: np.ndarray) -> bool:
    """Whether the page was scanned in black and white (1-bit or thresholded): pencil
    (grey 120-170) lighter than the scanner's threshold is gone from it."""
    between = cv2.countNonZero(cv2.inRange(gray, 64, 191))  # 4x calcHist's speed
    return bool(between < THRESHOLDED_BELOW * gray.size)


def is_blank(gray: np.ndarray) -> bool:
    """A page with almost no ink (a blank page, the empty back of a duplex scan): dark
    pixels, judged against the page's own paper, are fewer than ``BLANK_INK``. Show-through
    and scanner noise stay light; a sheet's markers alone are more."""
    factor = min(1.0, _DETECT_WIDTH / max(gray.shape))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) \
        if factor < 1 else gray
    paper = float(np.percentile(small, 90))
    return bool(np.count_nonzero(small < paper * 0.55) < BLANK_INK * small.size)


def _marker_points(gray: np.ndarray, template: SheetPage
                   ) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Corner correspondences scan -> mapped page, from every marker found (4 each)."""
    factor = min(1.0, _DETECT_WIDTH / max(gray.shape))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) \
        if factor < 1 else gray
    corners, ids, _ = _detector().detectMarkers(small)
    if factor < 1 and (ids is None or len(set(ids.ravel())) < 3):
        # a marker near the image's edge (a skewed or shifted scan) can vanish from the
        # small copy: look again on the whole scan
        factor = 1.0
        corners, ids, _ = _detector().detectMarkers(gray)
    src: list[tuple[float, float]] = []
    dst: list[tuple[float, float]] = []
    if ids is None:
        return src, dst
    seen = set()
    for quad, found in zip(corners, ids.ravel(), strict=True):
        marker = int(found)
        if not 0 <= marker < len(template.markers) or marker in seen:
            continue
        seen.add(marker)
        refined = _refine(gray, quad.reshape(4, 2) / factor)
        for (sx, sy), (px, py) in zip(refined, template.marker_corners(marker), strict=True):
            src.append((float(sx), float(sy)))
            dst.append((px * SCALE, (template.height - py) * SCALE))
    return src, dst


def _refine(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Corners found on the small copy, sharpened on the full scan."""
    points = quad.astype(np.float32).reshape(-1, 1, 2)
    window = max(2, int(max(gray.shape) / _DETECT_WIDTH * 2))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.05)
    try:
        cv2.cornerSubPix(gray, points, (window, window), (-1, -1), criteria)
    except cv2.error:
        return quad
    return points.reshape(4, 2)


_detectors: list[cv2.aruco.ArucoDetector] = []


def _detector() -> cv2.aruco.ArucoDetector:
    if not _detectors:
        dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
        _detectors.append(cv2.aruco.ArucoDetector(dictionary, cv2.aruco.DetectorParameters()))
    return _detectors[0]


def _read_qr(image: np.ndarray, template: SheetPage) -> str:
    """The QR code's text, read where the sheet put it (with room for a slight shift)."""

    room = 6 * 72 / 25.4
    x, y, w, h = box_pixels(template, template.qr[0] - room, template.qr[1] - room,
                            QR_SIZE + 2 * room, QR_SIZE + 2 * room)
    return _examgen_code(image[max(0, y):y + h, max(0, x):x + w])


def _examgen_code(image: np.ndarray) -> str:
    """The text of an examgen QR code in ``image``, or ''."""
    for found in zxingcpp.read_barcodes(image):
        if found.text.startswith("EXAMGEN"):
            return str(found.text)
    return ""


def _paper(image: np.ndarray) -> np.ndarray:
    """How bright the paper is around each point, at a quarter of the resolution.

    The brightest level nearby: a max filter wider than any box (so a filled box does not
    count as paper), smoothed, so that shadows, grey paper and uneven light cancel out when
    a box's ink is measured against it.
    """
    small = cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    paper = cv2.GaussianBlur(cv2.dilate(small, kernel), (0, 0), 4)
    return np.maximum(paper.astype(np.float32), 40.0)


@dataclass(frozen=True)
class BoxReading:
    state: State
    ink: float  # mean ink inside, above the blank level
    cover: float  # share of clearly inked pixels inside
    shape: tuple[float, bool] = (0.0, False)  # its emptiest ninth's inked share, and
    #                                           whether two opposite ninths are white


def measure(located: Located, page: SheetPage, thresholded: bool = False
            ) -> list[BoxReading]:
    """Every box of the page, in the page's order, judged against its lightest boxes; on
    a black-and-white scan (``thresholded``) a trace of ink is unsure, not empty."""
    image, paper = located.image, located.paper
    means, covers, shapes = [], [], []
    for box in page.boxes:
        inner = _ink(image, paper, page, box.x, box.y, _INSET)
        means.append(float(inner.mean()) if inner.size else 0.0)
        covers.append(float((inner > 0.45).mean()) if inner.size else 0.0)
        shapes.append(_shape(_ink(image, paper, page, box.x, box.y, _CELL_INSET) > 0.45)
                     if covers[-1] >= TICKED_BELOW else (0.0, False))  # shape: only then
    # What an empty box measures on this page (a border blurred inward, a grey cast): the
    # lightest boxes, bounded so that a page of ticked boxes cannot pass as blank.
    blank = float(np.clip(np.percentile(means, 10), -0.02, 0.03)) if means else 0.0
    empty_below = TRACE_FROM if thresholded else EMPTY_BELOW
    return [BoxReading(_judge(m - blank, c, e, empty_below), m - blank, c, e)
            for m, c, e in zip(means, covers, shapes, strict=True)]


def _ink(image: np.ndarray, paper: np.ndarray, page: SheetPage, x: float, y: float,
         inset: float) -> np.ndarray:
    """A box's inside, ``inset`` clear of its border, as ink against the paper (0 to 1)."""
    x0 = int(round((x + inset) * SCALE))
    y0 = int(round((page.height - y - BOX + inset) * SCALE))
    n = max(1, int(round((BOX - 2 * inset) * SCALE)))
    level = paper[min(paper.shape[0] - 1, (y0 + n // 2) // 4),
                  min(paper.shape[1] - 1, (x0 + n // 2) // 4)]
    inside: np.ndarray = np.clip(1.0 - image[y0:y0 + n, x0:x0 + n] / level, 0.0, 1.0)
    return inside


def _shape(inked: np.ndarray) -> tuple[float, bool]:
    """The inked share of the emptiest of the box's nine cells, and whether two opposite
    cells are both partly white (a mark's shape)."""
    k = min(inked.shape) // 3
    if k < 1:
        return 0.0, False
    cells = inked[:3 * k, :3 * k].reshape(3, k, 3, k).mean(axis=(1, 3)).ravel()
    marked = any(cells[a] < MARK_BELOW and cells[b] < MARK_BELOW for a, b in _OPPOSITE)
    return float(cells.min()), marked


def _judge(ink: float, cover: float, shape: tuple[float, bool],
           empty_below: float = EMPTY_BELOW) -> State:
    if cover >= TICKED_BELOW:  # much ink: a fill, or a mark made with a thick pen
        emptiest, mark_shaped = shape
        if cover >= FILLED_FROM and emptiest >= EVEN_FROM:
            return State.CANCELLED
        return State.TICKED if mark_shaped else State.UNSURE
    if ink >= TICKED_FROM:
        return State.TICKED
    if ink >= empty_below:
        return State.UNSURE
    return State.EMPTY


def box_pixels(page: SheetPage, x: float, y: float, w: float, h: float
               ) -> tuple[int, int, int, int]:
    """A rectangle of the page (points, from bottom-left) in mapped-image pixels."""
    return (int(x * SCALE), int((page.height - y - h) * SCALE), int(w * SCALE),
            int(h * SCALE))
