"""The loader accepts the sample bank and names file, line and fix for every broken one."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from examgen.bank.loader import check_bank, load_bank
from examgen.cli import main
from examgen.core.errors import BankError
from examgen.core.model import CELLS, Level

from .conftest import BANKS, ROOT
from .test_oracle import SAMPLE_TYPES

BROKEN = [
    ("yaml-syntax", "broken.yaml", 11, "YAML syntax error at column 9: did not find expected ','"),
    ("unknown-field", "q.yaml", 9, "unknown field 'explanaton' (did you mean 'explanation'?)"),
    ("missing-field", "q.yaml", 3, "question 'no-difficulty': missing field 'difficulty'"),
    ("unknown-type", "q.yaml", 6, "unknown type 'singel' (did you mean 'single'?)"),
    ("unknown-difficulty", "q.yaml", 4, "unknown difficulty 'eazy' (did you mean 'easy'?)"),
    ("unknown-knowledge", "q.yaml", 5, "unknown knowledge 'recal' (did you mean 'recall'?)"),
    ("duplicate-id", "b.yaml", 3, "duplicate id 'ok-1' (first defined at "),
    ("single-two-correct", "q.yaml", 8, "needs exactly one correct option, it has 2"),
    ("multiple-none-correct", "q.yaml", 8, "'multiple' question needs at least one option"),
    ("duplicate-options", "q.yaml", 12, "duplicate option 'B'"),
    ("missing-image", "q.yaml", 9, "image file 'images/nowhere.png' not found"),
    ("image-outside", "q.yaml", 9, "leaves the bank folder"),
    ("numeric-no-value", "q.yaml", 3, "a 'numeric' question needs 'value:'"),
    ("cloze-no-gaps", "q.yaml", 3, "a 'cloze' question needs 'gaps:'"),
]


@pytest.mark.parametrize("case, file, line, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_check_names_file_line_and_problem(case, file, line, message):
    folder = BANKS / case
    result = CliRunner().invoke(main, ["check", "--bank", str(folder)])
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert first.startswith(f"{folder / file}:{line}: ")
    assert message in first
    assert "Traceback" not in result.output
    assert result.output.splitlines()[-1].startswith("1 problem(s)")


def test_duplicate_id_names_both_places():
    _, problems = check_bank(BANKS / "duplicate-id")
    assert f"{BANKS / 'duplicate-id' / 'a.yaml'}:3" in problems[0].message


def test_check_lists_every_problem_not_just_the_first(tmp_path):
    for case in ("unknown-difficulty", "numeric-no-value"):
        (tmp_path / f"{case}.yaml").write_text((BANKS / case / "q.yaml").read_text()
                                               .replace("ok-1", case))
    result = CliRunner().invoke(main, ["check", "--bank", str(tmp_path)])
    assert result.exit_code == 2
    assert "eazy" in result.output and "needs 'value:'" in result.output
    assert "2 problem(s)" in result.output


def test_load_bank_raises_with_all_problems():
    with pytest.raises(BankError) as err:
        load_bank(BANKS / "unknown-type")
    assert err.value.problems[0].line == 6


def test_missing_bank_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["coverage", "--bank", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such bank folder" in result.output


def test_sample_bank_is_clean_and_rich(sample_bank):
    result = CliRunner().invoke(main, ["check", "--bank", str(ROOT / "bank")])
    assert result.exit_code == 0, result.output
    qs = sample_bank.questions
    assert len(qs) >= 60
    for cell in CELLS:
        assert sum(q.cell == cell for q in qs) >= 5, cell
    for qtype in SAMPLE_TYPES:
        assert sum(q.type == qtype for q in qs) >= 2, qtype
    assert any(q.image and q.image.is_file() for q in qs)
    assert any(set("äöüß") & set(q.text) for q in qs)
    seeds = [q for q in qs if q.source.startswith("Lecture 8")]
    assert {q.id for q in seeds} >= {"gan-deepfakes", "tl-false-statement",
                                     "tl-when-data", "tl-when-process"}


def test_seed_questions_keep_their_answers(sample_bank):
    by_id = sample_bank.by_id
    answer = {qid: next(o.text for o in by_id[qid].options if o.correct)
              for qid in ("gan-deepfakes", "tl-false-statement", "tl-when-data",
                          "tl-when-process")}
    assert answer["gan-deepfakes"] == "Generative Adversarial Networks"
    assert answer["tl-when-data"] == "similar | less"
    assert answer["tl-when-process"] == "Data | Computational Resources"
    assert "more training data" in answer["tl-false-statement"]


def test_level_is_derived_from_the_cell(sample_bank):
    q = sample_bank.by_id["gan-deepfakes"]
    assert (q.cell, q.level) == ("easy/recall", Level.GREEN)
    assert sample_bank.by_id["yolo-iou"].level is Level.RED


def test_text_with_markup_characters_is_kept_literally(tmp_path):
    (tmp_path / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: lt\n    difficulty: easy\n    knowledge: recall\n"
        "    type: truefalse\n    text: 'Is 1 < 2 & <b>bold</b>?'\n    answer: true\n")
    assert load_bank(tmp_path).questions[0].text == "Is 1 < 2 & <b>bold</b>?"


def test_digest_changes_with_the_bank(tmp_path):
    (tmp_path / "q.yaml").write_text((BANKS / "unknown-field" / "q.yaml").read_text()
                                     .replace("    explanaton: A typo.\n", ""))
    before = load_bank(tmp_path).digest
    (tmp_path / "q.yaml").write_text((tmp_path / "q.yaml").read_text().replace("valid", "fine"))
    assert load_bank(tmp_path).digest != before


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 50), st.floats(-1, 10),
                     st.text(max_size=12), st.sampled_from(
                         ["easy", "recall", "single", "cloze", "{{1}}", "x.png", "../x"]))
_keys = st.sampled_from(["id", "topic", "difficulty", "knowledge", "type", "text", "points",
                         "options", "answers", "answer", "value", "tolerance", "gaps",
                         "image", "tags", "group", "correct", "fixed_order", "answer_lines",
                         "model_answer", "questions", "explanation", "unit", "bogus"])
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=6)), max_leaves=25)


@settings(max_examples=150, deadline=None)
@given(doc=st.one_of(_values, st.fixed_dictionaries(
    {"topic": _scalars, "questions": st.lists(st.dictionaries(_keys, _values), max_size=4)})))
def test_any_yaml_gives_problems_never_a_crash(tmp_path_factory, doc):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "q.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    bank, problems = check_bank(folder)
    for problem in problems:
        assert problem.file.endswith("q.yaml") and problem.line >= 0 and problem.message


def test_anchors_and_merges_still_work(tmp_path):
    (tmp_path / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        "  - &base\n    id: a\n    difficulty: easy\n    knowledge: recall\n"
        "    type: truefalse\n    text: A?\n    answer: true\n"
        "  - <<: *base\n    id: b\n    text: B?\n    answer: false\n"
        "  - id: c\n    difficulty: hard\n    knowledge: recall\n    type: short\n"
        "    text: C?\n    answers: &same [x, y]\n"
        "  - <<: *base\n    id: d\n    type: short\n    answers: *same\n"
        "    answer: oops\n")
    _, problems = check_bank(tmp_path)
    # d merges base's 'answer' (a true/false field); its own 'answer' overrides the merged one
    assert [(p.line, p.message) for p in problems] == [
        (24, "question 'd': unknown field 'answer'; 'answer' belongs to another question "
             "type than 'short'")]
    (tmp_path / "q.yaml").write_text((tmp_path / "q.yaml").read_text().replace(
        "  - <<: *base\n    id: d\n    type: short\n    answers: *same\n    answer: oops\n",
        ""))
    bank = load_bank(tmp_path)
    assert [(q.id, q.difficulty.value, q.text, getattr(q, "answer", None),
             getattr(q, "answers", ())) for q in bank.questions] == [
        ("a", "easy", "A?", True, ()), ("b", "easy", "B?", False, ()),
        ("c", "hard", "C?", None, ("x", "y"))]
    (tmp_path / "q.yaml").write_text((tmp_path / "q.yaml").read_text().replace(
        "    text: B?\n", "    text: B?\n    id: b2\n"))
    _, problems = check_bank(tmp_path)
    assert [(p.line, p.message) for p in problems] == [
        (13, "YAML syntax error at column 5: duplicate key 'id'")]
