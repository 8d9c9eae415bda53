"""The Jinja environments: autoescaping and StrictUndefined everywhere, and the few filters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from compiler.resources import templates_folder

TEMPLATES = templates_folder()

# Characters that Markdown or its extensions give a meaning to. In the few places where list text
# lands in Markdown (link texts), each becomes a numeric character reference, so a list can
# never add a link, emphasis, an attribute or HTML to a page.
_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|:~^=$&\"'@%")


def markdown_text(value: object) -> Markup:
    """`value` as inert Markdown inline text."""
    text = str(value)
    return Markup("".join(f"&#{ord(c)};" if c in _MARKDOWN_SPECIAL else c for c in text).replace("\n", " "))


def title_text(value: object) -> str:
    """`value` for places the site theme prints without escaping (page and nav titles).

    The theme's templates do not escape titles, and `striptags` there would undo an escape, so
    the five HTML-significant characters become their full-width forms instead.
    """
    return str(value).translate(str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"}))


def zh_date(value: dt.date) -> str:
    """A date as official documents write it: 2025年1月9日."""
    return f"{value.year}年{value.month}月{value.day}日"


@lru_cache(maxsize=None)
def environment(folder: str) -> jinja2.Environment:
    """The environment for `templates/<folder>`; shared partials live in `templates/partials`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES / folder), str(TEMPLATES / "partials")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    env.filters["zh_date"] = zh_date
    return env


__all__ = ["environment", "markdown_text", "title_text", "zh_date", "escape", "TEMPLATES"]
