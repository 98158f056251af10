"""One question's mapping read strictly: every getter reports a problem at the
field's own line, so a bank file's problems all come with FILE:LINE."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from examgen.core.errors import Problem, suggest
from examgen.core.images import image_problem
from examgen.core.limits import MAX_TEXT
from examgen.core.model import (
    Option,
)
from examgen.core.values import ValueProblem, as_bool, as_number
from examgen.core.yamlio import Node, Scalar, Value

OPTION_FIELDS = {"text", "correct", "fixed_order", "image"}


@dataclass
class FileContext:
    """What the checks of one file need: where it is and where to put findings."""

    display: str
    folder: Path
    root: Path
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.display, line, message, warning=True))


def is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def line_of(value: Any, default: int) -> int:
    """Where a value stands: a scalar's or mapping's own line, else the given one."""
    return getattr(value, "line", default)


class Fields:
    """One question's mapping, read strictly: each getter reports at the field's line."""

    def __init__(self, node: Node, ctx: FileContext):
        self.node, self.ctx = node, ctx
        qid = node.get("id")
        self.label = f"question '{qid}'" if is_text(qid) else "question"

    def report(self, key: str | None, message: str, line: int | None = None) -> None:
        where = line or (self.node.key_lines.get(key, self.node.line) if key
                         else self.node.line)
        self.ctx.report(where, f"{self.label}: {message}")

    def text(self, key: str, default: str = "") -> str:
        """A literal text: the characters written, stripped of surrounding white space."""
        value = self.node.get(key)
        if value is None:
            return default
        if not is_text(value):
            self.report(key, f"'{key}' must be a non-empty text")
            return default
        return self.bounded(str(value).strip(), f"'{key}'", self.node.key_lines[key])

    def known(self, item: Node, allowed: set[str], where: str) -> None:
        """Report every field of ``item`` (a gap, a pair) that is not ``allowed``."""
        for k in item:
            if k not in allowed:
                self.report(None, f"{where}: unknown field '{k}'{suggest(k, allowed)}",
                            item.key_lines[k])

    def bounded(self, text: str, what: str, line: int) -> str:
        """The text, or a problem when it is longer than any exam text should be."""
        if len(text) > MAX_TEXT:
            self.report(None, f"{what} is {len(text):,} characters long; the limit is "
                              f"{MAX_TEXT:,}: shorten it or split the question", line)
        return text

    def boolean(self, key: str, default: bool = False) -> bool:
        if key not in self.node:
            return default
        try:
            return as_bool(self.node[key])
        except ValueProblem as exc:
            self.report(key, f"'{key}': {exc}")
            return default

    def number(self, key: str, default: float, minimum: float = 0,
               strictly_above: bool = False, node: Node | None = None,
               where: str = "") -> float:
        """A finite number at ``key`` of the question (or of ``node``, e.g. a gap)."""
        node = node or self.node
        if key not in node:
            return default
        line, what = node.key_lines[key], f"{where}: '{key}'" if where else f"'{key}'"
        try:
            value = as_number(node[key])
        except ValueProblem as exc:
            self.report(None, f"{what}: {exc}", line)
            return default
        if value < minimum or (strictly_above and value == minimum):
            relation = ">" if strictly_above else ">="
            self.report(None, f"{what} must be a number {relation} {minimum:g}, not {value:g}",
                        line)
            return default
        return value

    def options(self, items: Value | None, key: str, where: str) -> tuple[Option, ...]:
        default_line = self.node.key_lines.get(key, self.node.line)
        if not isinstance(items, list) or not items:
            self.report(key, f"{where} needs a list of options")
            return ()
        options = []
        seen: set[str] = set()
        for item in items:
            line = line_of(item, default_line)
            option = self._option(item, where, line)
            if option is None:
                continue
            norm = " ".join(option.text.split()).casefold() + (
                f"|{option.image}" if option.image else "")
            if norm in seen:
                self.report(key, f"{where}: duplicate option '{option.text}'", line)
            seen.add(norm)
            options.append(option)
        return tuple(options)

    def _option(self, item: Value, where: str, line: int) -> Option | None:
        if isinstance(item, Scalar) and item.strip():
            return Option(self.bounded(item.strip(), f"{where}: an option", line))
        given = item.get("text") if isinstance(item, Node) else None
        picture_only = isinstance(item, Node) and "image" in item and (
            given is None or (isinstance(given, str) and not given.strip()))
        if not isinstance(item, Node) or not (is_text(given) or picture_only):
            self.report(None, f"{where}: an option is a text or a mapping with 'text:' "
                              "(and 'image:' for a picture)", line)
            return None
        flags = {}
        for k in item:
            if k not in OPTION_FIELDS:
                self.report(None, f"{where}: unknown option field '{k}'"
                                  f"{suggest(k, OPTION_FIELDS)}", item.key_lines[k])
            elif k not in ("text", "image"):
                try:
                    flags[k] = as_bool(item[k])
                except ValueProblem as exc:
                    self.report(None, f"{where}: option '{item['text']}': '{k}': {exc}",
                                item.key_lines[k])
        text = self.bounded(str(item.get("text", "")).strip(), f"{where}: an option", line)
        image = self.picture(item["image"], f"{where}: option image", item.key_lines["image"]) \
            if "image" in item else None
        return Option(text, flags.get("correct", False), flags.get("fixed_order", False),
                      image)

    def picture(self, rel: Value, what: str, line: int) -> Path | None:
        """A picture's path relative to the YAML file: inside the bank, there, readable."""
        if not is_text(rel):
            self.report(None, f"{what} must be a path relative to this YAML file", line)
            return None
        path = (self.ctx.folder / str(rel)).resolve()
        if not path.is_relative_to(self.ctx.root):
            self.report(None, f"{what} '{rel}' leaves the bank folder; keep images inside it",
                        line)
            return None
        if not path.is_file():
            self.report(None, f"{what} file '{rel}' not found (looked for {path})", line)
            return None
        problem = image_problem(path)
        if problem:
            self.report(None, f"{what} '{rel}' {problem}", line)
            return None
        return path

    def text_list(self, value: Value | None) -> tuple[str, ...] | None:
        """Accepted answers: a text or a list of texts, each kept literally."""
        if isinstance(value, Scalar):
            value = [value]
        if isinstance(value, list) and value and all(is_text(v) for v in value):
            return tuple(self.bounded(str(v).strip(), "an answer", line_of(v, self.node.line))
                         for v in value)
        return None
