"""Skeletons for floor provisions a list does not fulfil yet, placed in its round-trip tree.

A missing provision of a floor item the list already covers goes into that item, after the
provision that fulfils the floor provision before it; a floor item nothing covers becomes a
new item, in the group of the same name (after the item covering the floor item before it),
or in a new group at the end. Each skeleton copies the floor's text, commitment and standards,
names what it `covers`, and carries a TODO comment on its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from compiler.authoring.floor_builder import (
    ItemDraft,
    ProvisionDraft,
    item_draft,
    provision_draft,
)
from compiler.domain.corpus import Corpus, DataPath
from compiler.domain.floor_match import FloorMatch
from compiler.models import Item, Provision

TODO_PROVISION = "TODO 按底线 {floor} 新增（qingdan upgrade）：改写为本地条文并核对，完成后删去本注释"
TODO_ITEM = "TODO 按底线 {floor} 新增的服务项（qingdan upgrade）：改写服务对象、条文和责任部门，完成后删去本注释"


@dataclass(frozen=True)
class Added:
    """One skeleton: its node in the tree, the floor provision or item it copies, what it covers."""

    node: CommentedMap
    floor_path: DataPath
    covers: tuple[str, ...]
    is_item: bool


def _flow_map(pairs: list[tuple[str, Any]]) -> CommentedMap:
    node = CommentedMap(pairs)
    node.fa.set_flow_style()
    return node


def _flow_seq(values: list[Any]) -> CommentedSeq:
    node = CommentedSeq(values)
    node.fa.set_flow_style()
    return node


def _provision_node(draft: ProvisionDraft) -> CommentedMap:
    node = CommentedMap([("id", draft.id), ("text", draft.text)])
    if draft.commitment is not None:
        node["commitment"] = draft.commitment
    if draft.standards:
        node["standards"] = CommentedSeq(
            [_flow_map([("name", s.name), ("value", s.value), ("unit", s.unit), ("better", s.better.value)])
             for s in draft.standards])
    node["covers"] = _flow_seq(list(draft.covers))
    return node


def _item_node(draft: ItemDraft) -> CommentedMap:
    target = CommentedMap([("text", draft.target.text)])
    if draft.target.age is not None:
        age = draft.target.age
        target["age"] = _flow_map([("min", age.min)] + ([("max", age.max)] if age.max is not None else []))
    for key in ("conditions", "any_of"):
        values = getattr(draft.target, key)
        if values:
            target[key] = _flow_seq([c.value for c in values])
    provisions = CommentedSeq([_provision_node(p) for p in draft.provisions])
    return CommentedMap([("id", draft.id), ("target", target), ("service", draft.service),
                         ("provisions", provisions), ("departments", _flow_seq(list(draft.departments)))])


@dataclass
class _Insert:
    seq: CommentedSeq
    position: int
    order: int  # floor order: skeletons meeting at one place keep the floor's order
    node: CommentedMap


class _Planner:
    def __init__(self, m: FloorMatch, data: Any, corpus: Corpus) -> None:
        self.entry, self.floor, self.m, self.data, self.corpus = m.entry, m.floor, m, data, corpus
        self.used = set(m.entry.items) | set(m.entry.provisions)
        self.inserts: list[_Insert] = []
        self.added: list[Added] = []
        self.new_groups: dict[str, CommentedMap] = {}
        self.floor_order = {item.id: k for k, (_, _, item) in enumerate(m.floor.model.items())}
        self.fulfils = m.fulfils()

    def fresh(self, wanted: str) -> str:
        """`wanted` if the list does not use it yet, else wanted-new, wanted-new2, …"""
        ident, n = wanted, 0
        while ident in self.used:
            n += 1
            ident = f"{wanted}-new" if n == 1 else f"{wanted}-new{n}"
        self.used.add(ident)
        return ident

    def run(self) -> None:
        for floor_item_id, (floor_item_path, floor_item) in self.floor.items.items():
            missing = [(k, p) for k, p in enumerate(floor_item.provisions) if not self.m.fulfilments(p.id)]
            if not missing:
                continue
            covering = self.m.covering_items(floor_item_id)
            if covering:
                self.provisions(covering[0][0], floor_item_path, floor_item, missing)
            else:
                self.item(floor_item_id, floor_item_path, floor_item)

    def provisions(self, item_path: DataPath, floor_item_path: DataPath, floor_item: Item,
                   missing: list[tuple[int, Provision]]) -> None:
        order = {p.id: k for k, p in enumerate(floor_item.provisions)}
        seq = self._tree(item_path)["provisions"]
        for k, provision in missing:
            before = [i for i in range(len(seq))
                      if any(order.get(f, k) < k for f in self.fulfils.get((*item_path, "provisions", i), ()))]
            node = _provision_node(provision_draft(self.floor.model, provision, self.fresh(provision.id)))
            node.yaml_add_eol_comment(TODO_PROVISION.format(floor=self.floor.key), "id")
            self.inserts.append(_Insert(seq, max(before) + 1 if before else 0, k, node))
            self.added.append(Added(node, (*floor_item_path, "provisions", k), (provision.id,), False))

    def item(self, floor_item_id: str, floor_item_path: DataPath, floor_item: Item) -> None:
        model = self.entry.model
        draft = item_draft(self.floor.model, floor_item, self.corpus.departments, model.level, model.id,
                           self.fresh(floor_item_id), [self.fresh(p.id) for p in floor_item.provisions])
        node = _item_node(draft)
        node.yaml_add_eol_comment(TODO_ITEM.format(floor=self.floor.key), "id")
        self.added.append(Added(node, floor_item_path, tuple(p.id for p in floor_item.provisions), True))
        rank = self.floor_order[floor_item_id]
        group_name = self.floor.model.groups[floor_item_path[1]].name
        g = next((g for g, group in enumerate(self.entry.model.groups) if group.name == group_name), None)
        if g is None:
            self.new_group(group_name, node, rank)
            return
        before = [i for i, item in enumerate(self.entry.model.groups[g].items)
                  if any(self.floor_order.get(self.floor.provisions[f][1].id, rank) < rank
                         for k in range(len(item.provisions))
                         for f in self.fulfils.get(("groups", g, "items", i, "provisions", k), ()))]
        self.inserts.append(_Insert(self.data["groups"][g]["items"], max(before) + 1 if before else 0, rank, node))

    def new_group(self, name: str, item: CommentedMap, rank: int) -> None:
        group = self.new_groups.get(name)
        if group is None:
            group = self.new_groups[name] = CommentedMap([("name", name), ("items", CommentedSeq())])
            self.inserts.append(_Insert(self.data["groups"], len(self.data["groups"]), rank, group))
        group["items"].append(item)

    def _tree(self, path: DataPath) -> Any:
        node = self.data
        for step in path:
            node = node[step]
        return node


def insert(m: FloorMatch, data: Any, corpus: Corpus) -> tuple[list[CommentedMap], list[Added]]:
    """Insert into the round-trip tree `data` of `m.entry` a skeleton for each floor provision nothing fulfils.

    Returns the nodes inserted into the file's own sequences (for placing their text) and
    every skeleton added, in floor order.
    """
    planner = _Planner(m, data, corpus)
    planner.run()
    for ins in sorted(planner.inserts, key=lambda i: (i.position, i.order), reverse=True):
        ins.seq.insert(ins.position, ins.node)
    return [ins.node for ins in planner.inserts], planner.added
