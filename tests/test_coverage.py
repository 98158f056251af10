"""``examgen coverage --json`` pins the counts of the sample bank."""

from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from examgen.cli import main
from examgen.core.model import CELLS, TYPES

from .conftest import ROOT
from .oracle import read_bank


def _coverage_json():
    result = CliRunner().invoke(main, ["coverage", "--bank", str(ROOT / "bank"), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_contract_matches_the_bank(sample_bank):
    report = _coverage_json()
    qs = sample_bank.questions
    assert report["total"] == len(qs) >= 60
    assert report["cells"] == {c: sum(q.cell == c for q in qs) for c in CELLS}
    assert all(n >= 5 for n in report["cells"].values())
    assert report["levels"] == dict(Counter(q.level.value for q in qs))
    assert sum(report["levels"].values()) == report["total"]
    assert report["levels"]["green"] == report["cells"]["easy/recall"]
    assert report["types"] == {t: sum(q.type == t for q in qs) for t in TYPES}
    assert set(report["topics"]) == set(sample_bank.topics)
    for topic, cells in report["topics"].items():
        assert list(cells) == list(CELLS)
        assert sum(cells.values()) == sum(q.topic == topic for q in qs)


def test_text_report_shows_grid_totals_and_warnings():
    result = CliRunner().invoke(main, ["coverage", "--bank", str(ROOT / "bank")])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    report = _coverage_json()
    total_row = next(line for line in lines if line.startswith("total"))
    assert total_row.split()[-1] == str(report["total"])
    assert any(line.startswith("easy") and "green" in line for line in lines)
    assert "Warnings:" not in result.output  # thin only against a need: --min or a mix
    result = CliRunner().invoke(main, ["coverage", "--bank", str(ROOT / "bank"), "--min", "2"])
    assert "Warnings:" in result.output and "fewer than 2: " in result.output


def _run(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["coverage", "--bank", str(ROOT / "bank"), *args])
    assert result.exit_code == 0, result.output
    return result


def test_min_gives_thin_places_as_objects_and_points_and_types_per_topic():
    report = json.loads(_run("--min", "3", "--json").output)
    written = list(read_bank(ROOT / "bank").values())  # the YAML as the test reads it
    topics = list(dict.fromkeys(q.topic for q in written))
    count = Counter((q.topic, f"{q.difficulty}/{q.knowledge}") for q in written)
    expected = [{"topic": t, "cell": c, "have": count[t, c], "need": 3}
                for t in topics for c in CELLS if count[t, c] < 3]
    assert report["thin"] == expected and expected
    for topic in topics:
        mine = [q for q in written if q.topic == topic]
        assert report["topic_points"][topic] == sum(float(q.points) for q in mine)
        assert report["topic_types"][topic] == {
            t: n for t in TYPES if (n := sum(q.type == t for q in mine))}


def _brute_force_capacity(bank, per_cell):  # type: ignore[no-untyped-def]
    """Disjoint exams of exact cell counts: each cell alone allows have // need, and with
    cells only, the cells do not compete, so the smallest of those is the capacity."""
    counts = Counter(q.cell for q in bank.questions if not q.group)
    groups = {(q.cell, q.group) for q in bank.questions if q.group}
    for cell, _ in groups:
        counts[cell] += 1  # an enemy group gives one question per exam
    return min(counts[c] // n for c, n in per_cell.items())


def test_capacity_of_a_cell_mix_is_exact_and_names_the_cell_that_runs_out(sample_bank):
    report = json.loads(_run("--cell", "hard/recall=2", "--cell", "easy/recall=3", "--json"
                             ).output)
    capacity = report["capacity"]
    want = _brute_force_capacity(sample_bank, {"hard/recall": 2, "easy/recall": 3})
    assert capacity["exams"] == capacity["bound"] == want and capacity["exact"]
    assert capacity["binding"]["rule"] == "--cell hard/recall=2"
    text = _run("--cell", "hard/recall=2", "--cell", "easy/recall=3").output
    assert f"{want} exam(s) of this mix with no question repeated" in text
    assert "runs out first: --cell hard/recall=2" in text


def test_capacity_counts_only_what_earlier_exams_left(tmp_path, sample_bank):
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", "--bank", str(ROOT / "bank"), "--cell",
                                      "hard/recall=2", "--seed", "1", "-o", str(out),
                                      "--no-pdf"])
    assert built.exit_code == 0, built.output
    before = json.loads(_run("--cell", "hard/recall=2", "--json").output)
    after = json.loads(_run("--cell", "hard/recall=2", "--exclude-used",
                            str(out / "exam.json"), "--json").output)
    assert after["capacity"]["exams"] == before["capacity"]["exams"] - 1
    assert after["total"] == before["total"] - 2
    assert after["excluded"] == {"questions": 2, "manifests": [str(out / "exam.json")]}


def test_capacity_from_a_blueprint_names_its_line(tmp_path):
    blueprint = tmp_path / "resit.yaml"
    blueprint.write_text("mix:\n  total: 6\n  cells:\n    hard/recall: 3\n",
                         encoding="utf-8")
    report = json.loads(_run("--blueprint", str(blueprint), "--json").output)
    assert report["capacity"]["binding"]["rule"] == f"{blueprint}:3 (hard/recall: 3)"


def test_stress_names_the_questions_a_mix_never_draws_and_why(sample_bank):
    report = json.loads(_run("--hard", "4", "--type", "open=0", "--stress", "30", "--json"
                             ).output)
    never = {e["id"]: e["why"] for e in report["stress"]["never"]}
    opens = 0
    for q in sample_bank.questions:
        if q.difficulty.value != "hard":
            assert never[q.id] == (f"no {q.difficulty.value} questions (not asked for, and "
                                   "no --total)")
        elif q.type == "open":
            opens += 1
            assert never[q.id] == '--type "open=0:0" leaves no place for open questions'
    assert opens and report["stress"]["runs"] == 30
    drawn = {q.id for q in sample_bank.questions} - set(never)
    assert drawn and all(q.difficulty.value == "hard" and q.type != "open"
                         for q in sample_bank.questions if q.id in drawn)


def test_the_coverage_pdf_shows_the_matrix_and_every_topic(tmp_path, sample_bank):
    pdf = tmp_path / "coverage.pdf"
    _run("--min", "2", "--easy", "3", "--pdf", str(pdf))
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    green = sum((e.difficulty, e.knowledge) == ("easy", "recall")
                for e in read_bank(ROOT / "bank").values())
    assert "Coverage of bank" in text and f"{green} green" in text
    for topic in sample_bank.topics:
        assert topic.split()[0] in text
    assert "exam(s) of this mix" in text and "!" in text


def test_every_rule_from_a_blueprint_is_named_by_its_line_unless_a_flag_overrides_it(tmp_path):
    blueprint = tmp_path / "final.yaml"
    blueprint.write_text(
        "mix:\n"                                              # 1
        "  total: 8\n"                                        # 2
        "  difficulty: {easy: 3, medium: 3, hard: 2}\n"       # 3
        "  topics: {GAN: '1:3'}\n"                            # 4
        "  each_topic: 1\n"                                   # 5
        "  types: {single: 1}\n"                              # 6
        "  require: [gan-deepfakes]\n", encoding="utf-8")     # 7
    report = json.loads(_run("--blueprint", str(blueprint), "--easy", "4", "--medium", "2",
                             "--json").output)
    rules = {limit["rule"].replace(str(blueprint), "final.yaml")
             for limit in report["capacity"]["limits"]}
    assert {"final.yaml:2 (total: 8)", "--easy 4", "--medium 2", "final.yaml:3 (hard: 2)",
            'final.yaml:4 (GAN: "1:3")', "final.yaml:5 (each_topic: 1)",
            'final.yaml:6 (single: "1")', "final.yaml:7 (require: gan-deepfakes)"} <= rules
    blueprint.write_text("mix:\n  total: 8\n  minutes: '2'\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--bank", str(ROOT / "bank"), "--blueprint",
                                       str(blueprint), "--no-pdf", "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert f'{blueprint}:3 (minutes: "2"): at most 2 minutes of working time' in result.output
