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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.output.pickle_store import PickleStore
from compiler.source.loader import Document


@dataclass
class Loaded:
    """One file as the check reads it: its document and findings, and for a list its model."""

    doc: Document | None
    found: list[Diagnostic]
    model: Any = None  # compiler.models.Catalogue, when the file is a valid list
    problems: list[Diagnostic] | None = None  # what validation found; None: not validated (a review record)


class DocumentCache(PickleStore[Loaded]):
    """Loaded files by key under the cache folder's `check/store/documents`; `None` as the folder keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder / "check" / "store" / "documents" if folder is not None else None, Loaded)

    def key(self, raw: bytes, path: Path, name: str) -> str:
        from compiler.publish.render.cache import code_digest

        h = hashlib.sha256(code_digest().encode())
        for part in (os.fsencode(path), name.encode("utf-8", "surrogateescape"), hashlib.sha256(raw).digest()):
            h.update(b"\0" + part)
        return h.hexdigest()
