"""Several PDFs as one: the print shop's exams, each starting on an odd page (for duplex
printing, a document with an odd number of pages is followed by a page that says it is
blank on purpose, so that no exam begins on the back of another), and the answer sheets
and slides drawn in parts."""

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


def concatenate(documents: list[bytes], info: dict[str, str] | None = None) -> bytes:
    """The documents one after another, page after page; with ``info``, the document
    information (Title, Subject) that PDFium cannot give it."""
    merged = _merged(documents, None)
    return merged if info is None else _with_info(merged, info)


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


_TRAILER = re.compile(rb"trailer\s*<<(.*)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)


def _with_info(pdf: bytes, info: dict[str, str]) -> bytes:
    """The document with its information (title, author) written as an update at its end
    (PDF 1.7, 7.5.6): PDFium has no call to set it, and names itself there instead. The
    dates are the fixed date reportlab writes with invariant=1."""
    found = _TRAILER.match(pdf, pdf.rfind(b"trailer"))
    root = re.search(rb"/Root\s+(\d+)\s+0\s+R", found.group(1)) if found else None
    size = re.search(rb"/Size\s+(\d+)", found.group(1)) if found else None
    if found is None or root is None or size is None:
        raise ValueError("PDFium wrote a PDF whose trailer examgen cannot extend")
    number = int(size.group(1))
    date = b"(D:" + _FIXED_DATE + b"+00'00')"
    entries = {"Author": "examgen", "Creator": "examgen",
               "Producer": "ReportLab PDF Library, PDFium", **info}
    fields = b"".join(b"/" + k.encode() + _pdf_string(v) for k, v in entries.items())
    body = (b"\n%d 0 obj\n<</CreationDate%s/ModDate%s%s>>\nendobj\n"
            % (number, date, date, fields))
    at = len(pdf) + 1  # after the line break that opens the body
    xref = len(pdf) + len(body)
    the_id = _ID.search(found.group(1))
    # the free head of the list first, as writers do (readers check a table's start)
    update = (b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n"
              b"trailer\n<</Size %d/Root %s 0 R/Info %d 0 R/Prev %s%s>>\n"
              b"startxref\n%d\n%%%%EOF\n"
              % (number, at, number + 1, root.group(1), number, found.group(2),
                 the_id.group(0) if the_id else b"", xref))
    return pdf + body + update


def _pdf_string(text: str) -> bytes:
    """A PDF text string: printable ASCII as it is, anything else in UTF-16."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"
