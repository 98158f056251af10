"""The text edit ``calibrate`` makes in one bank file: a ``stats:`` line per exam and
cohort after each question's last value, and a difficulty retagged in place.

The file is edited as text at places the YAML parser reports (each value's end), never
found by guessing from indentation or ``#``: a ``|`` block whose last line starts with
``#`` keeps that line. Line endings (LF or CRLF) and a byte-order mark stay as they were;
every value written is formatted here from a checked number or identifier, never copied
from a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from examgen.core.model import Observation, format_number

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Edit:
    """What one question gets: its observations (all of them, old and new) and maybe a
    new difficulty."""

    observations: tuple[Observation, ...]
    difficulty: str = ""


def edit_file(text: str, edits: dict[str, Edit]) -> tuple[str, list[str]]:
    """The file with the edits made, and a note per question that could not be edited
    safely (it stays as it was)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader
    questions = _questions(root)
    changes: list[tuple[int, int, list[str]]] = []  # first, last (0-based, exclusive), new
    notes: list[str] = []
    for item in questions:
        keys = {k.value: (k, v) for k, v in item.value if isinstance(k, ScalarNode)}
        qid = keys["id"][1].value if "id" in keys and isinstance(
            keys["id"][1], ScalarNode) else None
        if qid not in edits:
            continue
        edit = edits[qid]
        if item.flow_style or "stats" in keys and keys["stats"][1].flow_style:
            notes.append(f"{item.start_mark.line + 1}: question '{qid}' is written in flow "
                         "style ({...}); calibrate writes stats only into block style")
            continue
        indent = " " * keys["id"][0].start_mark.column
        start, end = _span(item, lines)
        if "stats" in keys:
            key, value = keys["stats"]
            first = key.start_mark.line + 1  # its key line and comment stay
            last = max(first, _end_line(value, lines))
            changes.append((first, last, _block(indent, edit.observations, newline)[1:]))
        else:
            changes.append((end, end, _block(indent, edit.observations, newline)))
        if edit.difficulty:
            problem = _retag(lines, keys.get("difficulty"), start, end, edit.difficulty)
            if problem:
                notes.append(f"{item.start_mark.line + 1}: question '{qid}': {problem}")
    for first, last, block in sorted(changes, reverse=True):
        if first == last and first > 0 and not lines[first - 1].endswith(("\n", "\r")):
            lines[first - 1] += newline
        lines[first:last] = block
    return "".join(lines), notes


def _questions(root: Node | None) -> list[MappingNode]:
    if not isinstance(root, MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "questions" and \
                isinstance(value, SequenceNode):
            return [v for v in value.value if isinstance(v, MappingNode)]
    return []


def _end_line(node: Node, lines: list[str]) -> int:
    """The line after the node's last content (0-based). A block collection ends with its
    last child (the comments after it are not its content); a ``|`` or ``>`` block ends
    at its last line that is not blank, whatever that line starts with."""
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end_line(last[1] if isinstance(last, tuple) else last, lines)
    line, column = node.end_mark.line, node.end_mark.column
    end = line if line >= len(lines) or not lines[line][:column].strip() else line + 1
    while end > node.start_mark.line + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _span(item: MappingNode, lines: list[str]) -> tuple[int, int]:
    """First line and the line after the last value of a question (0-based)."""
    own = [v for _, v in item.value if v.start_mark.line >= item.start_mark.line]
    return item.start_mark.line, max(_end_line(v, lines) for v in own)


def _block(indent: str, observations: tuple[Observation, ...], newline: str) -> list[str]:
    ordered = sorted(observations, key=lambda o: (o.date, o.exam, o.cohort))
    return [f"{indent}stats:  # measured (examgen analyze, calibrate): one line per exam"
            f"{newline}"] + [f"{indent}  - {flow(o)}{newline}" for o in ordered]


def flow(o: Observation) -> str:
    """One observation as a YAML flow mapping, from checked values only."""
    parts = [f'exam: "{o.exam}"']
    if o.cohort:
        parts.append(f'cohort: "{o.cohort}"')
    parts += [f'date: "{o.date}"', f"n: {o.n}",
              f"facility: {format_number(round(o.facility, 3))}"]
    if o.discrimination is not None:
        parts.append(f"discrimination: {format_number(round(o.discrimination, 3))}")
    return "{" + ", ".join(parts) + "}"


def _retag(lines: list[str], pair: tuple[Node, Node] | None, start: int, end: int,
           difficulty: str) -> str:
    """The difficulty's value replaced where it stands, quotes kept; "" when done."""
    if pair is None or not isinstance(pair[1], ScalarNode):
        return "no difficulty of its own to retag"
    value = pair[1]
    at = value.start_mark.line
    if not start <= at < end or value.end_mark.line != at:
        return "its difficulty comes from elsewhere (an alias or merge); retag it by hand"
    line = lines[at]
    head, tail = line[:value.start_mark.column], line[value.end_mark.column:]
    token = line[value.start_mark.column:value.end_mark.column]
    quote = token[0] if token[:1] in ("'", '"') else ""
    if not re.fullmatch(r"['\"]?[A-Za-z]+['\"]?", token):
        return f"its difficulty is written as {token!r}; retag it by hand"
    lines[at] = f"{head}{quote}{difficulty}{quote}{tail}"
    return ""
