"""Variants A, B, C...: the same questions, each with its own question and option order.

A variant only permutes; what is correct stays with the question (``model.key_answer``).
"""

from __future__ import annotations

import random
import string

from .model import ChoiceQuestion, Permutation, Question, Variant


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
        options = {q.id: _permutation(q, rng) for q in questions
                   if isinstance(q, ChoiceQuestion)}
        variants.append(Variant(name, tuple(order), options))
    return tuple(variants)


def _permutation(q: ChoiceQuestion, rng: random.Random) -> Permutation:
    movable = [i for i, o in enumerate(q.options) if not o.fixed_order]
    shuffled = movable[:]
    rng.shuffle(shuffled)
    slots = iter(shuffled)
    return tuple(i if o.fixed_order else next(slots) for i, o in enumerate(q.options))
