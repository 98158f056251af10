"""Variants A, B, C...: the same questions, each with its own question and option order."""

from __future__ import annotations

import random
import string

from .model import CHOICE_TYPES, Question, Variant

LETTERS = string.ascii_lowercase


def variant_names(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ... so that any number of variants gets a name."""
    names = []
    for n in range(count):
        name = ""
        n += 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = string.ascii_uppercase[rest] + name
        names.append(name)
    return names


def make_variants(questions: tuple[Question, ...], seed: int, count: int,
                  form: str = "") -> tuple[Variant, ...]:
    """Shuffle question and option order per variant, reproducibly from the seed.

    Options marked ``fixed_order`` (e.g. "none of the above") keep their place.
    """
    variants = []
    for name in variant_names(count):
        rng = random.Random(f"examgen/{seed}/{form}/{name}")
        order = [q.id for q in questions]
        rng.shuffle(order)
        options = {q.id: _permutation(q, rng) for q in questions if q.type in CHOICE_TYPES}
        variants.append(Variant(name, tuple(order), options))
    return tuple(variants)


def _permutation(q: Question, rng: random.Random) -> tuple[int, ...]:
    movable = [i for i, o in enumerate(q.options) if not o.fixed_order]
    shuffled = movable[:]
    rng.shuffle(shuffled)
    slots = iter(shuffled)
    return tuple(next(slots) if not o.fixed_order else i for i, o in enumerate(q.options))


def answer(q: Question, permutation: tuple[int, ...] | None = None):
    """The answer as the grader reads it: 'c', ['a', 'd'], or a text (a list for cloze)."""
    if q.type in CHOICE_TYPES:
        order = permutation or tuple(range(len(q.options)))
        letters = [LETTERS[pos] for pos, i in enumerate(order) if q.options[i].correct]
        return letters[0] if q.type == "single" else letters
    if q.type == "truefalse":
        return "true" if q.answer else "false"
    if q.type == "short":
        return q.answers[0]
    if q.type == "numeric":
        value = f"{q.value:g}" + (f" ± {q.tolerance:g}" if q.tolerance else "")
        return f"{value} {q.unit}".strip()
    if q.type == "open":
        return q.model_answer
    return [gap.solution for gap in q.gaps]
