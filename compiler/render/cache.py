"""A content-addressed cache of rendered files, so a rebuild re-renders only what changed.

A key is the hash of everything a rendering depends on: the view it shows (frozen dataclasses
with a stable repr), the templates and styles, qingdan's own code and the renderer's version.
Entries are whole files, written atomically; a damaged or missing cache only costs time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Iterable

PACKAGE = Path(__file__).resolve().parent.parent
PROJECT = PACKAGE.parent


def default_folder() -> Path:
    """$QINGDAN_CACHE, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache)/qingdan."""
    if explicit := os.environ.get("QINGDAN_CACHE"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qingdan"


def digest_files(paths: Iterable[Path]) -> str:
    """One hash over the names and contents of every file under `paths`, in a stable order."""
    h = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            if "__pycache__" in f.parts:
                continue
            h.update(str(f.relative_to(root.parent) if f != root else f.name).encode("utf-8") + b"\0")
            try:
                h.update(hashlib.sha256(f.read_bytes()).digest())
            except OSError as exc:  # unreadable: its state is part of the input (the build reports it)
                h.update(f"unreadable:{exc.errno}".encode())
    return h.hexdigest()


@lru_cache(maxsize=None)
def code_digest() -> str:
    """The hash of qingdan's code, templates and site: any change to them invalidates every entry."""
    return digest_files([PACKAGE, PROJECT / "templates", PROJECT / "site"])


def key(*parts: object) -> str:
    h = hashlib.sha256(code_digest().encode())
    for part in parts:
        h.update(b"\0" + repr(part).encode("utf-8"))
    return h.hexdigest()


class Cache:
    """Files by key under one folder; `None` as the folder turns caching off."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, k: str) -> Path:
        assert self.folder is not None
        return self.folder / k[:2] / k

    def fetch(self, k: str, target: Path) -> bool:
        """Copy the entry `k` to `target`; False when there is none."""
        if self.folder is None or not self._path(k).is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._path(k), target)
        return True

    def store(self, k: str, source: Path) -> None:
        if self.folder is None:
            return
        path = self._path(k)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            os.close(fd)
            shutil.copyfile(source, tmp)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full cache folder must not fail a build
