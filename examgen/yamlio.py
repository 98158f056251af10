"""YAML with line numbers and no guessing: every scalar stays the text that was written.

PyYAML follows YAML 1.1, which silently turns ``12:30`` into 750, ``010`` into 8, ``yes``
into True and ``2024-02-30`` into a crash. Here every scalar is a ``Scalar``: the exact
characters from the file, whether it was quoted, and its line. What a field means (a text,
a number, a boolean) is decided by the field, strictly, in ``values``.
"""

from __future__ import annotations

from typing import TypeAlias

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.nodes import Node as YamlNode

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"

# Aliases may repeat parts of a document; beyond this many values a document is refused
# instead of expanding (a "billion laughs" file would otherwise take minutes and all memory).
MAX_VALUES = 1_000_000


class Scalar(str):
    """A scalar exactly as written in the file.

    ``plain`` is False for quoted and block scalars: ``"true"`` is a text, ``true`` a boolean.
    """

    plain: bool
    line: int


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
        return _Builder().value(node)
    except RecursionError:
        raise YamlValueError("nested too deeply, or a merge (<<: *name) refers to itself",
                             node) from None


def decode_error_line(raw: bytes, exc: UnicodeDecodeError) -> int:
    """The line of the first byte that is not UTF-8, for the message."""
    return raw[: exc.start].count(b"\n") + 1


class _Builder:
    """Turns the node graph into values, refusing cycles and bounding alias expansion."""

    def __init__(self) -> None:
        self.count = 0
        self.active: set[int] = set()

    def value(self, node: YamlNode) -> Value:
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlValueError(f"more than {MAX_VALUES:,} values: aliases (*name) expand "
                                 "too far; write the values out or use fewer aliases", node)
        if isinstance(node, ScalarNode):
            scalar = Scalar(node.value)
            scalar.plain = not node.style  # None (Python parser) or "" (C parser)
            scalar.line = node.start_mark.line + 1
            return scalar
        if id(node) in self.active:
            raise YamlValueError("an alias (*name) refers to the list or mapping that "
                                 "contains it; remove the alias", node)
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node)
            assert isinstance(node, SequenceNode)
            return [self.value(item) for item in node.value]
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode) -> Node:
        if any(k.tag == _MERGE for k, _ in node.value):
            yaml.constructor.SafeConstructor().flatten_mapping(node)
        result = Node()
        result.line = node.start_mark.line + 1
        result.key_lines = lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlValueError("a mapping key must be a plain word", key_node)
            key = key_node.value
            if key in result:
                raise YamlValueError(f"duplicate key '{key}'", key_node)
            result[key] = self.value(value_node)
            lines[key] = key_node.start_mark.line + 1
        return result
