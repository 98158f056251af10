"""Slides as files: one PDF, or one PDF per slide to paste into a lecturer's own deck,
and PNG images of every slide (rendered by PDFium, as a viewer shows them)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium

from examgen.core.files import write_atomic, write_set


def write_slides(out: Path, pdf: bytes, one_per_file: bool, png_dpi: int | None) -> str:
    """Write the slides; returns what was written, for the summary line."""
    source = pdfium.PdfDocument(pdf)
    try:
        count = len(source)
        digits = max(2, len(str(count)))
        files: dict[str, bytes | str] = {}
        if one_per_file:
            for n in range(count):
                single = pdfium.PdfDocument.new()
                single.import_pages(source, [n])
                buffer = io.BytesIO()
                single.save(buffer)
                single.close()
                files[f"slide-{n + 1:0{digits}d}.pdf"] = buffer.getvalue()
        if png_dpi:
            stem = "slide" if one_per_file else out.stem
            for n in range(count):
                image = source[n].render(scale=png_dpi / 72).to_pil()
                buffer = io.BytesIO()
                image.save(buffer, "PNG", dpi=(png_dpi, png_dpi))
                files[f"{stem}-{n + 1:0{digits}d}.png"] = buffer.getvalue()
    finally:
        source.close()
    if one_per_file:
        write_set(out, files, last=next(iter(files)))
        return f"{count} slides into {out}/ (slide-{1:0{digits}d}.pdf ...)"
    write_atomic(out, pdf)
    if files:
        write_set(out.parent, files, last=next(iter(files)))
        return f"{out} and {len(files)} PNG images beside it"
    return str(out)
