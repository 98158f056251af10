"""Pages read back as a person sees them (pypdfium2): no page that holds only its
footer, footers that keep the title whole when there is room, numbers in the layout's
own decimal mark, points in the plural, and inline formulas a word space from the words
beside them (``pagecheck``)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from examgen.cli import main

from .pagecheck import formula_spacing


def _build(out: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["build", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output


def _pages(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


@pytest.mark.parametrize("args", [
    ("--total", "10", "--forms", "3", "--seed", "209854525"),  # form 3 ended on a blank page
    ("--total", "10", "--seed", "17"),
])
def test_no_page_holds_only_its_footer(tmp_path, args):
    _build(tmp_path / "out", *args)
    for pdf in sorted((tmp_path / "out").glob("*.pdf")):
        if pdf.name == "exam-all.pdf":
            continue  # the print-shop file: its blank backs are deliberate
        for number, text in enumerate(_pages(pdf), 1):
            lines = [line for line in text.splitlines() if line.strip()]
            assert len(lines) > 1, f"{pdf.name} page {number} holds only {lines}"


def test_a_long_title_is_not_cut_when_the_footer_has_room(tmp_path):
    title = "Maschinelles Lernen III · Abschlussklausur im Wintersemester"
    _build(tmp_path / "out", "--total", "4", "--seed", "4", "--layout", "de", "--title",
           title, "--course", "Informatik")
    for pdf in ("exam.pdf", "key.pdf"):
        for text in _pages(tmp_path / "out" / pdf):
            assert title in " ".join(text.split()), pdf


def test_numbers_use_the_layout_decimal_mark_and_points_their_plural(tmp_path):
    _build(tmp_path / "de", "--total", "12", "--seed", "4", "--layout", "de", "--sheet")
    sheets = " ".join(_pages(tmp_path / "de" / "sheets.pdf"))
    assert "0,5" in sheets and "0.5" not in sheets
    key = " ".join(_pages(tmp_path / "de" / "key.pdf"))
    assert "±" in key  # this exam has a numeric question: its value and tolerance
    assert not re.search(r"\d\.\d+ ±|± \d+\.\d", key), "a decimal point in the German key"
    _build(tmp_path / "en", "--total", "12", "--seed", "4")
    exam = " ".join(_pages(tmp_path / "en" / "exam.pdf")).split()
    for at, word in enumerate(exam[1:], 1):
        if word in ("pt.", "pts."):
            assert (word == "pt.") == (exam[at - 1] == "1"), exam[at - 1:at + 1]


def test_an_oversized_open_question_keeps_its_text_with_lines_and_labels_the_rest(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    lines = ["topic: Open", "questions:", "  - id: big", "    difficulty: easy",
             "    knowledge: recall", "    type: open", "    text: Explain it all.",
             "    answer_lines: 40"]
    for n in range(6):
        lines += [f"  - id: t{n}", "    difficulty: easy", "    knowledge: recall",
                  "    type: truefalse", f"    text: Statement {n} is long enough to take "
                  "a line or two of the page when it is printed.", "    answer: true"]
    (bank / "o.yaml").write_text("\n".join(lines) + "\n")
    for seed in range(1, 6):
        out = tmp_path / f"out{seed}"
        _build(out, "--bank", str(bank), "--total", "7", "--seed", str(seed))
        pages = [" ".join(text.split()) for text in _pages(out / "exam.pdf")]
        holder = next(i for i, text in enumerate(pages) if "Explain it all." in text)
        number = pages[holder].split(" Explain it all.")[0].split()[-1]  # "3."
        # 40 lines are more than a page: the rest goes on, named
        assert pages[holder + 1].startswith(f"{number} (continued)"), pages[holder + 1][:40]


SPACING = Path(__file__).parent / "banks" / "spacing"


@pytest.mark.parametrize("layout", ["default", "de"])
def test_inline_formulas_stand_a_word_space_from_words_and_close_to_punctuation(
        tmp_path, layout):
    """Issue 23: "maximisesV?" and the double space before "x̂" are gone. Every formula
    of a bank written for it (after words and brackets, before punctuation, wrapping,
    tall, in small type) is measured on the page, in the exams and keys of two
    variants."""
    out = tmp_path / "out"
    _build(out, "--bank", str(SPACING), "--total", "3", "--variants", "2", "--seed", "5",
           "--layout", layout)
    measured = 0
    for name in ("exam-A.pdf", "exam-B.pdf", "key-A.pdf", "key-B.pdf"):
        document = pdfium.PdfDocument(str(out / name))
        for number, page in enumerate(document, 1):
            assert formula_spacing(page) == [], f"{name} page {number}"
            measured += 1
        document.close()
    assert measured >= 4


def test_the_spacing_check_sees_a_space_lost_before_a_formula(tmp_path):
    """The check is not blind: where a bank writes no space, it reports one missing."""
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        "  - {id: glued, difficulty: easy, knowledge: recall, type: truefalse,"
        " text: 'Which discriminator maximises$V$? It is the optimal one.', answer: true}\n",
        encoding="utf-8")
    _build(tmp_path / "out", "--bank", str(bank), "--total", "1", "--seed", "1")
    document = pdfium.PdfDocument(str(tmp_path / "out" / "exam.pdf"))
    problems = [p for page in document for p in formula_spacing(page)]
    document.close()
    assert problems and problems[0].startswith("before 's'"), problems
