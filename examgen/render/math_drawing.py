"""Formulas in the PDFs: LaTeX typeset by ziamath (with its STIX Two Math font, no LaTeX
installation), turned into reportlab vector drawings by svglib, placed in paragraphs.

A Paragraph cannot hold a drawing, so a formula is written into the paragraph as an empty
image of its exact size (which makes reportlab leave room for it and move the line
height) and a callback right before it (``<onDraw>``) that draws the vector formula at
that place on the canvas. Inline formulas sit on the text's baseline at the text's size;
a display formula takes a line of its own, centred. Each formula is typeset once per
process and size; variants reuse it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing

from examgen.core.glyphs import FONT_DIR
from examgen.core.latex import formula_problem

CALLBACK = "examgen-formula"  # the canvas callback's name
BLANK = str(FONT_DIR / "blank.png")
_SVG_PX = 0.75  # svglib reads SVG user units as px: 1 px = 0.75 pt
_VIEWBOX = re.compile(r'viewBox="([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+)"')


@dataclass(frozen=True)
class Typeset:
    drawing: Drawing
    width: float
    height: float
    depth: float  # below the baseline


_keys: dict[str, tuple[str, float, bool]] = {}  # label -> (latex, size, display)
_labels: dict[tuple[str, float, bool], str] = {}  # and back


@lru_cache(maxsize=4096)
def typeset(latex: str, size: float, display: bool) -> Typeset:
    """The formula as a drawing in points, with its baseline; raises ValueError when the
    formula is malformed (``examgen check`` reports those before any build)."""
    problem = formula_problem(latex)
    if problem:
        raise ValueError(problem)
    from svglib.svglib import svg2rlg
    from ziamath.config import config
    from ziamath.zmath import Latex

    config.svg2 = False  # svglib places SVG 2 glyphs wrongly
    math = Latex(latex, size=size, inline=not display, margin=0)
    svg = math.svg()
    box = _VIEWBOX.search(svg)
    drawing = svg2rlg(io.BytesIO(svg.encode("utf-8")))
    if box is None or drawing is None:
        raise ValueError("the typesetter returned no picture")
    _, top, width, height = (float(v) for v in box.groups())
    scale = 1 / _SVG_PX
    drawing.scale(scale, scale)
    drawing.width, drawing.height = width, height
    return Typeset(drawing, width, height, max(0.0, height + top))


def formula_markup(latex: str, display: bool, size: float) -> str:
    """Paragraph markup that leaves room for the formula and draws it there."""
    shape = typeset(latex, size, display)
    key = (latex, size, display)
    label = _labels.get(key)
    if label is None:
        label = _labels[key] = f"f{len(_keys)}"
        _keys[label] = key
    room = 2.0  # a little air above and below a tall formula
    if display:
        return (f'<br/><onDraw name="{CALLBACK}" label="{label}"/><img src="{BLANK}" '
                f'width="100%" height="{shape.height + 2 * room:.3f}" '
                f'valign="{-shape.depth - room:.3f}"/><br/>')
    return (f'<onDraw name="{CALLBACK}" label="{label}"/><img src="{BLANK}" '
            f'width="{shape.width:.3f}" height="{shape.height:.3f}" '
            f'valign="{-shape.depth:.3f}"/>')


def draw_formula(canvas: Any, kind: str, label: str | None) -> None:
    """The ``<onDraw>`` callback: draw the formula where its empty image goes."""
    if label is None or label not in _keys:
        return
    latex, size, display = _keys[label]
    shape = typeset(latex, size, display)
    info = canvas._curr_tx_info  # reportlab's: where the text stands
    x, baseline = info["cur_x"], info["cur_y"]
    if display:
        x += (info["xs"].paraWidth - shape.width) / 2
    renderPDF.draw(shape.drawing, canvas, x, baseline - shape.depth)


def register(canvas: Any) -> None:
    """Let ``canvas`` draw formulas (every document canvas of examgen calls this)."""
    canvas.setNamedCB(CALLBACK, draw_formula)
