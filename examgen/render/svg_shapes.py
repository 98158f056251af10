"""ziamath's SVG as reportlab shapes, read directly: its formulas are only filled
``<path>`` outlines (M, L, Q, Z in absolute coordinates) and ``<rect>`` bars, so the
general SVG reader (svglib, about 30 ms a formula, half of a formula's cost) is not
needed for them. Anything else in the SVG (another element, attribute, path command or
colour) returns None, and the caller reads it with svglib as before; the shapes are the
ones svglib builds for the same SVG (``tests/test_formulas.py`` compares them).
"""

from __future__ import annotations

import re

from reportlab.graphics.shapes import Drawing, Group, Path, Rect
from reportlab.lib.colors import Color, black

SVG_PX = 0.75  # SVG user units are px to svglib: 1 px = 0.75 pt
_HEAD = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" '
                   r'xmlns:xlink="http://www.w3.org/1999/xlink" width="([-0-9.e]+)" '
                   r'height="([-0-9.e]+)" viewBox="([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+) '
                   r'([-0-9.e]+)">')
_ELEMENT = re.compile(r'<(path|rect) ((?:[a-z]+="[^"]*" )*)/>')
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')
_TOKEN = re.compile(r"[MLQZ]|-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e-?[0-9]+)?")
_ARGS = {"M": 2, "L": 2, "Q": 4, "Z": 0}
_FILLS: dict[str, Color] = {"black": black, "#000000": black, "#000": black}


def svg_drawing(svg: str) -> Drawing | None:
    """The drawing of a ziamath SVG in points, as svglib would build it; None when the
    SVG holds anything this reader does not know."""
    head = _HEAD.match(svg)
    if head is None or not svg.endswith("</svg>"):
        return None
    width, height, min_x, min_y, _, box_height = (float(v) for v in head.groups())
    shapes: list[Path | Rect] = []
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
    drawing = Drawing(width * SVG_PX, height * SVG_PX)
    flip = (SVG_PX, 0.0, 0.0, -SVG_PX, -min_x * SVG_PX, (box_height + min_y) * SVG_PX)
    drawing.add(Group(*shapes, transform=flip))
    return drawing


def _shape(kind: str, attributes: dict[str, str]) -> Path | Rect | None:
    fill = _FILLS.get(attributes.pop("fill", "black"))
    if fill is None:
        return None
    if kind == "rect":
        try:
            x, y, w, h = (float(attributes.pop(k)) for k in ("x", "y", "width", "height"))
        except (KeyError, ValueError):
            return None
        if attributes:
            return None
        bar = Rect(x, y, w, h)
        bar.fillColor, bar.strokeColor, bar.strokeWidth = fill, None, 1.0
        return bar
    data = attributes.pop("d", None)
    if data is None or attributes:
        return None
    return _path(data, fill)


def _path(data: str, fill: Color) -> Path | None:
    tokens = _TOKEN.findall(data)
    if "".join(tokens) != "".join(data.split()):
        return None  # a command or a number this reader does not know
    path = Path(fillColor=fill, strokeColor=None, strokeWidth=1.0)
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
        if command == "M":
            x, y = args
            path.moveTo(x, y)
        elif command == "L":
            x, y = args
            path.lineTo(x, y)
        elif command == "Q":  # a quadratic Bezier as the cubic one that draws it
            qx, qy, ex, ey = args
            path.curveTo(x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y),
                         ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey)
            x, y = ex, ey
        else:
            path.closePath()
    return path
