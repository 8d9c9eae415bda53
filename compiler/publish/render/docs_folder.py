"""The docs folder mkdocs reads, written through one object: a file whose content is that of the
same file the last build kept (the site cache's `docs/`) becomes a hard link to the kept file
instead of a write.

A national portal's docs folder holds about 7,000 files (pages, open data, finder and search
shards). Writing one costs about 0.8 ms on a virtual disk, linking one about 0.02 ms, and after
one list changed nearly all of them are as they were. A kept file carries the modification time
0, so mkdocs's dirty build leaves its page as it is, as it does for any docs file whose content
did not change (`site_cache`).

A file in the folder may be the kept one: nothing ever writes into a file that is there. A second
write of a name replaces the file (a new one is created, never opened for writing as it is).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KeptDoc:
    """One file the last build kept: its content's digest, where it is and how it was left."""

    digest: str
    path: str
    state: tuple[int, int, int]  # size, modification time (ns), inode
    made_from: str | None = None  # the cache key it was made from, where the build gave one


def file_state(path: str | Path) -> tuple[int, int, int] | None:
    """Size, modification time and inode of a regular file (never followed if a link); None otherwise."""
    try:
        return state_of(os.lstat(path))
    except OSError:
        return None


def state_of(info: os.stat_result) -> tuple[int, int, int] | None:
    """What identifies a kept file as left, from its lstat: size, modification time and inode; None
    if it is not a regular file."""
    return (info.st_size, info.st_mtime_ns, info.st_ino) if stat.S_ISREG(info.st_mode) else None


class DocsFolder:
    """The docs folder at `root`, each file written through `write` or `copy`; `kept`: the last
    build's files by name (relative, with /), which are linked where the content is the same."""

    def __init__(self, root: Path, kept: dict[str, KeptDoc] | None = None) -> None:
        self.root = root
        self._top = os.fspath(root)
        self._kept = kept or {}
        self._digests: dict[str, str] = {}
        self._made: set[str] = set()
        self.made_from: dict[str, str] = {}  # each file's cache key, where it has one (kept with it)
        self.linked = 0  # how many files came from the kept folder

    def __truediv__(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, data: str | bytes, made_from: str | None = None) -> None:
        """The file `rel` with `data` (text as UTF-8): linked to the kept file where it holds the same.
        `made_from`: the cache key `data` was made from, kept with the file (see `link_made`)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        digest = hashlib.sha256(raw).hexdigest()
        target = self._target(rel)
        self._digests[rel] = digest
        self._made_from(rel, made_from)
        if self._link(rel, digest, target):
            return
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # written before in this build, perhaps as a link: replaced, not written into
            os.unlink(target)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)

    def link_made(self, rel: str, made_from: str | None) -> bool:
        """The file `rel` linked to the kept one if that was made from the same cache key (its content
        is then what the key's entry holds, so it is neither read nor made); False if it cannot be."""
        kept = self._kept.get(rel)
        if made_from is None or kept is None or kept.made_from != made_from:
            return False
        if not self._link(rel, kept.digest, self._target(rel)):
            return False
        self._digests[rel] = kept.digest
        self._made_from(rel, made_from)
        return True

    def _target(self, rel: str) -> str:
        target = os.path.join(self._top, rel)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target

    def _made_from(self, rel: str, made_from: str | None) -> None:
        if made_from is None:
            self.made_from.pop(rel, None)
        else:
            self.made_from[rel] = made_from

    def _link(self, rel: str, digest: str, target: str) -> bool:
        kept = self._kept.get(rel)
        if kept is None or kept.digest != digest or file_state(kept.path) != kept.state:
            return False
        try:
            os.link(kept.path, target)
        except FileExistsError:
            os.unlink(target)
            return self._link(rel, digest, target)
        except OSError as exc:
            if exc.errno in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                self._kept = {}  # another file system, or links refused: every file is written
            return False
        self.linked += 1
        return True

    def copy(self, source: Path, rel: str) -> None:
        """The file `rel` with the content of `source`."""
        self.write(rel, source.read_bytes())

    def copy_tree(self, source: Path) -> None:
        """Every file under `source` into the folder, under the same names."""
        for folder, dirs, names in os.walk(source):
            dirs.sort()
            for name in sorted(names):
                path = Path(folder, name)
                self.copy(path, path.relative_to(source).as_posix())

    def digests(self) -> dict[str, str]:
        """Every file in the folder by name, with its content's digest: as written, or read (a file
        made by someone else, a PDF from its renderer)."""
        found = {}
        for folder, dirs, names in os.walk(self._top):
            dirs.sort()
            rel = os.path.relpath(folder, self._top).replace(os.sep, "/")
            prefix = "" if rel == "." else f"{rel}/"
            for name in sorted(names):
                known = self._digests.get(prefix + name)
                if known is None:
                    with open(os.path.join(folder, name), "rb") as f:
                        known = hashlib.sha256(f.read()).hexdigest()
                found[prefix + name] = known
        return found

