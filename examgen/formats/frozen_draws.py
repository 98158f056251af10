"""Parametrised questions for systems that draw no numbers: frozen draws.

Moodle, GIFT and QTI get ``n`` ordinary questions per parametrised one, each a draw with
its numbers written in, filed in a subcategory of their own (topic/question id), so that
a Moodle "random question" from that subcategory gives each student one draw. Draw 1 is
the bank's own (the one ``examgen check`` shows); the others are fresh draws while the
parameters allow them, the same on every export.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import replace

from examgen.bank.parametrised import first_draw, instantiate
from examgen.core.model import Question
from examgen.core.params import Template, Values, draw_key

_FROZEN_ID = re.compile(r"(?P<base>.+)\.d[0-9]+")


def frozen_draws(questions: list[Question], draws: int) -> list[Question]:
    """Each parametrised question as ``draws`` frozen draws (ids ``<id>.d1``, ``.d2``,
    ...); with one draw, as the question itself."""
    out: list[Question] = []
    for q in questions:
        if q.template is None or draws <= 1:
            out.append(q)
            continue
        for k, values in enumerate(export_draws(q.template, q.id, draws), 1):
            drawn = instantiate(q.template, values)
            # one group: a quiz or exam takes at most one draw of a question
            out.append(replace(drawn, id=f"{q.id}.d{k}", group=q.group or q.id))
    return out


def export_draws(template: Template, qid: str, count: int) -> Iterator[Values]:
    """``count`` draws for an export: draw 1 is the bank's own (the one ``check`` shows),
    the others fresh ones while the parameters allow them (else a repeat), the same on
    every export."""
    seen: set[str] = set()
    for k in range(1, count + 1):
        if k == 1:
            values = first_draw(template, qid)
        else:
            values = template.draw(random.Random(f"examgen-export/{qid}/{k}"), seen)
        seen.add(draw_key(values))
        yield values


def category_parts(q: Question) -> tuple[str, ...]:
    """Where a question is filed below the root: its topic, and a frozen draw below that
    in a subcategory named by its question."""
    frozen = _FROZEN_ID.fullmatch(q.id) if q.template is not None else None
    return (q.topic, frozen["base"]) if frozen else (q.topic,)


def parametrised_note(questions: list[Question], draws: int) -> str:
    """A line for the lecturer when parametrised questions went out as one draw each."""
    count = sum(q.template is not None for q in questions)
    if not count or draws > 1:
        return ""
    return (f"Note: {count} parametrised question(s) were written with one draw each; "
            "give --draws N for N draws of each in a subcategory of its own (a Moodle "
            "random question then gives each student one).")
