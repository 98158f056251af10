"""Numbers of a draw as they are printed: the layout's decimal mark, a narrow space between
groups of three digits from 10 000 on (as SI and DIN 1333 write them), a real minus sign,
and the digits a placeholder asks for.

A placeholder is ``{{expr}}`` or ``{{expr | format}}``; the formats are Python's own
spelling, so they need no new words: ``d`` a whole number, ``.2f`` two decimals, ``.3g``
three significant figures, ``.1%`` a percentage with one decimal. Without a format a
number prints with up to 10 significant figures, so 0.1 + 0.2 prints as 0.3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_SPEC = re.compile(r"(?:\.(?P<digits>[0-9]{1,2})(?P<kind>[fg%]))|(?P<whole>d)")
DEFAULT_DIGITS = 10  # significant figures of a number printed without a format


class FormatProblem(ValueError):
    """A format that does not exist, or that does not fit the value."""


@dataclass(frozen=True)
class NumberStyle:
    """How a layout writes numbers (``decimal`` from its labels)."""

    decimal: str = "."
    group: str = "\u202f"  # narrow no-break space: 30 000 never breaks across lines


def check_spec(spec: str) -> None:
    """Raise FormatProblem unless ``spec`` is a known format (or empty)."""
    if spec and not _SPEC.fullmatch(spec):
        raise FormatProblem(f"unknown format '{spec}'; use d (whole number), .2f (two "
                            "decimals), .3g (three significant figures) or .1% (percent)")


def format_value(value: Any, spec: str = "", style: NumberStyle | None = None,
                 in_math: bool = False) -> str:
    """``value`` as printed in a text (``in_math``: inside a $formula$)."""
    check_spec(spec)
    style = style or NumberStyle()
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v, spec, style, in_math) for v in value)
    if isinstance(value, bool):
        if spec:
            raise FormatProblem(f"the format '{spec}' is for numbers, not true/false")
        return "true" if value else "false"
    if isinstance(value, str):
        if spec:
            raise FormatProblem(f"the format '{spec}' is for numbers, not the text '{value}'")
        return value
    return _styled(_digits(value, spec), style, in_math)


def exact_value(value: Any) -> str:
    """A value written so that it reads back exactly (a field such as ``value:``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _digits(value: float, spec: str) -> str:
    """The number's digits with '.' and '-', before the style is applied."""
    match = _SPEC.fullmatch(spec) if spec else None
    number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    if match is None:
        if not number.is_zero() and not 1e-6 <= abs(number) < 1e15:
            return f"{float(value):.{DEFAULT_DIGITS}g}"
        return _plain(_significant(number, DEFAULT_DIGITS))
    if match["whole"]:
        whole = number.to_integral_value(ROUND_HALF_UP)
        if abs(number - whole) > Decimal("1e-9") * max(Decimal(1), abs(number)):
            raise FormatProblem(f"the format 'd' is for whole numbers, not {value!r}; use "
                                ".2f or round() in the expression")
        return str(int(whole))
    digits, kind = int(match["digits"]), match["kind"]
    if kind == "%":
        return _plain(_fixed(number * 100, digits), keep_zeros=True) + "%"
    if kind == "f":
        return _plain(_fixed(number, digits), keep_zeros=True)
    if digits == 0:
        raise FormatProblem("'.0g' keeps no figure; use .1g or more")
    return _plain(_significant(number, digits), keep_zeros=True)


def _fixed(number: Decimal, digits: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def _significant(number: Decimal, digits: int) -> Decimal:
    if number.is_zero():
        return Decimal(0)
    exponent = number.adjusted() - digits + 1
    return number.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP)


def _plain(number: Decimal, keep_zeros: bool = False) -> str:
    """Without an exponent; trailing zeros after the point dropped unless kept."""
    text = format(number, "f")
    if "." in text and not keep_zeros:
        text = text.rstrip("0").rstrip(".")
    return text[1:] if re.fullmatch(r"-0\.?0*", text) else text  # never "-0"


def _styled(digits: str, style: NumberStyle, in_math: bool) -> str:
    """'-12345.5' as '−12 345,5' (in a formula: '{-12\\,345{,}5}')."""
    if "e" in digits:  # 1e-07: beyond plain writing, kept as Python writes it
        return digits
    sign = "-" if digits.startswith("-") else ""
    body = digits.lstrip("-")
    percent = "%" if body.endswith("%") else ""
    body = body.rstrip("%")
    whole, _, fraction = body.partition(".")
    group = "\\," if in_math else style.group
    if len(whole) > 4:
        head = len(whole) % 3 or 3
        whole = group.join([whole[:head]] + [whole[i:i + 3]
                                             for i in range(head, len(whole), 3)])
    decimal = ("{,}" if style.decimal == "," else style.decimal) if in_math else style.decimal
    number = whole + (decimal + fraction if fraction else "")
    shown = number + (("\\%" if in_math else percent) if percent else "")
    if not sign:
        return shown
    # in a formula a group: '= {-1}' is a negative number, not a binary minus with room
    # on both sides ('= − 1')
    return "{-" + shown + "}" if in_math else "\u2212" + shown
