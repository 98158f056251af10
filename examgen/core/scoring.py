"""How a ticked answer becomes points: one set of rules for paper and for Moodle.

The paper grader and the Moodle export both ask this module, so a multiple-response
question scored on paper with the ``moodle`` scheme gets exactly the grade Moodle gives.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from examgen.core.model import ChoiceQuestion, Matching, MultipleChoice, Question, TrueFalse

# Moodle's grade options (question_bank::fraction_options_full), in percent.
GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
          16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)

# How a multiple-response question is scored on paper (chosen per exam, printed on the
# answer sheet):
#   moodle          each correct option ticked gains its share of 100 %, each wrong one
#                   ticked costs its share (as the Moodle export grades it); floor 0
#   all-or-nothing  full points for exactly the correct options, else 0
#   per-option      every option whose box is right (ticked if correct, empty if not)
#                   gains 1/n, every other one costs 1/n; floor 0
SCHEMES = ("moodle", "all-or-nothing", "per-option")
DEFAULT_SCHEME = "moodle"


def share(count: int) -> float:
    """The grade each of ``count`` options gets so that they add up to 100 %."""
    exact = 100 / count
    for grade in GRADES:
        if abs(grade - exact) / 100 < 1e-5:
            return grade
    raise ValueError(count)


def penalty_share(count: int) -> float:
    """What a wrong option costs: 100 % spread over the wrong ones, in Moodle's steps."""
    exact = 100 / count
    # the steps are written with 5 decimals: 16.66667 is a sixth, though a hair above it
    return max(g for g in GRADES if g <= exact + 1e-4)


def moodle_grades(q: ChoiceQuestion) -> list[float]:
    """The percent each option is worth in Moodle, in bank order.

    Raises ValueError when Moodle has no equal grade for the number of correct options.
    """
    if not isinstance(q, MultipleChoice):
        return [100.0 if o.correct else 0.0 for o in q.options]
    right = sum(o.correct for o in q.options)
    wrong = len(q.options) - right
    gain = share(right)
    loss = -penalty_share(wrong) if wrong else 0.0
    return [gain if o.correct else loss for o in q.options]


def choice_fraction(q: ChoiceQuestion, ticked: Collection[int], scheme: str) -> float:
    """The share of the points (0 to 1) for the options ticked (bank indexes).

    A single-choice question is all-or-nothing whatever the scheme: exactly its correct
    option, nothing else.
    """
    correct = {i for i, o in enumerate(q.options) if o.correct}
    chosen = set(ticked)
    if not isinstance(q, MultipleChoice) or scheme == "all-or-nothing":
        return 1.0 if chosen == correct else 0.0
    if scheme == "per-option":
        n = len(q.options)
        right = sum((i in chosen) == (i in correct) for i in range(n))
        return max(0.0, (right - (n - right)) / n)
    if scheme == "moodle":
        grades = moodle_grades(q)
        return min(1.0, max(0.0, sum(grades[i] for i in chosen) / 100))
    raise ValueError(f"unknown scoring scheme {scheme!r}")


def truefalse_fraction(q: TrueFalse, ticked: Collection[bool]) -> float:
    """All or nothing: exactly the right box."""
    return 1.0 if set(ticked) == {q.answer} else 0.0


def matching_fraction(q: Matching, chosen: Sequence[int | None]) -> float:
    """As Moodle scores a matching question: an equal share per left item given its
    partner (``chosen``: each left item's right item in bank order, None for none)."""
    return sum(c == p for c, p in zip(chosen, q.partners(), strict=True)) / len(q.pairs)


def chance_fraction(q: Question, scheme: str = DEFAULT_SCHEME) -> float:
    """The share of the points a blind guess scores on average, as Moodle's "random guess
    score": a true/false question 1/2, a single-choice one 1/k. A multiple-response
    question is guessed as a coin flip per option (every set of ticks equally likely),
    scored with ``scheme``; questions answered in words or numbers 0."""
    match q:
        case TrueFalse():
            return 0.5
        case MultipleChoice():
            n = len(q.options)
            if n > 12:
                return 0.0
            total = sum(choice_fraction(q, [i for i in range(n) if mask >> i & 1], scheme)
                        for mask in range(1 << n))
            return total / (1 << n)
        case ChoiceQuestion():
            return 1 / len(q.options)
        case Matching():  # a right item at random in every row
            return 1 / len(q.choices)
        case _:
            return 0.0
