"""ziamath's SVG read directly: its formulas are only filled ``<path>`` outlines (M, L,
Q, Z in absolute coordinates) and ``<rect>`` bars, so the general SVG reader (svglib,
about 30 ms a formula, half of a formula's cost) is not needed for them. The outlines
are filled straight on the canvas (``Outline.draw``, public canvas paths): building
reportlab shapes for them and walking those with its renderer cost more than the rest of
a formula's drawing. Anything else in the SVG (another element, attribute, path command
or colour) returns None, and the caller reads it with svglib as before; the outlines are
the shapes svglib builds for the same SVG (``tests/test_formulas.py`` compares them, and
the pixels of both drawn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, black

SVG_PX = 0.75  # SVG user units are px to svglib: 1 px = 0.75 pt
EVEN_ODD = 0  # the fill rule of reportlab's shapes (FILL_EVEN_ODD, which its stubs lack)
_HEAD = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" '
                   r'xmlns:xlink="http://www.w3.org/1999/xlink" width="([-0-9.e]+)" '
                   r'height="([-0-9.e]+)" viewBox="([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+) '
                   r'([-0-9.e]+)">')
_ELEMENT = re.compile(r'<(path|rect) ((?:[a-z]+="[^"]*" )*)/>')
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')
_TOKEN = re.compile(r"[MLQZ]|-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e-?[0-9]+)?")
_ARGS = {"M": 2, "L": 2, "Q": 4, "Z": 0}
_FILLS: dict[str, Color] = {"black": black, "#000000": black, "#000": black}
Shape = tuple[tuple[str, tuple[float, ...]], ...]  # a path's steps, or a bar's ("R", ...)


@dataclass(frozen=True)
class Outline:
    """A ziamath formula as filled outlines in SVG units (points to examgen, which sets
    formulas at the SVG's size): each shape a path ("M", "L", "C" with their points,
    "Z") or a bar ("R": x, y, width, height); ``transform`` turns them the right way up
    with the drawing's lower left at the origin."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    transform: tuple[float, float, float, float, float, float]

    def left(self) -> float:
        """Where the ink starts (control points included, as reportlab measures it)."""
        a, _, _, _, e, _ = self.transform
        xs = [a * v + e for shape in self.shapes for op, args in shape
              for v in (args[:1] if op == "R" else args[0::2])]
        return min(xs, default=0.0)

    def draw(self, canvas: Any, x: float, y: float, colour: Any) -> None:
        """Fill the outlines on ``canvas`` with the lower left at (x, y), each shape a fill
        of its own, as reportlab's renderer fills a drawing's shapes."""
        canvas.saveState()
        canvas.translate(x, y)
        canvas.transform(*self.transform)
        canvas.setFillColor(colour)
        for shape in self.shapes:
            if shape[0][0] == "R":
                canvas.rect(*shape[0][1], stroke=0, fill=1)
                continue
            path = canvas.beginPath()
            steps = {"M": path.moveTo, "L": path.lineTo, "C": path.curveTo, "Z": path.close}
            for op, args in shape:
                steps[op](*args)
            # reportlab's renderer fills only a path that ends closed
            canvas.drawPath(path, stroke=0, fill=1 if shape[-1][0] == "Z" else 0,
                            fillMode=EVEN_ODD)
        canvas.restoreState()


def svg_outline(svg: str) -> Outline | None:
    """The outlines of a ziamath SVG; None when the SVG holds anything this reader does
    not know."""
    head = _HEAD.match(svg)
    if head is None or not svg.endswith("</svg>"):
        return None
    width, height, min_x, min_y, _, box_height = (float(v) for v in head.groups())
    shapes = []
    position = head.end()
    for element in _ELEMENT.finditer(svg, position):
        if element.start() != position:
            return None  # something between the elements
        shape = _shape(element.group(1), dict(_ATTRIBUTE.findall(element.group(2))))
        if shape is None:
            return None
        shapes.append(shape)
        position = element.end()
    if svg[position:] != "</svg>":
        return None
    return Outline(width, height, tuple(shapes), (1.0, 0.0, 0.0, -1.0, -min_x,
                                                  box_height + min_y))


def _shape(kind: str, attributes: dict[str, str]) -> Shape | None:
    if _FILLS.get(attributes.pop("fill", "black")) is None:
        return None
    if kind == "rect":
        try:
            x, y, w, h = (float(attributes.pop(k)) for k in ("x", "y", "width", "height"))
        except (KeyError, ValueError):
            return None
        if attributes:
            return None
        return (("R", (x, y, w, h)),)
    data = attributes.pop("d", None)
    if data is None or attributes:
        return None
    return _path(data)


def _path(data: str) -> Shape | None:
    tokens = _TOKEN.findall(data)
    if "".join(tokens) != "".join(data.split()):
        return None  # a command or a number this reader does not know
    ops: list[tuple[str, tuple[float, ...]]] = []
    x = y = 0.0
    n = 0
    while n < len(tokens):
        command = tokens[n]
        count = _ARGS.get(command)
        if count is None or n + count > len(tokens) - 1:
            return None
        try:
            args = [float(t) for t in tokens[n + 1:n + 1 + count]]
        except ValueError:
            return None
        n += 1 + count
        if command in "ML":
            x, y = args
            ops.append((command, (x, y)))
        elif command == "Q":  # a quadratic Bezier as the cubic one that draws it
            qx, qy, ex, ey = args
            ops.append(("C", (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y),
                              ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey)))
            x, y = ex, ey
        else:
            ops.append(("Z", ()))
    return tuple(ops)
