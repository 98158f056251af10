"""Every limit examgen enforces, in one place: the command line, blueprints and the docs
read them from here, so a blueprint cannot ask for what a flag would refuse."""

from __future__ import annotations

# Whole-number settings of a build: name -> (lowest, highest); None means no upper bound.
SETTINGS: dict[str, tuple[int, int | None]] = {
    "variants": (1, 702),  # A ... ZZ
    "forms": (1, 50),
    "overlap": (0, None),
    "seed": (0, None),
    "copies": (1, 5000),  # numbered answer-sheet copies
}


def check_setting(name: str, value: int) -> str | None:
    """What is wrong with ``value`` for setting ``name``, or None when it is fine."""
    low, high = SETTINGS[name]
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        return f"'{name}' must be a whole number {bounds}, not {value}"
    return None

# The longest text one field may hold (a question text, an option, an answer, an
# explanation or a model answer): about four printed pages. A longer one is almost
# certainly a pasting accident, and would make a build run for minutes.
MAX_TEXT = 20_000

# The largest image, in pixels (50 megapixels: more than any phone camera). Larger files
# are refused before they are decoded, so a "decompression bomb" costs nothing.
MAX_IMAGE_PIXELS = 50_000_000

# Images are embedded at this resolution for the size they are printed at.
PRINT_DPI = 300
