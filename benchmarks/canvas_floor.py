"""The least any reportlab program pays for examgen's pages: every text run and line of an
exam and its key, read back from examgen's own PDFs, drawn again with bare canvas calls
(one text object a page, each run at its place in its font and size; a rectangle for each
path), with no layout at all: no paragraphs, no line breaking, no frames.

What is left is what reportlab itself charges for writing the same ink: encoding text for
the font subsets, formatting the content streams, subsetting and compressing. Printed
beside it, in the same process: examgen's own rendering of the same documents, and the
exam's questions and options as plain reportlab Paragraphs in a SimpleDocTemplate (no
labels, boxes, header or footer; parsing timed apart and taken off), which is what
reportlab's own layout costs for this text. ``render.py`` turns the floor into the most
any reportlab program could reach against auto-multiple-choice (issue 20's targets).
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate  # noqa: E402

from examgen.api import BuildSettings, build_exam  # noqa: E402
from examgen.bank.loader import load_bank  # noqa: E402
from examgen.core.header import ExamHeader  # noqa: E402
from examgen.render.fonts import register_fonts  # noqa: E402
from examgen.render.layout import load_layout  # noqa: E402

RUNS = 10


@dataclass(frozen=True)
class Run:
    """A text run as the PDF holds it: where it starts, in which face and size."""

    x: float
    y: float
    face: str
    size: float
    text: str


@dataclass(frozen=True)
class PageInk:
    width: float
    height: float
    runs: tuple[Run, ...]
    boxes: tuple[tuple[float, float, float, float], ...]


def read_ink(pdf: bytes) -> list[PageInk]:
    """Every page's text runs and paths, forms' contents included."""
    sans, mono = register_fonts()
    faces = {"DejaVuSans": sans, "DejaVuSans-Bold": f"{sans}-10",
             "DejaVuSansMono": mono, "DejaVuSansMono-Bold": f"{mono}-10"}
    pages = []
    document = pdfium.PdfDocument(pdf)
    for page in document:
        textpage = page.get_textpage()
        runs: list[Run] = []
        boxes: list[tuple[float, float, float, float]] = []
        for item in page.get_objects(max_depth=4):
            if item.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                item.textpage = textpage
                name = item.get_font().get_base_name().split("+")[-1]
                left, bottom, _, _ = item.get_bounds()
                runs.append(Run(left, bottom, faces.get(name, sans), item.get_font_size(),
                                item.extract()))
            elif item.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                boxes.append(item.get_bounds())
        width, height = page.get_size()
        pages.append(PageInk(width, height, tuple(runs), tuple(boxes)))
    return pages


def draw_ink(pages: list[PageInk]) -> bytes:
    """The same ink with bare canvas calls: the floor of drawing these pages."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(pages[0].width, pages[0].height))
    for page in pages:
        canvas.setPageSize((page.width, page.height))
        text = canvas.beginText()  # one text object a page: the fewest operators
        face = None
        for run in page.runs:
            if (run.face, run.size) != face:
                face = run.face, run.size
                text.setFont(*face)
            text.setTextOrigin(run.x, run.y)
            text.textOut(run.text)
        canvas.drawText(text)
        for left, bottom, right, top in page.boxes:
            canvas.rect(left, bottom, right - left, top - bottom)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def plain_paragraphs(texts: list[str]) -> list[Flowable]:
    sans, _ = register_fonts()
    style = ParagraphStyle("body", fontName=sans, fontSize=10.5, leading=14)
    return [Paragraph(text, style) for text in texts]


def laid_out(texts: list[str]) -> bytes:
    """The texts laid out and drawn by reportlab's own paragraphs and frames."""
    out = io.BytesIO()
    SimpleDocTemplate(out).build(plain_paragraphs(texts))  # a paragraph serves one build
    return out.getvalue()


def best(action, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(bank_folder: Path) -> dict[str, float]:
    """Seconds per document, examgen's and the floor's, for variant A's exam and key,
    each best of ``RUNS`` in this process (examgen's paragraphs already cached, as in a
    worker after its first variant)."""
    from examgen.render.pdf import render_exam, render_key

    bank = load_bank(bank_folder)
    texts = [text.replace("**", "") for q in bank.questions
             for text in (q.text, *(o.text for o in getattr(q, "options", ())))]
    result = build_exam(bank, {"total": 40}, BuildSettings(seed=1))
    pdfs = [result.files[name] for name in ("exam.pdf", "key.pdf")]
    exam, key = (read_ink(pdf) for pdf in pdfs if isinstance(pdf, bytes))
    built = result.exams[0]
    variant = built.variants[0]
    header = ExamHeader.from_json(json.loads(str(result.files["exam.json"]))["header"])
    layout, paper = load_layout(header.layout, header.paper), header.paper
    return {
        "exam": best(lambda: render_exam(built, variant, layout, header, paper)),
        "key": best(lambda: render_key(built, variant, layout, header, paper)),
        "exam floor": best(lambda: draw_ink(exam)),
        "key floor": best(lambda: draw_ink(key)),
        "paragraphs": best(lambda: laid_out(texts)) - best(lambda: plain_paragraphs(texts)),
        "runs": sum(len(p.runs) for p in exam + key),
    }


def main() -> None:
    from render import write_bank  # benchmarks/render.py's 40 questions

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "bank"
        write_bank(folder)
        seconds = measure(folder)
    print(f"40 single-choice questions, variant A, best of {RUNS}, one process "
          f"({int(seconds['runs'])} text runs in exam and key)")
    print(f"{'document':<10}{'examgen ms':>12}{'floor ms':>10}{'floor share':>13}")
    for kind in ("exam", "key"):
        ours, floor = seconds[kind], seconds[f"{kind} floor"]
        print(f"{kind:<10}{1000 * ours:>12.1f}{1000 * floor:>10.1f}{floor / ours:>12.0%}")
    print(f"the exam's questions and options as plain reportlab Paragraphs, laid out and "
          f"drawn: {1000 * seconds['paragraphs']:.1f} ms "
          f"({seconds['paragraphs'] / seconds['exam floor']:.1f} times the exam's floor)")
    cores = os.cpu_count() or 1
    pair = seconds["exam floor"] + seconds["key floor"]
    print(f"\nfloor of a build on {cores} cores, start-up aside: "
          f"30 variants {30 * pair / cores:.2f} s, 300 copies {300 * pair / cores:.1f} s")


if __name__ == "__main__":
    main()
