"""A blueprint file: the mix plus the exam's header, layout, variants and seed, in YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .errors import BankError, Problem, suggest
from .limits import SETTINGS, check_setting
from .model import PAPERS
from .values import ValueProblem, as_whole
from .yamlio import Node, Scalar, read_yaml

HEADER_KEYS = ("title", "course", "date", "duration", "instructions")
SETTING_KEYS = ("layout", "paper", "variants", "forms", "overlap", "seed")
BLUEPRINT_KEYS = (*HEADER_KEYS, *SETTING_KEYS, "mix")


@dataclass(frozen=True)
class Blueprint:
    header: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    mix: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # mix key -> line, for messages
    path: str = ""

    def where(self, key: str) -> str:
        return f"{self.path}:{self.lines.get(key, 1)}"


def load_blueprint(path: Path) -> Blueprint:
    """Read and check a blueprint; every problem names the file and line."""
    def fail(line: int, message: str) -> NoReturn:
        raise BankError([Problem(str(path), line, message)])

    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(0, f"cannot read the blueprint ({exc.strerror})")
    data = read_yaml(raw, fail)
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
            if not isinstance(value, Scalar):
                fail(data.key_lines[key], f"'{key}' must be a text")
            header[key] = str(value)
    settings: dict[str, Any] = {}
    for key in SETTINGS:
        if key in data:
            try:
                settings[key] = as_whole(data[key])
            except ValueProblem as exc:
                fail(data.key_lines[key], f"'{key}': {exc}")
            problem = check_setting(key, settings[key])
            if problem:
                fail(data.key_lines[key], problem)
    for key in ("layout", "paper"):
        setting = data.get(key)
        if setting is not None:
            if not isinstance(setting, Scalar) or not setting.strip():
                fail(data.key_lines[key], f"'{key}' is a name (default, de) or a folder path"
                     if key == "layout" else "'paper' must be one of a4, letter")
            settings[key] = str(setting)
    if settings.get("paper", "a4") not in PAPERS:
        fail(data.key_lines["paper"], f"'paper' must be one of {', '.join(PAPERS)}")
    given = data.get("mix", Node())
    if not isinstance(given, Node):
        fail(data.key_lines.get("mix", 1), "'mix' is a mapping, e.g. mix: {easy: 5, hard: 2}")
    mix: dict[str, Any] = dict(given)
    used = mix.get("exclude_used")
    if isinstance(used, list):  # relative to the blueprint, like a path in a config file
        mix["exclude_used"] = [str(path.parent / str(p)) for p in used]
    lines = dict(getattr(given, "key_lines", {}))
    return Blueprint(header, settings, mix, lines, str(path))
