"""Kahoot's quiz spreadsheet (issue 26): read back with openpyxl and compared with the
bank's YAML question by question; every question left out is named with its reason."""

from __future__ import annotations

import re

from click.testing import CliRunner
from openpyxl import load_workbook

from examgen.bank.loader import load_bank
from examgen.cli import main

from .conftest import ROOT, first_draws
from .oracle import fold, plain, read_bank

BANK = ROOT / "bank"


def _export(tmp_path, *args: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "kahoot.xlsx"
    result = CliRunner().invoke(main, ["export", "kahoot", *args, "-o", str(out)])
    assert "Traceback" not in result.output
    return result, out


def _rows(path) -> list[tuple]:  # type: ignore[no-untyped-def]
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[8]][:2] == ["#", "Question - max 120 characters"]
    return [row for row in sheet.iter_rows(min_row=9, values_only=True) if row[1]]


def test_every_question_is_in_the_sheet_as_the_yaml_says_or_named_as_left_out(tmp_path):
    result, out = _export(tmp_path, "--bank", str(BANK), "--time-limit", "30")
    assert result.exit_code == 0, result.output
    expected = read_bank(BANK, first_draws(load_bank(BANK)))
    rows = _rows(out)
    left_out = dict(re.findall(r"Left out: ([\w.-]+): (.+)", result.output))
    by_text = {fold(plain(e.text)): e for e in expected.values()}
    seen = set()
    for number, (index, question, *answers, seconds, correct) in enumerate(rows, 1):
        assert index == number and len(question) <= 120 and seconds == 30
        e = by_text[question]
        seen.add(e.id)
        given = [a for a in answers if a is not None]
        assert all(len(a) <= 75 for a in given)
        if e.type == "truefalse":
            assert given == ["True", "False"]
            assert correct == ("1" if e.answer else "2")
        else:
            assert e.type in ("single", "multiple") and len(e.options) <= 4
            assert given == [fold(plain(t)) for t, _ in e.options]
            assert correct == ",".join(str(n) for n, (_, right) in enumerate(e.options, 1)
                                       if right)
    assert seen | set(left_out) == set(expected) and not seen & set(left_out)
    reasons = list(left_out.values())
    assert any("type open" in why for why in reasons)
    assert any("formula" in why for why in reasons)
    assert any("Kahoot allows 120" in why for why in reasons)
    assert "type numeric" in left_out["yolo-output-size"]


def test_a_questions_own_minutes_set_its_time_limit(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        "  - {id: a, difficulty: easy, knowledge: recall, type: truefalse, text: Yes?,"
        " answer: true, minutes: 0.75}\n"
        "  - {id: b, difficulty: easy, knowledge: recall, type: single, text: Which?,"
        " options: [{text: x, correct: true}, y, z, w, v]}\n"
        "  - {id: c, difficulty: easy, knowledge: recall, type: single, text: '=1+1',"
        " options: [{text: '=SUM(A1)', correct: true}, two]}\n", encoding="utf-8")
    result, out = _export(tmp_path, "--bank", str(bank))
    assert result.exit_code == 0, result.output
    row, formula = _rows(out)
    assert row[1] == "Yes?" and row[6] == 60  # 45 s, as the next time Kahoot offers
    assert formula[1:3] == ("=1+1", "=SUM(A1)")  # texts, not formulas
    cells = load_workbook(out).active
    assert cells.cell(10, 2).data_type == "s" and cells.cell(10, 3).data_type == "s"
    assert "Left out: b: 5 options; Kahoot allows 4" in result.output
