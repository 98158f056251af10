"""How often item-analysis flags are right: clean questions flagged (false alarms) and
planted faults found, on classes simulated under a three-parameter logistic model.

    python benchmarks/analyze_flags.py

Each class answers 350 clean single-choice questions (4 options; difficulty normal,
slope 1 to 2, a guesser's pick among the options mildly unequal) plus planted faults: miskeyed
questions (the key is a wrong answer), questions that do not discriminate, and an
impossible question nobody gets right. The band notes (facility outside the tagged band)
are left out of the false alarms: they are notes, not faults.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from examgen.analyze.responses import Responses  # noqa: E402
from examgen.analyze.stats import analyse  # noqa: E402
from examgen.core.model import Difficulty, Knowledge, Option, SingleChoice  # noqa: E402

CLEAN, MISKEYED, FLAT = 350, 10, 10


def simulate(students: int, seed: int) -> tuple[Responses, dict[str, SingleChoice]]:
    rng = np.random.default_rng(seed)
    k = CLEAN + MISKEYED + FLAT + 1
    ability = rng.normal(0, 1, students)
    difficulty = rng.normal(0, 1.0, k)
    slope = rng.uniform(1.0, 2.0, k)
    slope[CLEAN + MISKEYED:CLEAN + MISKEYED + FLAT] = 0.0
    difficulty[-1] = 9.0  # nobody knows it; guessers avoid the key (a wrong key)
    knows = rng.random((students, k)) < 1 / (1 + np.exp(-1.7 * slope * (
        ability[:, None] - difficulty[None, :])))
    appeal = rng.dirichlet(np.ones(4) * 8, size=k)  # how a guesser picks among options
    appeal[-1] = [0.0, 0.1, 0.8, 0.1]
    guess = np.array([rng.choice(4, size=students, p=appeal[j]) for j in range(k)]).T
    truth = np.where(knows, 0, guess)  # option 0 is right
    ids, questions = [], {}
    choices = np.zeros((students, k), dtype=np.int64)
    scores = np.zeros((students, k))
    for j in range(k):
        qid = f"q{j:03d}"
        key = 1 if CLEAN <= j < CLEAN + MISKEYED else 0  # the bank marks b right
        questions[qid] = SingleChoice(
            id=qid, topic="T", difficulty=Difficulty.MEDIUM, knowledge=Knowledge.RECALL,
            text="?", options=tuple(Option(str(o), o == key) for o in range(4)),
            file="b.yaml", line=j + 1)
        ids.append(qid)
        choices[:, j] = 1 << truth[:, j]
        scores[:, j] = truth[:, j] == key
    return Responses("sim", tuple(map(str, range(students))), tuple(ids), scores,
                     np.ones(scores.shape, bool), choices, ("",) * students), questions


def main() -> None:
    print(f"{'students':>8} {'clean flagged':>14} {'of which miskeyed':>18} "
          f"{'miskeys found':>14} {'flat found':>11} {'impossible found':>17}")
    alarms: dict[tuple[int, str], float] = {}
    for students in (30, 50, 120, 300, 1000):
        clean = wrong_miskey = found = flat = impossible = 0
        runs = 3
        for seed in range(runs):
            responses, questions = simulate(students, seed)
            analysis = analyse(responses, questions, "sim", "2027-02-12")
            kinds: dict[int, set[str]] = {}
            for f in analysis.flags:
                if f.severity < 5:
                    kinds.setdefault(int(f.question[1:]), set()).add(f.kind)
            clean += sum(1 for j in kinds if j < CLEAN)
            for j, k in kinds.items():
                if j < CLEAN:
                    for kind in k:
                        alarms[students, kind] = alarms.get((students, kind), 0) + 1 / runs
            wrong_miskey += sum(1 for j, k in kinds.items() if j < CLEAN and "miskeyed" in k)
            found += sum(1 for j, k in kinds.items()
                         if CLEAN <= j < CLEAN + MISKEYED and "miskeyed" in k)
            flat += sum(1 for j in kinds if CLEAN + MISKEYED <= j < CLEAN + MISKEYED + FLAT)
            impossible += CLEAN + MISKEYED + FLAT in kinds
        print(f"{students:>8} {clean / runs:>10.1f}/{CLEAN} {wrong_miskey / runs:>18.1f} "
              f"{found / runs:>11.1f}/{MISKEYED} {flat / runs:>8.1f}/{FLAT} "
              f"{impossible / runs:>15.1f}/1")
    print("false alarms by kind:", ", ".join(f"{n} students {kind} {count:.1f}"
                                             for (n, kind), count in alarms.items()))


if __name__ == "__main__":
    main()
