"""LaTeX formulas in the bank's texts: where they are, and whether they are well formed.

``$...$`` and ``\\(...\\)`` are inline formulas, ``$$...$$`` and ``\\[...\\]`` display
formulas; ``\\$`` is a dollar sign. A single ``$`` opens a formula only when a non-space
character follows it, and closes one only when a non-space character precedes it and no
digit follows, so "costs 5 $ or 6 $" and "$5 and $6" stay text (the rule of Pandoc).
"""

from __future__ import annotations

import re
from functools import lru_cache

# One pattern, tried left to right: an escaped dollar, then display, then inline forms.
_MATH = re.compile(
    r"(?P<dollar>\\\$)"
    r"|\$\$(?P<display>.+?)\$\$"
    r"|\\\[(?P<display2>.+?)\\\]"
    r"|\\\((?P<inline2>.+?)\\\)"
    r"|\$(?P<inline>[^\s$](?:[^$]*?[^\s\\$])?)\$(?![0-9])",
    re.DOTALL,
)


def split_math(text: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: ``text``, ``inline`` or ``display`` (the LaTeX source)."""
    if "$" not in text and "\\" not in text:
        return [("text", text)] if text else []
    out: list[tuple[str, str]] = []
    pos = 0
    pending = ""
    for m in _MATH.finditer(text):
        pending += text[pos:m.start()]
        pos = m.end()
        if m.group("dollar"):
            pending += "$"
            continue
        if pending:
            out.append(("text", pending))
            pending = ""
        display = m.group("display") or m.group("display2")
        if display is not None:
            out.append(("display", display.strip()))
        else:
            out.append(("inline", (m.group("inline") or m.group("inline2") or "").strip()))
    pending += text[pos:]
    if pending:
        out.append(("text", pending))
    return out


def formulas_in(text: str) -> list[tuple[int, str]]:
    """(offset in ``text``, LaTeX) of every formula, for messages that name its line."""
    if "$" not in text and "\\" not in text:
        return []
    return [(m.start(), (m.group("display") or m.group("display2") or m.group("inline2")
                         or m.group("inline") or "").strip())
            for m in _MATH.finditer(text) if not m.group("dollar")]


@lru_cache(maxsize=4096)
def formula_problem(latex: str) -> str | None:
    """What is wrong with a formula, in words, or None. Checks what the renderer would
    pass over silently: unbalanced braces and environments, unknown commands."""
    if not latex.strip():
        return "the formula is empty"
    depth = 0
    escaped = False
    for char in latex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes no '{'"
    if depth:
        return f"{depth} '{{' not closed"
    begins = re.findall(r"\\begin\{(\w+\*?)\}", latex)
    ends = re.findall(r"\\end\{(\w+\*?)\}", latex)
    if sorted(begins) != sorted(ends):
        return (f"\\begin{{{begins[0]}}} has no \\end" if len(begins) > len(ends) else
                "an \\end has no \\begin")
    import latex2mathml.converter  # the parser ziamath typesets with

    try:
        mathml = latex2mathml.converter.convert(latex)
    except Exception as exc:  # the parser raises its own exception types, and plain ones
        return f"cannot parse it ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"
    unknown = re.findall(r"<mi>\\(\w+)</mi>", mathml)
    if unknown:
        return f"unknown command \\{unknown[0]}"
    return None
