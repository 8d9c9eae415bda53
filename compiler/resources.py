"""Where qingdan's own files are: its templates and site, shipped inside the package.

`templates/` and `site/` live at the top of the repository; `compiler/templates` and
`compiler/site` link to them, so a wheel carries them as package data and an editable install
reads them in place. Both are found through importlib.resources, never from `__file__`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def package_folder() -> Path:
    """The installed `compiler` package."""
    return Path(str(files("compiler")))


@cache
def templates_folder() -> Path:
    """The Jinja2 templates (site, pdf, docx and shared partials)."""
    return Path(str(files("compiler") / "templates")).resolve()


@cache
def site_folder() -> Path:
    """The mkdocs configuration, theme overrides and static assets of the families' site."""
    return Path(str(files("compiler") / "site")).resolve()
