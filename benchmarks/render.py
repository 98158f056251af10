"""Wall time of the whole ``examgen build`` process, start-up included, for 40 single-choice
questions with 5 options: one exam and its key, and 30 variants with their keys.

Targets (issue 14): `examgen --help` and `examgen check` under 0.25 s, one exam + key
under 0.3 s, 30 variants with keys under 1 s. The peers, measured side by side for the
same 40 questions (issue 14): auto-multiple-choice 1.6.0 0.68 s and 4.64 s, R/exams 2.4-2
2.15 s and 59.9 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml


def write_bank(folder: Path) -> None:
    questions = [{
        "id": f"q{n:02d}", "difficulty": ("easy", "medium", "hard")[n % 3],
        "knowledge": ("recall", "application")[n % 2], "type": "single",
        "text": f"Question {n}: which of these statements about model {n} is **correct**? "
                "Read every option carefully before you tick one box.",
        "options": [{"text": f"Statement {k} about model {n}, long enough to wrap onto a "
                             "second line in the printed exam.", "correct": k == n % 5}
                    for k in range(5)],
        "explanation": "Because of what the lecture said about it.",
    } for n in range(40)]
    folder.mkdir()
    (folder / "bench.yaml").write_text(yaml.safe_dump({"topic": "Bench",
                                                      "questions": questions}))


def best_of(command: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    examgen = [sys.executable, "-m", "examgen"]
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "bank"
        write_bank(bank)
        base = [*examgen, "build", "--bank", str(bank), "--total", "40", "--seed", "1",
                "-o", str(Path(tmp) / "out")]
        rows = [("start-up only (examgen --help)", best_of([*examgen, "--help"])),
                ("examgen check", best_of([*examgen, "check", "--bank", str(bank)])),
                ("exam.json only (--no-pdf)", best_of([*base, "--no-pdf"])),
                ("1 exam + key", best_of(base)),
                ("30 variants + 30 keys", best_of([*base, "--variants", "30"]))]
    print(f"{'examgen build, 40 questions':<34} {'wall s':>7}")
    for name, seconds in rows:
        print(f"{name:<34} {seconds:>7.2f}")


if __name__ == "__main__":
    main()
