"""What parametrised questions cost a build: 300 copies with answer sheets, each copy its
own variant (``--draw per-copy``), once with the sample bank's eight parametrised
questions drawn per copy, and once with the very same questions frozen (each its first
draw, no parameters). Same selection, same PDFs in number and kind; only the drawing
differs. Target (issue 25): the drawn build takes at most 1.2x the frozen one.

Also printed: ``check --draws`` time per draw, and the draws of one question per second.
Best of 3 runs each, in one process (the library API, no start-up).
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examgen.api import BuildSettings, build_exam  # noqa: E402
from examgen.bank.draw_check import check_draws  # noqa: E402
from examgen.bank.loader import load_bank  # noqa: E402
from examgen.core.model import Bank  # noqa: E402

COPIES = 300
RUNS = 3
ROOT = Path(__file__).resolve().parent.parent


def _best(bank: Bank, mix: dict, settings: BuildSettings) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        build_exam(bank, mix, settings)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    bank = load_bank(ROOT / "bank")
    drawn = [q.id for q in bank.questions if q.template is not None]
    frozen = Bank(bank.path, tuple(replace(q, template=None) for q in bank.questions),
                  bank.digest)
    mix = {"total": 12, "require": drawn}
    settings = BuildSettings(seed=7, sheet=True, copies=COPIES, draw="per-copy")
    with_draws = _best(bank, mix, settings)
    without = _best(frozen, mix, settings)
    print(f"{COPIES} copies, per-copy variants, 12 questions of which {len(drawn)} "
          "parametrised (best of 3)")
    print(f"{'build':<34}{'seconds':>9}{'per copy':>11}")
    print(f"{'frozen (no parameters)':<34}{without:>9.2f}{1000 * without / COPIES:>9.1f}ms")
    print(f"{'drawn per copy':<34}{with_draws:>9.2f}{1000 * with_draws / COPIES:>9.1f}ms")
    ratio = with_draws / without
    print(f"ratio {ratio:.2f} (target <= 1.2: {'met' if ratio <= 1.2 else 'NOT met'})")
    start = time.perf_counter()
    reports = check_draws(bank.questions, 200)
    seconds = time.perf_counter() - start
    print(f"\ncheck --draws 200: {seconds:.2f} s for {len(reports)} questions, "
          f"{1000 * seconds / (200 * len(reports)):.2f} ms per draw")
    q = bank.by_id["yolo-iou"]
    assert q.template is not None
    rng = random.Random(1)
    start = time.perf_counter()
    for _ in range(2000):
        q.template.draw(rng)
    print(f"yolo-iou values drawn: {2000 / (time.perf_counter() - start):,.0f} per second")


if __name__ == "__main__":
    main()
