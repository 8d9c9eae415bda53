"""What every check receives, and the one helper that stamps diagnostics with their list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from compiler.diagnostics import Diagnostic, Related
from compiler.domain.corpus import Corpus, DataPath, ListEntry
from compiler.domain.floor_match import FloorMatch


@dataclass
class Context:
    entry: ListEntry
    corpus: Corpus
    as_of: dt.date
    floor: ListEntry | None  # resolved, and not part of a cycle
    match: FloorMatch | None

    def diag(self, code: str, path: DataPath, *, key: bool = False,
             related: tuple[Related, ...] = (), **args: Any) -> Diagnostic:
        doc = self.entry.doc
        loc = doc.key_at(path) if key else doc.at(path)
        return Diagnostic(code, loc, args, related, self.entry.key)

    def floor_related(self, path: DataPath, label: str, label_en: str) -> Related:
        assert self.floor is not None
        return Related(self.floor.doc.at(path), label, label_en)


Check = Callable[[Context], Iterator[Diagnostic]]
