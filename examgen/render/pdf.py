"""Exam and answer-key PDFs with reportlab: what a lecturer hands out, what a grader uses.

The question loop stays in Python; the layout supplies paper, fonts, colours, labels and
the text blocks. The exam and the key are separate modules; this one is their entry.
"""

from examgen.render.exam import render_exam
from examgen.render.flowables import EMPTY_BOX, TICKED_BOX
from examgen.render.key import render_key, render_key_overview

__all__ = ["EMPTY_BOX", "TICKED_BOX", "render_exam", "render_key", "render_key_overview"]
