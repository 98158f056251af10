"""From class list to gradebook (issue 27): rosters as Moodle and campus systems export
them, the join of results and roster checked both ways, Moodle's grade-import CSV read
back, annotated copies named after students, and results readable by their owner only."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from examgen.cli import main
from examgen.core.errors import InputError
from examgen.core.roster import read_roster

from .conftest import ROOT
from .scansim import SCANNER, simulate


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_moodle_and_campus_exports_are_read_as_they_are(tmp_path):
    moodle = _write(tmp_path / "moodle.csv",
                    "\ufeffFirst name,Last name,ID number,Email address\n"
                    "Erika,Mustermann,12345678,erika@uni.example\n"
                    "Max,\"Müller, Jr.\",23456789,max@uni.example\n")
    roster = read_roster(moodle)
    assert [(s.number, s.name, s.email, s.idnumber) for s in roster.students] == [
        ("12345678", "Erika Mustermann", "erika@uni.example", "12345678"),
        ("23456789", "Max Müller, Jr.", "max@uni.example", "23456789")]
    campus = _write(tmp_path / "his.csv", "Matrikelnummer;Nachname;Vorname;E-Mail\n"
                                          "4711;Schmidt;Anna;anna@uni.example\n")
    (anna,) = read_roster(campus).students
    assert (anna.number, anna.name, anna.email) == ("4711", "Anna Schmidt", "anna@uni.example")
    odd = _write(tmp_path / "odd.csv", "Kennung\tWer\n42\tJo Doe\n")
    (jo,) = read_roster(odd, "kennung", "Wer").students
    assert (jo.number, jo.name) == ("42", "Jo Doe")


@pytest.mark.parametrize("text, encoding, where, words", [
    ("number,name\n1,A\n1,B\n", "utf-8", ":3:", "listed twice (first at line 2)"),
    ("number,name\n1,\n", "utf-8", ":2:", "has no name"),
    ("number,name\n1,Jörg\n", "latin-1", ":2:", "not UTF-8"),
    ("number,name\n12a,A\n", "utf-8", ":2:", "not a student number"),
    ("Kennung,name\n1,A\n", "utf-8", ":1:", "--roster-number"),
    ("number,name\n1,A,extra\n", "utf-8", ":2:", "3 cells where the header has 2"),
])
def test_a_bad_roster_is_refused_at_its_line(tmp_path, text, encoding, where, words):
    path = _write(tmp_path / "r.csv", text, encoding)
    with pytest.raises(InputError) as caught:
        read_roster(path)
    assert f"r.csv{where}" in str(caught.value) and words in str(caught.value)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Five copies graded with a roster of four of them and one student who is absent;
    copy 5's student is not on the roster."""
    base = tmp_path_factory.mktemp("gradebook")
    exam = base / "exam"
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "8", "--seed", "3",
                        "--variants", "2", "--sheet", "--copies", "5", "-o", exam)
    assert code == 0, output
    truths = simulate(exam / "exam.json", exam / "sheets.pdf", base / "scans", SCANNER, 5)
    rows = ["Vorname;Nachname;Matrikelnummer;E-Mail;ID number"]
    rows += [f"Erika {n};Müller-Lüdenscheidt;{truths[n].student};s{n}@uni.example;id{n}"
             for n in (1, 2, 3, 4)]
    rows.append("Abwesend;Niemand;99999999;x@uni.example;idx")
    roster = _write(base / "roster.csv", "\n".join(rows) + "\n")
    old = os.umask(0o022)
    try:
        code, output = _run("grade", base / "scans", "--manifest", exam / "exam.json", "-o",
                            base / "out", "--roster", roster, "--export", "moodle-grades",
                            "--grade-item", "Klausur 1")
    finally:
        os.umask(old)
    assert code == 0, output
    return base / "out", truths, output


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_moodle_grades_are_the_results_of_each_students_sheet(graded):
    out, truths, output = graded
    results = {r["copy"]: r for r in _csv(out / "results.csv")}
    moodle = _csv(out / "grades-moodle.csv")
    assert list(moodle[0]) == ["ID number", "Klausur 1"]
    expected = {f"id{n}": results[str(n)]["total"] for n in (1, 2, 3, 4)
                if results[str(n)]["status"] == "ok"}
    assert {r["ID number"]: r["Klausur 1"] for r in moodle} == expected
    assert "99999999 (no sheet)" in output


def test_the_join_is_checked_both_ways_in_the_review(graded):
    out, truths, _ = graded
    review = _csv(out / "review.csv")
    problems = [r["problem"] for r in review if r["item"] == "student"]
    assert f"student number {truths[5].student} is not on the roster roster.csv" in problems
    assert "no sheet of student 99999999 (Abwesend Niemand)" in problems
    grades = {r["number"]: r for r in _csv(out / "grades.csv")}
    assert grades["99999999"]["status"] == "no sheet"
    assert grades[truths[5].student]["status"] == "not on the roster"
    assert grades[truths[1].student]["name"] == "Erika 1 Müller-Lüdenscheidt"


def test_annotated_copies_are_named_after_students_and_results_are_private(graded):
    out, truths, _ = graded
    names = sorted(p.name for p in (out / "annotated").glob("*.pdf"))
    assert f"{truths[1].student}-Erika-1-Müller-Lüdenscheidt.pdf" in names
    assert f"{truths[5].student}.pdf" in names  # not on the roster: its number alone
    for name in ("results.csv", "grades.csv", "grades-moodle.csv", "responses.csv"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE((out / "annotated" / names[0]).stat().st_mode) == 0o600


def test_moodle_grades_need_a_roster(tmp_path):
    code, output = _run("grade", tmp_path, "--manifest", tmp_path / "exam.json",
                        "--export", "moodle-grades")
    assert code == 2 and "--roster" in output


# --- named copies and a seating plan --------------------------------------------------------

ROSTER = ("First name,Last name,ID number,Email address\n"
          + "".join(f"Student{n},Nachname{n},{10000000 + n},s{n}@uni.example\n"
                    for n in range(1, 8)))
# a room of 3 rows with gaps; student 10000003 is told to sit in row 3, seat 2
ROOM = "row;seat;student\n1;1;\n1;2;\n1;3;\n1;5;\n2;1;\n2;2;\n2;3;\n3;2;10000003\n"


@pytest.fixture(scope="module")
def seated(tmp_path_factory):
    base = tmp_path_factory.mktemp("seated")
    roster = _write(base / "students.csv", ROSTER)
    room = _write(base / "room.csv", ROOM)
    out = base / "out"
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "6", "--seed", "4",
                        "--sheet", "--roster", roster, "--seating", room, "--neighbours",
                        "4", "--variants", "3", "-o", out)
    assert code == 0, output
    return out, roster


def _neighbours(room: str) -> list[tuple[str, str]]:
    """The plan's neighbours, computed here from the rows and seats."""
    seats = {tuple(int(x) for x in line.split(";")[:2])
             for line in room.strip().split("\n")[1:]}
    return [(f"{r}-{s}", f"{r2}-{s2}") for r, s in seats for r2, s2 in seats
            if (r2, s2) in ((r, s + 1), (r + 1, s))]


def test_named_copies_seat_the_class_and_no_neighbours_share_a_variant(seated):
    from pypdf import PdfReader

    out, _ = seated
    text = "\n".join(page.extract_text() for page in PdfReader(out / "sheets.pdf").pages)
    for n in range(1, 8):
        assert text.count(f"Student{n} Nachname{n} ({10000000 + n})") == 1, n
    seats = {r["seat"]: r for r in _csv(out / "seats.csv")}
    assert seats["3-2"]["student"] == "10000003"  # where the plan put her
    assert len(seats) == 7 and len({r["student"] for r in seats.values()}) == 7
    for a, b in _neighbours(ROOM):
        if a in seats and b in seats:
            assert seats[a]["variant"] != seats[b]["variant"], (a, b)
    assert {r["variant"] for r in seats.values()} == {"A", "B", "C"}  # spread over all
    manifest = (out / "exam.json").read_text(encoding="utf-8")
    assert "Nachname" not in manifest  # names are printed, never stored
    assert stat.S_IMODE((out / "seats.csv").stat().st_mode) == 0o600
    seat_list = " ".join(PdfReader(out / "seats.pdf").pages[0].extract_text().split())
    assert "3-2 " in seat_list and "Student3 Nachname3" in seat_list


def test_a_room_with_neighbours_needs_two_variants(tmp_path):
    room = _write(tmp_path / "room.csv", "row,seat\n1,1\n1,2\n")
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "3", "--sheet",
                        "--seating", room, "--variants", "1", "-o", tmp_path / "o")
    assert code == 1 and "needs 2 variants (--variants 2)" in output
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "3", "--roster",
                        _write(tmp_path / "r.csv", ROSTER), "-o", tmp_path / "o")
    assert code == 2 and "--sheet" in output


def test_a_named_copy_whose_grid_disagrees_goes_to_review(seated, tmp_path):
    """The simulated students write numbers of their own on the grid: each named copy's
    grid disagrees with the student it was printed for, and the number is decided."""
    out, roster = seated
    simulate(out / "exam.json", out / "sheets.pdf", tmp_path / "scans", SCANNER, 2,
             copies=[1, 2])
    code, output = _run("grade", tmp_path / "scans", "--manifest", out / "exam.json", "-o",
                        tmp_path / "graded", "--roster", roster)
    assert code == 0, output
    review = [r["problem"] for r in _csv(tmp_path / "graded" / "review.csv")]
    assert sum("the copy was printed for 1000000" in p for p in review) == 2


def test_each_student_gets_an_exam_with_name_number_and_seat_on_its_cover(seated):
    """exam-copies.pdf: one copy per seat in seat order, each its variant's exam (the
    same text as exam-<variant>.pdf) starting on a front page, its cover written on."""
    from pypdf import PdfReader

    out, _ = seated
    copies = _csv(out / "seats.csv")
    booklet = PdfReader(out / "exam-copies.pdf")
    pages = [" ".join(p.extract_text().split()) for p in booklet.pages]
    at = 0
    for row in copies:
        variant = [" ".join(p.extract_text().split())
                   for p in PdfReader(out / f"exam-{row['variant']}.pdf").pages]
        assert at % 2 == 0, "every copy starts on a front page"
        cover = pages[at]
        written = f"{row['name']} {row['student']} Seat {row['seat']}" if row["student"] \
            else f"Seat {row['seat']}"
        assert written in cover, (written, cover[:200])
        # the exam's own cover, the writing read before or after it
        assert " ".join(cover.replace(written, " ").split()) == variant[0]
        assert pages[at + 1:at + len(variant)] == variant[1:]
        at += len(variant) + len(variant) % 2
    assert at == len(pages)
    everything = " ".join(pages)
    for n in range(1, 8):
        assert everything.count(f"Student{n} Nachname{n}") == 1, n
    assert stat.S_IMODE((out / "exam-copies.pdf").stat().st_mode) == 0o600


def test_anonymous_copies_have_no_booklet_of_named_copies(tmp_path):
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "3", "--sheet",
                        "--copies", "3", "-o", tmp_path / "o")
    assert code == 0, output
    assert not (tmp_path / "o" / "exam-copies.pdf").exists()


def test_a_rebuild_keeps_the_class_and_prints_the_names_again_from_the_roster(seated,
                                                                             tmp_path):
    """--from keeps every copy's number, variant, student and seat (and so the exam id
    the scans carry); exam.json holds no names, so --roster prints them again, and
    without it a note says so."""
    from pypdf import PdfReader

    out, roster = seated
    again = tmp_path / "again"
    code, output = _run("build", "--from", out / "exam.json", "--roster", roster, "-o", again)
    assert code == 0, output
    before = json.loads((out / "exam.json").read_text(encoding="utf-8"))["sheets"]
    after = json.loads((again / "exam.json").read_text(encoding="utf-8"))["sheets"]
    assert after["copies"] == before["copies"] and after["exam"] == before["exam"]
    for name in ("seats.csv", "exam-copies.pdf", "sheets.pdf"):  # byte for byte
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    text = " ".join(p.extract_text() for p in PdfReader(again / "exam-copies.pdf").pages)
    assert all(text.count(f"Student{n} Nachname{n}") == 1 for n in range(1, 8))
    unnamed = tmp_path / "unnamed"
    code, output = _run("build", "--from", out / "exam.json", "-o", unnamed)
    assert code == 0 and "add --roster to print the names again" in output
    assert "Nachname" not in " ".join(
        p.extract_text() for p in PdfReader(unnamed / "sheets.pdf").pages)
    other = _write(tmp_path / "other.csv", "number,name\n99999999,Someone Else\n")
    code, output = _run("build", "--from", out / "exam.json", "--roster", other, "-o",
                        tmp_path / "o")
    assert code == 2 and "has no student 1000000" in output and "Traceback" not in output
    code, output = _run("build", "--from", out / "exam.json", "--seating", "3x3", "-o",
                        tmp_path / "o")
    assert code == 2 and "drop --seating" in output


def test_a_named_cover_is_the_exams_first_page_pixel_for_pixel(tmp_path):
    """Outside the lines written on, a named copy's cover shows the exam's first page
    pixel for pixel: drawn again for the covers (as a form), an option box inside a cloze
    sentence once came out visible where the exam keeps its character invisible."""
    import numpy
    import pypdfium2 as pdfium

    roster = _write(tmp_path / "r.csv", "number,name\n1234567,Jo Cover\n")
    code, output = _run("build", "--bank", ROOT / "tests" / "banks" / "layout", "--total",
                        "7", "--seed", "3", "--sheet", "--roster", roster, "-o",
                        tmp_path / "o")
    assert code == 0, output
    exam = pdfium.PdfDocument(tmp_path / "o" / "exam.pdf")[0]
    cover = pdfium.PdfDocument(tmp_path / "o" / "exam-copies.pdf")[0]
    assert "☐ forward ☐ backward" in exam.get_textpage().get_text_range()  # a choice gap
    scale = 100 / 72
    want, got = (p.render(scale=scale).to_pil().convert("L") for p in (exam, cover))
    text = cover.get_textpage()
    written = []
    for word in ("Jo Cover", "1234567"):
        found = text.search(word).get_next()
        assert found is not None, word
        left, bottom, right, top = text.get_charbox(found[0])
        right = text.get_charbox(found[0] + found[1] - 1)[2]
        written.append((left, bottom, right, top))
    height = cover.get_height()
    # more than an edge pixel's anti-aliasing (older PDFium places a form's glyphs a
    # fraction of a pixel apart), outside the bands of the written lines
    differ = abs(numpy.asarray(want, dtype=int) - numpy.asarray(got, dtype=int)) > 100
    for _, bottom, _, top in written:
        differ[max(0, int((height - top - 3) * scale)):int((height - bottom + 3) * scale)] = 0
    ys, xs = numpy.nonzero(differ)
    assert not len(xs), [(x / scale, height - y / scale) for x, y in zip(xs[:5], ys[:5],
                                                                           strict=True)]


def test_a_name_the_font_cannot_print_is_refused_at_its_line(tmp_path):
    """A name in a script DejaVu Sans lacks would print as empty boxes on the cover and
    the sheet: the build stops at the roster's line instead, and writes nothing."""
    roster = _write(tmp_path / "r.csv", "number,name\n1234567,Jörg Ñúñez Παπαδόπουλος\n"
                                        "2345678,王小明\n")
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "3", "--sheet",
                        "--roster", roster, "-o", tmp_path / "o")
    assert code == 2
    assert "r.csv:3: the name '王小明'" in output and "王, 小, 明" in output
    assert not (tmp_path / "o").exists()


def test_a_long_double_name_is_printed_whole_on_the_cover_and_the_sheet(tmp_path):
    """Two given names and a double surname run past the cover's line at 12 pt: printed
    smaller, not shortened with an ellipsis (a shortened name may be someone else's)."""
    import pypdfium2 as pdfium

    name = "Maria-Theresia Anna-Katharina von Müller-Lüdenscheidt-Hohenzollern-Sigmaringen"
    roster = _write(tmp_path / "r.csv", f"number,name\n1234567,{name}\n")
    code, output = _run("build", "--bank", ROOT / "bank", "--total", "3", "--seed", "1",
                        "--sheet", "--roster", roster, "-o", tmp_path / "o")
    assert code == 0, output
    for pdf in ("exam-copies.pdf", "sheets.pdf"):
        text = pdfium.PdfDocument(tmp_path / "o" / pdf)[0].get_textpage().get_text_range()
        assert name in " ".join(text.split()), (pdf, text[:300])
        assert "…" not in text
