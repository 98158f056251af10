"""Safe expressions for parametrised questions: arithmetic over named values, nothing else.

Banks are shared between colleagues and imported from the internet, so a bank never runs
code. An expression is parsed by Python's own parser (``ast``) and then checked against a
whitelist: numbers, texts, names, arithmetic, comparisons, ``and``/``or``/``not``,
``a if c else b``, lists, indexing, and calls of the functions in ``FUNCTIONS``. There are
no attributes, no imports, no keyword arguments, no comprehensions, no lambdas.

An own small whitelist instead of ``simpleeval``: simpleeval allows attribute access and
comprehensions by default and bounds only ``**`` and string length, while here every
operation's result is bounded (``MAX_DIGITS``), so ``10**10**10``, ``9**9**9`` and
``(10**300)**300`` are errors before they are computed, and an expression has no loop, so
evaluating one costs at most one step per node of a bounded tree (``MAX_LENGTH``,
``MAX_DEPTH``). Errors are ``ExpressionError`` with a message a lecturer can act on.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MAX_LENGTH = 500  # characters of one expression
MAX_DEPTH = 40  # nesting of its syntax tree
MAX_DIGITS = 300  # decimal digits of a whole number (floats are bounded by themselves)
MAX_ITEMS = 1000  # items of a list


class ExpressionError(ValueError):
    """An expression that is not allowed, or that fails for the values it was given."""


def _round(x: float, digits: int = 0) -> float:
    """Half away from zero, as taught (2.5 -> 3, 0.125 -> 0.13), not Python's half to
    even; a whole number without ``digits``."""
    exact = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return float(exact) if digits else int(exact)


def _whole(name: str, fn: Callable[[float], Any]) -> Callable[[float], int]:
    def wrapped(x: float) -> int:
        return int(fn(x))
    wrapped.__name__ = name
    return wrapped


def _clamp(x: float, low: float, high: float) -> float:
    return max(low, min(high, x))


def _mean(xs: list[float]) -> float:
    if not xs:
        raise ExpressionError("mean() of an empty list")
    return sum(xs) / len(xs)


# Every function an expression may call: name -> (function, fewest, most arguments).
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "abs": (abs, 1, 1), "min": (min, 1, MAX_ITEMS), "max": (max, 1, MAX_ITEMS),
    "round": (_round, 1, 2), "floor": (_whole("floor", math.floor), 1, 1),
    "ceil": (_whole("ceil", math.ceil), 1, 1), "int": (_whole("int", int), 1, 1),
    "sqrt": (math.sqrt, 1, 1), "exp": (math.exp, 1, 1), "log": (math.log, 1, 2),
    "log2": (math.log2, 1, 1), "log10": (math.log10, 1, 1),
    "sin": (math.sin, 1, 1), "cos": (math.cos, 1, 1), "tan": (math.tan, 1, 1),
    "asin": (math.asin, 1, 1), "acos": (math.acos, 1, 1), "atan": (math.atan, 1, 1),
    "atan2": (math.atan2, 2, 2), "tanh": (math.tanh, 1, 1), "hypot": (math.hypot, 2, 2),
    "sum": (sum, 1, 1), "len": (len, 1, 1), "mean": (_mean, 1, 1),
    "clamp": (_clamp, 3, 3), "gcd": (math.gcd, 2, 2),
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
# Names a parameter may not take: they would hide a function, a constant or a keyword.
RESERVED = frozenset(FUNCTIONS) | frozenset(CONSTANTS) | frozenset(
    {"true", "false", "True", "False", "None", "and", "or", "not", "if", "else", "in"})

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**"}


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its tree, and the names it reads."""

    text: str
    tree: ast.expr
    names: frozenset[str]

    def __call__(self, values: Mapping[str, Any]) -> Any:
        """The expression's value for ``values``; raises ExpressionError."""
        try:
            return _Evaluator(values).value(self.tree)
        except ExpressionError:
            raise
        except ZeroDivisionError:
            raise ExpressionError("division by zero") from None
        except OverflowError:
            raise ExpressionError("a number grew too large") from None
        except (ValueError, TypeError, IndexError) as exc:
            raise ExpressionError(str(exc)) from None


def parse_expression(text: str) -> Expression:
    """Check ``text`` against the whitelist; raises ExpressionError saying what is wrong."""
    source = text.strip()
    if not source:
        raise ExpressionError("the expression is empty")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(source)} characters long; the limit "
                              f"is {MAX_LENGTH}: split it into several 'let:' values")
    try:
        tree = ast.parse(source, mode="eval").body
    except (SyntaxError, RecursionError, MemoryError) as exc:
        where = getattr(exc, "offset", None)
        at = f" at character {where}" if where else ""
        raise ExpressionError(f"not a valid expression{at} ({getattr(exc, 'msg', 'too deep')})"
                              ) from None
    names: set[str] = set()
    _check(tree, names, 0)
    return Expression(source, tree, frozenset(names))


def _check(node: ast.AST, names: set[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"nested more than {MAX_DEPTH} levels deep; split it into "
                              "several 'let:' values")
    match node:
        case ast.Constant(value=value):
            if not isinstance(value, int | float | str) or isinstance(value, complex):
                raise ExpressionError(f"{value!r} is not a number or a text")
            if isinstance(value, int) and not isinstance(value, bool):
                _bounded(value)
            children: list[ast.AST] = []
        case ast.Name(id=name):
            if name in FUNCTIONS:
                raise ExpressionError(f"'{name}' is a function: call it, e.g. {name}(x)")
            if name not in CONSTANTS:
                names.add(name)
            children = []
        case ast.BinOp(op=op) if type(op) in _BINARY:
            children = [node.left, node.right]
        case ast.UnaryOp(op=ast.USub() | ast.UAdd() | ast.Not()):
            children = [node.operand]
        case ast.BoolOp():
            children = list(node.values)
        case ast.Compare(ops=ops) if all(type(o) in _COMPARE for o in ops):
            children = [node.left, *node.comparators]
        case ast.IfExp():
            children = [node.test, node.body, node.orelse]
        case ast.List(elts=items) | ast.Tuple(elts=items):
            if any(isinstance(i, ast.Starred) for i in items):
                raise ExpressionError("'*' unpacking is not allowed")
            children = list(items)
        case ast.Subscript(slice=index) if not isinstance(index, ast.Slice):
            children = [node.value, index]
        case ast.Call(func=ast.Name(id=name)) if name in FUNCTIONS:
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise ExpressionError(f"{name}(): give its arguments by position only")
            _, fewest, most = FUNCTIONS[name]
            if not fewest <= len(node.args) <= most:
                wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
                raise ExpressionError(f"{name}() takes {wanted} argument(s), not "
                                      f"{len(node.args)}")
            children = list(node.args)
        case ast.Call(func=ast.Name(id=name)):
            allowed = ", ".join(sorted(FUNCTIONS))
            raise ExpressionError(f"'{name}()' is not an allowed function; allowed: {allowed}")
        case _:
            raise ExpressionError(f"{_describe(node)} is not allowed in an expression "
                                  "(only numbers, texts, names, arithmetic, comparisons, "
                                  "and/or/not, 'x if c else y', lists and allowed functions)")
    for child in children:
        _check(child, names, depth + 1)


def _describe(node: ast.AST) -> str:
    kinds = {ast.Attribute: "an attribute ('.')", ast.Lambda: "a lambda",
             ast.ListComp: "a comprehension", ast.GeneratorExp: "a comprehension",
             ast.DictComp: "a comprehension", ast.SetComp: "a comprehension",
             ast.Dict: "a dictionary", ast.Set: "a set", ast.NamedExpr: "':='",
             ast.Subscript: "a slice", ast.Call: "calling something other than a function "
                                                 "by name", ast.JoinedStr: "an f-string",
             ast.Await: "await", ast.Yield: "yield", ast.Starred: "'*' unpacking"}
    for kind, words in kinds.items():
        if isinstance(node, kind):
            return words
    if isinstance(node, ast.BinOp | ast.UnaryOp | ast.Compare):
        return "this operator"
    return type(node).__name__


def _bounded(value: Any) -> Any:
    """The value, or an error when it is a whole number with too many digits, a float
    that is not finite, or a list that is too long."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value.bit_length() > MAX_DIGITS * 3.33:
            raise ExpressionError(f"a whole number has more than {MAX_DIGITS} digits")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError("the result is not a finite number (infinite or NaN)")
    elif isinstance(value, list | tuple) and len(value) > MAX_ITEMS:
        raise ExpressionError(f"a list has more than {MAX_ITEMS} items")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExpressionError(f"{where} needs numbers, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return repr(value)


class _Evaluator:
    """One evaluation; the tree was checked by ``_check`` first."""

    def __init__(self, values: Mapping[str, Any]):
        self.values = values

    def value(self, node: ast.expr) -> Any:
        match node:
            case ast.Constant(value=value):
                return value
            case ast.Name(id=name):
                if name in CONSTANTS:
                    return CONSTANTS[name]
                if name not in self.values:
                    raise ExpressionError(f"unknown name '{name}'")
                return self.values[name]
            case ast.BinOp(op=op, left=left, right=right):
                return self.binary(type(op), self.value(left), self.value(right))
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return not self.truth(self.value(operand))
            case ast.UnaryOp(op=op, operand=operand):
                number = _number(self.value(operand), "'-'")
                return -number if isinstance(op, ast.USub) else +number
            case ast.BoolOp(op=op, values=items):
                wanted = isinstance(op, ast.Or)
                for item in items:  # short-circuit, as Python does, but to true/false
                    if self.truth(self.value(item)) == wanted:
                        return wanted
                return not wanted
            case ast.Compare(left=left, ops=ops, comparators=rights):
                current = self.value(left)
                for comparison, right in zip(ops, rights, strict=True):
                    other = self.value(right)
                    if not _COMPARE[type(comparison)](current, other):
                        return False
                    current = other
                return True
            case ast.IfExp(test=test, body=body, orelse=orelse):
                return self.value(body) if self.truth(self.value(test)) else self.value(orelse)
            case ast.List(elts=items) | ast.Tuple(elts=items):
                return [self.value(i) for i in items]
            case ast.Subscript(value=seq, slice=index):
                return self.item(self.value(seq), self.value(index))
            case ast.Call(func=ast.Name(id=name), args=args):
                return self.call(name, [self.value(a) for a in args])
        raise ExpressionError(f"{_describe(node)} is not allowed")  # pragma: no cover

    @staticmethod
    def truth(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        raise ExpressionError(f"a condition must be true/false or a number, not "
                              f"{_kind(value)}")

    @staticmethod
    def binary(op: type[ast.operator], left: Any, right: Any) -> Any:
        symbol = _SYMBOL[op]
        if op is ast.Add and isinstance(left, str) and isinstance(right, str):
            if len(left) + len(right) > MAX_ITEMS:
                raise ExpressionError(f"a text grew beyond {MAX_ITEMS} characters")
            return left + right
        a, b = _number(left, f"'{symbol}'"), _number(right, f"'{symbol}'")
        if op is ast.Pow:
            _check_power(a, b)
        if op is ast.Mult and isinstance(a, int) and isinstance(b, int):
            if a.bit_length() + b.bit_length() > MAX_DIGITS * 3.33 + 1:
                raise ExpressionError(f"a whole number has more than {MAX_DIGITS} digits")
        result = _BINARY[op](a, b)
        if isinstance(result, complex):
            raise ExpressionError("a negative number to a fractional power has no real "
                                  "value")
        return _bounded(result)

    @staticmethod
    def item(seq: Any, index: Any) -> Any:
        if not isinstance(seq, list | tuple | str):
            raise ExpressionError(f"only a list can be indexed, not {_kind(seq)}")
        if isinstance(index, bool) or not isinstance(index, int):
            raise ExpressionError(f"a list index must be a whole number, not {_kind(index)}")
        if not -len(seq) <= index < len(seq):
            raise ExpressionError(f"index {index} is outside the list of {len(seq)} items "
                                  "(the first is [0])")
        return seq[index]

    @staticmethod
    def call(name: str, args: list[Any]) -> Any:
        fn = FUNCTIONS[name][0]
        if name in ("sum", "len", "mean") or (name in ("min", "max") and len(args) == 1):
            if not isinstance(args[0], list | tuple | str):
                raise ExpressionError(f"{name}() of one value needs a list, not "
                                      f"{_kind(args[0])}")
            if name != "len":
                for item in args[0]:
                    _number(item, f"{name}()")
            if not args[0] and name in ("min", "max"):
                raise ExpressionError(f"{name}() of an empty list")
        elif name != "len":
            for arg in args:
                _number(arg, f"{name}()")
        if name == "round" and len(args) == 2 and not (
                isinstance(args[1], int) and 0 <= args[1] <= 15):
            raise ExpressionError("round(x, n) takes n from 0 to 15 digits")
        try:
            return _bounded(fn(*args))
        except (ValueError, ZeroDivisionError):  # log(0), sqrt(-1), asin(2), gcd(1.5, 2)
            shown = ", ".join(f"{a:g}" if isinstance(a, float) else repr(a) for a in args)
            raise ExpressionError(f"{name}({shown}) is undefined") from None


def _check_power(base: float, exponent: float) -> None:
    """Refuse a power whose result would exceed the bounds before computing it."""
    if base in (0, 1, -1) or exponent == 0:
        return
    if abs(exponent) > 10_000:
        raise ExpressionError(f"the exponent {exponent:g} is too large")
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        if exponent * math.log10(abs(base)) > MAX_DIGITS:
            raise ExpressionError(f"a whole number would have more than {MAX_DIGITS} digits")
    elif exponent * math.log10(abs(base)) > 308:
        raise ExpressionError("a number grew too large")
