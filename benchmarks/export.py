"""Export and import times for generated banks (targets: 10,000 questions to each format
under 3 s; importing a 10,000-question Moodle XML under 5 s), and the memory of importing
a file whose one question holds a 50 MB text (read as a stream: it should cost about the
limit of a question, 1 MB of text, not the file).

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


_PEAK = """
import resource, sys
from examgen.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def huge_text() -> None:
    """A quiz of three questions, the second with a 50 MB text: the whole import's time
    and peak memory (the 50 MB question is left out with a note)."""
    tags = ("<tags><tag><text>difficulty-easy</text></tag><tag><text>knowledge-recall</text>"
            "</tag></tags>")
    print(f"\n{'file MB':>8} {'import s':>9} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "huge.xml"
        with xml.open("w", encoding="utf-8") as f:
            f.write("<quiz>\n")
            # written a megabyte at a time: Linux keeps a process's peak memory across
            # exec, so a parent that held 50 MB would pass its peak on to the import
            for n, size in enumerate([1, 50, 1]):
                f.write(f'<question type="truefalse"><name><text>Q{n}</text></name>'
                        '<questiontext format="html"><text>')
                for _ in range(size):
                    f.write("x" * (1_000_000 if size > 1 else 9))
                f.write('</text></questiontext><answer fraction="100"><text>true</text>'
                        '</answer><answer fraction="0"><text>false</text></answer>'
                        f"{tags}</question>\n")
            f.write("</quiz>\n")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PEAK, "import", "moodle", str(xml),
                               "-o", str(Path(tmp) / "out")], check=True,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        peak = int(done.stdout.split()[-1])
        print(f"{xml.stat().st_size / 1e6:>8.0f} {seconds:>9.2f} {peak:>8}")


if __name__ == "__main__":
    main()
    huge_text()
