"""A blueprint file: the mix plus the exam's header, layout, variants and seed, in YAML."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from examgen.core.errors import BankError, Problem, suggest
from examgen.core.header import ExamHeader
from examgen.core.limits import SETTINGS, check_setting
from examgen.core.model import PAPERS
from examgen.core.scoring import SCHEMES
from examgen.core.values import ValueProblem, as_bool, as_whole
from examgen.core.yamlio import Node, Scalar, read_yaml
from examgen.select.mix import AXES, MIX_KEYS
from examgen.select.variants import ORDERS

DRAWS = ("variant", "per-copy")  # a parametrised question's numbers: per variant or copy
HEADER_KEYS = ("title", "course", "date", "duration", "instructions")
SETTING_KEYS = ("bank", "layout", "paper", "variants", "forms", "overlap", "seed", "copies",
                "sheet", "scoring", "order", "draw", "roster", "seating", "neighbours")
BLUEPRINT_KEYS = (*HEADER_KEYS, *SETTING_KEYS, "mix")
# what a mix holds, its axes' values too ("hard: 2" means difficulty: {hard: 2})
_MIX_WORDS = {*MIX_KEYS, *(value for values in AXES.values() for value in values)}


@dataclass(frozen=True)
class BuildSettings:
    """What a build is asked for besides its mix and header; None where not given, so
    that the next source decides (flags over the blueprint, the blueprint over the
    defaults)."""

    bank: str | None = None
    layout: str | None = None
    paper: str | None = None
    variants: int | None = None
    forms: int | None = None
    overlap: int | None = None
    seed: int | None = None
    copies: int | None = None
    sheet: bool | None = None
    scoring: str | None = None
    order: str | None = None
    draw: str | None = None  # "variant" (default) or "per-copy": whose numbers differ
    roster: str | None = None  # a class list: a named copy per student
    seating: str | None = None  # a room plan (CSV) or ROWSxSEATS: variants by seat
    neighbours: int | None = None  # 2: left and right; 4: also front and back
    roster_number: str | None = None  # the roster's columns, when not found by name
    roster_name: str | None = None

    def over(self, base: BuildSettings) -> BuildSettings:
        """These settings where given, ``base``'s elsewhere."""
        return BuildSettings(**{f.name: _given(getattr(self, f.name), getattr(base, f.name))
                                for f in fields(self)})


def _given(first: Any, second: Any) -> Any:
    return second if first is None else first


@dataclass(frozen=True)
class Blueprint:
    header: ExamHeader = field(default_factory=ExamHeader)  # its texts
    settings: BuildSettings = field(default_factory=BuildSettings)
    mix: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # mix key -> line, for messages
    path: str = ""

    def where(self, key: str) -> str:
        return f"{self.path}:{self.lines.get(key, 1)}"


def load_blueprint(path: Path) -> Blueprint:
    """Read and check a blueprint; every problem, not just the first, names file and line."""
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(str(path), line, message))

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BankError([Problem(str(path), 0, f"cannot read the blueprint ({exc.strerror})")]
                        ) from None
    data = read_yaml(raw, report)
    if not isinstance(data, Node):
        if not problems:
            report(1, "a blueprint is a mapping with title, course, ..., and mix:")
        raise BankError(problems)
    for key in data:
        if key in BLUEPRINT_KEYS:
            continue
        if key in _MIX_WORDS:  # written at the top, but it belongs to the mix
            report(data.key_lines[key], f"'{key}' belongs under 'mix:': indent it by two "
                                        "spaces below the line 'mix:'")
        else:
            report(data.key_lines[key], f"unknown key '{key}'{suggest(key, BLUEPRINT_KEYS)}; "
                                        f"valid: {', '.join(BLUEPRINT_KEYS)}")
    header: dict[str, str] = {}
    for key in HEADER_KEYS:
        if key in data:
            if isinstance(data[key], Scalar):
                header[key] = str(data[key])
            else:
                report(data.key_lines[key], f"'{key}' must be a text")
    settings = _settings(data, report, path.parent)
    given = data.get("mix", Node())
    if not isinstance(given, Node):
        report(data.key_lines.get("mix", 1), "'mix' is a mapping, e.g. mix: {easy: 5, hard: 2}")
        given = Node()
    if problems:
        raise BankError(problems)
    mix: dict[str, Any] = dict(given)
    for key in ("exclude_used", "prefer_unused"):
        used = mix.get(key)
        if isinstance(used, list):  # relative to the blueprint, like a path in a config file
            mix[key] = [str(path.parent / str(p)) for p in used]
    lines = dict(getattr(given, "key_lines", {}))
    return Blueprint(ExamHeader(**header), BuildSettings(**settings), mix, lines, str(path))


def _settings(data: Node, report: Callable[[int, str], None], base: Path) -> dict[str, Any]:
    """variants, forms, overlap, seed, copies (whole numbers in the shared limits), layout,
    paper, sheet, scoring and order; the bank and a layout folder relative to ``base``,
    the blueprint's folder, like exclude_used."""
    settings: dict[str, Any] = {}
    for key in SETTINGS:
        if key in data:
            try:
                number = as_whole(data[key])
            except ValueProblem as exc:
                report(data.key_lines[key], f"'{key}': {exc}")
                continue
            problem = check_setting(key, number)
            if problem:
                report(data.key_lines[key], problem)
            settings[key] = number
    if "sheet" in data:
        try:
            settings["sheet"] = as_bool(data["sheet"])
        except ValueProblem as exc:
            report(data.key_lines["sheet"], f"'sheet': {exc}")
    for key, choices in (("order", ORDERS), ("scoring", SCHEMES), ("draw", DRAWS)):
        chosen = data.get(key)
        if chosen is None:
            continue
        if chosen in choices:
            settings[key] = str(chosen)
        else:
            report(data.key_lines[key], f"'{key}' must be one of {', '.join(choices)}")
    for key in ("roster", "seating"):  # files beside the blueprint (or a room: 10x12)
        setting = data.get(key)
        if setting is None:
            continue
        if not isinstance(setting, Scalar) or not setting.strip():
            report(data.key_lines[key], f"'{key}' is a file path relative to the blueprint"
                   + (" or ROWSxSEATS such as 10x12" if key == "seating" else ""))
        elif key == "seating" and re.fullmatch(r"[0-9]+x[0-9]+", setting.strip()):
            settings[key] = setting.strip()
        else:
            settings[key] = str(base / str(setting))
    if "neighbours" in data:
        if str(data["neighbours"]) in ("2", "4"):
            settings["neighbours"] = int(str(data["neighbours"]))
        else:
            report(data.key_lines["neighbours"], "'neighbours' is 2 (left and right) or 4 "
                                                 "(also front and back)")
    for key in ("layout", "paper", "bank"):
        setting = data.get(key)
        if setting is None:
            continue
        if not isinstance(setting, Scalar) or not setting.strip():
            report(data.key_lines[key], {
                "layout": "'layout' is a name (default, de) or a folder path",
                "paper": f"'paper' must be one of {', '.join(PAPERS)}",
                "bank": "'bank' is the bank's folder, relative to the blueprint"}[key])
        elif key == "paper" and setting.lower() not in PAPERS:
            report(data.key_lines[key], f"'paper' must be one of {', '.join(PAPERS)}")
        elif key == "paper":
            settings[key] = setting.lower()  # A4 is a4
        elif key == "bank":
            settings[key] = str(base / str(setting))
        elif key == "layout" and ("/" in setting or (base / str(setting)).is_dir()):
            settings[key] = str(base / str(setting))  # a folder: beside the blueprint
        else:
            settings[key] = str(setting)
    return settings
