"""Scoring rules on paper, worked out by hand, and the paper's 'moodle' scheme checked
against the fractions the Moodle export writes for the same question."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from examgen.export.moodle import to_moodle_xml
from examgen.grade.scale import read_scale
from examgen.model import Difficulty, Knowledge, MultipleChoice, Option, SingleChoice, TrueFalse
from examgen.scoring import choice_fraction, truefalse_fraction
from examgen.sheet import score_steps


def _multiple(correct: int, wrong: int) -> MultipleChoice:
    options = tuple(Option(f"right {i}", True) for i in range(correct)) + tuple(
        Option(f"wrong {i}") for i in range(wrong))
    return MultipleChoice(id="m", topic="T", difficulty=Difficulty.EASY,
                          knowledge=Knowledge.RECALL, text="Which?", points=2, options=options)


def test_all_or_nothing_needs_exactly_the_correct_boxes():
    q = _multiple(2, 2)
    assert choice_fraction(q, [0, 1], "all-or-nothing") == 1
    assert choice_fraction(q, [0], "all-or-nothing") == 0
    assert choice_fraction(q, [0, 1, 2], "all-or-nothing") == 0


def test_per_option_counts_each_box_right_or_wrong_with_floor_zero():
    q = _multiple(2, 2)  # 4 boxes
    assert choice_fraction(q, [0, 1], "per-option") == 1
    assert choice_fraction(q, [0], "per-option") == pytest.approx(0.5)  # 3 right, 1 wrong
    assert choice_fraction(q, [0, 2], "per-option") == 0  # 2 right, 2 wrong
    assert choice_fraction(q, [2, 3], "per-option") == 0  # floor


def test_single_choice_and_true_false_are_all_or_nothing_in_every_scheme():
    q = SingleChoice(id="s", topic="T", difficulty=Difficulty.EASY, knowledge=Knowledge.RECALL,
                     text="?", options=(Option("a"), Option("b", True), Option("c")))
    for scheme in ("moodle", "per-option", "all-or-nothing"):
        assert choice_fraction(q, [1], scheme) == 1
        assert choice_fraction(q, [1, 2], scheme) == 0
        assert choice_fraction(q, [], scheme) == 0
    tf = TrueFalse(id="t", topic="T", difficulty=Difficulty.EASY, knowledge=Knowledge.RECALL,
                   text="?", answer=False)
    assert truefalse_fraction(tf, [False]) == 1
    assert truefalse_fraction(tf, [True, False]) == 0


@pytest.mark.parametrize("correct,wrong", [(1, 3), (2, 2), (3, 4), (2, 5)])
def test_the_paper_moodle_scheme_is_the_grade_moodle_gives(correct, wrong):
    """Moodle adds the fractions of the ticked options and keeps the sum in 0..1."""
    q = _multiple(correct, wrong)
    xml = to_moodle_xml([q], "T")
    fractions = [float(f) / 100 for f in re.findall(r'<answer fraction="([-0-9.]+)"', xml)]
    for size in range(len(q.options) + 1):
        for ticked in itertools.combinations(range(len(q.options)), size):
            moodle = min(1.0, max(0.0, sum(fractions[i] for i in ticked)))
            assert choice_fraction(q, ticked, "moodle") == pytest.approx(moodle, abs=1e-6)


def test_score_boxes_step_by_half_points_and_fit_one_row():
    assert score_steps(1) == [0, 0.5, 1]
    assert score_steps(2) == [0, 0.5, 1, 1.5, 2]
    assert score_steps(10) == [float(k) for k in range(11)]
    assert score_steps(40) == [0, 5, 10, 15, 20, 25, 30, 35, 40]
    assert len(score_steps(7.25)) <= 11 and score_steps(7.25)[-1] == 7.25


def test_a_grading_scale_gives_the_grade_of_the_highest_threshold_reached(tmp_path):
    scale = tmp_path / "scale.txt"
    scale.write_text("# German scale\n0% 5.0\n50% 4.0\n75%;2,0\n95% 1.0\n")
    read = read_scale(scale)
    assert read.grade(9.9, 20) == "5.0"
    assert read.grade(10, 20) == "4.0"
    assert read.grade(15, 20) == "2,0"
    assert read.grade(20, 20) == "1.0"
    scale.write_text("0% 5.0\n50 percent 4.0\n")
    from examgen.errors import MixError

    with pytest.raises(MixError, match=r"scale.txt:2: write a threshold and a grade"):
        read_scale(scale)
    scale.write_text("0x10 4.0\n")
    with pytest.raises(MixError, match=r"scale.txt:1: the threshold '0x10'"):
        read_scale(Path(scale))
