"""What parametrised questions cost a build: 300 copies with answer sheets, each copy its
own variant (``--draw per-copy``), once with the sample bank's eight parametrised
questions drawn per copy, and once with the very same questions frozen (each its first
draw, no parameters). Same selection, same PDFs in number and kind; only the drawing
differs. Target (issue 25): the drawn build takes at most 1.2x the frozen one. Two
exams: 12 questions (two thirds of them drawn, the most the sample bank allows) and 30.

What ziamath spends typesetting in each first run is counted on every worker: the drawn
build's extra formulas bound how close its first run can come to the frozen one.

Also printed: ``check --draws`` time per draw, and the draws of one question per second.
3 runs each, taking turns, in one process (the library API, no start-up), each build with
a formula cache of its own that starts empty: the first run typesets every formula (a
lecturer's first build), the best of the others reads them back (a rebuild, or next
term's exam with the same draws).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="examgen-bench-cache-")
os.environ.pop("EXAMGEN_NO_CACHE", None)

from examgen.api import BuildSettings, build_exam  # noqa: E402
from examgen.bank.draw_check import check_draws  # noqa: E402
from examgen.bank.loader import load_bank  # noqa: E402
from examgen.core import formula_svg  # noqa: E402
from examgen.core.formula_svg import cache_folder  # noqa: E402
from examgen.core.model import Bank  # noqa: E402

COPIES = 300
RUNS = 3
ROOT = Path(__file__).resolve().parent.parent


TYPESET = multiprocessing.Value("d", 0.0)  # seconds ziamath typeset, on every worker
TYPESET_COUNT = multiprocessing.Value("i", 0)


def _timed_typesetting() -> None:
    """Count what ziamath costs, in this process and in the workers forked from it."""
    typeset = formula_svg._typeset

    def timed(*args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        svg = typeset(*args)
        with TYPESET.get_lock():
            TYPESET.value += time.perf_counter() - start
            TYPESET_COUNT.value += 1
        return svg

    formula_svg._typeset = timed


def _runs(builds: dict[str, Bank], mix: dict[str, Any], settings: BuildSettings
          ) -> dict[str, tuple[float, float, float, int]]:
    """Each build's (first run, best of the others, ziamath's seconds and formulas in the
    first run), the builds taking turns so that the
    machine's drift falls on both alike, each with a formula cache of its own that starts
    empty: the other build's formulas (the frozen questions are the drawn ones' first
    draws) must not make its first run a rebuild."""
    caches = {name: tempfile.mkdtemp(prefix="examgen-bench-cache-") for name in builds}
    times: dict[str, list[float]] = {name: [] for name in builds}
    typeset: dict[str, tuple[float, int]] = {}
    for _ in range(RUNS):
        for name, bank in builds.items():
            os.environ["XDG_CACHE_HOME"] = caches[name]
            cache_folder.cache_clear()
            TYPESET.value, TYPESET_COUNT.value = 0.0, 0
            start = time.perf_counter()
            build_exam(bank, mix, settings)
            times[name].append(time.perf_counter() - start)
            typeset.setdefault(name, (TYPESET.value, TYPESET_COUNT.value))
    return {name: (t[0], min(t[1:]), *typeset[name]) for name, t in times.items()}


MIXES = (12, 30)  # questions: 8 of 12 parametrised (the most), 8 of 30 (an exam's share)


def main() -> None:
    _timed_typesetting()
    bank = load_bank(ROOT / "bank")
    drawn = [q.id for q in bank.questions if q.template is not None]
    frozen = Bank(bank.path, tuple(replace(q, template=None) for q in bank.questions),
                  bank.digest)
    settings = BuildSettings(seed=7, sheet=True, copies=COPIES, draw="per-copy")
    for total in MIXES:
        mix = {"total": total, "require": drawn}
        runs = _runs({"drawn": bank, "frozen": frozen}, mix, settings)
        with_draws, without = runs["drawn"], runs["frozen"]
        print(f"{COPIES} copies, per-copy variants, {total} questions of which "
              f"{len(drawn)} parametrised")
        print(f"{'build':<34}{'first run':>10}{'per copy':>10}{'again':>8}{'per copy':>10}")
        for name, (first, again, _, _) in (("frozen (no parameters)", without),
                                           ("drawn per copy", with_draws)):
            print(f"{name:<34}{first:>9.2f}s{1000 * first / COPIES:>8.1f}ms{again:>7.2f}s"
                  f"{1000 * again / COPIES:>8.1f}ms")
        for when, k in (("first run", 0), ("again", 1)):
            ratio = with_draws[k] / without[k]
            print(f"ratio, {when}: {ratio:.2f} (target <= 1.2: "
                  f"{'met' if ratio <= 1.2 else 'NOT met'})")
        extra, formulas = with_draws[2] - without[2], with_draws[3] - without[3]
        cores = os.cpu_count() or 1
        print(f"ziamath typeset {formulas} more formulas in the drawn first run "
              f"({extra:.1f} s on all workers, {1000 * extra / max(formulas, 1):.0f} ms "
              f"each): its first run can be no faster than {1 + extra / cores / without[0]:.2f}"
              f" times the frozen one on {cores} cores\n")
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
