"""Quiz slides for the whole sample bank (74 questions that can stand together, 148
slides with the answer slides), timed as a lecturer runs it: a whole process, start-up
included, best of 3. Target (issue 26): under 2 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "examgen", "slides", "--bank", str(ROOT / "bank"),
                   "--total", "74", "--seed", "1", "-o", str(Path(tmp) / "slides.pdf")]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
    best = min(times)
    print(f"{'slides of the sample bank (74 questions, 148 slides)':<56}{best:>7.2f} s")
    print(f"target < 2 s: {'met' if best < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
