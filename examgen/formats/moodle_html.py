"""HTML from Moodle as the bank's light markup: bold, italic, code, line breaks and
formulas (MathJax's \\(...\\) as $...$); any other tag keeps its text and is named.

A character of the text that the light markup would read as markup (an asterisk in
"2*3*4", a backtick, a lone dollar sign: Moodle's MathJax reads \\(...\\), \\[...\\]
and $$...$$, not single dollars) is escaped, so that it prints as Moodle shows it. A
text in Moodle's other formats is first made HTML as Moodle makes it (``as_html``)."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser


class _Markup(HTMLParser):
    """HTML to the light markup; other tags keep their text and are remembered."""

    KEEP = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`", "tt": "`"}
    BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    QUIET = {"html", "body"}  # wrappers that carry nothing

    def __init__(self, literal: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.other: set[str] = set()
        self.skip = 0
        self.code = 0  # inside <code>: the light markup takes code as it is
        self.literal = literal  # escape what the light markup would read as markup
        self.script: tuple[str, int] | None = None  # an open <sup>/<sub>, where it began

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1
            self.other.add(f"<{tag}>")
        elif tag in self.KEEP:
            self.code += self.KEEP[tag] == "`"
            self.out.append(self.KEEP[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag in self.BLOCKS:
            self.out.append("\n")
        elif tag == "span" and "math" in (dict(attrs).get("class") or ""):
            pass  # MathJax's own wrapper (R/exams writes it): the \(...\) inside is kept
        elif tag in SCRIPTS and self.script is None:
            self.script = (tag, len(self.out))
        elif tag not in ("p",):
            self.other.add(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.KEEP:
            if self.KEEP[tag] == "`":
                self.code = max(0, self.code - 1)
            if self.out and self.out[-1] == self.KEEP[tag]:
                self.out.pop()  # an empty <b></b> marks nothing
            else:
                self.out.append(self.KEEP[tag])
        elif tag in self.BLOCKS:
            self.out.append("\n")
        elif self.script is not None and tag == self.script[0]:
            start = self.script[1]
            raised = "".join(self.out[start:]).translate(SCRIPTS[tag])
            if set(raised) <= _RAISED[tag]:  # every character has its raised form
                self.out[start:] = [raised]
            else:  # m<sup>st</sup> would print "mst": named, as other tags are
                self.other.add(f"<{tag}>")
            self.script = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            text = re.sub(r"[ \t\r\n]+", " ", data)
            if self.literal and not self.code:
                text = _formulas_and_literal(text)
            self.out.append(text)


# Superscripts and subscripts (m<sup>2</sup>, H<sub>2</sub>O) as the characters that
# print them raised or lowered, where every character of one has such a form.
SCRIPTS = {
    "sup": str.maketrans("0123456789+-=()abcdefghijklmnoprstuvwxyz",
                         "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"),
    "sub": str.maketrans("0123456789+-=()aeoxhklmnpstij", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ"),
}

_RAISED = {tag: {chr(c) for c in table.values()} for tag, table in SCRIPTS.items()}

# What the light markup reads as markup: asterisks, backticks, and a dollar sign that is
# not part of $$ (MathJax's display delimiter, which Moodle reads and the bank keeps).
_LITERAL = re.compile(r"[*`]|(?<![$\\])\$(?!\$)")
_STARS = re.compile(r"[*`]")
_MATHJAX = re.compile(r"\\\(.+?\\\)|\\\[.+?\\\]|\$\$.+?\$\$", re.S)


def literal(text: str, formulas: bool = False) -> str:
    """Plain text as the light markup that prints it unchanged; with ``formulas``, its
    $...$ stay formulas (a matching answer: Moodle's menus show a formula as its source,
    and examgen's own export writes it so)."""
    return (_STARS if formulas else _LITERAL).sub(r"\\\g<0>", text)


def _formulas_and_literal(text: str) -> str:
    """Text with its markup characters escaped, MathJax's formulas as they are."""
    pieces, pos = [], 0
    for formula in _MATHJAX.finditer(text):
        pieces += [literal(text[pos:formula.start()]), formula.group(0)]
        pos = formula.end()
    return "".join(pieces) + literal(text[pos:])


def as_html(text: str, kind: str | None) -> str:
    """A Moodle text in its ``format`` as the HTML Moodle shows: plain text escaped,
    line breaks kept (plain and auto-format texts)."""
    if kind == "plain_text":
        return escape(text, quote=False).replace("\n", "<br>")
    if kind == "moodle_auto_format":
        return text.replace("\n", "<br>")
    return text


def to_markup(html: str, kind: str | None = "html") -> tuple[str, set[str]]:
    """The light markup of a text in Moodle's ``format`` (HTML unless said), and the tags
    it could not keep. Markdown's own emphasis is the light markup's."""
    parser = _Markup(literal=kind != "markdown")
    html = as_html(html, kind)
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).split("\n")]
    text = _dollars("\n".join(line for line in lines if line))
    return text, {t for t in parser.other if t not in {f"<{q}>" for q in _Markup.QUIET}}


def _dollars(text: str) -> str:
    """MathJax's \\(...\\) and \\[...\\] as the bank writes formulas, $...$ and $$...$$
    (outside `code`; a formula holding a $ keeps its form)."""
    def inline(m: re.Match[str]) -> str:
        inside = m.group(1).strip()
        digit = m.string[m.end():m.end() + 1].isdigit()  # "$x$5" would be no formula
        return f"${inside}$" if inside and "$" not in inside and not digit else m.group(0)

    def display(m: re.Match[str]) -> str:
        inside = m.group(1).strip()
        return f"$${inside}$$" if inside and "$" not in inside else m.group(0)

    pieces = re.split(r"(`[^`]*`)", text)
    for i in range(0, len(pieces), 2):
        pieces[i] = re.sub(r"\\\[(.+?)\\\]", display, pieces[i], flags=re.S)
        pieces[i] = re.sub(r"\\\((.+?)\\\)", inline, pieces[i], flags=re.S)
    return "".join(pieces)


def said(other: set[str]) -> str:
    """'left out a <style> block; kept the text of <table>' for the report."""
    dropped = sorted(t for t in other if t in ("<style>", "<script>"))
    kept = sorted(other - set(dropped))
    parts = [f"left out a {t} block" for t in dropped]
    if kept:
        parts.append(f"kept only the text of {', '.join(kept)}")
    return "; ".join(parts)
