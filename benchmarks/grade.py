"""Reading simulated scans: how many marks are read right, flagged, or silently wrong, and
how fast (targets: zero wrong on every profile; scanner-like at least 99.5 % read without
review; at least 10 sheets per second on 2 cores at 200 dpi).

    python benchmarks/grade.py [--sheets 500]

Builds a 24-question exam of every type from the sample bank with answer sheets, fills
and distorts them with tests/scansim.py (scanner: up to 3 degrees, 150-300 dpi; phone: up
to 5 degrees, perspective, uneven light, grey paper, JPEG 60, dog-eared corners; felt-tip:
marks of 0.9-1.6 mm; black-and-white: a 1-bit scanner thresholding at 140-180, a tenth of
the marks in light pencil), grades them with examgen's reader and compares every box with
the truth. Where auto-multiple-choice is installed, its ``analyse`` reads as many sheets of
its own, marked and scanned by the same simulator (benchmarks/amc_sheets.py), side by side
with ``examgen grade``, both as whole processes. A pencil mark lost to the threshold cannot
be read by anyone; the reader warns about such pages, and the row counts those marks as
wrong all the same.
"""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import amc_sheets  # noqa: E402

from examgen.bank.loader import load_bank  # noqa: E402
from examgen.grade.grading import grade  # noqa: E402
from examgen.select.manifest import exams_from_manifest, read_manifest  # noqa: E402
from tests.scansim import (  # noqa: E402
    BLACK_AND_WHITE,
    FELT_TIP,
    PHONE,
    SCANNER,
    Profile,
    evaluate,
    load_plan,
    simulate,
)

AT_200 = Profile("scanner, 200 dpi", 3.0, 0.02, 0.0, 0.6, 3.0, 0.0, (235, 255), 90, (200,),
                 0.03, 0.0)


def _simulate(job: tuple[Path, Path, Profile, int, list[int], bool]) -> dict:
    manifest, folder, profile, seed, copies, as_pdf = job
    return simulate(manifest, manifest.parent / "sheets.pdf", folder, profile, seed, copies,
                    as_pdf)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheets", type=int, default=500)
    args = parser.parse_args()
    print(f"{'profile':<18} {'input':<6} {'sheets':>6} {'boxes':>7} {'right %':>8} "
          f"{'flagged':>7} {'flagged %':>9} {'wrong':>5} {'questions flagged %':>19} "
          f"{'numbers flagged':>15} {'sheets/s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "exam"
        subprocess.run([sys.executable, "-m", "examgen", "build", "--bank", str(ROOT / "bank"),
                        "--total", "24", "--seed", "11", "--variants", "4", "--sheet",
                        "--copies", str(args.sheets), "-o", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
        manifest = out / "exam.json"
        plan = load_plan(manifest)
        read = read_manifest(manifest)
        exams = exams_from_manifest(read, load_bank(Path(read.bank_path)))
        for profile, as_pdf in ((SCANNER, False), (AT_200, True), (PHONE, False),
                                (FELT_TIP, False), (BLACK_AND_WHITE, False)):
            folder = Path(tmp) / f"scans-{profile.name}-{as_pdf}"
            numbers = [c.number for c in plan.copies]
            chunks = [numbers[k::8] for k in range(8)]
            with multiprocessing.get_context("fork").Pool(2) as pool:
                parts = pool.map(_simulate, [(manifest, folder, profile, 100 + k, chunk, as_pdf)
                                             for k, chunk in enumerate(chunks)])
            truths = {k: v for part in parts for k, v in part.items()}
            start = time.perf_counter()
            result = grade([folder], plan, exams, plan.scoring, workers=2)
            seconds = time.perf_counter() - start
            tally = evaluate(result, plan, truths)
            print(f"{profile.name:<18} {'PDF' if as_pdf else 'image':<6} {len(truths):>6} "
                  f"{tally.total:>7} {100 * tally.right / tally.total:>8.3f} "
                  f"{tally.flagged:>7} {100 * tally.flagged / tally.total:>9.2f} "
                  f"{tally.wrong:>5} "
                  f"{100 * tally.questions_flagged / max(tally.questions, 1):>19.2f} "
                  f"{tally.numbers_flagged:>6} of {tally.numbers:<5} "
                  f"{len(truths) / seconds:>8.1f}")
            for line in tally.wrong_marks[:10]:
                print("   wrong:", line)
            if profile is SCANNER:
                scanner_folder = folder
        _side_by_side(Path(tmp), manifest, scanner_folder, min(args.sheets, SIDE_BY_SIDE))


SIDE_BY_SIDE = 100  # sheets each tool reads in the comparison


def _side_by_side(tmp: Path, manifest: Path, scans: Path, sheets: int) -> None:
    """examgen grade and auto-multiple-choice's analyse, each as a whole process on two
    cores, on ``sheets`` scanner-like answer sheets of their own (the same simulator marks
    and distorts both)."""
    if not amc_sheets.available():
        print("\nauto-multiple-choice is not installed: no side-by-side comparison")
        return
    mine = tmp / "side-by-side"
    mine.mkdir()
    for path in sorted(scans.iterdir())[:sheets]:
        (mine / path.name).write_bytes(path.read_bytes())
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "examgen", "grade", str(mine), "--manifest",
                    str(manifest), "-o", str(tmp / "side-by-side-out")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ours = time.perf_counter() - start
    project = amc_sheets.prepare(tmp / "amc", sheets)
    theirs, recognised = amc_sheets.analyse(project, amc_sheets.scan(project, 7))
    print(f"\nside by side, {sheets} scanner-like sheets each, whole processes on 2 cores "
          "(target: examgen at least 3x as fast)")
    print(f"  examgen grade                 {ours:>6.2f} s  {sheets / ours:>5.1f} sheets/s")
    print(f"  auto-multiple-choice analyse  {theirs:>6.2f} s  {sheets / theirs:>5.1f} sheets/s"
          f"  ({recognised} of {sheets} pages recognised)")
    print(f"  ratio {theirs / ours:.1f}x: {'met' if theirs / ours >= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
