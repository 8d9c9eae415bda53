"""Each file as loaded and validated, kept by its bytes, so a rebuild reads only what changed.

Loading a list (parsing its YAML and validating it) is most of a full check's work, and `build`,
`status` and the other commands that check a whole catalogue redo it for every file each time.
What loading gives depends only on the file's bytes, its path and name (messages name the file)
and qingdan's own code: that is the key. An entry holds the document, its findings and, for a
list, the validated model and what validation found. Unpickling an entry takes about a
thirteenth of loading the file again.

Entries are pickles, as the per-list findings are (`checks.findings_cache`): the cache folder is
the user's own. A damaged entry, one from another version, or a full or read-only cache folder
only costs the time to load the file again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.errors import QingdanError
from compiler.output import pruning
from compiler.output.atomic import write_bytes
from compiler.source.loader import Document


@dataclass
class Loaded:
    """One file as the check reads it: its document and findings, and for a list its model."""

    doc: Document | None
    found: list[Diagnostic]
    model: Any = None  # compiler.models.Catalogue, when the file is a valid list
    problems: list[Diagnostic] | None = None  # what validation found; None: not validated (a review record)


class DocumentCache:
    """Loaded files by key under one folder; `None` as the folder keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "check" / "store" / "documents" if folder is not None else None

    def key(self, raw: bytes, path: Path, name: str) -> str:
        from compiler.publish.render.cache import code_digest

        h = hashlib.sha256(code_digest().encode())
        for part in (os.fsencode(path), name.encode("utf-8", "surrogateescape"), hashlib.sha256(raw).digest()):
            h.update(b"\0" + part)
        return h.hexdigest()

    def get(self, k: str) -> Loaded | None:
        if self.folder is None:
            return None
        path = self.folder / k[:2] / k
        try:
            found = pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - absent, damaged or from another version: load the file again
            return None
        if not isinstance(found, Loaded):
            return None
        pruning.used(path)
        return found

    def put(self, k: str, loaded: Loaded) -> None:
        if self.folder is None:
            return
        path = self.folder / k[:2] / k
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except (OSError, QingdanError, pickle.PicklingError, RecursionError):
            pass  # a read-only or full cache folder must not fail a check
