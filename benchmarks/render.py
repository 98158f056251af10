"""Wall time of whole processes, start-up included, for 40 single-choice questions with 5
options: one exam and its key, and 30 variants with their keys.

Targets (issue 14): `examgen --help` and `examgen check` under 0.25 s, one exam + key
under 0.3 s, 30 variants with keys under 1 s. Also printed: the floor (Python starting,
and Python importing the libraries a build cannot do without), and, where
auto-multiple-choice is installed (Debian: auto-multiple-choice), the same 40 questions
prepared by it as subjects and corrected sheets for 1 and 30 copies, side by side in one
run, since this machine's speed drifts from day to day.

Timed as a lecturer runs it: with compiled bytecode (an installed package has it; this
sandbox sets PYTHONDONTWRITEBYTECODE, which the runs here unset). Best of 5. The last
rows run the same commands while `examgen serve` keeps examgen loaded.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

import examgen

RUNS = 5
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def questions() -> list[dict]:
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


@contextmanager
def served(folder: Path) -> Iterator[None]:
    """`examgen serve` on a socket in ``folder`` for the commands timed meanwhile."""
    socket_file = folder / "examgen.sock"
    ENV["EXAMGEN_SOCKET"] = str(socket_file)
    server = subprocess.Popen([sys.executable, "-m", "examgen", "serve"], env=ENV,
                              stdout=subprocess.DEVNULL)
    try:
        while not socket_file.exists():
            time.sleep(0.05)
        yield
    finally:
        server.terminate()
        server.wait()
        del ENV["EXAMGEN_SOCKET"]


def best_of(command: list[str], cwd: Path | None = None, fresh: Path | None = None) -> float:
    """The fastest of RUNS runs; ``fresh`` is emptied of all but the source before each."""
    best = float("inf")
    for _ in range(RUNS):
        if fresh is not None:
            for path in fresh.iterdir():
                if path.is_dir():
                    shutil.rmtree(path)
                    path.mkdir()
                elif path.suffix != ".tex":
                    path.unlink()
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd=cwd, env=ENV)
        best = min(best, time.perf_counter() - start)
    return best


def amc(tmp: Path, copies: int) -> float | None:
    if shutil.which("auto-multiple-choice") is None:
        return None
    folder = tmp / f"amc-{copies}"
    folder.mkdir()
    source = write_amc(folder, copies)
    return best_of(["auto-multiple-choice", "prepare", "--mode", "s", "--prefix", ".",
                    "--data", "data", source.name, "--out-sujet", "subject.pdf",
                    "--out-corrige", "corrected.pdf", "--out-calage", "layout.xy"],
                   cwd=folder, fresh=folder)


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
        rows = [
            ("Python starting (python -c pass)", best_of([*python, "-c", "pass"]), None),
            ("Python importing what a build needs", best_of([*python, "-c", floor]), None),
            ("examgen --help", best_of([*examgen_cmd, "--help"]), None),
            ("examgen check", best_of([*examgen_cmd, "check", "--bank", str(bank)]), None),
            ("exam.json only (--no-pdf)", best_of([*base, "--no-pdf"]), None),
            ("1 exam + key", best_of(base), amc(tmp, 1)),
            ("30 variants + 30 keys", best_of([*base, "--variants", "30"]), amc(tmp, 30)),
        ]
        with served(tmp):
            rows += [("examgen check, served", best_of([*examgen_cmd, "check", "--bank",
                                                        str(bank)]), None),
                     ("1 exam + key, served", best_of(base), None),
                     ("30 variants + 30 keys, served", best_of([*base, "--variants", "30"]),
                      None)]
    print(f"{'40 single-choice questions':<38} {'examgen s':>9} {'auto-multiple-choice s':>23}")
    for label, seconds, peer in rows:
        other = "" if peer is None else f"{peer:.2f}"
        print(f"{label:<38} {seconds:>9.2f} {other:>23}")


if __name__ == "__main__":
    main()
