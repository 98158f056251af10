"""The Unicode fonts shipped with examgen (DejaVu), registered once per process.

reportlab's built-in fonts cannot print ß, Greek letters or arrows; DejaVu can.
"""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from examgen.core.glyphs import FONT_DIR

SANS, MONO = "ExamSans", "ExamMono"
_FILES = {
    (SANS, 0, 0): "DejaVuSans.ttf",
    (SANS, 1, 0): "DejaVuSans-Bold.ttf",
    (SANS, 0, 1): "DejaVuSans-Oblique.ttf",
    (SANS, 1, 1): "DejaVuSans-BoldOblique.ttf",
    (MONO, 0, 0): "DejaVuSansMono.ttf",
    (MONO, 1, 0): "DejaVuSansMono-Bold.ttf",
}


class _Face(TTFontFace):
    """A face that cuts each subset of its glyphs once per process: every variant embeds
    the same subsets, and cutting one (a TrueType file of its own) is pure Python."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._subsets: dict[tuple[int, ...], bytes] = {}

    def makeSubset(self, subset: Sequence[int]) -> bytes:  # noqa: N802 - reportlab's name
        key = tuple(subset)
        made = self._subsets.get(key)
        if made is None:
            if len(self._subsets) > 1_000:
                self._subsets.clear()
            made = self._subsets[key] = super().makeSubset(subset)
        return made


class _UnreadFace:
    """A font file read on first use: parsing a DejaVu face takes 10 to 20 ms, and most
    exams print in two of the six (no italics, no code)."""

    def __init__(self, font: TTFont, path: Path) -> None:
        self.font, self.path = font, path
        self.name = font.fontName  # all registerFont asks before the face is used

    def __getattr__(self, attribute: str) -> Any:
        face = self.__dict__.get("face")  # whoever kept this stand-in meets the same face
        if face is None:
            face = self.face = _Face(str(self.path))
            self.font.face = face  # from now on reportlab meets the real face directly
        return getattr(face, attribute)


class LazyTTFont(TTFont):
    """A TTFont that reads its file when a document first uses it.

    What TTFont's own constructor sets, except the face, which it would parse at once;
    a test holds the two to the same attributes.
    """

    def __init__(self, name: str, path: Path) -> None:  # noqa: D107 - no super(): it parses
        self.fontName = name
        self.face = _UnreadFace(self, path)  # type: ignore[assignment]  # until first use
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob or ())


@cache
def register_fonts() -> tuple[str, str]:
    """Register the families so that <b> and <i> in Paragraphs find their faces."""
    for (family, bold, italic), file in _FILES.items():
        face = family if not (bold or italic) else f"{family}-{bold}{italic}"
        pdfmetrics.registerFont(LazyTTFont(face, FONT_DIR / file))
        addMapping(family, bold, italic, face)  # type: ignore[arg-type]  # 0 or 1
    addMapping(MONO, 0, 1, MONO)  # the mono family has no italics: use upright
    addMapping(MONO, 1, 1, f"{MONO}-10")
    return SANS, MONO


def read_now(*faces: str) -> None:
    """Read these faces' files now rather than at their first use: a worker that waits
    for its first task anyway."""
    for face in faces:
        font: Any = pdfmetrics.getFont(face)
        font.face.charToGlyph  # noqa: B018  # reading any attribute reads the file


def read_text_faces() -> None:
    """The families registered and the two faces every document prints in (regular and
    bold sans) read: done before workers are forked, so that they share them."""
    sans, _ = register_fonts()
    read_now(sans, f"{sans}-10")
