"""Scanned pages in, grey images out: PDFs (every page, rasterized) and PNG, JPEG, TIFF.

A file that is none of these, or a page that cannot be decoded, becomes a ``ScanProblem``
naming the file and page; the other pages are still read. An image's size is read from
its header before it is decoded: a small file that claims 30000 x 30000 pixels is refused
without the gigabytes its pixels would take.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

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
            with _header(str(path)) as image:
                count = int(getattr(image, "n_frames", 1))
        except _TOO_LARGE:
            count = 1  # its first page is refused by its size when it is loaded
        except _UNREADABLE:
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


def load_page(ref: PageRef, rasterize: bool = False) -> np.ndarray | str:
    """The page as an 8-bit grey image, or what went wrong.

    A scanner's PDF page is one picture covering the page: its own pixels are taken as
    they are (a fifth of the time of rasterizing the page), unless ``rasterize`` asks to
    draw the page as any PDF viewer would.
    """
    return load_scan(ref, rasterize)[0]


def load_scan(ref: PageRef, rasterize: bool = False) -> tuple[np.ndarray | str, bool]:
    """The page as ``load_page`` gives it, and whether it is a PDF's stored picture rather
    than the page drawn (if its markers are not found, the page is drawn and read again)."""
    if ref.kind == "pdf":
        try:
            page = _pdf(ref.file)[ref.page - 1]
            scan = None if rasterize else scanned_picture(page)
            if scan is not None:
                return scan, True
            width, height = page.get_size()
            scale = PDF_DPI / 72
            if width * height * scale * scale > MAX_IMAGE_PIXELS:
                scale = (MAX_IMAGE_PIXELS / (width * height)) ** 0.5
            image = page.render(scale=scale, grayscale=True).to_numpy()
        except Exception as exc:  # pdfium's errors are plain Exceptions
            return f"cannot rasterize the page ({exc})", False
        return np.ascontiguousarray(image if image.ndim == 2 else image[:, :, 0]), False
    refused = _refused_by_size(ref)
    if refused:
        return refused, False
    return _image_file(ref), False


def _image_file(ref: PageRef) -> np.ndarray | str:
    try:
        if ref.kind == "tiff":  # one page, not the whole file, for each page
            ok, pages = cv2.imreadmulti(ref.file, start=ref.page - 1, count=1,
                                        flags=cv2.IMREAD_GRAYSCALE)
            if not ok or not pages:
                return "not a readable TIFF page"
            return np.asarray(pages[0])
        image = cv2.imdecode(np.fromfile(ref.file, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    except (cv2.error, OSError, ValueError) as exc:  # an empty file: OpenCV asserts
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        return f"not a readable image ({first[:200]})"
    if image is None:
        return "not a readable image (PNG, JPEG or TIFF)"
    if image.size > MAX_IMAGE_PIXELS:  # a header Pillow could not read
        return (f"{image.size:,} pixels, more than the {MAX_IMAGE_PIXELS:,} a scanned page "
                "may have; scan at 300 dpi or less")
    return np.asarray(image)


_FITS = 2.0  # points: how closely the picture must cover the page


def scanned_picture(page) -> np.ndarray | None:  # type: ignore[no-untyped-def]
    """The page's only object when it is an upright grey or colour picture covering the
    whole page, as grey pixels; else None, and the page is rasterized.

    A picture that is not what the page shows (an inverted /Decode, a mask) loses its
    corner markers, and ``grading`` then reads the rasterized page instead.
    """
    import pypdfium2.raw as pdfium_c

    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or not hasattr(objects[0], "get_metadata"):
        return None
    picture = objects[0]
    a, b, c, d, _, _ = picture.get_matrix().get()
    bounds = (picture.get_bounds() if hasattr(picture, "get_bounds")  # pypdfium2 5
              else picture.get_pos())
    box = page.get_cropbox()
    if a <= 0 or d <= 0 or abs(b) > 1e-6 or abs(c) > 1e-6 or \
            max(abs(x - y) for x, y in zip(bounds, box, strict=True)) > _FITS:
        return None
    meta = picture.get_metadata()
    grey_or_colour = (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_DEVICERGB,
                      pdfium_c.FPDF_COLORSPACE_CALGRAY, pdfium_c.FPDF_COLORSPACE_CALRGB,
                      pdfium_c.FPDF_COLORSPACE_ICCBASED)
    if meta.colorspace not in grey_or_colour or meta.width * meta.height > MAX_IMAGE_PIXELS:
        return None
    bitmap = picture.get_bitmap(render=False)
    pixels = bitmap.to_numpy()
    if bitmap.format == pdfium_c.FPDFBitmap_Gray:
        grey = pixels if pixels.ndim == 2 else pixels[:, :, 0]
    elif bitmap.format == pdfium_c.FPDFBitmap_BGR:
        grey = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY)
    elif bitmap.format in (pdfium_c.FPDFBitmap_BGRx, pdfium_c.FPDFBitmap_BGRA):
        grey = cv2.cvtColor(pixels, cv2.COLOR_BGRA2GRAY)
    else:
        return None
    return np.ascontiguousarray(grey)


_TOO_LARGE = Image.DecompressionBombError
_UNREADABLE = (OSError, ValueError, EOFError, SyntaxError)


def _header(path: str) -> Image.Image:
    """The image with its header read and no pixel decoded (Pillow opens lazily)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(path)


def _refused_by_size(ref: PageRef) -> str | None:
    """Why the page is not decoded at all: more pixels than a page may have, as its
    header says, or a header that cannot be read."""
    try:
        with _header(ref.file) as image:
            if ref.page > 1:
                image.seek(ref.page - 1)
            width, height = image.size
            pixels = width * height
    except _TOO_LARGE as exc:  # Pillow's own limit, far above ours: it names the count
        claimed = re.search(r"\(([0-9]+) pixels\)", str(exc))
        pixels = int(claimed.group(1)) if claimed else MAX_IMAGE_PIXELS + 1
    except _UNREADABLE:
        return None  # OpenCV reads some files Pillow does not; it decides
    if pixels > MAX_IMAGE_PIXELS:
        return (f"{pixels:,} pixels, more than the {MAX_IMAGE_PIXELS:,} a scanned page may "
                "have; scan at 300 dpi or less")
    return None


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
