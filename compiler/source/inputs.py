"""Which files a check reads and reports on, found without loading any of them.

Kept apart from the loader and the checks so that a command answered from a cache (or one that
never reads a list) imports neither the YAML parser nor the models.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from compiler.errors import UsageError
from compiler.source import boundary

REGISTRY_FILE = "departments.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 2 * 1024 * 1024  # a real list is ~20 KB; anything this big is a mistake or an attack


def display_name(path: Path, root: Path | None = None) -> str:
    """How a file is named in messages: relative to `root` (the working directory) when inside it."""
    # abspath, not resolve: a symlink is named as the user sees it, and a loop cannot raise.
    # Strings, not Path objects: a national check names every one of its thousands of files.
    absolute = os.path.abspath(path)
    base = os.path.abspath(root or os.getcwd())
    if absolute == base:
        return "."
    prefix = base.rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        return boundary.printable_name(absolute[len(prefix):].replace(os.sep, "/"))
    return boundary.printable_name(Path(path).as_posix())


@dataclass
class InvalidFile:
    """A file that is in the catalogue but could not be read or validated as a list."""

    name: str
    list_id: str | None


def _absolute(path: Path) -> Path:
    """An absolute path without following symlinks (a symlink loop must not raise)."""
    return Path(os.path.abspath(path))


def find_root(path: Path) -> Path:
    """The catalogue folder a path belongs to: the nearest one holding departments.yaml."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / REGISTRY_FILE).is_file():
            return folder
    raise UsageError(f"找不到 {REGISTRY_FILE}：{display_name(path)} 不在任何清单目录中（清单目录的顶层须有部门名录 {REGISTRY_FILE}）",
                     en=f"no {REGISTRY_FILE} found: {display_name(path)} is not in a catalogue folder"
                        f" (the top of a catalogue folder holds the department registry {REGISTRY_FILE})")


def yaml_files(folder: Path) -> list[Path]:
    """Every YAML file below `folder`, skipping hidden folders, in a stable order."""
    found = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).parts
        if any(part.startswith(".") for part in rel):
            continue
        if p.suffix in YAML_SUFFIXES:  # folders and broken links too: each is reported, not skipped
            found.append(p)
    return found


@dataclass(frozen=True)
class Inputs:
    """What a check reads: the catalogue folder, its files, and the names of those to report on."""

    root: Path
    files: list[Path]
    reported: set[str]


def inputs(paths: list[Path]) -> Inputs:
    """The catalogue that `paths` belong to, every file a check of them reads, and which to report."""
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise UsageError(f"路径不存在：{p}", en=f"no such path: {p}")
    roots = {_absolute(find_root(p)) for p in paths}
    if len(roots) > 1:
        raise UsageError("一次只能核查一个清单目录：" + "、".join(sorted(map(str, roots))),
                         en="only one catalogue folder can be checked at a time: " + ", ".join(sorted(map(str, roots))))
    root = roots.pop()
    files = yaml_files(root)
    wanted = [os.path.abspath(p) for p in paths]
    below = tuple(w.rstrip(os.sep) + os.sep for w in wanted)
    absolute = [os.path.abspath(f) for f in files]
    reported = {f for f, a in zip(files, absolute) if a in wanted or a.startswith(below)}
    known = set(absolute)
    for p in paths:  # a file named explicitly is reported even if it does not end in .yaml
        # (a pipe or a broken link too: the loader says why it cannot be read)
        if not p.is_dir() and os.path.abspath(p) not in known:
            files.append(p)
            reported.add(p)
    return Inputs(root, files, {display_name(f) for f in reported})
