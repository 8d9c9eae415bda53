"""Remembers what `qingdan check` printed, so a re-run on an unchanged catalogue answers at once.

An entry is found only when everything the output depends on is unchanged: the name, kind and
content of every file the check reads; the day it is checked as of; the options; the working
folder (files are named relative to it) and the repository folder (SARIF names files relative to
it); qingdan's own code and the versions of the libraries that shape a finding. Anything else is
a miss, and the catalogue is checked in full.

Each way of calling check (folder, paths, options) has one slot, overwritten when its inputs
change, so the cache does not grow with every edit. A missing, damaged or read-only cache only
costs time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from compiler.output.atomic import write_bytes
from compiler.output.digest_memo import DigestMemo, read_state
from compiler.publish.render.cache import code_digest
from compiler.source import boundary, repository
from compiler.source.inputs import Inputs, namer
from compiler.versions import versions as _versions

_HEADER = "qingdan-check"


@dataclass(frozen=True)
class Request:
    """One run of check: what it reads and how it reports."""

    inputs: Inputs
    as_of: dt.date
    options: tuple[str, ...]  # format, language, minimum severity

    def slot(self) -> str:
        """The same invocation, whatever the files hold and whichever day it is."""
        return _hash(os.getcwd(), self.inputs.root, *self.options, *sorted(self.inputs.reported))

    def digest(self, memo: DigestMemo | None = None) -> str:
        """Everything the output depends on."""
        state = memo.state if memo is not None else _state
        return _hash(code_digest(), sys.version, *_versions(), self.as_of.isoformat(), self.slot(),
                     repository.enclosing(self.inputs.root) or os.getcwd(),  # SARIF names files relative to it
                     *(f"{name}\0{state(f)}" for f, name in zip(self.inputs.files, self._names)))

    @cached_property
    def _names(self) -> list[str]:
        """The files' names, made once: the digest is taken before and after the check."""
        name = namer()
        return [name(f) for f in self.inputs.files]


def _hash(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def _state(path: Path) -> str:
    """What the loader will find at `path`: content for a file it reads, else why it cannot."""
    if boundary.outside(path):
        return "outside the catalogue"  # never opened, not even to be hashed
    try:
        return read_state(path, path.stat())
    except OSError as exc:
        return f"unreadable {exc.errno}"


class CheckCache:
    """Check outputs by slot under one folder; `None` as the folder turns caching off."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "check" if folder is not None else None

    def run(self, request: Request, check: Callable[[], tuple[int, str]]) -> tuple[int, str]:
        """(exit code, output) from the cache when the inputs are unchanged, else from `check`."""
        if self.folder is None:
            return check()
        path = self.folder / request.slot()
        memo = DigestMemo(self.folder.parent)
        digest = request.digest(memo)
        found = self._read(path, digest)
        memo.save()
        if found is not None:
            return found
        code, output = check()
        if request.digest(memo) == digest:  # a file changed while being checked: this output is of neither state
            self._write(path, f"{_HEADER} {digest} {code}\n{output}")
        memo.save()
        return code, output

    @staticmethod
    def _read(path: Path, digest: str) -> tuple[int, str] | None:
        try:
            head, output = path.read_text(encoding="utf-8", errors="surrogateescape").split("\n", 1)
            header, found, code = head.split(" ")
            if header == _HEADER and found == digest:
                return int(code), output
        except (OSError, ValueError):
            pass  # absent or damaged: check again
        return None

    @staticmethod
    def _write(path: Path, text: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, text.encode("utf-8", errors="surrogateescape"))
        except OSError:
            return  # a read-only or full cache folder must not fail a check
