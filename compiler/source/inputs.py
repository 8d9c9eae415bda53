"""Which files a check reads and reports on, found without loading any of them.

Kept apart from the loader and the checks so that a command answered from a cache (or one that
never reads a list) imports neither the YAML parser nor the models.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from compiler.errors import UsageError
from compiler.source import boundary

REGISTRY_FILE = "departments.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 2 * 1024 * 1024  # a real list is ~20 KB; anything this big is a mistake or an attack


def display_name(path: Path, root: Path | None = None) -> str:
    """How a file is named in messages: relative to `root` (the working directory) when inside it."""
    return namer(root)(path)


def namer(root: Path | None = None) -> Callable[[Path], str]:
    """`display_name` for many files against one `root`: a national check names thousands."""
    # abspath, not resolve: a symlink is named as the user sees it, and a loop cannot raise.
    # Strings, not Path objects, and the working directory asked once.
    cwd = os.getcwd()
    base = os.path.abspath(root or cwd)
    prefix = base.rstrip(os.sep) + os.sep

    def name(path: Path) -> str:
        text = os.fspath(path)
        absolute = os.path.normpath(text if os.path.isabs(text) else os.path.join(cwd, text))  # abspath, cwd asked once
        if absolute == base:
            return "."
        if absolute.startswith(prefix):
            return boundary.printable_name(absolute[len(prefix):].replace(os.sep, "/"))
        return boundary.printable_name(as_posix(text))

    return name


def as_posix(text: str) -> str:
    """`Path(text).as_posix()` (how pathlib writes a path: no `//`, `./` or trailing `/`), without
    making a Path when `text` is already in that form."""
    if text and "//" not in text and "/./" not in text and not text.startswith("./") and not text.endswith(("/", "/.")) \
            and text != "." and os.sep == "/":
        return text
    return Path(text).as_posix()


def catalogue_jobs(files: list[Path], root: Path) -> list[tuple[Path, str]]:
    """Each file of the catalogue at `root` but its registry, with its name in messages."""
    registry, name = os.path.abspath(root / REGISTRY_FILE), namer()
    return [(path, name(path)) for path in files if os.path.abspath(path) != registry]


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
    """Every YAML file below `folder`, skipping hidden entries, in a stable order.

    Folders, links and broken links whose names end in .yaml are found too: each is reported,
    not skipped. A linked folder is not entered (a link out of the catalogue is never read) and
    an unreadable one is passed over, as before, without hiding the folders after it.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(os.fspath(folder), ())]
    while pending:
        here, parts = pending.pop()
        try:
            with os.scandir(here) as entries:
                listed = list(entries)
        except OSError:
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            relative = (*parts, entry.name)
            if entry.name.endswith(YAML_SUFFIXES):
                found.append((relative, entry.path))
            try:
                descend = entry.is_dir(follow_symlinks=False)
            except OSError:
                descend = False
            if descend:
                pending.append((entry.path, relative))
    found.sort()  # by path components, as Path objects sort: "a/x" before "a-b/x"
    return [Path(path) for _, path in found]


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
    wanted_set = set(wanted)
    reported = {f for f, a in zip(files, absolute) if a in wanted_set or a.startswith(below)}
    known = set(absolute)
    for p in paths:  # a file named explicitly is reported even if it does not end in .yaml
        # (a pipe or a broken link too: the loader says why it cannot be read)
        if not p.is_dir() and os.path.abspath(p) not in known:
            files.append(p)
            reported.add(p)
    name = namer()
    return Inputs(root, files, {name(f) for f in reported})
