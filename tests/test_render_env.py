"""The Jinja environment every publication renders with."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest

from compiler.publish.render.env import TEMPLATES, environment, zh_date


def test_templates_are_found_beside_the_package():
    """environment("pdf") loads the repository's templates/pdf/ files."""
    assert (TEMPLATES / "pdf" / "list.html.j2").is_file()
    assert environment("pdf").get_template("list.html.j2").filename == str(TEMPLATES / "pdf" / "list.html.j2")


def test_text_is_escaped_and_missing_fields_fail():
    """YAML text is HTML-escaped; a field the context lacks raises instead of printing nothing."""
    env = environment("pdf")
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ view.title }}").render()


def test_dates_read_as_in_official_documents():
    """zh_date writes 2025年1月9日, without leading zeros."""
    assert zh_date(dt.date(2025, 1, 9)) == "2025年1月9日"
