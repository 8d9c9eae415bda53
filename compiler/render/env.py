"""The Jinja environment every publication renders with: autoescaped, strict, trimmed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

import compiler

TEMPLATES = Path(compiler.__file__).resolve().parent.parent / "templates"


def zh_date(day: dt.date) -> str:
    """A date as official documents write it: 2025年1月9日."""
    return f"{day.year}年{day.month}月{day.day}日"


def environment(folder: str) -> jinja2.Environment:
    """An environment loading from `templates/<folder>`.

    Autoescape is on because list text comes from YAML files anyone may edit; StrictUndefined
    because a missing field is a bug, not an empty cell.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["zh_date"] = zh_date
    return env
