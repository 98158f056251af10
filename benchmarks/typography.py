"""The typography check of issue 23 over many builds: every page of every exam, key,
print-shop file and key overview read back with PDFium (its text, and the boxes of its
text, path, picture and form objects) and counted for the defects a lecturer would not
sign. Prints one row per layout and kind of build.

    python benchmarks/typography.py [--seeds 40]

Counted per page: a page that holds only its footer (a blank back that says so is
counted apart, as deliberate); ink outside the text frame (beyond the margins, except the
footer's band); a footer cut with an ellipsis; in the German layout a number with a
decimal point; "1 pts." or "2 pt."; an inline formula whose space to the word beside it is
lost or doubled, or that stands apart from the punctuation after it
(``tests/pagecheck.py``). The sample bank is used, with 10 and 25 questions, 2 variants
or 3 forms; tests/test_typography.py checks the same on a few seeds in CI.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pagecheck import formula_spacing  # noqa: E402

MM = 72 / 25.4
BUILDS = {"10 questions, 2 variants": ["--total", "10", "--variants", "2"],
          "25 questions, 3 forms": ["--total", "25", "--forms", "3"]}


def _margins(layout: str) -> dict[str, float]:
    path = ROOT / "layouts" / layout / "layout.yaml"
    own = yaml.safe_load(path.read_text(encoding="utf-8")).get("margins")
    default = yaml.safe_load((ROOT / "layouts" / "default" / "layout.yaml")
                             .read_text(encoding="utf-8"))["margins"]
    return {k: float(v) * MM for k, v in {**default, **(own or {})}.items()}


def _labels(layout: str) -> dict[str, str]:
    default = yaml.safe_load((ROOT / "layouts" / "default" / "layout.yaml")
                             .read_text(encoding="utf-8"))["labels"]
    own = yaml.safe_load((ROOT / "layouts" / layout / "layout.yaml")
                         .read_text(encoding="utf-8")).get("labels") or {}
    return {**default, **own}


def _bounds(obj: object) -> tuple[float, float, float, float]:
    get = getattr(obj, "get_bounds", None) or obj.get_pos  # pypdfium2 5, 4
    return tuple(get())  # type: ignore[return-value]


def check_pdf(path: Path, layout: str, tally: Counter[str]) -> None:
    margins, labels = _margins(layout), _labels(layout)
    footer = re.compile("^" + re.escape(labels["page"]).replace(r"\{page\}", r"\d+")
                        .replace(r"\{pages\}", r"\d+") + "$")
    document = pdfium.PdfDocument(path)
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage().get_text_range()
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        tally["pages"] += 1
        if lines == [labels["blank_back"]]:
            tally["blank backs that say so"] += 1
            continue
        body = [line for line in lines if not footer.search(line)
                and not any(footer.match(part.strip()) for part in line.split("  "))]
        if not lines or all(footer.search(line) or len(line) < 3 for line in lines) or \
                not body:
            tally["pages with only a footer"] += 1
        band = margins["bottom"]  # the footer stands in the bottom margin
        for obj in page.get_objects(max_depth=3):
            if obj.type == pdfium.raw.FPDF_PAGEOBJ_FORM:
                continue  # its contents are visited
            left, bottom, right, top = _bounds(obj)
            if right - left > width - 1 and top - bottom > height - 1:
                continue  # a background the size of the page
            if left < margins["left"] - 1 or right > width - margins["right"] + 1 or \
                    top > height - margins["top"] + 1 or (bottom < band - 1 and
                                                          top > band + 1):
                tally["objects outside the text frame"] += 1
        if any("…" in line for line in lines if footer.search(line)):
            tally["footers cut"] += 1
        points = "|".join(re.escape(labels[k]) for k in ("point_abbr", "points_abbr"))
        if layout == "de":  # the layout's own numbers: points, a key's value (bank text,
            # which may say "0.1" in English, is printed as written)
            value = re.escape(labels["value"])
            tally["decimal points in German"] += sum(
                len(re.findall(rf"\d\.\d+ (?:{points})", line))
                + bool(re.match(rf"{value}: .*\d\.\d", line)) for line in lines)
        if labels["point_abbr"] != labels["points_abbr"]:  # German has one word for both
            one, many = (re.escape(labels[k]) for k in ("point_abbr", "points_abbr"))
            tally["wrong plurals"] += sum(len(re.findall(
                rf"(?<![\d.,])1 {many}|(?<![\d.,])(?:[02-9]|\d\d+|\d+[.,]\d+) {one}", line))
                for line in lines)
        tally["formula spaces off"] += len(formula_spacing(page))
        page.close()
    document.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=40)
    args = parser.parse_args()
    columns = ["pages", "pages with only a footer", "blank backs that say so",
               "objects outside the text frame", "footers cut", "decimal points in German",
               "wrong plurals", "formula spaces off"]
    print(f"{'layout':<8} {'builds':<26} {'PDFs':>5} " + " ".join(f"{c:>{len(c)}}"
                                                          for c in columns))
    with tempfile.TemporaryDirectory() as tmp:
        for layout in ("default", "de"):
            for name, build in BUILDS.items():
                tally: Counter[str] = Counter()
                pdfs = 0
                for seed in range(1, args.seeds + 1):
                    out = Path(tmp) / f"{layout}-{seed}-{len(build)}"
                    subprocess.run([sys.executable, "-m", "examgen", "build", "--bank",
                                    str(ROOT / "bank"), *build, "--seed", str(seed),
                                    "--layout", layout, "-o", str(out)], check=True,
                                   stdout=subprocess.DEVNULL, cwd=ROOT)
                    for pdf in sorted(out.glob("*.pdf")):
                        check_pdf(pdf, layout, tally)
                        pdfs += 1
                print(f"{layout:<8} {name:<26} {pdfs:>5} "
                      + " ".join(f"{tally[c]:>{len(c)}}" for c in columns))


if __name__ == "__main__":
    main()
