"""Parametrised questions: the declared random values, the derived ones and the conditions
a draw must meet, and how one draw is made from a seed.

A draw is declared, not programmed: each parameter is a range with a step, a choice from
a list or a permutation of a list (``Param``); ``let`` values are safe expressions over
them (``core.expressions``); ``where`` conditions are expressions that must hold, and the
draw is repeated until they do, at most ``MAX_TRIES`` times.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from examgen.core.expressions import Expression, ExpressionError
from examgen.core.yamlio import Node

MAX_TRIES = 1000  # draws tried until every 'where' holds; past it the question is refused
# Valid draws tried for one that no earlier variant or copy has, before one is repeated.
FRESH_TRIES = 50
MAX_MAGNITUDE = 10**15  # the largest number a range may reach (exact in a float)

Values = dict[str, Any]  # name -> a number, a text, or a list of them


class DrawError(ValueError):
    """A draw that cannot be made; ``line`` is where the cause stands in the bank file."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Param:
    """One declared random value: ``kind`` int, decimal, choice or permutation."""

    name: str
    kind: str
    items: tuple[Any, ...] = ()  # choice and permutation: the list
    low: Decimal = Decimal(0)  # int and decimal: the range with its step
    high: Decimal = Decimal(0)
    step: Decimal = Decimal(1)
    line: int = 0

    @property
    def size(self) -> int:
        """How many different values it can take."""
        if self.kind == "choice":
            return len(self.items)
        if self.kind == "permutation":
            count = 1
            for n in range(2, len(self.items) + 1):
                count *= n
            return count
        return int((self.high - self.low) // self.step) + 1

    def draw(self, rng: random.Random) -> Any:
        if self.kind == "choice":
            return self.items[rng.randrange(len(self.items))]
        if self.kind == "permutation":
            return rng.sample(list(self.items), len(self.items))
        exact = self.low + self.step * rng.randrange(self.size)
        return int(exact) if self.kind == "int" else float(exact)


@dataclass(frozen=True)
class Template:
    """What a parametrised question's draws are made from: its declared values, and its
    mapping without them, whose texts hold ``{{...}}`` placeholders."""

    params: tuple[Param, ...]
    lets: tuple[tuple[str, Expression, int], ...]  # name, expression, line
    wheres: tuple[tuple[Expression, int], ...]  # condition, line
    node: Node = field(compare=False)
    topic: str | None = None  # the file's topic
    file: str = ""
    folder: Path = Path()
    root: Path = Path()

    @property
    def size(self) -> int:
        """How many different draws its parameters allow (before 'where')."""
        count = 1
        for p in self.params:
            count *= p.size
        return count

    def derive(self, drawn: Mapping[str, Any]) -> Values:
        """The parameters with every 'let' value computed from them, in order."""
        values = dict(drawn)
        for name, expression, line in self.lets:
            try:
                values[name] = expression(values)
            except ExpressionError as exc:
                raise DrawError(f"let {name} = {expression.text}: {exc} ({_shown(drawn)})",
                                line) from None
        return values

    def failed_where(self, drawn: Mapping[str, Any]) -> int | None:
        """The line of the first condition a draw breaks, or None when all hold.

        Each condition is tested as soon as the values it reads are known, so a 'where'
        can keep a 'let' below it from dividing by zero."""
        values = dict(drawn)
        pending = list(self.wheres)
        for step in [None, *self.lets]:
            if step is not None:
                name, expression, line = step
                try:
                    values[name] = expression(values)
                except ExpressionError as exc:
                    raise DrawError(f"let {name} = {expression.text}: {exc} "
                                    f"({_shown(drawn)})", line) from None
            ready = [w for w in pending if w[0].names <= values.keys()]
            for condition, line in ready:
                pending.remove((condition, line))
                try:
                    holds = condition(values)
                except ExpressionError as exc:
                    raise DrawError(f"where {condition.text}: {exc} ({_shown(drawn)})",
                                    line) from None
                if not (holds is True or (isinstance(holds, int | float) and holds)):
                    return line
        return None

    def draw(self, rng: random.Random, avoid: set[str] | None = None) -> Values:
        """One draw of the parameters meeting every 'where' (and, when ``avoid`` holds
        earlier draws, not one of them while fresh ones are found within the tries)."""
        return self.draw_counted(rng, avoid)[0]

    def draw_counted(self, rng: random.Random, avoid: set[str] | None = None
                     ) -> tuple[Values, int]:
        """A draw as ``draw`` makes it, and how many draws of the parameters it took."""
        failures: dict[int, int] = {}
        repeat: Values | None = None
        repeats = tries = 0
        while tries < MAX_TRIES:
            tries += 1
            drawn = {p.name: p.draw(rng) for p in self.params}
            failed = self.failed_where(drawn)
            if failed is not None:
                failures[failed] = failures.get(failed, 0) + 1
                continue
            if avoid is None or draw_key(drawn) not in avoid:
                return drawn, tries
            repeat = repeat or drawn
            repeats += 1
            if repeats >= FRESH_TRIES or len(avoid) >= self.size:
                break
        if repeat is not None:
            return repeat, tries
        line = max(failures, key=failures.__getitem__)
        text = next(c.text for c, at in self.wheres if at == line)
        raise DrawError(f"where {text} did not hold in {MAX_TRIES} draws; widen the "
                        "parameters' ranges or loosen the condition", line)


def draw_key(values: Mapping[str, Any]) -> str:
    """A draw's parameters as one comparable text."""
    return repr(sorted(values.items()))


def _shown(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {v!r}" for k, v in values.items())
