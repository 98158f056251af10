"""Export and import times for generated banks (targets: 10,000 questions to each format
under 3 s; importing a 10,000-question Moodle XML under 5 s).

For comparison, R/exams needs 1.5 s for 40 questions and 38 s for 1,200.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bankgen import write_bank  # noqa: E402

from examgen.bank.loader import load_bank  # noqa: E402
from examgen.formats.gift import to_gift  # noqa: E402
from examgen.formats.moodle_xml import to_moodle_xml  # noqa: E402
from examgen.formats.qti import to_qti  # noqa: E402


def main() -> None:
    print(f"{'questions':>10} {'export s':>9} {'examgen export moodle s':>24} {'MB':>6} "
          f"{'gift s':>7} {'qti s':>6} {'examgen export qti s':>21} "
          f"{'examgen import moodle s':>24}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in (40, 1_200, 10_000):
            folder = write_bank(Path(tmp) / f"bank{count}", count)
            bank = load_bank(folder)
            start = time.perf_counter()
            xml = to_moodle_xml(list(bank.questions), "bench")
            export = time.perf_counter() - start
            out = Path(tmp) / f"moodle{count}.xml"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "examgen", "export", "moodle", "--bank",
                            str(folder), "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
            whole = time.perf_counter() - start
            start = time.perf_counter()
            to_gift(list(bank.questions), "bench")
            gift = time.perf_counter() - start
            start = time.perf_counter()
            to_qti(list(bank.questions)).zip_bytes()
            qti = time.perf_counter() - start
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "examgen", "export", "qti", "--bank",
                            str(folder), "-o", str(Path(tmp) / f"qti{count}.zip")],
                           check=True, stdout=subprocess.DEVNULL)
            qti_whole = time.perf_counter() - start
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "examgen", "import", "moodle", str(out),
                            "-o", str(Path(tmp) / f"imported{count}")], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            back = time.perf_counter() - start
            print(f"{count:>10} {export:>9.3f} {whole:>24.2f} {len(xml) / 1e6:>6.1f} "
                  f"{gift:>7.3f} {qti:>6.2f} {qti_whole:>21.2f} {back:>24.2f}")


if __name__ == "__main__":
    main()
