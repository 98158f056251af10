"""Which characters the PDF can print: DejaVu Sans for text, DejaVu Sans Mono for code,
the math font for formulas. A character none of them has would print as an empty box, so
``examgen check`` names it (a warning at its line) instead.

The fonts are read with ziafont (ziamath's own font reader), not reportlab: checking a
bank never needs the PDF machinery.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .markup import segments

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_FONTS = {"text": "DejaVuSans.ttf", "code": "DejaVuSansMono.ttf"}


@lru_cache(maxsize=4)
def _font(kind: str) -> Any:
    if kind == "math":
        from ziamath.zmath import Latex

        return Latex("x", size=10).font
    from ziafont.font import Font

    return Font(str(FONT_DIR / _FONTS[kind]))


@lru_cache(maxsize=65536)
def _has(kind: str, char: str) -> bool:
    if char in "\n\t" or ord(char) < 0x7F:
        return True
    return bool(_font(kind).glyphindex(char))


def unprintable(text: str) -> list[tuple[str, str]]:
    """(character, where: text, code or a formula) for each character of a markup text
    that its font cannot print, each once."""
    if text.isascii():  # every font has ASCII: the common case, at no cost
        return []
    if all(_has(k, c) for c in set(text) if ord(c) >= 0x7F for k in ("text", "code", "math")):
        return []
    out: dict[str, str] = {}
    for kind, chunk in segments(text):
        font = {"code": "code", "math": "math", "display": "math"}.get(kind, "text")
        for char in chunk:
            if char not in out and not _has(font, char):
                out[char] = {"code": "code", "math": "a formula"}.get(font, "text")
    return list(out.items())
