"""The reviewers' report of a national catalogue, one page per province and one per city.

On one page, a report of 3,211 lists was 4.4 MB: every list has a row in the matrix and in the
deadlines, and its findings. A catalogue of many provinces gets an overview (the counts of each
province, linking its page); a province's page holds its own lists (the provincial list, and any
county on no city's chain) and the counts of its cities, linking their pages; a city's page holds
the whole report of that city's lists and its counties'. One page per province was still 310 KiB
for the largest province; a city's page stays well under 200 KB. The PDF stays one document.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

from compiler.review.report import ReportContext


class ReportGroup(NamedTuple):
    """Lists that share a page of the reviewers' report: a province's (with the pages of its `cities`) or a city's."""

    id: str  # the list at the head of the group (a province, a city, or a list above the provinces)
    jurisdiction: str
    keys: frozenset[str]  # id@edition of every list on the group's page
    cities: tuple[ReportGroup, ...] = ()  # a province's cities, each a page of its own with its counties


@dataclass(frozen=True)
class ReportPart:
    """One province's or one city's share of the report: its lists' rows in every section."""

    id: str  # the head list's id
    jurisdiction: str
    report: ReportContext  # the lists on this page (a province's page: not its cities')
    lists: int  # the counts are of the page and the pages below it (a province's cities)
    compliant: int
    below: int  # below their floor (a list without a floor is neither)
    urgent: int  # deadlines passed or near
    samples: tuple[str, ...]  # the jurisdictions of the lists on this page that are samples
    province: str | None = None  # a city's page: the id of its province's page
    province_name: str = ""  # a city's page: its province's jurisdiction
    cities: tuple[ReportPart, ...] = ()  # a province's page: its cities' pages

    @property
    def page(self) -> str:
        """report/<province>.md, or report/<province>/<city>.md for a city's page."""
        return f"report/{self.province}/{self.id}.md" if self.province else f"report/{self.id}.md"

    @property
    def root(self) -> str:
        """The path from the page up to the site's root."""
        return "../../../" if self.province else "../../"


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


def _part(report: ReportContext, group: ReportGroup, above: ReportGroup | None = None) -> ReportPart:
    cities = tuple(_part(report, city, group) for city in group.cities)
    own = only(report, group.keys)
    urgent = sum(d.filing_urgent or d.renewal_urgent for d in own.deadlines)
    compliant = sum(r.compliant for r in own.rows)
    samples = tuple(d.jurisdiction for d in own.deadlines if d.sample)
    return ReportPart(
        group.id, group.jurisdiction, own, len(group.keys) + sum(c.lists for c in cities),
        compliant + sum(c.compliant for c in cities), len(own.rows) - compliant + sum(c.below for c in cities),
        urgent + sum(c.urgent for c in cities), samples,
        above.id if above else None, above.jurisdiction if above else "", cities)


def split(report: ReportContext, groups: list[ReportGroup]) -> list[ReportPart]:
    """One part per group, in the groups' order; a province's cities are parts inside it (`ReportPart.cities`)."""
    return [_part(report, group) for group in groups]
