"""Solve times of the 0-1 selection for large generated banks.

Mix: 40 questions with all six cells, 7 topic minimums, a points total and 200 enemy
groups; then 5 disjoint forms of it. Targets: 10,000 questions < 1 s, 100,000 < 10 s,
5 forms from 10,000 < 10 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bankgen import make_bank  # noqa: E402

from examgen.select.capacity import capacity  # noqa: E402
from examgen.select.mix import Mix, resolve  # noqa: E402
from examgen.select.solver import select  # noqa: E402

MIX = {
    "cells": {"easy/recall": 8, "easy/application": 6, "medium/recall": 8,
              "medium/application": 6, "hard/recall": 6, "hard/application": 6},
    "topics": {f"Topic {t}": 4 for t in range(1, 8)},
    "points": "70",
}


def timed(bank, forms: int, seed: int = 1) -> tuple[float, int]:
    mix = resolve(Mix.from_mapping(dict(MIX), str), bank)
    start = time.perf_counter()
    picked = select(bank, mix, seed, forms=forms)
    elapsed = time.perf_counter() - start
    assert all(len(p) == 40 for p in picked)
    assert all(sum(q.points for q in p) == 70 for p in picked)
    ids = [q.id for p in picked for q in p]
    assert len(ids) == len(set(ids))
    return elapsed, len(picked)


def main() -> None:
    print(f"{'questions':>10} {'forms':>6} {'solve s':>8}")
    for count, forms in ((1_000, 1), (10_000, 1), (100_000, 1), (10_000, 5)):
        bank = make_bank(count)
        elapsed, _ = timed(bank, forms)
        print(f"{count:>10} {forms:>6} {elapsed:>8.3f}", flush=True)
    print(f"\n{'questions':>10} {'capacity':>9} {'bound':>6} {'s':>7}  (target: 10,000 < 10 s)")
    for count in (1_000, 10_000):
        bank = make_bank(count)
        mix = resolve(Mix.from_mapping(dict(MIX), str), bank)
        start = time.perf_counter()
        result = capacity(bank, mix)
        elapsed = time.perf_counter() - start
        print(f"{count:>10} {result.exams:>9} {result.bound:>6} {elapsed:>7.2f}", flush=True)


if __name__ == "__main__":
    main()
