"""The flowables examgen draws itself: cheaper than tables, and shaped for exams."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from examgen.core.model import Question
from examgen.render.math_drawing import ROOM_DRAWERS, colour_of, room_markup
from examgen.render.page import (
    GUTTER,
    LABEL_INSET,
    OPTION_INDENT,
    POINTS_WIDTH,
    Page,
    level_colours,
)


class AnswerLine(Flowable):
    """'Answer: ________ unit' for short and numeric questions."""

    def __init__(self, page: Page, suffix: str = "") -> None:
        super().__init__()
        self.page, self.suffix = page, suffix
        self.label = page.layout.labels["answer"] + ":"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 9 * mm

    def draw(self) -> None:
        canvas, size = self.canv, self.page.body.fontSize
        canvas.setFont(self.page.sans, size)
        canvas.drawString(GUTTER, 1.5 * mm, self.label)
        canvas.setLineWidth(0.6)
        canvas.line(GUTTER + 24 * mm, 1 * mm, GUTTER + 104 * mm, 1 * mm)
        if self.suffix:
            canvas.drawString(GUTTER + 106 * mm, 1.5 * mm, self.suffix)


class RuledLines(Flowable):
    """The answer area of an open question: ``count`` lines to write on.

    A very tall area continues on the next page rather than failing the layout; the
    continuation starts with ``continued`` ("3. (continued)"), so that its lines are not
    anonymous.
    """

    MIN_LINES = 3  # a question's text never ends a page with fewer lines under it

    def __init__(self, count: int, spacing: float, colour: str, continued: str = "",
                 font: str = "Helvetica", size: float = 8, label: str = "") -> None:
        super().__init__()
        self.count, self.spacing, self.colour = count, spacing, colour
        self.continued, self.font, self.size, self.label = continued, font, size, label
        self.head = size + 4 if label else 0
        self.height = count * spacing + self.head

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fit = int((available_height - self.head) // self.spacing)
        if fit < min(self.MIN_LINES, self.count) or fit >= self.count:
            return []
        return [RuledLines(fit, self.spacing, self.colour, self.continued, self.font,
                           self.size, self.label),
                RuledLines(self.count - fit, self.spacing, self.colour, self.continued,
                           self.font, self.size, self.continued)]

    def draw(self) -> None:
        if self.label:
            self.canv.setFont(self.font, self.size)
            self.canv.setFillColor(colors.HexColor("#555555"))
            self.canv.drawString(0, self.height - self.size, self.label)
        self.canv.setStrokeColor(colors.HexColor(self.colour))
        self.canv.setLineWidth(0.4)
        for n in range(self.count):
            y = self.height - self.head - (n + 1) * self.spacing
            self.canv.line(0, y, self.width, y)


# The option boxes: characters in the text layer, drawn as lines (``_tick_box``).
EMPTY_BOX, TICKED_BOX = "\u2610", "\u2612"


class Badge(Flowable):
    """The question's cell in its level colour, e.g. 'hard · application · red'."""

    def __init__(self, page: Page, q: Question) -> None:
        super().__init__()
        self.page = page
        words = page.layout.labels
        self.text = (f"{words[q.difficulty.value]} · {words[q.knowledge.value]} · "
                     f"{words[q.level.value]} · {q.id}")
        self.background, self.ink = level_colours(page, q.level.value)
        self.size = page.small.fontSize
        self.box_width = stringWidth(self.text, page.sans, self.size) + 8

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.box_width, self.size + 6

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.background)
        canvas.roundRect(0, 1, self.box_width, self.size + 4, 2, stroke=0, fill=1)
        canvas.setFillColor(self.ink)
        canvas.setFont(self.page.sans, self.size)
        canvas.drawString(4, 4, self.text)



class QuestionBlock(Flowable):
    """A question kept on one page: its parts are measured once and drawn together.

    Only a question taller than a whole page is handed back in parts, so that the frame
    can split it (reportlab's KeepTogether would measure every part twice).
    """

    def __init__(self, parts: list[Flowable], page_height: float) -> None:
        super().__init__()
        self.parts, self.page_height = parts, page_height
        self._measured: tuple[float, list[float]] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._measured is None or self._measured[0] != available_width:
            heights = [part.wrap(available_width, available_height)[1] for part in self.parts]
            self._measured = (available_width, heights)
        self.width, self.height = available_width, sum(self._measured[1])
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Parts only for a question taller than a page, and only if the parts that fit
        here, with a piece of the next (at least its first lines), fill this page: the
        question's text never ends a page alone. reportlab places the first piece where
        the split happens."""
        if self.height <= self.page_height:
            return []
        used = 0.0
        for at, part in enumerate(self.parts):
            height = part.wrap(available_width, available_height - used)[1]
            if used + height <= available_height:
                used += height
                continue
            pieces = part.split(available_width, available_height - used)
            if not pieces:
                return []  # not even its first lines fit: the whole question moves on
            return [*self.parts[:at], *pieces, *self.parts[at + 1:]]
        return []

    def draw(self) -> None:
        assert self._measured is not None, "reportlab wraps a flowable before drawing it"
        y = self.height
        for part, height in zip(self.parts, self._measured[1], strict=True):
            y -= height
            part.drawOn(self.canv, 0, y)


class Indented(Flowable):
    """Any flowable moved right by ``indent``, to line up with the question text."""

    def __init__(self, inner: Flowable, indent: float) -> None:
        super().__init__()
        self.inner, self.indent = inner, indent

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, self.height = self.inner.wrap(available_width - self.indent, available_height)
        self.width = available_width
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        pieces = self.inner.split(available_width - self.indent, available_height)
        return [Indented(piece, self.indent) for piece in pieces]

    def draw(self) -> None:
        self.inner.drawOn(self.canv, self.indent, 0)


class Hanging(Flowable):
    """A paragraph with a label hanging in the gutter (a question number, an option's box
    and letter) and, optionally, the points at the right margin.

    The paragraph holds no number or letter, so the same paragraph serves every variant.
    """

    def __init__(self, page: Page, label: str, paragraph: Paragraph, points: str = "",
                 indent: float = 0, bold: bool = False, colour: str | None = None,
                 gap: float = 0) -> None:
        super().__init__()
        self.page, self.label, self.paragraph, self.points = page, label, paragraph, points
        self.indent, self.bold, self.colour, self.gap = indent, bold, colour, gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        right = POINTS_WIDTH if self.points else 0
        _, height = self.paragraph.wrap(available_width - self.indent - right, available_height)
        self.height = height + self.gap
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """A text longer than the page: its label and points stay with the first piece."""
        right = POINTS_WIDTH if self.points else 0
        pieces = self.paragraph.split(available_width - self.indent - right,
                                      available_height - self.gap)
        if len(pieces) < 2 or not isinstance(pieces[0], Paragraph):
            return []
        first = Hanging(self.page, self.label, pieces[0], self.points, self.indent, self.bold,
                        self.colour, self.gap)
        return [first, *(Indented(p, self.indent) for p in pieces[1:])]

    def draw(self) -> None:
        baseline = self.height - self.gap - self.page.body.fontSize
        self._draw_label(baseline)
        self.paragraph.drawOn(self.canv, self.indent, 0)  # after the label: reading order
        if self.points:
            self._draw_points(baseline)

    @property
    def _font(self) -> str:
        return f"{self.page.sans}-10" if self.bold else self.page.sans

    def _draw_label(self, baseline: float) -> None:
        canvas, size, font = self.canv, self.page.body.fontSize, self._font
        canvas.setFont(font, size)
        colour = colour_of(self.colour)
        canvas.setFillColor(colour)
        x = LABEL_INSET if self.indent == OPTION_INDENT else 0
        if self.label[:1] in (EMPTY_BOX, TICKED_BOX):
            _tick_box(canvas, x, baseline, font, size, self.label[0] == TICKED_BOX, colour,
                      self.label[1:])
        else:
            canvas.drawString(x, baseline, self.label)

    def _draw_points(self, baseline: float) -> None:
        self.canv.setFont(self.page.sans, self.page.body.fontSize)
        self.canv.drawRightString(self.width, baseline, self.points)


class HangingPicture(Hanging):
    """An option that is a picture alone: its box and letter hang in the gutter beside the
    picture's top edge, as they hang beside a text's first line."""

    def __init__(self, page: Page, label: str, picture: Flowable, indent: float,
                 colour: str | None = None, gap: float = 0) -> None:
        super().__init__(page, label, Paragraph("", page.body), indent=indent, colour=colour,
                         gap=gap)
        self.picture = picture

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _, height = self.picture.wrap(available_width - self.indent, available_height)
        self.height = height + self.gap
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        self._draw_label(self.height - self.gap - self.page.body.fontSize * 0.85)
        self.picture.drawOn(self.canv, self.indent, self.gap)


def _tick_box(canvas: Any, x: float, baseline: float, font: str, size: float, ticked: bool,
              colour: Any, after: str = "") -> None:
    """A box drawn as lines where the box character stands, the character itself kept in
    the text layer but not painted (so text extraction still reads ☐ and ☒), and then
    ``after`` (the option's letter) in the same text object: a font's box glyph sits on
    the baseline at its own size and weight, and looks different in every font."""
    text = canvas.beginText(x, baseline)
    text.setFont(font, size)
    text.setTextRenderMode(3)  # invisible
    text.textOut(TICKED_BOX if ticked else EMPTY_BOX)
    text.setTextRenderMode(0)
    if after:
        text.textOut(after)
    canvas.drawText(text)
    _outline(canvas, x, baseline, stringWidth(EMPTY_BOX, font, size), size, ticked, colour)


def _outline(canvas: Any, x: float, baseline: float, width: float, size: float,
             ticked: bool, colour: Any) -> None:
    """The box itself, centred in the width of the character it stands for."""
    side = size * 0.72
    left, bottom = x + (width - side) / 2, baseline - size * 0.08
    canvas.saveState()
    canvas.setLineWidth(0.7)
    canvas.setStrokeColor(colour)
    canvas.rect(left, bottom, side, side, stroke=1, fill=0)
    if ticked:
        inset = side * 0.2
        canvas.setLineWidth(1.2)
        canvas.line(left + inset, bottom + inset, left + side - inset, bottom + side - inset)
        canvas.line(left + inset, bottom + side - inset, left + side - inset, bottom + inset)
    canvas.restoreState()


# An option box inside a paragraph (a cloze choice gap): the box character, in white,
# keeps the box in the text where it stands, and right after it a room of no width whose
# drawer has the box drawn over it once the paragraph's text is drawn (reportlab draws a
# paragraph's rooms before its text, which would paint the white character over the
# box's lines; an invisible character drawn with the box would stand first in the line's
# text; and a transparent one needs a graphics state that reportlab's forms, the named
# copies' covers, leave out).
def inline_box(font: str, size: float) -> str:
    """Paragraph markup for an empty box drawn as lines, the character still in the text."""
    return (f'<font color="white">{EMPTY_BOX}</font>'
            + room_markup(f"box|{font}|{size:g}", 0.001, 0.001))


def _draw_inline_box(canvas: Any, label: str, x: float, y: float, width: float) -> None:
    """The box over the character just before the room (x: the room's left, y: the
    baseline, where reportlab places an image with no valign), drawn after the text."""
    _, font, size = label.split("|")
    points = float(size)
    char = stringWidth(EMPTY_BOX, font, points)
    canvas.after_text.append(
        lambda: _outline(canvas, x - char, y, char, points, False, colors.black))


ROOM_DRAWERS["box"] = _draw_inline_box


def fit_name(text: str, font: str, size: float, width: float,
             smallest: float = 7.0) -> tuple[str, float]:
    """A student's name and the size it is printed at in ``width``: smaller, down to
    ``smallest``, before it is shortened (a double name and two given names run past a
    line at 12 pt, and a shortened name may be someone else's)."""
    wide = stringWidth(text, font, size)
    if wide > width:  # in tenths of a point, down: the name then fits
        size = max(smallest, int(size * width / wide * 10) / 10)
    return fit(text, font, size, width), size


def fit(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis until it fits ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
