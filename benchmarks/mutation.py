"""Mutation testing of the modules that decide outcomes, as a table per module.

    python benchmarks/mutation.py            # run mutmut (resumes), then print the table
    python benchmarks/mutation.py --report   # only print the table of the last run

The modules are listed under [mutmut] only_mutate in setup.cfg. A mutant is killed when a
test fails (or runs into mutmut's time limit, which a real bug would too); it survives
when every test still passes. Not part of CI: a full run takes about an hour on 2 cores.
Surviving mutants judged harmless are listed with the reason in docs/testing.md.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.90  # killed share per module (issue 8)
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
LINE = re.compile(r"^\s*(?P<name>[\w.]+?)\.x[_ǁ].*__mutmut_\d+: (?P<status>.+)$")


def results() -> dict[str, Counter[str]]:
    """Status counts per module, from ``mutmut results --all true``."""
    out = subprocess.run(["mutmut", "results", "--all", "true"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            per_module[m["name"]][m["status"].strip()] += 1
    return per_module


def table(per_module: dict[str, Counter[str]]) -> tuple[str, bool]:
    rows = [f"{'module':<24}{'mutants':>8}{'killed':>8}{'survived':>9}{'no test':>8}"
            f"{'unrun':>7}{'killed %':>10}"]
    met = True
    for module in sorted(per_module):
        counts = per_module[module]
        killed = sum(counts[s] for s in KILLED)
        survived, untested = counts["survived"], counts["no tests"]
        unrun = counts["not checked"]
        judged = killed + survived + untested
        share = killed / judged if judged else 0.0
        met &= share >= TARGET and not unrun
        rows.append(f"{module:<24}{sum(counts.values()):>8}{killed:>8}{survived:>9}"
                    f"{untested:>8}{unrun:>7}{share:>9.1%}")
    return "\n".join(rows), met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only print the last run's table")
    args = parser.parse_args()
    if not args.report:
        subprocess.run(["mutmut", "run"], cwd=ROOT, check=False)
    text, met = table(results())
    print(text)
    print(f"\ntarget: at least {TARGET:.0%} killed in every module: "
          f"{'met' if met else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
