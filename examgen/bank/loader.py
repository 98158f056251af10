"""Load a folder of YAML question files into a validated ``Bank``.

Every problem in every file is collected (not just the first) with its file and line,
so ``examgen check`` can list them all at once. Values are read strictly (``values``):
texts keep the characters written, booleans are true/false, numbers are finite decimals.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from examgen.bank.fields import FileContext, is_text, line_of
from examgen.bank.parametrised import TEMPLATE_FIELDS, first_draw, instantiate, read_template
from examgen.bank.question_node import parse_question
from examgen.core.errors import BankError, Problem, suggest
from examgen.core.gcpause import gc_paused
from examgen.core.model import (
    Bank,
    Question,
)
from examgen.core.params import DrawError
from examgen.core.yamlio import Node, read_yaml

FILE_FIELDS = {"topic", "questions"}


def load_bank(path: str | Path) -> Bank:
    """Load and validate every ``*.yaml`` below ``path``; raise BankError listing all problems."""
    bank, problems = check_bank(path)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise BankError(errors)
    return bank


def check_bank(path: str | Path) -> tuple[Bank, list[Problem]]:
    """Load what is valid and return it with the list of every problem found."""
    with gc_paused():
        return _check_bank(Path(path))


def _check_bank(root: Path) -> tuple[Bank, list[Problem]]:
    if not root.is_dir():
        raise BankError([Problem(str(root), 0, "no such bank folder (give --bank DIR)")])
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise BankError([Problem(str(root), 0, "the bank folder holds no .yaml files")])
    digest = hashlib.sha256()
    questions: list[Question] = []
    problems: list[Problem] = []
    seen: dict[str, Question] = {}
    resolved_root = root.resolve()
    for file in files:
        raw = file.read_bytes()
        rel = file.relative_to(root).as_posix()
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        ctx = FileContext(str(file), file.parent, resolved_root)
        for q in load_file(raw, ctx):
            if q.id in seen:
                first = seen[q.id]
                ctx.report(q.line, f"duplicate id '{q.id}' (first defined at {first.file}:"
                                   f"{first.line}); give each question its own id")
                continue
            seen[q.id] = q
            questions.append(q)
            if q.image is not None:
                digest.update(q.image.read_bytes())
        problems.extend(ctx.problems + ctx.warnings)
    return Bank(root, tuple(questions), digest.hexdigest()), problems


def parametrised(node: Node, topic: str | None, ctx: FileContext) -> Question | None:
    """A question with ``params:``: its template, shown and checked by its first draw."""
    if "params" not in node:
        ctx.report(node.key_lines.get("let", node.key_lines.get("where", node.line)),
                   "'let' and 'where' belong to a parametrised question: add 'params:'")
        return None
    template = read_template(node, topic, ctx)
    if template is None:
        return None
    qid = str(node.get("id", ""))
    try:
        return instantiate(template, first_draw(template, qid))
    except DrawError as exc:
        ctx.report(exc.line, f"question '{qid}': {exc}")
        return None


def load_file(raw: bytes, ctx: FileContext) -> list[Question]:
    """The questions of one file's bytes; every problem goes to ``ctx``."""
    data = read_yaml(raw, ctx.report)
    if data is None and ctx.problems:
        return []
    if not isinstance(data, Node):
        ctx.report(1, "a bank file is a mapping with 'topic:' and a 'questions:' list")
        return []
    for key in data:
        if key not in FILE_FIELDS:
            ctx.report(data.key_lines[key], f"unknown field '{key}' at file level"
                       f"{suggest(key, FILE_FIELDS)}; a file holds 'topic' and 'questions'")
    topic: str | None = None
    if "topic" in data:
        if is_text(data["topic"]):
            topic = str(data["topic"]).strip()
        else:
            ctx.report(data.key_lines["topic"], "'topic' must be a text")
    items = data.get("questions")
    if not isinstance(items, list):
        ctx.report(data.key_lines.get("questions", data.line),
                   "'questions' must be a list of questions (- id: ...)")
        return []
    out = []
    for item in items:
        if not isinstance(item, Node):
            ctx.report(line_of(item, data.key_lines["questions"]),
                       "every entry of 'questions' is a mapping")
            continue
        q = (parametrised(item, topic, ctx) if any(k in item for k in TEMPLATE_FIELDS)
             else parse_question(item, topic, ctx))
        if q is not None:
            out.append(q)
    return out


