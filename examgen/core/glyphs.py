"""Which characters the PDF can print: DejaVu Sans for text, DejaVu Sans Mono for code,
the default layouts' math font (DejaVu Math TeX Gyre) for formulas. A character none of
them has would print as an empty box, so ``examgen check`` names it (a warning at its
line).

Only the fonts' character maps are read (the sfnt ``cmap`` table, a few milliseconds), and
only when a text holds a character beyond ASCII: checking a bank stays fast.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from examgen.core.markup import segments

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"  # examgen/fonts, in the wheel too
_FONTS = {"text": "DejaVuSans.ttf", "code": "DejaVuSansMono.ttf",
          "math": "DejaVuMathTeXGyre.ttf"}


@lru_cache(maxsize=4)
def characters(kind: str) -> frozenset[int]:
    """The code points a font maps to glyphs (kind: text, code or math)."""
    path = FONT_DIR / _FONTS[kind]
    return read_cmap(path.read_bytes())


def read_cmap(font: bytes) -> frozenset[int]:
    """The Unicode code points of an sfnt font's cmap (subtable format 12 or 4)."""
    tables = struct.unpack_from(">H", font, 4)[0]
    offset = None
    for i in range(tables):
        tag, _, start, _ = struct.unpack_from(">4sIII", font, 12 + 16 * i)
        if tag == b"cmap":
            offset = start
    if offset is None:
        return frozenset()
    count = struct.unpack_from(">H", font, offset + 2)[0]
    subtables = {}
    for i in range(count):
        platform, encoding, start = struct.unpack_from(">HHI", font, offset + 4 + 8 * i)
        subtables[(platform, encoding)] = offset + start
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key in subtables:
            return _subtable(font, subtables[key])
    return frozenset()


def _subtable(font: bytes, at: int) -> frozenset[int]:
    kind = struct.unpack_from(">H", font, at)[0]
    points: set[int] = set()
    if kind == 12:
        groups = struct.unpack_from(">I", font, at + 12)[0]
        for g in range(groups):
            first, last, glyph = struct.unpack_from(">III", font, at + 16 + 12 * g)
            if glyph or first:
                points.update(range(first, last + 1))
    elif kind == 4:
        segments_x2 = struct.unpack_from(">H", font, at + 6)[0]
        n = segments_x2 // 2
        ends = struct.unpack_from(f">{n}H", font, at + 14)
        starts = struct.unpack_from(f">{n}H", font, at + 16 + segments_x2)
        deltas = struct.unpack_from(f">{n}h", font, at + 16 + 2 * segments_x2)
        ranges_at = at + 16 + 3 * segments_x2
        offsets = struct.unpack_from(f">{n}H", font, ranges_at)
        for i in range(n):
            for code in range(starts[i], ends[i] + 1):
                if code == 0xFFFF:
                    continue
                if offsets[i] == 0:
                    glyph = (code + deltas[i]) & 0xFFFF
                else:
                    where = ranges_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                    glyph = struct.unpack_from(">H", font, where)[0]
                    glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                if glyph:
                    points.add(code)
    return frozenset(points)


def unprintable(text: str) -> list[tuple[str, str]]:
    """(character, where: text, code or a formula) for each character of a markup text
    that its font cannot print, each once."""
    if text.isascii():  # every font has ASCII: the common case, at no cost
        return []
    out: dict[str, str] = {}
    for kind, chunk in segments(text):
        font = {"code": "code", "math": "math", "display": "math"}.get(kind, "text")
        for char in chunk:
            if ord(char) > 0x7E and char not in out and ord(char) not in characters(font):
                out[char] = {"code": "code", "math": "a formula"}.get(font, "text")
    return list(out.items())
