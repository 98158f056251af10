"""Strict readings of scalars: a boolean is true or false, a number is a finite decimal.

Bank files, blueprints and layouts share these, so ``correct: "true"``, ``points: .nan``,
``value: 0x1F`` or ``points: 1_000`` are refused with the same words everywhere instead of
being read as something else.
"""

from __future__ import annotations

import math
import re

from examgen.core.yamlio import Scalar

_BOOLEANS = {"true": True, "True": True, "TRUE": True,
             "false": False, "False": False, "FALSE": False}
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+")
_WHOLE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


class ValueProblem(ValueError):
    """A value that does not mean what the field needs; the message says what to write."""


def as_bool(value: object) -> bool:
    """``true`` or ``false``, unquoted; ``"true"``, ``yes`` and ``1`` are refused."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Scalar) and value.plain and value in _BOOLEANS:
        return _BOOLEANS[value]
    if isinstance(value, Scalar) and not value.plain and value.strip() in _BOOLEANS:
        raise ValueProblem(f"'{value}' is quoted, so it is a text; write true or false "
                           "without quotes")
    raise ValueProblem(f"expected true or false, not {_shown(value)}")


def as_number(value: object) -> float:
    """A finite decimal number (an int when it has no fraction): 2, 0.5, -1e-3."""
    if isinstance(value, bool):
        raise ValueProblem(f"expected a number, not {value}")
    if isinstance(value, (int, float)):
        number: float = value
    elif isinstance(value, str):
        if isinstance(value, Scalar) and not value.plain:
            raise ValueProblem(f"'{value}' is quoted, so it is a text; write the number "
                               "without quotes")
        number = parse_decimal(value)
    else:
        raise ValueProblem(f"expected a number, not {_shown(value)}")
    if not math.isfinite(number):
        raise ValueProblem(f"expected a finite number, not {number}")
    return number


def as_whole(value: object) -> int:
    """A whole number (no fraction, no sign tricks): 0, 3, 40."""
    number = as_number(value)
    if not isinstance(number, int):
        raise ValueProblem(f"expected a whole number, not {_shown(value)}")
    return number


def parse_decimal(text: str) -> float:
    """'2' -> 2, '0.15' -> 0.15; octal, hex, '1_000', '12:30', 'nan' are refused."""
    stripped = text.strip()
    if not _DECIMAL.fullmatch(stripped):
        raise ValueProblem(f"expected a decimal number such as 2 or 0.5, not '{text}'"
                           + _hint(stripped))
    if _WHOLE.fullmatch(stripped):
        return int(stripped)
    number = float(stripped)
    if not math.isfinite(number):
        raise ValueProblem(f"expected a finite number, not '{text}'")
    return number


def _hint(text: str) -> str:
    if "_" in text:
        return " (write it without '_')"
    if re.fullmatch(r"[-+]?0[0-9]+", text):
        return " (a leading 0 reads as octal in some YAML readers; drop it)"
    if re.fullmatch(r"[-+]?0[xXoObB][0-9a-fA-F]+", text):
        return " (write it in decimal)"
    if ":" in text:
        return " (a ':' reads as minutes:seconds in some YAML readers)"
    return ""


def _shown(value: object) -> str:
    if isinstance(value, Scalar):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
