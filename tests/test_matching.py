"""The matching type end to end, from the command line: the bank's checks, the printed
exam and key, answer sheets filled and scanned by the simulator and graded, the item
analysis, and Moodle XML and GIFT out and Moodle XML in. What is right comes from the
YAML, read by the test oracle; what is printed is read back from the PDFs."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from examgen.cli import main

from .oracle import Expected, matching_score, read_bank
from .scansim import SCANNER, simulate

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "tests" / "banks" / "matching"
MATCHING = ("match-architectures", "match-losses")


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _shown(text: str) -> str:
    """What pdftotext gives of a bank text: a formula is drawn, not written as text."""
    return text.split("$")[0].strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("matching")
    code, output = _run("build", "--bank", BANK, "--total", "5", "--seed", "3", "--variants",
                        "2", "--sheet", "--copies", "6", "-o", out)
    assert code == 0, output
    return out


# --- the bank --------------------------------------------------------------------------

BAD = {
    "two pairs and nothing else": ("""\
    pairs:
      - {left: A, right: x}
      - {left: B, right: y}
""", 8, "two pairs and nothing else give the second away"),
    "a left item twice": ("""\
    pairs:
      - {left: A, right: x}
      - {left: a, right: y}
      - {left: C, right: z}
""", 8, "the left item 'a' is there twice"),
    "a distractor that is a right item": ("""\
    pairs:
      - {left: A, right: x}
      - {left: B, right: y}
    distractors: [X]
""", 11, "the distractor 'X' is already a right-hand item"),
    "a pair without its right item": ("""\
    pairs:
      - {left: A, right: x}
      - {left: B}
      - {left: C, right: z}
""", 10, "pair 2 is a mapping with a non-empty 'left:' and 'right:'"),
    "no pairs": ("""\
    options: [a, b]
""", 8, "unknown field 'options'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_malformed_matching_question_is_refused_at_its_line(tmp_path, case):
    body, line, message = BAD[case]
    (tmp_path / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: m\n    difficulty: easy\n    knowledge: recall\n"
        "    type: matching\n    text: Match.\n" + body, encoding="utf-8")
    code, output = _run("check", "--bank", tmp_path)
    assert code == 2, output
    assert f"q.yaml:{line}:" in output and message in output, output
    assert "Traceback" not in output


# --- print -------------------------------------------------------------------------------

def _pdf_text(path: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout.splitlines()


_QUESTION = re.compile(r"^\s*(\d+)\.\s{2,}(.+?)\s{2,}\d+ pts?\.$")
_LEFT = re.compile(r"^\s+(\d+)\. (.+?)(?:\s{2,}([a-l])\s*)?(?:\s{2,}([a-l])\) (.+))?$")
_RIGHT = re.compile(r"^\s+([a-l])\) (.+)$")


def _printed_tables(lines: list[str], bank: dict[str, Expected]) -> dict[str, dict]:
    """Per matching question as printed: its number, left items by number, right items by
    letter, and (in a key) the letter written in each left item's box."""
    out: dict[str, dict] = {}
    current: dict | None = None
    for line in lines:
        head = _QUESTION.match(line)
        if head:
            current = None
            qid = next((q for q in MATCHING if bank[q].text == head.group(2).strip()), None)
            if qid:
                current = out[qid] = {"number": int(head.group(1)), "lefts": {},
                                      "rights": {}, "boxes": {}}
            continue
        if current is None or not line.strip():
            continue
        left = _LEFT.match(line)
        if left:
            current["lefts"][int(left.group(1))] = left.group(2).strip()
            if left.group(3):
                current["boxes"][int(left.group(1))] = left.group(3)
            if left.group(4):
                current["rights"][left.group(4)] = left.group(5).strip()
        elif right := _RIGHT.match(line):
            current["rights"][right.group(1)] = right.group(2).strip()
    return out


def test_exam_and_key_print_the_pairs_and_the_key_gives_each_its_partner(built):
    bank = read_bank(BANK)
    orders = set()
    for variant in ("A", "B"):
        exam = _printed_tables(_pdf_text(built / f"exam-{variant}.pdf"), bank)
        key = _printed_tables(_pdf_text(built / f"key-{variant}.pdf"), bank)
        assert set(exam) == set(key) == set(MATCHING)
        for qid in MATCHING:
            e, printed, answered = bank[qid], exam[qid], key[qid]
            assert printed["boxes"] == {}, "the exam leaves the boxes empty"
            assert printed["lefts"] == {n: left for n, (left, _) in enumerate(e.pairs, 1)}
            assert sorted(printed["rights"].values()) == sorted(_shown(r) for r in e.rights)
            assert list(printed["rights"]) == list("abcdefghijkl"[:len(e.rights)])
            assert answered["rights"] == printed["rights"]
            # the key's letter in each box names that left item's own right item
            for n, (_, right) in enumerate(e.pairs, 1):
                assert printed["rights"][answered["boxes"][n]] == _shown(right), (qid, n)
            orders.add((qid, tuple(printed["rights"].values())))
    assert len(orders) > len(MATCHING), "variants shuffle the right-hand items"


def test_the_key_overview_and_the_instructions_name_the_matching_rows(built):
    lines = _pdf_text(built / "key-A.pdf")
    bank = read_bank(BANK)
    tables = _printed_tables(lines, bank)
    for qid in MATCHING:
        number, boxes = tables[qid]["number"], tables[qid]["boxes"]
        row = next(x for x in lines if re.match(rf"^\s*{number}\s{{3,}}1 [a-l],", x))
        assert re.findall(r"(\d+) ([a-l])(?=,|\s{2})", row) == [
            (str(n), boxes[n]) for n in sorted(boxes)]
    exam = " ".join(" ".join(_pdf_text(built / "exam-A.pdf")).split())
    assert "In a matching question, write in each numbered item's box the letter" in exam
    assert "(row 3.2 is item 2 of question 3)" in exam


# --- answer sheets, grading, analysis ------------------------------------------------------

def test_sheets_give_a_row_per_left_item_and_grading_scores_each_pair(built, tmp_path):
    plan = json.loads((built / "exam.json").read_text())["sheets"]
    rows = [r for layout in plan["layouts"].values() for page in layout["pages"]
            for r in page["rows"] if r[0] in MATCHING]
    bank = read_bank(BANK)
    assert sorted({(r[0], r[5]) for r in rows}) == sorted(
        (qid, n) for qid in MATCHING for n in range(1, len(bank[qid].pairs) + 1))
    scans = tmp_path / "scans"
    truths = simulate(built / "exam.json", built / "sheets.pdf", scans, SCANNER, 7)
    code, output = _run("grade", scans, "--manifest", built / "exam.json", "-o",
                        tmp_path / "graded")
    assert code == 0, output
    review = {(r["copy"], r["item"]) for r in _rows(tmp_path / "graded" / "review.csv")}
    responses = _rows(tmp_path / "graded" / "responses.csv")
    checked = 0
    for row in responses:
        if row["question"] not in MATCHING or (row["copy"], row["question"]) in review:
            continue
        ticked = truths[int(row["copy"])].ticked.get(row["question"], set())
        points, response = matching_score(bank[row["question"]], ticked)
        assert float(row["points"]) == pytest.approx(points), row
        assert row["response"] == response, row
        checked += 1
    assert checked >= 10
    assert any(float(r["points"]) not in (0.0, float(bank[r["question"]].points))
               for r in responses if r["question"] in MATCHING and r["points"]), \
        "a partly right matching question scores part of its points"
    code, output = _run("analyze", tmp_path / "graded" / "responses.csv", "--manifest",
                        built / "exam.json", "--bank", BANK, "-o", tmp_path / "analysis")
    assert code == 0, output
    analysis = json.loads((tmp_path / "analysis" / "analysis.json").read_text())
    items = {i["id"]: i for i in analysis["items"]}
    for qid in MATCHING:
        scored = [float(r["points"]) for r in responses if r["question"] == qid]
        facility = sum(scored) / len(scored) / float(bank[qid].points)
        assert items[qid]["facility"] == pytest.approx(facility), qid


def test_a_person_decides_a_matching_row_by_item_and_letter(built, tmp_path):
    """The review names a matching box as '2b' (item 2, letter b), and a decision written
    that way closes it."""
    from examgen.core.sheet_geometry import Box
    from examgen.grade.grading import decision_values
    from examgen.grade.read import State
    from examgen.grade.score import Marks

    boxes = tuple(Box("m", f"{left}:{right}", "abc"[pos], 0, 0)
                  for left in range(2) for pos, right in enumerate((2, 0, 1)))
    states = (State.EMPTY, State.TICKED, State.EMPTY, State.UNSURE, State.EMPTY, State.EMPTY)
    marks = Marks(boxes, states, 1)
    assert marks.shown() == "1b 2a?"
    assert decision_values("1b 2c", marks) == ["0:0", "1:1"]
    with pytest.raises(ValueError, match="1a, 1b, 1c, 2a, 2b, 2c"):
        decision_values("3a", marks)


# --- formats -----------------------------------------------------------------------------

def test_moodle_xml_and_gift_carry_the_pairs_and_import_brings_them_back(tmp_path):
    bank = read_bank(BANK)
    code, output = _run("export", "moodle", "--bank", BANK, "-o", tmp_path / "q.xml")
    assert code == 0, output
    # match-losses' right items hold a formula, which Moodle's menus cannot typeset
    assert "formulas in matching answers (Moodle's menus show them as LaTeX): 1 question" \
        in output
    quiz = ElementTree.parse(tmp_path / "q.xml").getroot()
    for question in quiz.iter("question"):
        if question.get("type") != "matching":
            continue
        e = bank[question.findtext("idnumber", "")]
        subs = [(re.sub(r"</?p>", "", s.findtext("text", "")), s.findtext("answer/text"))
                for s in question.findall("subquestion")]
        assert subs == e.pairs + [("", d) for d in e.distractors]
        assert question.findtext("defaultgrade") == e.points
    code, output = _run("export", "gift", "--bank", BANK, "-o", tmp_path / "q.gift")
    assert code == 0, output
    gift = (tmp_path / "q.gift").read_text()
    assert "\t=[html]YOLO -> Real-time object detection\n" in gift
    assert "\t= -> Speech synthesis\n" in gift
    code, output = _run("import", "moodle", tmp_path / "q.xml", "-o", tmp_path / "back")
    assert code == 0, output
    back = read_bank(tmp_path / "back")
    for qid in MATCHING:
        assert (back[qid].type, back[qid].pairs, back[qid].distractors) == (
            "matching", bank[qid].pairs, bank[qid].distractors)
    code, output = _run("check", "--bank", tmp_path / "back")
    assert code == 0, output


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="matching">
    <name><text>Animals</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which class is each animal?</p>]]></text>
    </questiontext>
    <defaultgrade>4.0000000</defaultgrade>
    <shuffleanswers>1</shuffleanswers>
    <subquestion format="html"><text><![CDATA[<p>Dog</p>]]></text>
      <answer><text>Mammal</text></answer></subquestion>
    <subquestion format="html"><text><![CDATA[<p><b>Eagle</b></p>]]></text>
      <answer><text>Bird</text></answer></subquestion>
    <subquestion format="html"><text><![CDATA[<p>Cat</p>]]></text>
      <answer><text>Mammal</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>Fish</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text></text></answer></subquestion>
    <tags><tag><text>difficulty-easy</text></tag><tag><text>knowledge-recall</text></tag>
    </tags>
  </question>
  <question type="matching">
    <name><text>Pictures</text></name>
    <questiontext format="html"><text>Match.</text></questiontext>
    <subquestion format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/a.png">]]></text>
      <answer><text>A</text></answer></subquestion>
    <subquestion format="html"><text>B</text><answer><text>b</text></answer></subquestion>
    <tags><tag><text>difficulty-easy</text></tag><tag><text>knowledge-recall</text></tag>
    </tags>
  </question>
</quiz>
"""


def test_a_matching_question_written_by_moodle_is_imported(tmp_path):
    """As Moodle writes one: HTML left items, an answer shared by two of them, a
    distractor without text, an empty entry Moodle ignores; a picture-only left item is
    left out with a note naming its line."""
    source = tmp_path / "animals.xml"
    source.write_text(FOREIGN, encoding="utf-8")
    code, output = _run("import", "moodle", source, "-o", tmp_path / "bank")
    assert code == 0, output
    assert f"{source}:20: 'Pictures': its subquestion 1 is only a picture" in output
    [animals] = read_bank(tmp_path / "bank").values()
    assert animals.type == "matching" and animals.points == "4"
    assert animals.pairs == [("Dog", "Mammal"), ("**Eagle**", "Bird"), ("Cat", "Mammal")]
    assert animals.distractors == ["Fish"]
    assert animals.rights == ["Mammal", "Bird", "Fish"]
    code, output = _run("build", "--bank", tmp_path / "bank", "--total", "1", "-o",
                        tmp_path / "out")
    assert code == 0, output


# --- the practice page ---------------------------------------------------------------------

def test_the_practice_page_asks_each_left_item_for_its_letter(tmp_path):
    """In a real browser: a wrong letter is wrong, each left item's own letter is right;
    the letters the page offers name the right items in the page's own order."""
    from .test_practice import CHROMIUM, _data, browser_tab

    out = tmp_path / "practice.html"
    code, output = _run("practice", "--bank", BANK, "--total", "5", "--seed", "4", "-o", out)
    assert code == 0, output
    bank = read_bank(BANK)
    data = _data(out)
    index = {q["id"]: n for n, q in enumerate(data["questions"])}
    q = data["questions"][index["match-architectures"]]
    e = bank["match-architectures"]
    shown = [re.sub(r"<[^>]+>", "", r) for r in q["rights"]]
    assert sorted(shown) == sorted(e.rights)
    assert [shown[p] for p in q["partners"]] == [right for _, right in e.pairs]
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine (CI installs it)")
    with browser_tab(out) as (tab, errors):
        n = index["match-architectures"]
        box = tab.locator("article").nth(n)
        for k, partner in enumerate(q["partners"]):
            wrong = (partner + 1) % len(shown) if k == 0 else partner
            box.locator(f"#q{n}m{k}").select_option(str(wrong))
        box.locator("button").click()
        assert data["labels"]["practice_wrong"] in box.locator(".feedback").inner_text()
        box.locator(f"#q{n}m0").select_option(str(q["partners"][0]))
        box.locator("button").click()
        assert data["labels"]["practice_right"] in box.locator(".feedback").inner_text()
        assert errors == []
