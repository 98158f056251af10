"""A blueprint file: the mix plus the exam's header, layout, variants and seed, in YAML."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .bank import suggest
from .errors import BankError, Problem
from .render.page import PAPERS
from .yamlio import Node, parse_yaml

HEADER_KEYS = ("title", "course", "date", "duration", "instructions")
SETTING_KEYS = ("layout", "paper", "variants", "forms", "overlap", "seed")
BLUEPRINT_KEYS = (*HEADER_KEYS, *SETTING_KEYS, "mix")


@dataclass(frozen=True)
class Blueprint:
    header: dict[str, str] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    mix: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # mix key -> line, for messages
    path: str = ""

    def where(self, key: str) -> str:
        return f"{self.path}:{self.lines.get(key, 1)}"


def load_blueprint(path: Path) -> Blueprint:
    """Read and check a blueprint; every problem names the file and line."""
    def fail(line: int, message: str):
        raise BankError([Problem(str(path), line, message)])

    try:
        data = parse_yaml(path.read_bytes())
    except OSError as exc:
        fail(0, f"cannot read the blueprint ({exc.strerror})")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        fail(mark.line + 1 if mark else 1, f"YAML syntax error: {exc.problem}")
    if not isinstance(data, Node):
        fail(1, "a blueprint is a mapping with title, course, ..., and mix:")
    for key in data:
        if key not in BLUEPRINT_KEYS:
            fail(data.key_lines[key], f"unknown key '{key}'{suggest(key, BLUEPRINT_KEYS)}; "
                                      f"valid: {', '.join(BLUEPRINT_KEYS)}")
    header = {}
    for key in HEADER_KEYS:
        if key in data:
            value = data[key]
            if isinstance(value, (datetime.date, int, float)):
                value = str(value)
            if not isinstance(value, str):
                fail(data.key_lines[key], f"'{key}' must be a text")
            header[key] = value
    settings = {k: data[k] for k in SETTING_KEYS if k in data}
    for key in ("variants", "forms", "overlap", "seed"):
        value = settings.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 0):
            fail(data.key_lines[key], f"'{key}' must be a whole number")
    if "layout" in settings and not isinstance(settings["layout"], str):
        fail(data.key_lines["layout"], "'layout' is a name (default, de) or a folder path")
    if settings.get("paper", "a4") not in PAPERS:
        fail(data.key_lines["paper"], f"'paper' must be one of {', '.join(PAPERS)}")
    mix = data.get("mix", {})
    if not isinstance(mix, Node):
        fail(data.key_lines.get("mix", 1), "'mix' is a mapping, e.g. mix: {easy: 5, hard: 2}")
    mix = dict(mix)
    if "exclude_used" in mix and isinstance(mix["exclude_used"], list):
        mix["exclude_used"] = [str(path.parent / p) for p in mix["exclude_used"]]
    lines = dict(getattr(data.get("mix"), "key_lines", {}))
    return Blueprint(header, settings, mix, lines, str(path))
