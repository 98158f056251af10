"""Quiz slides (issue 26): 16:9 pages, a question and an answer slide per question, the
matrix in the layout's words, the correct options marked as the YAML says (read from the
PDF's text objects and their colours), single-slide files and PNGs."""

from __future__ import annotations

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from click.testing import CliRunner

from examgen.cli import main

from .conftest import ROOT
from .oracle import fold, labels, printed, read_bank

BANK = ROOT / "bank"
GREY = (158, 158, 158)


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _texts(page: pdfium.PdfPage) -> list[tuple[str, tuple[int, int, int]]]:
    """Every text object of a page with its fill colour, in drawing order."""
    textpage = page.get_textpage()
    out = []
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_TEXT,)):
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
        size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
        buffer = ctypes.create_string_buffer(size * 2)
        raw.FPDFTextObj_GetText(obj.raw, textpage.raw,
                                ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
        out.append((buffer.raw.decode("utf-16-le").rstrip("\x00"), (r.value, g.value, b.value)))
    return out


@pytest.mark.parametrize("layout", ["default", "de"])
def test_each_question_gets_a_slide_and_an_answer_slide_marked_as_the_yaml_says(
        tmp_path, layout):
    out = tmp_path / "quiz.pdf"
    code, output = _run("slides", "--bank", BANK, "--topic", "GAN=4", "--type", "single=4",
                        "--total", "4", "--seed", "9", "--layout", layout, "--title-slide",
                        "--summary", "--title", "Quiz", "-o", out)
    assert code == 0, output
    assert "4 questions, 10 slides" in output
    names = labels(layout)
    expected = read_bank(BANK)
    doc = pdfium.PdfDocument(out)
    assert len(doc) == 10
    assert all(doc[n].get_size() == (960, 540) for n in range(len(doc)))  # 16:9
    for n in range(1, 9, 2):
        question, answer = doc[n], doc[n + 1]
        asked = fold(question.get_textpage().get_text_range())
        shown = fold(answer.get_textpage().get_text_range())
        e = next(e for e in expected.values() if printed(e.text)[:40] in asked)
        assert e.type == "single" and e.topic.startswith("Generative")
        assert names["matrix_difficulty"] in asked and names[e.difficulty] in asked
        assert f"{names['slide_answer']}" in shown and names["slide_answer"] not in asked
        # on the answer slide the correct option is black and the others grey
        objects = _texts(answer)
        for text, right in e.options:
            colour = next(c for t, c in objects if len(fold(t)) > 1  # not a letter box
                          and fold(t) in printed(text))
            assert (colour != GREY) == right, (e.id, text)
        letters = [t.strip() for t, _ in _texts(question) if t.strip() in "ABCD" and t.strip()]
        assert letters == ["A", "B", "C", "D"], e.id
    summary = fold(doc[9].get_textpage().get_text_range())
    assert names["slide_summary"] in summary and "(4)" in summary


def test_single_slides_and_images_to_paste_into_a_deck(tmp_path):
    folder = tmp_path / "slides"
    code, output = _run("slides", "--bank", BANK, "--total", "2", "--seed", "1",
                        "--no-reveal", "--one-per-file", "--png", "40", "-o", folder)
    assert code == 0, output
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert pdfs == ["slide-01.pdf", "slide-02.pdf"]
    assert all(len(pdfium.PdfDocument(folder / name)) == 1 for name in pdfs)
    from PIL import Image

    with Image.open(folder / "slide-01.png") as image:
        width, height = image.size  # 960 x 540 pt at 40 dpi
        assert abs(width - 533) <= 1 and abs(height - 300) <= 1


def test_a_parametrised_question_shows_one_draw_and_its_solution(tmp_path):
    out = tmp_path / "q.pdf"
    code, output = _run("slides", "--bank", BANK, "--total", "1", "--require", "yolo-iou",
                        "--seed", "2", "-o", out)
    assert code == 0, output
    doc = pdfium.PdfDocument(out)
    asked = fold(doc[0].get_textpage().get_text_range())
    shown = fold(doc[1].get_textpage().get_text_range())
    assert "{{" not in asked and "px²" in asked
    assert "Value:" in shown and "±" in shown


def test_bad_requests_get_the_builds_errors(tmp_path):
    code, output = _run("slides", "--bank", BANK, "--total", "2", "--topic", "Nope=2", "-o",
                        tmp_path / "x.pdf")
    assert code == 2 and "Nope" in output
    code, output = _run("slides", "--bank", BANK, "--hard", "60", "-o", tmp_path / "x.pdf")
    assert code == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_long_deck_drawn_in_two_halves_reads_as_one(tmp_path):
    """From 12 questions on the slides are drawn in two halves and joined: the numbers run
    on, every question has its slide and its answer slide right after it, the summary
    counts all of them, and the file keeps its title."""
    out = tmp_path / "quiz.pdf"
    code, output = _run("slides", "--bank", BANK, "--total", "14", "--seed", "3",
                        "--title-slide", "--summary", "--title", "Wöchentliches Quiz",
                        "-o", out)
    assert code == 0, output
    doc = pdfium.PdfDocument(out)
    assert len(doc) == 1 + 2 * 14 + 1
    assert doc.get_metadata_dict()["Title"] == "Wöchentliches Quiz"
    pages = [doc[n].get_textpage().get_text_range() for n in range(len(doc))]
    for n, text in enumerate(pages, 1):
        assert str(n) in text.split(), (n, text[-80:])  # the slide number, bottom right
    expected = read_bank(BANK)
    seen = []
    for n in range(1, 29, 2):
        asked, shown = fold(pages[n]), fold(pages[n + 1])
        e = next(e for e in expected.values() if printed(e.text)[:40] in asked)
        assert printed(e.text)[:40] in shown  # its answer slide follows
        seen.append(e.id)
    assert len(set(seen)) == 14
    counts = [int(c) for c in re.findall(r"\((\d+)\)", pages[-1])]
    assert sum(counts) == 14
    again = tmp_path / "again.pdf"  # joined by PDFium, and still the same bytes each time
    assert _run("slides", "--bank", BANK, "--total", "14", "--seed", "3", "--title-slide",
                "--summary", "--title", "Wöchentliches Quiz", "-o", again)[0] == 0
    assert again.read_bytes() == out.read_bytes()
