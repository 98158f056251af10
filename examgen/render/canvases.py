"""The canvases examgen's documents are drawn on: footers that say "page X of Y", and a
named copy's cover, the exam's first page drawn once and shown under every student's
name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas

from examgen.render.flowables import fit
from examgen.render.math_drawing import FormulaCanvas
from examgen.render.page import Page

Writing = Callable[[pdfcanvas.Canvas], None]  # draws one student's name on a cover
_COVER = "examgen-cover"


class FirstPageDrawn(Exception):
    """Raised by a covers canvas when the exam's first page is done: the later pages are
    not drawn (the named copies take them from the exam itself)."""


def numbered_canvas(page: Page, left: str, right: str,
                    width: float) -> type[pdfcanvas.Canvas]:
    """A canvas that writes "page X of Y" in every footer (``width``: the paper's).

    Y is known only when the document ends, so each page shows a form of its own, and
    the forms, holding the whole footer, are drawn at the end: forms may be defined after
    the pages that show them (reportlab's public beginForm and doForm; no copy of the
    canvas's state, as the classic recipe makes)."""
    pattern = page.layout.labels["page"]
    margins = page.layout.settings["margins"]

    class NumberedCanvas(FormulaCanvas):  # formulas in paragraphs draw themselves
        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self.doForm(f"examgen-footer-{self.getPageNumber()}")
            super().showPage()

        def save(self) -> None:
            total = self.getPageNumber() - 1  # the page after the last one shown
            self.footers(total, total)
            super().save()

        def footers(self, count: int, total: int) -> None:
            """The forms of the first ``count`` footers, "page X of ``total``"."""
            for number in range(1, count + 1):
                self.beginForm(f"examgen-footer-{number}")
                self._footer(number, total)
                self.endForm()

        def _footer(self, number: int, total: int) -> None:
            y = float(margins["bottom"]) * mm / 2
            self.setFont(page.sans, 8)
            self.setFillColor(colors.HexColor("#555555"))
            text = pattern.replace("{page}", str(number)).replace("{pages}", str(total))
            x_left, x_right = float(margins["left"]) * mm, width - float(margins["right"]) * mm
            used = stringWidth(text, page.sans, 8)
            room = (width - used) / 2 - 5 * mm - x_left  # up to the centred page number
            if stringWidth(left, page.sans, 8) > room and not right:
                # a long title with nothing on the right: the number moves right instead
                # of cutting the title
                self.drawString(x_left, y, fit(left, page.sans, 8, x_right - used - 5 * mm
                                               - x_left))
                self.drawRightString(x_right, y, text)
                return
            self.drawString(x_left, y, fit(left, page.sans, 8, room))
            self.drawCentredString(width / 2, y, text)
            self.drawRightString(x_right, y, right)

    return NumberedCanvas


def covers_canvas(numbered: type[pdfcanvas.Canvas], writings: Sequence[Writing],
                  pages: int) -> type[pdfcanvas.Canvas]:
    """A ``numbered`` canvas whose document is the exam's first page once per writing,
    each with that writing over it, and nothing else (``pages``: the exam's own count,
    for its footer).

    The first page is drawn into a form (reportlab's public beginForm, endForm and
    doForm), so the cover's drawing is the exam's own, held once however many students
    it carries; the document is saved there and the build stopped with
    ``FirstPageDrawn``."""

    class CoversCanvas(numbered):  # type: ignore[misc, valid-type]  # a class made above
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.beginForm(_COVER)

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self.doForm("examgen-footer-1")
            self.endForm()
            for write in writings:
                self.doForm(_COVER)
                write(self)
                pdfcanvas.Canvas.showPage(self)  # the footer is in the cover already
            self.save()
            raise FirstPageDrawn

        def save(self) -> None:
            self.footers(1, pages)
            pdfcanvas.Canvas.save(self)

    return CoversCanvas
