"""The Unicode fonts shipped with examgen (DejaVu), registered once per process.

reportlab's built-in fonts cannot print ß, Greek letters or arrows; DejaVu can.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
SANS, MONO = "ExamSans", "ExamMono"
_FILES = {
    (SANS, 0, 0): "DejaVuSans.ttf",
    (SANS, 1, 0): "DejaVuSans-Bold.ttf",
    (SANS, 0, 1): "DejaVuSans-Oblique.ttf",
    (SANS, 1, 1): "DejaVuSans-BoldOblique.ttf",
    (MONO, 0, 0): "DejaVuSansMono.ttf",
    (MONO, 1, 0): "DejaVuSansMono-Bold.ttf",
}


@cache
def register_fonts() -> tuple[str, str]:
    """Register the families so that <b> and <i> in Paragraphs find their faces."""
    for (family, bold, italic), file in _FILES.items():
        face = family if not (bold or italic) else f"{family}-{bold}{italic}"
        pdfmetrics.registerFont(TTFont(face, str(FONT_DIR / file)))
        addMapping(family, bold, italic, face)  # type: ignore[arg-type]  # 0 or 1
    addMapping(MONO, 0, 1, MONO)  # the mono family has no italics: use upright
    addMapping(MONO, 1, 1, f"{MONO}-10")
    return SANS, MONO
