"""One question's mapping read strictly: every getter reports a problem at the
field's own line, so a bank file's problems all come with FILE:LINE."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from examgen.core.errors import Problem, suggest
from examgen.core.limits import MAX_TEXT
from examgen.core.model import (
    Option,
)
from examgen.core.values import ValueProblem, as_bool, as_number
from examgen.core.yamlio import Node, Scalar, Value

OPTION_FIELDS = {"text", "correct", "fixed_order"}


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
            norm = " ".join(option.text.split()).casefold()
            if norm in seen:
                self.report(key, f"{where}: duplicate option '{option.text}'", line)
            seen.add(norm)
            options.append(option)
        return tuple(options)

    def _option(self, item: Value, where: str, line: int) -> Option | None:
        if isinstance(item, Scalar) and item.strip():
            return Option(self.bounded(item.strip(), f"{where}: an option", line))
        if not isinstance(item, Node) or not is_text(item.get("text")):
            self.report(None, f"{where}: an option is a text or a mapping with 'text:'", line)
            return None
        flags = {}
        for k in item:
            if k not in OPTION_FIELDS:
                self.report(None, f"{where}: unknown option field '{k}'"
                                  f"{suggest(k, OPTION_FIELDS)}", item.key_lines[k])
            elif k != "text":
                try:
                    flags[k] = as_bool(item[k])
                except ValueProblem as exc:
                    self.report(None, f"{where}: option '{item['text']}': '{k}': {exc}",
                                item.key_lines[k])
        text = self.bounded(str(item["text"]).strip(), f"{where}: an option", line)
        return Option(text, flags.get("correct", False),
                      flags.get("fixed_order", False))

    def text_list(self, value: Value | None) -> tuple[str, ...] | None:
        """Accepted answers: a text or a list of texts, each kept literally."""
        if isinstance(value, Scalar):
            value = [value]
        if isinstance(value, list) and value and all(is_text(v) for v in value):
            return tuple(self.bounded(str(v).strip(), "an answer", line_of(v, self.node.line))
                         for v in value)
        return None
