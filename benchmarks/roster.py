"""What a class list costs a build: 500 copies with answer sheets, anonymous (numbered)
against named (a roster of 500 students, name and number printed on each sheet) and
seated (the same roster in a 25x20 room, variants by seat). Target (issue 27): named
within 1.2x of anonymous. Best of 2 runs each, in one process (the library API).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examgen.api import BuildSettings, build_exam  # noqa: E402
from examgen.bank.loader import load_bank  # noqa: E402

STUDENTS = 500
ROOT = Path(__file__).resolve().parent.parent


def _best(bank, settings: BuildSettings) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(2):
        start = time.perf_counter()
        build_exam(bank, {"total": 20}, settings)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    bank = load_bank(ROOT / "bank")
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "students.csv"
        roster.write_text("First name,Last name,ID number,Email address\n" + "".join(
            f"Vorname{n},Müller-Lüdenscheidt{n},{20000000 + n},s{n}@uni.example\n"
            for n in range(STUDENTS)), encoding="utf-8")
        anonymous = _best(bank, BuildSettings(seed=3, variants=2, sheet=True,
                                              copies=STUDENTS))
        named = _best(bank, BuildSettings(seed=3, variants=2, sheet=True,
                                          roster=str(roster)))
        seated = _best(bank, BuildSettings(seed=3, variants=2, sheet=True,
                                           roster=str(roster), seating="25x20",
                                           neighbours=4))
    print(f"{STUDENTS} copies with answer sheets, 20 questions, 2 variants (best of 2)")
    print(f"{'build':<30}{'seconds':>9}{'ratio':>8}")
    for name, seconds in (("anonymous (--copies 500)", anonymous),
                          ("named (--roster)", named), ("named and seated", seated)):
        print(f"{name:<30}{seconds:>9.2f}{seconds / anonymous:>8.2f}")
    print(f"target: named <= 1.2x anonymous: {'met' if named <= 1.2 * anonymous else 'NOT met'}")


if __name__ == "__main__":
    main()
