"""The compliance matrix: every list × every item of its provincial floor, covered, weakened or missing.

Computed from a finished `CheckResult`, so it says exactly what `check` says:

- **missing**: some provision of the floor item is fulfilled by nothing in the list (the
  provision-level `FloorMatch`, the same map the coverage check QD301 reads);
- **weakened**: every provision is fulfilled, but a floor finding QD302–QD307 of that list
  concerns the item (narrower scope, weaker commitment, lower standard, missing department);
- **deviation**: otherwise fulfilled, but a floor finding of that list is answered by a justified
  deviation (QD311): counted apart, awaiting the reviewer's acceptance, never shown as covered;
- **accepted**: otherwise fulfilled, but short of the floor by a deviation the reviewer accepted
  (QD801, from the review record): counted apart, never shown as covered;
- **covered**: none of these.

API (shared by the spreadsheet export and the reviewers' report)::

    matrix = compute(result)
    matrix.floor_items            # columns: FloorItem(id, group, service, target), in floor order
    matrix.rows                   # one Row per list: .result (ListResult), .floor, .additions, .cells
    matrix.cell("putian@1", "s09")  # Cell(status=Status.missing, findings=(QD301 …,))

Rows are the newest edition of every checked list whose chain of floors reaches a provincial
list: the cities, and the counties built on a city's list. A county's cells are its standing on
its own floor (the city's list) for each item the city keeps under the provincial id, as `check`
compares them; an item its floor does not have is `Status.absent`. When lists
build on different editions of the floor, the columns are the union of their items and a cell
for an item that a list's own floor edition does not have is `Status.absent`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.codes import MatrixClass, in_matrix
from compiler.diagnostics import Diagnostic
from compiler.domain.corpus import Corpus, ListEntry
from compiler.domain.floor_match import FloorMatch
from compiler.models import Level

# Which findings make which cell: the `matrix` field of each code in the registry.
MISSING_CODES = in_matrix(MatrixClass.missing)
WEAKENING_CODES = in_matrix(MatrixClass.weakened)
DEVIATION_CODES = in_matrix(MatrixClass.deviation)  # declared justified deviations, awaiting review
ACCEPTED_CODES = in_matrix(MatrixClass.accepted)  # deviations the reviewer accepted (review records)
ADDITION_CODES = in_matrix(MatrixClass.addition)


class Status(str, Enum):
    """A list's standing on one floor item."""

    covered = "covered"
    weakened = "weakened"
    deviation = "deviation"  # short of the floor, with a declared reason awaiting the reviewer's acceptance
    accepted = "accepted"  # short of the floor by a deviation the reviewer accepted
    missing = "missing"
    absent = "absent"  # the list's floor edition has no such item

    def label(self, lang: str = "zh") -> str:
        """The word a reviewer reads in a cell."""
        zh = {"covered": "已覆盖", "weakened": "被削弱", "deviation": "偏离待审", "accepted": "偏离已认可", "missing": "缺失",
              "absent": "—"}
        en = {"covered": "covered", "weakened": "weakened", "deviation": "deviation (to review)",
              "accepted": "deviation accepted", "missing": "missing", "absent": "—"}
        return (en if lang == "en" else zh)[self.value]


@dataclass(frozen=True)
class FloorItem:
    """A column: one service item of the provincial floor."""

    id: str
    group: str
    service: str
    target: str


@dataclass(frozen=True)
class Cell:
    """One list's standing on one floor item, with the findings (QD301–QD307) behind it."""

    status: Status
    findings: tuple[Diagnostic, ...] = ()


@dataclass
class Row:
    """One list: its check summary, the floor it was compared with, its cells and its local additions."""

    result: ListResult
    floor: ListEntry
    cells: dict[str, Cell] = field(default_factory=dict)
    additions: int = 0  # QD310 findings: items or provisions beyond the floor

    @property
    def key(self) -> str:
        return self.result.entry.key


@dataclass
class Matrix:
    """Columns (`floor_items`) and rows (one per list); `cell` looks one up."""

    floor_items: list[FloorItem]
    rows: list[Row]

    def row(self, list_key: str) -> Row:
        """The row of list `list_key` ("fuzhou@1")."""
        return next(r for r in self.rows if r.key == list_key)

    def cell(self, list_key: str, item_id: str) -> Cell:
        """The cell of list `list_key` ("putian@1") for floor item `item_id` ("s09")."""
        return self.row(list_key).cells.get(item_id, Cell(Status.absent))


def _cell(m: FloorMatch, item_id: str, findings: list[Diagnostic]) -> Cell:
    _, item = m.floor.items[item_id]
    concerning = tuple(d for d in findings if d.args.get("floor_item") == item_id)
    if any(not m.fulfilments(p.id) for p in item.provisions):
        return Cell(Status.missing, concerning)
    if any(d.code in WEAKENING_CODES for d in concerning):
        return Cell(Status.weakened, concerning)
    if any(d.code in DEVIATION_CODES for d in concerning):
        return Cell(Status.deviation, concerning)
    if any(d.code in ACCEPTED_CODES for d in concerning):
        return Cell(Status.accepted, concerning)
    return Cell(Status.covered, concerning)


def cells(m: FloorMatch, findings: list[Diagnostic]) -> dict[str, Cell]:
    """Every floor item's cell for the list `m` compares, from that list's own findings (any floor level)."""
    floor_findings = [d for d in findings if d.code in MISSING_CODES + WEAKENING_CODES + DEVIATION_CODES + ACCEPTED_CODES]
    return {item_id: _cell(m, item_id, floor_findings) for item_id in m.floor.items}


def _columns(floors: list[ListEntry]) -> list[FloorItem]:
    """The union of the floors' items, newest edition first so its order wins."""
    seen: dict[str, FloorItem] = {}
    for floor in sorted(floors, key=lambda f: -f.model.edition):
        for group in floor.model.groups:
            for item in group.items:
                seen.setdefault(item.id, FloorItem(item.id, group.name, item.service, item.target.text))
    return list(seen.values())


def compute(result: CheckResult) -> Matrix:
    """The matrix of every current list built on a provincial floor, in the order of the check summary."""
    corpus = result.corpus
    rows: list[Row] = []
    ordered = sorted(result.lists, key=lambda r: (r.entry.model.level.rank, r.entry.model.id, r.entry.model.edition))
    provincial: list[ListEntry] = []
    for lr in ordered:
        entry = lr.entry
        m = lr.match
        province = _provincial_floor(corpus, entry)
        if m is None or province is None:
            continue
        if corpus.newest_edition(entry.model.id) != entry.model.edition:
            continue  # superseded editions stay in the catalogue for comparison, not in the matrix
        provincial.append(province)
        own = result.diagnostics.of(entry.key)
        shown = {k: c for k, c in cells(m, own).items() if k in province.items}  # the provincial columns
        rows.append(Row(lr, m.floor, shown, sum(1 for d in own if d.code in ADDITION_CODES)))
    return Matrix(_columns(list({id(f): f for f in provincial}.values())), rows)


def _provincial_floor(corpus: Corpus, entry: ListEntry) -> ListEntry | None:
    """The provincial list at the top of `entry`'s chain of floors (itself excluded), or None."""
    floor = corpus.usable_floor(entry)
    seen = set()
    while floor is not None and floor.key not in seen:
        if floor.model.level is Level.province:
            return floor
        seen.add(floor.key)
        floor = corpus.usable_floor(floor)
    return None
