"""examgen grade end to end: answer sheets built, filled and scanned by the simulator,
graded from the command line, and every result compared with what the simulated students
meant. The expected points are computed here from the YAML's correct options, not by
examgen's scoring."""

from __future__ import annotations

import csv
import json
import os
import shutil
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from examgen.cli import main
from examgen.core.sheet_geometry import BOX as BOX_SIDE
from examgen.grade.scans import scanned_picture
from tests.oracle import matching_score, read_bank
from tests.scansim import PHONE, SCANNER, Truth, encode, load_plan, simulate

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.scans  # slow: mutation runs leave them out (unit tests in test_scoring)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def exam(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exam")
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "14", "--seed", "11",
                        "--variants", "2", "--sheet", "--copies", "7", "--scoring",
                        "all-or-nothing", "-o", out)
    assert code == 0, output
    return out


@pytest.fixture(scope="module")
def scans(exam, tmp_path_factory) -> tuple[Path, dict[int, Truth]]:
    folder = tmp_path_factory.mktemp("scans")
    truths = simulate(exam / "exam.json", exam / "sheets.pdf", folder, SCANNER, 3,
                      copies=[1, 2, 3, 4])
    truths |= simulate(exam / "exam.json", exam / "sheets.pdf", folder, SCANNER, 4,
                       copies=[5], as_pdf=True)
    truths |= simulate(exam / "exam.json", exam / "sheets.pdf", folder, PHONE, 5, copies=[6])
    return folder, truths


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _draws_of_copy(manifest: dict, copy: int) -> dict[str, dict]:
    """The parametrised questions' values of a copy's variant, as exam.json records them:
    each copy is scored with its own key."""
    variant = next(v for n, _, v in manifest["sheets"]["copies"] if n == copy)
    return next(v for v in manifest["variants"] if v["name"] == variant).get("values", {})


def _expected_points(exam: Path, truth: Truth) -> dict[str, float]:
    """Points per question from the YAML's own answers (all-or-nothing), read by the test
    oracle, not by examgen: a box's value is the option's index in the bank."""
    manifest = json.loads((exam / "exam.json").read_text())
    bank = read_bank(ROOT / "bank", _draws_of_copy(manifest, truth.copy))
    out = {}
    for q in manifest["questions"]:
        source, ticked = bank[q["id"]], truth.ticked.get(q["id"], set())
        if source.type in ("single", "multiple"):
            correct = {str(i) for i, (_, right) in enumerate(source.options) if right}
            out[q["id"]] = float(source.points) if ticked == correct else 0.0
        elif source.type == "truefalse":
            answer = "true" if source.answer else "false"
            out[q["id"]] = float(source.points) if ticked == {answer} else 0.0
        elif source.type == "matching":
            out[q["id"]] = matching_score(source, ticked)[0]
        else:  # the grader ticked a score box
            out[q["id"]] = float(next(iter(ticked)))
    return out


def test_sheets_are_drawn_for_every_copy_with_its_variant(exam):
    plan = load_plan(exam / "exam.json")
    assert [(c.number, c.variant) for c in plan.copies] == [
        (1, "A"), (2, "B"), (3, "A"), (4, "B"), (5, "A"), (6, "B"), (7, "A")]
    from pypdf import PdfReader

    reader = PdfReader(exam / "sheets.pdf")
    pages = sum(len(plan.layouts[c.key].pages) for c in plan.copies)
    assert len(reader.pages) == pages
    text = reader.pages[1].extract_text()
    assert "Copy 2" in text and "Variant B" in text and "Student number" in text


def test_marker_cells_are_opencvs_aruco_markers():
    from examgen.core.sheet_geometry import MARKER_CELLS

    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    for marker, cells in enumerate(MARKER_CELLS):
        image = cv2.aruco.generateImageMarker(dictionary, marker, 6)
        assert cells == "".join("1" if v == 0 else "0" for v in image.ravel())


def test_graded_points_equal_what_the_students_meant(exam, scans, tmp_path):
    folder, truths = scans
    code, output = _run("grade", folder, "--manifest", exam / "exam.json", "-o", tmp_path)
    assert code == 0, output
    assert "graded 6 sheets from 6 pages" in output
    rows = {int(r["copy"]): r for r in _rows(tmp_path / "results.csv")}
    assert set(rows) == set(truths)
    review = _rows(tmp_path / "review.csv")
    flagged = {(int(r["copy"]), r["item"]) for r in review}
    for number, truth in truths.items():
        row = rows[number]
        expected = _expected_points(exam, truth)
        if not any(copy == number for copy, _ in flagged):
            assert row["student"] == truth.student
            assert row["status"] == "ok"
            assert float(row["total"]) == pytest.approx(sum(expected.values()))
        for qid, points in expected.items():
            if (number, qid) not in flagged:
                assert float(row[qid]) == pytest.approx(points), (number, qid)
    scanner_flags = [f for f in flagged if f[0] != 6]
    assert scanner_flags == [], f"scanner-like pages read in full: {review}"
    assert (tmp_path / "review.html").read_text().startswith("<!doctype html>")
    annotated = sorted(p.name for p in (tmp_path / "annotated").iterdir())
    assert len(annotated) == 6 and f"{truths[1].student}.pdf" in annotated
    again = tmp_path / "again"  # the same scans give the same files, byte for byte
    code, output = _run("grade", folder, "--manifest", exam / "exam.json", "-o", again)
    assert code == 0, output
    for name in ["results.csv", "responses.csv", *(f"annotated/{a}" for a in annotated)]:
        assert (again / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_responses_name_bank_options_not_printed_letters(exam, scans, tmp_path):
    folder, truths = scans
    _run("grade", folder, "--manifest", exam / "exam.json", "-o", tmp_path)
    manifest = json.loads((exam / "exam.json").read_text())
    types = {q["id"]: q["type"] for q in manifest["questions"]}
    seen_b = False
    for row in _rows(tmp_path / "responses.csv"):
        truth = truths[int(row["copy"])]
        if row["status"] == "review":
            continue
        ticked = truth.ticked.get(row["question"], set())
        if types[row["question"]] in ("single", "multiple"):
            letters = ";".join("abcdefghij"[int(v)] for v in sorted(ticked, key=int))
            assert row["response"] == letters
            seen_b |= row["variant"] == "B"
        elif types[row["question"]] == "truefalse":
            assert row["response"] == ";".join(sorted(ticked))
    assert seen_b, "variant B shuffles options: its responses must be mapped back"


def test_decisions_from_the_review_file_close_every_open_mark(exam, scans, tmp_path):
    folder, truths = scans
    first = tmp_path / "first"
    # hide copy 1's answer to a question under a smudge the reader cannot decide
    smudged = tmp_path / "smudged"
    shutil.copytree(folder, smudged)
    plan = load_plan(exam / "exam.json")
    page = plan.layouts["A"].pages[0]
    row = page.rows[0]
    (scan,) = smudged.glob("copy-0001-p1.*")
    image = cv2.imread(str(scan), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    data, suffix = encode(_smudged(image, page, row.item), SCANNER)
    scan.unlink()
    scan.with_suffix(suffix).write_bytes(data)
    code, output = _run("grade", smudged, "--manifest", exam / "exam.json", "-o", first)
    assert code == 0, output
    review = _rows(first / "review.csv")
    assert any(r["copy"] == "1" and r["item"] == row.item for r in review), review
    results = {r["copy"]: r for r in _rows(first / "results.csv")}
    assert results["1"]["total"] == "" and results["1"]["status"].startswith("review")
    # a person looks at the crop and writes what the student meant
    labels = {b.value: b.label for b in page.boxes if b.item == row.item}
    decisions = first / "decided.csv"
    with decisions.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(review[0]))
        writer.writeheader()
        for r in review:
            truth = truths[int(r["copy"])]
            if r["item"] == "student":
                r["decision"] = truth.student
            elif r["item"] != "page":
                meant = truth.ticked.get(r["item"], set())
                r["decision"] = " ".join(labels.get(v, v) for v in meant) or "-"
            writer.writerow(r)
    second = tmp_path / "second"
    code, output = _run("grade", smudged, "--manifest", exam / "exam.json", "-o", second,
                        "--overrides", decisions)
    assert code == 0, output
    results = {r["copy"]: r for r in _rows(second / "results.csv")}
    expected = _expected_points(exam, truths[1])
    assert float(results["1"]["total"]) == pytest.approx(sum(expected.values()))
    # a decision that names no box of the question is refused at its line
    bad = tmp_path / "bad.csv"
    bad.write_text(f"copy,item,decision\n1,{row.item},zz\n")
    code, output = _run("grade", smudged, "--manifest", exam / "exam.json", "-o",
                        tmp_path / "third", "--overrides", bad)
    assert code == 2 and f"{bad}:2: 'zz' is not a box of this question" in output
    # decisions for a copy or a question the exam does not have are never dropped silently
    for line, message in ((f"9999,{row.item},a", "copy 9999 is not in"),
                          ("1,no-such-question,a", "copy 1 has no question 'no-such-question'"),
                          (f"1,{row.item}," + "a" * 200_000, "a cell holds at most 131,072")):
        bad.write_text(f"copy,item,decision\n{line}\n")
        code, output = _run("grade", smudged, "--manifest", exam / "exam.json", "-o",
                            tmp_path / "fourth", "--overrides", bad)
        assert code == 2 and f"{bad}:2: " in output and message in output, output
        assert not (tmp_path / "fourth").exists()


def _smudged(image: np.ndarray, page, item: str) -> np.ndarray:
    """A faint grey smudge over the row's boxes: neither empty nor a mark. Drawn on the
    page as the reader maps it, which then serves as the scan (it maps onto itself)."""
    from examgen.core.sheet_geometry import BOX
    from examgen.grade.read import SCALE, locate

    located = locate(image, page)
    assert not isinstance(located, str)
    mapped = located.image.copy()
    for box in page.boxes:
        if box.item == item:
            x0 = int((box.x + 1.2) * SCALE)
            y0 = int((page.height - box.y - BOX + 1.2) * SCALE)
            side = int((BOX - 2.4) * SCALE)
            mapped[y0:y0 + side, x0:x0 + side] = (mapped[y0:y0 + side, x0:x0 + side]
                                                  * 0.93).astype(np.uint8)
    return mapped


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` grey pixels and holds none of them."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _tiff(sizes: list[tuple[int, int]]) -> bytes:
    """A grey TIFF whose pages claim these sizes; only the first 64 bytes of pixels are
    there (white), enough for a small page."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    pixels = len(out) + sum(2 + 8 * 12 + 4 for _ in sizes)
    for n, (width, height) in enumerate(sizes):
        tags = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                (273, 4, pixels), (278, 4, height), (279, 4, width * height)]
        out += struct.pack("<H", len(tags))
        for tag, kind, value in tags:
            out += struct.pack("<HHII", tag, kind, 1, value)
        last = n == len(sizes) - 1
        out += struct.pack("<I", 0 if last else len(out) + 4)
    return bytes(out + b"\xff" * 64)


def test_qr_fields_are_ascii_digits_only():
    from examgen.core.sheet_geometry import parse_qr

    assert parse_qr("EXAMGEN1/abc/\u00b2/A/1") is None
    assert parse_qr("EXAMGEN1/abc/\u0663/A/1") is None  # an Arabic-Indic three
    assert parse_qr("EXAMGEN1/abc/12/A/1") == ("abc", 12, "A", 1)


def test_bad_pages_are_named_and_the_good_ones_still_graded(exam, scans, tmp_path):
    folder, _ = scans
    pile = tmp_path / "pile"
    shutil.copytree(folder, pile)
    (pile / "notes.png").write_bytes(b"not an image at all")
    (pile / "empty.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (pile / "zero.png").write_bytes(b"")
    (pile / "zero.jpg").write_bytes(b"")
    (pile / "huge.png").write_bytes(_png_header(30_000, 30_000))  # 106 bytes, 900 MP
    (pile / "pages.tif").write_bytes(_tiff([(8, 8), (20_000, 20_000)]))  # page 2: 400 MP
    blank = np.full((2339, 1654), 255, np.uint8)
    blank[1000:1003, 200:260] = 120  # a speck of show-through
    cv2.imwrite(str(pile / "blank.png"), blank)
    (first,) = pile.glob("copy-0002-p1.*")
    shutil.copy(first, pile / "copy-0002-again.jpg")
    code, output = _run("grade", pile, "--manifest", exam / "exam.json", "-o",
                        tmp_path / "out")
    assert code == 1  # something was left out; the rest is graded and written
    assert "notes.png, page 1: not a readable image" in output
    assert "empty.pdf, page 1: not a readable PDF" in output or \
        "empty.pdf, page 1: the PDF has no pages" in output
    assert "zero.png, page 1: not a readable image" in output
    assert "zero.jpg, page 1: not a readable image" in output
    assert ("huge.png, page 1: 900,000,000 pixels, more than the 50,000,000 a scanned "
            "page may have") in output
    assert "pages.tif, page 2: 400,000,000 pixels, more than" in output
    assert "blank page(s) left out: " in output and "blank.png, page 1" in output
    assert "pages.tif, page 1" in output.split("blank page(s) left out: ")[1]
    assert "blank.png, page 1: the corner markers" not in output
    assert "Traceback" not in output
    rows = _rows(tmp_path / "out" / "results.csv")
    assert len(rows) == 6, "the good pages are graded all the same"
    (alike,) = [line for line in output.splitlines() if "scanned twice and read alike" in line]
    assert alike.startswith("1 page(s) scanned twice") and "copy-0002-again.jpg" in alike


def test_a_page_of_another_exam_is_refused(exam, tmp_path):
    other = tmp_path / "other"
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "14", "--seed", "12",
                        "--sheet", "--copies", "1", "-o", other)
    assert code == 0, output
    simulate(other / "exam.json", other / "sheets.pdf", tmp_path / "scans", SCANNER, 1)
    code, output = _run("grade", tmp_path / "scans", "--manifest", exam / "exam.json", "-o",
                        tmp_path / "out")
    assert code == 1
    assert "belongs to another exam" in output and "refused" in output


def test_an_exam_without_sheets_says_how_to_get_them(tmp_path):
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "3", "--seed", "1",
                        "--no-pdf", "-o", tmp_path)
    assert code == 0
    (tmp_path / "x.png").write_bytes(b"")
    code, output = _run("grade", tmp_path / "x.png", "--manifest", tmp_path / "exam.json")
    assert code == 2 and "build it with --sheet" in output


def test_copies_need_sheets(tmp_path):
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "3", "--copies", "4",
                        "-o", tmp_path)
    assert code == 2 and "--copies numbers answer sheets: add --sheet" in output


def test_upside_down_unreadable_code_and_a_scale(exam, scans, tmp_path):
    folder, truths = scans
    pile = tmp_path / "pile"
    pile.mkdir()
    for number in (1, 2):
        (scan,) = folder.glob(f"copy-{number:04d}-p1.*")
        image = cv2.imread(str(scan), cv2.IMREAD_GRAYSCALE)
        assert image is not None
        if number == 1:
            image = cv2.rotate(image, cv2.ROTATE_180)  # fed into the scanner the wrong way
        else:  # a sticker over the top right corner: the QR code and one marker
            image[:int(image.shape[0] * 0.2), image.shape[1] // 2:] = 255
        cv2.imwrite(str(pile / f"scan-{number}.png"), image)
    scale = tmp_path / "scale.txt"
    scale.write_text("0% 5.0\n50% 4.0\n100% 1.0\n")
    code, output = _run("grade", pile, "--manifest", exam / "exam.json", "-o",
                        tmp_path / "out", "--scale", scale)
    assert code == 1  # a page left out, the rest graded
    assert "scan-2.png, page 1: the QR code is unreadable: which copy is this?" in output
    (row,) = _rows(tmp_path / "out" / "results.csv")
    assert row["copy"] == "1" and row["student"] == truths[1].student
    expected = sum(_expected_points(exam, truths[1]).values())
    assert float(row["total"]) == pytest.approx(expected)
    maximum = float(row["max"])
    assert row["grade"] == ("1.0" if expected == maximum else "4.0" if expected >= maximum / 2
                            else "5.0")


@pytest.fixture(scope="module")
def long_exam(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("long")
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "60", "--seed", "3",
                        "--sheet", "--copies", "2", "--layout", "de", "-o", out)
    assert code == 0, output
    return out


def test_a_two_page_sheet_with_a_page_missing(long_exam, tmp_path):
    plan = load_plan(long_exam / "exam.json")
    assert len(plan.layouts["A"].pages) == 2
    from pypdf import PdfReader

    text = PdfReader(long_exam / "sheets.pdf").pages[0].extract_text()
    assert "Antwortbogen" in text and "Matrikelnummer" in text and "Exemplar 1" in text
    truths = simulate(long_exam / "exam.json", long_exam / "sheets.pdf", tmp_path / "scans",
                      SCANNER, 8)
    (tmp_path / "scans" / "copy-0002-p2.jpg").unlink()
    code, output = _run("grade", tmp_path / "scans", "--manifest", long_exam / "exam.json",
                        "-o", tmp_path / "out")
    assert code == 0, output
    rows = {r["copy"]: r for r in _rows(tmp_path / "out" / "results.csv")}
    assert rows["1"]["status"] == "ok"
    assert float(rows["1"]["total"]) == pytest.approx(  # results.csv: 4 decimals
        sum(_expected_long(long_exam, truths[1]).values()), abs=5e-5)
    assert rows["2"]["status"].startswith("review") and rows["2"]["total"] == ""
    review = _rows(tmp_path / "out" / "review.csv")
    assert any(r["copy"] == "2" and r["problem"] == "page 2 of copy 2 was not scanned"
               for r in review)


def _expected_long(exam: Path, truth: Truth) -> dict[str, float]:
    """The moodle scheme (the default) only differs for multiple-response questions; those
    are computed from Moodle's own sums, as test_scoring checks them."""
    manifest = json.loads((exam / "exam.json").read_text())
    bank = read_bank(ROOT / "bank", _draws_of_copy(manifest, truth.copy))
    out = _expected_points(exam, truth)
    for qid, source in bank.items():
        if qid in out and source.type == "multiple":
            right = sum(1 for _, c in source.options if c)
            wrong = len(source.options) - right
            gain = 1 / right
            loss = {1: 1.0, 2: 0.5, 3: 0.3333333, 4: 0.25, 5: 0.2}[wrong] if wrong else 0
            ticked = truth.ticked.get(qid, set())
            total = sum(gain if source.options[int(v)][1] else -loss for v in ticked)
            out[qid] = float(source.points) * min(1.0, max(0.0, total))
    return out


def test_a_page_of_mostly_ticked_boxes_is_not_taken_for_blank(exam):
    """The blank level comes from the lightest boxes, bounded: ticks stay ticks even
    when nearly every box on the page is ticked."""
    import numpy as np

    from examgen.grade.read import State, locate, measure
    from tests.scansim import RENDER_DPI, _mark, render

    plan = load_plan(exam / "exam.json")
    page = plan.layouts["A"].pages[0]
    image = render(exam / "sheets.pdf")[0]
    px = RENDER_DPI / 72
    rng = np.random.default_rng(1)
    for box in page.boxes:
        _mark(image, "cross", box.x * px, (page.height - box.y - BOX_SIDE) * px,
              BOX_SIDE * px, rng)
    located = locate(image, page)
    assert not isinstance(located, str)
    assert {r.state for r in measure(located, page)} == {State.TICKED}


def test_a_multi_page_tiff_is_read_page_by_page(exam, scans, tmp_path):
    from PIL import Image

    folder, truths = scans
    pages = [Image.open(next(folder.glob(f"copy-000{n}-p1.*"))).convert("L") for n in (1, 2)]
    tiff = tmp_path / "pile.tiff"
    pages[0].save(tiff, save_all=True, append_images=pages[1:])
    code, output = _run("grade", tiff, "--manifest", exam / "exam.json", "-o", tmp_path / "o")
    assert code == 0, output
    rows = {r["copy"]: r for r in _rows(tmp_path / "o" / "results.csv")}
    assert {c: r["student"] for c, r in rows.items()} == {"1": truths[1].student,
                                                          "2": truths[2].student}


def test_without_the_grade_extra_grade_says_how_to_install_it(monkeypatch, tmp_path):
    import examgen.grade

    monkeypatch.setattr(examgen.grade, "find_spec",
                        lambda name: None if name == "cv2" else object())
    result = CliRunner().invoke(main, ["grade", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == ("Error: examgen grade reads scans with opencv-python-headless, "
                             "which is not installed; install it with: pip install "
                             "'examgen[grade]'\n")


def test_the_output_folder_is_treated_with_care(exam, scans, tmp_path):
    folder, _ = scans
    out = tmp_path / "results"
    code, output = _run("grade", folder, "--manifest", exam / "exam.json", "-o", out)
    assert code == 0, output
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # another exam's results are not replaced without --force
    other = tmp_path / "other"
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "6", "--seed", "12",
                        "--sheet", "--copies", "1", "-o", other)
    assert code == 0, output
    simulate(other / "exam.json", other / "sheets.pdf", tmp_path / "other-scans", SCANNER, 1)
    code, output = _run("grade", tmp_path / "other-scans", "--manifest", other / "exam.json",
                        "-o", out)
    assert code == 2 and f"{out} holds the results of another exam" in output
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    # a link inside the folder is never written or deleted through
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.pdf").write_bytes(b"%PDF-1.4 someone else's")
    shutil.rmtree(out / "annotated")
    (out / "annotated").symlink_to(elsewhere)
    code, output = _run("grade", folder, "--manifest", exam / "exam.json", "-o", out)
    assert code == 2 and f"{out / 'annotated'} is a link to {elsewhere}" in output
    assert [p.name for p in elsewhere.iterdir()] == ["keep.pdf"]
    # a folder that cannot be written: named as given, and nothing changes
    (out / "annotated").unlink()
    (out / "annotated").mkdir()
    (out / "annotated").chmod(0o500)
    try:
        code, output = _run("grade", folder, "--manifest", exam / "exam.json", "-o", out)
    finally:
        (out / "annotated").chmod(0o700)
    if os.geteuid() != 0:  # root may write anywhere
        assert code == 2 and f"{out / 'annotated'} is not writable" in output
        assert ".tmp" not in output
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    # --force replaces another exam's results
    code, output = _run("grade", tmp_path / "other-scans", "--manifest", other / "exam.json",
                        "-o", out, "--force")
    assert code == 0, output
    assert json.loads((out / "grade.json").read_text())["manifest"] == str(other / "exam.json")


@pytest.mark.parametrize("pen_mm", [0.3, 0.6, 0.9, 1.1, 1.3, 1.6])
def test_a_cross_or_tick_of_any_pen_is_never_read_as_taken_back_or_empty(exam, pen_mm):
    """A felt-tip's thick cross covers most of a small box but leaves parts of it white;
    only an evenly filled box is taken back. Between the two a person decides."""
    from examgen.grade.read import State, locate, measure
    from tests.scansim import RENDER_DPI, _mark, distort, render

    plan = load_plan(exam / "exam.json")
    page = plan.layouts["A"].pages[0]
    px = RENDER_DPI / 72
    rng = np.random.default_rng(int(pen_mm * 10))
    for kind, profile in (("cross", SCANNER), ("tick", SCANNER), ("cross", PHONE)):
        image = render(exam / "sheets.pdf")[0]
        for box in page.boxes:
            _mark(image, kind, box.x * px, (page.height - box.y - BOX_SIDE) * px,
                  BOX_SIDE * px, rng, pen_mm)
        scan, _ = distort(image, profile, rng)
        located = locate(scan, page)
        assert not isinstance(located, str)
        states = [r.state for r in measure(located, page)]
        assert set(states) <= {State.TICKED, State.UNSURE}, (kind, profile.name, states)
        if pen_mm <= 0.6:  # a ballpoint's mark needs no person
            assert states.count(State.TICKED) >= 0.97 * len(states), (kind, profile.name)


def test_an_evenly_filled_box_is_taken_back(exam):
    from examgen.grade.read import State, locate, measure
    from tests.scansim import RENDER_DPI, _mark, distort, render

    plan = load_plan(exam / "exam.json")
    page = plan.layouts["A"].pages[0]
    px = RENDER_DPI / 72
    rng = np.random.default_rng(5)
    image = render(exam / "sheets.pdf")[0]
    for box in page.boxes:
        _mark(image, "cross", box.x * px, (page.height - box.y - BOX_SIDE) * px,
              BOX_SIDE * px, rng)
        _mark(image, "fill", box.x * px, (page.height - box.y - BOX_SIDE) * px,
              BOX_SIDE * px, rng)
    located = locate(distort(image, SCANNER, rng)[0], page)
    assert not isinstance(located, str)
    states = [r.state for r in measure(located, page)]
    assert states.count(State.CANCELLED) >= 0.97 * len(states)
    assert set(states) <= {State.CANCELLED, State.UNSURE}


def test_black_and_white_scans_are_named_once_with_how_to_scan(exam, tmp_path):
    from tests.scansim import BLACK_AND_WHITE

    truths = simulate(exam / "exam.json", exam / "sheets.pdf", tmp_path / "bw",
                      BLACK_AND_WHITE, 7, copies=[1, 2])
    code, output = _run("grade", tmp_path / "bw", "--manifest", exam / "exam.json", "-o",
                        tmp_path / "out")
    assert code == 0, output
    warnings = [line for line in output.splitlines() if "black and white" in line]
    assert len(warnings) == 1 and "Scan in greyscale at 200 dpi or more" in warnings[0]
    assert warnings[0].startswith("Warning: 2 page(s) were scanned in black and white")
    rows = _rows(tmp_path / "out" / "results.csv")
    assert sorted(int(r["copy"]) for r in rows) == sorted(truths)


def test_a_thresholded_page_is_told_from_a_greyscale_one(exam, scans):
    from examgen.grade.read import is_thresholded
    from examgen.grade.scans import PageRef, load_page

    folder, _ = scans
    grey = load_page(PageRef(str(next(folder.glob("copy-0001-p1.*"))), 1))
    assert not isinstance(grey, str) and not is_thresholded(grey)
    assert is_thresholded(np.where(grey < 160, 0, 255).astype(np.uint8))


def test_a_page_scanned_twice_and_read_differently_goes_to_review(exam, scans, tmp_path):
    folder, truths = scans
    pile = tmp_path / "pile"
    shutil.copytree(folder, pile)
    (first,) = pile.glob("copy-0001-p1.*")
    image = cv2.imread(str(first), cv2.IMREAD_GRAYSCALE)
    again = cv2.flip(image, -1)  # the same page, upside down ...
    plan = load_plan(exam / "exam.json")
    page = plan.layouts[plan.by_number[1].key].pages[0]
    from examgen.grade.read import locate

    located = locate(image, page)
    assert not isinstance(located, str)
    cv2.imwrite(str(pile / "copy-0001-rescan.png"), again)
    item = next(b.item for b in page.boxes  # a question with a box the student left empty
                if not b.item.startswith("student")
                and b.value not in truths[1].ticked.get(b.item, set()))
    cv2.imwrite(str(pile / "copy-0001-smudged.png"), _smudged(image, page, item))
    code, output = _run("grade", pile, "--manifest", exam / "exam.json", "-o",
                        tmp_path / "out")
    assert code == 0, output
    review = _rows(tmp_path / "out" / "review.csv")
    twice = [r for r in review if "scanned twice" in r["problem"]]
    assert twice and "read differently" in twice[0]["problem"]
    assert any(r["copy"] == "1" and r["item"] == item for r in review)


def test_a_rebuild_on_other_paper_is_another_exam_to_the_reader(exam, tmp_path):
    letter = tmp_path / "letter"
    code, output = _run("build", "--from", exam / "exam.json", "--paper", "letter", "-o",
                        letter)
    assert code == 0, output
    assert load_plan(letter / "exam.json").exam != load_plan(exam / "exam.json").exam
    simulate(letter / "exam.json", letter / "sheets.pdf", tmp_path / "scans", SCANNER, 2,
             copies=[1])
    code, output = _run("grade", tmp_path / "scans", "--manifest", exam / "exam.json", "-o",
                        tmp_path / "out")
    assert code == 1 and "belongs to another exam" in output


def test_markers_near_the_scans_edge_are_found_on_the_whole_scan(exam, scans):
    """A page skewed 1.8 degrees and shifted 2 mm on the scanner's glass, the image cut at
    the paper: two markers end within a millimetre of the image's edge, where the small
    copy the markers are first looked for on loses them."""
    from examgen.grade.read import locate
    from tests.scansim import RENDER_DPI, render

    plan = load_plan(exam / "exam.json")
    page = plan.layouts["A"].pages[0]
    image = render(exam / "sheets.pdf")[0]
    mm = RENDER_DPI / 25.4
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), 1.8, 1.0)
    skewed = cv2.warpAffine(image, matrix, (w, h), borderValue=255)
    corners = np.array([(x * RENDER_DPI / 72, (page.height - y) * RENDER_DPI / 72)
                        for m in range(len(page.markers)) for x, y in page.marker_corners(m)])
    moved = cv2.transform(corners[None].astype(np.float32), matrix)[0]
    left, top = moved.min(axis=0) - 0.6 * mm  # the image's edge 0.6 mm from two markers
    cut = skewed[int(top):, int(left):]
    cut = cv2.GaussianBlur(cut, (0, 0), 0.8)
    located = locate(cut, page)
    assert not isinstance(located, str), located
    assert located.qr is not None


def _scanner_pdf(picture: np.ndarray, colour_space: str = "/DeviceGray",
                 decode: str = "", rotate: int = 0, margin: float = 0.0) -> bytes:
    """A one-page PDF as a scanner writes it, by hand: one JPEG picture, in the colour
    space, /Decode array, page rotation and margin given."""
    import io

    from PIL import Image

    mode = {1: "L", 3: "RGB", 4: "CMYK"}[1 if picture.ndim == 2 else picture.shape[2]]
    buffer = io.BytesIO()
    Image.fromarray(picture, mode).save(buffer, "JPEG", quality=90)
    jpeg = buffer.getvalue()
    h, w = picture.shape[:2]
    width, height = w * 72 / 200 + 2 * margin, h * 72 / 200 + 2 * margin
    content = (f"q {width - 2 * margin:.2f} 0 0 {height - 2 * margin:.2f} {margin:.2f} "
               f"{margin:.2f} cm /Im0 Do Q").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] /Rotate "
         f"{rotate} /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>").encode(),
        (f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace "
         f"{colour_space} /BitsPerComponent 8 {decode} /Filter /DCTDecode /Length "
         f"{len(jpeg)} >>\nstream\n").encode() + jpeg + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def test_a_scanners_pdf_reads_like_its_picture_whatever_the_picture_holds(exam, scans,
                                                                          tmp_path):
    """A scanned PDF page's own picture is read directly when it is the page; a picture
    the page shows otherwise (inverted by /Decode, CMYK, turned by /Rotate, with a
    margin) is read as the page is drawn. Each gives the image's own results."""
    folder, truths = scans
    image = next(folder.glob("copy-0001-p1.*"))
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    code, output = _run("grade", image, "--manifest", exam / "exam.json", "-o",
                        tmp_path / "image")
    assert code == 0, output
    expected = _rows(tmp_path / "image" / "responses.csv")
    cmyk = np.dstack([np.zeros_like(grey)] * 3 + [255 - grey])  # black ink only
    pdfs = {
        "grey": _scanner_pdf(grey),
        "colour": _scanner_pdf(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB), "/DeviceRGB"),
        "inverted": _scanner_pdf(255 - grey, decode="/Decode [1 0]"),
        # Pillow writes Adobe's inverted CMYK, which a PDF states by /Decode
        "cmyk": _scanner_pdf(cmyk, "/DeviceCMYK", "/Decode [1 0 1 0 1 0 1 0]"),
        "turned": _scanner_pdf(np.ascontiguousarray(np.rot90(grey)), rotate=90),
        "margin": _scanner_pdf(grey, margin=20),
    }
    for name, data in pdfs.items():
        scan = tmp_path / f"{name}.pdf"
        scan.write_bytes(data)
        code, output = _run("grade", scan, "--manifest", exam / "exam.json", "-o",
                            tmp_path / name)
        assert code == 0, (name, output)
        assert _rows(tmp_path / name / "responses.csv") == expected, name
        assert _rows(tmp_path / name / "results.csv")[0]["student"] == truths[1].student
        import pypdfium2

        taken = scanned_picture(pypdfium2.PdfDocument(scan)[0]) is not None
        assert taken == (name in ("grey", "colour", "inverted")), name
