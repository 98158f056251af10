"""Formulas: where the bank's texts hold one, that a malformed one is an error at its line,
that every supported construct typesets inside the page in exam and key, and that Moodle
gets it for MathJax."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from examgen.cli import main
from examgen.core.latex import formula_problem, split_math
from examgen.core.markup import to_html, to_plain
from examgen.formats.moodle_xml import to_moodle_xml

CONSTRUCTS = {
    "fraction": r"\frac{a}{b}",
    "sum with limits": r"\sum_{k=1}^{10} k^2",
    "sub and superscripts": r"x_i^2 + e^{-\lambda t}",
    "blackboard bold": r"\mathbb{E}_{x \sim p}[x] \in \mathbb{R}",
    "hat and bar": r"\hat{y} - \bar{x}",
    "matrix": r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}",
    "cases": r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
    "greek": r"\alpha \beta \gamma \Delta \Omega",
    "operators": r"\log \exp \max_{a'} \min_G \nabla_w L \cdot \le \ge \ne \approx",
    "gan objective": r"\min_G \max_D \mathbb{E}[\log D(x)] + \mathbb{E}[\log(1 - D(G(z)))]",
}


@pytest.mark.parametrize("text, pieces", [
    ("costs 5 $ or 6 $", [("text", "costs 5 $ or 6 $")]),
    ("$5 and $6", [("text", "$5 and $6")]),
    (r"a \$ b", [("text", "a $ b")]),
    ("loss $L$ here", [("text", "loss "), ("inline", "L"), ("text", " here")]),
    ("$$x^2$$", [("display", "x^2")]),
    (r"\(x\) and \[y\]", [("inline", "x"), ("text", " and "), ("display", "y")]),
    ("x$2$3", [("text", "x$2$3")]),
])
def test_where_a_formula_is(text, pieces):
    assert split_math(text) == pieces


@pytest.mark.parametrize("latex, problem", [
    (r"\frac{a}{", "1 '{' not closed"),
    (r"a}", "a '}' closes no '{'"),
    (r"\foo{x}", r"unknown command \foo"),
    (r"\begin{cases} a", r"\begin{cases} has no \end"),
    (" ", "the formula is empty"),
    *((latex, None) for latex in CONSTRUCTS.values()),
])
def test_what_is_wrong_with_a_formula(latex, problem):
    assert formula_problem(latex) == problem


def _bank(folder: Path, text: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "m.yaml").write_text(
        "topic: Math\nquestions:\n  - id: m1\n    difficulty: easy\n    knowledge: recall\n"
        "    type: open\n    text: |\n" + "".join(f"      {line}\n" for line in text.split("\n"))
        + "    model_answer: The key shows $\\frac{1}{2}$ too.\n" + extra, encoding="utf-8")
    return folder


def test_check_names_a_bad_formula_at_its_line_and_warns_of_missing_glyphs(tmp_path):
    bank = _bank(tmp_path / "bank", "First line.\nSecond line with $\\frac{a}{$ in it.")
    result = CliRunner().invoke(main, ["check", "--bank", str(bank)])
    assert result.exit_code == 2
    assert f"{bank / 'm.yaml'}:9: question 'm1': formula $\\frac{{a}}{{$: 1 '{{' not closed" \
        in result.output
    bank = _bank(tmp_path / "glyphs", "A join `a ⋈ b` and 中.")
    result = CliRunner().invoke(main, ["check", "--bank", str(bank)])
    assert result.exit_code == 0, result.output
    assert "m.yaml:8: warning: question 'm1': '⋈' (U+22C8) in code has no glyph" in result.output
    assert "'中' (U+4E2D) in text has no glyph" in result.output


def test_every_construct_typesets_inside_the_page_in_exam_and_key(tmp_path, monkeypatch):
    from examgen.render import math_drawing as formulas

    drawn: list[tuple[float, float, float, float]] = []
    original = formulas.Typeset.draw

    def record(shape, canvas, x, y, colour=None):  # type: ignore[no-untyped-def]
        a, b, c, d, e, f = canvas._currentMatrix  # where the flowable stands on the page
        drawn.append((a * x + c * y + e, b * x + d * y + f, shape.drawing.width,
                      shape.drawing.height))
        original(shape, canvas, x, y, colour)

    monkeypatch.setattr(formulas.Typeset, "draw", record)
    monkeypatch.setattr("examgen.render.outputs._PARALLEL_FROM", 10**9)  # record in this process
    text = "\n".join(f"{name} before ${latex}$ after, and shown:\n$${latex}$$"
                     for name, latex in CONSTRUCTS.items())
    bank = _bank(tmp_path / "bank", text)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1",
                                       "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    # every formula twice (inline, display) in the exam and the key, the model answer once
    assert len(drawn) == 4 * len(CONSTRUCTS) + 1
    width, height = 595.27, 841.89
    left, right = 20 * 72 / 25.4, width - 20 * 72 / 25.4
    for x, y, w, h in drawn:
        assert left - 0.5 <= x and x + w <= right + 0.5, (x, w)
        assert 18 * 72 / 25.4 - 0.5 <= y and y + h <= height - 18 * 72 / 25.4 + 0.5, (y, h)
    for name in ("exam.pdf", "key.pdf"):
        pages = " ".join(" ".join(p.extract_text().split())
                         for p in PdfReader(out / name).pages)
        for construct in CONSTRUCTS:
            assert f"{construct} before after" in pages, (name, construct)
    manifest = json.loads((out / "exam.json").read_text())
    assert manifest["variants"][0]["answers"]["m1"] == r"The key shows $\frac{1}{2}$ too."


def test_a_formula_is_typeset_once_per_process(tmp_path, monkeypatch):
    from examgen.render.math_drawing import typeset

    monkeypatch.setattr("examgen.render.outputs._PARALLEL_FROM", 10**9)  # this process's cache
    bank = _bank(tmp_path / "bank", "The same $\\frac{x}{y}$ again.")
    typeset.cache_clear()
    for out in ("a", "b"):
        result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1",
                                           "--seed", "1", "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    info = typeset.cache_info()
    assert info.misses == 2  # the formula and the model answer's
    assert info.hits >= 2


def test_moodle_gets_formulas_for_mathjax_escaped_in_xml_and_gaps(tmp_path):
    assert to_html(r"if $a < b$ then $$\frac{a}{b}$$") == \
        r"if \(a &lt; b\) then \[\frac{a}{b}\]"
    assert to_plain(r"the loss $L$") == "the loss $L$"
    from examgen.bank.loader import load_bank

    bank = _bank(tmp_path / "bank", "Loss $L = \\sum_i (x_i - \\hat{x}_i)^2$.", extra=(
        "  - id: c1\n    difficulty: easy\n    knowledge: recall\n    type: cloze\n"
        "    text: 'Here $\\alpha$ is the {{1}}.'\n    gaps:\n      - options:\n"
        "          - text: 'rate $\\eta_{t}$'\n            correct: true\n"
        "          - 'factor $\\gamma$'\n"))
    xml = to_moodle_xml(list(load_bank(bank).questions), "Root")
    assert r"\(L = \sum_i (x_i - \hat{x}_i)^2\)" in xml
    # in a gap, every character Moodle's cloze parser reads is an entity, braces included
    gap = re.search(r"\{1:MULTICHOICE_S:(.*?)\}", xml)
    assert gap and "&#92;(&#92;eta_&#123;t&#125;&#92;)" in gap.group(1)


@pytest.mark.parametrize("width", [float(w) for w in range(150, 330, 7)])
def test_an_inline_formula_is_drawn_where_its_room_is_whatever_the_line_breaks(
        width, monkeypatch, tmp_path):
    """A line may break right before or after a formula: the formula is drawn exactly in
    its room, never at the end of the line above (the place reportlab gives the room is
    recorded by a canvas one level up). examgen sets text flush left; reportlab's
    justified lines do not count an image's width and may overrun the column."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from examgen.render import math_drawing

    rooms: list[tuple[float, float]] = []  # where reportlab puts each room
    drawn: list[tuple[float, float]] = []  # where each formula is drawn

    class Recording(math_drawing.FormulaCanvas):
        def drawImage(self, image, x, y, width=None, height=None, *args, **kwargs):  # noqa: N802
            rooms.append((x, y))
            return super().drawImage(image, x, y, width, height, *args, **kwargs)

    real = math_drawing.Typeset.draw
    monkeypatch.setattr(math_drawing.Typeset, "draw",
                        lambda s, c, x, y, colour=None: (drawn.append((x, y)),
                                                         real(s, c, x, y, colour)))
    canvas = Recording(str(tmp_path / "f.pdf"))
    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=13)
    text = ("Which discriminator maximises " + math_drawing.formula_markup("V", False, 10)
            + "? The immediate reward " + math_drawing.formula_markup("r_{t+1}", False, 10)
            + " and the estimate " + math_drawing.formula_markup(r"\hat{x}", False, 10)
            + " of the learning rate " + math_drawing.formula_markup(r"\eta", False, 10)
            + " end the line.")
    paragraph = Paragraph(text, style)
    paragraph.wrap(width, 1000)
    paragraph.drawOn(canvas, 50, 500)
    assert len(rooms) == len(drawn) == 4
    lefts = [math_drawing.typeset(latex, 10, False).left
             for latex in ("V", "r_{t+1}", r"\hat{x}", r"\eta")]  # empty room cut off
    assert drawn == [pytest.approx((x - left, y)) for (x, y), left in zip(rooms, lefts,
                                                                          strict=True)]
    # in the paragraph's own coordinates: inside its column
    assert all(-0.01 <= x <= width for x, _ in rooms), rooms


def _shapes(node, out: list) -> list:  # type: ignore[no-untyped-def]
    """Every filled shape of a drawing with its coordinates, and every transform."""
    kind = type(node).__name__
    if kind == "Path":
        out.append((kind, [round(v, 6) for v in node.points], list(node.operators),
                    node.fillColor, node.strokeColor, node.strokeWidth))
    elif kind == "Rect":
        out.append((kind, node.x, node.y, node.width, node.height, node.fillColor,
                    node.strokeColor, node.strokeWidth))
    else:
        if getattr(node, "transform", None) not in (None, (1, 0, 0, 1, 0, 0)):
            out.append(("transform", [round(v, 9) for v in node.transform]))
        for child in getattr(node, "contents", []):
            _shapes(child, out)
    return out


def _as_svglib_builds(outline):  # type: ignore[no-untyped-def]
    """The outlines as the reportlab shapes svglib builds for an SVG, in points."""
    from reportlab.graphics.shapes import Drawing, Group, Path, Rect
    from reportlab.lib.colors import black

    from examgen.render.svg_shapes import SVG_PX

    shapes = []
    for shape in outline.shapes:
        if shape[0][0] == "R":
            bar = Rect(*shape[0][1])
            bar.fillColor, bar.strokeColor, bar.strokeWidth = black, None, 1.0
            shapes.append(bar)
            continue
        path = Path(fillColor=black, strokeColor=None, strokeWidth=1.0)
        steps = {"M": path.moveTo, "L": path.lineTo, "C": path.curveTo, "Z": path.closePath}
        for op, args in shape:
            steps[op](*args)
        shapes.append(path)
    drawing = Drawing(outline.width * SVG_PX, outline.height * SVG_PX)
    drawing.add(Group(*shapes, transform=tuple(v * SVG_PX for v in outline.transform)))
    return drawing


@pytest.mark.parametrize("latex", [*CONSTRUCTS.values(), r"\sqrt{2} - 12\,345{,}5",
                                   r"\frac{1}{3}\sum_{i=1}^{3} (x_i - \hat{x}_i)^2"])
def test_the_own_svg_reader_builds_what_svglib_builds(latex):
    """svg_shapes reads ziamath's formulas without svglib; every shape, coordinate and
    colour must be the one svglib makes of the same SVG, at every size and placement."""
    import io

    from svglib.svglib import svg2rlg
    from ziamath.config import config
    from ziamath.zmath import Latex

    from examgen.render.svg_shapes import svg_outline

    config.svg2 = False
    for size, inline in ((10.5, True), (8.5, True), (10.5, False)):
        svg = Latex(latex, size=size, inline=inline, margin=0).svg()
        outline = svg_outline(svg)
        assert outline is not None, latex
        mine = _as_svglib_builds(outline)
        theirs = svg2rlg(io.BytesIO(svg.encode("utf-8")))
        assert _shapes(mine, []) == _shapes(theirs, []), latex
        assert (mine.width, mine.height) == (theirs.width, theirs.height)


def test_an_svg_the_own_reader_does_not_know_is_left_to_svglib():
    from ziamath.config import config
    from ziamath.zmath import Latex

    from examgen.render.svg_shapes import svg_outline

    config.svg2 = False
    svg = Latex(r"\frac{a}{b}", size=10.5, inline=True, margin=0).svg()
    assert "<rect" in svg and svg_outline(svg) is not None
    assert svg_outline(svg.replace("<rect ", '<circle r="1" ', 1)) is None  # an element
    assert svg_outline(svg.replace(' fill="black"', ' fill="red"', 1)) is None  # a colour
    assert svg_outline(svg.replace(" L ", " C ", 1)) is None  # a path command


@pytest.fixture()
def formula_cache(tmp_path, monkeypatch):
    """A cache folder of the test's own, and a typesetter that counts its work."""
    from examgen.core import formula_svg as formula_cache
    from examgen.render import math_drawing

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    formula_cache.cache_folder.cache_clear()
    math_drawing.typeset.cache_clear()
    calls: list[str] = []
    original = formula_cache._typeset

    def counted(latex: str, size: float, display: bool, font: str) -> str:
        calls.append(latex)
        return original(latex, size, display, font)

    monkeypatch.setattr(formula_cache, "_typeset", counted)
    yield calls
    formula_cache.cache_folder.cache_clear()
    math_drawing.typeset.cache_clear()


def test_a_formula_typeset_in_one_run_is_read_back_in_the_next(formula_cache):
    from examgen.core import formula_svg as cache
    from examgen.render.math_drawing import typeset

    first = typeset(r"\frac{a}{b} + \sqrt{x}", 10.5, False)
    typeset.cache_clear()  # the next run: a new process
    again = typeset(r"\frac{a}{b} + \sqrt{x}", 10.5, False)
    assert formula_cache == [r"\frac{a}{b} + \sqrt{x}"]  # typeset once, then read
    assert (again.width, again.height, again.depth) == (first.width, first.height,
                                                        first.depth)
    folder = cache.cache_folder()
    assert folder is not None and oct(folder.stat().st_mode & 0o777) == "0o700"


def test_a_picture_that_does_not_read_is_typeset_again(formula_cache):
    from examgen.core import formula_svg as cache
    from examgen.render.math_drawing import typeset

    typeset("x^2", 10.5, False)
    folder = cache.cache_folder()
    assert folder is not None
    [picture] = folder.glob("*.svg")
    picture.write_text("<svg>cut off", encoding="utf-8")
    typeset.cache_clear()
    typeset("x^2", 10.5, False)
    assert formula_cache == ["x^2", "x^2"]
    assert picture.read_text(encoding="utf-8").startswith("<svg")
    assert "viewBox" in picture.read_text(encoding="utf-8")


def test_a_cache_others_can_write_to_or_turned_off_is_not_used(formula_cache, tmp_path,
                                                                monkeypatch):
    from examgen.core import formula_svg as cache
    from examgen.render.math_drawing import typeset

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    (shared / "examgen").mkdir(mode=0o777)
    (shared / "examgen").chmod(0o777)
    cache.cache_folder.cache_clear()
    folder = cache.cache_folder()
    assert folder is not None  # created by us with 0700 inside
    folder.chmod(0o777)  # then opened to everyone: a planted picture could print
    cache.cache_folder.cache_clear()
    assert cache.cache_folder() is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    monkeypatch.setenv("EXAMGEN_NO_CACHE", "1")
    cache.cache_folder.cache_clear()
    assert cache.cache_folder() is None
    typeset("y_1", 10.5, False)
    typeset.cache_clear()
    typeset("y_1", 10.5, False)
    assert formula_cache == ["y_1", "y_1"]
    assert not (tmp_path / "mine").exists()


def test_the_layout_chooses_the_math_font(tmp_path):
    """fonts.math: the default DejaVu Math TeX Gyre (the text's family: its digits as wide
    as the text's), or STIX Two Math; anything else is refused at its line."""
    import pypdfium2

    bank = _bank(tmp_path / "bank", "Count $|V| = 30\\,000$ tokens.")
    widths = {}
    for font in ("dejavu", "stix"):
        layout = tmp_path / font
        layout.mkdir()
        (layout / "layout.yaml").write_text(f"fonts:\n  math: {font}\n", encoding="utf-8")
        out = tmp_path / f"out-{font}"
        result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1",
                                           "--layout", str(layout), "-o", str(out)])
        assert result.exit_code == 0, result.output
        page = pypdfium2.PdfDocument(out / "exam.pdf")[0]
        paths = [o.get_bounds() if hasattr(o, "get_bounds") else o.get_pos()
                 for o in page.get_objects(max_depth=4) if o.type == 2]  # path objects
        glyphs = [b for b in paths if b[3] - b[1] < 12 and b[2] - b[0] < 12]
        widths[font] = max(b[2] for b in glyphs) - min(b[0] for b in glyphs)
    text_digits = 5 * 6.68  # "30000" in DejaVu Sans at 10.5 pt: 0.636 em a digit
    assert abs(widths["dejavu"] - widths["stix"]) > 3
    assert widths["dejavu"] > widths["stix"]  # DejaVu's digits are the text's, wider
    assert widths["dejavu"] > text_digits
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "layout.yaml").write_text("fonts:\n  size: 10\n  math: comic\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--bank", str(bank), "--total", "1",
                                       "--layout", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "layout.yaml:3: fonts.math must be one of dejavu, stix" in result.output


@pytest.mark.parametrize("latex, spaced", [
    (r"\gamma \max_{a'} Q(s', a')", r"\gamma \,\max_{a'}\, Q(s', a')"),
    (r"\max(x, y)", r"\max(x, y)"),  # an opening bracket after it: no space
    (r"a \log b", r"a \,\log\, b"),
    (r"2\sin^2 x", r"2\,\sin^2\, x"),
    (r"\frac{1}{n}\log n", r"\frac{1}{n}\,\log\, n"),
    (r"x \,\max y", r"x \,\max\, y"),  # a space written already is not doubled
    (r"= \log_{2} n", r"= \log_{2}\, n"),  # after a relation: none
])
def test_operator_names_get_the_thin_spaces_tex_gives_them(latex, spaced):
    from examgen.core.tex_spacing import with_operator_spaces

    assert with_operator_spaces(latex) == spaced


def _ink_spans(svg: str) -> list[tuple[float, float]]:
    """Each glyph's ink from left to right, in SVG units: the outlines' x extent."""
    spans = []
    for data in re.findall(r'<path d="([^"]+)"', svg):
        numbers = [float(v) for v in re.findall(r"-?[0-9]+\.?[0-9]*(?:e-?[0-9]+)?", data)]
        spans.append((min(numbers[0::2]), max(numbers[0::2])))
    return sorted(spans)


@pytest.mark.parametrize("font", ["dejavu", "stix"])
def test_a_nablas_subscript_sits_as_close_as_after_any_symbol(formula_cache, font):
    """"∇_w L" printed "∇ wL" (issue 23): its subscript now stands no further from it
    than a Delta's from the Delta, give or take a tenth of an em."""
    from examgen.core.formula_svg import formula_svg

    size = 20.0
    gaps = {}
    for symbol in ("nabla", "Delta"):
        spans = _ink_spans(formula_svg(f"\\{symbol}_w L", size, False, font))
        gaps[symbol] = spans[1][0] - spans[0][1]
    assert gaps["nabla"] <= gaps["Delta"] + 0.1 * size, gaps
    assert gaps["nabla"] > 0, gaps  # close, not overlapping


def test_a_typeset_operator_name_has_its_spaces(formula_cache):
    """In the picture, "γ max Q" is as wide as with the spaces written by hand."""
    from examgen.render.math_drawing import typeset

    glued = typeset(r"\gamma \max_{a'} Q", 10.5, False)
    spaced = typeset(r"\gamma\,\max_{a'}\,Q", 10.5, False)
    assert glued.width == pytest.approx(spaced.width, abs=0.01)


# Each glyph's ink in `x_{max}` at 10 pt, in pt from the x's left edge: x, m, a, x
# (left, right) and the subscript's top and bottom from the baseline (down is positive).
# Measured on XeTeX's PDF (TeX Live 2022, unicode-math, DejaVu Math TeX Gyre, a 10 pt
# document) rendered at 720 dpi; XeTeX sets scripts at the font's ScriptPercentScaleDown
# (80 %) for the document's size, as unicode-math declares it.
XETEX_X_MAX = [(0.0, 5.4), (7.0, 14.1), (15.7, 20.0), (21.6, 26.3)]
XETEX_SUBSCRIPT_ROWS = (-1.4, 2.8)


def test_a_multi_letter_subscript_is_set_as_xetex_sets_it(formula_cache):
    """"Multi-letter subscripts are spaced as TeX spaces them" (issue 23): each letter of
    `x_{max}` stands where XeTeX puts it, at the same script size, within 0.2 pt."""
    from examgen.core.formula_svg import formula_svg

    boxes = []
    for data in re.findall(r'<path d="([^"]+)"', formula_svg("x_{max}", 10.0, False)):
        numbers = [float(v) for v in re.findall(r"-?[0-9]+\.?[0-9]*(?:e-?[0-9]+)?", data)]
        boxes.append((min(numbers[0::2]), max(numbers[0::2]),
                      min(numbers[1::2]), max(numbers[1::2])))
    boxes.sort()
    left = boxes[0][0]
    assert len(boxes) == len(XETEX_X_MAX)
    for (ours_left, ours_right, *_), (tex_left, tex_right) in zip(boxes, XETEX_X_MAX,
                                                                 strict=True):
        assert ours_left - left == pytest.approx(tex_left, abs=0.2)
        assert ours_right - left == pytest.approx(tex_right, abs=0.2)
    for _, _, top, bottom in boxes[1:]:
        assert top == pytest.approx(XETEX_SUBSCRIPT_ROWS[0], abs=0.2)
        assert bottom == pytest.approx(XETEX_SUBSCRIPT_ROWS[1], abs=0.2)


@pytest.mark.parametrize("latex", [r"\frac{a}{b}", r"\sqrt{2} - 12\,345{,}5",
                                   r"\frac{1}{3}\sum_{i=1}^{3} (x_i - \hat{x}_i)^2"])
def test_outlines_drawn_on_the_canvas_look_as_reportlabs_renderer_draws_them(latex, tmp_path):
    """The outlines are filled straight on the canvas; reportlab's renderer, drawing
    the shapes svglib would build, gives the same pixels (up to an edge pixel's
    anti-aliasing), in black and in the key's green."""
    import io

    import numpy
    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas
    from svglib.svglib import svg2rlg
    from ziamath.config import config
    from ziamath.zmath import Latex

    from examgen.render.svg_shapes import SVG_PX, svg_outline

    config.svg2 = False
    svg = Latex(latex, size=10.5, inline=True, margin=0).svg()
    outline, drawing = svg_outline(svg), svg2rlg(io.BytesIO(svg.encode("utf-8")))
    assert outline is not None and drawing is not None
    drawing.scale(1 / SVG_PX, 1 / SVG_PX)
    pictures = []
    for way in ("outline", "renderer"):
        path = tmp_path / f"{way}.pdf"
        canvas = Canvas(str(path), pagesize=(200, 80))
        for y, colour in ((10, None), (45, HexColor("#1b7a3a"))):
            if way == "outline":
                outline.draw(canvas, 20, y, colour or HexColor("#000000"))
            else:
                stack = [drawing]
                while colour is not None and stack:  # svglib's groups nest
                    node = stack.pop()
                    if getattr(node, "fillColor", None) is not None:
                        node.fillColor = colour
                    stack.extend(getattr(node, "contents", []))
                renderPDF.draw(drawing, canvas, 20, y)
        canvas.save()
        pictures.append(pdfium.PdfDocument(path)[0].render(scale=6).to_pil().convert("RGB"))
    mine, theirs = (numpy.asarray(p, dtype=int) for p in pictures)
    differ = int((abs(mine - theirs).max(axis=2) > 40).sum())
    assert differ <= 0.0005 * mine.shape[0] * mine.shape[1], differ
    assert int((mine.min(axis=2) < 128).sum()) > 500  # ink was drawn
