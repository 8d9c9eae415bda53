"""What the families' site may say about a list against its floor, from the check result alone.

A page never assumes compliance: "不低于省级清单" is printed only where `check` confirms it for
that list (no error, every floor item covered in the compliance matrix). Where the list falls
short, each floor item it weakens or misses becomes a `FloorGap` carrying the floor's own words,
so the page and the finder can tell the family that the floor's entitlement still holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.domain.corpus import Departments, ListEntry
from compiler.domain.floor_match import FloorMatch
from compiler.review.matrix import Status, cells

GAP_WORDS = {Status.missing: "本清单没有写这项服务", Status.weakened: "本清单写的低于省级清单",
             Status.deviation: "本清单写的低于省级清单，理由正在审核",
             Status.accepted: "本清单写的与省级清单不同，已经审核认可"}


@dataclass(frozen=True)
class FloorGap:
    """A floor item the list misses or weakens: the family keeps the floor's entitlement."""

    item_id: str  # the floor item's id (kept for the tests and the data, not shown to families)
    status: str  # missing | weakened | deviation
    why: str  # in plain words: GAP_WORDS
    jurisdiction: str  # of the floor
    group: str
    service: str
    target: str
    provisions: tuple[str, ...]  # the floor's words, provision by provision
    departments: tuple[str, ...]  # full names of the floor item's departments
    age: tuple[int, int | None]  # the floor item's effective age bounds (for the finder)
    conditions: tuple[str, ...]
    any_of: tuple[str, ...]
    list_items: tuple[str, ...]  # ids of the list's items that carry it (empty where missing)


@dataclass(frozen=True)
class Standing:
    """The check's verdict on one list, as the site may state it."""

    has_floor: bool
    confirmed: bool  # check confirms: no error, every floor item covered
    errors: int
    gaps: tuple[FloorGap, ...]

    def for_item(self, item_id: str) -> tuple[FloorGap, ...]:
        """The gaps carried by the list's item `item_id` (weakened floor items it fulfils)."""
        return tuple(g for g in self.gaps if item_id in g.list_items)

    @property
    def missing(self) -> tuple[FloorGap, ...]:
        return tuple(g for g in self.gaps if not g.list_items)


def _gap(m: FloorMatch, floor: ListEntry, item_id: str, status: Status, registry: Departments) -> FloorGap:
    _, item = floor.items[item_id]
    group = next(g.name for g in floor.model.groups if any(i.id == item_id for i in g.items))
    carriers = tuple(dict.fromkeys(i.id for _, i in m.covering_items(item_id))) if status is not Status.missing else ()
    age = item.target.effective_age()
    names = tuple(registry.by_id[d].name if d in registry.by_id else d for d in item.departments)
    return FloorGap(item_id, status.value, GAP_WORDS[status], floor.model.jurisdiction, group, item.service,
                    item.target.text, tuple(p.text for p in item.provisions), names, (age.min, age.max),
                    tuple(c.value for c in item.target.conditions), tuple(c.value for c in item.target.any_of),
                    carriers)


def standing(result: ListResult, check: CheckResult, m: FloorMatch | None) -> Standing:
    """The list's standing against its floor, from the same findings the compliance matrix reads."""
    if m is None:
        return Standing(False, result.compliant and result.errors == 0, result.errors, ())
    own = check.diagnostics.of(result.entry.key)
    row = cells(m, own)
    gaps = tuple(_gap(m, m.floor, item_id, cell.status, check.corpus.departments)
                 for item_id, cell in row.items() if cell.status in GAP_WORDS)
    confirmed = result.compliant and result.errors == 0 and not gaps
    return Standing(True, confirmed, result.errors, gaps)
