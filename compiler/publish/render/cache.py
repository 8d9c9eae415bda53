"""A content-addressed cache of rendered files, so a rebuild re-renders only what changed.

A key is the hash of everything a rendering depends on: the view it shows (frozen dataclasses
with a stable repr), the templates and styles, qingdan's own code and the renderer's version.
Entries are whole files, written atomically; a damaged or missing cache only costs time.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.errors import QingdanError
from compiler.output import pruning
from compiler.output.atomic import write_bytes
from compiler.resources import package_folder, site_folder, templates_folder
from compiler.source import boundary
from compiler.versions import versions

if TYPE_CHECKING:
    from compiler.output.digest_memo import DigestMemo


def default_folder() -> Path:
    """$QINGDAN_CACHE, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache)/qingdan."""
    if explicit := os.environ.get("QINGDAN_CACHE"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qingdan"


def _entry_state(path: Path, memo: DigestMemo | None = None) -> bytes:
    """What one folder entry holds: a regular file's content hash, else its kind (never opened).
    `memo`: content hashes remembered by each file's stat."""
    if boundary.outside(path):
        return b"outside"  # a link out of the catalogue is never read, not even to be hashed
    try:
        info = path.stat()  # follows links: a linked list counts by its content
    except OSError as exc:  # a broken link or a link loop
        return f"unreadable:{exc.errno}".encode()
    if not stat.S_ISREG(info.st_mode):
        return b"dir" if stat.S_ISDIR(info.st_mode) else b"special"  # a FIFO would block a read
    try:
        if memo is not None:
            return memo.content(os.fspath(path), info).encode("ascii")
        return hashlib.sha256(path.read_bytes()).hexdigest().encode("ascii")
    except OSError as exc:  # unreadable: its state is part of the input (the build reports it)
        return f"unreadable:{exc.errno}".encode()


def digest_files(paths: Iterable[Path]) -> str:
    """One hash over the names and states of every entry under `paths`, in a stable order.

    Folders, links, pipes and unreadable files count too: adding any of them changes what
    `check` reports, so it must change the digest.
    """
    h = hashlib.sha256()
    for root in paths:
        entries = [root] if root.is_file() else sorted(root.rglob("*"))
        for entry in entries:
            if "__pycache__" in entry.parts:
                continue
            h.update(os.fsencode(entry.relative_to(root.parent) if entry != root else entry.name) + b"\0")
            h.update(_entry_state(entry))
    return h.hexdigest()


def digest_tree(root: Path, memo: DigestMemo | None = None) -> str:
    """`digest_files([root])` of one folder, the same hash, from one walk of it: a file's content is
    hashed again only when its stat differs from what `memo` remembers (a national catalogue has
    3,211 files, and a build that finds nothing changed should not read them all)."""
    if root.is_file():
        return digest_files([root])
    entries: list[tuple[tuple[str, ...], str]] = []
    top = os.fspath(root)
    for folder, dirs, names in os.walk(top):  # never into a linked folder, as rglob
        rel = tuple(folder[len(top):].split(os.sep)[1:])
        entries += [((*rel, name), os.path.join(folder, name)) for name in dirs + names]
    entries.sort()  # by parts, as Path objects sort
    h = hashlib.sha256()
    for parts, path in entries:
        if "__pycache__" in parts:
            continue
        h.update(os.fsencode(os.path.join(root.name, *parts)) + b"\0")
        h.update(_entry_state(Path(path), memo))
    return h.hexdigest()


@cache
def code_digest() -> str:
    """The hash of qingdan's code, templates and site, Python's version and the libraries' (`versions`):
    any change to them invalidates every entry."""
    code = [p for p in sorted(package_folder().iterdir()) if not p.is_symlink()]  # templates and site: below
    files = digest_files([*code, templates_folder(), site_folder()])
    return hashlib.sha256("\0".join((files, sys.version, *versions())).encode()).hexdigest()


def key(*parts: object) -> str:
    h = hashlib.sha256(code_digest().encode())
    for part in parts:
        h.update(b"\0" + repr(part).encode("utf-8"))
    return h.hexdigest()


class Cache:
    """Files by key under one folder; `None` as the folder turns caching off.

    An entry is used only if it is what was stored: a regular file (not a link, reached through
    no link inside the cache) whose SHA-256 matches the digest recorded beside it when it was
    stored. Anything else (truncated, replaced, a planted link to /etc/passwd) is removed and
    the caller renders the file again.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, k: str) -> Path:
        assert self.folder is not None
        return self.folder / k[:2] / k

    def _verified(self, path: Path) -> bytes | None:
        """The entry's content if it is intact, else None (and the entry is gone)."""
        digest_file = path.with_name(path.name + ".sha256")
        try:
            if not (_regular(path.parent, folder=True) and _regular(path) and _regular(digest_file)):
                raise OSError("not a regular file")
            data = _read_no_follow(path)
            if hashlib.sha256(data).hexdigest() == _read_no_follow(digest_file).decode("ascii", "replace").strip():
                pruning.used(path)
                pruning.used(digest_file)
                return data
        except OSError:
            pass
        for stale in (path, digest_file):
            try:
                if not os.path.isdir(stale) or os.path.islink(stale):
                    stale.unlink(missing_ok=True)
            except OSError:
                pass
        return None

    def get(self, k: str) -> bytes | None:
        """The entry `k`, or None when there is none, or it is not what was stored."""
        return self._verified(self._path(k)) if self.folder is not None else None

    def put(self, k: str, data: bytes) -> None:
        """Keep `data` as the entry `k` (a read-only or full cache folder keeps nothing)."""
        if self.folder is None:
            return
        path = self._path(k)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for stale in (path, path.with_name(path.name + ".sha256")):
                if os.path.islink(stale):
                    stale.unlink()
            write_bytes(path, data)
            write_bytes(path.with_name(path.name + ".sha256"), hashlib.sha256(data).hexdigest().encode("ascii") + b"\n")
        except (OSError, QingdanError):
            pass  # a read-only or full cache folder must not fail a build

    def store(self, k: str, source: Path) -> None:
        if self.folder is None:
            return
        try:
            data = source.read_bytes()
        except OSError:
            return
        self.put(k, data)


def _regular(path: Path, folder: bool = False) -> bool:
    info = os.lstat(path)
    return stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)


def _read_no_follow(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        return f.read()
