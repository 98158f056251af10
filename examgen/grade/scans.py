"""Scanned pages in, grey images out: PDFs (every page, rasterized) and PNG, JPEG, TIFF.

A file that is none of these, or a page that cannot be decoded, becomes a ``ScanProblem``
naming the file and page; the other pages are still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from examgen.core.limits import MAX_IMAGE_PIXELS

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
PDF_DPI = 200  # what a PDF page is rasterized at: plenty for 4 mm boxes


@dataclass(frozen=True)
class PageRef:
    """One page of one scan file: what a problem or a review line points at."""

    file: str
    page: int  # 1-based within the file
    kind: str = "image"  # pdf | tiff | image, told once from the file's start

    def __str__(self) -> str:
        return f"{self.file}, page {self.page}"


@dataclass(frozen=True)
class ScanProblem:
    where: PageRef
    message: str


def page_refs(path: Path) -> list[PageRef] | ScanProblem:
    """Every page of one scan file, or why the file cannot be read at all."""
    suffix = path.suffix.lower()
    ref = PageRef(str(path), 1)
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        return ScanProblem(ref, f"cannot read the file ({exc.strerror})")
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        try:
            count = len(_pdf(str(path)))
        except Exception as exc:  # pdfium's errors are plain Exceptions
            return ScanProblem(ref, f"not a readable PDF ({exc})")
        if count == 0:
            return ScanProblem(ref, "the PDF has no pages")
        return [PageRef(str(path), n + 1, "pdf") for n in range(count)]
    if suffix in (".tif", ".tiff"):
        try:
            count = cv2.imcount(str(path))
        except cv2.error:
            count = 0
        if count < 1:
            return ScanProblem(ref, "not a readable TIFF image")
        return [PageRef(str(path), n + 1, "tiff") for n in range(count)]
    if suffix in IMAGE_SUFFIXES:
        return [ref]
    return ScanProblem(ref, f"not a scan examgen reads (PDF, {', '.join(IMAGE_SUFFIXES)})")


_open: dict[str, object] = {}


def _pdf(path: str):  # type: ignore[no-untyped-def]  # pypdfium2 has no stubs
    """One open document per file and process (pdfium is not shared across forks)."""
    import pypdfium2

    doc = _open.get(path)
    if doc is None:
        doc = _open[path] = pypdfium2.PdfDocument(path)
    return doc


def load_page(ref: PageRef) -> np.ndarray | str:
    """The page as an 8-bit grey image, or what went wrong."""
    if ref.kind == "pdf":
        try:
            page = _pdf(ref.file)[ref.page - 1]
            width, height = page.get_size()
            scale = PDF_DPI / 72
            if width * height * scale * scale > MAX_IMAGE_PIXELS:
                scale = (MAX_IMAGE_PIXELS / (width * height)) ** 0.5
            image = page.render(scale=scale, grayscale=True).to_numpy()
        except Exception as exc:  # pdfium's errors are plain Exceptions
            return f"cannot rasterize the page ({exc})"
        return np.ascontiguousarray(image if image.ndim == 2 else image[:, :, 0])
    if ref.kind == "tiff":  # one page, not the whole file, for each page
        ok, pages = cv2.imreadmulti(ref.file, start=ref.page - 1, count=1,
                                    flags=cv2.IMREAD_GRAYSCALE)
        if not ok or not pages:
            return "not a readable TIFF page"
        return np.asarray(pages[0])
    data = np.fromfile(ref.file, dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if image is None:
        return "not a readable image (PNG, JPEG or TIFF)"
    if image.size > MAX_IMAGE_PIXELS:
        return f"larger than {MAX_IMAGE_PIXELS:,} pixels"
    return np.asarray(image)


def all_pages(paths: list[Path]) -> Iterator[PageRef | ScanProblem]:
    """The pages of every file in the order given (folders: their scans, sorted)."""
    for path in paths:
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (*IMAGE_SUFFIXES,
                                                                         ".pdf")) \
            if path.is_dir() else [path]
        for file in files:
            refs = page_refs(file)
            if isinstance(refs, ScanProblem):
                yield refs
            else:
                yield from refs
