"""Quiz slides and the practice page for the whole sample bank (74 questions that can
stand together; 148 slides with the answer slides), timed as a lecturer runs them: a whole
process, start-up included: the first run (an empty formula cache: every formula typeset)
and the best of 3 after it (formulas read from the cache, as for the lecturer who builds
next week's slides). Targets (issue 26): slides under 2 s, the practice page under 1 s.

As installed: with compiled bytecode (this sandbox sets PYTHONDONTWRITEBYTECODE, which the
runs here unset, as benchmarks/render.py does).
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _times(command: str, out: str) -> tuple[float, float]:
    """(cold, warm): the first run with an empty formula cache, then the best of 3."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-m", "examgen", command, "--bank", str(ROOT / "bank"),
                "--total", "74", "--seed", "1", "-o", str(Path(tmp) / out)]
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        env.pop("EXAMGEN_NO_CACHE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        times = []
        for _ in range(4):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True, cwd=ROOT, env=env)
            times.append(time.perf_counter() - start)
    return times[0], min(times[1:])


def main() -> None:
    compileall.compile_dir(ROOT / "examgen", quiet=1)
    print(f"{'':<40}{'first run':>10}{'again':>8}   (formulas typeset, then read from "
          "the cache)")
    for name, command, out, target in (
            ("slides (74 questions, 148 slides)", "slides", "slides.pdf", 2.0),
            ("practice page (74 questions)", "practice", "practice.html", 1.0)):
        cold, warm = _times(command, out)
        verdict = "met" if warm < target else "NOT met"
        print(f"{name:<40}{cold:>9.2f}s{warm:>7.2f}s   target < {target:g} s: {verdict}")


if __name__ == "__main__":
    main()
