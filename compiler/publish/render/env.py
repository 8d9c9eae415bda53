"""The Jinja environments: autoescaping and StrictUndefined everywhere, and the few filters."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

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


# Text made only of these characters has no meaning in Markdown or HTML where the site's templates
# print it: the paths, anchors and numbers that qingdan itself makes (`../pdf/fuzhou-1.pdf`,
# `item-s01`). It is printed as it is, so links keep working; everything else is `markdown_text`.
_PLAIN = re.compile(r"[a-z0-9./_-]*\Z")


def markdown_value(value: object) -> object:
    """What every `{{ ... }}` of a site template prints: inert Markdown text, whatever the value.

    The site's pages are Markdown, where autoescaping alone (which only knows HTML) leaves
    `![x](…){: onerror=… }` live; this one path is the `finalize` of the site environment, so no
    template can forget it. Markup (from `md`, `tojson`, an include) and plain paths pass as they are.
    """
    if isinstance(value, Markup) or value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return Markup(text) if _PLAIN.match(text) else markdown_text(text)


def title_text(value: object) -> str:
    """`value` for places the site theme prints without escaping (page and nav titles).

    The theme's templates do not escape titles, and `striptags` there would undo an escape, so
    the five HTML-significant characters become their full-width forms instead.
    """
    return str(value).translate(str.maketrans("<>&\"'", "＜＞＆＂＇"))


def zh_date(value: dt.date) -> str:
    """A date as official documents write it: 2025年1月9日."""
    return f"{value.year}年{value.month}月{value.day}日"


@cache
def environment(folder: str) -> jinja2.Environment:
    """The environment for `templates/<folder>`; shared partials live in `templates/partials`.

    The site's templates write Markdown: every value they print goes through `markdown_value`.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES / folder), str(TEMPLATES / "partials")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown_value if folder == "site" else None,
    )
    env.filters["md"] = markdown_text
    env.filters["zh_date"] = zh_date
    return env


__all__ = ["environment", "markdown_text", "markdown_value", "title_text", "zh_date", "escape", "TEMPLATES"]
