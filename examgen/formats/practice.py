"""A practice page: one self-contained HTML file (no external script, font or picture) in
which students answer the selected questions and get instant feedback with the
explanation; it works offline, from a USB stick or a course page.

Formulas are inline SVG typeset by ziamath, the engine of the PDFs, so no MathJax is
needed; each carries its LaTeX as its accessible name. Pictures are embedded as data
URLs. Questions can be filtered by matrix cell and topic. Every control has a label, the
feedback is announced (``aria-live``), and everything works from the keyboard.
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from examgen.core.formula_svg import VIEWBOX, formula_svg
from examgen.core.markup import to_html
from examgen.core.model import (
    CELLS,
    ChoiceGap,
    ChoiceQuestion,
    Cloze,
    Matching,
    MultipleChoice,
    Numeric,
    OpenQuestion,
    Permutation,
    Question,
    ShortAnswer,
    TrueFalse,
)

LABEL_KEYS = ("practice_check", "practice_right", "practice_wrong", "practice_show",
              "practice_all", "practice_topic", "practice_answer", "cell", "true", "false",
              "explanation", "model_answer")


@lru_cache(maxsize=4096)
def _svg(latex: str, display: bool) -> str:
    """A formula as inline SVG on the text's baseline, at the browser's 16 px text."""
    svg = formula_svg(latex, 16, display)
    box = VIEWBOX.search(svg)
    depth = float(box.group(2)) + float(box.group(4)) if box else 0.0
    name = html.escape(latex)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{name}" focusable="false" '
                               f'style="vertical-align:{-depth:.2f}px" ', 1)
    return f'<div class="display">{svg}</div>' if display else svg


def _markup(text: str) -> str:
    return to_html(text, _svg)


def _img(path: Path | None) -> str:
    """A picture inside the page itself (nothing is fetched)."""
    if path is None:
        return ""
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:{kind};base64,{data}" alt="{html.escape(path.stem)}">'


def question_data(q: Question, order: Permutation | None = None) -> dict[str, Any]:
    """What the page's script needs of one question: texts as HTML, answers as data;
    choice options in ``order`` (shuffled, so that the first is not always right)."""
    data: dict[str, Any] = {
        "id": q.id, "topic": q.topic, "cell": q.cell, "level": q.level.value,
        "type": q.type, "stem": _markup(q.text) + _img(q.image),
        "explanation": _markup(q.explanation) if q.explanation else "",
    }
    match q:
        case ChoiceQuestion():
            shown = q.shown(order)
            data["options"] = [" ".join(filter(None, [_markup(o.text), _img(o.image)]))
                               for o in shown]
            data["correct"] = [n for n, o in enumerate(shown) if o.correct]
            data["multiple"] = isinstance(q, MultipleChoice)
        case TrueFalse():
            data["answer"] = q.answer
        case Numeric():
            data.update(value=q.value, tolerance=q.tolerance, unit=q.unit)
        case ShortAnswer():
            data.update(accepted=list(q.answers), case_sensitive=q.case_sensitive)
        case OpenQuestion():
            data["model"] = _markup(q.model_answer or "-")
        case Cloze():
            data["stem"] = re.sub(r"\{\{([0-9]+)\}\}", r'<span class="gap" data-gap="\1">'
                                                        r"</span>", data["stem"])
            data["gaps"] = [
                {"options": [_markup(o.text) for o in g.options],
                 "correct": next(n for n, o in enumerate(g.options) if o.correct)}
                if isinstance(g, ChoiceGap) else {"accepted": list(g.answers)}
                for g in q.gaps]
        case Matching():
            rights = q.shown(order)
            data["lefts"] = [_markup(p.left) for p in q.pairs]
            data["rights"] = [_markup(text) for text in rights]
            data["partners"] = [rights.index(p.right) for p in q.pairs]
    return data


def practice_html(questions: list[Question], labels: dict[str, str], title: str,
                  language: str = "en", values: dict[str, dict[str, Any]] | None = None,
                  orders: dict[str, Permutation] | None = None) -> str:
    """The whole page; ``values``: the numbers of the parametrised questions' draws, kept
    with them in the page's data (not shown) so that a page can be checked."""
    words = {key: labels[key] for key in LABEL_KEYS}
    cells = {cell: f"{labels[cell.split('/')[0]]}/{labels[cell.split('/')[1]]}"
             for cell in CELLS}
    items = [{**question_data(q, (orders or {}).get(q.id)),
              **({"values": values[q.id]} if values and q.id in values else {})}
             for q in questions]
    payload = json.dumps({"questions": items,
                          "labels": words, "cells": cells,
                          "decimal": labels.get("decimal", ".")}, ensure_ascii=False)
    payload = payload.replace("</", "<\\/")  # never ends the script element
    page = (Path(__file__).parent / "practice_page.html").read_text(encoding="utf-8")
    return (page.replace("@LANG@", html.escape(language))
            .replace("@TITLE@", html.escape(title))
            .replace("@DATA@", payload))
