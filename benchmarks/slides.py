"""Quiz slides and the practice page for the whole sample bank (74 questions that can
stand together; 148 slides with the answer slides), timed as a lecturer runs them: a whole
process, start-up included, best of 3. Targets (issue 26): slides under 2 s, the practice
page under 1 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _best(command: str, out: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-m", "examgen", command, "--bank", str(ROOT / "bank"),
                "--total", "74", "--seed", "1", "-o", str(Path(tmp) / out)]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    for name, command, out, target in (
            ("slides (74 questions, 148 slides)", "slides", "slides.pdf", 2.0),
            ("practice page (74 questions)", "practice", "practice.html", 1.0)):
        best = _best(command, out)
        verdict = "met" if best < target else "NOT met"
        print(f"{name:<40}{best:>7.2f} s   target < {target:g} s: {verdict}")


if __name__ == "__main__":
    main()
