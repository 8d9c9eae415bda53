"""The loaded catalogue: every list by id and edition, the departments registry, and lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from compiler.models import (
    Catalogue,
    Department,
    DepartmentRegistry,
    Item,
    Level,
    Provision,
)
from compiler.source.loader import Document

DataPath = tuple


@dataclass
class ListEntry:
    """One validated list, with the document it came from and id indexes."""

    doc: Document
    model: Catalogue

    @property
    def key(self) -> str:
        return self.model.key

    @cached_property
    def provisions(self) -> dict[str, tuple[DataPath, Item, Provision]]:
        return {p.id: (path, item, p) for path, item, p in self.model.provisions()}

    @cached_property
    def items(self) -> dict[str, tuple[DataPath, Item]]:
        return {item.id: (("groups", g, "items", i), item) for g, i, item in self.model.items()}

    def provision_text(self, provision_id: str) -> str:
        return self.provisions[provision_id][2].text

    def value(self, path: DataPath) -> Any:
        node: Any = self.doc.data
        for step in path:
            node = node[step]
        return node


@dataclass
class Departments:
    """The departments registry, indexed by short name."""

    doc: Document | None
    by_id: dict[str, Department] = field(default_factory=dict)

    @classmethod
    def from_model(cls, doc: Document | None, model: DepartmentRegistry | None) -> Departments:
        return cls(doc, {d.id: d for d in model.departments} if model else {})

    def functions(self, ids: list[str]) -> set[str]:
        return {f for i in ids if i in self.by_id for f in self.by_id[i].functions}

    def counterparts(self, department_id: str, level: Level, list_id: str) -> list[str]:
        """Departments usable at `level` in `list_id` that share a function with `department_id`."""
        source = self.by_id.get(department_id)
        if source is None:
            return []
        wanted = set(source.functions)
        found = [d for d in self.by_id.values() if d.usable_at(level, list_id) and wanted & set(d.functions)]
        # A jurisdiction's own department first (Pingtan's 社会事业局), then the generic counterpart.
        found.sort(key=lambda d: (d.jurisdiction is None, d.id))
        return [d.id for d in found]


ListHead = tuple[str, int, bool]  # a valid list's id, edition and whether it is a draft


@dataclass
class Corpus:
    lists: list[ListEntry]
    departments: Departments
    # Every valid list of the catalogue, in file order, when `lists` holds only those a check of a
    # few files needs: the editions and ids known are still those of the whole catalogue.
    catalogue: list[ListHead] | None = None

    def __post_init__(self) -> None:
        self.by_key: dict[tuple[str, int], ListEntry] = {}
        self.editions: dict[str, list[int]] = {}
        self._drafts: dict[tuple[str, int], bool] = {}
        for entry in self.lists:
            self.by_key.setdefault((entry.model.id, entry.model.edition), entry)
        heads = self.catalogue if self.catalogue is not None else [
            (e.model.id, e.model.edition, e.model.draft) for e in self.lists]
        for list_id, edition, draft in heads:
            self._drafts.setdefault((list_id, edition), draft)
            self.editions.setdefault(list_id, []).append(edition)
        for eds in self.editions.values():
            eds.sort()

    def floor_of(self, entry: ListEntry) -> ListEntry | None:
        ref = entry.model.floor
        return self.by_key.get((ref.list, ref.edition)) if ref else None

    def usable_floor(self, entry: ListEntry) -> ListEntry | None:
        """The floor to compare `entry` with: None when unknown, or when its chain cycles back to `entry`."""
        floor = self.floor_of(entry)
        if floor is None or entry in self.chain(floor):
            return None  # a cycle is reported by the floor check; there is nothing to compare against
        return floor

    def newest_edition(self, list_id: str) -> int | None:
        """The newest issued edition: a draft supersedes nothing until it is issued."""
        eds = [e for e in self.editions.get(list_id, []) if not self._drafts[(list_id, e)]]
        return eds[-1] if eds else None

    def chain(self, entry: ListEntry) -> list[ListEntry]:
        """The list and its floors up the chain, stopping at a cycle or an unknown floor."""
        seen: list[ListEntry] = [entry]
        current = entry
        while (nxt := self.floor_of(current)) is not None and nxt not in seen:
            seen.append(nxt)
            current = nxt
        return seen
