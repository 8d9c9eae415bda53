"""Which provisions of a list fulfil which provisions of its floor: computed once per list.

A provision fulfils a floor provision when its `covers` names it (or names the floor item it
belongs to); an item's own `covers` makes every provision in the item fulfil what it names.
Every floor check (coverage, scope, commitment, standard, responsibility) reads this map.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from compiler.domain.corpus import DataPath, ListEntry
from compiler.models import Item, Provision


@dataclass(frozen=True)
class Fulfilment:
    path: DataPath  # of the fulfilling provision
    item_path: DataPath
    item: Item
    provision: Provision


@dataclass
class FloorMatch:
    entry: ListEntry
    floor: ListEntry
    by_floor_provision: dict[str, list[Fulfilment]] = field(default_factory=dict)
    dangling: list[tuple[DataPath, str]] = field(default_factory=list)  # (path of the covers entry, ref)

    def fulfilments(self, floor_provision_id: str) -> list[Fulfilment]:
        return self.by_floor_provision.get(floor_provision_id, [])

    def fulfilled(self) -> Iterator[tuple[DataPath, Provision, list[Fulfilment]]]:
        """Each floor provision that something fulfils, with its path in the floor and its fulfilments."""
        for path, _, provision in self.floor.model.provisions():
            found = self.fulfilments(provision.id)
            if found:
                yield path, provision, found

    def fulfils(self) -> dict[DataPath, list[str]]:
        """For each provision of the list (by data path), the floor provisions it fulfils, in floor order."""
        found: dict[DataPath, list[str]] = {}
        for _, _, provision in self.floor.model.provisions():
            for f in self.fulfilments(provision.id):
                found.setdefault(f.path, []).append(provision.id)
        return found

    def covering_items(self, floor_item_id: str) -> list[tuple[DataPath, Item]]:
        """Items of this list that fulfil any provision of the floor item, in document order."""
        _, floor_item = self.floor.items[floor_item_id]
        seen: dict[DataPath, Item] = {}
        for p in floor_item.provisions:
            for f in self.fulfilments(p.id):
                seen.setdefault(f.item_path, f.item)
        return sorted(seen.items())


def _expand(floor: ListEntry, ref: str) -> list[str] | None:
    """The floor provision ids a `covers` entry stands for, or None if it names nothing."""
    if ref in floor.provisions:
        return [ref]
    if ref in floor.items:
        return [p.id for p in floor.items[ref][1].provisions]
    return None


def _resolve(floor: ListEntry, refs: list[str], path: DataPath, result: FloorMatch) -> list[str]:
    """Floor provision ids named by one `covers` list; unknown names are recorded as dangling."""
    ids: list[str] = []
    for k, ref in enumerate(refs):
        expanded = _expand(floor, ref)
        if expanded is None:
            result.dangling.append(((*path, "covers", k), ref))
        else:
            ids += expanded
    return ids


def match(entry: ListEntry, floor: ListEntry) -> FloorMatch:
    result = FloorMatch(entry, floor)
    for g, i, item in entry.model.items():
        item_path = ("groups", g, "items", i)
        item_refs = _resolve(floor, item.covers, item_path, result)
        for p_index, provision in enumerate(item.provisions):
            path = (*item_path, "provisions", p_index)
            refs = item_refs + _resolve(floor, provision.covers, path, result)
            for ref in dict.fromkeys(refs):
                result.by_floor_provision.setdefault(ref, []).append(Fulfilment(path, item_path, item, provision))
    return result
