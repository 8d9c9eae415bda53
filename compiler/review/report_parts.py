"""The reviewers' report of a national catalogue, one page per province.

On one page, a report of 3,211 lists was 4.4 MB: every list has a row in the matrix and in the
deadlines, and its findings. A catalogue of many provinces gets an overview (the counts of each
province, linking its part) and one part per province, each the whole report of that province's
lists. The PDF stays one document.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from compiler.review.report import ReportContext


@dataclass(frozen=True)
class ReportPart:
    """One province's share of the report: its lists' rows in every section."""

    id: str  # the province's list id: its page is report/<id>.md
    jurisdiction: str
    report: ReportContext
    lists: int
    compliant: int
    below: int  # below their floor (a list without a floor is neither)
    urgent: int  # deadlines passed or near
    samples: tuple[str, ...]  # the jurisdictions of its lists that are samples

    @property
    def page(self) -> str:
        return f"report/{self.id}.md"


def only(report: ReportContext, keys: frozenset[str]) -> ReportContext:
    """The report of the lists `keys` (id@edition) alone; its totals line is the whole catalogue's, so it is left out."""
    return dataclasses.replace(
        report,
        rows=tuple(r for r in report.rows if r.key in keys),
        deadlines=tuple(d for d in report.deadlines if d.key in keys),
        errata=tuple(e for e in report.errata if e.key in keys),
        findings=tuple(f for f in report.findings if f.key in keys),
        history=tuple(h for h in report.history if h.key in keys),
        reviews=tuple(r for r in report.reviews if r.key in keys),
        left_out=(), totals="")


def split(report: ReportContext, groups: list[tuple[str, str, frozenset[str]]]) -> list[ReportPart]:
    """One part per group (id, jurisdiction, the keys of its lists), in the groups' order."""
    parts = []
    for group_id, jurisdiction, keys in groups:
        part = only(report, keys)
        urgent = sum(d.filing_urgent or d.renewal_urgent for d in part.deadlines)
        compliant = sum(r.compliant for r in part.rows)
        samples = tuple(d.jurisdiction for d in part.deadlines if d.sample)
        parts.append(ReportPart(group_id, jurisdiction, part, len(keys), compliant, len(part.rows) - compliant, urgent, samples))
    return parts
