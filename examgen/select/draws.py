"""Each variant's own numbers: the draws of an exam's parametrised questions.

A draw is fixed by the exam's seed, the form, the question's id and the variant's name,
so a rebuild, ``grade`` and ``analyze`` find the same numbers; the manifest records them
anyway (``values``), so a later examgen with another random generator changes nothing.
Variants get different draws while the question's parameters allow fresh ones.
"""

from __future__ import annotations

import random
from dataclasses import replace

from examgen.bank.parametrised import DEFAULT_STYLE, instantiate
from examgen.core.errors import InputError
from examgen.core.model import Exam, Question
from examgen.core.number_format import NumberStyle
from examgen.core.params import DrawError, draw_key
from examgen.core.workers import job, run_all


def draw_values(exams: list[Exam]) -> tuple[list[Exam], list[str]]:
    """The exams with every variant's draw of each parametrised question, and a note for
    each question whose parameters allow fewer different draws than there are variants."""
    out, notes = [], []
    for exam in exams:
        variants = list(exam.variants)
        for q in exam.questions:
            if q.template is None:
                continue
            seen: set[str] = set()
            exhausted = False  # a fresh draw was not found: the rest may repeat at once
            for n, v in enumerate(variants):
                rng = random.Random(f"examgen-draw/{exam.seed}/{exam.name}/{q.id}/{v.name}")
                try:
                    values = q.template.draw(rng, None if exhausted else seen)
                except DrawError as exc:
                    raise InputError(f"{q.file}:{exc.line}: question '{q.id}': {exc}") from None
                key = draw_key(values)
                exhausted = exhausted or key in seen
                seen.add(key)
                variants[n] = replace(v, values={**v.values, q.id: values})
            if len(seen) < len(variants):
                notes.append(f"Note: question '{q.id}' has {len(seen)} different draws for "
                             f"{len(variants)} variants; some variants share its numbers "
                             "(widen its parameters' ranges for more).")
        out.append(replace(exam, variants=tuple(variants)))
    return out, notes


# Variants to instantiate before it pays to fork workers for them: a variant's questions
# take about 6 ms (8 parametrised ones), a pool about 0.1 s to start.
_PARALLEL_FROM = 64


def with_drawn(exams: list[Exam], style: NumberStyle = DEFAULT_STYLE,
               workers: int | None = None) -> list[Exam]:
    """The exams with each variant's questions of its draws, printed in ``style``; on
    ``workers`` processes when there are many variants (``--draw per-copy``)."""
    jobs = [(e, v) for e, exam in enumerate(exams) for v, variant in enumerate(exam.variants)
            if variant.values]
    drawn = dict(zip(jobs, run_all(_drawn, jobs, "turning the draws into questions",
                                   given=(exams, style), workers=workers,
                                   parallel_from=_PARALLEL_FROM), strict=True))
    out = []
    for e, exam in enumerate(exams):
        by_id = {q.id: q for q in exam.questions}
        variants = []
        for v, variant in enumerate(exam.variants):
            questions = {qid: replace(q, template=by_id[qid].template)  # kept out of the
                         for qid, q in drawn.get((e, v), {}).items()}  # pipe: one each
            variants.append(replace(variant, drawn=questions))
        out.append(replace(exam, variants=tuple(variants)))
    return out


def _drawn(job_: tuple[int, int]) -> dict[str, Question]:
    """One variant's parametrised questions with its draws (without their templates,
    which the caller has and a worker would send back once per variant)."""
    exams, style = job()
    e, v = job_
    exam = exams[e]
    variant = exam.variants[v]
    by_id = {q.id: q for q in exam.questions}
    return {qid: replace(_question(by_id[qid], values, variant.name, style), template=None)
            for qid, values in variant.values.items()}


def _question(q: Question, values: dict[str, object], variant: str,
              style: NumberStyle) -> Question:
    assert q.template is not None, "only a parametrised question has values"
    try:
        return instantiate(q.template, values, style)
    except DrawError as exc:
        raise InputError(f"{q.file}:{exc.line}: question '{q.id}', variant {variant}: "
                         f"{exc}") from None
