"""Parametrised questions in a bank file: ``params:``, ``let:`` and ``where:`` read into a
``Template``, and one draw of it turned into an ordinary question.

A draw fills every ``{{expr}}`` and ``{{expr | format}}`` of the question's mapping with
its values and reads the result with the very parser of every other question, so a draw
is checked as strictly as a question written by hand: a single-choice draw with two
correct options, or two options that print alike, is an error naming the draw. Fields that
are values (``value``, ``tolerance``, ``correct``, ...) get the exact number; texts get it
as the layout prints it (``core.number_format``). A cloze gap mark ``{{1}}`` is not a
placeholder.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from examgen.bank.fields import FileContext, is_text, line_of
from examgen.bank.question_node import parse_question
from examgen.core.errors import suggest
from examgen.core.expressions import RESERVED, Expression, ExpressionError, parse_expression
from examgen.core.model import Question
from examgen.core.number_format import (
    FormatProblem,
    NumberStyle,
    check_spec,
    exact_value,
    format_value,
)
from examgen.core.params import MAX_MAGNITUDE, DrawError, Param, Template, Values
from examgen.core.values import ValueProblem, as_number
from examgen.core.yamlio import Node, Scalar, Value

TEMPLATE_FIELDS = ("params", "let", "where")
PARAM_KINDS = ("int", "decimal", "choice", "permutation")
PLACEHOLDER = re.compile(r"\{\{(?!\s*[0-9]+\s*\}\})(.*?)\}\}", re.DOTALL)
# Fields whose value is read back as a number or true/false: they get the exact value.
EXACT_FIELDS = frozenset({"value", "tolerance", "correct", "answer", "fixed_order",
                          "points", "minutes", "answer_lines", "case_sensitive"})
# Fields that select, name or score the question: one value for every draw.
FIXED_FIELDS = frozenset({"id", "type", "difficulty", "knowledge", "topic", "group", "tags",
                          "points", "minutes", "source", "image"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_PARAMS = 50
DEFAULT_STYLE = NumberStyle()


def read_template(node: Node, file_topic: str | None, ctx: FileContext) -> Template | None:
    """The template of a question mapping with ``params:``; None after reporting problems."""
    before = len(ctx.problems)
    label = f"question '{node.get('id')}'" if is_text(node.get("id")) else "question"

    def report(line: int, message: str) -> None:
        ctx.report(line, f"{label}: {message}")

    params = _params(node, report)
    known = {p.name for p in params}
    lets = []
    raw_lets = node.get("let", Node())
    if not isinstance(raw_lets, Node):
        report(node.key_lines.get("let", node.line), "'let' maps names to expressions, "
               "e.g. let: {area: w * h}")
        raw_lets = Node()
    for name, text in raw_lets.items():
        line = raw_lets.key_lines[name]
        if _bad_name(name, known, line, report):
            continue
        expression = _expression(text, line, known, f"let {name}", report)
        known.add(name)
        if expression is not None:
            lets.append((name, expression, line))
    wheres = []
    raw_where = node.get("where", [])
    for item in raw_where if isinstance(raw_where, list) else [raw_where]:
        line = line_of(item, node.key_lines.get("where", node.line))
        expression = _expression(item, line, known, "where", report)
        if expression is not None:
            wheres.append((expression, line))
    body = Node({k: v for k, v in node.items() if k not in TEMPLATE_FIELDS})
    body.line, body.key_lines = node.line, node.key_lines
    for scalar, key in _scalars(body, ""):
        if key in FIXED_FIELDS and PLACEHOLDER.search(scalar):
            report(scalar.line, f"'{key}' is the same in every draw (the exam is chosen "
                                "and scored by it): write it without {{...}}")
            continue
        for match in PLACEHOLDER.finditer(scalar):
            line = scalar.line + scalar.count("\n", 0, match.start()) + (
                1 if getattr(scalar, "block", False) else 0)
            expr, spec = split_placeholder(match.group(1))
            where = f"{{{{{match.group(1).strip()}}}}}"
            try:
                check_spec(spec)
            except FormatProblem as exc:
                report(line, f"{where}: {exc}")
            _expression(Scalar(expr), line, known, where, report)
    if len(ctx.problems) > before:
        return None
    return Template(tuple(params), tuple(lets), tuple(wheres), body, file_topic, ctx.display,
                    ctx.folder, ctx.root)


def first_draw(template: Template, qid: str) -> Values:
    """The draw a bank shows and checks without an exam: the same for every run."""
    return template.draw(random.Random(f"examgen-check/{qid}"))


def instantiate(template: Template, drawn: Values, style: NumberStyle = DEFAULT_STYLE
                ) -> Question:
    """The question of one draw; raises DrawError naming the line and the draw."""
    shown = ", ".join(f"{k} = {format_value(v)}" for k, v in drawn.items())
    values = template.derive(drawn)
    try:
        body = _substitute(template.node, "", values, style)
    except DrawError as exc:
        raise DrawError(f"{exc} (in the draw {shown})", exc.line) from None
    assert isinstance(body, Node)
    ctx = FileContext(template.file, template.folder, template.root)
    question = parse_question(body, template.topic, ctx)
    if ctx.problems or question is None:
        first = ctx.problems[0] if ctx.problems else None
        message = first.message.removeprefix(f"question '{body.get('id')}': ") if first \
            else "the draw is not a question"
        raise DrawError(f"{message} (in the draw {shown})",
                        first.line if first else template.node.line)
    return replace(question, template=template)


def _params(node: Node, report: Any) -> list[Param]:
    raw = node.get("params")
    line = node.key_lines.get("params", node.line)
    if not isinstance(raw, Node) or not raw:
        report(line, "'params' maps names to random values, e.g. params: {w: {int: [2, 9]}}")
        return []
    if len(raw) > MAX_PARAMS:
        report(line, f"more than {MAX_PARAMS} parameters; derive the rest with 'let:'")
        return []
    params = []
    seen: set[str] = set()
    for name, spec in raw.items():
        at = raw.key_lines[name]
        if _bad_name(name, seen, at, report):
            continue
        seen.add(name)
        param = _param(name, spec, at, report)
        if param is not None:
            params.append(param)
    return params


def _param(name: str, spec: Value, line: int, report: Any) -> Param | None:
    if isinstance(spec, list):  # a: [1, 2, 3] is short for a: {choice: [1, 2, 3]}
        spec = Node({"choice": spec})
        spec.line, spec.key_lines = line, {"choice": line}
    kinds = [k for k in PARAM_KINDS if isinstance(spec, Node) and k in spec]
    odd = [k for k in spec if k not in (*PARAM_KINDS, "step")] if isinstance(spec, Node) else []
    if len(kinds) != 1 or odd:
        extra = f" ('{odd[0]}' is unknown{suggest(odd[0], PARAM_KINDS)})" if odd else ""
        report(line, f"parameter '{name}' is one of {{int: [low, high]}}, {{decimal: [low, "
               f"high], step: 0.1}}, {{choice: [...]}} or {{permutation: [...]}}{extra}")
        return None
    kind = kinds[0]
    assert isinstance(spec, Node)
    items = spec[kind]
    if not isinstance(items, list) or not items:
        report(line, f"parameter '{name}': '{kind}' takes a list")
        return None
    if kind in ("choice", "permutation"):
        if "step" in spec:
            report(line, f"parameter '{name}': a {kind} has no 'step'")
        values = tuple(_item(i) for i in items)
        if any(isinstance(v, Node | list) for v in values):
            report(line, f"parameter '{name}': a {kind} lists numbers or texts")
            return None
        if len(values) > 1000:
            report(line, f"parameter '{name}': a {kind} of more than 1000 items")
            return None
        return Param(name, kind, values, line=line)
    return _range(name, kind, items, spec, line, report)


def _range(name: str, kind: str, items: list[Value], spec: Node, line: int,
           report: Any) -> Param | None:
    where = f"parameter '{name}'"
    if len(items) != 2:
        report(line, f"{where}: '{kind}' takes [low, high]")
        return None
    try:
        low, high = (_decimal(i) for i in items)
        step = _decimal(spec["step"]) if "step" in spec else None
    except ValueProblem as exc:
        report(line, f"{where}: {exc}")
        return None
    if step is None:
        if kind == "decimal":
            report(line, f"{where}: a decimal range needs a 'step', e.g. step: 0.1")
            return None
        step = Decimal(1)
    if kind == "int" and not all(v == v.to_integral_value() for v in (low, high, step)):
        report(line, f"{where}: an int range takes whole numbers (use 'decimal' for "
                     "fractions)")
        return None
    if not low <= high or step <= 0:
        report(line, f"{where}: the range needs low <= high and a step above 0")
        return None
    if max(abs(low), abs(high)) > MAX_MAGNITUDE or (high - low) / step > MAX_MAGNITUDE:
        report(line, f"{where}: the range is too large (at most {MAX_MAGNITUDE:.0e} in size "
                     "and steps)")
        return None
    return Param(name, kind, (), low, high, step, line)


def _decimal(value: Value) -> Decimal:
    number = as_number(value)
    try:
        return Decimal(str(value).strip()) if isinstance(value, str) else Decimal(number)
    except InvalidOperation:  # pragma: no cover - as_number accepted it
        raise ValueProblem(f"not a number: {value}") from None


def _item(value: Value) -> Any:
    """A list item: a number when it is written as one, else its text."""
    if isinstance(value, Scalar):
        try:
            return as_number(value)
        except ValueProblem:
            return str(value).strip()
    return value


def _bad_name(name: str, taken: set[str], line: int, report: Any) -> bool:
    if not _NAME.fullmatch(name):
        report(line, f"'{name}' is not a name: letters, digits and '_', not starting with a "
                     "digit")
    elif name in RESERVED:
        report(line, f"'{name}' is a function or word of the expressions; choose another name")
    elif name in taken:
        report(line, f"'{name}' is defined twice")
    else:
        return False
    return True


def _expression(text: Value, line: int, known: set[str], where: str, report: Any) -> Any:
    if not isinstance(text, Scalar) or not text.strip():
        report(line, f"{where}: an expression is a text, e.g. w * h")
        return None
    try:
        expression = parse_expression(str(text))
    except ExpressionError as exc:
        report(line, f"{where}: {exc}")
        return None
    unknown = sorted(expression.names - known)
    if unknown:
        report(line, f"{where}: unknown name '{unknown[0]}'{suggest(unknown[0], known)}; "
                     "names are the 'params' and the 'let' values above")
        return None
    return expression


def split_placeholder(inner: str) -> tuple[str, str]:
    """'expr | .2f' -> ('expr', '.2f'); 'expr' -> ('expr', '')."""
    expr, bar, spec = inner.rpartition("|")
    return (expr.strip(), spec.strip()) if bar else (inner.strip(), "")


def _scalars(value: Value, key: str) -> Iterator[tuple[Scalar, str]]:
    """Every scalar of a value with the field it stands in."""
    if isinstance(value, Scalar):
        yield value, key
    elif isinstance(value, Node):
        for k, v in value.items():
            yield from _scalars(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _scalars(v, key)


def _substitute(value: Value, key: str, values: Values, style: NumberStyle) -> Value:
    if isinstance(value, Node):
        out = Node({k: _substitute(v, k, values, style) for k, v in value.items()})
        out.line, out.key_lines = value.line, value.key_lines
        return out
    if isinstance(value, list):
        return [_substitute(v, key, values, style) for v in value]
    if "{{" not in value:
        return value
    whole = PLACEHOLDER.fullmatch(value.strip())
    plain = value.plain
    if whole and key in EXACT_FIELDS:
        expr, _ = split_placeholder(whole.group(1))
        text, plain = exact_value(_evaluate(expr, values, value.line)), True
    else:
        text = _fill(value, values, style)
    scalar = Scalar(text)
    scalar.plain, scalar.line, scalar.block = plain, value.line, value.block
    return scalar


def _fill(text: Scalar, values: Values, style: NumberStyle) -> str:
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        expr, spec = split_placeholder(match.group(1))
        line = text.line + text.count("\n", 0, match.start())
        in_math = _dollars_before(text, match.start()) % 2 == 1
        try:
            shown = format_value(_evaluate(expr, values, line), spec, style, in_math)
        except FormatProblem as exc:
            raise DrawError(f"{{{{{match.group(1).strip()}}}}}: {exc}", line) from None
        parts += [text[last:match.start()], shown]
        last = match.end()
    return "".join(parts) + text[last:]


def _dollars_before(text: str, end: int) -> int:
    """How many formula delimiters ($, not \\$) stand before ``end``."""
    return len(re.findall(r"(?<!\\)\$", text[:end]))


@lru_cache(maxsize=4096)
def _parsed(expr: str) -> Expression:
    return parse_expression(expr)


def _evaluate(expr: str, values: Values, line: int) -> Any:
    try:
        return _parsed(expr)(values)
    except ExpressionError as exc:
        raise DrawError(f"{{{{{expr}}}}}: {exc}", line) from None
