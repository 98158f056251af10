"""Item analysis time and memory (targets: 10,000 students x 100 questions in at most 2 s
and 300 MB for the whole command; 1,000 x 60 under 1 s).

    python benchmarks/analyze.py

Writes a bank of 60 single-choice questions, builds an exam of all of them, draws 1,000
students' answers from a logistic model and times ``examgen analyze``'s work: reading
responses.csv, the statistics, and the PDF report.

The whole command is timed as a lecturer runs it, like benchmarks/render.py: with compiled
bytecode (an installed package has it; this sandbox sets PYTHONDONTWRITEBYTECODE, which
the runs here unset), best of 3.
"""

from __future__ import annotations

import compileall
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from examgen.analyze.report_pdf import render_analysis  # noqa: E402
from examgen.analyze.responses import read_responses  # noqa: E402
from examgen.analyze.run_analysis import items_csv  # noqa: E402
from examgen.analyze.stats import analyse  # noqa: E402
from examgen.bank.loader import load_bank  # noqa: E402
from examgen.render.layout import load_layout  # noqa: E402
from examgen.select.manifest import exams_from_manifest, read_manifest  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
RUNS = 3


def main() -> None:
    compileall.compile_dir(ROOT / "examgen", quiet=1)
    print(f"{'students':>8} {'questions':>9} {'read s':>7} {'stats s':>8} {'csv s':>6} "
          f"{'pdf s':>6} {'whole command s':>16} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for students, items in ((300, 30), (1_000, 60), (5_000, 60), (10_000, 100)):
            folder = root / f"b{students}"
            (folder / "bank").mkdir(parents=True)
            lines = ["topic: Bench", "questions:"]
            for i in range(items):
                lines += [f"  - id: q{i:03d}", "    difficulty: medium", "    knowledge: recall",
                          "    type: single", f"    text: Question {i}?", "    options:",
                          "      - text: a\n        correct: true", "      - b", "      - c",
                          "      - d"]
            (folder / "bank" / "b.yaml").write_text("\n".join(lines) + "\n")
            subprocess.run([sys.executable, "-m", "examgen", "build", "--bank",
                            str(folder / "bank"), "--total", str(items), "--seed", "1",
                            "--no-pdf", "-o", str(folder / "out")], check=True,
                           stdout=subprocess.DEVNULL)
            rng = np.random.default_rng(1)
            ability, difficulty = rng.normal(0, 1, students), rng.normal(0, 1, items)
            knows = rng.random((students, items)) < 1 / (1 + np.exp(
                -1.7 * (ability[:, None] - difficulty[None, :])))
            with (folder / "responses.csv").open("w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["student", "question", "response", "points", "status"])
                for s in range(students):
                    for i in range(items):
                        letter = "a" if knows[s, i] else "bcd"[int(rng.integers(3))]
                        writer.writerow([s, f"q{i:03d}", letter, int(letter == "a"), "ok"])
            manifest = read_manifest(folder / "out" / "exam.json")
            exams = exams_from_manifest(manifest, load_bank(folder / "bank"))
            questions = {q.id: q for q in exams[0].questions}
            start = time.perf_counter()
            table = read_responses(folder / "responses.csv", manifest.question_ids, questions)
            read = time.perf_counter() - start
            start = time.perf_counter()
            analysis = analyse(table, questions, "bench", "2027-02-12")
            stats = time.perf_counter() - start
            start = time.perf_counter()
            items_csv(analysis)
            csv_s = time.perf_counter() - start
            start = time.perf_counter()
            render_analysis(analysis, load_layout("default"))
            pdf = time.perf_counter() - start
            whole = float("inf")
            for _ in range(RUNS):
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "examgen", "analyze",
                                str(folder / "responses.csv"), "--manifest",
                                str(folder / "out" / "exam.json"), "--bank",
                                str(folder / "bank"), "-o", str(folder / "analysis")],
                               check=True, stdout=subprocess.DEVNULL, env=ENV, cwd=ROOT)
                whole = min(whole, time.perf_counter() - start)
            # the largest child so far: the runs grow, so it is this one's
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{students:>8} {items:>9} {read:>7.3f} {stats:>8.3f} {csv_s:>6.3f} "
                  f"{pdf:>6.3f} {whole:>16.2f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
