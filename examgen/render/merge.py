"""Several PDFs as one: the print shop's exams, each starting on an odd page (for duplex
printing, a document with an odd number of pages is followed by a page that says it is
blank on purpose, so that no exam begins on the back of another), and the answer sheets
drawn in parts."""

from __future__ import annotations

import hashlib
import io
import re

import pypdfium2 as pdfium

from examgen.core.model import PAPERS
from examgen.render.layout import Layout

_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]")
_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)[0-9]{14}")
# the fixed date reportlab writes with invariant=1, as the merged documents have it
_FIXED_DATE = b"20000101000000"


def duplex(documents: list[bytes], blank: bytes) -> bytes:
    """The documents one after another, each starting on an odd page; ``blank`` is the
    page that fills a back (``blank_back``)."""
    return _merged(documents, blank)


def concatenate(documents: list[bytes]) -> bytes:
    """The documents one after another, page after page."""
    return _merged(documents, None)


def blank_back(text: str, size: tuple[float, float], font: str) -> bytes:
    """A page that says it is blank on purpose (a print shop asks, and so does a student
    who finds one), in small grey letters in its middle."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, invariant=1)
    canvas.setFont(font, 9)
    canvas.setFillColor(colors.HexColor("#777777"))
    canvas.drawCentredString(size[0] / 2, size[1] / 2, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def back_of(layout: Layout, paper: str) -> bytes:
    """The layout's blank back on ``paper``, in its own words."""
    from examgen.render.fonts import register_fonts

    sans, _ = register_fonts()
    return blank_back(layout.labels["blank_back"], PAPERS[paper], sans)


def _merged(documents: list[bytes], blank: bytes | None) -> bytes:
    merged = pdfium.PdfDocument.new()
    back = pdfium.PdfDocument(blank) if blank is not None else None
    for data in documents:
        source = pdfium.PdfDocument(data)
        merged.import_pages(source)
        if back is not None and len(source) % 2:
            merged.import_pages(back)
        source.close()
    if back is not None:
        back.close()
    return finished(merged)


def finished(merged: pdfium.PdfDocument) -> bytes:
    """A document PDFium put together, saved with the same bytes for the same inputs."""
    out = io.BytesIO()
    merged.save(out)
    merged.close()
    return _fixed_id(_fixed_dates(out.getvalue()))


def _fixed_dates(pdf: bytes) -> bytes:
    """PDFium stamps the time of saving; the same inputs must give the same bytes, so the
    stamp becomes a fixed date with as many digits (nothing after it moves)."""
    return _DATE.sub(lambda m: m.group(1) + _FIXED_DATE, pdf)


def _fixed_id(pdf: bytes) -> bytes:
    """PDFium writes a random file ID, which becomes a digest of the content. The ID
    stands in the trailer, after the cross-reference table, so no offset moves."""
    digest = hashlib.md5(_ID.sub(b"", pdf), usedforsecurity=False).hexdigest().upper()
    return _ID.sub(f"/ID[<{digest}><{digest}>]".encode(), pdf, count=1)
