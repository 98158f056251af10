"""How long loading and validating a large bank takes (target: 10,000 questions < 2 s)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bankgen import write_bank  # noqa: E402

from examgen.bank.loader import load_bank  # noqa: E402


def main() -> None:
    print(f"{'questions':>10} {'load s':>8} {'per 1k ms':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in (1_000, 10_000):
            folder = write_bank(Path(tmp) / str(count), count)
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                bank = load_bank(folder)
                best = min(best, time.perf_counter() - start)
            assert len(bank.questions) == count
            print(f"{count:>10} {best:>8.3f} {best / count * 1e6:>10.1f}")


if __name__ == "__main__":
    main()
