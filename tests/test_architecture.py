"""The shape of the house, read from its imports (../shared/ARCHITECTURE.md): parts that
only point down, no cycles, small modules with names used once, and commands that start
without loading what they do not need."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "examgen"
# Lower parts first; a module may import its own part and the parts before it. analyze
# may draw its report with render (lazily), and api (with lecture, the library's slides and
# practice page over it) and cli stand over all the rest.
LAYERS = ["core", "bank", "select", "formats", "render", "grade", "analyze", "api", "lecture",
          "cli"]
HEAVY = ("reportlab", "highspy", "numpy", "cv2", "pypdfium2", "jinja2")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every examgen module and the examgen modules it imports, anywhere in its body
    (lazy imports inside functions count: they are arrows too)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module(path)
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
        graph[name] = targets
    return {m: {t for t in ts if t in graph and t != m} for m, ts in graph.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "cli"  # the entry points
    return parts[1]


def test_the_imports_have_no_cycle():
    graph = _imports()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(module):]
                                                                + [module]))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_no_part_imports_a_higher_one():
    wrong = []
    for module, targets in _imports().items():
        here = LAYERS.index(_part(module))
        wrong += [f"{module} -> {t}" for t in targets
                  if LAYERS.index(_part(t)) > here]
    assert wrong == []


def test_render_never_imports_analyze_and_formats_never_render_or_each_other():
    graph = _imports()
    assert [m for m in graph if _part(m) == "render"
            and any(_part(t) == "analyze" for t in graph[m])] == []
    for module in (m for m in graph if _part(m) == "formats"):
        assert not any(_part(t) == "render" for t in graph[module]), module


def test_modules_are_small_named_once_and_few_at_the_top():
    modules = [p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"]
    long = {str(p.relative_to(ROOT)): n for p in modules
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
    twice = [name for name, n in Counter(p.name for p in modules).items() if n > 1]
    assert twice == []
    assert len(list(PACKAGE.glob("*.py"))) <= 10


def test_help_and_check_load_no_heavy_library():
    probe = ("import sys, runpy\n"
             "sys.argv = ['examgen'] + sys.argv[1:]\n"
             "try:\n    runpy.run_module('examgen', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))")
    for args in (["--help"], ["check", "--bank", str(ROOT / "bank")]):
        result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                                text=True, check=True)
        assert result.stdout.strip().splitlines()[-1] == "[]", args


def test_bank_select_and_core_never_import_reportlab_and_analyze_only_lazily():
    for path in PACKAGE.rglob("*.py"):
        part = _part(_module(path))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        everywhere = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        top = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
        if part in ("core", "bank", "select"):
            assert not any(m and m.startswith("reportlab") for m in everywhere), path
        if part == "analyze" and path.name != "report_pdf.py":  # the report draws
            assert not any(m and m.startswith(("reportlab", "examgen.render")) for m in top)
