"""Variants A, B, C...: the same questions, each with its own question and option order.

A variant only permutes; what is correct stays with the question (``model.key_answer``).
Questions are ordered by one of ``ORDERS``; within what that order fixes, every variant
puts each question where no earlier variant had it, as far as the block's size allows, so
that neighbours with different variants never see a question at the same number.
"""

from __future__ import annotations

import random
import string

from examgen.core.model import (
    ChoiceQuestion,
    Difficulty,
    Matching,
    Permutation,
    Question,
    Variant,
)

# random: one block of all questions; difficulty: easy, medium, hard blocks; topic: a block
# per topic in the bank's order; bank: the bank's order in every variant.
ORDERS = ("random", "difficulty", "topic", "bank")
DEFAULT_ORDER = "random"


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
                  form: str = "", order: str = DEFAULT_ORDER) -> tuple[Variant, ...]:
    """Shuffle question and option order per variant, reproducibly from the seed.

    Options marked ``fixed_order`` (e.g. "none of the above") keep their place.
    """
    blocks = _blocks(questions, order)
    variants: list[Variant] = []
    for name in variant_names(count):
        rng = random.Random(f"examgen/{seed}/{form}/{name}")
        ids: list[str] = []
        for block in blocks:
            start = len(ids)
            recent = variants[-(len(block) - 1):] if len(block) > 1 else []
            earlier = [v.order[start:start + len(block)] for v in recent]
            ids += block if order == "bank" else _arrange(block, earlier, rng)
        options = {q.id: _permutation(q, rng) for q in questions
                   if isinstance(q, ChoiceQuestion | Matching)}
        variants.append(Variant(name, tuple(ids), options))
    return tuple(variants)


def _blocks(questions: tuple[Question, ...], order: str) -> list[list[str]]:
    """The runs of positions each question stays within under ``order``."""
    if order in ("random", "bank"):
        return [[q.id for q in questions]]
    if order == "difficulty":
        keys = [d.value for d in Difficulty]
        return [block for key in keys
                if (block := [q.id for q in questions if q.difficulty.value == key])]
    if order == "topic":
        topics = dict.fromkeys(q.topic for q in questions)
        return [[q.id for q in questions if q.topic == topic] for topic in topics]
    raise ValueError(f"unknown order {order!r}")


def _arrange(block: list[str], earlier: list[tuple[str, ...]], rng: random.Random) -> list[str]:
    """The block shuffled so that no question stands where an earlier variant had it.

    The first variant is a plain shuffle. Later ones are a random perfect matching of
    questions to positions that avoids the last ``len(block) - 1`` variants' places (that
    many can always be avoided at once).
    """
    ids = block[:]
    rng.shuffle(ids)
    size = len(ids)
    if not earlier or size == 1:
        return ids
    forbidden = {(qid, pos) for arrangement in earlier[-(size - 1):]
                 for pos, qid in enumerate(arrangement)}
    preferences = {qid: rng.sample(range(size), size) for qid in ids}
    owner: list[str | None] = [None] * size  # position -> question
    place: dict[str, int] = {}
    for qid in ids:
        placed = _augment(qid, preferences, forbidden, owner, place)
        # Each window of m-1 earlier variants placed every question in distinct places,
        # so what is left is a regular bipartite graph, which has a perfect matching
        # (König), and augmenting paths find one.
        assert placed, "a perfect matching avoiding m-1 earlier placements exists"
    return [qid for qid in owner if qid is not None]


def _augment(start: str, preferences: dict[str, list[int]], forbidden: set[tuple[str, int]],
             owner: list[str | None], place: dict[str, int]) -> bool:
    """One augmenting path, breadth first (no recursion, whatever the exam's size)."""
    reached_by: dict[int, str] = {}  # position -> the question that reached it
    frontier = [start]
    while frontier:
        following = []
        for qid in frontier:
            for pos in preferences[qid]:
                if pos in reached_by or (qid, pos) in forbidden:
                    continue
                reached_by[pos] = qid
                holder = owner[pos]
                if holder is None:
                    while True:  # shift every question on the path one step along
                        mover = reached_by[pos]
                        previous = place.get(mover)
                        owner[pos], place[mover] = mover, pos
                        if mover == start:
                            return True
                        assert previous is not None
                        pos = previous
                following.append(holder)
        frontier = following
    return False


def _permutation(q: ChoiceQuestion | Matching, rng: random.Random) -> Permutation:
    if isinstance(q, Matching):  # its right-hand items
        order = list(range(len(q.choices)))
        rng.shuffle(order)
        return tuple(order)
    movable = [i for i, o in enumerate(q.options) if not o.fixed_order]
    shuffled = movable[:]
    rng.shuffle(shuffled)
    slots = iter(shuffled)
    return tuple(i if o.fixed_order else next(slots) for i, o in enumerate(q.options))
