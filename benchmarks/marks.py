"""How single marks are read, by pen width: crosses and ticks drawn with lines of 0.3 to
1.6 mm, fills, and fills that miss a corner, on scanned and photographed pages.

    python benchmarks/marks.py [--pages 6]  (about a minute)

Every box of an answer sheet's first page gets the same mark; each (kind, pen) is drawn on
``--pages`` pages per profile (scanner and phone, 150-300 dpi) and every box is measured
with examgen's reader. The table says what share was read as ticked, cancelled, empty or
sent to a person (unsure). A cross or tick read as cancelled or empty, or a fill read as
ticked, would be a silent error.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from examgen.grade.read import locate, measure  # noqa: E402
from tests.scansim import (  # noqa: E402
    PHONE,
    RENDER_DPI,
    SCANNER,
    _mark,
    distort,
    load_plan,
    render,
)

KINDS = [("cross", w) for w in (0.3, 0.6, 0.9, 1.1, 1.3, 1.6)] + \
    [("tick", w) for w in (0.3, 0.6, 0.9, 1.1, 1.3, 1.6)] + [("fill", None), ("corner", None)]


def _corner_fill(image: np.ndarray, x0: float, y0: float, side: float,
                 rng: np.random.Generator) -> None:
    """A fill that misses one corner by a quarter to nearly half of the side: no cross,
    and not even; it must go to a person or count as a mark, never as empty."""
    import cv2

    cut = side * rng.uniform(0.25, 0.45)
    corners = [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side)]
    k = int(rng.integers(4))
    (ax, ay), (bx, by) = corners[k], corners[(k + 1) % 4]
    (px, py) = corners[(k - 1) % 4]
    near = [(ax + (bx - ax) * cut / side, ay + (by - ay) * cut / side),
            (ax + (px - ax) * cut / side, ay + (py - ay) * cut / side)]
    points = corners[:k] + [near[1], near[0]] + corners[k + 1:]
    cv2.fillPoly(image, [np.array(points, np.int32)], int(rng.integers(15, 70)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "exam"
        subprocess.run([sys.executable, "-m", "examgen", "build", "--bank", str(ROOT / "bank"),
                        "--total", "24", "--seed", "11", "--sheet", "--copies", "1",
                        "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
        plan = load_plan(out / "exam.json")
        page = plan.layouts["A"].pages[0]
        blank = render(out / "sheets.pdf")[0]
        px = RENDER_DPI / 72
        from examgen.core.sheet_geometry import BOX

        print(f"box {BOX / 72 * 25.4:.1f} mm; {len(page.boxes)} boxes a page, "
              f"{args.pages} pages per profile")
        print(f"{'mark':<8} {'pen mm':>6} {'boxes':>6} {'ticked %':>9} {'unsure %':>9} "
              f"{'cancelled %':>12} {'empty %':>8}")
        rng = np.random.default_rng(7)
        for kind, pen in KINDS:
            counts: Counter[str] = Counter()
            for profile in (SCANNER, PHONE):
                for _ in range(args.pages):
                    image = blank.copy()
                    for box in page.boxes:
                        if kind == "corner":
                            _corner_fill(image, box.x * px, (page.height - box.y - BOX) * px,
                                         BOX * px, rng)
                            continue
                        if kind == "fill":
                            _mark(image, "cross", box.x * px,
                                  (page.height - box.y - BOX) * px, BOX * px, rng)
                        _mark(image, kind, box.x * px, (page.height - box.y - BOX) * px,
                              BOX * px, rng, pen)
                    scan, _ = distort(image, profile, rng)
                    located = locate(scan, page)
                    if isinstance(located, str):
                        counts["page not found"] += len(page.boxes)
                        continue
                    counts.update(r.state.value for r in measure(located, page))
            total = sum(counts.values())
            print(f"{kind:<8} {pen if pen else '':>6} {total:>6} "
                  + " ".join(f"{100 * counts[s] / total:>{w}.1f}" for s, w in
                             (("ticked", 9), ("unsure", 9), ("cancelled", 12),
                              ("empty", 8))))


if __name__ == "__main__":
    main()
