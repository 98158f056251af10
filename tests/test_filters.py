"""Each filter of the mix decides the exam: on tiny banks, the filter alone fixes which
questions can be chosen, so a build that ignored it would choose differently or succeed
where it must fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from examgen.cli import main


def _bank(folder: Path, questions: list[tuple[str, str, list[str]]]) -> Path:
    """(id, topic, tags) each: a true/false question, easy recall, 1 point."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["questions:"]
    for qid, topic, tags in questions:
        lines += [f"  - id: {qid}", f"    topic: {topic}", "    difficulty: easy",
                  "    knowledge: recall", "    type: truefalse", f"    text: Is {qid} true?",
                  "    answer: true", f"    tags: [{', '.join(tags)}]"]
    (folder / "q.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _build(bank: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["build", "--bank", str(bank), "-o", str(out),
                                     "--no-pdf", *args])


def _chosen(out: Path) -> set[str]:
    data = json.loads((out / "exam.json").read_text(encoding="utf-8"))
    return {q["id"] for form in data.get("forms") or [data] for q in form["questions"]}


FOUR = [("a", "Alpha", []), ("b", "Alpha", []), ("c", "Alpha", []), ("d", "Alpha", [])]


@pytest.mark.parametrize("seed", ["1", "2", "3"])
def test_exclude_leaves_exactly_the_others(tmp_path, seed):
    bank = _bank(tmp_path / "bank", FOUR)
    result = _build(bank, tmp_path / "out", "--total", "3", "--exclude", "b", "--seed", seed)
    assert result.exit_code == 0, result.output
    assert _chosen(tmp_path / "out") == {"a", "c", "d"}


def test_exclude_can_make_a_mix_infeasible(tmp_path):
    bank = _bank(tmp_path / "bank", FOUR)
    result = _build(bank, tmp_path / "out", "--total", "4", "--exclude", "a", "--seed", "1")
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "out").exists()


def test_tag_keeps_only_tagged_questions(tmp_path):
    bank = _bank(tmp_path / "bank", [("a", "Alpha", ["x"]), ("b", "Alpha", []),
                                     ("c", "Alpha", ["y", "x"]), ("d", "Alpha", []),
                                     ("e", "Alpha", []), ("f", "Alpha", ["y"])])
    for seed in ("1", "2", "3"):
        result = _build(bank, tmp_path / seed, "--total", "2", "--tag", "x", "--seed", seed)
        assert result.exit_code == 0, result.output
        assert _chosen(tmp_path / seed) == {"a", "c"}
    either = _build(bank, tmp_path / "any", "--total", "3", "--tag", "x", "--tag", "y",
                    "--seed", "1")
    assert either.exit_code == 0, either.output
    assert _chosen(tmp_path / "any") == {"a", "c", "f"}
    assert _build(bank, tmp_path / "no", "--total", "3", "--tag", "x").exit_code == 1


def test_each_topic_takes_the_lone_question_of_a_small_topic(tmp_path):
    bank = _bank(tmp_path / "bank", [*FOUR, ("z", "Zeta", [])])
    for seed in ("1", "2", "3", "4"):
        result = _build(bank, tmp_path / seed, "--total", "2", "--each-topic", "1",
                        "--seed", seed)
        assert result.exit_code == 0, result.output
        assert "z" in _chosen(tmp_path / seed)
    assert _build(bank, tmp_path / "no", "--total", "1", "--each-topic", "1").exit_code == 1


def test_exclude_used_reads_every_form_of_a_forms_manifest(tmp_path):
    bank = _bank(tmp_path / "bank", [(q, "Alpha", []) for q in "abcdef"])
    first = _build(bank, tmp_path / "forms", "--total", "2", "--forms", "2", "--seed", "1")
    assert first.exit_code == 0, first.output
    used = _chosen(tmp_path / "forms")
    assert len(used) == 4
    second = _build(bank, tmp_path / "next", "--total", "2", "--seed", "1", "--exclude-used",
                    str(tmp_path / "forms" / "exam.json"))
    assert second.exit_code == 0, second.output
    assert _chosen(tmp_path / "next") == set("abcdef") - used


def test_require_is_always_chosen(tmp_path):
    bank = _bank(tmp_path / "bank", [(q, "Alpha", []) for q in "abcdef"])
    for seed in ("1", "2", "3"):
        result = _build(bank, tmp_path / seed, "--total", "1", "--require", "e", "--seed", seed)
        assert result.exit_code == 0, result.output
        assert _chosen(tmp_path / seed) == {"e"}


@pytest.mark.parametrize("flag", [["--seed", "2"], ["--variants", "2"], ["--forms", "2"],
                                  ["--overlap", "1"], ["--easy", "1"], ["--total", "2"],
                                  ["--tag", "x"], ["--exclude", "a"], ["--each-topic", "1"]])
def test_from_refuses_each_flag_that_would_change_the_exam(tmp_path, flag):
    bank = _bank(tmp_path / "bank", FOUR)
    assert _build(bank, tmp_path / "out", "--total", "2", "--seed", "1").exit_code == 0
    before = (tmp_path / "out" / "exam.json").read_bytes()
    result = _build(bank, tmp_path / "out", "--from", str(tmp_path / "out" / "exam.json"),
                    *flag)
    assert result.exit_code == 2, result.output
    assert "--from rebuilds the exam exactly as it was; drop" in result.output
    assert flag[0] in result.output.split("drop", 1)[1]
    assert (tmp_path / "out" / "exam.json").read_bytes() == before


def test_prefer_unused_takes_the_least_used_questions_but_never_fails(tmp_path):
    bank = _bank(tmp_path / "bank", FOUR)
    assert _build(bank, tmp_path / "one", "--total", "2", "--seed", "1").exit_code == 0
    first = _chosen(tmp_path / "one")
    for seed in range(5):
        out = tmp_path / f"two{seed}"
        result = _build(bank, out, "--total", "2", "--seed", str(seed), "--prefer-unused",
                        str(tmp_path / "one" / "exam.json"))
        assert result.exit_code == 0, result.output
        assert _chosen(out) == {"a", "b", "c", "d"} - first
    third = tmp_path / "three"
    result = _build(bank, third, "--total", "3", "--seed", "1", "--prefer-unused",
                    str(tmp_path / "one" / "exam.json"), "--prefer-unused",
                    str(tmp_path / "two0" / "exam.json"))
    assert result.exit_code == 0, "a preference, not a filter: 3 of 4 used ones are fine"
    assert len(_chosen(third)) == 3
    data = json.loads((third / "exam.json").read_text())
    assert data["mix"]["prefer_unused"] == [str(tmp_path / "one" / "exam.json"),
                                            str(tmp_path / "two0" / "exam.json")]


def _types_of(out: Path) -> list[str]:
    data = json.loads((out / "exam.json").read_text(encoding="utf-8"))
    return [q["type"] for form in data.get("forms") or [data] for q in form["questions"]]


@pytest.mark.parametrize("seed", ["1", "2", "3", "4", "5"])
def test_type_limits_hold_on_the_sample_bank(tmp_path, seed):
    root = Path(__file__).resolve().parent.parent
    result = _build(root / "bank", tmp_path / "out", "--total", "12", "--type", "open=0:1",
                    "--type", "numeric=2:2", "--type", "cloze=1", "--seed", seed)
    assert result.exit_code == 0, result.output
    types = _types_of(tmp_path / "out")
    assert types.count("open") <= 1 and types.count("numeric") == 2
    assert types.count("cloze") >= 1


def test_type_limits_come_from_a_blueprint_and_name_themselves_when_they_conflict(tmp_path):
    root = Path(__file__).resolve().parent.parent
    blueprint = tmp_path / "final.yaml"
    blueprint.write_text("mix:\n  total: 6\n  types:\n    open: 0\n    truefalse: '6'\n",
                         encoding="utf-8")
    result = _build(root / "bank", tmp_path / "out", "--blueprint", str(blueprint),
                    "--seed", "1")
    assert result.exit_code == 0, result.output
    assert _types_of(tmp_path / "out") == ["truefalse"] * 6
    result = _build(root / "bank", tmp_path / "out2", "--total", "4", "--type", "open=3",
                    "--type", "numeric=2", "--seed", "1")
    assert result.exit_code == 1
    assert '--type "open=3"' in result.output and '--type "numeric=2"' in result.output


def test_order_from_the_command_line_and_from_a_blueprint(tmp_path):
    root = Path(__file__).resolve().parent.parent
    result = _build(root / "bank", tmp_path / "out", "--total", "9", "--variants", "3",
                    "--order", "difficulty", "--seed", "2")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "exam.json").read_text(encoding="utf-8"))
    level = {q["id"]: ["easy", "medium", "hard"].index(q["difficulty"])
             for q in data["questions"]}
    orders = [v["order"] for v in data["variants"]]
    for order in orders:
        assert [level[i] for i in order] == sorted(level[i] for i in order)
    blueprint = tmp_path / "final.yaml"
    blueprint.write_text("order: topic\nmix:\n  total: 9\n", encoding="utf-8")
    result = _build(root / "bank", tmp_path / "out2", "--blueprint", str(blueprint),
                    "--variants", "2", "--seed", "2")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out2" / "exam.json").read_text(encoding="utf-8"))
    topic = {q["id"]: q["topic"] for q in data["questions"]}
    for variant in data["variants"]:
        seen = [topic[i] for i in variant["order"]]
        runs = [t for k, t in enumerate(seen) if k == 0 or seen[k - 1] != t]
        assert len(runs) == len(set(runs)), seen  # each topic in one run
    blueprint.write_text("order: alphabetical\nmix:\n  total: 9\n", encoding="utf-8")
    result = _build(root / "bank", tmp_path / "out3", "--blueprint", str(blueprint))
    assert result.exit_code == 2 and "final.yaml:1" in result.output
    assert "'order' must be one of random, difficulty, topic, bank" in result.output


def test_a_blueprint_names_its_bank_and_layout_relative_to_itself(tmp_path):
    import shutil

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "bank", tmp_path / "courses" / "bank")
    shutil.copytree(root / "layouts" / "de", tmp_path / "courses" / "exams" / "house")
    blueprint = tmp_path / "courses" / "exams" / "final.yaml"
    blueprint.write_text("bank: ../bank\nlayout: house\nmix:\n  total: 4\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--blueprint", str(blueprint), "-o", str(out),
                                       "--seed", "1"])  # run from anywhere: no --bank
    assert result.exit_code == 0, result.output
    data = json.loads((out / "exam.json").read_text(encoding="utf-8"))
    assert Path(data["bank"]["path"]).resolve() == (tmp_path / "courses" / "bank").resolve()
    assert data["header"]["layout"] == str(tmp_path / "courses" / "exams" / "house")
    from pypdf import PdfReader

    assert "Klausur" in PdfReader(out / "exam.pdf").pages[0].extract_text()
    result = CliRunner().invoke(main, ["coverage", "--blueprint", str(blueprint)])
    assert result.exit_code == 0 and "exam(s) of" in result.output


# The documented default working time per point, by type (docs/bank-format.md), written
# out again here rather than imported.
MINUTES = {"truefalse": 1.0, "single": 1.5, "multiple": 2.0, "short": 2.0, "numeric": 3.0,
           "cloze": 2.0, "open": 5.0}


@pytest.mark.parametrize("seed", ["1", "2", "3"])
def test_minutes_bound_the_working_time_and_the_header_says_it(tmp_path, seed):
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--bank", str(root / "bank"), "--total", "8",
                                       "--minutes", "12:14", "--seed", seed, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "exam.json").read_text(encoding="utf-8"))
    spent = sum(MINUTES[q["type"]] * q["points"] for q in data["questions"])
    assert 12 <= spent <= 14
    from pypdf import PdfReader

    text = " ".join(PdfReader(out / "exam.pdf").pages[0].extract_text().split())
    assert f"the questions take about {-int(-spent // 1)} minutes" in text


def test_a_question_s_own_minutes_count_and_bad_ones_are_refused(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    lines = ["topic: T", "questions:"]
    for n, minutes in enumerate((4, 4, 4, 20)):
        lines += [f"  - id: q{n}", "    difficulty: easy", "    knowledge: recall",
                  "    type: truefalse", f"    text: Is {n} true?", "    answer: true",
                  f"    minutes: {minutes}"]
    (bank / "q.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _build(bank, tmp_path / "out", "--total", "3", "--minutes", "12", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert _chosen(tmp_path / "out") == {"q0", "q1", "q2"}
    (bank / "q.yaml").write_text("\n".join(lines).replace("minutes: 20", "minutes: -1") + "\n",
                                 encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--bank", str(bank)])
    assert result.exit_code == 2 and "q.yaml:30" in result.output
    assert "'minutes' must be a number > 0, not -1" in result.output


def _twins(folder: Path, short: int, long: int, qtype_short: str = "truefalse") -> Path:
    """Questions alike in cell, topic and points: ``short`` take 1 minute, ``long`` 5."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["topic: T", "questions:"]
    for n in range(short + long):
        fast = n < short
        qtype = qtype_short if fast else "truefalse"
        lines += [f"  - id: {'fast' if fast else 'slow'}{n}", "    difficulty: easy",
                  "    knowledge: recall", f"    type: {qtype}", f"    text: Is {n} true?",
                  f"    minutes: {1 if fast else 5}"]
        lines += (["    answer: true"] if qtype == "truefalse" else
                  ["    options:", "      - {text: 'yes', correct: true}", "      - 'no'"])
    (folder / "q.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("seed", ["1", "2", "3", "4"])
def test_minutes_and_types_survive_the_pruning_of_look_alike_questions(tmp_path, seed):
    """28 slow twins outnumber the 2 fast ones that alone fit: a pruning that could not
    tell them apart would keep slow ones and find no exam."""
    bank = _twins(tmp_path / "bank", 2, 28)
    result = _build(bank, tmp_path / "out", "--total", "2", "--minutes", "2", "--seed", seed)
    assert result.exit_code == 0, result.output
    assert _chosen(tmp_path / "out") == {"fast0", "fast1"}
    typed = _twins(tmp_path / "typed", 2, 28, qtype_short="single")
    result = _build(typed, tmp_path / "out2", "--total", "2", "--type", "single=2",
                    "--seed", seed)
    assert result.exit_code == 0, result.output
    assert _chosen(tmp_path / "out2") == {"fast0", "fast1"}


def test_the_manifest_records_type_limits_and_working_time(tmp_path):
    root = Path(__file__).resolve().parent.parent
    for minutes, recorded in (("30", [0, 30]), ("12:30", [12, 30]), ("12:", [12, None])):
        out = tmp_path / minutes.replace(":", "-")
        result = _build(root / "bank", out, "--total", "8", "--type", "open=0:1", "--type",
                        "single=2", "--minutes", minutes, "--seed", "1")
        assert result.exit_code == 0, result.output
        mix = json.loads((out / "exam.json").read_text(encoding="utf-8"))["mix"]
        assert mix["types"] == {"open": {"min": 0, "max": 1}, "single": {"min": 2, "max": None}}
        assert mix["minutes"] == recorded


def test_a_working_time_the_bank_cannot_meet_is_explained_in_minutes(tmp_path):
    bank = _twins(tmp_path / "bank", 1, 3)
    result = _build(bank, tmp_path / "out", "--total", "3", "--minutes", "6", "--seed", "1")
    assert result.exit_code == 1
    assert ("--minutes 6: at most 6 minutes of working time; the questions take 1 to 5 "
            "minutes each") in result.output


@pytest.mark.parametrize("types, message", [
    ("[open]", "final.yaml:3: types map a question type to MIN or MIN:MAX, e.g. types: "
               "{open: '0:2'}"),
    ("{opne: 1}", "final.yaml:3: unknown type 'opne' (did you mean 'open'?); valid: single, "
                  "multiple, truefalse, short, numeric, open, cloze"),
    ("{open: '1.5'}", "final.yaml:3: type 'open': expected N or MIN:MAX, got '1.5'")])
def test_bad_type_limits_in_a_blueprint_name_their_line(tmp_path, types, message):
    root = Path(__file__).resolve().parent.parent
    blueprint = tmp_path / "final.yaml"
    blueprint.write_text(f"mix:\n  total: 4\n  types: {types}\n", encoding="utf-8")
    result = _build(root / "bank", tmp_path / "out", "--blueprint", str(blueprint))
    assert result.exit_code == 2, result.output
    assert message in result.output.replace(str(tmp_path) + "/", "")
