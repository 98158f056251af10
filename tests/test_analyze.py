"""Item analysis against known truth: a textbook example worked out by hand, and answers
simulated from an item response model with known difficulties, a miskeyed question and
one that does not discriminate."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from examgen.analyze.responses import Responses
from examgen.analyze.stats import analyse
from examgen.cli import main
from examgen.core.model import Difficulty, Knowledge, TrueFalse

ITEMS = 30
STUDENTS = 300
MISKEYED, FLAT = "q05", "q07"


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


def test_a_textbook_example_by_hand():
    """5 students x 4 right/wrong items. Totals 3, 2, 1, 4, 0: variance 2.5; item
    variances 0.2 + 0.3 + 0.3 + 0.2 = 1.0; alpha = 4/3 (1 - 1/2.5) = 0.8 (= KR-20).
    Item 1 against the rest (2, 1, 0, 3, 0): r = 0.24 / (0.4 * 1.1662) = 0.5145."""
    scores = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]],
                      dtype=float)
    ids = ("i1", "i2", "i3", "i4")
    questions = {i: TrueFalse(id=i, topic="T", difficulty=Difficulty.EASY,
                              knowledge=Knowledge.RECALL, text=i, answer=True, file="b.yaml",
                              line=n) for n, i in enumerate(ids, 1)}
    responses = Responses("r.csv", tuple("abcde"), ids, scores, np.ones(scores.shape, bool),
                          None, ("",) * 5)
    analysis = analyse(responses, questions, "x", "2027-02-12")
    assert [i.facility for i in analysis.items] == pytest.approx([0.8, 0.6, 0.4, 0.2])
    assert analysis.mean == pytest.approx(2.0)
    assert analysis.sd == pytest.approx(np.sqrt(2.5))
    assert analysis.alpha == pytest.approx(0.8)
    assert analysis.sem == pytest.approx(np.sqrt(2.5) * np.sqrt(0.2))
    assert analysis.items[0].discrimination == pytest.approx(0.5145, abs=1e-4)
    # upper and lower 27 % of 5 students: one each (totals 4 and 0)
    assert analysis.items[0].upper_lower == pytest.approx(1.0)
    assert analysis.flags == [], "5 students are too few to flag anything"


@pytest.fixture(scope="module")
def simulated(tmp_path_factory) -> tuple[Path, np.ndarray]:
    """A bank of 30 single-choice questions with known difficulties, an exam of all of
    them, and 300 students' answers drawn from a two-parameter logistic model."""
    root = tmp_path_factory.mktemp("irt")
    rng = np.random.default_rng(2027)
    difficulty = np.linspace(-2.2, 2.2, ITEMS)
    rng.shuffle(difficulty)
    lines = ["topic: Simulated", "questions:"]
    for i in range(ITEMS):
        tag = "easy" if difficulty[i] < -0.7 else "hard" if difficulty[i] > 0.7 else "medium"
        key = 1 if f"q{i:02d}" == MISKEYED else 0  # the bank marks b right; students know a
        lines += [f"  - id: q{i:02d}", f"    difficulty: {tag}", "    knowledge: recall",
                  "    type: single", f"    text: Question {i}?", "    options:"]
        lines += [f"      - text: option {o}\n        correct: true" if o == key
                  else f"      - option {o}" for o in range(4)]
    (root / "bank").mkdir()
    (root / "bank" / "sim.yaml").write_text("\n".join(lines) + "\n")
    code, output = _run("build", "--bank", root / "bank", "--total", ITEMS, "--seed", 1,
                        "--no-pdf", "-o", root / "out")
    assert code == 0, output
    ability = rng.normal(0, 1, STUDENTS)
    slope = np.full(ITEMS, 1.3)
    slope[int(FLAT[1:])] = 0.0
    knows = rng.random((STUDENTS, ITEMS)) < 1 / (1 + np.exp(-1.7 * slope * (
        ability[:, None] - difficulty[None, :])))
    with (root / "responses.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "copy", "form", "variant", "question", "number", "type",
                         "response", "points", "max_points", "status"])
        for s in range(STUDENTS):
            for i in range(ITEMS):
                key = 1 if f"q{i:02d}" == MISKEYED else 0
                # who does not know guesses among all four; who knows picks option 0, which
                # the bank marks right except for the miskeyed question
                chosen = 0 if knows[s, i] else int(rng.integers(0, 4))
                writer.writerow([f"{10000000 + s}", s + 1, "", "A", f"q{i:02d}", i + 1,
                                 "single", "abcd"[chosen], int(chosen == key), 1, "ok"])
    return root, difficulty


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def test_facility_ranks_the_true_difficulties_and_the_planted_faults_are_found(simulated):
    root, difficulty = simulated
    code, output = _run("analyze", root / "responses.csv", "--manifest",
                        root / "out" / "exam.json", "-o", root / "analysis")
    assert code == 0, output
    analysis = json.loads((root / "analysis" / "analysis.json").read_text())
    assert analysis["students"] == STUDENTS and analysis["questions"] == ITEMS
    items = {i["id"]: i for i in analysis["items"]}
    clean = [f"q{i:02d}" for i in range(ITEMS) if f"q{i:02d}" not in (MISKEYED, FLAT)]
    facility = np.array([items[q]["facility"] for q in clean])
    truth = np.array([difficulty[int(q[1:])] for q in clean])
    assert _spearman(facility, -truth) > 0.9
    kinds = {(f["question"], f["kind"]) for f in analysis["flags"]}
    assert (MISKEYED, "miskeyed") in kinds
    assert (FLAT, "low-discrimination") in kinds or (FLAT, "negative-discrimination") in kinds
    assert not any(q in clean and k in ("miskeyed", "negative-discrimination")
                   for q, k in kinds), kinds
    assert 0.7 < analysis["alpha"] < 1
    flag = next(f for f in analysis["flags"] if f["kind"] == "miskeyed")
    assert flag["where"].endswith("sim.yaml:" + str(3 + 11 * int(MISKEYED[1:])))
    assert f"sim.yaml:{3 + 11 * int(MISKEYED[1:])}: {MISKEYED}: likely miskeyed" in output
    rows = list(csv.DictReader((root / "analysis" / "items.csv").open()))
    assert len(rows) == ITEMS and rows[0]["question"] == "q00"
    assert (root / "analysis" / "report.pdf").read_bytes().startswith(b"%PDF")


def test_json_to_stdout_writes_nothing(simulated, tmp_path):
    root, _ = simulated
    code, output = _run("analyze", root / "responses.csv", "--manifest",
                        root / "out" / "exam.json", "--json", "-o", tmp_path / "a")
    assert code == 0 and json.loads(output)["students"] == STUDENTS
    assert not (tmp_path / "a").exists()


def test_answers_of_another_exam_are_refused_at_their_line(simulated, tmp_path):
    root, _ = simulated
    bad = tmp_path / "responses.csv"
    lines = (root / "responses.csv").read_text().splitlines()
    lines[3] = lines[3].replace(",q02,", ",gan-deepfakes,")
    bad.write_text("\n".join(lines) + "\n")
    code, output = _run("analyze", bad, "--manifest", root / "out" / "exam.json", "-o",
                        tmp_path / "out")
    assert code == 2
    assert f"{bad}:4: question 'gan-deepfakes' is not in this exam's manifest" in output
    assert not (tmp_path / "out").exists()
    bad.write_text("who,what\n1,2\n")
    code, output = _run("analyze", bad, "--manifest", root / "out" / "exam.json")
    assert code == 2 and f"{bad}:1: missing column(s) question, points" in output


BANK_WITH_COMMENTS = """\
# Hand-written, with comments that must survive
topic: Calibration
questions:
  - id: c1   # the first
    difficulty: easy
    knowledge: recall
    type: truefalse
    text: |
      A block text

      with a blank line inside.
    answer: true

  # a comment between questions
  - id: c2
    difficulty: "hard"   # quoted, with a comment
    knowledge: application
    type: short
    text: Name it.
    answers: [ "12:30", 010 ]
    stats:  # an older exam's line stays
      - {exam: "old", date: "2026-01-10", n: 40, facility: 0.8}
  - difficulty: medium
    id: c3
    knowledge: recall
    type: open
    text: Explain.
"""


def _analysis(path: Path, exam: str, facilities: dict[str, float], n: int = 50) -> Path:
    path.write_text(json.dumps({"exam": exam, "date": "2027-02-12", "items": [
        {"id": qid, "n": n, "facility": f, "discrimination": 0.3}
        for qid, f in facilities.items()]}))
    return path


def test_calibrate_adds_only_stats_lines_and_moves_only_with_apply(tmp_path):
    import difflib

    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "c.yaml").write_text(BANK_WITH_COMMENTS)
    analysis = _analysis(tmp_path / "a.json", "e1", {"c1": 0.35, "c2": 0.9, "c3": 0.55})
    code, output = _run("calibrate", analysis, "--bank", bank)
    assert code == 0, output
    assert "c1" in output and "easy" in output and "proposed only" in output
    after = (bank / "c.yaml").read_text()
    diff = [d for d in difflib.ndiff(BANK_WITH_COMMENTS.splitlines(), after.splitlines())
            if d[:1] in "+-"]
    assert all(d.startswith("+ ") for d in diff), diff
    added = [d[2:].strip() for d in diff]
    assert added == [
        "stats:  # measured (examgen analyze, calibrate): one line per exam",
        '- {exam: "e1", date: "2027-02-12", n: 50, facility: 0.35, discrimination: 0.3}',
        '- {exam: "e1", date: "2027-02-12", n: 50, facility: 0.9, discrimination: 0.3}',
        "stats:  # measured (examgen analyze, calibrate): one line per exam",
        '- {exam: "e1", date: "2027-02-12", n: 50, facility: 0.55, discrimination: 0.3}']
    # c2 keeps its header, its comment and its older line; the new exam's line follows
    assert '      - {exam: "old", date: "2026-01-10", n: 40, facility: 0.8}' in after
    again = (bank / "c.yaml").read_text()
    _run("calibrate", analysis, "--bank", bank)
    assert (bank / "c.yaml").read_text() == again, "the same analysis twice changes nothing"
    code, output = _run("calibrate", analysis, "--bank", bank, "--apply")
    assert code == 0 and "applied" in output
    moved = (bank / "c.yaml").read_text()
    changed = [d for d in difflib.ndiff(again.splitlines(), moved.splitlines())
               if d[:1] in "+-"]
    assert changed == ["-     difficulty: easy", "+     difficulty: hard",
                       '-     difficulty: "hard"   # quoted, with a comment',
                       '+     difficulty: "easy"   # quoted, with a comment'], changed
    from examgen.bank.loader import load_bank

    loaded = load_bank(bank)
    c2 = loaded.by_id["c2"]
    assert [o.exam for o in c2.stats] == ["old", "e1"]
    assert loaded.by_id["c1"].difficulty.value == "hard"
    assert c2.answers == ("12:30", "010")  # type: ignore[attr-defined]
    code, output = _run("coverage", "--bank", bank, "--json")
    observed = json.loads(output)["observed"]
    # c2 is now easy/application, measured twice: (40 * 0.8 + 50 * 0.9) / 90
    assert observed["easy/application"]["facility"] == pytest.approx(0.856, abs=1e-3)
    assert observed["hard/recall"] == {"measured": 1, "facility": 0.35, "elsewhere": []}
    code, output = _run("coverage", "--bank", bank)
    assert "Tagged versus measured" in output


def test_calibrate_refuses_an_analysis_of_another_bank(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "c.yaml").write_text(BANK_WITH_COMMENTS)
    analysis = _analysis(tmp_path / "a.json", "e1", {"nope": 0.5})
    code, output = _run("calibrate", analysis, "--bank", bank)
    assert code == 2 and "question 'nope' is not in the bank" in output
    assert (bank / "c.yaml").read_text() == BANK_WITH_COMMENTS


def test_the_solver_meets_an_expected_facility_from_measured_stats(simulated, tmp_path):
    """After calibrate, --facility uses the measured facility; every form meets it."""
    root, _ = simulated
    bank = tmp_path / "bank"
    shutil.copytree(root / "bank", bank)
    code, output = _run("analyze", root / "responses.csv", "--manifest",
                        root / "out" / "exam.json", "-o", tmp_path / "analysis")
    assert code == 0, output
    code, output = _run("calibrate", tmp_path / "analysis" / "analysis.json", "--bank", bank)
    assert code == 0, output
    from examgen.bank.loader import load_bank
    from examgen.core.facility import expected_facility

    loaded = load_bank(bank)
    code, output = _run("build", "--bank", bank, "--total", 8, "--forms", 2, "--facility",
                        "0.45:0.51", "--seed", 5, "--no-pdf", "-o", tmp_path / "out")
    assert code == 0, output
    manifest = json.loads((tmp_path / "out" / "exam.json").read_text())
    assert manifest["mix"]["facility"] == [0.45, 0.51]
    for form in manifest["forms"]:
        ids = [q["id"] for q in form["questions"]]
        mean = np.mean([expected_facility(loaded.by_id[i]) for i in ids])
        assert 0.45 - 1e-9 <= mean <= 0.51 + 1e-9
    for low in (0.8, 0.85):  # a lower bound alone: every exam at least that easy
        code, output = _run("build", "--bank", bank, "--total", 5, "--facility", f"{low}:1",
                            "--seed", 2, "--no-pdf", "-o", tmp_path / f"easy{low}")
        assert code == 0, output
        ids = [q["id"] for q in json.loads((tmp_path / f"easy{low}" / "exam.json")
                                           .read_text())["questions"]]
        assert np.mean([expected_facility(loaded.by_id[i]) for i in ids]) >= low - 1e-9
    code, output = _run("build", "--bank", bank, "--total", 8, "--facility", "0.99",
                        "--no-pdf", "-o", tmp_path / "none")
    facilities = [expected_facility(q) for q in loaded.questions]
    assert code == 1
    assert (f"  - --facility 0.99:0.99: expected facility at least 0.99; the questions "
            f"expect {min(facilities):.2f} to {max(facilities):.2f} (measured, or the middle "
            "of their tagged band)") in output, output
    code, output = _run("build", "--bank", bank, "--total", 8, "--facility", "0:0.01",
                        "--no-pdf", "-o", tmp_path / "none")
    assert code == 1
    assert (f"  - --facility 0:0.01: expected facility at most 0.01; the questions expect "
            f"{min(facilities):.2f} to {max(facilities):.2f}") in output, output


def test_a_moodle_grades_report_gives_the_same_facilities(simulated, tmp_path):
    """The same answers as Moodle's Grades report (Q. n /points columns, one line per
    attempt, an average line at the end) analyse to the same facilities."""
    root, _ = simulated
    manifest = json.loads((root / "out" / "exam.json").read_text())
    ids = [q["id"] for q in manifest["questions"]]
    scores: dict[str, dict[str, str]] = {}
    for row in csv.DictReader((root / "responses.csv").open()):
        scores.setdefault(row["student"], {})[row["question"]] = row["points"]
    report = tmp_path / "grades.csv"
    with report.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Surname", "First name", "ID number", "Email address", "State",
                         "Started on", "Completed", "Time taken", f"Grade/{ITEMS}.00",
                         *(f"Q. {n} /1.00" for n in range(1, ITEMS + 1))])
        for student, marks in scores.items():
            writer.writerow(["Doe", "Jo", student, f"{student}@uni.example", "Finished",
                             "", "", "", "", *(f"{float(marks[q]):.2f}".replace(".", ",")
                                               for q in ids)])
        writer.writerow(["Overall average", "", "", "", "", "", "", "", "", *([""] * ITEMS)])
    code, output = _run("analyze", report, "--manifest", root / "out" / "exam.json", "--json")
    assert code == 0, output
    moodle = {i["id"]: i["facility"] for i in json.loads(output)["items"]}
    code, output = _run("analyze", root / "responses.csv", "--manifest",
                        root / "out" / "exam.json", "--json")
    ours = {i["id"]: i["facility"] for i in json.loads(output)["items"]}
    assert moodle == pytest.approx(ours)
    report.write_text("State,Q. 1 /1.00,Q. 2 /2.00\nFinished,1,1\n")
    code, output = _run("analyze", report, "--manifest", root / "out" / "exam.json")
    assert code == 2 and "the report has 2 question columns" in output


def test_shuffled_rows_give_the_same_analysis(simulated, tmp_path):
    """Upper and lower groups take every student tied at their edge: row order is moot."""
    root, _ = simulated
    lines = (root / "responses.csv").read_text().splitlines()
    rng = np.random.default_rng(5)
    body = lines[1:]
    rng.shuffle(body)
    (tmp_path / "shuffled.csv").write_text("\n".join([lines[0], *body]) + "\n")
    results = []
    for path in (root / "responses.csv", tmp_path / "shuffled.csv"):
        code, output = _run("analyze", path, "--manifest", root / "out" / "exam.json",
                            "--json")
        assert code == 0, output
        data = json.loads(output)
        results.append([(i["upper_lower"], i["discrimination"], i["facility"],
                         [o["upper_share"] for o in i["options"]]) for i in data["items"]])
    assert results[0] == results[1]


@pytest.mark.parametrize("change, message", [
    (lambda r: r[:7] + ["A"] + r[8:], "write option letters in lower case"),
    (lambda r: r[:7] + ["e"] + r[8:], "it has only a, b, c, d"),
    (lambda r: r[:8] + ["100"] + r[9:], "more points than the question is worth"),
    (lambda r: r[:8] + ["-1"] + r[9:], "points below 0"),
    (lambda r: r[:8] + ["1" * 5000] + r[9:], "is no number of points"),
    (lambda r: r[:10] + ["maybe"], "status 'maybe'"),
])
def test_bad_values_are_refused_at_their_line(simulated, tmp_path, change, message):
    root, _ = simulated
    rows = list(csv.reader((root / "responses.csv").read_text().splitlines()))
    rows[40] = change(rows[40])
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    code, output = _run("analyze", bad, "--manifest", root / "out" / "exam.json", "-o",
                        tmp_path / "analysis")
    assert code == 2 and f"{bad}:41: " in output and message in output, output
    assert not (tmp_path / "analysis").exists()


def test_without_choices_there_are_no_option_flags_and_json_has_null(simulated, tmp_path):
    root, _ = simulated
    rows = [r[:7] + r[8:] for r in csv.reader(
        (root / "responses.csv").read_text().splitlines())]  # no response column
    path = tmp_path / "scores.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    code, output = _run("analyze", path, "--manifest", root / "out" / "exam.json", "-o",
                        tmp_path / "analysis")
    assert code == 0 and "no option statistics" in output, output
    text = (tmp_path / "analysis" / "analysis.json").read_text()
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in analysis.json"))
    assert all(i["options"] == [] for i in data["items"])
    assert not {f["kind"] for f in data["flags"]} & {"miskeyed", "unused-distractor"}


def test_forms_in_one_file_are_analysed_together(tmp_path):
    """Two forms with no question in common: every student counts, each form has its
    own alpha."""
    bank = tmp_path / "bank"
    bank.mkdir()
    lines = ["topic: Forms", "questions:"]
    for i in range(12):
        lines += [f"  - id: f{i:02d}", "    difficulty: medium", "    knowledge: recall",
                  "    type: truefalse", f"    text: Statement {i}.", "    answer: true"]
    (bank / "f.yaml").write_text("\n".join(lines) + "\n")
    code, output = _run("build", "--bank", bank, "--total", 6, "--forms", 2, "--seed", 3,
                        "--no-pdf", "-o", tmp_path / "out")
    assert code == 0, output
    manifest = json.loads((tmp_path / "out" / "exam.json").read_text())
    rng = np.random.default_rng(1)
    with (tmp_path / "r.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "form", "question", "response", "points"])
        for s in range(80):
            form = manifest["forms"][s % 2]
            ability = rng.normal()
            for q in form["questions"]:
                right = rng.random() < 1 / (1 + np.exp(-2 * ability))
                writer.writerow([f"s{s}", form["name"], q["id"],
                                 "true" if right else "false", int(right)])
    code, output = _run("analyze", tmp_path / "r.csv", "--manifest",
                        tmp_path / "out" / "exam.json", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["students"] == 80 and data["excluded"] == 0
    assert [f["students"] for f in data["forms"]] == [40, 40]
    assert len(data["items"]) == 12
