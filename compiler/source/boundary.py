"""Where a catalogue ends: decided once, here, and asked wherever a file is found or opened.

A catalogue is the folder holding `departments.yaml`. Its boundary is that folder's resolved
path: a file belongs to it when the file's own resolved path (every symlink followed) lies
inside. A link from one of its folders to another stays inside and is read; a link that leads
anywhere else (`passwd.yaml -> /etc/passwd`, a list kept in another folder, `../..`) is never
opened, not even to be hashed: it is reported under its own name so an editor can remove it.
The catalogue itself may be reached through a link: only resolved paths are compared.

What qingdan shows of a file that is not a list (a stray YAML value, a text file) is a short
`excerpt`, so a file planted in the catalogue cannot be copied whole into a report.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

REGISTRY_FILE = "departments.yaml"
EXCERPT_CHARS = 40


@lru_cache(maxsize=4096)
def _root_of_folder(folder: str) -> str | None:
    """The resolved catalogue folder that `folder` (absolute, not resolved) lies in, if any."""
    here = folder
    while True:
        if os.path.isfile(os.path.join(here, REGISTRY_FILE)):
            return os.path.realpath(here)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def catalogue_of(path: Path) -> Path | None:
    """The resolved catalogue folder `path` is named in: the nearest folder above it, as written
    (links not followed), that holds departments.yaml; None outside every catalogue."""
    root = _root_of_folder(os.path.dirname(os.path.abspath(path)))
    return Path(root) if root else None


def outside(path: Path, link: bool | None = None) -> bool:
    """Whether `path` is named inside a catalogue but resolves to somewhere outside it.

    A file named outside every catalogue (`diff a.yaml b.yaml` in a scratch folder) has no
    boundary to cross: the user named it. `link` is whether the file itself is a symbolic link,
    when the caller's own lstat already says so.
    """
    absolute = os.path.abspath(path)
    folder, base = os.path.split(absolute)
    root = _root_of_folder(folder)
    if root is None:
        return False
    if link is None:
        link = os.path.islink(absolute)
    # Only the file itself can be a link once its folder is resolved: one lstat, not one per component.
    real = os.path.realpath(absolute) if link else os.path.join(_real_folder(folder), base)
    return not (real == root or real.startswith(root.rstrip(os.sep) + os.sep))


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def printable_name(name: str) -> str:
    """`name` with the bytes of a file name that is not UTF-8 written as \\xNN, so that every
    message, page, JSON and SARIF file that names the file can be written at all."""
    if name.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def refusal(path: Path) -> dict[str, str] | None:
    """QD100's arguments when `path` must not be read: its name is not UTF-8 (no page, message or
    URL could name it), or it leads outside its catalogue."""
    if printable_name(str(path)) != str(path):
        return {"reason": "文件名不是 UTF-8 编码（常见于从 GBK 系统复制的文件）",
                "reason_en": "the file name is not UTF-8 (common for files copied from a GBK system)",
                "fix": "把文件改名为只含字母、数字和连字符的名称，如 fuzhou.yaml。",
                "fix_en": "rename the file with letters, digits and hyphens only, such as fuzhou.yaml."}
    if not outside(path):
        return None
    return {"reason": "这是指向清单目录之外的符号链接，不会读取它",
            "reason_en": "it is a symbolic link that leads outside the catalogue folder, and is not read",
            "fix": "把清单文件本身放进清单目录，删除这个链接。",
            "fix_en": "put the list file itself in the catalogue folder and remove the link."}


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters of a value from a file that is not a list, one line, marked when cut."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit] + "……"


def clear() -> None:
    """Forget which folders hold a catalogue and where they lead (a long-running `serve` sees catalogues change)."""
    _root_of_folder.cache_clear()
    _real_folder.cache_clear()
