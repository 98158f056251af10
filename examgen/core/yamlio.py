"""YAML with line numbers and no guessing: every scalar stays the text that was written.

PyYAML follows YAML 1.1, which silently turns ``12:30`` into 750, ``010`` into 8, ``yes``
into True and ``2024-02-30`` into a crash. Here every scalar is a ``Scalar``: the exact
characters from the file, whether it was quoted, and its line. What a field means (a text,
a number, a boolean) is decided by the field, strictly, in ``values``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeAlias

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.nodes import Node as YamlNode

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"

# Aliases may repeat parts of a document; beyond this many values a document is refused
# instead of expanding (a "billion laughs" file would otherwise take minutes and all memory).
MAX_VALUES = 1_000_000
# An anchor (&name) where YAML allows one: only a file with one can hold aliases at all.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)


class Scalar(str):
    """A scalar exactly as written in the file.

    ``plain`` is False for quoted and block scalars: ``"true"`` is a text, ``true`` a boolean.
    """

    plain: bool
    line: int
    block: bool  # a | or > block: its text starts on the line after ``line``


class Node(dict[str, "Value"]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict[str, int]


Value: TypeAlias = "Scalar | Node | list[Value]"


class YamlValueError(yaml.MarkedYAMLError):
    """A document that parses but cannot be used: bad key, recursion, too many values."""

    def __init__(self, message: str, node: YamlNode):
        super().__init__(problem=message, problem_mark=node.start_mark)


def parse_yaml(raw: bytes) -> Value | None:
    """Parse with the C composer, then build Scalars, Nodes and lists with line numbers.

    Walking the node tree directly is about twice as fast as PyYAML's constructor and
    gives every mapping the line of each key, which the error messages need.
    Raises ``yaml.MarkedYAMLError`` (with a line) for syntax and for unusable documents,
    and ``UnicodeDecodeError`` for bytes that are not UTF-8.
    """
    text = raw.decode("utf-8-sig")
    node = yaml.compose(text, Loader=_BaseLoader)  # noqa: S506 - safe loader
    if node is None:
        return None
    try:
        if _ANCHOR.search(text) and _expanded_size(node) > MAX_VALUES:
            raise YamlValueError(f"more than {MAX_VALUES:,} values once aliases (*name) are "
                                 "expanded; write the values out, use fewer aliases, or split "
                                 "the file", node)
        return _Builder().value(node)
    except RecursionError:
        raise YamlValueError("nested too deeply, or a merge (<<: *name) refers to itself",
                             node) from None


def decode_error_line(raw: bytes, exc: UnicodeDecodeError) -> int:
    """The line of the first byte that is not UTF-8, for the message."""
    return raw[: exc.start].count(b"\n") + 1


def _expanded_size(root: YamlNode) -> int:
    """How many values the document holds once every alias is expanded, counted on the
    node graph (each node once), so a "billion laughs" file is refused without building
    it. An alias inside the collection it names is a cycle and refused too."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: YamlNode) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in active:
            raise YamlValueError("an alias (*name) refers to the list or mapping that "
                                 "contains it; remove the alias", node)
        active.add(id(node))
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(item) for item in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(id(node))
        sizes[id(node)] = total
        return total

    return size(root)


class _Builder:
    """Turns the checked node graph into values."""

    def value(self, node: YamlNode) -> Value:
        if isinstance(node, ScalarNode):
            scalar = Scalar(node.value)
            scalar.plain = not node.style  # None (Python parser) or "" (C parser)
            scalar.line = node.start_mark.line + 1
            scalar.block = node.style in ("|", ">")
            return scalar
        if isinstance(node, MappingNode):
            return self._mapping(node)
        assert isinstance(node, SequenceNode)
        return [self.value(item) for item in node.value]

    def _mapping(self, node: MappingNode) -> Node:
        """A mapping; keys merged in with ``<<: *name`` give way to the mapping's own."""
        own = sum(1 for k, _ in node.value if k.tag != _MERGE)
        if own < len(node.value):
            yaml.constructor.SafeConstructor().flatten_mapping(node)
        merged = len(node.value) - own  # flatten_mapping puts the merged pairs first
        result = Node()
        result.line = node.start_mark.line + 1
        result.key_lines = lines = {}
        explicit: set[str] = set()
        for n, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, ScalarNode):
                raise YamlValueError("a mapping key must be a plain word", key_node)
            key = key_node.value
            if n >= merged:
                if key in explicit:
                    raise YamlValueError(f"duplicate key '{key}'", key_node)
                explicit.add(key)
            result[key] = self.value(value_node)
            lines[key] = key_node.start_mark.line + 1
        return result


def _unquoted_placeholder(raw: bytes, line: int) -> bool:
    """Whether the line holds a value starting with an unquoted {{ (a placeholder)."""
    lines = raw.decode("utf-8", errors="replace").splitlines()
    return 0 < line <= len(lines) and bool(re.search(r"(:|-)\s+\{\{", lines[line - 1]))


def read_yaml(raw: bytes, report: Callable[[int, str], None]) -> Value | None:
    """Parse one YAML file; syntax errors and bad bytes are reported with their line."""
    try:
        return parse_yaml(raw)
    except UnicodeDecodeError as exc:
        report(decode_error_line(raw, exc), "the file is not UTF-8 (byte "
               f"0x{raw[exc.start]:02x}); save it as UTF-8")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "cannot parse"
        if exc.context and exc.context_mark and exc.problem:
            what += f" ({exc.context} started at line {exc.context_mark.line + 1})"
        if ("expected" in what and ("key" in what or "block end" in what)) or \
                "mapping values are not allowed" in what:
            what += ("; most often a line indented more or less than the lines around "
                     "it: check the indentation")
        elif _unquoted_placeholder(raw, line):
            what += ('; a value that starts with {{ reads as a YAML mapping: quote it, '
                     'e.g. value: "{{2 * a}}"')
        report(line, f"YAML syntax error at column {col}: {what}")
    except yaml.YAMLError as exc:
        report(1, f"YAML error: {exc}")
    return None
