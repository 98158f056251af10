"""Drawing replayed across documents (examgen/render/replay.py) writes what drawing it
again would, and is recorded only where that holds."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from reportlab.pdfgen.canvas import Canvas

from examgen.cli import main
from examgen.render import replay
from examgen.render.fonts import register_fonts

from .conftest import ROOT

BANK = str(ROOT / "bank")
SANS = register_fonts()[0]


@pytest.fixture(autouse=True)
def recordings(monkeypatch):
    """Each test starts with no recordings and leaves the process's own alone."""
    monkeypatch.setattr(replay, "_drawn", {})


@pytest.fixture
def primed():
    """A canvas whose document met ExamSans and ``characters`` first."""

    def make(characters: str) -> Canvas:
        canvas = Canvas(io.BytesIO(), invariant=True)
        replay.prime(canvas, replay.Primer((SANS,), characters))
        return canvas

    return make


@pytest.mark.parametrize("layout, variants", [("default", "3"), ("de", "2")])
def test_replayed_drawing_writes_the_same_bytes_as_drawing(tmp_path, monkeypatch, layout,
                                                           variants):
    """Text drawn once and replayed in later documents gives the very bytes
    that drawing it again gives: in the first build, which records, and in a later one,
    which only replays. The sample bank has every type, formulas, pictures and cloze."""
    monkeypatch.setattr("examgen.outputs._PARALLEL_FROM", 10**9)  # recordings stay here

    def build(run: str) -> dict[str, bytes]:
        out = tmp_path / run
        result = CliRunner().invoke(main, ["build", "--bank", BANK, "--total", "20", "--seed",
                                           "5", "--variants", variants, "--layout", layout,
                                           "-o", str(out)])
        assert result.exit_code == 0, result.output
        return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}

    monkeypatch.setattr(replay, "ENABLED", False)
    drawn = build("drawn")
    assert not replay._drawn
    monkeypatch.setattr(replay, "ENABLED", True)
    recorded = build("recorded")
    assert len(replay._drawn) > 100  # stems, options and the key's notes
    replayed = build("replayed")
    assert drawn.keys() == recorded.keys() == replayed.keys()
    assert len(drawn) == 2 * int(variants) + 2
    for name, data in drawn.items():
        assert recorded[name] == data, name
        assert replayed[name] == data, name


def test_only_a_draw_in_a_document_still_as_primed_is_recorded(primed):
    """A character the primer missed gets its code from the order of drawing: what is
    drawn with it, or after it, means something else in another document."""
    canvas = primed("ä")
    canvas.setFont(SANS, 10)

    def text(key: str, words: str) -> None:
        replay.replay(canvas, (key,), lambda: canvas.drawString(0, 0, words))

    text("primed", "Bär")
    text("unprimed", "Bör")
    text("after", "Bär")
    assert [key[-1] for key in replay._drawn] == ["primed"]
    before = len(canvas._code)
    text("primed", "anything")  # replayed: what was recorded, not this
    assert canvas._code[before:] == [code for code, _ in replay._drawn.values()]


def test_a_replay_starts_from_the_state_it_was_drawn_in_and_leaves_the_state_it_left(primed):
    """reportlab writes text in the canvas's current font: a draw recorded in one font is
    not replayed in another, and one that sets a font leaves it set, replayed or not."""
    canvas = primed("")

    def drawn(key: str, draw) -> str:
        before = len(canvas._code)
        replay.replay(canvas, (key,), draw)
        return " ".join(canvas._code[before:])

    canvas.setFont(SANS, 10)
    assert " 10 Tf" in drawn("a", lambda: canvas.drawString(0, 0, "a"))
    canvas.setFont(SANS, 14)
    assert " 14 Tf" in drawn("a", lambda: canvas.drawString(0, 0, "a"))
    for _ in range(2):  # drawn, then replayed
        canvas.setFont(SANS, 10)
        drawn("larger", lambda: canvas.setFont(SANS, 20))
        assert canvas._fontsize == 20
    drawn("moves", lambda: canvas.translate(5, 5))  # what follows stands elsewhere: kept out
    assert len(replay._drawn) == 3


def test_a_state_that_cannot_be_hashed_is_keyed_by_its_text_and_restored(primed):
    """reportlab keeps a colour given as a list as that list: such a state cannot be part
    of a key as it is; the state after a replayed draw is restored all the same."""
    canvas = primed("")
    for _ in range(2):  # drawn, then replayed
        canvas.setFillColor((0, 0, 0))
        replay.replay(canvas, ("grey",), lambda: canvas.setFillColor([0.5, 0.5, 0.5]))
        assert canvas._fillColorObj == [0.5, 0.5, 0.5]
    for _ in range(2):
        replay.replay(canvas, ("after grey",), lambda: canvas.line(0, 0, 1, 1))
    assert len(replay._drawn) == 2
