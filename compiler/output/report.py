"""What `check` reports: each list's outcome, apart from the loaded documents and models it came from.

A report needs a list's identity and dates (for the summary line and the JSON), its verdict and
its deadlines; nothing else of the list. Keeping these few fields apart lets a large check take
them from worker processes or from the findings cache without carrying whole documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.diagnostics import Collector
from compiler.domain.deadlines import Deadlines
from compiler.models.levels import Level

if TYPE_CHECKING:
    from compiler.domain.corpus import ListEntry
    from compiler.source.inputs import InvalidFile
    from compiler.source.loader import Document


@dataclass(frozen=True)
class ListFacts:
    """A list's identity as the reports print it."""

    key: str  # id@edition
    id: str
    edition: int
    title: str
    jurisdiction: str
    level: Level
    sample: bool
    draft: bool
    floor: str | None  # "id@edition" of the floor it names
    issued: dt.date
    filed: dt.date | None
    file: str  # the file's name as diagnostics give it

    @classmethod
    def of(cls, entry: ListEntry) -> ListFacts:
        m = entry.model
        return cls(m.key, m.id, m.edition, m.title, m.jurisdiction, m.level, m.sample, m.draft,
                   str(m.floor) if m.floor else None, m.issued, m.filed, entry.doc.name)

    @property
    def order(self) -> tuple[int, str, int]:
        """How reports order lists: by level from the top, then id and edition."""
        return (self.level.rank, self.id, self.edition)


@dataclass
class ListOutcome:
    """One list's verdict, counts and deadlines, with its facts."""

    facts: ListFacts
    compliant: bool
    deadlines: Deadlines
    errors: int
    warnings: int  # not counting deviations
    deviations: int = 0  # findings answered by a justified deviation, awaiting the reviewer
    accepted: int = 0  # deviations the reviewer accepted


@dataclass
class CheckReport:
    """A check's output as the formats print it: diagnostics, each list's outcome, unreadable files."""

    root: Path
    as_of: dt.date
    diagnostics: Collector
    lists: list[ListOutcome]
    invalid: list[InvalidFile] = field(default_factory=list)
    documents: Mapping[str, Document] = field(default_factory=dict)  # the files diagnostics quote

    def exit_code(self) -> int:
        return 1 if self.diagnostics.has_errors else 0
