"""The versions of the libraries whose behaviour reaches qingdan's output, read without importing them.

Every cache key holds qingdan's code digest, and the code digest holds these: an upgrade of the
YAML parser, the validation library (its messages), the holiday calendar, the template engine or
the word segmenter changes what a check or a build says, so nothing kept before it is reused.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache

LIBRARIES = ("pydantic", "pydantic-core", "ruamel.yaml", "ruamel.yaml.clib", "chinesecalendar", "jinja2", "markupsafe",
             "jieba")


@cache
def versions() -> tuple[str, ...]:
    """`name=version` for each of LIBRARIES ("none" where it is not installed)."""
    found = _installed()
    return tuple(f"{name}={found.get(_normal(name)) or _version(name)}" for name in LIBRARIES)


def _installed() -> dict[str, str]:
    """Versions by normalised name, read from the `NAME-VERSION.dist-info` folders on sys.path.

    A wheel's folder name carries its version, so a cache hit need not import importlib.metadata
    (a tenth of a no-change check). The first folder on the path wins, as for an import.
    """
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem, dot, kind = folder.rpartition(".")
            name, dash, version = stem.partition("-")
            if dot and dash and kind == "dist-info":
                found.setdefault(_normal(name), version)
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _version(name: str) -> str:
    """What importlib.metadata says, for an install without a dist-info folder of that name."""
    from importlib import metadata  # slow to import, and a wheel install never needs it

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"
