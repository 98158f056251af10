"""The exam and the key as a person approved them, pinned page by page.

Every page's drawing operations (text, positions, lines, colours, fonts), with numbers
rounded to 0.01 pt, are hashed and compared with tests/snapshots/layout.json. A layout
that changes by accident (a measure, a colour, a table rule, a label) fails here; one
that changes on purpose is looked at and approved again:

    python -m tests.test_layout --update    # rewrites the snapshot, prints PNGs to look at
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ContentStream

from examgen.cli import main

HERE = Path(__file__).resolve().parent
BANK = HERE / "banks" / "layout"
SNAPSHOT = HERE / "snapshots" / "layout.json"
BUILDS = {"default": ["--variants", "2"], "de": ["--layout", "de"]}


def render(out: Path) -> dict[str, list[str]]:
    """One digest per page of every PDF the pinned builds write."""
    digests = {}
    for name, args in BUILDS.items():
        result = CliRunner().invoke(main, ["build", "--bank", str(BANK), "--total", "7",
                                           "--seed", "3", "-o", str(out / name), *args])
        assert result.exit_code == 0, result.output
        for pdf in sorted((out / name).glob("*.pdf")):
            if pdf.name != "exam-all.pdf":  # the exams' own pages, as PDFium copies them
                digests[f"{name}/{pdf.name}"] = _page_digests(pdf)
    return digests


def _page_digests(pdf: Path) -> list[str]:
    reader = PdfReader(pdf)
    out = []
    for page in reader.pages:
        ops = ContentStream(page.get_contents(), reader).operations
        shape = [[float(v) for v in page.mediabox],
                 [[[_norm(o) for o in operands], op.decode()] for operands, op in ops]]
        out.append(hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16])
    return out


def _norm(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, (int, float)):
        return round(float(value), 2)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    return str(value)


def test_exam_and_key_look_as_approved(tmp_path):
    approved = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    now = render(tmp_path)
    changed = sorted(k for k in approved.keys() | now.keys() if approved.get(k) != now.get(k))
    assert not changed, (f"the printed layout of {', '.join(changed)} changed; if on purpose, "
                         "look at it and approve it: python -m tests.test_layout --update")


def _update() -> None:
    out = Path(tempfile.mkdtemp(prefix="examgen-layout-"))
    digests = render(out)
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
    if shutil.which("pdftoppm"):
        for pdf in sorted(out.rglob("*.pdf")):
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf.with_suffix(""))],
                           check=True)
        print(f"look at every page: {out}/*/*.png")


if __name__ == "__main__" and "--update" in sys.argv:
    _update()
