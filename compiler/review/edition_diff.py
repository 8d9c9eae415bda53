"""`diff`, top to bottom: name both sides, read them (from disk or git), validate, then compare.

Both sides are read before anything is compared, and problems on either side are reported
together. A side that cannot be read or validated leaves nothing to compare: the result says
so (exit status 2) with the problems at their file:line:column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler.diagnostics import Diagnostic, Severity
from compiler.domain.changes import Change, compare, pair_warnings
from compiler.domain.corpus import ListEntry
from compiler.models import Catalogue
from compiler.source.loader import Document, decode, load, load_bytes
from compiler.source.revisions import Side, parse_side, read_at_revision
from compiler.source.validate import validate

_SHOWS_LINE = ("QD101", "QD108")  # syntax problems whose line is worth showing


@dataclass
class Edition:
    """One side as read: the validated list, or the problems that stopped it."""

    side: Side
    entry: ListEntry | None
    problems: list[Diagnostic]
    document: Document | None  # its text, for excerpts, even when it does not parse


@dataclass
class DiffResult:
    old: Edition
    new: Edition
    changes: list[Change] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)  # not changes: reading problems, pair warnings

    @property
    def comparable(self) -> bool:
        return self.old.entry is not None and self.new.entry is not None

    @property
    def documents(self) -> dict[str, Document]:
        """Each side's text by the name its diagnostics use."""
        return {e.side.name: e.document for e in (self.old, self.new) if e.document is not None}

    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic, changes included, in file and line order."""
        return sorted([*self.findings, *(c.diagnostic for c in self.changes)], key=Diagnostic.sort_key)

    def exit_code(self) -> int:
        if not self.comparable:
            return 2
        return 1 if any(d.severity is Severity.ERROR for d in self.diagnostics()) else 0


def diff(old: str, new: str) -> DiffResult:
    """Compare two editions named as `PATH` or `PATH@REVISION`."""
    sides = parse_side(old), parse_side(new)  # usage errors before any reading
    result = DiffResult(read(sides[0]), read(sides[1]))
    result.findings += result.old.problems + result.new.problems
    if result.old.entry is not None and result.new.entry is not None:
        result.changes = compare(result.old.entry, result.new.entry)
        result.findings += pair_warnings(result.old.entry, result.new.entry, bool(result.changes))
    return result


def read(side: Side) -> Edition:
    """Load and validate one side; a missing git revision or path raises InputError."""
    raw = read_at_revision(side) if side.revision is not None else None
    doc, problems = load(side.path, side.name) if raw is None else load_bytes(raw, side.path, side.name)
    if doc is None:
        syntax = any(d.code in _SHOWS_LINE for d in problems)
        return Edition(side, None, problems, _lines_only(side, raw) if syntax else None)
    model, invalid = validate(doc, Catalogue)
    problems += invalid
    # A duplicate key (an error even when the model validates) means the file is not what it seems.
    usable = not any(d.severity is Severity.ERROR for d in problems)
    return Edition(side, ListEntry(doc, model) if model is not None and usable else None, problems, doc)


def _lines_only(side: Side, raw: bytes | None) -> Document:
    """The side's text without data, so a syntax error can still show its line."""
    if raw is None:
        try:
            raw = side.path.read_bytes()
        except OSError:
            raw = b""
    text, _ = decode(raw)
    return Document(Path(side.path), side.name, (text or "").splitlines(), None)
