"""When the mix cannot be met, the message names the flags and the numbers behind them.

The bank is small enough to check every message by hand: five questions, two of them
enemies (group g), one tagged t; the points are 1, 1, 2, 1, 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from examgen.core.errors import InfeasibleError
from examgen.core.model import Bank, Difficulty, Knowledge, TrueFalse
from examgen.select.mix import Mix, resolve
from examgen.select.solver import select


def _q(qid: str, cell: str, topic: str, points: float = 1, group: str = "",
       tags: tuple[str, ...] = ()) -> TrueFalse:
    difficulty, knowledge = cell.split("/")
    return TrueFalse(id=qid, topic=topic, difficulty=Difficulty(difficulty),
                     knowledge=Knowledge(knowledge), text=qid, points=points, group=group,
                     tags=tags, answer=True)


BANK = Bank(Path("b"), (
    _q("a", "easy/recall", "Alpha"),
    _q("b", "easy/recall", "Alpha", group="g"),
    _q("c", "hard/application", "Beta", 2, group="g"),
    _q("d", "hard/recall", "Beta", tags=("t",)),
    _q("e", "medium/application", "Gamma", 3),
), "x")

CASES = {
    "capacity": (Mix(total=5), (
        "--total 5: asked for exactly 5 questions in all, the bank has 5, and only 4 of them "
        "can appear together (enemy groups)")),
    "filter": (Mix(total=2, tags=("t",)), (
        "--total 2: asked for exactly 2 questions in all, the bank has 1 after --tag")),
    "points alone": (Mix(total=2, points=(10, 10)), (
        "--points 10: asked for 10 points, but all eligible questions together give at "
        "most 7")),
    "total and points": (Mix(total=1, points=(4, None)), (
        "--total 1 and --points 4: cannot hold together:\n"
        "  - --total 1: exactly 1 question in all; the bank has 5\n"
        "  - --points 4:: at least 4 points in all; questions are worth 1 to 3 points")),
    "exact points": (Mix(total=1, points=(4, 4)), (
        "--total 1 and --points 4 cannot hold together:\n"
        "  - --total 1: exactly 1 question in all; the bank has 5\n"
        "  - --points 4: exactly 4 points in all; questions are worth 1 to 3 points")),
    "points range": (Mix(total=2, points=(1, 1.5)), (
        "--total 2 and --points 1:1.5 cannot hold together:\n"
        "  - --total 2: exactly 2 questions in all; the bank has 5\n"
        "  - --points 1:1.5: 1 to 1.5 points in all; questions are worth 1 to 3 points")),
    "overlap": (Mix(total=2, counts={"difficulty": {"hard": 2},
                                     "knowledge": {"application": 2}}), (
        "--total 2, --hard 2 and --application 2 cannot hold together:\n"
        "  - --total 2: exactly 2 questions in all; the bank has 5\n"
        "  - --hard 2: exactly 2 hard questions; the bank has 2\n"
        "  - --application 2: exactly 2 application questions; the bank has 2\n"
        "  - 1 question in the bank is both hard and application")),
    "each topic": (Mix(total=2, each_topic=1), (
        "--total 2 and --each-topic 1 cannot hold together:\n"
        "  - --total 2: exactly 2 questions in all; the bank has 5\n"
        "  - --each-topic 1: at least 1 question from each of the 3 topics; together 3 (the "
        "smallest of them has 1)")),
    "enemies": (Mix(total=2, require=("b", "c")), (
        "--require b, --require c and group 'g' cannot hold together:\n"
        "  - --require b: must include 'b' (easy/recall, Alpha, 1 point)\n"
        "  - --require c: must include 'c' (hard/application, Beta, 2 points)\n"
        "  - group 'g': at most one of the questions of group 'g' (b, c) (they give each "
        "other away)")),
    "implied zero": (Mix(counts={"difficulty": {"easy": 1, "hard": 1},
                                 "knowledge": {"application": 2}}), (
        "no medium questions (not asked for, and no --total) and --application 2 cannot "
        "hold together:\n"
        "  - no medium questions (not asked for, and no --total): exactly 0 medium "
        "questions; the bank has 1\n"
        "  - --application 2: exactly 2 application questions; the bank has 2\n"
        "  - 1 question in the bank is both medium and application")),
    "topic": (Mix(total=1, topics={"Alpha": (2, None)}), (
        "--total 1 and --topic \"Alpha=2\" cannot hold together:\n"
        "  - --total 1: exactly 1 question in all; the bank has 5\n"
        "  - --topic \"Alpha=2\": at least 2 questions from 'Alpha'; the bank has 2")),
    "topic range": (Mix(total=3, topics={"Beta": (0, 0), "Alpha": (0, 1)}), (
        "--total 3, --topic \"Beta=0:0\" and --topic \"Alpha=0:1\" cannot hold together:\n"
        "  - --total 3: exactly 3 questions in all; the bank has 5\n"
        "  - --topic \"Beta=0:0\": exactly 0 questions from 'Beta'; the bank has 2\n"
        "  - --topic \"Alpha=0:1\": at most 1 question from 'Alpha'; the bank has 2")),
    "all filters": (Mix(total=4, tags=("t", "u"), exclude=("a",)), (
        "--total 4: asked for exactly 4 questions in all, the bank has 1 after --tag, "
        "--exclude")),
    "at least one": (Mix(counts={"difficulty": {"easy": 1}}, topics={"Beta": (1, None)}), (
        "no hard questions (not asked for, and no --total) and --topic \"Beta=1\" cannot "
        "hold together:\n"
        "  - no hard questions (not asked for, and no --total): exactly 0 hard questions; "
        "the bank has 2\n"
        "  - --topic \"Beta=1\": at least 1 question from 'Beta'; the bank has 2\n"
        "  - 2 questions in the bank are both hard and from 'Beta'")),
    "implied total": (Mix(counts={"difficulty": {"easy": 2, "hard": 2}}, exclude=("a",)), (
        "4 questions in all (--easy 2 --hard 2, no --total): asked for exactly 4 questions in "
        "all, the bank has 4 after --exclude, and only 3 of them can appear together (enemy "
        "groups)")),
    "topic alone": (Mix(total=1, topics={"Alpha": (3, None)}), (
        "--topic \"Alpha=3\": asked for 3 questions from 'Alpha', the bank has 2")),
    "each topic alone": (Mix(total=4, each_topic=3), (
        "--each-topic 3 ('Alpha'): asked for 3 questions from 'Alpha', the bank has 2")),
    "topic and each topic": (Mix(total=2, each_topic=1, topics={"Alpha": (1, None)}), (
        "--total 2, --topic \"Alpha=1\" and --each-topic 1 cannot hold together:\n"
        "  - --total 2: exactly 2 questions in all; the bank has 5\n"
        "  - --topic \"Alpha=1\": at least 1 question from 'Alpha'; the bank has 2\n"
        "  - --each-topic 1 ('Beta'): at least 1 question from 'Beta'; the bank has 2\n"
        "  - --each-topic 1 ('Gamma'): at least 1 question from 'Gamma'; the bank has 1")),
    "points all alike": (Mix(total=2, points=(3, None), exclude=("c", "e")), (
        "--total 2 and --points 3: cannot hold together:\n"
        "  - --total 2: exactly 2 questions in all; the bank has 3\n"
        "  - --points 3:: at least 3 points in all; each question is worth 1 point")),
    "recall, application, each topic": (Mix(counts={"knowledge": {"recall": 1,
                                                                  "application": 1}},
                                            each_topic=1), (
        "--recall 1, --application 1 and --each-topic 1 cannot hold together:\n"
        "  - --recall 1: exactly 1 recall question; the bank has 3\n"
        "  - --application 1: exactly 1 application question; the bank has 2\n"
        "  - --each-topic 1: at least 1 question from each of the 3 topics; together 3 (the "
        "smallest of them has 1)\n"
        "  - 2 questions in the bank are both recall and from 'Alpha'\n"
        "  - 1 question in the bank is both recall and from 'Beta'\n"
        "  - 0 questions in the bank are both recall and from 'Gamma'\n"
        "  - 0 questions in the bank are both application and from 'Alpha'\n"
        "  - 1 question in the bank is both application and from 'Beta'\n"
        "  - 1 question in the bank is both application and from 'Gamma'")),
    "excluded": (Mix(total=1, require=("d",), exclude=("d",)), (
        "--require d cannot hold: it is also excluded (--exclude d)")),
    "not tagged": (Mix(total=1, require=("a",), tags=("t", "u")), (
        "--require a cannot hold: it has none of the tags t, u (--tag)")),
}


@pytest.mark.parametrize("name", CASES)
def test_the_message_names_the_conflict(name):
    mix, message = CASES[name]
    with pytest.raises(InfeasibleError) as err:
        select(BANK, resolve(mix, BANK), seed=1)
    assert str(err.value) == message
    assert err.value.exit_code == 1
    # the flags to name in a blueprint or usage hint: each one the message starts with
    head = message.split(" cannot hold", 1)[0].split(": asked for", 1)[0]
    assert err.value.conflict and all(flag in head for flag in err.value.conflict)


def _bank(*questions: TrueFalse) -> Bank:
    return Bank(Path("b"), questions, "x")


def test_each_topic_summary_counts_every_topic():
    six = _bank(*(_q(f"{t}{i}", "easy/recall", t) for t in ("Alpha", "Beta", "Gamma")
                  for i in (1, 2)))
    with pytest.raises(InfeasibleError) as err:
        select(six, resolve(Mix(total=5, each_topic=2), six), seed=1)
    assert str(err.value) == (
        "--total 5 and --each-topic 2 cannot hold together:\n"
        "  - --total 5: exactly 5 questions in all; the bank has 6\n"
        "  - --each-topic 2: at least 2 questions from each of the 3 topics; together 6 (the "
        "smallest of them has 2)")


def test_points_of_enemies_count_once_at_their_best():
    half = _bank(_q("x", "easy/recall", "A", 0.5, group="g"),
                 _q("y", "easy/recall", "A", 0.5, group="g"), _q("z", "easy/recall", "A", 0.5))
    with pytest.raises(InfeasibleError) as err:
        select(half, resolve(Mix(total=2, points=(1.5, None)), half), seed=1)
    assert str(err.value) == ("--points 1.5:: asked for 1.5 points, but all eligible "
                              "questions together give at most 1")
    assert err.value.conflict == ("--points 1.5:",)


def test_points_exactly_at_the_most_the_bank_gives():
    (exam,) = select(BANK, resolve(Mix(total=4, points=(7, 7)), BANK), seed=1)
    assert [q.id for q in exam] == ["a", "c", "d", "e"]


def test_dropping_any_named_rule_makes_the_mix_feasible():
    mix, _ = CASES["overlap"]
    for relaxed in (Mix(total=2, counts={"difficulty": {"hard": 2}}),
                    Mix(total=2, counts={"knowledge": {"application": 2}}),
                    Mix(total=3, counts={"difficulty": {"hard": 2},
                                         "knowledge": {"application": 2}})):
        (exam,) = select(BANK, resolve(relaxed, BANK), seed=1)
        assert len(exam) == relaxed.total


def test_too_many_forms_says_how_many_fit():
    with pytest.raises(InfeasibleError) as err:
        select(BANK, resolve(Mix(total=2), BANK), seed=1, forms=5)
    assert str(err.value) == (
        "--forms 5: the bank supports at most 2 form(s) of this mix with no questions in "
        "common (--overlap 0); ask for fewer forms, allow more overlap, or add questions")
    assert err.value.conflict == ("--forms 5",)
    with pytest.raises(InfeasibleError) as err:
        select(BANK, resolve(Mix(total=3), BANK), seed=1, forms=4, overlap=1)
    # {a, b, d} and {c, d, e}: two forms share only d; a third would share more
    assert "supports at most 2 form(s) of this mix with at most 1 in common (--overlap 1)" \
        in str(err.value)
    with pytest.raises(InfeasibleError) as err:
        select(BANK, resolve(Mix(total=3), BANK), seed=1, forms=2)
    assert str(err.value).startswith("--forms 2: the bank supports at most 1 form(s) of this mix")


def test_a_used_question_is_named_with_its_manifest(tmp_path):
    import dataclasses

    mix = dataclasses.replace(resolve(Mix(total=4, tags=("t", "u"), exclude=("a",)), BANK),
                              used={"b": "old/exam.json"})
    with pytest.raises(InfeasibleError) as err:
        select(BANK, mix, seed=1)
    assert str(err.value).endswith("the bank has 1 after --tag, --exclude, --exclude-used")
    mix = dataclasses.replace(resolve(Mix(total=1, require=("b",)), BANK),
                              used={"b": "old/exam.json"})
    with pytest.raises(InfeasibleError) as err:
        select(BANK, mix, seed=1)
    assert str(err.value) == "--require b cannot hold: it was used in old/exam.json " \
                             "(--exclude-used)"
