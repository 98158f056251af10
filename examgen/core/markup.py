r"""The bank's light inline markup, translated once for every output format.

Only ``**bold**``, ``*italic*``, ```code```, line breaks and LaTeX formulas (``$...$``,
``$$...$$``, see ``formulas``) are markup; everything else is literal text, so a ``<``
or ``&`` in a question is printed as that character. ``\*``, ``\``` and ``\$`` are an
asterisk, a backtick and a dollar sign as they are ("2\*3\*4" is not an italic 3),
as in Markdown; inside code and formulas a backslash is itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

from examgen.core.latex import split_math

_INLINE = re.compile(
    r"\\(?P<escaped>[*`])"
    r"|`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<bold>[^\s*](?:.*?[^\s*\\])?)\*\*"
    r"|\*(?P<italic>[^\s*](?:[^*\n]*?[^\s*\\])?)\*"
)


def segments(text: str) -> list[tuple[str, str]]:
    """Split text into (kind, text) pairs; kind is text, bold, italic, code, br, math
    (an inline formula's LaTeX) or display (a display formula's)."""
    out: list[tuple[str, str]] = []
    for kind, piece in split_math(text.strip("\n")):
        if kind == "inline":
            out.append(("math", piece))
        elif kind == "display":
            out.append(("display", piece))
        else:
            out += _text_segments(piece)
    return out


def _text_segments(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append(("br", ""))
        pos = 0
        for m in _INLINE.finditer(line):
            if m.start() > pos:
                out.append(("text", line[pos : m.start()]))
            kind = m.lastgroup or "text"
            if kind == "escaped":
                out.append(("text", line[m.start() + 1:m.end()]))
            else:
                out.append((kind, m.group(kind)))
            pos = m.end()
        if pos < len(line):
            out.append(("text", line[pos:]))
    return _joined(out)


def _joined(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring text pieces as one (an escaped character splits none)."""
    out: list[tuple[str, str]] = []
    for kind, chunk in pieces:
        if kind == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + chunk)
        else:
            out.append((kind, chunk))
    return out


# How a formula is written out: (LaTeX, display?) -> markup of the output format.
Formula = Callable[[str, bool], str]


_PUNCTUATION = re.compile(r"[.,;:!?)]+(?=\s|$)")


def _render(text: str, tags: dict[str, tuple[str, str]], esc: Callable[[str], str],
            formula: Formula, glue: bool = False,
            code: Callable[[str], str] | None = None) -> str:
    """With ``glue``, punctuation right after an inline formula is typeset with it, so a
    line never breaks between a formula and its full stop. ``code`` escapes inline code
    where it differs from ``esc``."""
    parts = []
    pieces = segments(text)
    for i, (kind, chunk) in enumerate(pieces):
        if kind == "br":
            parts.append(tags["br"][0])
        elif kind in ("math", "display"):
            follow = pieces[i + 1] if i + 1 < len(pieces) else ("", "")
            stop = _PUNCTUATION.match(follow[1]) if glue and kind == "math" and \
                follow[0] == "text" else None
            if stop:
                chunk += r"\text{" + stop.group(0) + "}"
                pieces[i + 1] = ("text", follow[1][stop.end():])
            parts.append(formula(chunk, kind == "display"))
        elif chunk or kind != "text":
            start, end = tags[kind]
            parts.append(f"{start}{(code or esc)(chunk) if kind == 'code' else esc(chunk)}"
                         f"{end}")
    return "".join(parts)


def _escape(chunk: str) -> str:
    return escape(chunk, quote=False)


def _mathjax(latex: str, display: bool) -> str:
    """A formula for Moodle's MathJax filter: \\(...\\) or \\[...\\], escaped for HTML."""
    return (r"\[" if display else r"\(") + _escape(latex) + (r"\]" if display else r"\)")


_HTML = {"text": ("", ""), "bold": ("<strong>", "</strong>"), "italic": ("<em>", "</em>"),
         "code": ("<code>", "</code>")}


def to_html(text: str, formula: Formula | None = None) -> str:
    """HTML for Moodle: markup translated, formulas for MathJax (or as ``formula`` makes
    them), every other character escaped."""
    return _render(text, {**_HTML, "br": ("<br>", "")}, _escape, formula or _mathjax)


def _mathml(latex: str, display: bool) -> str:
    """A formula as MathML, which QTI carries in its own namespace."""
    import latex2mathml.converter  # only the QTI export needs it

    return latex2mathml.converter.convert(latex, display="block" if display else "inline")


def to_xhtml(text: str) -> str:
    """XHTML for QTI items: as ``to_html``, with empty elements closed and formulas as
    MathML."""
    return _render(text, {**_HTML, "br": ("<br/>", "")}, _escape, _mathml)


def _source(latex: str, display: bool) -> str:
    """A formula as its LaTeX source, where nothing typesets it."""
    return f"$${latex}$$" if display else f"${latex}$"


# Inline code up to this long is kept on one line (about two thirds of a text line):
# "Q(s,a) <- Q(s,a) + ..." broken after its first term reads as two statements. Longer
# code wraps at its spaces like text.
KEEP_CODE = 60


def _code_escape(chunk: str) -> str:
    """Code as printed: a short piece in one unbreakable run."""
    escaped = _escape(chunk)
    return escaped.replace(" ", "\u00a0") if len(chunk) <= KEEP_CODE else escaped


def to_reportlab(text: str, mono_font: str, formula: Formula | None = None) -> str:
    """Markup for reportlab's Paragraph, with everything from the bank escaped; formulas
    by ``formula`` (the PDF's typesetter), else as their escaped source."""
    tags = {
        "text": ("", ""),
        "bold": ("<b>", "</b>"),
        "italic": ("<i>", "</i>"),
        "code": (f'<font face="{mono_font}">', "</font>"),
        "br": ("<br/>", ""),
    }
    if formula is None:
        return _render(text, tags, _escape, lambda t, d: _escape(_source(t, d)),
                       code=_code_escape)
    return _render(text, tags, _escape, formula, glue=True, code=_code_escape)


def to_plain(text: str, readable: bool = False) -> str:
    """The text as a reader sees it, markup characters removed (names, summaries);
    formulas as their LaTeX source, or with ``readable`` as plain characters (where a
    format allows neither LaTeX nor MathML: QTI's titles and inline choices)."""
    def math(latex: str, display: bool) -> str:
        return readable_math(latex) if readable else _source(latex, display)

    return "".join(" " if kind == "br" else math(chunk, kind == "display")
                   if kind in ("math", "display") else chunk for kind, chunk in segments(text))


def readable_math(latex: str) -> str:
    """A formula in plain characters: "\\varepsilon" -> "ε", "r_{t+1}" -> "r_(t+1)",
    "\\frac{1}{n}" -> "1/n" (its MathML's characters, with _ ^ / √ for its structure)."""
    from xml.etree import ElementTree

    try:
        tree = ElementTree.fromstring(_mathml(latex, False))
    except Exception:  # noqa: BLE001 - a formula the converter cannot read stays source
        return latex
    return " ".join(_characters(tree).split())


_ACCENTS = {"^": "\u0302", "\u02c6": "\u0302", "¯": "\u0304", "\u203e": "\u0304",
            "~": "\u0303", "˜": "\u0303", "˙": "\u0307", "→": "\u20d7"}


def _characters(node: Any) -> str:
    tag = node.tag.rsplit("}", 1)[-1]
    parts = [_characters(child) for child in node]

    def group(text: str) -> str:
        return text if len(text) <= 1 else f"({text})"

    if tag in ("msub", "msup") and len(parts) == 2:
        return parts[0] + ("_" if tag == "msub" else "^") + group(parts[1])
    if tag == "msubsup" and len(parts) == 3:
        return f"{parts[0]}_{group(parts[1])}^{group(parts[2])}"
    if tag == "mfrac" and len(parts) == 2:
        return f"{group(parts[0])}/{group(parts[1])}"
    if tag == "msqrt":
        return f"√{group(''.join(parts))}"
    if tag == "mover" and len(parts) == 2 and parts[1] in _ACCENTS:
        return parts[0] + _ACCENTS[parts[1]]  # x̂, x̄, x⃗
    if tag in ("mover", "munder", "munderover") and parts:
        return parts[0] + "".join(f"_{group(p)}" if i == 1 and tag != "mover" else f"^{group(p)}"
                                  for i, p in enumerate(parts[1:], start=1))
    own = (node.text or "").strip() if tag in ("mi", "mn", "mo", "mtext") else ""
    return own + "".join(parts)
