"""The space around inline formulas, read off a printed page as a reader sees it: each
formula's ink (PDFium's filled black paths between two pieces of text on a line) and the
ink of the letters beside it. Beside a letter or a digit a formula stands a word space
away, as far as the words of that line stand from each other; before a closing mark
(".", ",", ")", ...) and after an opening one ("(", "[", ...) it stands close.

Used by tests/test_typography.py and benchmarks/typography.py; it knows nothing of how
examgen draws (no examgen import): pages in, problems out.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

CLOSING = set(".,;:!?)]}'\"’”-")
# what hangs in the gutter before a line's text: a question's number, an option's box and
# letter; the text after it starts at its indent, not a space away
_LABEL = re.compile(r"\d+\.|[\u2610\u2612]?[a-z]\)")
OPENING = set("([{/-'\"‘“")


@dataclass(frozen=True)
class _Ink:
    left: float
    bottom: float
    right: float
    top: float
    char: str = ""  # "" for a formula's glyph


def _bounds(obj: object) -> tuple[float, float, float, float]:
    get = getattr(obj, "get_bounds", None) or obj.get_pos  # type: ignore[attr-defined]
    left, bottom, right, top = get()  # pypdfium2 5 says get_bounds, 4 get_pos
    return left, bottom, right, top


def _formula_glyphs(page: pdfium.PdfPage) -> list[_Ink]:
    """Filled black paths without a stroke, glyph-sized: what a typeset formula is made
    of (boxes and rules are stroked, backgrounds are grey or large)."""
    out = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        raw.FPDFPageObj_GetFillColor(obj.raw, *(ctypes.byref(v) for v in (r, g, b, a)))
        left, bottom, right, top = _bounds(obj)
        if fill.value and not stroke.value and max(r.value, g.value, b.value) < 60 and \
                right - left < 40 and top - bottom < 40:
            out.append(_Ink(left, bottom, right, top))
    return out


def _lines(page: pdfium.PdfPage) -> list[list[_Ink]]:
    """Each line of text: its letters' ink in reading order, a space where the text has
    one."""
    text = page.get_textpage()
    lines: list[list[_Ink]] = []
    letters: list[_Ink] = []
    for i in range(text.count_chars()):
        char = text.get_text_range(i, 1)
        if char in ("\r", "\n"):
            if letters:
                lines.append(letters)
            letters = []
        elif not char.strip():
            if letters and letters[-1].char != " ":
                letters.append(_Ink(0, 0, 0, 0, " "))
        else:
            left, bottom, right, top = text.get_charbox(i)
            letters.append(_Ink(left, bottom, right, top, char))
    if letters:
        lines.append(letters)
    return lines


def formula_spacing(page: pdfium.PdfPage) -> list[str]:
    """Every inline formula on the page whose space before or after is not what the
    letter beside it asks for, as "before 'x': 0.4 pt where a word space, 3.3 pt"."""
    lines = _lines(page)
    spans = [(min(i.bottom for i in line if i.char != " "),
              max(i.top for i in line if i.char != " ")) for line in lines]
    # each glyph on the line it overlaps most (a subscript or a comma sits low in it)
    owned: list[list[_Ink]] = [[] for _ in lines]
    for glyph in _formula_glyphs(page):
        overlaps = [min(top, glyph.top) - max(bottom, glyph.bottom) for bottom, top in spans]
        if overlaps and max(overlaps) > 0:
            owned[overlaps.index(max(overlaps))].append(glyph)
    placed = []
    for letters, mine in zip(lines, owned, strict=True):
        ink = [i for i in letters if i.char != " "]
        items = sorted([*ink, *mine], key=lambda i: i.left)
        # the line's word space: from letter to letter across a space, no formula between
        spaces = [after.left - before.right for before, gap, after in
                  zip(letters, letters[1:], letters[2:], strict=False) if gap.char == " " and
                  before.char.isalnum() and after.char.isalnum() and
                  not any(before.right <= g.left < after.left for g in mine)]
        placed.append((items, [g for g in spaces if 1 < g < 8]))
    page_spaces = [g for _, spaces in placed for g in spaces]
    if not page_spaces:
        return []
    problems = []
    for items, spaces in placed:
        word = statistics.median(spaces if len(spaces) >= 2 else page_spaces)
        start = None
        for n in range(len(items) + 1):
            formula = n < len(items) and not items[n].char
            if formula and start is None:
                start = n
            elif not formula and start is not None:
                left = min(g.left for g in items[start:n])
                right = max(g.right for g in items[start:n])
                if start and not _LABEL.fullmatch("".join(i.char for i in items[:start])):
                    before = items[start - 1]
                    problems += _judge("before", before.char, left - before.right, word,
                                       before.char in OPENING)
                if n < len(items):
                    after = items[n]
                    problems += _judge("after", after.char, after.left - right, word,
                                       after.char in CLOSING)
                start = None
    return problems


def _judge(side: str, char: str, gap: float, word: float, close: bool) -> list[str]:
    """Ink to ink, a word space is narrower or wider by the letters' own side bearings
    (an "f" leans over its space; a formula's ink starts where its box does): a space
    lost ("maximisesV") leaves under half a word space, one doubled over one and a half."""
    if gap > 3 * word:
        return []  # another column (the points, an option's letter): no neighbour
    if close and gap <= 0.45 * word:
        return []
    if not close and 0.55 * word <= gap <= 1.6 * word:
        return []
    wanted = "close" if close else f"a word space, {word:.1f} pt"
    return [f"{side} {char!r}: {gap:.1f} pt where {wanted}"]
