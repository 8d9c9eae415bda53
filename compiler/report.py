"""The reviewers' report: one context for its page on the site and its PDF.

It shows, as `check` finds them: every jurisdiction × every provincial item (covered, weakened,
missing, with local additions counted), each list's filing and renewal deadlines with the dates,
the reasoning and the legal basis, the errata, and every diagnostic with its code and place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compiler import matrix as compliance
from compiler.codes import BASES
from compiler.deadlines import STATUS_ZH, Assessment
from compiler.diagnostics import Severity
from compiler.formats import status_words
from compiler.pipeline import CheckResult

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True)
class CellView:
    status: str  # covered | weakened | missing | absent
    label: str
    codes: str  # the codes behind a weakened or missing cell, e.g. "QD302 QD303"


@dataclass(frozen=True)
class RowView:
    key: str
    jurisdiction: str
    sample: bool
    floor: str
    cells: tuple[CellView, ...]
    covered: int
    weakened: int
    deviations: int
    missing: int
    additions: int
    compliant: bool


@dataclass(frozen=True)
class DeadlineRow:
    key: str
    jurisdiction: str
    sample: bool
    issued: dt.date
    filed: dt.date | None
    filing_due: dt.date | None
    filing_status: str
    filing_urgent: bool
    filing_reasoning: tuple[str, ...]
    renewal_due: dt.date | None
    renewal_status: str
    renewal_urgent: bool
    renewal_reasoning: tuple[str, ...]


@dataclass(frozen=True)
class ErratumView:
    key: str
    where: str
    original: str
    corrected: str
    reason: str


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str
    severity_key: str
    place: str  # file:line:column
    message: str
    hint: str
    related: tuple[str, ...]


@dataclass(frozen=True)
class ListFindings:
    key: str
    jurisdiction: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class ReportContext:
    as_of: dt.date
    columns: tuple[compliance.FloorItem, ...]
    rows: tuple[RowView, ...]
    deadlines: tuple[DeadlineRow, ...]
    filing_basis: str
    renewal_basis: str
    floor_basis: str
    errata: tuple[ErratumView, ...]
    findings: tuple[ListFindings, ...]
    left_out: tuple[str, ...]
    errors: int
    warnings: int
    infos: int


def _row(row: compliance.Row, columns: list[compliance.FloorItem]) -> RowView:
    cells = []
    for column in columns:
        cell = row.cells.get(column.id, compliance.Cell(compliance.Status.absent))
        codes = " ".join(dict.fromkeys(d.code for d in cell.findings))
        cells.append(CellView(cell.status.value, cell.status.label(), codes))
    count = {s: sum(c.status == s for c in cells) for s in ("covered", "weakened", "deviation", "missing")}
    model = row.result.entry.model
    return RowView(row.key, model.jurisdiction, model.sample, row.floor.key, tuple(cells), count["covered"],
                   count["weakened"], count["deviation"], count["missing"], row.additions, row.result.compliant)


def _status(a: Assessment | None) -> tuple[dt.date | None, str, bool, tuple[str, ...]]:
    if a is None:
        return None, STATUS_ZH[None], False, ()
    return a.due, status_words(a), a.status in ("late", "overdue", "pending", "due_soon"), a.period.steps


def _deadlines(result: CheckResult) -> tuple[DeadlineRow, ...]:
    rows = []
    for r in sorted(result.lists, key=lambda r: (r.entry.model.level.rank, r.entry.model.id, r.entry.model.edition)):
        m = r.entry.model
        if r.deadlines.filing is None and r.deadlines.renewal is None:
            continue
        rows.append(DeadlineRow(m.key, m.jurisdiction, m.sample, m.issued, m.filed,
                                *_status(r.deadlines.filing), *_status(r.deadlines.renewal)))
    return tuple(rows)


def _findings(result: CheckResult) -> tuple[ListFindings, ...]:
    names = {e.key: e.model.jurisdiction for e in result.corpus.lists}
    grouped: dict[str, list[FindingView]] = {}
    for d in result.diagnostics.sorted():
        grouped.setdefault(d.catalogue or d.location.file, []).append(FindingView(
            d.code, SEVERITY_ZH[d.severity], d.severity.key, str(d.location), d.message("zh"), d.hint("zh"),
            tuple(f"{r.location} {r.label}" for r in d.related)))
    return tuple(ListFindings(key, names.get(key, key), tuple(found)) for key, found in grouped.items())


def report_context(result: CheckResult) -> ReportContext:
    """Everything the report shows, computed from one check of the catalogue."""
    m = compliance.compute(result)
    errata = tuple(ErratumView(e.key, x.where, x.original, x.corrected, x.reason)
                   for e in result.corpus.lists for x in e.model.errata)
    c = result.diagnostics
    return ReportContext(
        as_of=result.as_of, columns=tuple(m.floor_items), rows=tuple(_row(r, m.floor_items) for r in m.rows),
        deadlines=_deadlines(result), filing_basis=BASES["filing"][0], renewal_basis=BASES["renewal"][0],
        floor_basis=BASES["floor"][0], errata=errata, findings=_findings(result),
        left_out=tuple(b.name for b in result.invalid),
        errors=c.count(Severity.ERROR), warnings=c.count(Severity.WARNING), infos=c.count(Severity.INFO),
    )
