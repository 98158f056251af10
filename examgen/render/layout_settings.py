"""layout.yaml, read and checked like a bank file: every value converted, range-checked
and reported at its line, so a layout can neither crash a build nor print an unreadable
page. Anything left out (an empty file included) comes from the default layout."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from examgen.core.errors import LayoutError, Problem, suggest
from examgen.core.formula_svg import MATH_FONTS
from examgen.core.model import PAPERS
from examgen.core.values import ValueProblem, as_number
from examgen.core.yamlio import Node, Scalar, read_yaml

MM = 72 / 25.4
# Section -> key -> (lowest, highest): lengths in millimetres, sizes in points.
RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "margins": {"top": (5, 60), "bottom": (5, 60), "left": (5, 60), "right": (5, 60)},
    "fonts": {"size": (6, 24), "leading": (6, 60), "title_size": (8, 48),
              "small_size": (5, 20)},
    "sheet": {"student_digits": (1, 12)},
}
LINE_SPACING = (4.0, 25.0)  # open_line_spacing, mm
COLOURS = ("accent", "rule", "correct", "green", "yellow", "red")
BLOCKS = ("header", "instructions", "key_header")
SECTIONS = ("paper", "margins", "fonts", "colours", "labels", "templates", "open_line_spacing",
            "sheet")
MIN_TEXT_WIDTH, MIN_TEXT_HEIGHT = 100.0, 150.0  # mm the margins must leave for the text
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def read_settings(path: Path, labels: tuple[str, ...] = ()) -> dict[str, Any]:
    """The checked values of one layout.yaml; ``labels`` are the names a label may have
    (empty: any, for the default layout that defines them)."""
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(str(path), line, message))

    data = read_yaml(path.read_bytes(), report)
    if data is None and not problems:
        data = Node()
        data.line, data.key_lines = 1, {}
    settings: dict[str, Any] = {}
    if isinstance(data, Node):
        settings = _Checker(report, labels).sections(data)
    elif not problems:
        report(1, f"a layout is a mapping of {', '.join(SECTIONS)}")
    if problems:
        raise LayoutError("\n".join(str(p) for p in problems))
    return settings


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A user's layout only needs to say what differs from the default."""
    out = dict(base)
    for key, value in override.items():
        out[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return out


def check_room(settings: dict[str, Any], paper: str, path: Path) -> None:
    """The margins must leave room for the text on the paper the exam is printed on."""
    width, height = (side / MM for side in PAPERS[paper])
    m = settings["margins"]
    text_width, text_height = width - m["left"] - m["right"], height - m["top"] - m["bottom"]
    if text_width < MIN_TEXT_WIDTH or text_height < MIN_TEXT_HEIGHT:
        raise LayoutError(f"{path}: the margins leave {text_width:.0f} x {text_height:.0f} mm "
                          f"of {paper} paper for the text; at least {MIN_TEXT_WIDTH:.0f} x "
                          f"{MIN_TEXT_HEIGHT:.0f} mm are needed: make them smaller")
    fonts = settings["fonts"]
    if fonts["leading"] < fonts["size"]:
        raise LayoutError(f"{path}: fonts.leading ({fonts['leading']:g}) must be at least "
                          f"fonts.size ({fonts['size']:g}), or lines overlap")


class _Checker:
    def __init__(self, report: Any, labels: tuple[str, ...]):
        self.report, self.labels = report, labels

    def sections(self, data: Node) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in data.items():
            line = data.key_lines[key]
            if key not in SECTIONS:
                self.report(line, f"unknown section '{key}'{suggest(key, SECTIONS)}; valid: "
                                  f"{', '.join(SECTIONS)}")
            elif key == "paper":
                if value not in PAPERS:
                    self.report(line, f"'paper' must be one of {', '.join(PAPERS)}")
                else:
                    out[key] = str(value)
            elif key == "open_line_spacing":
                out[key] = self.number(value, key, LINE_SPACING, line)
            elif not isinstance(value, Node):
                self.report(line, f"'{key}' must be a mapping")
            else:
                out[key] = self.section(key, value)
        return out

    def section(self, name: str, data: Node) -> dict[str, Any]:
        allowed: tuple[str, ...] = {
            "margins": tuple(RANGES["margins"]), "fonts": (*RANGES["fonts"], "math"),
            "sheet": tuple(RANGES["sheet"]),
            "colours": COLOURS, "templates": BLOCKS, "labels": self.labels}[name]
        out: dict[str, Any] = {}
        for key, value in data.items():
            line, where = data.key_lines[key], f"{name}.{key}"
            if allowed and key not in allowed:
                self.report(line, f"unknown {name[:-1] if name != 'labels' else 'label'} "
                                  f"'{key}'{suggest(key, allowed)}; valid: {', '.join(allowed)}")
            elif where == "fonts.math":
                if str(value).strip() not in MATH_FONTS:
                    self.report(line, f"fonts.math must be one of {', '.join(MATH_FONTS)} "
                                      f"(the formulas' typeface), not {_shown(value)}")
                out[key] = str(value).strip()
            elif name == "sheet":
                digits = self.number(value, where, RANGES[name][key], line)
                if not float(digits).is_integer():
                    self.report(line, f"{where} must be a whole number, not {digits:g}")
                out[key] = int(digits)
            elif name in RANGES:
                out[key] = self.number(value, where, RANGES[name][key], line)
            elif name == "colours":
                if not (isinstance(value, Scalar) and _HEX.fullmatch(value.strip())):
                    self.report(line, f"{where} must be a colour like \"#1f3a5f\" (quoted), "
                                      f"not {_shown(value)}")
                out[key] = str(value).strip()
            elif not isinstance(value, Scalar) or not value.strip() or (
                    value.plain and value in ("null", "Null", "NULL", "~")):
                self.report(line, f"{where} must be a text, not {_shown(value)}")
            else:
                out[key] = str(value)
        return out

    def number(self, value: Any, where: str, bounds: tuple[float, float], line: int) -> float:
        try:
            number = as_number(value)
        except ValueProblem as exc:
            self.report(line, f"{where}: {exc}")
            return bounds[0]
        if not bounds[0] <= number <= bounds[1]:
            self.report(line, f"{where} must be from {bounds[0]:g} to {bounds[1]:g}, "
                              f"not {number:g}")
        return number


def _shown(value: Any) -> str:
    if isinstance(value, Scalar):
        return f"'{value}'" if value.strip() else "empty"
    return "a list" if isinstance(value, list) else "a mapping"
