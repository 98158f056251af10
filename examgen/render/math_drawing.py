"""Formulas in the PDFs: LaTeX typeset by ziamath (no LaTeX installation), its SVG read
as filled outlines (``svg_shapes``; svglib for anything else), placed in paragraphs.

A Paragraph cannot hold a drawing, so a formula is written into the paragraph as a
zero-width callback (``<onDraw>``) naming it, followed by an empty image of its exact
size: reportlab leaves room for the image and moves the line height. When the paragraph
is drawn, the callback queues the formula's name on the canvas, and reportlab's public
``drawImage`` call for the empty image then gives the very place of the room, where
examgen's canvas (``FormulaCanvas``) draws the vector formula. A line may break between
the callback and its room, and justified lines stretch the spaces; neither moves the
formula now (it used to be drawn where the callback stood: at the end of the line above).
Inline formulas sit on the text's baseline at the text's size; a display formula takes
a line of its own, centred. Each formula is typeset once per process and size; variants
reuse it.
"""

from __future__ import annotations

import copy
import io
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from examgen.core.formula_svg import DEFAULT_MATH_FONT, VIEWBOX, formula_svg
from examgen.core.glyphs import FONT_DIR
from examgen.core.latex import formula_problem
from examgen.render.svg_shapes import SVG_PX, Outline, svg_outline

CALLBACK = "examgen-formula"  # the canvas callback's name; marks markup with formulas
BLANK = str(FONT_DIR / "blank.png")  # the empty image that makes the formula's room


@dataclass(frozen=True)
class Typeset:
    drawing: Drawing | Outline  # outlines as read by svg_shapes, else svglib's drawing
    width: float
    height: float
    depth: float  # below the baseline
    left: float = 0.0  # empty room the typesetter left before the ink, cut off

    def draw(self, canvas: Any, x: float, y: float, colour: Any = None) -> None:
        """The formula with its drawing's lower left at (x, y), in ``colour`` (a
        reportlab colour) or black."""
        if isinstance(self.drawing, Outline):
            self.drawing.draw(canvas, x, y, colour or black)
            return
        drawing = self.drawing
        if colour is not None:
            drawing = copy.deepcopy(drawing)
            stack: list[Any] = [drawing]
            while stack:
                shape = stack.pop()
                if getattr(shape, "fillColor", None) is not None:
                    shape.fillColor = colour
                if getattr(shape, "strokeColor", None) is not None:
                    shape.strokeColor = colour
                stack.extend(getattr(shape, "contents", []))
        renderPDF.draw(drawing, canvas, x, y)


# label -> (latex, size, display, math font)
_keys: dict[str, tuple[str, float, bool, str]] = {}
_labels: dict[tuple[str, float, bool, str], str] = {}  # and back


@lru_cache(maxsize=4096)
def typeset(latex: str, size: float, display: bool, font: str = DEFAULT_MATH_FONT
            ) -> Typeset:
    """The formula as a drawing in points, with its baseline; raises ValueError when the
    formula is malformed (``examgen check`` reports those before any build)."""
    problem = formula_problem(latex)
    if problem:
        raise ValueError(problem)
    svg = formula_svg(latex, size, display, font)
    box = VIEWBOX.search(svg)
    drawing = _read(svg)
    if box is None or drawing is None:  # a kept picture that does not read: anew
        svg = formula_svg(latex, size, display, font, fresh=True)
        box = VIEWBOX.search(svg)
        drawing = _read(svg)
        if box is None or drawing is None:
            raise ValueError("the typesetter returned no picture")
    _, top, width, height = (float(v) for v in box.groups())
    # ziamath places a wide accent's box from the accent's own origin: \hat{x} came with
    # 3.5 pt of nothing before the x, which printed as a double space
    ink_left = drawing.left() if isinstance(drawing, Outline) else \
        float(drawing.getBounds()[0])
    left = ink_left if ink_left > 0.5 else 0.0
    return Typeset(drawing, width - left, height, max(0.0, height + top), left)


def _read(svg: str) -> Drawing | Outline | None:
    """The SVG's outlines in points, read directly, or by svglib when it holds more."""
    outline = svg_outline(svg)
    if outline is not None:
        return outline
    drawing = _svglib(svg)
    if drawing is not None:
        scale = 1 / SVG_PX
        drawing.scale(scale, scale)
        box = VIEWBOX.search(svg)
        if box is not None:
            drawing.width, drawing.height = float(box.group(3)), float(box.group(4))
    return drawing


def _svglib(svg: str) -> Drawing | None:
    """An SVG that ``svg_shapes`` does not read, read by svglib."""
    from svglib.svglib import svg2rlg

    return svg2rlg(io.BytesIO(svg.encode("utf-8")))


def formula_markup(latex: str, display: bool, size: float,
                   font: str = DEFAULT_MATH_FONT) -> str:
    """Paragraph markup that leaves room for the formula (in the math ``font``) and draws
    it there."""
    shape = typeset(latex, size, display, font)
    key = (latex, size, display, font)
    label = _labels.get(key)
    if label is None:
        label = _labels[key] = f"f{len(_keys)}"
        _keys[label] = key
    name = f'<onDraw name="{CALLBACK}" label="{label}"/>'
    if display:
        return (f'<br/>{name}<img src="{BLANK}" width="100%" '
                f'height="{shape.height + 2 * ROOM:.3f}" '
                f'valign="{-shape.depth - ROOM:.3f}"/><br/>')
    return (f'{name}<img src="{BLANK}" width="{shape.width:.3f}" '
            f'height="{shape.height:.3f}" valign="{-shape.depth:.3f}"/>')


ROOM = 2.0  # air above and below a display formula


def in_colour(markup: str, colour: str) -> str:
    """Markup whose formulas are drawn in ``colour`` (a "#rrggbb"), as the text around
    them: the key's correct answers are green, formulas included."""
    return _LABEL.sub(lambda m: f'label="{m.group(1)}@{colour}"', markup)


_LABEL = re.compile(r'label="(f\d+)(?:@#[0-9A-Fa-f]{6})?"')


def draw_formula(canvas: Any, label: str, x: float, y: float, width: float) -> None:
    """Draw the formula ``label`` names (``f12``, or ``f12@#1b7a3a`` in a colour) into
    its room (x, y: the room's lower left corner, width: the room's, as reportlab places
    the empty image)."""
    name, _, colour = label.partition("@")
    key = _keys.get(name)
    if key is None:
        raise ValueError(f"no formula is typeset as {label}")
    latex, size, display, font = key
    shape = typeset(latex, size, display, font)
    if display:  # the room spans the line: the formula goes in its middle
        x, y = x + (width - shape.width) / 2, y + ROOM
    shape.draw(canvas, x - shape.left, y, colour_of(colour) if colour else None)


@lru_cache(maxsize=64)
def colour_of(hex_colour: str | None) -> Any:
    """A layout's "#rrggbb" as reportlab's colour (None: black), parsed once: every
    option label and every coloured formula asks for it."""
    from reportlab.lib.colors import HexColor

    return HexColor(hex_colour) if hex_colour else black


# What else is drawn into an empty image's room, by the first part of its label
# ("box|DejaVuSans|10.5"): an option box inside a paragraph (``flowables.inline_box``).
ROOM_DRAWERS: dict[str, Callable[[Any, str, float, float, float], None]] = {}


def room_markup(label: str, width: float, height: float, valign: float = 0.0) -> str:
    """Paragraph markup for a room of this size whose drawing ``label`` names."""
    return (f'<onDraw name="{CALLBACK}" label="{label}"/><img src="{BLANK}" '
            f'width="{width:.3f}" height="{height:.3f}" valign="{valign:.3f}"/>')


class FormulaCanvas(Canvas):
    """A canvas that draws the formulas of examgen's paragraphs into their rooms."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.formulas: deque[str] = deque()  # named by callbacks, waiting for their rooms
        self.after_text: list[Callable[[], None]] = []  # drawn over the next text drawn
        self.setNamedCB(CALLBACK, _queue)

    def drawText(self, aTextObject: Any) -> None:  # noqa: N802, N803 - reportlab's names
        """The text, then what a room asked to draw over it (``after_text``): reportlab
        draws a paragraph's rooms before its text."""
        super().drawText(aTextObject)
        while self.after_text:
            self.after_text.pop(0)()

    def drawImage(self, image: Any, x: float, y: float,  # noqa: N802 - reportlab's name
                  width: float | None = None, height: float | None = None,
                  *args: Any, **kwargs: Any) -> Any:
        if self.formulas and width is not None and getattr(image, "fileName", None) == BLANK:
            label = self.formulas.popleft()
            drawer = ROOM_DRAWERS.get(label.split("|", 1)[0], draw_formula)
            drawer(self, label, x, y, width)
            return (width, height)
        return super().drawImage(image, x, y, width, height, *args, **kwargs)


def _queue(canvas: Any, kind: str | None, label: str) -> None:
    """The ``<onDraw>`` callback: the next empty image drawn is this formula's room."""
    canvas.formulas.append(label)
