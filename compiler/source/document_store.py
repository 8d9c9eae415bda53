"""Loaded and validated lists kept on disk by content, so a check reads again only what changed.

An entry is one file as `check` sees it after loading and validating it: the document (or, for
a syntax error, its lines), the diagnostics of both steps and the model. Its key is the file's
content digest, its name and place (both are written into diagnostics) and qingdan's own code
digest (a change to the loader, the models or their messages changes what a file yields).

Beside the entries, an index per catalogue folder records what each file is (id, edition,
draft, floor) under the file's content digest, so a check of a few files finds their floors and
the catalogue's editions without reading the others. A file's digest is reused while its size,
inode and change times stay the same; anything else reads it again. A missing or damaged store
only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.models import Catalogue
from compiler.output.atomic import write_bytes
from compiler.publish.render.cache import code_digest
from compiler.source.inputs import MAX_BYTES
from compiler.source.loader import Document, decode, load
from compiler.source.validate import validate

SYNTAX_CODES = ("QD101", "QD102", "QD108")  # findings that show the file's line, though nothing loaded


@dataclass(frozen=True)
class Head:
    """What the index knows of one valid list."""

    id: str
    edition: int
    draft: bool
    floor: tuple[str, int] | None


@dataclass
class Loaded:
    """One file loaded and validated as a list."""

    doc: Document | None  # None: nothing could be parsed
    found: list[Diagnostic]
    model: Catalogue | None  # None: not a valid list
    lines: Document | None = None  # a syntax error's file, for its excerpt

    @property
    def head(self) -> Head | None:
        m = self.model
        if m is None:
            return None
        return Head(m.id, m.edition, m.draft, (m.floor.list, m.floor.edition) if m.floor else None)


def validated(doc: Document | None, found: list[Diagnostic], path: Path, name: str) -> Loaded:
    """What `check` makes of one loaded file: its model, every diagnostic, and lines to quote."""
    found = list(found)
    lines = None
    if doc is None and any(d.code in SYNTAX_CODES for d in found):
        text, _ = decode(path.read_bytes())
        lines = Document(path, name, (text or "").splitlines(), None)
    model = None
    if doc is not None:
        model, problems = validate(doc, Catalogue)
        found += problems
    return Loaded(doc, found, model, lines)


def read(path: Path, name: str) -> Loaded:
    """Load and validate one file."""
    return validated(*load(path, name), path, name)


def content_state(path: Path) -> str | None:
    """A regular file's content digest; None for anything else (a folder, a pipe, too large, unreadable)."""
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
    head: Head | None


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

    def head(self, name: str, digest: str | None) -> tuple[bool, Head | None]:
        """(known, head): whether the index knows `name` at `digest`, and what it is."""
        known = self.entries.get(name)
        if known is None or digest is None or known.digest != digest:
            return False, None
        return True, known.head

    def record(self, path: Path, name: str, digest: str | None, head: Head | None) -> None:
        self.entries[name] = IndexEntry(_stat_key(path), digest, head)
        self.changed = True


class DocumentStore:
    """Loaded files and catalogue indexes under one folder; `None` as the folder keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.root = folder  # the cache folder, where the findings are kept too
        self.folder = folder / "check" / "store" / "documents" if folder is not None else None

    def _key(self, path: Path, name: str, digest: str) -> str:
        return hashlib.sha256("\0".join((code_digest(), digest, name, os.path.abspath(path))).encode(
            "utf-8", "surrogateescape")).hexdigest()

    def get(self, path: Path, name: str, digest: str | None) -> Loaded | None:
        """The stored entry of `path` with content `digest`, if there is one."""
        if self.folder is None or digest is None:
            return None
        found = self._unpickle(self.folder / (k := self._key(path, name, digest))[:2] / k)
        return found if isinstance(found, Loaded) else None

    def put(self, path: Path, name: str, digest: str | None, loaded: Loaded) -> None:
        if self.folder is None or digest is None:
            return
        k = self._key(path, name, digest)
        self._pickle(self.folder / k[:2] / k, loaded)

    def _index_path(self, root: Path) -> Path | None:
        if self.folder is None:
            return None
        k = hashlib.sha256("\0".join((code_digest(), os.path.abspath(root), os.getcwd())).encode(
            "utf-8", "surrogateescape")).hexdigest()
        return self.folder / f"index-{k}"

    def index(self, root: Path) -> Index:
        """The index of the catalogue folder `root` (empty when there is none yet)."""
        path = self._index_path(root)
        found = self._unpickle(path) if path is not None else None
        return Index(found) if isinstance(found, dict) else Index()

    def save_index(self, root: Path, index: Index) -> None:
        path = self._index_path(root)
        if path is not None and index.changed:
            self._pickle(path, index.entries)

    @staticmethod
    def _unpickle(path: Path) -> Any:
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - absent, damaged or from another version: read the files again
            return None

    @staticmethod
    def _pickle(path: Path, value: object) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except OSError:
            pass  # a read-only or full cache folder must not fail a check
