"""Content digests of files, remembered with each file's size, inode and change times.

The check cache's key covers the content of every file of the catalogue; reading and hashing
3,211 files is most of the time of a national check that has nothing new to say. A digest is
reused while the file's size, inode, modification and status-change times (nanoseconds) are all
the same, which any write changes; anything else is read and hashed again. The memo is one file
in the cache folder; a missing or damaged one only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from pathlib import Path

from compiler.output.atomic import write_bytes
from compiler.source import boundary
from compiler.source.inputs import MAX_BYTES


def read_state(path: Path, info: os.stat_result) -> str:
    """What the loader will find in the file at `path` (stat `info`): its content hash, else why it cannot read it."""
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > MAX_BYTES:
        return f"too large {info.st_size}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


class DigestMemo:
    """What the loader will find at each path: a content digest, else why it cannot read it."""

    def __init__(self, folder: Path | None, user: str = "check") -> None:
        # One memo per command: `check` remembers what the loader finds, `build` every file's content.
        self.path = folder / user / "store" / "digests" if folder is not None else None
        self.known: dict[str, tuple[tuple[int, ...], str]] = {}
        self.changed = False
        if self.path is not None:
            try:
                found = pickle.loads(self.path.read_bytes())
                if isinstance(found, dict):
                    self.known = found
            except Exception:  # noqa: BLE001 - absent or damaged: hash the files again
                pass

    def state(self, path: Path) -> str:
        """The content digest of `path`, or why the loader cannot read it."""
        name = os.path.abspath(path)
        try:
            info = os.lstat(name)  # one system call tells a link and gives a plain file's state
        except OSError:
            info = None
        link = info is None or stat.S_ISLNK(info.st_mode)
        if boundary.outside(path, link=None if info is None else link):
            return "outside the catalogue"  # never opened, not even to be hashed (a link may be retargeted at any time)
        try:
            if link:
                info = os.stat(name)
            assert info is not None
            key = (info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
            known = self.known.get(name)
            if known is not None and known[0] == key:
                return known[1]
            found = read_state(path, info)
        except OSError as exc:
            return f"unreadable {exc.errno}"
        self.known[name] = (key, found)
        self.changed = True
        return found

    def content(self, name: str, info: os.stat_result) -> str:
        """The content digest of the regular file `name` whose stat (links followed) is `info`."""
        key = (info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
        known = self.known.get(name)
        if known is not None and known[0] == key:
            return known[1]
        with open(name, "rb") as f:
            found = hashlib.sha256(f.read()).hexdigest()
        self.known[name] = (key, found)
        self.changed = True
        return found

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(self.path, pickle.dumps(self.known, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
            self.changed = False
        except OSError:
            pass  # a read-only or full cache folder must not fail a check
