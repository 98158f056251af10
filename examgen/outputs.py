"""Every file one build writes, named and rendered in memory before anything is written."""

from __future__ import annotations

from .manifest import dumps
from .model import Exam
from .render.layout import Layout
from .render.pdf import render_exam, render_key


def pdf_name(kind: str, exam: Exam, variant: str) -> str:
    """exam.pdf, exam-B.pdf, exam-f2.pdf or exam-f2-B.pdf (likewise key...)."""
    parts = [kind]
    if exam.name:
        parts.append(f"f{exam.name}")
    if len(exam.variants) > 1:
        parts.append(variant)
    return "-".join(parts) + ".pdf"


def render_outputs(exams: list[Exam], manifest: dict, layout: Layout | None,
                   paper: str = "a4") -> dict[str, bytes | str]:
    """exam.json and, unless ``layout`` is None, an exam and a key PDF per variant."""
    files: dict[str, bytes | str] = {"exam.json": dumps(manifest)}
    if layout is None:
        return files
    header = manifest.get("header", {})
    for exam in exams:
        for variant in exam.variants:
            files[pdf_name("exam", exam, variant.name)] = render_exam(exam, variant, layout,
                                                                      header, paper)
            files[pdf_name("key", exam, variant.name)] = render_key(exam, variant, layout,
                                                                    header, paper)
    return files
