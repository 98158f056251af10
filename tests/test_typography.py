"""Pages read back as a person sees them (pypdfium2): no page that holds only its
footer, footers that keep the title whole when there is room, numbers in the layout's
own decimal mark, and points in the plural."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from examgen.cli import main


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
