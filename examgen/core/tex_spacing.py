"""The thin spaces TeX puts around operator names, and the one too many after a nabla,
written out for the typesetter.

TeX sets ``\\gamma \\max_{a'} Q`` as "γ max Q": a thin space between an ordinary symbol
and an operator name (log, max, sin, ...), and between the operator (with its limits)
and an ordinary symbol after it. ziamath, through latex2mathml, sets them glued
("γmaxQ"); examgen writes the spaces in (``\\,``) before the formula is typeset. Only the
typeset picture changes: the bank's text, Moodle's and QTI's copies keep the source.

After a nabla (∇) ziamath leaves a sixth of an em more than TeX does: ``\\nabla_w L``
printed "∇ wL" (DejaVu Math at 20 pt: 6.9 pt from the ∇'s ink to the w; XeTeX with the
same font: 3.5 pt; STIX as far off, measured against a Delta's subscript). examgen takes a
thin space back after it (``\\!``).
"""

from __future__ import annotations

import re

OPERATORS = frozenset({
    "arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg",
    "det", "dim", "exp", "gcd", "hom", "inf", "ker", "lg", "lim", "liminf", "limsup", "ln",
    "log", "max", "min", "Pr", "sec", "sin", "sinh", "sup", "tan", "tanh"})
# Commands that are ordinary symbols: letters, and accents and styles over letters.
_ORDINARY = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho",
    "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
    "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    "nabla", "partial", "ell", "infty", "hat", "bar", "tilde", "vec", "dot", "ddot",
    "mathbf", "mathrm", "mathit", "mathcal", "mathbb", "boldsymbol", "text"})
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_NABLA = re.compile(r"\\nabla(?![A-Za-z])(?!\s*$)")  # not at the formula's end
_THIN = r"\,"


def with_operator_spaces(latex: str) -> str:
    """``latex`` with a thin space wherever TeX puts one around an operator name."""
    if "\\" not in latex:
        return latex
    out: list[str] = []
    pos = 0
    for match in _COMMAND.finditer(latex):
        if match.group(1) not in OPERATORS or match.start() < pos:
            continue
        before = latex[pos:match.start()]
        out.append(before)
        if _ends_ordinary("".join(out)):
            out.append(_THIN)
        end = _after_scripts(latex, match.end())
        out.append(latex[match.start():end])
        if _starts_ordinary(latex, end):
            out.append(_THIN)
        pos = end
    out.append(latex[pos:])
    return "".join(out)


def with_nabla_kern(latex: str) -> str:
    """``latex`` with the thin space after each nabla taken back (``\\!``)."""
    return _NABLA.sub(lambda _: "\\nabla\\!", latex) if "\\nabla" in latex else latex


def _ends_ordinary(text: str) -> bool:
    """Whether what precedes ends in an ordinary symbol (a letter, digit, closing
    bracket, prime or group), not in an operator, a relation or an opening."""
    stripped = text.rstrip()
    if not stripped:
        return False
    last = stripped[-1]  # a thin space written already ends in ',': none is added
    if last.isalnum():
        command = re.search(r"\\([A-Za-z]+)$", stripped)
        return command is None or command.group(1) in _ORDINARY
    return last in ")]}|'"


def _after_scripts(latex: str, at: int) -> int:
    """Where the operator's sub- and superscripts (``_{a'}``, ``^2``) end."""
    pos = at
    for _ in range(2):
        probe = pos
        while probe < len(latex) and latex[probe] == " ":
            probe += 1
        if probe >= len(latex) or latex[probe] not in "_^":
            break
        probe += 1
        while probe < len(latex) and latex[probe] == " ":
            probe += 1
        pos = _argument_end(latex, probe)
    return pos


def _argument_end(latex: str, at: int) -> int:
    """The end of one argument: a braced group, a command, or one character."""
    if at >= len(latex):
        return at
    if latex[at] == "{":
        depth = 0
        for k in range(at, len(latex)):
            if latex[k] == "{" and (k == 0 or latex[k - 1] != "\\"):
                depth += 1
            elif latex[k] == "}" and latex[k - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return k + 1
        return len(latex)
    command = _COMMAND.match(latex, at)
    return command.end() if command else at + 1


def _starts_ordinary(latex: str, at: int) -> bool:
    """Whether an ordinary symbol follows (not an opening bracket: "max(x)" stays)."""
    rest = latex[at:].lstrip()
    if not rest:
        return False
    if rest[0].isalnum():
        return True
    command = _COMMAND.match(rest)
    return command is not None and command.group(1) in _ORDINARY
