"""Cache entries unused for a month are removed, so the cache does not grow with every edit.

Each kept page, PDF, search shard and list's findings is an entry named by the hash of what it
was made from: an edit, or a new version of qingdan, makes new entries and leaves the old ones
unused for ever. A hit marks its entry as used (its modification time, at most once a day); at
most once a day, a build or a check then removes the entries of its cache folder that nothing
used for `UNUSED_DAYS` days. Only the folders of entries named by hash are swept, and nothing is
followed through a link. A removed entry only costs the time to make it again.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

UNUSED_DAYS = 30
DAY = 86400.0
MARKER = ".pruned"  # its modification time: when the cache folder was last swept
# Where entries named by hash live, below the cache folder: the rendered files (pages, PDFs, search
# shards; `publish.render.cache`), each list's findings (`checks.findings_cache`) and each file as
# loaded (`source.document_cache`).
SWEPT = (Path(), Path("check", "store", "findings"), Path("check", "store", "documents"))
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}(?:\.sha256)?")


def used(path: Path | str, mtime: float | None = None) -> None:
    """Mark an entry as used now, unless it was marked within the last day (a hit is a read, mostly);
    `mtime`: its modification time, where the caller has it already."""
    try:
        if (mtime if mtime is not None else os.lstat(path).st_mtime) < time.time() - DAY:
            os.utime(path, follow_symlinks=False)
    except OSError:
        pass  # a read-only cache: the entry may be swept later and made again


def prune(folder: Path | None, now: float | None = None) -> int:
    """Remove the entries under `folder` unused for `UNUSED_DAYS` days, at most once a day; returns
    how many files were removed. A read-only or missing cache folder removes nothing."""
    if folder is None:
        return 0
    now = time.time() if now is None else now
    marker = folder / MARKER
    try:
        if os.lstat(marker).st_mtime > now - DAY:
            return 0
    except OSError:
        pass  # never swept
    removed = sum(_sweep(folder / sub, now - UNUSED_DAYS * DAY) for sub in SWEPT)
    try:
        marker.touch()
        os.utime(marker, (now, now), follow_symlinks=False)
    except OSError:
        pass
    return removed


def _sweep(root: Path, cutoff: float) -> int:
    """The old entries of `root`'s two-letter folders; an entry and its `.sha256` go together."""
    removed = 0
    for shard in _entries(root):
        if not (_SHARD.fullmatch(shard.name) and shard.is_dir(follow_symlinks=False)):
            continue
        files = {e.name: e for e in _entries(Path(shard.path)) if _ENTRY.fullmatch(e.name)}
        for name, entry in files.items():
            main = files.get(name.removesuffix(".sha256"))
            if _older(main if main is not None else entry, cutoff):
                removed += _unlink(entry)
    return removed


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as found:
            return list(found)
    except OSError:
        return []


def _older(entry: os.DirEntry[str], cutoff: float) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return info.st_mtime < cutoff


def _unlink(entry: os.DirEntry[str]) -> int:
    try:
        os.unlink(entry.path)  # a link is removed itself, never what it points at
    except OSError:
        return 0
    return 1
