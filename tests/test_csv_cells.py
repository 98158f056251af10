"""Every CSV examgen writes is safe to open in a spreadsheet, and reads back as written."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from examgen.core.csv_cells import FORMULA_STARTS, csv_text, escape

TEXTS = st.one_of(st.text().filter(lambda t: "\r" not in t),
                  st.sampled_from(["=1+1", "-", "+49 170", "@SUM(A1)", "\t=x", "-0.25",
                                   "'=x", "''-", "-1+2", "1e5", "'abc"]))


def _read(text: str) -> list[list[str]]:
    from examgen.core.csv_cells import unescape

    return [[unescape(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]


@given(st.lists(st.lists(TEXTS, min_size=1, max_size=4), min_size=1, max_size=4))
def test_no_cell_starts_a_formula_and_every_cell_reads_back(rows):
    text = csv_text(rows)
    assert _read(text) == rows
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):  # only a plain number may
                float(cell)


def test_the_owasp_examples_are_escaped_and_numbers_are_not():
    assert [escape(c) for c in ["=HYPERLINK(\"x\")", "+1", "-A1", "@SUM(A1)", "\t1",
                                "\r1", "-0.5", "12", "plain"]] == [
        "'=HYPERLINK(\"x\")", "+1", "'-A1", "'@SUM(A1)", "'\t1", "'\r1", "-0.5", "12",
        "plain"]


def test_a_carriage_return_in_a_cell_becomes_a_line_feed():
    assert _read(csv_text([["a\rb", "\r"]])) == [["a\nb", "\n"]]
