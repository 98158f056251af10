"""Layouts: a folder with ``layout.yaml`` (paper, margins, fonts, colours, labels) and
Jinja2 templates for the text blocks. Templates may come from a user's folder, so they run
in a sandbox that cannot read outside the folder or produce unbounded text, and a misspelt
variable is an error that names the template and line.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from examgen.core.errors import LayoutError
from examgen.core.limits import MAX_TEXT
from examgen.render.layout_settings import BLOCKS, check_room, merged, read_settings


def builtin_layouts() -> Path:
    """The shipped layouts: inside the package when installed from a wheel, else the repo's."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "layouts", package.parent / "layouts"):
        if (folder / "default" / "layout.yaml").is_file():
            return folder
    raise LayoutError("the built-in layouts are missing from this installation; reinstall "
                      "examgen")


@dataclass(frozen=True, eq=False)
class Layout:
    name: str
    folder: Path
    settings: dict[str, Any]
    templates: dict[str, jinja2.Template]

    @property
    def labels(self) -> dict[str, str]:
        labels: dict[str, str] = self.settings["labels"]
        return labels

    def colour(self, name: str) -> str:
        return str(self.settings["colours"][name])

    def render(self, block: str, context: dict[str, Any]) -> str:
        """A template's text, with template errors turned into LayoutError."""
        template = self.templates[block]
        try:
            size, chunks = 0, []
            for chunk in template.generate(**context, labels=self.labels):
                size += len(chunk)
                if size > MAX_TEXT:
                    raise SecurityError(f"the template writes more than {MAX_TEXT:,} "
                                        "characters")
                chunks.append(chunk)
            return "".join(chunks)
        except jinja2.TemplateError as exc:
            line = _template_line(exc, template.filename)
            raise LayoutError(f"{template.filename}:{line}: {type(exc).__name__}: {exc}; "
                              f"variables: {', '.join(sorted(context))}, labels") from None


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with '*' and '**' unable to build huge values ({{ "A" * 10**8 }})."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and right > 100:
            raise SecurityError("exponents above 100 are not allowed in a template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and \
                        len(seq) * times > MAX_TEXT:
                    raise SecurityError(f"that repetition makes more than {MAX_TEXT:,} "
                                        "characters")
        return super().call_binop(context, operator, left, right)


class _FolderLoader(jinja2.FileSystemLoader):
    """Templates from the layout folders only: a symlink that leads elsewhere is refused."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not any(Path(filename).resolve().is_relative_to(Path(root).resolve())
                   for root in self.searchpath):
            raise LayoutError(f"{filename}: the template leads outside its layout folder "
                              "(a symlink?); keep templates inside the folder")
        return source, filename, uptodate


def _template_line(exc: BaseException, filename: str | None) -> int:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if frames and frames[-1].lineno is not None:
        return frames[-1].lineno
    return int(getattr(exc, "lineno", 0) or 1)  # no frame: the template as a whole


def load_layout(name_or_path: str | None, paper: str = "a4") -> Layout:
    """A built-in layout by name (default, de) or a layout folder by path, checked for
    printing on ``paper``."""
    builtin = builtin_layouts()
    name = name_or_path or "default"
    folder = builtin / name if (builtin / name / "layout.yaml").is_file() else Path(name)
    if not (folder / "layout.yaml").is_file():
        known = ", ".join(sorted(p.parent.name for p in builtin.glob("*/layout.yaml")))
        raise LayoutError(f"no layout '{name}': give a built-in name ({known}) or a folder "
                          "that holds layout.yaml")
    default = read_settings(builtin / "default" / "layout.yaml")
    settings = default
    if folder.resolve() != (builtin / "default").resolve():
        settings = merged(default, read_settings(folder / "layout.yaml",
                                                 tuple(default["labels"])))
    check_room(settings, paper, folder / "layout.yaml")
    env = _Sandbox(
        loader=_FolderLoader([str(folder), str(builtin / "default")]),
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
    )
    templates = {}
    for block in BLOCKS:
        file = settings["templates"].get(block)
        if not isinstance(file, str):
            raise LayoutError(f"{folder / 'layout.yaml'}: templates.{block} must name a file")
        try:
            templates[block] = env.get_template(file)
        except jinja2.TemplateNotFound:
            raise LayoutError(f"{folder / 'layout.yaml'}: template file '{file}' for "
                              f"'{block}' not found in {folder}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise LayoutError(f"{exc.filename}:{exc.lineno}: template syntax error: "
                              f"{exc.message}") from None
    return Layout(name, folder, settings, templates)
