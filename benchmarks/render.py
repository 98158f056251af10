"""Wall time of whole processes, start-up included, for 40 single-choice questions with 5
options: one exam and its key, 30 variants with their keys, and 300 individually shuffled
copies with their keys and answer sheets.

Speed is judged as a ratio to the peers, side by side in one run, since this machine's
speed drifts from day to day: where auto-multiple-choice is installed (Debian:
auto-multiple-choice), the same 40 questions are prepared by it as subjects and corrected
sheets for 1, 30 and 300 copies. Targets (issue 20): examgen at least 1.5x, 4x and 3x as
fast, and a cost per copy that stays flat from 30 to 300. Also printed: the floor (Python
starting, and importing the libraries a build cannot do without), and the peak memory of
the largest process of each run.

Timed as a lecturer runs it: with compiled bytecode (an installed package has it; this
sandbox sets PYTHONDONTWRITEBYTECODE, which the runs here unset). Best of 5, and of 1 for
300 copies.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from canvas_floor import measure

import examgen

RUNS = 5
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def questions() -> list[dict[str, Any]]:
    return [{
        "id": f"q{n:02d}", "difficulty": ("easy", "medium", "hard")[n % 3],
        "knowledge": ("recall", "application")[n % 2], "type": "single",
        "text": f"Question {n}: which of these statements about model {n} is **correct**? "
                "Read every option carefully before you tick one box.",
        "options": [{"text": f"Statement {k} about model {n}, long enough to wrap onto a "
                             "second line in the printed exam.", "correct": k == n % 5}
                    for k in range(5)],
        "explanation": "Because of what the lecture said about it.",
    } for n in range(40)]


def write_bank(folder: Path) -> None:
    folder.mkdir()
    (folder / "bench.yaml").write_text(yaml.safe_dump({"topic": "Bench",
                                                      "questions": questions()}))


def write_amc(folder: Path, copies: int) -> Path:
    """The same questions in auto-multiple-choice's LaTeX, shuffled per copy."""
    elements = []
    for q in questions():
        text = str(q["text"]).replace("**correct**", r"\textbf{correct}")
        choices = "\n".join(
            f"    \\{'correct' if o['correct'] else 'wrong'}choice{{{o['text']}}}"
            for o in q["options"])
        elements.append(f"\\element{{bench}}{{\n  \\begin{{question}}{{{q['id']}}}\n"
                        f"    {text}\n    \\begin{{choices}}\n{choices}\n"
                        "    \\end{choices}\n  \\end{question}\n}")
    source = folder / "exam.tex"
    source.write_text("\\documentclass[a4paper]{article}\n\\usepackage[utf8]{inputenc}\n"
                      "\\usepackage[T1]{fontenc}\n\\usepackage[box,completemulti]"
                      "{automultiplechoice}\n\\begin{document}\n" + "\n".join(elements)
                      + f"\n\\onecopy{{{copies}}}{{\n\\noindent{{\\bf Bench exam}}\n"
                      "\\namefield{Name:}\n\\shufflegroup{bench}\n\\insertgroup{bench}\n"
                      "\\AMCcleardoublepage\n}\n\\end{document}\n")
    (folder / "data").mkdir()
    return source


PEAK: dict[str, float] = {}  # command line -> peak resident MB of its largest process


def best_of(command: list[str], cwd: Path | None = None, fresh: Path | None = None,
            runs: int = RUNS) -> float:
    """The fastest of ``runs`` runs; ``fresh`` is emptied of all but the source before
    each."""
    best = float("inf")
    for _ in range(runs):
        if fresh is not None:
            for path in fresh.iterdir():
                if path.is_dir():
                    shutil.rmtree(path)
                    path.mkdir()
                elif path.suffix != ".tex":
                    path.unlink()
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, cwd=cwd, env=ENV)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode})")
        best = min(best, seconds)
        key = " ".join(command)
        PEAK[key] = max(PEAK.get(key, 0), usage.ru_maxrss / 1024)
    return best


def amc(tmp: Path, copies: int, runs: int = RUNS) -> float | None:
    if shutil.which("auto-multiple-choice") is None:
        return None
    folder = tmp / f"amc-{copies}"
    folder.mkdir()
    source = write_amc(folder, copies)
    return best_of(["auto-multiple-choice", "prepare", "--mode", "s", "--prefix", ".",
                    "--n-copies", str(copies), "--data", "data", source.name,
                    "--out-sujet", "subject.pdf", "--out-corrige", "corrected.pdf",
                    "--out-calage", "layout.xy"], cwd=folder, fresh=folder, runs=runs)


def main() -> None:
    compileall.compile_dir(Path(examgen.__file__).parent, quiet=1)
    python, examgen_cmd = [sys.executable], [sys.executable, "-m", "examgen"]
    floor = "import click, yaml, jinja2, numpy, highspy, reportlab.platypus"
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bank = tmp / "bank"
        write_bank(bank)
        base = [*examgen_cmd, "build", "--bank", str(bank), "--total", "40", "--seed", "1",
                "-o", str(tmp / "out")]
        many = [*base, "--variants", "300", "--sheet"]
        imports = best_of([*python, "-c", floor])
        rows: list[tuple[str, float, float | None, int]] = [
            ("Python starting (python -c pass)", best_of([*python, "-c", "pass"]), None, 1),
            ("Python importing what a build needs", imports, None, 1),
            ("examgen --help", best_of([*examgen_cmd, "--help"]), None, 1),
            ("examgen check", best_of([*examgen_cmd, "check", "--bank", str(bank)]), None, 1),
            ("exam.json only (--no-pdf)", best_of([*base, "--no-pdf"]), None, 1),
            ("1 exam + key", best_of(base), amc(tmp, 1), 1),
            ("30 variants + 30 keys", best_of([*base, "--variants", "30"]), amc(tmp, 30), 30),
            ("300 copies + keys + answer sheets", best_of(many, runs=1), amc(tmp, 300, 1),
             300),
        ]
        peak = PEAK[" ".join(many)]
        documents = measure(bank)  # in this process, after the timed runs
    cores = os.cpu_count() or 1
    pair = documents["exam floor"] + documents["key floor"]
    print(f"{'40 single-choice questions':<36} {'examgen s':>9} {'per copy ms':>11} "
          f"{'AMC 1.6 s':>9} {'ratio':>6} {'floor s':>8} {'best ratio':>10}")
    for label, seconds, peer, copies in rows:
        other = "" if peer is None else f"{peer:.2f}"
        ratio = "" if peer is None else f"{peer / seconds:.1f}x"
        each = f"{seconds / copies * 1000:.0f}" if copies > 1 else ""
        least = imports + copies * pair / min(cores, copies * 2)
        bound = "" if peer is None else f"{least:>8.2f} {peer / least:>9.1f}x"
        print(f"{label:<36} {seconds:>9.2f} {each:>11} {other:>9} {ratio:>6} {bound}")
    print(f"peak memory of the 300-copy build's largest process: {peak:.0f} MB")
    print(f"floor: Python importing the libraries, plus each exam's and key's ink drawn "
          f"with bare reportlab canvas calls ({1000 * documents['exam floor']:.0f} + "
          f"{1000 * documents['key floor']:.0f} ms, examgen "
          f"{1000 * documents['exam']:.0f} + {1000 * documents['key']:.0f} ms; "
          f"benchmarks/canvas_floor.py) spread evenly on {cores} cores: no layout, no "
          "answer sheets, no merging. 'best ratio' is the most any reportlab program "
          "could reach here.")


if __name__ == "__main__":
    main()
