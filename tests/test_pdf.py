"""The PDFs read back as a student and a grader would read them."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import shutil
import signal

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from examgen.bank.loader import load_bank
from examgen.cli import main
from examgen.core.markup import to_plain
from examgen.render.pdf import EMPTY_BOX, TICKED_BOX

from .conftest import ROOT, variant_question
from .oracle import printed

BANK = str(ROOT / "bank")


def text_of(path) -> str:
    """All text of a PDF with white space folded, as a reader would search it."""
    raw = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(raw.split())


def fold(text: str) -> str:
    return " ".join(to_plain(text).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--easy", "5", "--hard", "2",
                                       "--seed", "3", "--variants", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, json.loads((out / "exam.json").read_text())


def _in_order(haystack: str, needles: list[str]) -> bool:
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        if found < 0:
            return False
        pos = found + len(needle)
    return True


def test_exam_shows_every_question_and_option_in_manifest_order(built):
    out, manifest = built
    bank = load_bank(BANK)
    for variant in manifest["variants"]:
        text = text_of(out / f"exam-{variant['name']}.pdf")
        expected = []
        for number, qid in enumerate(variant["order"], 1):
            q = variant_question(bank, variant, qid)
            pieces = [p for p in re.split(r"\{\{\d+\}\}", q.text) if p.strip()]
            expected += [f"{number}."] + [printed(p) for p in pieces]
            options = getattr(q, "options", ())
            order = variant["options"].get(qid, range(len(options)))
            expected += [f"{chr(97 + k)}) {printed(options[i].text)}"
                         for k, i in enumerate(order)]
        assert _in_order(text, expected), variant["name"]
        assert f"Variant {variant['name']}" in text


def test_exam_carries_no_answers(built):
    out, manifest = built
    bank = load_bank(BANK)
    text = text_of(out / "exam-A.pdf")
    assert TICKED_BOX not in text and EMPTY_BOX in text
    for q in manifest["questions"]:
        question = bank.by_id[q["id"]]
        if question.explanation:
            assert fold(question.explanation) not in text
        if getattr(question, "model_answer", ""):
            assert fold(question.model_answer)[:40] not in text
    for word in ("Answer key", "Explanation", "green", "hard · application"):
        assert word not in text


def test_key_lists_each_variants_answers(built):
    out, manifest = built
    for variant in manifest["variants"]:
        text = text_of(out / f"key-{variant['name']}.pdf")
        assert text.startswith("Answer key:") and f"Variant {variant['name']}" in text
        grid = text.split("Answers at a glance", 1)[1]
        rows = []
        for number, qid in enumerate(variant["order"], 1):
            value = variant["answers"][qid]
            shown = ", ".join(value) if isinstance(value, list) else value
            if len(shown) > 30:
                shown = "see below"
            rows.append(f"{number} {shown.capitalize() if shown in ('true', 'false') else shown}")
        assert _in_order(grid, rows), rows
        assert "Points per cell" in text


def test_same_manifest_renders_byte_identical_pdfs(built, tmp_path):
    out, _ = built
    result = CliRunner().invoke(main, ["build", "--from", str(out / "exam.json"),
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("exam-A.pdf", "exam-B.pdf", "key-A.pdf", "key-B.pdf"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def _one_question_bank(tmp_path, text: str):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: Umlaute\nquestions:\n  - id: special\n    difficulty: easy\n"
        "    knowledge: recall\n    type: single\n"
        f"    text: {json.dumps(text, ensure_ascii=False)}\n"
        "    options:\n      - text: 'Größe ≤ 3 × α → β'\n        correct: true\n"
        "      - '<i>not italic</i> & more'\n", encoding="utf-8")
    return bank


def test_umlauts_symbols_and_markup_characters_print(tmp_path):
    bank = _one_question_bank(tmp_path, "Was ist die **Größe** von <b>&amp; ß, σ?")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1",
                                       "--seed", "1", "--layout", "de", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = text_of(out / "exam.pdf")
    assert "Was ist die Größe von <b>&amp; ß, σ?" in text
    assert "Größe ≤ 3 × α → β" in text and "<i>not italic</i> & more" in text
    assert "Matrikelnummer" in text and "Seite 1 von 1" in text
    fonts = {str(f) for page in PdfReader(out / "exam.pdf").pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts
    key = text_of(out / "key.pdf")
    assert key.startswith("Lösung:")


def test_escaped_markup_characters_print_as_themselves(tmp_path):
    """\\* and \\` are an asterisk and a backtick, as in Markdown; unescaped, the same
    stars make italics. In code a backslash is itself."""
    bank = _one_question_bank(
        tmp_path, r"Compute 2\*3\*4, x\*\*2 + y\*\*2 and \`ls\`; 2*3*4 differs; `a\*b`")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1",
                                       "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = text_of(out / "exam.pdf")
    assert "Compute 2*3*4, x**2 + y**2 and `ls`; 234 differs; a\\*b" in text


def test_font_files_are_read_when_a_document_first_uses_them(monkeypatch):
    """A lazily read face is the TTFont reportlab would make, prints the same, is read
    once however often reportlab asks the stand-in before it is replaced, and cuts each
    subset once."""
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
    from reportlab.pdfgen.canvas import Canvas

    from examgen.render import fonts
    from examgen.render.fonts import FONT_DIR, LazyTTFont

    reads, face = [], fonts._Face

    def read(path: str) -> TTFontFace:
        reads.append(path)
        return face(path)

    monkeypatch.setattr(fonts, "_Face", read)

    def drawn(font) -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=True)
        canvas.setFont(font.fontName, 10)
        canvas.drawString(10, 10, "Größe ≤ 3 × α ☐")
        return canvas.getpdfdata()

    path = FONT_DIR / "DejaVuSans-Oblique.ttf"
    lazy, eager = LazyTTFont("LazyOblique", path), TTFont("EagerOblique", str(path))
    assert vars(lazy).keys() == vars(eager).keys()
    assert {k: v for k, v in vars(lazy).items() if k not in ("face", "fontName", "state",
                                                               "encoding")} == \
        {k: v for k, v in vars(eager).items() if k not in ("face", "fontName", "state",
                                                            "encoding")}
    assert not isinstance(lazy.face, type(eager.face))  # not read yet
    pdfmetrics.registerFont(lazy)
    pdfmetrics.registerFont(eager)
    assert drawn(lazy).replace(b"LazyOblique", b"EagerOblique") == drawn(eager)
    assert isinstance(lazy.face, type(eager.face))  # read, and reportlab meets it directly
    assert reads == [str(path)]
    assert drawn(lazy) == drawn(lazy)
    assert len(lazy.face._subsets) == 1  # the glyphs cut once for every document


def test_letter_paper(tmp_path):
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "3", "--seed", "1",
                                       "--paper", "letter", "-o", str(tmp_path)])
    assert result.exit_code == 0
    box = PdfReader(tmp_path / "exam.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def _layout(tmp_path, header: str | None = None, yaml_extra: str = ""):
    folder = tmp_path / "mylayout"
    shutil.copytree(ROOT / "layouts" / "default", folder)
    if header is not None:
        (folder / "header.j2").write_text(header)
    if yaml_extra:
        (folder / "layout.yaml").write_text((folder / "layout.yaml").read_text() + yaml_extra)
    return folder


@pytest.mark.parametrize("header, extra, message", [
    ("{{ title }}\n\n{{ titel }}\n", "", r"header.j2:3: UndefinedError: 'titel' is undefined"),
    ("{{ title }}\n{% if %}\n", "", r"header.j2:2: template syntax error"),
    (None, "  header: nowhere.j2\n", r"template file 'nowhere.j2' for 'header' not found"),
    ("{{ title.__class__.__mro__ }}\n", "", r"header.j2:1: SecurityError"),
])
def test_bad_layout_exits_2_and_names_the_template(tmp_path, header, extra, message):
    folder = _layout(tmp_path, header)
    if extra:
        text = (folder / "layout.yaml").read_text().replace("  header: header.j2\n", extra)
        (folder / "layout.yaml").write_text(text)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "2", "--seed", "1",
                                       "--layout", str(folder), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert re.search(message, result.output), result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing written when the layout is broken"


def test_unknown_layout_name(tmp_path):
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "2",
                                       "--layout", "fancy", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "no layout 'fancy'" in result.output and "(de, default)" in result.output


def test_questions_stay_on_one_page_unless_taller_than_a_page(tmp_path):
    out = tmp_path / "whole"
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "40", "--seed", "8",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "exam.json").read_text())
    bank = load_bank(BANK)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(out / "exam.pdf").pages]
    variant = manifest["variants"][0]
    for qid in variant["order"]:
        q = variant_question(bank, variant, qid)
        first = printed(re.split(r"\{\{\d+\}\}", q.text)[0])[:40]
        last = first
        if qid in variant["options"]:  # the last option, or right item, as printed
            at = variant["options"][qid][-1]
            last = printed(q.choices[at] if q.type == "matching" else q.options[at].text)
        assert any(first in page and last in page for page in pages), qid

    bank_dir = tmp_path / "tall"
    bank_dir.mkdir()
    (bank_dir / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: essay\n    difficulty: easy\n    knowledge: recall\n"
        "    type: open\n    text: Write at length.\n    answer_lines: 40\n")
    result = CliRunner().invoke(main, ["build", "--bank", str(bank_dir), "--total", "1",
                                       "--seed", "1", "-o", str(tmp_path / "tall-out")])
    assert result.exit_code == 0, result.output
    assert len(PdfReader(tmp_path / "tall-out" / "exam.pdf").pages) == 2


def test_content_longer_than_a_page_flows_on(tmp_path):
    """A 5,000-character question, a long option and a model answer of several pages."""
    words = " ".join(f"word{i}" for i in range(900))
    option = " ".join(f"opt{i}" for i in range(400))
    model = " ".join(f"model{i}" for i in range(1500))
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        f"  - id: long-text\n    difficulty: easy\n    knowledge: recall\n    type: single\n"
        f"    text: \"{words} THE-END\"\n    options:\n      - text: \"{option} OPTION-END\"\n"
        "        correct: true\n      - short\n"
        "  - id: long-model\n    difficulty: easy\n    knowledge: recall\n    type: open\n"
        f"    text: Explain.\n    answer_lines: 40\n    model_answer: \"{model} MODEL-END\"\n")
    result = CliRunner().invoke(main, ["build", "--bank", str(tmp_path / "bank"), "--total",
                                       "2", "--variants", "2", "--seed", "1", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for name, ends in (("exam-A.pdf", ["THE-END", "OPTION-END"]),
                       ("key-B.pdf", ["THE-END", "OPTION-END", "MODEL-END"])):
        text = text_of(tmp_path / "out" / name)
        assert all(end in text for end in ends), name
        assert "word899" in text and "opt399" in text


def test_images_are_embedded_at_print_resolution(tmp_path):
    """A 4000 x 3000 photo is printed 6 cm tall: about 700 pixels high at 300 dpi."""
    import numpy as np
    from PIL import Image

    bank = tmp_path / "bank"
    bank.mkdir()
    pixels = (np.random.default_rng(1).random((3000, 4000, 3)) * 255).astype("uint8")
    Image.fromarray(pixels).save(bank / "photo.png")
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: photo\n    difficulty: easy\n    knowledge: recall\n"
        "    type: truefalse\n    text: Look.\n    answer: true\n    image: photo.png\n")
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "exam.pdf"
    [embedded] = PdfReader(pdf).pages[0].images
    width, height = embedded.image.size
    assert 690 <= height <= 720 and abs(width / height - 4 / 3) < 0.01, (width, height)
    assert pdf.stat().st_size < 1_000_000, "a photo adds well under 1 MB"


def test_an_empty_layout_file_means_every_default(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "layout.yaml").write_text("# nothing to change yet\n")
    for name, layout in (("mine", str(tmp_path / "mine")), ("default", "default")):
        result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "3", "--seed",
                                           "2", "--layout", layout, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert text_of(tmp_path / "mine" / "exam.pdf") == text_of(tmp_path / "default" / "exam.pdf")


def test_wide_images_gap_marks_outside_cloze_and_a_missing_model_answer(tmp_path):
    from PIL import Image

    bank = tmp_path / "bank"
    bank.mkdir()
    Image.new("RGB", (4000, 400), "navy").save(bank / "wide.png")
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        "  - id: wide\n    difficulty: easy\n    knowledge: recall\n    type: truefalse\n"
        "    text: Is {{1}} a gap in a true/false question?\n    answer: false\n"
        "    image: wide.png\n"
        "  - id: bare\n    difficulty: easy\n    knowledge: recall\n    type: open\n"
        "    text: Explain without a model answer.\n")
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "2", "--seed",
                                       "1", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    key = text_of(tmp_path / "out" / "key.pdf")
    assert "Is {{1}} a gap in a true/false question?" in key
    assert "Model answer: -" in key
    [embedded] = PdfReader(tmp_path / "out" / "exam.pdf").pages[0].images
    frame = 210 * 72 / 25.4 - 2 * 20 * 72 / 25.4 - 12  # A4 less the default margins, padding
    expected = 0.8 * frame / 72 * 300  # at most 80 % of the text width, at 300 dpi
    assert abs(embedded.image.size[0] - expected) < 15, (embedded.image.size, expected)


def test_long_grid_answers_wrap_whole_and_literal(tmp_path):
    answer = "R*S*T " + " ".join(f"part{i}" for i in range(40)) + " <b>&amp;"
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: long\n    difficulty: easy\n    knowledge: recall\n"
        f"    type: short\n    text: Type it all.\n    answers: [\"{answer}\"]\n")
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = text_of(tmp_path / "out" / "key.pdf")
    grid = text.split("Answers at a glance", 1)[1].split("Type it all.", 1)[0]
    assert answer in " ".join(grid.split()), "the grid shows the whole answer, as written"


def test_a_grid_longer_than_a_page_repeats_its_header(tmp_path):
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "60", "--seed", "1",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(tmp_path / "key.pdf").pages]
    # a grid page shows a cell name (a grid row) before its first badge ("easy · recall ·")
    grid_pages = [p for p in pages if "easy/recall" in p.split("·")[0] or "No." in p]
    assert len(grid_pages) >= 2
    assert all(p.count("No.") == 1 and "Answer" in p for p in grid_pages[:2])


def _half_point_bank(folder):  # type: ignore[no-untyped-def]
    folder.mkdir()
    (folder / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        "  - id: half\n    difficulty: hard\n    knowledge: application\n    type: multiple\n"
        "    points: 1.5\n    text: Which are even numbers, given that the list of numbers "
        "below is long enough to fill a line?\n    options:\n"
        "      - {text: '2', correct: true}\n      - {text: '4', correct: true}\n      - '5'\n"
        "  - id: whole\n    difficulty: easy\n    knowledge: recall\n    type: truefalse\n"
        "    text: Is 2 even?\n    answer: true\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("layout, decimal, words, rule", [
    ("default", "1.5 pts.", "hard · application · red · half",
     "One or more answers: each correct box"),
    ("de", "1,5 P.", "schwer · Anwendungswissen · rot · half",
     "Eine oder mehrere Antworten: jedes richtige Kreuz")])
def test_a_layout_prints_its_own_numbers_and_words(tmp_path, layout, decimal, words, rule):
    bank = _half_point_bank(tmp_path / "bank")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "2", "--seed",
                                       "1", "--layout", layout, "-o", str(out)])
    assert result.exit_code == 0, result.output
    exam, key = text_of(out / "exam.pdf"), text_of(out / "key.pdf")
    assert decimal in exam and decimal in key
    assert "2,5" in exam if layout == "de" else "2.5" in exam  # the points table's total
    assert words in key and rule in key
    cell = "schwer/Anwendungswissen" if layout == "de" else "hard/application"
    assert cell in key
    assert exam.count(EMPTY_BOX) == 5 and TICKED_BOX not in exam  # drawn, still in the text
    assert key.count(TICKED_BOX) == 3


def test_exam_all_starts_every_variant_on_an_odd_page_and_the_overview_lists_them(tmp_path):
    bank = _half_point_bank(tmp_path / "bank")
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "2",
                                           "--variants", "3", "--seed", "4", "-o", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(out)
    out = outs[0]
    singles = [PdfReader(out / f"exam-{v}.pdf") for v in "ABC"]
    assert all(len(r.pages) == 1 for r in singles)
    pages = PdfReader(out / "exam-all.pdf").pages
    assert len(pages) == 6
    for n, reader in enumerate(singles):
        assert pages[2 * n].extract_text() == reader.pages[0].extract_text()
        # the back is blank but for saying so, in the layout's words
        assert pages[2 * n + 1].extract_text().strip() == "This page is left blank on purpose."
    assert (out / "exam-all.pdf").read_bytes() == (outs[1] / "exam-all.pdf").read_bytes()
    # not the time of the build (which two builds in one second would share by chance)
    assert b"/CreationDate(D:20000101000000" in (out / "exam-all.pdf").read_bytes()
    manifest = json.loads((out / "exam.json").read_text())
    assert {"exam-all.pdf", "key-overview.pdf"} <= set(manifest["files"])
    overview = text_of(out / "key-overview.pdf")
    names = {"true": "True", "false": "False"}
    for n in range(2):  # each row: the number, then every variant's answer at that number,
        shown = []  # each followed by its question's id
        for variant in manifest["variants"]:
            qid = variant["order"][n]
            answer = variant["answers"][qid]
            shown.append((", ".join(answer) if isinstance(answer, list) else names[answer]
                          if answer in names else answer) + f" {qid}")
        assert f"{n + 1} {' '.join(shown)}" in overview, shown
    single = tmp_path / "single"
    CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "2", "--seed", "4",
                              "-o", str(single)])
    assert not (single / "exam-all.pdf").exists() and not (single / "key-overview.pdf").exists()


def test_workers_forked_at_the_start_write_what_this_process_writes(tmp_path, monkeypatch):
    """The exams reach the workers pickled and the layout is loaded again there: the
    files are the same bytes as rendered here, German layout and answer sheets included."""
    args = ["build", "--bank", BANK, "--total", "12", "--seed", "8", "--variants", "2",
            "--layout", "de", "--sheet", "--copies", "3"]

    def build(out) -> dict[str, bytes]:
        result = CliRunner().invoke(main, [*args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}

    on_workers = build(tmp_path / "workers")
    monkeypatch.setattr("examgen.render.outputs._PARALLEL_FROM", 10**9)
    assert build(tmp_path / "here") == on_workers
    assert "sheets.pdf" in on_workers and "key-overview.pdf" in on_workers


def test_the_workers_end_with_the_build_however_it_ends(tmp_path):
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "9999",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 1  # cannot be met
    result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "4", "--seed", "1",
                                       "--variants", "3", "-o", str(tmp_path / "ok")])
    assert result.exit_code == 0, result.output
    assert multiprocessing.active_children() == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="renders in-process on one core")
def test_a_rendering_worker_that_dies_ends_the_build_with_one_line_and_exit_70(
        tmp_path, monkeypatch):
    from examgen.render import outputs

    def killed(task):
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would

    monkeypatch.setattr(outputs, "_render", killed)
    result = CliRunner().invoke(
        main, ["build", "--bank", BANK, "--total", "4", "--seed", "1", "--variants", "2",
               "-o", str(tmp_path / "out")])
    assert result.exit_code == 70
    assert result.stderr.strip().splitlines() == [
        "Error: a worker process ended abruptly while rendering the PDFs (killed, or out of "
        "memory?); nothing was written"]
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="renders in-process on one core")
def test_a_worker_that_cannot_start_ends_the_build_with_one_line_and_exit_70(
        tmp_path, monkeypatch):
    from examgen.render import outputs

    parent, ready = os.getpid(), outputs._ready

    def broken(given):
        if os.getpid() != parent:  # the worker's start, not this process's
            raise ModuleNotFoundError("No module named 'reportlab.pdfbase.ttfonts'")
        ready(given)

    monkeypatch.setattr(outputs, "_ready", broken)
    result = CliRunner().invoke(
        main, ["build", "--bank", BANK, "--total", "4", "--seed", "1", "--variants", "2",
               "-o", str(tmp_path / "out")])
    assert result.exit_code == 70
    assert result.stderr.strip().splitlines() == [
        "Error: a worker process could not start (ModuleNotFoundError: No module named "
        "'reportlab.pdfbase.ttfonts') while rendering the PDFs; nothing was written"]
    assert multiprocessing.active_children() == []



@pytest.mark.parametrize("layout, explained", [
    ("default", "a number with an arrow, (2) ↓, is a gap to fill by ticking"),
    ("de", "Eine Nummer mit Pfeil im Text, (2) ↓, ist eine Lücke")])
def test_a_cloze_choice_gap_is_a_marker_to_tick_below_not_a_line_to_write_on(
        tmp_path, layout, explained):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        "topic: T\nquestions:\n"
        "  - id: gaps\n    difficulty: easy\n    knowledge: recall\n    type: cloze\n"
        "    text: Alpha is the {{1}} and gamma the {{2}} here.\n"
        "    gaps:\n      - answers: [learning rate]\n"
        "      - options:\n          - text: discount factor\n            correct: true\n"
        "          - reward\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1", "--seed",
                                       "1", "--layout", layout, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    exam = text_of(tmp_path / "out" / "exam.pdf")
    assert "Alpha is the (1) ______________ and gamma the (2) ↓ here." in exam
    assert "(2) ↓ " + EMPTY_BOX + " discount factor " + EMPTY_BOX + " reward" in exam
    assert exam.count(explained) == 1
    without = tmp_path / "plain"
    without.mkdir()
    (without / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: one\n    difficulty: easy\n    knowledge: recall\n"
        "    type: cloze\n    text: A {{1}} only.\n    gaps:\n      - answers: [word]\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--bank", str(without), "--total", "1",
                                       "--layout", layout, "-o", str(tmp_path / "o2")])
    assert result.exit_code == 0, result.output
    assert "↓" not in text_of(tmp_path / "o2" / "exam.pdf")


def test_short_inline_code_is_never_broken_across_lines(tmp_path):
    code = "Q(s,a) <- Q(s,a) + alpha * (r + gamma * max Q(s',a') - Q(s,a))"[:60]
    long_code = " ".join(f"step{n} = f(step{n - 1})" for n in range(1, 9))  # 150 characters
    bank = _one_question_bank(tmp_path, "Some words before it, so that the code starts late "
                                        f"on its line: `{code}` and `{long_code}` end it.")
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in
             PdfReader(tmp_path / "out" / "exam.pdf").pages[0].extract_text().splitlines()]
    assert any(code in line for line in lines), lines
    assert not any(long_code in line for line in lines)  # too long for a line: it wraps
    assert long_code in " ".join(lines)
