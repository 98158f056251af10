"""The practice page (issue 26): one HTML file with nothing fetched from elsewhere, its
questions as the YAML says them, and, in a real browser (Chromium through Playwright),
a question answered right and wrong, a numeric answer with a decimal comma, the filters
and the keyboard."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from examgen.cli import main

from .conftest import ROOT
from .oracle import fold, printed, read_bank

BANK = ROOT / "bank"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
QUESTIONS = ("gan-players", "yolo-iou", "ae-cloze", "yolo-two-stage", "hu-in-the-loop",
             "rl-discount-zero")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("practice") / "practice.html"
    requires = [arg for qid in QUESTIONS for arg in ("--require", qid)]
    result = CliRunner().invoke(main, ["practice", "--bank", str(BANK), "--total", "6",
                                       *requires, "--seed", "2", "--layout", "de",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@contextmanager
def browser_tab(page: Path) -> Iterator[tuple[Any, list[str]]]:
    """A real browser's tab showing ``page``, and the script errors it reports."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            tab = browser.new_page()
            errors: list[str] = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.goto(page.as_uri())
            yield tab, errors
        finally:
            browser.close()


def _data(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script id="data" type="application/json">(.*?)</script>', text, re.S)
    assert found
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_the_page_is_self_contained_and_holds_the_questions_as_the_yaml_says(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', text) and "<link" not in text
    assert "<script src" not in text and "@import" not in text
    data = _data(page)
    drawn = {q["id"]: q["values"] for q in data["questions"] if "values" in q}
    assert set(drawn) == {"yolo-iou"}
    expected = read_bank(BANK, drawn, ",")
    assert {q["id"] for q in data["questions"]} == set(QUESTIONS)
    for q in data["questions"]:
        e = expected[q["id"]]
        assert q["type"] == e.type and q["cell"] == f"{e.difficulty}/{e.knowledge}"
        if e.type in ("single", "multiple"):  # in the page's own (shuffled) order
            right = {fold(printed(t)) for t, ok in e.options if ok}
            texts = [fold(re.sub(r"<[^>]+>", "", o)) for o in q["options"]]
            assert sorted(texts) == sorted(fold(printed(t)) for t, _ in e.options)
            assert q["correct"] == [n for n, t in enumerate(texts) if t in right]
        if e.type == "truefalse":
            assert q["answer"] == e.answer
    iou = next(q for q in data["questions"] if q["id"] == "yolo-iou")
    assert iou["value"] == pytest.approx(float(expected["yolo-iou"].value))
    assert data["labels"]["practice_check"] == "Prüfen"
    formula = next(q for q in data["questions"] if q["id"] == "rl-discount-zero")["stem"]
    assert '<svg role="img" aria-label="\\gamma = 0"' in formula  # typeset, with its name


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (CI installs it)")
def test_a_student_answers_in_a_real_browser(page):
    data = _data(page)
    index = {q["id"]: n for n, q in enumerate(data["questions"])}
    with browser_tab(page) as (tab, errors):
        articles = tab.locator("article")
        assert articles.count() == len(QUESTIONS)
        players = articles.nth(index["gan-players"])
        q = data["questions"][index["gan-players"]]
        wrong = next(n for n in range(len(q["options"])) if n not in q["correct"])
        players.locator(f"#q{index['gan-players']}o{wrong}").check()
        players.locator("button").click()
        assert "Leider nicht." in players.locator(".feedback").inner_text()
        players.locator(f"#q{index['gan-players']}o{q['correct'][0]}").check()
        players.locator("button").click()
        feedback = players.locator(".feedback")
        assert "Richtig!" in feedback.inner_text()
        assert feedback.get_attribute("aria-live") == "polite"
        # a numeric answer typed with a decimal comma, sent with the keyboard
        iou = data["questions"][index["yolo-iou"]]
        box = articles.nth(index["yolo-iou"])
        field = box.locator("input")
        field.fill(f"{iou['value']:.2f}".replace(".", ","))
        field.press("Enter")
        assert "Richtig!" in box.locator(".feedback").inner_text()
        # the filters: one cell leaves only its questions
        cell = data["questions"][index["yolo-two-stage"]]["cell"]
        tab.select_option("#filter-cell", cell)
        shown = [articles.nth(n).is_visible() for n in range(len(QUESTIONS))]
        assert shown == [q["cell"] == cell for q in data["questions"]]
        assert errors == []


def test_a_topic_with_markup_stays_text(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(
        'topic: "<img src=x onerror=alert(1)>"\nquestions:\n'
        "  - {id: a, difficulty: easy, knowledge: recall, type: truefalse, text: 'Yes <b>?',"
        " answer: true}\n", encoding="utf-8")
    out = tmp_path / "p.html"
    result = CliRunner().invoke(main, ["practice", "--bank", str(bank), "--total", "1",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = _data(out)
    assert data["questions"][0]["stem"] == "Yes &lt;b&gt;?"  # escaped, as every bank text
    if CHROMIUM is None:
        return
    with browser_tab(out) as (tab, _):
        assert tab.locator("img").count() == 0  # the topic was not made an element
        assert tab.locator("#filter-topic option").nth(1).text_content() == \
            "<img src=x onerror=alert(1)>"
