"""Layouts: a folder with ``layout.yaml`` (paper, margins, fonts, colours, labels) and
Jinja2 templates for the text blocks. Templates may come from a user's folder, so they run
in a sandbox, and a misspelt variable is an error that names the template and line.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from ..errors import LayoutError
from ..yamlio import Node, parse_yaml

BLOCKS = ("header", "instructions", "key_header")
SECTIONS = ("paper", "margins", "fonts", "colours", "labels", "templates", "open_line_spacing")


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
            return template.render(**context, labels=self.labels)
        except jinja2.TemplateError as exc:
            line = _template_line(exc, template.filename)
            raise LayoutError(f"{template.filename}:{line}: {type(exc).__name__}: {exc}; "
                              f"variables: {', '.join(sorted(context))}, labels") from None


def _template_line(exc: BaseException, filename: str | None) -> int:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if frames and frames[-1].lineno is not None:
        return frames[-1].lineno
    return int(getattr(exc, "lineno", 0) or 0)


def load_layout(name_or_path: str | None) -> Layout:
    """A built-in layout by name (default, de) or a layout folder by path."""
    builtin = builtin_layouts()
    name = name_or_path or "default"
    folder = builtin / name if (builtin / name / "layout.yaml").is_file() else Path(name)
    if not (folder / "layout.yaml").is_file():
        known = ", ".join(sorted(p.parent.name for p in builtin.glob("*/layout.yaml")))
        raise LayoutError(f"no layout '{name}': give a built-in name ({known}) or a folder "
                          "that holds layout.yaml")
    settings = _settings(folder / "layout.yaml")
    if folder.resolve() != (builtin / "default").resolve():
        settings = _merged(_settings(builtin / "default" / "layout.yaml"), settings)
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(folder), str(builtin / "default")]),
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


def _settings(path: Path) -> dict[str, Any]:
    try:
        data = parse_yaml(path.read_bytes())
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise LayoutError(f"{path}:{line}: YAML syntax error: {exc.problem}") from None
    if not isinstance(data, Node):
        raise LayoutError(f"{path}:1: a layout is a mapping of {', '.join(SECTIONS)}")
    for key in data:
        if key not in SECTIONS:
            raise LayoutError(f"{path}:{data.key_lines[key]}: unknown section '{key}'; "
                              f"valid: {', '.join(SECTIONS)}")
    for key in ("margins", "fonts", "colours", "labels", "templates"):
        if key in data and not isinstance(data[key], dict):
            raise LayoutError(f"{path}:{data.key_lines[key]}: '{key}' must be a mapping")
    return {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A user's layout only needs to say what differs from the default."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return merged
