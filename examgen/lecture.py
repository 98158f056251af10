"""The lecture's own quiz from the bank: slides and a practice page of a selection, made
as ``build_exam`` selects (the same seed gives the same questions), grouped by topic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examgen.api import given_texts, selection
from examgen.core.header import ExamHeader
from examgen.core.model import Bank, Question
from examgen.core.number_format import NumberStyle
from examgen.select.blueprint import Blueprint, BuildSettings
from examgen.select.draws import draw_values, with_drawn

__all__ = ["SlidesResult", "practice_page", "quiz_slides"]


@dataclass(frozen=True)
class SlidesResult:
    """The quiz slides of a selection: the questions in slide order and the PDF."""

    questions: list[Question]
    pdf: bytes
    slides: int
    seed: int


def quiz_slides(bank: str | Path | Bank | None, mix: dict[str, Any],
                settings: BuildSettings | None = None, header: ExamHeader | None = None, *,
                blueprint: Blueprint | None = None, matrix: str = "table",
                reveal: bool = True, title_slide: bool = False,
                summary: bool = False) -> SlidesResult:
    """Select questions for ``mix`` as ``build_exam`` does (the same seed gives the same
    questions) and draw them as 16:9 quiz slides, grouped by topic in the bank's order."""
    from examgen.render.slides import render_slides

    questions, orders, layout, texts, seed, _ = _quiz(bank, mix, settings, header, blueprint)
    pdf = render_slides(questions, layout, texts, matrix, reveal, title_slide, summary,
                        orders)
    count = len(questions) * (2 if reveal else 1) + title_slide + summary
    return SlidesResult(questions, pdf, count, seed)


def practice_page(bank: str | Path | Bank | None, mix: dict[str, Any],
                  settings: BuildSettings | None = None, header: ExamHeader | None = None,
                  *, blueprint: Blueprint | None = None, draws: int = 1
                  ) -> tuple[str, list[Question], int]:
    """The self-contained practice page of a selection (a parametrised question as
    ``draws`` draws), the questions on it and the seed."""
    from examgen.formats.frozen_draws import frozen_draws
    from examgen.formats.practice import practice_html

    questions, orders, layout, texts, seed, values = _quiz(bank, mix, settings, header,
                                                           blueprint)
    shown = frozen_draws(questions, draws)
    title = texts.title or layout.labels["practice_title"]
    page = practice_html(shown, layout.labels, title, layout.labels["language"], values,
                         orders)
    return page, shown, seed


def _quiz(bank: str | Path | Bank | None, mix: dict[str, Any],
          settings: BuildSettings | None, header: ExamHeader | None,
          blueprint: Blueprint | None
          ) -> tuple[list[Question], dict[str, Any], Any, ExamHeader, int,
                     dict[str, dict[str, Any]]]:
    """A selection for the lecture: its questions grouped by topic (each parametrised
    one drawn once), their option orders, the layout and header, the seed, and the
    numbers of the draws."""
    plan, chosen, loaded, resolved, seed = selection(bank, mix, settings, blueprint)
    from examgen.render.layout import load_layout
    from examgen.select.selection import build_exams

    exams, _ = draw_values(build_exams(loaded, resolved, seed, 1, 1, 0, "topic"))
    layout = load_layout(chosen.layout or "default", "a4")
    [exam] = with_drawn(exams, NumberStyle(layout.labels.get("decimal", ".")))
    variant = exam.variants[0]
    by_id = {q.id: q for q in exam.questions}
    questions = [variant.question(by_id[qid]) for qid in variant.order]
    return (questions, dict(variant.options), layout,
            plan.header.with_texts(given_texts(header)), seed, dict(variant.values))
