"""Formulas typeset as SVG by ziamath (the PDFs and the practice page draw them), and kept
on disk between runs: the slides, exams and keys of next week's lecture do not typeset the
same formulas again (ziamath takes about 40 ms a formula; reading its SVG back, under 1 ms).

The cache is the user's own folder (``$XDG_CACHE_HOME/examgen``, else ``~/.cache/
examgen``), named after the typesetter's version and this cache's format, so that a new
ziamath never reads an old picture. A folder that another user could write to is not used
(a planted picture would print a wrong formula), nor one that cannot be made; a picture
that does not read is typeset again. ``EXAMGEN_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from examgen.core.tex_spacing import with_nabla_kern, with_operator_spaces

FORMAT = 4  # raise when what is stored, or how it is typeset, changes
# The math fonts a layout may choose (fonts.math): DejaVu Math TeX Gyre, the math font of
# the DejaVu family the text prints in (its x-height and digits), shipped with examgen;
# or ziamath's own STIX Two Math (a Times-like serif).
MATH_FONTS = ("dejavu", "stix")
DEFAULT_MATH_FONT = "dejavu"
VIEWBOX = re.compile(r'viewBox="([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+)"')


def formula_svg(latex: str, size: float, display: bool, font: str = DEFAULT_MATH_FONT,
                fresh: bool = False) -> str:
    """The formula as SVG at ``size`` (inline or ``display``) in the math ``font``, from
    the cache unless ``fresh``: a picture the caller could not read is typeset again."""
    if not fresh:
        kept = cached_svg(latex, size, display, font)
        if kept is not None and VIEWBOX.search(kept):
            return kept
    svg = _typeset(latex, size, display, font)
    keep_svg(latex, size, display, font, svg)
    return svg


def math_font_file(font: str) -> Path | None:
    """The font file ziamath is given (None: its own STIX Two Math)."""
    if font not in MATH_FONTS:
        raise ValueError(f"unknown math font {font!r}; examgen has {', '.join(MATH_FONTS)}")
    if font == "stix":
        return None
    return Path(__file__).resolve().parent.parent / "fonts" / "DejaVuMathTeXGyre.ttf"


def _typeset(latex: str, size: float, display: bool, font: str) -> str:
    from ziamath.config import config
    from ziamath.zmath import Latex

    config.svg2 = False  # svglib places SVG 2 glyphs wrongly
    path = math_font_file(font)
    spaced = with_nabla_kern(with_operator_spaces(latex))
    return str(Latex(spaced, size=size, inline=not display, margin=0,
                     font=None if path is None else str(path)).svg())


@lru_cache(maxsize=1)
def cache_folder() -> Path | None:
    """The folder for this typesetter's pictures, or None when there is none to trust."""
    if os.environ.get("EXAMGEN_NO_CACHE"):
        return None
    from importlib.metadata import version  # not ziamath itself: half a second to import

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "examgen" / f"formulas-{FORMAT}-ziamath-{version('ziamath')}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        status = folder.stat()
    except OSError:
        return None
    if status.st_mode & 0o022 or (hasattr(os, "getuid") and status.st_uid != os.getuid()):
        return None
    return folder


def _path(folder: Path, latex: str, size: float, display: bool, font: str) -> Path:
    key = f"{latex}\0{size!r}\0{display}\0{font}".encode()
    return folder / f"{hashlib.sha256(key).hexdigest()}.svg"


def cached_svg(latex: str, size: float, display: bool, font: str) -> str | None:
    """The picture typeset earlier, if any."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        return _path(folder, latex, size, display, font).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def keep_svg(latex: str, size: float, display: bool, font: str, svg: str) -> None:
    """Keep a picture for the next run; written whole or not at all (parallel workers
    may keep the same one)."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp",
                                         delete=False) as f:
            f.write(svg)
        os.replace(f.name, _path(folder, latex, size, display, font))
    except OSError:
        try:
            os.unlink(f.name)
        except (OSError, NameError):
            pass
