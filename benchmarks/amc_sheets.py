"""auto-multiple-choice's side of benchmarks/grade.py: the same kind of answer sheets,
marked and scanned by the same simulator, read by AMC's ``analyse``.

AMC prints its own sheets: 24 single-choice questions of 5 options and an 8-digit student
number grid on a separate answer sheet (AMC's ``separateanswersheet``), one per copy. The
boxes come from AMC's own layout (``meptex`` -> layout.sqlite, pixels at 300 dpi, the
simulator's resolution); each copy's sheet is rendered, a cross drawn in one box per
question and per digit of the number grid, and the page distorted like a scanner's
(tests/scansim.py: the same marks and distortions examgen's sheets get). Then
``auto-multiple-choice analyse`` reads every page on two processes, timed as a whole
process, and the pages it recognised are counted from its capture database.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import numpy as np

from tests.scansim import SCANNER, _mark, distort, encode, render

QUESTIONS, OPTIONS, DIGITS = 24, 5, 8


def available() -> bool:
    return shutil.which("auto-multiple-choice") is not None


def _source(copies: int) -> str:
    questions = "\n".join(
        f"\\element{{bench}}{{\\begin{{question}}{{q{n:02d}}}Question {n}: which statement "
        f"about model {n} holds?\\begin{{choices}}"
        + "".join(f"\\{'correct' if k == n % OPTIONS else 'wrong'}choice{{Statement {k}}}"
                  for k in range(OPTIONS))
        + "\\end{choices}\\end{question}}" for n in range(QUESTIONS))
    return ("\\documentclass[a4paper]{article}\n\\usepackage[utf8]{inputenc}\n"
            "\\usepackage[T1]{fontenc}\n"
            "\\usepackage[box,completemulti,separateanswersheet]{automultiplechoice}\n"
            "\\begin{document}\n" + questions + f"\n\\onecopy{{{copies}}}{{\n"
            "\\noindent{\\bf Bench exam}\n\\insertgroup{bench}\n\\AMCcleardoublepage\n"
            "\\AMCformBegin\n"
            f"\\AMCcodeGridInt{{student}}{{{DIGITS}}}\n"
            "\\namefield{Name:}\n\\AMCform\n}\n\\end{document}\n")


def prepare(folder: Path, copies: int) -> Path:
    """AMC's project for ``copies`` copies: its subject PDF and its layout database."""
    folder.mkdir(parents=True)
    (folder / "exam.tex").write_text(_source(copies), encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "cr").mkdir()
    subprocess.run(["auto-multiple-choice", "prepare", "--mode", "s", "--prefix", ".",
                    "--n-copies", str(copies), "--data", "data", "exam.tex",
                    "--out-sujet", "subject.pdf", "--out-corrige", "corrected.pdf",
                    "--out-calage", "layout.xy"], cwd=folder, check=True,
                   capture_output=True)
    subprocess.run(["auto-multiple-choice", "meptex", "--src", "layout.xy", "--data", "data"],
                   cwd=folder, check=True, capture_output=True)
    return folder


def scan(folder: Path, seed: int) -> list[Path]:
    """Every copy's answer sheet, marked and scanned: the image files, one per sheet."""
    layout = sqlite3.connect(folder / "data" / "layout.sqlite")
    boxes: dict[tuple[int, int], list[tuple[int, int, float, float, float, float]]] = {}
    for student, page, question, answer, x0, x1, y0, y1 in layout.execute(
            "SELECT student, page, question, answer, xmin, xmax, ymin, ymax FROM layout_box "
            "WHERE role = 1"):
        boxes.setdefault((student, page), []).append((question, answer, x0, x1, y0, y1))
    subject = {(s, p): sp for s, p, sp, dpi in layout.execute(
        "SELECT student, page, subjectpage, dpi FROM layout_page") if dpi == 300}
    pages = render(folder / "subject.pdf")
    rng = np.random.default_rng(seed)
    out = folder / "scans"
    out.mkdir()
    files = []
    for key in sorted(boxes):
        image = pages[subject[key] - 1].copy()
        by_question: dict[int, list[tuple[float, float, float, float]]] = {}
        for question, _, x0, x1, y0, y1 in boxes.get(key, []):
            by_question.setdefault(question, []).append((x0, x1, y0, y1))
        for choices in by_question.values():  # a question, or a digit of the number
            _cross(image, choices[int(rng.integers(len(choices)))], rng)
        scanned, _ = distort(image, SCANNER, rng)
        data, suffix = encode(scanned, SCANNER)
        path = out / f"copy-{key[0]:04d}-p{key[1]}{suffix}"
        path.write_bytes(data)
        files.append(path)
    return files


def _cross(image: np.ndarray, box: tuple[float, float, float, float],
           rng: np.random.Generator) -> None:
    x0, x1, y0, y1 = box
    _mark(image, "cross", x0, y0, min(x1 - x0, y1 - y0), rng)


def analyse(folder: Path, files: list[Path]) -> tuple[float, int]:
    """AMC's analyse of ``files`` on two processes: seconds, and the pages it recognised."""
    listing = folder / "scans.txt"
    listing.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(["auto-multiple-choice", "analyse", "--projet", str(folder), "--data",
                    str(folder / "data"), "--cr", str(folder / "cr"), "--n-procs", "2",
                    "--liste-fichiers", str(listing)], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    capture = sqlite3.connect(folder / "data" / "capture.sqlite")
    read = capture.execute("SELECT COUNT(*) FROM capture_page").fetchone()[0]
    return seconds, int(read)
