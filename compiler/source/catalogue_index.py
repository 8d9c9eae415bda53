"""What each file of a catalogue is, kept on disk by content, so a check reads again only what changed.

The index of a catalogue folder records, for every file, its content digest and what loading
and validating it gave: its head (id, edition, draft, floor) when it is a valid list, the
file's own findings (syntax, structure, validation), and whether messages may quote its lines.
A check of a few files finds their floors and the catalogue's editions in it without reading
the others, and a check of a whole catalogue after one edit reads only the edited file and
the files of the lists it must check again.

A file's digest is reused while its size, inode and change times stay the same; anything else
reads it again. The index is keyed by qingdan's own code digest (a change to the loader, the
models or their messages changes what a file yields), the folder and the working folder (file
names in findings are relative to it). A missing or damaged index only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.diagnostics import Diagnostic
from compiler.output.atomic import write_bytes
from compiler.publish.render.cache import code_digest
from compiler.source import boundary
from compiler.source.inputs import MAX_BYTES

if TYPE_CHECKING:
    from compiler.models import Catalogue


@dataclass(frozen=True)
class Head:
    """What a valid list is, as the rest of the catalogue sees it."""

    id: str
    edition: int
    draft: bool
    floor: tuple[str, int] | None


def head_of(model: Catalogue) -> Head:
    return Head(model.id, model.edition, model.draft, (model.floor.list, model.floor.edition) if model.floor else None)


def chain_of(head: Head, heads: dict[str, Head | None], first: dict[tuple[str, int], str]) -> list[str]:
    """The files of `head`'s floors up its chain, as `Corpus.chain` walks it (to a cycle or an unknown floor)."""
    names: list[str] = []
    floor = head.floor
    while floor is not None and floor in first and first[floor] not in names:
        names.append(first[floor])
        nxt = heads[first[floor]]
        floor = nxt.floor if nxt is not None else None
    return names


@dataclass
class FileInfo:
    """What loading and validating one file gave, apart from its document and model."""

    head: Head | None  # None: not a valid list
    found: list[Diagnostic]  # the file's own findings, in the order loading and validation made them
    raw_id: str | None = None  # an invalid list's id, where it has a printable one
    quotable: bool = True  # whether messages may quote its lines (it parsed, or its syntax error has a line)


def content_state(path: Path) -> str | None:
    """A regular file's content digest; None for anything else (a folder, a pipe, too large, unreadable,
    or a link out of the catalogue, which is never opened, not even to be hashed)."""
    if boundary.outside(path):
        return None
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _stat_key(path: Path) -> tuple[int, ...] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


@dataclass
class IndexEntry:
    stat: tuple[int, ...] | None
    digest: str | None
    info: FileInfo


@dataclass
class Index:
    """The files of one catalogue folder by name, each with its digest and what it is."""

    entries: dict[str, IndexEntry] = field(default_factory=dict)
    changed: bool = False

    def digest(self, path: Path, name: str) -> str | None:
        """The content digest of `path`, reused from the index while its stat is unchanged."""
        key = _stat_key(path)
        known = self.entries.get(name)
        if known is not None and key is not None and known.stat == key and known.digest is not None:
            return known.digest
        return content_state(path)

    def info(self, name: str, digest: str | None) -> FileInfo | None:
        """What the index knows of `name` at content `digest` (None: nothing, or an older content)."""
        known = self.entries.get(name)
        if known is None or digest is None or known.digest != digest:
            return None
        return known.info

    def record(self, path: Path, name: str, digest: str | None, info: FileInfo) -> None:
        if digest is None:
            return  # not a regular file: read again every time
        self.entries[name] = IndexEntry(_stat_key(path), digest, info)
        self.changed = True

    def keep_only(self, names: set[str]) -> None:
        """Forget files that are gone, so the index does not grow with every rename."""
        gone = [name for name in self.entries if name not in names]
        for name in gone:
            del self.entries[name]
        self.changed = self.changed or bool(gone)


class IndexStore:
    """Catalogue indexes under one cache folder; `None` as the folder keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "check" / "store" if folder is not None else None

    def _path(self, root: Path) -> Path | None:
        if self.folder is None:
            return None
        k = hashlib.sha256("\0".join((code_digest(), os.path.abspath(root), os.getcwd())).encode(
            "utf-8", "surrogateescape")).hexdigest()
        return self.folder / f"index-{k}"

    def index(self, root: Path) -> Index:
        """The index of the catalogue folder `root` (empty when there is none yet)."""
        path = self._path(root)
        if path is None:
            return Index()
        try:
            found = pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - absent, damaged or from another version: read the files again
            return Index()
        return Index(found) if isinstance(found, dict) else Index()

    def save(self, root: Path, index: Index) -> None:
        path = self._path(root)
        if path is None or not index.changed:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, pickle.dumps(index.entries, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except OSError:
            pass  # a read-only or full cache folder must not fail a check
