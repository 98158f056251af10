"""Grading paper exams from scans of examgen's answer sheets (``examgen grade``)."""

from __future__ import annotations

from importlib.util import find_spec

from examgen.core.errors import ExamgenError

# What reading scans needs beyond examgen itself: the 'grade' extra of the package.
SCAN_READERS = {"cv2": "opencv-python-headless", "zxingcpp": "zxing-cpp"}


class MissingExtraError(ExamgenError):
    """An optional part examgen needs for this command is not installed."""

    exit_code = 1


def require_scan_readers() -> None:
    """Raise, saying how to install them, when the scan readers are missing."""
    missing = [package for module, package in SCAN_READERS.items() if find_spec(module) is None]
    if missing:
        raise MissingExtraError(
            f"examgen grade reads scans with {' and '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed; install "
            f"{'it' if len(missing) == 1 else 'them'} with: pip install 'examgen[grade]'")
