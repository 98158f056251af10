"""Bank images as printed: scaled to their box and embedded at print resolution, so a
24 MB phone photo adds a few hundred kilobytes to each PDF instead of 24 MB."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image as PILImage
from reportlab.platypus import Image

from examgen.core.limits import PRINT_DPI

_SLACK = 1.25  # an image this close to print resolution is embedded as it is


def printable(path: Path, max_width: float, max_height: float) -> Image:
    """A flowable of at most ``max_width`` x ``max_height`` points (never enlarged)."""
    data, width, height = _prepared(str(path), path.stat().st_mtime_ns, max_width, max_height)
    image = Image(io.BytesIO(data), width=width, height=height)
    image.hAlign = "LEFT"
    return image


@lru_cache(maxsize=32)
def _prepared(path: str, mtime: int, max_width: float, max_height: float
              ) -> tuple[bytes, float, float]:
    """The bytes to embed and the printed size; once per image and size in a process."""
    with PILImage.open(path) as source:
        pixels_wide, pixels_high = source.size  # printed at 72 dpi unless scaled down
        scale = min(1.0, max_width / pixels_wide, max_height / pixels_high)
        width, height = pixels_wide * scale, pixels_high * scale
        target = (max(1, round(width / 72 * PRINT_DPI)), max(1, round(height / 72 * PRINT_DPI)))
        if pixels_wide <= target[0] * _SLACK:
            return Path(path).read_bytes(), width, height
        photo = source.format == "JPEG" or (source.mode == "RGB" and pixels_wide > 1000)
        resized = source.convert("RGB" if photo else "RGBA").resize(
            target, PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    if photo:
        resized.save(out, "JPEG", quality=88, optimize=True)
    else:
        resized.save(out, "PNG", optimize=True)
    return out.getvalue(), width, height
