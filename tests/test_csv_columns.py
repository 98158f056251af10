"""The fast column reader gives what the csv module gives, whatever the file looks like."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from examgen.analyze.csv_columns import read_columns
from examgen.core.errors import InputError

ROWS = [["student", "question", "response", "points"]] + [
    [f"s{s:04d}" if s % 7 else f"a much longer student name {s}", f"q{q}", "abcd"[(s + q) % 4],
     str((s * q) % 2)] for s in range(300) for q in range(12)]


def _as_rows(columns, names):
    codes = [columns.columns[n].codes for n in names]
    values = [columns.columns[n].values for n in names]
    return [[v[c[i]] for v, c in zip(values, codes, strict=True)]
            for i in range(len(columns.lines))]


@pytest.mark.parametrize("newline, quote", [("\n", False), ("\r\n", False), ("\n", True)])
def test_every_path_reads_the_same_cells_and_lines(tmp_path, newline, quote):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=newline,
                        quoting=csv.QUOTE_ALL if quote else csv.QUOTE_MINIMAL)
    writer.writerows(ROWS)
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode())
    read = read_columns(path, {"student", "question", "response", "points"})
    assert _as_rows(read, ["student", "question", "response", "points"]) == ROWS[1:]
    assert np.array_equal(read.lines, np.arange(2, len(ROWS) + 1))


def test_blank_lines_keep_the_line_numbers(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("student,question\na,q1\n\nb,q2\n")
    read = read_columns(path, {"student", "question"})
    assert list(read.lines) == [2, 4]
    assert _as_rows(read, ["student", "question"]) == [["a", "q1"], ["b", "q2"]]


def test_a_cell_that_is_no_utf8_is_refused_at_its_line(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"student,question\na,q1\nb\xff,q2\n")
    with pytest.raises(InputError, match=r"r\.csv:3: not UTF-8"):
        read_columns(path, {"student", "question"})
