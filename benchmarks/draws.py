"""What parametrised questions cost a build: 300 copies with answer sheets, each copy its
own variant (``--draw per-copy``), once with the sample bank's eight parametrised
questions drawn per copy, and once with the very same questions frozen (each its first
draw, no parameters). Same selection, same PDFs in number and kind; only the drawing
differs. Target (issue 25): the drawn build takes at most 1.2x the frozen one.

Also printed: ``check --draws`` time per draw, and the draws of one question per second.
3 runs each, taking turns, in one process (the library API, no start-up), each build with
a formula cache of its own that starts empty: the first run typesets every formula (a
lecturer's first build), the best of the others reads them back (a rebuild, or next
term's exam with the same draws).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="examgen-bench-cache-")
os.environ.pop("EXAMGEN_NO_CACHE", None)

from examgen.api import BuildSettings, build_exam  # noqa: E402
from examgen.bank.draw_check import check_draws  # noqa: E402
from examgen.bank.loader import load_bank  # noqa: E402
from examgen.core.formula_svg import cache_folder  # noqa: E402
from examgen.core.model import Bank  # noqa: E402

COPIES = 300
RUNS = 3
ROOT = Path(__file__).resolve().parent.parent


def _runs(builds: dict[str, Bank], mix: dict, settings: BuildSettings
          ) -> dict[str, tuple[float, float]]:
    """Each build's (first run, best of the others), the builds taking turns so that the
    machine's drift falls on both alike, each with a formula cache of its own that starts
    empty: the other build's formulas (the frozen questions are the drawn ones' first
    draws) must not make its first run a rebuild."""
    caches = {name: tempfile.mkdtemp(prefix="examgen-bench-cache-") for name in builds}
    times: dict[str, list[float]] = {name: [] for name in builds}
    for _ in range(RUNS):
        for name, bank in builds.items():
            os.environ["XDG_CACHE_HOME"] = caches[name]
            cache_folder.cache_clear()
            start = time.perf_counter()
            build_exam(bank, mix, settings)
            times[name].append(time.perf_counter() - start)
    return {name: (t[0], min(t[1:])) for name, t in times.items()}


def main() -> None:
    bank = load_bank(ROOT / "bank")
    drawn = [q.id for q in bank.questions if q.template is not None]
    frozen = Bank(bank.path, tuple(replace(q, template=None) for q in bank.questions),
                  bank.digest)
    mix = {"total": 12, "require": drawn}
    settings = BuildSettings(seed=7, sheet=True, copies=COPIES, draw="per-copy")
    runs = _runs({"drawn": bank, "frozen": frozen}, mix, settings)
    with_draws, without = runs["drawn"], runs["frozen"]
    print(f"{COPIES} copies, per-copy variants, 12 questions of which {len(drawn)} "
          "parametrised")
    print(f"{'build':<34}{'first run':>10}{'per copy':>10}{'again':>8}{'per copy':>10}")
    for name, (first, again) in (("frozen (no parameters)", without),
                                 ("drawn per copy", with_draws)):
        print(f"{name:<34}{first:>9.2f}s{1000 * first / COPIES:>8.1f}ms{again:>7.2f}s"
              f"{1000 * again / COPIES:>8.1f}ms")
    for when, k in (("first run", 0), ("again", 1)):
        ratio = with_draws[k] / without[k]
        print(f"ratio, {when}: {ratio:.2f} (target <= 1.2: "
              f"{'met' if ratio <= 1.2 else 'NOT met'})")
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
