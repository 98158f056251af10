"""Particify's CSV and PINGO's Moodle XML (issue 26), read back as those tools read them
and compared with the bank's YAML question by question.

The readers here follow the tools' own importers, not examgen: Particify's
``ContentExport.toContent`` (options one per line, correct options found by their text,
a numeric range split at any minus sign, an answer at "±") and PINGO's
``MoodleXmlParser.import`` (a ``<single>`` with any text makes a single-choice question,
a fraction is read as a whole number, and either mistake fails the whole file).
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from examgen.bank.loader import load_bank
from examgen.cli import main

from .conftest import ROOT, first_draws
from .oracle import fold, labels, number, plain, read_bank

BANK = ROOT / "bank"
PARTICIFY_COLUMNS = ["format", "body", "additionalText", "options", "correctOptions",
                     "multiple", "abstentionsAllowed"]


def _export(tmp_path, tool: str, name: str, *args: str,  # type: ignore[no-untyped-def]
            bank=BANK):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["export", tool, "--bank", str(bank), *args, "-o",
                                       str(out)])
    assert "Traceback" not in result.output
    return result, out


def _expected(bank=BANK):  # type: ignore[no-untyped-def]
    return read_bank(bank, first_draws(load_bank(bank)))


def _particify_rows(path) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The rows as Particify reads them: a header of its columns, then one content each."""
    with open(path, encoding="utf-8", newline="") as handle:
        first = handle.readline()
        assert ";" not in first and "\t" not in first  # Particify would split at those
        handle.seek(0)
        reader = csv.DictReader(handle)
        assert reader.fieldnames == PARTICIFY_COLUMNS
        return list(reader)


def test_particify_holds_every_question_it_can_as_the_yaml_says(tmp_path):
    result, out = _export(tmp_path, "particify", "particify.csv", "--layout", "de")
    assert result.exit_code == 0, result.output
    expected = _expected()
    left_out = dict(re.findall(r"Left out: ([\w.-]+): (.+)", result.output))
    words = labels("de")
    seen = set()
    for row in _particify_rows(out):
        e = next(e for e in expected.values()
                 if fold(row["body"]).startswith(fold(e.text)))
        seen.add(e.id)
        assert fold(row["additionalText"]) == fold(e.explanation)
        options = row["options"].split("\n") if row["options"] else []
        correct = row["correctOptions"].split("\n") if row["correctOptions"] else []
        if e.type in ("single", "multiple", "truefalse"):
            assert row["format"] == "CHOICE"
            if e.type == "truefalse":
                assert options == [words["true"], words["false"]]
                assert correct == [words["true"] if e.answer else words["false"]]
            else:
                assert options == [plain(t) for t, _ in e.options]
                indexes = [options.index(c) for c in correct]  # as Particify finds them
                assert indexes == [n for n, (_, right) in enumerate(e.options) if right]
            assert row["multiple"] == ("true" if e.type == "multiple" else "false")
        elif e.type == "numeric":
            assert row["format"] == "NUMERIC"
            low, high = (float(x) for x in re.split("[\u2212\u2013-]", options[0]))
            value, tolerance = (float(x) for x in re.split("\u00b1|\\+[\u2212\u2013-]",
                                                           correct[0]))
            assert (value, tolerance) == (number(e.value), number(e.tolerance))
            assert low <= value - tolerance and value + tolerance <= high
            assert not e.unit or fold(row["body"]).endswith(f"({e.unit})")
        else:
            assert e.type == "open" and row["format"] == "TEXT" and not options
    assert seen | set(left_out) == set(expected) and not seen & set(left_out)
    for qid, why in left_out.items():
        e = expected[qid]
        assert ("short-answer" in why) == (e.type == "short")
        assert ("type cloze" in why) == (e.type == "cloze")
    assert "picture" in left_out["yolo-output-size"]


@pytest.mark.parametrize("bank", [BANK, ROOT / "tests" / "banks" / "matching"])
def test_pingo_reads_every_question_it_can_as_the_yaml_says(tmp_path, bank):
    result, out = _export(tmp_path, "pingo", "pingo.xml", bank=bank)
    assert result.exit_code == 0, result.output
    expected = _expected(bank)
    left_out = dict(re.findall(r"Left out: ([\w.-]+): (.+)", result.output))
    words = labels("default")
    seen = set()
    for element in ET.parse(out).getroot().iter("question"):
        kind = element.get("type")
        text = element.findtext("questiontext/text")
        assert text is not None  # PINGO reads it from every question
        e = next(e for e in expected.values() if plain(e.text) == text)
        seen.add(e.id)
        if kind == "multichoice":
            single = element.find("single")
            assert single is not None  # without it, PINGO fails the whole file
            options = [(a.findtext("text"), int(a.get("fraction", "")) > 0)
                       for a in element.iter("answer")]  # int(): PINGO's Integer()
            if e.type == "truefalse":
                assert options == [(words["true"], e.answer), (words["false"], not e.answer)]
            else:
                assert options == [(plain(t), right) for t, right in e.options]
            # any text at all makes it single-choice in PINGO, "false" too
            assert (single.text is not None) == (e.type != "multiple")
        elif kind == "numerical":
            assert e.type == "numeric"
        elif kind in ("shortanswer", "essay"):
            assert e.type == ("short" if kind == "shortanswer" else "open")
        else:
            assert kind == "match" and e.type == "matching"
            pairs = [(s.findtext("text"), s.findtext("answer/text"))
                     for s in element.iter("subquestion")]
            assert pairs == [(plain(left), plain(right)) for left, right in e.pairs]
    assert seen | set(left_out) == set(expected) and not seen & set(left_out)
    assert all(expected[qid].type == "cloze" or "picture" in why
               for qid, why in left_out.items())
    noted = re.findall(r"Note: ([\w.-]+): its (\d+) extra right-hand item", result.output)
    assert noted == [(e.id, str(len(e.distractors))) for e in expected.values()
                     if e.type == "matching" and e.distractors]


def test_a_bank_none_of_whose_questions_fit_is_refused(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        "  - {id: a, difficulty: easy, knowledge: recall, type: short, text: Name it?,"
        " answers: [x]}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "particify", "--bank", str(bank), "-o",
                                       str(tmp_path / "p.csv")])
    assert result.exit_code == 1 and "no question fits Particify" in result.output
    assert not (tmp_path / "p.csv").exists()
