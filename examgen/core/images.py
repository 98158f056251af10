"""Images in the bank: checked when the bank is loaded, so a text file saved as .png, a
truncated file or a decompression bomb is a FILE:LINE problem, never a crash later."""

from __future__ import annotations

import warnings
from pathlib import Path

from examgen.core.limits import MAX_IMAGE_PIXELS


def image_problem(path: Path) -> str | None:
    """What is wrong with the image at ``path``, or None when it can be printed."""
    from PIL import Image, UnidentifiedImageError  # only banks with pictures pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return (f"is {width} x {height} pixels; the limit is "
                            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels: scale it down")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return (f"has more pixels than the limit of {MAX_IMAGE_PIXELS // 1_000_000} "
                "megapixels: scale it down")
    except UnidentifiedImageError:
        return "is not an image examgen can read (use PNG, JPEG or GIF)"
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or damaged
        return f"cannot be read ({exc}); save it again"
    return None
