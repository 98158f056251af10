"""Options that are pictures, from the command line: the bank's checks, the exam and key
(each picture printed beside its own box and letter, read back from the PDF with PDFium
and compared pixel by pixel with the file the YAML names), Moodle XML out and back in,
QTI, GIFT and the practice page. What is right comes from the YAML, read here."""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pypdfium2 as pdfium
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from examgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "tests" / "banks" / "pictures"


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


def _yaml() -> dict[str, dict]:
    data = yaml.safe_load((BANK / "activations.yaml").read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["questions"]}


def _pixels(data: Image.Image | Path) -> np.ndarray:
    image = Image.open(data) if isinstance(data, Path) else data
    return np.asarray(image.convert("RGB"), dtype=int)


@pytest.mark.parametrize("option, message", [
    ("{image: images/missing.png}", "option image file 'images/missing.png' not found"),
    ("{image: ../../../bank/images/yolo-grid.png}", "leaves the bank folder"),
    ("{correct: true}", "an option is a text or a mapping with 'text:'"),
])
def test_a_bad_picture_option_is_refused_at_its_line(tmp_path, option, message):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes((BANK / "images" / "relu.png").read_bytes())
    (tmp_path / "q.yaml").write_text(
        "topic: T\nquestions:\n  - id: p\n    difficulty: easy\n    knowledge: recall\n"
        "    type: single\n    text: Which?\n    options:\n"
        "      - {image: images/a.png, correct: true}\n"
        f"      - {option}\n", encoding="utf-8")
    code, output = _run("check", "--bank", tmp_path)
    assert code == 2 and "q.yaml:10:" in output and message in output, output


def test_each_picture_is_printed_beside_its_own_box_and_letter(tmp_path):
    code, output = _run("build", "--bank", BANK, "--total", "3", "--variants", "2", "--seed",
                        "2", "-o", tmp_path)
    assert code == 0, output
    manifest = json.loads((tmp_path / "exam.json").read_text())
    questions = _yaml()
    for variant in manifest["variants"]:
        for kind in ("exam", "key"):
            pdf = pdfium.PdfDocument(tmp_path / f"{kind}-{variant['name']}.pdf")
            seen = []
            for page in pdf:
                text = page.get_textpage()
                pictures = [o for o in page.get_objects()
                            if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
                for qid in ("act-relu-plot", "act-bounded"):
                    order = variant["options"][qid]
                    options = [questions[qid]["options"][i] for i in order]
                    for pos, option in enumerate(options):
                        letter = f"{'abcd'[pos]})"
                        found = text.search(letter, match_case=True, match_whole_word=False)
                        for left, bottom, _, top in _hits(found, text):
                            match = _picture_beside(pictures, left, bottom, top, option)
                            if match is not None:
                                seen.append((qid, option["image"]))
                                shown = _pixels(match.get_bitmap().to_pil())
                                source = _pixels(BANK / option["image"])
                                assert shown.shape == source.shape
                                assert np.abs(shown - source).max() <= 2, (qid, letter)
            expected = {(qid, o["image"]) for qid in ("act-relu-plot", "act-bounded")
                        for o in questions[qid]["options"] if "image" in o}
            assert set(seen) == expected, (kind, variant["name"])
        key = " ".join(pdfium.PdfDocument(tmp_path / f"key-{variant['name']}.pdf")[0]
                       .get_textpage().get_text_range().split())
        right = variant["options"]["act-relu-plot"].index(0)  # relu.png is correct
        assert f"☒ {'abc'[right]})" in key, key


def _hits(found, text) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    boxes = []
    while (hit := found.get_next()) is not None:
        start, count = hit
        boxes.append(text.get_charbox(start + count - 1))
    return boxes


def _picture_beside(pictures, left, bottom, top, option):  # type: ignore[no-untyped-def]
    """The picture whose top edge stands at the label's line (a picture alone) or just
    below it (under the option's text), to the label's right."""
    for picture in pictures:
        x0, y0, x1, y1 = (picture.get_bounds() if hasattr(picture, "get_bounds")
                          else picture.get_pos())  # pypdfium2 5, 4
        if x0 < left or x0 - left > 40:
            continue
        if "text" not in option and y0 < top <= y1 + 1:
            return picture
        if "text" in option and 0 <= bottom - y1 <= 12:
            return picture
    return None


def test_moodle_xml_carries_each_picture_in_its_answer_and_import_brings_it_back(tmp_path):
    code, output = _run("export", "moodle", "--bank", BANK, "-o", tmp_path / "q.xml")
    assert code == 0, output
    questions = _yaml()
    quiz = ElementTree.parse(tmp_path / "q.xml").getroot()
    for element in quiz.iter("question"):
        qid = element.findtext("idnumber")
        if qid not in ("act-relu-plot", "act-bounded"):
            continue
        for answer, option in zip(element.findall("answer"), questions[qid]["options"],
                                  strict=True):
            html = answer.findtext("text", "")
            if "image" not in option:
                assert "<img" not in html and answer.find("file") is None
                continue
            name = Path(option["image"]).name
            assert f'src="@@PLUGINFILE@@/{name}"' in html
            assert re.sub(r"<[^>]+>", "", html) == option.get("text", "")
            file = answer.find("file")
            assert file is not None and file.get("name") == name
            assert base64.b64decode(file.text or "") == (BANK / option["image"]).read_bytes()
            assert (float(answer.get("fraction", "0")) > 0) == bool(option.get("correct"))
    code, output = _run("import", "moodle", tmp_path / "q.xml", "-o", tmp_path / "back")
    assert code == 0, output
    back = yaml.safe_load(next((tmp_path / "back").glob("*.yaml")).read_text())
    for q in back["questions"]:
        if q["id"] not in ("act-relu-plot", "act-bounded"):
            continue
        for got, want in zip(q["options"], questions[q["id"]]["options"], strict=True):
            assert got.get("text") == want.get("text")
            assert bool(got.get("correct")) == bool(want.get("correct"))
            if "image" in want:
                assert (tmp_path / "back" / got["image"]).read_bytes() == \
                    (BANK / want["image"]).read_bytes()
    assert len(list((tmp_path / "back" / "images").iterdir())) == 3, "each picture once"
    code, output = _run("check", "--bank", tmp_path / "back")
    assert code == 0, output


def test_qti_gift_and_the_practice_page_show_or_name_the_pictures(tmp_path):
    code, output = _run("export", "qti", "--bank", BANK, "-o", tmp_path / "q.zip")
    assert code == 0, output
    package = zipfile.ZipFile(tmp_path / "q.zip")
    item = package.read("items/act-relu-plot.xml").decode()
    for option in _yaml()["act-relu-plot"]["options"]:
        name = Path(option["image"]).name
        assert f'<img src="images/{name}"' in item
        assert package.read(f"items/images/{name}") == (BANK / option["image"]).read_bytes()
    code, output = _run("export", "gift", "--bank", BANK, "-o", tmp_path / "q.gift")
    assert code == 0, output
    assert "Left out: act-relu-plot: an option is only its picture" in output
    assert "act-bounded: its options' pictures are left out" in output
    assert "::act-bounded" in (tmp_path / "q.gift").read_text()
    code, output = _run("practice", "--bank", BANK, "--total", "3", "-o", tmp_path / "p.html")
    assert code == 0, output
    page = (tmp_path / "p.html").read_text()
    relu = base64.b64encode((BANK / "images" / "relu.png").read_bytes()).decode()
    assert page.count(f"data:image/png;base64,{relu}") == 2  # in both questions
