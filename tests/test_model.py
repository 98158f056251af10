"""The question classes say what is correct; a variant's permutation only reorders it."""

from __future__ import annotations

from examgen.core.model import (
    ChoiceGap,
    Cloze,
    Difficulty,
    Knowledge,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Option,
    ShortAnswer,
    SingleChoice,
    TextGap,
    TrueFalse,
    format_number,
    key_answer,
)

CELL = {"topic": "T", "difficulty": Difficulty.EASY, "knowledge": Knowledge.RECALL,
        "text": "?"}
OPTIONS = (Option("w0"), Option("right", correct=True), Option("w2"), Option("also", True))


def test_choice_answers_follow_the_printed_order():
    single = SingleChoice(id="s", options=OPTIONS[:3], **CELL)
    multiple = MultipleChoice(id="m", options=OPTIONS, **CELL)
    assert [o.text for o in single.shown()] == ["w0", "right", "w2"], "bank order by default"
    assert key_answer(single) == "b"
    assert key_answer(single, (1, 0, 2)) == "a"
    assert key_answer(single, (2, 0, 1)) == "c"
    assert key_answer(multiple) == ["b", "d"]
    assert key_answer(multiple, (3, 2, 1, 0)) == ["a", "c"]
    assert [o.text for o in multiple.shown((3, 2, 1, 0))] == ["also", "w2", "right", "w0"]


def test_other_answers_are_the_fields_as_written():
    assert key_answer(TrueFalse(id="t", answer=True, **CELL)) == "true"
    assert key_answer(TrueFalse(id="f", answer=False, **CELL)) == "false"
    assert key_answer(ShortAnswer(id="a", answers=("R*S*T", "rst"), **CELL)) == "R*S*T"
    assert key_answer(Numeric(id="n", value=0.15, tolerance=0.01, unit="%", **CELL)) == \
        "0.15 ± 0.01 %"
    assert key_answer(Numeric(id="n", value=1234567, **CELL)) == "1234567"
    assert key_answer(Numeric(id="n", value=-2.5, unit="m", **CELL)) == "-2.5 m"
    assert key_answer(OpenQuestion(id="o", model_answer="Because.", **CELL)) == "Because."
    cloze = Cloze(id="c", gaps=(TextGap(("boxes", "bounding boxes")),
                                ChoiceGap((Option("backward"), Option("forward", True)))),
                  **{**CELL, "points": 3})
    assert key_answer(cloze) == ["boxes", "forward"]
    assert cloze.gap_points() == (1.5, 1.5)
    assert Cloze(id="c", gaps=(TextGap(("a",), 2), TextGap(("b",), 1)), **CELL).gap_points() \
        == (2, 1)


def test_numbers_print_exactly():
    assert [format_number(v) for v in (2, 2.0, 0.15, 1e-06, 1234567.125, -0.5, 1e16, 1e17)] \
        == ["2", "2", "0.15", "1e-06", "1234567.125", "-0.5", "1e+16", "1e+17"]
