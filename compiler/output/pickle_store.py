"""Python objects kept by key in a cache folder: each list's findings, each file as loaded.

The folder is the user's own cache, so pickles are trusted as the rest of it is. An entry that is
absent, damaged, from another version or of another type reads as absent; a read-only or full
folder keeps nothing. Either only costs the time to make the object again. A hit marks its entry
as used (`pruning`).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Generic, TypeVar

from compiler.errors import QingdanError
from compiler.output import pruning
from compiler.output.atomic import write_bytes

T = TypeVar("T")


class PickleStore(Generic[T]):
    """Objects of one type by key under `folder` (None: nothing is kept)."""

    def __init__(self, folder: Path | None, kind: type[T]) -> None:
        self.folder, self.kind = folder, kind

    def get(self, k: str) -> T | None:
        if self.folder is None:
            return None
        # Strings and one open: a national check reads thousands of entries.
        path = os.path.join(self.folder, k[:2], k)
        try:
            with open(path, "rb") as f:
                raw, mtime = f.read(), os.fstat(f.fileno()).st_mtime
            found = pickle.loads(raw)
        except Exception:  # noqa: BLE001 - absent, damaged or from another version: made again
            return None
        if not isinstance(found, self.kind):
            return None
        pruning.used(path, mtime)
        return found

    def put(self, k: str, value: T) -> None:
        if self.folder is None:
            return
        path = self.folder / k[:2] / k
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except (OSError, QingdanError, pickle.PicklingError, RecursionError):
            pass  # a read-only or full cache folder must not fail a check
