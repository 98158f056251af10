"""Scoring rules on paper, worked out by hand, and the paper's 'moodle' scheme checked
against the fractions the Moodle export writes for the same question."""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import pytest

from examgen.core.model import (
    Difficulty,
    Knowledge,
    MultipleChoice,
    Option,
    SingleChoice,
    TrueFalse,
)
from examgen.core.scoring import choice_fraction, truefalse_fraction
from examgen.core.sheet_geometry import score_steps
from examgen.formats.moodle_xml import to_moodle_xml
from examgen.grade.scale import read_scale


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
    from examgen.core.errors import InputError

    with pytest.raises(InputError, match=r"scale.txt:2: write a threshold and a grade"):
        read_scale(scale)
    scale.write_text("0x10 4.0\n")
    with pytest.raises(InputError, match=r"scale.txt:1: the threshold '0x10'"):
        read_scale(Path(scale))


@pytest.mark.parametrize("wrong, cost", [(1, 100), (2, 50), (3, 33.33333), (4, 25),
                                         (5, 20), (6, 16.66667), (7, 14.28571), (8, 12.5),
                                         (9, 11.11111), (10, 10), (11, 5), (25, 0)])
def test_a_wrong_option_costs_the_grade_step_at_or_below_its_share(wrong, cost):
    from examgen.core.scoring import penalty_share

    assert penalty_share(wrong) == cost


def test_shares_moodle_cannot_split_are_refused_and_rounding_stays_within_the_points():
    from examgen.core.scoring import moodle_grades, share

    assert share(7) == 14.28571 and share(20) == 5
    with pytest.raises(ValueError, match="11"):
        share(11)
    single = SingleChoice(id="s", topic="T", difficulty=Difficulty.EASY,
                          knowledge=Knowledge.RECALL, text="?",
                          options=(Option("a"), Option("b", True)))
    assert moodle_grades(single) == [0.0, 100.0]
    assert moodle_grades(_multiple(2, 0)) == [50, 50]
    six = _multiple(6, 1)  # 6 x 16.66667 = 100.00002: still exactly the points
    assert choice_fraction(six, range(6), "moodle") == 1.0
    with pytest.raises(ValueError, match="unknown scoring scheme 'best'"):
        choice_fraction(six, [0], "best")


def test_facility_bands_and_what_a_question_is_expected_to_score():
    from examgen.core.facility import band_of, expected_facility, pooled_facility
    from examgen.core.model import Observation

    assert [band_of(f) for f in (1.0, 0.7, 0.69, 0.4, 0.39, 0.0)] == [
        "easy", "easy", "medium", "medium", "hard", "hard"]
    gappy = {"easy": (0.8, 1.0), "medium": (0.5, 0.7), "hard": (0.0, 0.3)}
    assert [band_of(f, gappy) for f in (0.75, 0.45, 0.35)] == ["easy", "medium", "hard"]
    q = _multiple(1, 1)
    assert expected_facility(q) == 0.85  # easy, never measured: the middle of its band
    measured = dataclasses.replace(q, stats=(Observation("a", "", 30, 0.5),
                                             Observation("b", "", 10, 0.9)))
    assert pooled_facility(measured.stats) == (pytest.approx(0.6), 40)
    assert expected_facility(measured) == pytest.approx(0.6)
    assert pooled_facility(()) == (None, 0)


def _marks(item: str, states: str, values: list[str], labels: list[str] | None = None):
    from examgen.core.sheet_geometry import Box
    from examgen.grade.read import State
    from examgen.grade.score import Marks

    kinds = {"x": State.TICKED, ".": State.EMPTY, "?": State.UNSURE, "#": State.CANCELLED}
    boxes = tuple(Box(item, v, lab, 0, 0) for v, lab in zip(values, labels or values,
                                                            strict=True))
    return Marks(boxes, tuple(kinds[s] for s in states), 1)


def test_a_reading_as_a_person_says_it():
    marks = _marks("q", "x.?#", ["0", "1", "2", "3"], ["a", "b", "c", "d"])
    assert marks.shown() == "a c?"
    assert marks.ticked == ["0"] and marks.unsure == ["c"]
    assert _marks("q", "..", ["0", "1"]).shown() == "-"


def test_student_numbers_need_one_sure_tick_per_column():
    from examgen.grade.score import read_student

    digits = [str(d) for d in range(10)]
    column = {d: "." * d + "x" + "." * (9 - d) for d in range(10)}
    assert read_student([_marks("s", column[4], digits), _marks("s", column[2], digits)]) \
        == "42"
    assert read_student([_marks("s", "x?........", digits)]) is None
    assert read_student([_marks("s", "?.........", digits)]) is None
    assert read_student([_marks("s", "xx........", digits)]) is None
    assert read_student([_marks("s", "..........", digits)]) is None


def test_scoring_an_item_fills_points_and_response_or_says_what_is_open():
    from examgen.core.model import OpenQuestion
    from examgen.grade.score import ItemResult, score_item

    q = _multiple(2, 2)  # options 0, 1 correct
    item = ItemResult("m", 1, "multiple", 2, _marks("m", "x.x.", ["0", "1", "2", "3"]),
                      ticked=["2", "0"])
    item.problem = "stale"
    score_item(q, item, "all-or-nothing")
    assert (item.points, item.response, item.problem) == (0.0, "a;c", "")
    missing = ItemResult("m", 1, "multiple", 2, None)
    score_item(q, missing, "moodle")
    assert (missing.points, missing.problem) == (None, "page not scanned")
    unsure = ItemResult("m", 1, "multiple", 2, _marks("m", "x?..", ["0", "1", "2", "3"],
                                                      ["a", "b", "c", "d"]), ticked=["0"])
    score_item(q, unsure, "moodle")
    assert (unsure.points, unsure.problem) == (None, "unsure mark: a b?")
    unsure.decided = True
    score_item(q, unsure, "moodle")
    assert unsure.points == 1.0 and unsure.problem == ""
    tf = TrueFalse(id="t", topic="T", difficulty=Difficulty.EASY, knowledge=Knowledge.RECALL,
                   text="?", answer=False)
    both = ItemResult("t", 2, "truefalse", 1, _marks("t", "xx", ["true", "false"]),
                      ticked=["true", "false"])
    score_item(tf, both, "moodle")
    assert (both.points, both.response) == (0.0, "false;true")
    essay = OpenQuestion(id="o", topic="T", difficulty=Difficulty.EASY,
                         knowledge=Knowledge.RECALL, text="?", points=2)
    steps = ["0", "0.5", "1", "1.5", "2"]
    for ticked, points, problem in (([], None, "no score ticked"),
                                    (["1", "2"], None, "2 scores ticked (1 2)"),
                                    (["1.5"], 1.5, "")):
        states = "".join("x" if v in ticked else "." for v in steps)
        result = ItemResult("o", 3, "open", 2, _marks("o", states, steps), ticked=ticked)
        score_item(essay, result, "moodle")
        assert (result.points, result.problem) == (points, problem)
        assert result.response == ("1.5" if points else "")
