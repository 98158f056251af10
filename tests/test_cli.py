"""The command line as a lecturer uses it: exit codes, messages, files, and the README."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from click.testing import CliRunner

from examgen.cli import main

from .conftest import ROOT, variant_question

BANK = str(ROOT / "bank")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def build(tmp_path, *args: str, name: str = "out"):
    out = tmp_path / name
    result = run("build", "--bank", BANK, "-o", str(out), *args)
    return result, out


def test_build_easy_hard_gives_that_mix_and_same_seed_same_bytes(tmp_path):
    result, out = build(tmp_path, "--easy", "5", "--hard", "2", "--seed", "7")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "exam.json").read_text())
    assert [q["difficulty"] for q in manifest["questions"]].count("easy") == 5
    assert [q["difficulty"] for q in manifest["questions"]].count("hard") == 2
    assert len(manifest["questions"]) == 7
    assert manifest["seed"] == 7 and manifest["bank"]["digest"]
    variant = manifest["variants"][0]
    assert variant["name"] == "A" and sorted(variant["order"]) == sorted(
        q["id"] for q in manifest["questions"])
    again, out2 = build(tmp_path, "--easy", "5", "--hard", "2", "--seed", "7", name="again")
    assert (out / "exam.json").read_bytes() == (out2 / "exam.json").read_bytes()
    assert "seed 7" in result.output


def test_a_title_the_fonts_cannot_print_is_named_before_it_prints_as_boxes(tmp_path):
    result, out = build(tmp_path, "--total", "2", "--seed", "1", "--title",
                        "机器学习 Exam", "--course", "Ελληνικά Ünïcödé")
    assert result.exit_code == 0, result.output
    assert "the exam's title has characters examgen's fonts cannot print (机, 器, 学, " \
        "习)" in result.output
    assert "the exam's course" not in result.output  # Greek and accents print
    assert (out / "exam.pdf").exists()


def test_manifest_answers_follow_the_option_permutation(tmp_path):
    result, out = build(tmp_path, "--total", "30", "--seed", "11", "--variants", "3")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "exam.json").read_text())
    from examgen.bank.loader import load_bank
    bank = load_bank(BANK)
    for variant in manifest["variants"]:
        for qid, perm in variant["options"].items():
            q = variant_question(bank, variant, qid)  # a parametrised one: its draw's
            if q.type == "matching":  # the right items in printed order; a letter per left
                rights = [q.choices[i] for i in perm]
                assert variant["answers"][qid] == [chr(97 + rights.index(p.right))
                                                   for p in q.pairs]
                continue
            shown = [q.options[i] for i in perm]
            letters = [chr(97 + k) for k, o in enumerate(shown) if o.correct]
            expected = letters[0] if q.type == "single" else letters
            assert variant["answers"][qid] == expected


def test_without_a_seed_one_is_drawn_and_printed(tmp_path):
    result, out = build(tmp_path, "--total", "3")
    seed = json.loads((out / "exam.json").read_text())["seed"]
    assert f"--seed {seed}" in result.output


def test_infeasible_mix_exits_1_with_the_conflict(tmp_path):
    result, out = build(tmp_path, "--cell", "hard/recall=3", "--topic", "GAN=3", "--total", "3")
    assert result.exit_code == 1
    assert 'cannot hold together' in result.output
    assert '--cell hard/recall=3' in result.output and '--topic "GAN=3"' in result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "no partial output"


def test_too_many_hard_questions(tmp_path):
    hard = sum(text.count("difficulty: hard") for text in
               (p.read_text(encoding="utf-8") for p in (ROOT / "bank").glob("*.yaml")))
    result, _ = build(tmp_path, "--hard", "30")
    assert result.exit_code == 1
    assert (f"--hard 30: asked for exactly 30 hard questions, the bank has {hard}"
            in result.output)


@pytest.mark.parametrize("args, message", [
    (["--easy", "5", "--recall", "3"], "make them agree or give --total N"),
    (["--total", "5", "--topic", "Quantum=1"], "no topic 'Quantum' in the bank"),
    (["--total", "5", "--topic", "learn=1"], "topic 'learn' is ambiguous"),
    (["--cell", "easy/recal=2"], "did you mean 'easy/recall'?"),
    (["--total", "3", "--require", "nope"], "no question with id 'nope'"),
    (["--points", "5:3", "--total", "3"], "--points: the range '5:3' is empty"),
    ([], "say how many questions"),
])
def test_bad_mix_is_a_usage_error(tmp_path, args, message):
    result, _ = build(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_exclude_used_never_reuses_questions(tmp_path):
    _, first = build(tmp_path, "--total", "20", "--seed", "1", name="first")
    result, second = build(tmp_path, "--total", "20", "--seed", "1", "--exclude-used",
                           str(first / "exam.json"), name="second")
    assert result.exit_code == 0, result.output
    ids = [{q["id"] for q in json.loads((d / "exam.json").read_text())["questions"]}
           for d in (first, second)]
    assert not ids[0] & ids[1]


def test_from_rebuilds_the_same_exam_and_warns_on_a_changed_bank(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    for f in (ROOT / "bank").glob("*.yaml"):
        (bank / f.name).write_text(f.read_text())
    (bank / "images").mkdir()
    (bank / "images" / "yolo-grid.png").write_bytes(
        (ROOT / "bank" / "images" / "yolo-grid.png").read_bytes())
    out = tmp_path / "out"
    assert run("build", "--bank", str(bank), "--total", "8", "--seed", "4", "--variants", "2",
               "-o", str(out)).exit_code == 0
    rebuilt = run("build", "--from", str(out / "exam.json"), "-o", str(tmp_path / "re"))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert (out / "exam.json").read_text() == (tmp_path / "re" / "exam.json").read_text()
    (bank / "gan.yaml").write_text((bank / "gan.yaml").read_text() + "\n# edited\n")
    warned = run("build", "--from", str(out / "exam.json"), "-o", str(tmp_path / "re2"))
    assert warned.exit_code == 0
    assert "changed since" in warned.output


def test_blueprint_builds_and_flags_override(tmp_path):
    blueprint = str(ROOT / "examples" / "final-exam.yaml")
    result, out = build(tmp_path, "--blueprint", blueprint)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "exam.json").read_text())
    assert manifest["seed"] == 2027 and len(manifest["variants"]) == 2
    assert len(manifest["questions"]) == 20
    assert manifest["header"]["title"] == "Final exam"
    assert "gan-deepfakes" in {q["id"] for q in manifest["questions"]}
    result, out = build(tmp_path, "--blueprint", blueprint, "--seed", "5", "--variants", "1",
                        name="override")
    manifest = json.loads((out / "exam.json").read_text())
    assert manifest["seed"] == 5 and len(manifest["variants"]) == 1


def test_blueprint_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: X\nmix:\n  total: 3\n  hardd: 2\n")
    result, _ = build(tmp_path, "--blueprint", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4: unknown key 'hardd'" in result.output


def test_forms_write_one_manifest_with_disjoint_forms(tmp_path):
    result, out = build(tmp_path, "--easy", "3", "--hard", "1", "--forms", "3", "--seed", "2")
    assert result.exit_code == 0, result.output
    forms = json.loads((out / "exam.json").read_text())["forms"]
    ids = [q["id"] for f in forms for q in f["questions"]]
    assert [f["name"] for f in forms] == ["1", "2", "3"] and len(ids) == len(set(ids)) == 12


def _commands(group=main, path=()):  # type: ignore[no-untyped-def]
    """Every command path of the command line, groups included: ("export", "qti"), ..."""
    yield path
    for name, command in getattr(group, "commands", {}).items():
        yield from _commands(command, (*path, name))


@pytest.mark.parametrize("command", list(_commands()), ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example: examgen " in result.output, command


def test_readme_starts_with_the_two_setup_commands(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1).strip().splitlines()
    assert block[0] == "pip install -e . && examgen build --easy 5 --hard 2"
    assert block[1] == "pip install -e '.[test]' && python -m pytest"
    assert block[1] in (ROOT / ".ci" / "run").read_text()
    (tmp_path / "bank").symlink_to(ROOT / "bank")
    monkeypatch.chdir(tmp_path)
    result = run(*shlex.split(block[0].split("&&")[1])[1:])
    assert result.exit_code == 0, result.output
    for name in ("exam.json", "exam.pdf", "key.pdf"):
        assert (tmp_path / "out" / name).stat().st_size > 1000


def test_from_refuses_flags_that_would_change_the_exam(tmp_path):
    _, out = build(tmp_path, "--total", "3", "--seed", "1", "--no-pdf")
    result = run("build", "--from", str(out / "exam.json"), "--seed", "2", "--hard", "1",
                 "-o", str(tmp_path / "again"))
    assert result.exit_code == 2
    assert "drop --seed, --easy/--medium/--hard" in result.output


def test_a_bug_says_so_in_one_line_and_exits_70(monkeypatch):
    import examgen.api

    def broken(bank, least=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(examgen.api, "coverage_report", broken)
    result = run("coverage", "--bank", BANK)
    assert result.exit_code == 70
    assert result.output.startswith("examgen: internal error (RuntimeError: boom). This is a "
                                    "bug in examgen, not in your input")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    debug = run("--debug", "coverage", "--bank", BANK)
    assert isinstance(debug.exception, RuntimeError)


def test_a_smaller_rebuild_removes_the_earlier_builds_extra_pdfs(tmp_path):
    result, out = build(tmp_path, "--total", "3", "--seed", "1", "--variants", "4")
    assert result.exit_code == 0, result.output
    (out / "notes.pdf").write_text("mine")
    result, _ = build(tmp_path, "--total", "3", "--seed", "2", "--variants", "2")
    assert result.exit_code == 0, result.output
    assert f"replaced {out / 'exam.json'} (seed 1, 3 questions)" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["exam-A.pdf", "exam-B.pdf", "exam-all.pdf", "exam.json", "key-A.pdf",
                     "key-B.pdf", "key-overview.pdf", "notes.pdf"]
    manifest = json.loads((out / "exam.json").read_text())
    assert manifest["format"] == 2
    assert manifest["files"] == ["exam.json", "exam-A.pdf", "key-A.pdf", "exam-B.pdf",
                                 "key-B.pdf", "exam-all.pdf", "key-overview.pdf"]
    result, _ = build(tmp_path, "--total", "3", "--seed", "2", "--no-pdf")
    assert sorted(p.name for p in out.iterdir()) == ["exam.json", "notes.pdf"]
    assert not list(tmp_path.glob(".out.*")), "no staging folder is left behind"


def test_header_flags_print_and_override_the_blueprint(tmp_path):
    from pypdf import PdfReader

    blueprint = tmp_path / "bp.yaml"
    blueprint.write_text("title: From the blueprint\ncourse: ML III\nmix: {total: 3}\n")
    result, out = build(tmp_path, "--blueprint", str(blueprint), "--title", "Final exam",
                        "--date", "2027-02-12", "--duration", "90 minutes", "--seed", "1")
    assert result.exit_code == 0, result.output
    text = " ".join(PdfReader(out / "exam.pdf").pages[0].extract_text().split())
    assert text.startswith("Final exam ML III · 2027-02-12 · 90 minutes")
    assert "you have 90 minutes" in text
    header = json.loads((out / "exam.json").read_text())["header"]
    assert (header["title"], header["course"], header["date"]) == (
        "Final exam", "ML III", "2027-02-12")


def _complete(words: str) -> list[str]:
    """What click's bash completion offers after ``words`` (as the shell would ask)."""
    env = {"_EXAMGEN_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    result = CliRunner().invoke(main, [], env=env, prog_name="examgen")
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def test_shell_completion_offers_layouts_and_the_bank_s_topics(monkeypatch):
    assert {"default", "de"} <= set(_complete("examgen build --layout "))
    monkeypatch.chdir(ROOT)  # the default bank is ./bank
    assert _complete("examgen build --topic Y") == ["YOLO="]
    assert "Generative=" in _complete(f"examgen build --bank {BANK} --topic G")
