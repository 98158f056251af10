"""What every part of a printed page needs: paper, measures, styles, labels and colours.

Made once per layout and paper, so that the paragraph cache lives across documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from examgen.core.formula_svg import DEFAULT_MATH_FONT
from examgen.core.markup import to_reportlab
from examgen.core.model import PAPERS, format_number
from examgen.render.fonts import register_fonts
from examgen.render.layout import Layout
from examgen.render.math_drawing import CALLBACK as FORMULA_MARK
from examgen.render.math_drawing import formula_markup

GUTTER, OPTION_INDENT, LABEL_INSET, POINTS_WIDTH = 8 * mm, 19 * mm, 8 * mm, 22 * mm


class StableParagraph(Paragraph):
    """A Paragraph that remembers its line breaks for the width it was last wrapped at."""

    _wrapped: tuple[float, float, float, Any] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._wrapped and self._wrapped[0] == available_width:
            _, self.width, self.height, self.blPara = self._wrapped
            return self.width, self.height
        size = super().wrap(available_width, available_height)
        self._wrapped = (available_width, self.width, self.height, self.blPara)
        return size

    def split(self, available_width: float, available_height: float) -> list[Any]:
        """The pieces are new paragraphs: they must not inherit the whole one's lines."""
        pieces = super().split(available_width, available_height)
        for piece in pieces:
            if isinstance(piece, StableParagraph):
                piece._wrapped = None
        return pieces


@dataclass(frozen=True, eq=False)
class Page:
    """What every flowable needs to know: styles, widths, labels and colours."""

    layout: Layout
    width: float
    height: float  # what one page's frame holds: a taller question has to split
    sans: str
    mono: str
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    right: ParagraphStyle
    centre: ParagraphStyle
    cache: dict[tuple[str, str], Paragraph] = field(default_factory=dict, compare=False)
    tall: dict[str, ParagraphStyle] = field(default_factory=dict, compare=False)
    markup: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def math_font(self) -> str:
        """The layout's math font (fonts.math)."""
        return str(self.layout.settings["fonts"].get("math", DEFAULT_MATH_FONT))

    def text(self, text: str, style: str = "body") -> str:
        """Bank text in the light markup (**bold**, *italic*, `code`, $formulas$), converted
        once per process and style: every variant prints the same texts. Formulas take the
        size of the style's text (an explanation's are as small as it is)."""
        key = text if style == "body" else f"{style}\0{text}"
        markup = self.markup.get(key)
        if markup is None:
            if len(self.markup) > 20_000:
                self.markup.clear()
            size = float(getattr(self, style).fontSize)
            markup = self.markup[key] = to_reportlab(
                text, self.mono,
                lambda latex, display: formula_markup(latex, display, size, self.math_font))
        return markup

    def literal(self, text: str) -> str:
        """Text printed exactly as written: answers a student's writing is compared with."""
        return escape(text, quote=False)

    def paragraph(self, markup: str, style: str) -> Paragraph:
        """A paragraph shared by every document of this process that prints the same text:
        variants differ in order, not in text, so each is parsed and wrapped once."""
        key = (markup, style)
        cached = self.cache.get(key)
        if cached is None:
            if len(self.cache) > 20_000:
                self.cache.clear()
            cached = self.cache[key] = StableParagraph(markup, self.style(style, markup))
        return cached

    def style(self, name: str, markup: str = "") -> ParagraphStyle:
        """The named style; for markup with a formula, one whose lines grow to fit it."""
        base: ParagraphStyle = getattr(self, name)
        if FORMULA_MARK not in markup:
            return base
        tall = self.tall.get(name)
        if tall is None:
            tall = self.tall[name] = ParagraphStyle(f"{name}-math", parent=base,
                                                    autoLeading="max")
        return tall

    def label_text(self, text: str) -> str:
        """A layout's own words (labels), in the light markup like every label."""
        return to_reportlab(text, self.mono)

    def label(self, key: str) -> str:
        return to_reportlab(self.layout.labels[key], self.mono)

    def number(self, value: float) -> str:
        """Points and counts with the layout's decimal mark (1.5, or 1,5 in German)."""
        return format_number(value).replace(".", self.layout.labels["decimal"])

    def cell(self, difficulty: str, knowledge: str) -> str:
        """A cell in the layout's words: 'easy/recall', 'leicht/Abfragewissen'."""
        return f"{self.layout.labels[difficulty]}/{self.layout.labels[knowledge]}"


@lru_cache(maxsize=8)
def page_for(layout: Layout, paper: str) -> tuple[Page, tuple[float, float]]:
    """Styles and measures for a layout, made once so its paragraph cache lives on."""
    sans, mono = register_fonts()
    fonts = layout.settings["fonts"]
    size, leading = float(fonts["size"]), float(fonts["leading"])
    body = ParagraphStyle("body", fontName=sans, fontSize=size, leading=leading)
    small = ParagraphStyle("small", parent=body, fontSize=float(fonts["small_size"]),
                           leading=float(fonts["small_size"]) * 1.3)
    title = ParagraphStyle("title", parent=body, fontSize=float(fonts["title_size"]),
                           leading=float(fonts["title_size"]) * 1.25,
                           textColor=colors.HexColor(layout.colour("accent")), spaceAfter=2)
    pagesize = PAPERS[paper]
    margins = layout.settings["margins"]
    # What the frame offers inside its 6 pt padding on every side.
    width = pagesize[0] - (float(margins["left"]) + float(margins["right"])) * mm - 12
    height = pagesize[1] - (float(margins["top"]) + float(margins["bottom"])) * mm - 12
    return Page(layout, width, height, sans, mono, body, small, title,
                 ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
                 ParagraphStyle("centre", parent=small, alignment=TA_CENTER)), pagesize


def level_colours(page: Page, level: str) -> tuple[colors.Color, colors.Color]:
    background = colors.HexColor(page.layout.colour(level))
    return background, colors.black if level == "yellow" else colors.white
