"""A parametrised numeric question as Moodle's own "calculated" question: wildcards with a
dataset of draws, and the answer as a Moodle formula, so that Moodle gives every student
their own numbers and grades them itself.

Only what Moodle's formulas can say is written this way: arithmetic and Moodle's own
functions over the parameters (``let`` values are written out where they are used).
The dataset is examgen's own draws, item k of every wildcard from draw k, so the
``where`` conditions hold in Moodle as they do on paper. A question that does not fit
(lists, conditions, formatted numbers in its text, a LaTeX brace Moodle would take for a
wildcard) is said so, and goes out as frozen draws instead.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from examgen.bank.parametrised import PLACEHOLDER, split_placeholder
from examgen.core.expressions import Expression, ExpressionError, parse_expression
from examgen.core.markup import to_html
from examgen.core.model import Numeric, Question
from examgen.core.params import DrawError, Template, draw_key
from examgen.formats.frozen_draws import export_draws

MAX_ITEMS = 100  # Moodle's largest dataset
# What Moodle reads as a wildcard in any text of the question (its PLACEHOLDER_REGEX)
_WILDCARD = re.compile(r"\{[A-Za-z][^>} <{\"']*\}")
# examgen's functions Moodle has under the same name and meaning (PHP's)
_SAME = {"abs", "sqrt", "exp", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "tanh",
         "floor", "ceil", "log10", "round"}
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class NotCalculated(ValueError):
    """Why a question cannot be a Moodle calculated question."""


@dataclass(frozen=True)
class Dataset:
    """One wildcard: its range and its value in every draw."""

    name: str
    low: str
    high: str
    decimals: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Calculated:
    """What the Moodle XML writer needs: texts (HTML) with wildcards, the answer's
    formula."""

    text: str
    explanation: str
    formula: str
    tolerance: float
    answer_decimals: int
    datasets: tuple[Dataset, ...]


def calculated(q: Question, items: int) -> Calculated:
    """``q`` as a calculated question with ``items`` draws; raises NotCalculated."""
    template = q.template
    if template is None:
        raise NotCalculated("it has no parameters")
    if not isinstance(q, Numeric):
        raise NotCalculated(f"Moodle calculates numeric answers only (this is {q.type})")
    names = _number_params(template)
    lets = {name: expression for name, expression, _ in template.lets}
    node = template.node
    for key, field in node.items():
        if key not in ("text", "explanation", "value") and "{{" in str(field):
            raise NotCalculated(f"'{key}' holds a placeholder, which Moodle cannot fill")
    whole = PLACEHOLDER.fullmatch(str(node.get("value", "")).strip())
    if whole is None:
        raise NotCalculated("its value is not computed from the parameters")
    answer, digits = _placeholder(whole.group(1))
    if digits is not None:
        raise NotCalculated("its value is formatted; give the value unformatted")
    formula = _formula(answer, names, lets)
    draws = _draws(template, q.id, items)
    datasets = tuple(_dataset(p, [d[p] for d in draws]) for p in sorted(names))
    return Calculated(_with_wildcards(str(node.get("text", "")), names, lets),
                      _with_wildcards(str(node.get("explanation", "") or ""), names, lets),
                      formula, q.tolerance, _decimals(q.tolerance), datasets)


def _number_params(template: Template) -> set[str]:
    names = set()
    for p in template.params:
        numbers = p.kind in ("int", "decimal") or (
            p.kind == "choice" and all(isinstance(v, (int, float, Decimal))
                                       and not isinstance(v, bool) for v in p.items))
        if not numbers:
            raise NotCalculated(f"the parameter {p.name} is a {p.kind} of texts or a list; "
                                "Moodle's wildcards are numbers")
        names.add(p.name)
    return names


_DIGITS = re.compile(r"\.([0-9]+)f")


def _placeholder(inside: str) -> tuple[Expression, int | None]:
    """The placeholder's expression, and the digits it is rounded to (``| .2f``, ``| d``:
    Moodle's round(); it drops trailing zeros, 0.50 shows as 0.5)."""
    expr, spec = split_placeholder(inside)
    digits = None
    if spec == "d":
        digits = 0
    elif _DIGITS.fullmatch(spec):
        digits = int(spec[1:-1])
    elif spec:
        raise NotCalculated(f"{{{{{inside.strip()}}}}} is formatted ('{spec}'), which Moodle "
                            "cannot print")
    try:
        return parse_expression(expr), digits
    except ExpressionError as exc:
        raise NotCalculated(str(exc)) from None


def _with_wildcards(text: str, names: set[str], lets: dict[str, Expression]) -> str:
    """The text as HTML with ``{name}`` for a parameter and ``{=formula}`` for an
    expression (put in after the light markup is read: a formula's ``*`` is no italics)."""
    html = to_html(PLACEHOLDER.sub("", text))
    for found in _WILDCARD.findall(html):
        if found[1:-1] in names:
            raise NotCalculated(f"its text has {found}, which Moodle would fill with the "
                                f"wildcard {found[1:-1]}")
    wildcards: list[str] = []

    def token(match: re.Match[str]) -> str:
        expression, digits = _placeholder(match.group(1))
        tree = expression.tree
        if isinstance(tree, ast.Name) and tree.id in names and digits is None:
            wildcards.append("{" + tree.id + "}")
        else:
            formula = _formula(expression, names, lets)
            if digits is not None:
                formula = f"round({formula},{digits})"
            wildcards.append("{=" + formula + "}")
        return f"\ue000{len(wildcards) - 1}\ue001"

    html = to_html(PLACEHOLDER.sub(token, text))
    return re.sub("\ue000([0-9]+)\ue001", lambda m: wildcards[int(m.group(1))], html)


def _formula(expression: Expression, names: set[str], lets: dict[str, Expression]) -> str:
    return _node(expression.tree, names, lets)


def _node(node: ast.AST, names: set[str], lets: dict[str, Expression]) -> str:
    def sub(child: ast.AST) -> str:
        return _node(child, names, lets)

    match node:
        case ast.Constant(value=bool()):
            raise NotCalculated("true/false values have no Moodle formula")
        case ast.Constant(value=int() | float() as number):
            return repr(number)
        case ast.Name(id=name) if name in names:
            return "{" + name + "}"
        case ast.Name(id=name) if name in lets:
            return "(" + _node(lets[name].tree, names, lets) + ")"
        case ast.Name(id="pi"):
            return "pi()"
        case ast.Name(id="e"):
            return "exp(1)"
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return f"(-{sub(operand)})"
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return sub(operand)
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _OPERATORS:
            return f"({sub(left)}{_OPERATORS[type(op)]}{sub(right)})"
        case ast.BinOp(left=left, op=ast.Pow(), right=right):
            return f"pow({sub(left)},{sub(right)})"
        case ast.BinOp(left=left, op=ast.Mod(), right=right):
            return f"fmod({sub(left)},{sub(right)})"
        case ast.BinOp(left=left, op=ast.FloorDiv(), right=right):
            return f"floor({sub(left)}/{sub(right)})"
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]):
            return _call(name, [sub(a) for a in args])
    raise NotCalculated(f"'{ast.unparse(node)}' has no Moodle formula (Moodle calculates "
                        "with numbers, arithmetic and its own functions)")


def _call(name: str, args: list[str]) -> str:
    if name in _SAME:
        return f"{name}({','.join(args)})"
    if name in ("min", "max") and len(args) >= 2:
        return f"{name}({','.join(args)})"
    if name == "log":
        return f"log({args[0]})" if len(args) == 1 else f"(log({args[0]})/log({args[1]}))"
    if name == "log2":
        return f"(log({args[0]})/log(2))"
    if name == "hypot":
        return f"sqrt(pow({args[0]},2)+pow({args[1]},2))"
    raise NotCalculated(f"{name}() has no Moodle formula")


def _draws(template: Template, qid: str, items: int) -> list[dict[str, Any]]:
    """The export's draws (``frozen_draws.export_draws``) up to the first repeat: a
    dataset's items are distinct draws."""
    seen: set[str] = set()
    out = []
    try:
        for drawn in export_draws(template, qid, items):
            key = draw_key(drawn)
            if key in seen:
                break  # every distinct draw is taken
            seen.add(key)
            out.append(dict(drawn))
    except DrawError:
        pass  # no further draw meets 'where' within the tries
    return out


def _dataset(name: str, values: list[Any]) -> Dataset:
    shown = [_number(v) for v in values]
    decimals = max((len(s.partition(".")[2]) for s in shown), default=0)
    return Dataset(name, _number(min(values)), _number(max(values)), decimals, tuple(shown))


def _number(value: Any) -> str:
    """A value as Moodle stores it: plain digits, a point, no exponent."""
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _decimals(tolerance: float) -> int:
    """Digits after the point for Moodle to show the right answer with: one more than the
    tolerance has."""
    if tolerance <= 0:
        return 4
    digits = len(_number(tolerance).partition(".")[2])
    return min(digits + 1, 10)


CALCULATED_ITEMS = 20  # draws in a calculated question's dataset, unless --draws says


def calculated_questions(questions: list[Question], draws: int, notes: list[str]
                ) -> dict[str, Calculated]:
    """The parametrised questions that Moodle can calculate; a note for each that it
    cannot, saying why."""
    items = draws if draws > 1 else CALCULATED_ITEMS
    if items > MAX_ITEMS:
        notes.append(f"Note: a Moodle dataset holds at most {MAX_ITEMS} draws; "
                     f"--draws {draws} gives {MAX_ITEMS}.")
        items = MAX_ITEMS
    chosen = {}
    for q in questions:
        if q.template is None:
            continue
        try:
            chosen[q.id] = calculated(q, items)
        except NotCalculated as exc:
            notes.append(f"Note: {q.id} goes out as frozen draws, not as a calculated "
                         f"question: {exc}.")
    return chosen
