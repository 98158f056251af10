"""Several PDFs as one: the print shop's exams, each starting on an odd page (for duplex
printing, a document with an odd number of pages is followed by a blank page, so that no
exam begins on the back of another), and the answer sheets drawn in parts."""

from __future__ import annotations

import hashlib
import io
import re

import pypdfium2 as pdfium

_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]")
_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)[0-9]{14}")
# the fixed date reportlab writes with invariant=1, as the merged documents have it
_FIXED_DATE = b"20000101000000"


def duplex(documents: list[bytes]) -> bytes:
    """The documents one after another, each starting on an odd page."""
    return _merged(documents, odd_starts=True)


def concatenate(documents: list[bytes]) -> bytes:
    """The documents one after another, page after page."""
    return _merged(documents, odd_starts=False)


def _merged(documents: list[bytes], odd_starts: bool) -> bytes:
    merged = pdfium.PdfDocument.new()
    for data in documents:
        source = pdfium.PdfDocument(data)
        merged.import_pages(source)
        if odd_starts and len(source) % 2:
            last = source[len(source) - 1]
            merged.new_page(*last.get_size()).close()  # PDFium's pages go before their
            last.close()  #                                documents do
        source.close()
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
