"""Text drawn once per process and replayed in every later document that prints it.

Variants print the same stems and options in another order, and encoding text for a
TrueType font is much of what reportlab spends on a page. What a draw wrote means the
same in another document only if there every glyph has the same code and every face the
same name, and reportlab hands both out in the order a document first meets them. So
each document first meets the faces and the characters its story prints, in a fixed
order (it is *primed*): two documents that print the same characters then agree on every
code. A draw is recorded only while its document is still exactly as primed and only
if it left nothing but operators (no image, form or link), and replayed only in a
document primed the same way, from the same graphics state; a test renders with and
without replaying and compares the bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

ENABLED = True  # tests turn replaying off to compare the bytes
_LIMIT = 20_000  # recordings kept per process, as many as the page keeps paragraphs
_drawn: dict[tuple[Hashable, ...], tuple[str, Any]] = {}  # operators, and the state after


@dataclass(frozen=True)
class Primer:
    """The faces a document prints in and every non-ASCII character it prints (ASCII
    has fixed codes in reportlab's subsets), both sorted."""

    faces: tuple[str, ...]
    characters: str


def primer_of(story: list[Flowable], faces: Iterable[str]) -> Primer:
    """What ``story`` prints: ``faces`` (those the canvas draws in itself) and the
    faces and characters of its paragraphs, tables and examgen's own flowables."""
    found, characters = set(faces), set[str]()
    for face, text in printed(story):
        found.add(face)
        characters.update(text)
    return Primer(tuple(sorted(found)),
                  "".join(sorted(c for c in characters if ord(c) > 127)))


def printed(flowables: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(face, text) of everything in ``flowables`` that prints text."""
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            yield from _paragraph(flowable)
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:  # type: ignore[attr-defined]  # no public view
                for cell in row:
                    if isinstance(cell, str):
                        yield "", cell
                    else:
                        yield from printed(cell if isinstance(cell, list | tuple) else [cell])
        elif isinstance(flowable, KeepTogether):
            yield from printed(flowable._content)  # type: ignore[attr-defined]  # not public
        elif hasattr(flowable, "printed"):  # examgen's own flowables say what they print
            yield from flowable.printed()


def _paragraph(paragraph: Paragraph) -> tuple[tuple[str, str], ...]:
    """Each face of the paragraph with its non-ASCII characters, found once per paragraph:
    the page's cached paragraphs are printed by every variant."""
    found: tuple[tuple[str, str], ...] | None = getattr(paragraph, "_examgen_printed", None)
    if found is None:
        faces: dict[str, set[str]] = {}
        for face, text in _fragments(paragraph.frags):
            faces.setdefault(face, set()).update(c for c in text if ord(c) > 127)
        found = tuple((face, "".join(chars)) for face, chars in faces.items())
        paragraph._examgen_printed = found  # type: ignore[attr-defined]  # a memo
    return found


def _fragments(items: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """A paragraph's fragments as parsed, or as reportlab keeps them once it has broken
    the lines: words as lists of a width and (fragment, text) pairs."""
    for item in items:
        if hasattr(item, "fontName"):
            yield item.fontName, getattr(item, "text", "")
        elif isinstance(item, tuple) and len(item) == 2 and hasattr(item[0], "fontName"):
            yield item[0].fontName, item[1]
        elif isinstance(item, list):
            yield from _fragments(item)


@dataclass
class _Primed:
    """A document's state right after priming: what must still hold to record."""

    primer: Primer
    font_names: int
    codes: tuple[tuple[Any, int], ...]  # each primed face and the next code it gives

    def pristine(self, canvas: Any) -> bool:
        """Whether no face or character came after the primed ones (they only grow)."""
        doc = canvas._doc
        return (len(doc.fontMapping) == self.font_names
                and all(font.state[doc].nextCode == code for font, code in self.codes)
                and not canvas._extgstate._d and not canvas._extgstate._c)


def prime(canvas: Any, primer: Primer) -> None:
    """Give ``canvas``'s document every face and character of ``primer``, in order."""
    doc = canvas._doc
    fonts: list[Any] = [pdfmetrics.getFont(face) for face in primer.faces if face]
    fonts = [font for font in fonts if font._dynamicFont]  # TrueType: codes by first use
    for font in fonts:
        font.splitString(primer.characters, doc)
        font.getSubsetInternalName(0, doc)  # the face's name: F1, F2, ... in this order
    canvas.primed = _Primed(primer, len(doc.fontMapping),
                            tuple((font, font.state[doc].nextCode) for font in fonts))


def replay(canvas: Any, key: tuple[Hashable, ...], draw: Callable[[], None]) -> None:
    """Draw by ``draw``, or write what it wrote before for the same ``key`` in a document
    primed the same way, from the same graphics state, and leave the state as it did.
    ``key`` must name everything else the drawing depends on except its position: a
    flowable draws relative to its own origin."""
    primed: _Primed | None = getattr(canvas, "primed", None)
    if primed is None:
        draw()
        return
    state = _state(canvas)
    full_key = (primed.primer, state, *key)
    recorded = _drawn.get(full_key) if ENABLED else None
    if recorded is not None and not canvas._extgstate._d:
        code, after = recorded
        canvas._code.append(code)
        canvas.__dict__.update(zip(_STATE, after, strict=True))
        return
    start, before, matrix = len(canvas._code), _effects(canvas), canvas._currentMatrix
    draw()
    if (ENABLED and primed.pristine(canvas) and _effects(canvas) == before
            and canvas._currentMatrix == matrix):
        if len(_drawn) >= _LIMIT:
            _drawn.clear()
        _drawn[full_key] = ("\n".join(canvas._code[start:]), _state_of(canvas))


def _effects(canvas: Any) -> tuple[Any, ...]:
    """What a draw may leave besides its operators: objects of the document (an image),
    and what the page lists as used (forms, links, colours, shadings). A draw that adds
    any of these is not recorded: replaying it would leave them out."""
    return (len(canvas._doc.idToObject), len(canvas._formsinuse), len(canvas._annotationrefs),
            len(canvas._colorsUsed), len(canvas._shadingUsed), canvas._formData)


# The canvas's graphics and text state, but where it stands (a draw that moves it is not
# recorded) and the transparency (which must be unset): reportlab leaves out an operator
# that would set what is already set, and the draws that follow start where this one ends.
_STATE = tuple(name for name in Canvas.STATE_ATTRIBUTES
               if name not in ("_x", "_y", "_currentMatrix", "_extgstate"))
_state_of = attrgetter(*_STATE)


def _state(canvas: Any) -> Hashable:
    state = _state_of(canvas)
    try:
        hash(state)
    except TypeError:  # a dash pattern is a list
        return repr(state)
    return state
