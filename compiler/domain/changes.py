"""What changed between two editions of a list, and where the new edition is lower than the old.

Items and provisions are matched by id. Each change becomes a diagnostic at its place in the
NEW file, with the place in the OLD file as related: additions and neutral edits are
information; a removed item or provision, a narrower target group, a weaker commitment or a
worse numeric standard is an error. Those comparisons are the floor checks' own
(`AgeRange.contains`, `narrowed_conditions`, `Commitment.rank`, `at_least_as_good`), with the
old edition in the place of the floor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from compiler.diagnostics import Diagnostic, Related, Severity
from compiler.domain.comparisons import (
    at_least_as_good,
    narrowed_conditions,
    number,
    worse_direction,
)
from compiler.domain.corpus import DataPath, ListEntry
from compiler.models import Item, Provision, Standard, Target

Kind = Literal["added", "removed", "changed"]
Subject = Literal["list", "item", "provision"]

_AGE = ("target", "age")
_CONDITIONS = (("target", "conditions"), ("target", "any_of"))


@dataclass(frozen=True)
class Change:
    """One difference between the editions: as data (for JSON) and as a diagnostic (for people)."""

    kind: Kind
    subject: Subject
    id: str | None  # the item or provision id; None for the list's own fields
    field: str | None  # e.g. "title", "target.age", "standards.免费教育年限"; None for a whole item or provision
    old: Any
    new: Any
    diagnostic: Diagnostic

    @property
    def regression(self) -> bool:
        """The new edition is lower than the old here."""
        return self.diagnostic.severity is Severity.ERROR


def fields(data: Any, atoms: frozenset[DataPath] = frozenset(), path: DataPath = ()) -> dict[DataPath, Any]:
    """Leaf values of dumped model data by path. Mappings and lists of mappings are opened, other
    lists are kept whole; empty values are left out, so absent, null and [] compare equal."""
    if path in atoms or not isinstance(data, (dict, list)) or (
            isinstance(data, list) and not any(isinstance(x, dict) for x in data)):
        return {} if data is None or data == [] else {path: data}
    pairs = data.items() if isinstance(data, dict) else enumerate(data)
    out: dict[DataPath, Any] = {}
    for key, value in pairs:
        out |= fields(value, atoms, (*path, key))
    return out


def field_name(path: DataPath) -> str:
    """A data path as people write it: target.text, errata[0].original."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


def shown(value: Any) -> str:
    """A value inside a message."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(map(shown, value))
    if isinstance(value, float):
        return number(value)
    return str(value)


def _differences(old: dict[DataPath, Any], new: dict[DataPath, Any]) -> Iterator[DataPath]:
    """Paths whose value differs, in the new document's order, then those only the old has."""
    for path in [*new, *(p for p in old if p not in new)]:
        if old.get(path) != new.get(path):
            yield path


class _Comparison:
    """Walks two editions once and collects every change."""

    def __init__(self, old: ListEntry, new: ListEntry) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def emit(self, code: str, kind: Kind, subject: Subject, ident: str | None, field: str | None,
             before: Any, after: Any, where: DataPath, *, old_where: DataPath | None = None,
             label: tuple[str, str] = ("", ""), key: bool = False, **args: Any) -> None:
        """Record a change at `where` in the new file; `args` fill the message (old and new as shown by default).

        `label` names the old place (`old_where`) in Chinese and English.
        """
        doc = self.new.doc
        related = (Related(self.old.doc.at(old_where), *label),) if old_where is not None else ()
        args = {"field": field, "old": shown(before), "new": shown(after), **args}
        diagnostic = Diagnostic(code, doc.key_at(where) if key else doc.at(where), args, related, self.new.key)
        self.changes.append(Change(kind, subject, ident, field, before, after, diagnostic))

    def list_fields(self) -> None:
        old = fields(self.old.model.model_dump(mode="json", exclude={"groups"}))
        new = fields(self.new.model.model_dump(mode="json", exclude={"groups"}))
        for path in _differences(old, new):
            name = field_name(path)
            self.emit("QD601", "changed", "list", None, name, old.get(path), new.get(path), path,
                      old_where=path, label=(f"旧版 {name}", f"old {name}"))

    def items(self) -> None:
        for ident, (path, item) in self.new.items.items():
            if ident in self.old.items:
                self.item_changes(ident, self.old.items[ident], (path, item))
            else:
                fresh = "、".join(p.id for p in item.provisions if p.id not in self.old.provisions)
                self.emit("QD602", "added", "item", ident, None, None, item.service, path, item=ident,
                          service=item.service, with_=f"，含条款 {fresh}" if fresh else "",
                          with_en=f", with provisions {fresh}" if fresh else "")
        for ident, (old_path, item) in self.old.items.items():
            if ident in self.new.items:
                continue
            gone = "、".join(p.id for p in item.provisions if p.id not in self.new.provisions)
            self.emit("QD611", "removed", "item", ident, None, item.service, None, self.place_of_item(old_path),
                      key=True, old_where=old_path, label=(f"旧版服务项 {ident}", f"old item {ident}"), item=ident, service=item.service,
                      dropped=f"，连同条款 {gone}" if gone else "（其条款都已移入其他服务项）",
                      dropped_en=f", with provisions {gone}" if gone else " (its provisions all moved to other items)")

    def place_of_item(self, old_path: DataPath) -> DataPath:
        """Where a removed item would be in the new file: its group's items, else the groups."""
        group = self.old.model.groups[old_path[1]].name
        for g, candidate in enumerate(self.new.model.groups):
            if candidate.name == group:
                return ("groups", g, "items")
        return ("groups",)

    def item_changes(self, ident: str, old: tuple[DataPath, Item], new: tuple[DataPath, Item]) -> None:
        (old_path, old_item), (path, item) = old, new
        label = (f"旧版服务项 {ident}", f"old item {ident}")
        old_group, group = self.old.model.groups[old_path[1]].name, self.new.model.groups[path[1]].name
        if old_group != group:
            self.emit("QD603", "changed", "item", ident, "group", old_group, group, path,
                      old_where=old_path, label=label, item=ident)
        age_narrowed, extra = _narrowing(old_item.target, item.target)
        before = fields(old_item.model_dump(mode="json", exclude={"id", "provisions"}), frozenset({_AGE}))
        after = fields(item.model_dump(mode="json", exclude={"id", "provisions"}), frozenset({_AGE}))
        for step in _differences(before, after):
            if (step == _AGE and age_narrowed) or (step in _CONDITIONS and extra):
                continue  # a narrower target group: reported below as a regression
            ages: dict[str, Any] = {"old": str(old_item.target.effective_age()), "new": str(item.target.effective_age())}
            self.emit("QD603", "changed", "item", ident, field_name(step), before.get(step), after.get(step),
                      (*path, *step), old_where=(*old_path, *step), label=label, item=ident,
                      **(ages if step == _AGE else {}))
        self.scope(ident, "item", (f"服务项 {ident}", f"item {ident}"), old_item.target, item.target,
                   (path, old_path), label)

    def scope(self, ident: str, subject: Subject, what: tuple[str, str], old: Target, new: Target,
              paths: tuple[DataPath, DataPath], label: tuple[str, str]) -> None:
        """A narrower target group of an item, or of a provision moved to another item (at the provision)."""
        path, old_path = paths
        age_narrowed, extra = _narrowing(old, new)
        at_item = subject == "item"
        if age_narrowed:
            where = (*path, "target", "age") if new.age else (*path, "target")
            self.emit("QD613", "changed", subject, ident, "target.age", _age(old), _age(new),
                      where if at_item else path, old_where=(*old_path, *_AGE) if at_item else old_path,
                      label=label, what=what[0], what_en=what[1],
                      old_age=str(old.effective_age()), new_age=str(new.effective_age()))
        if extra:
            name = "conditions" if any(c not in old.conditions for c in new.conditions) else "any_of"
            self.emit("QD614", "changed", subject, ident, f"target.{name}", [c.value for c in getattr(old, name)],
                      [c.value for c in getattr(new, name)], (*path, "target", name) if at_item else path,
                      old_where=(*old_path, "target", name) if at_item else old_path, label=label,
                      what=what[0], what_en=what[1], extra="、".join(extra))

    def provisions(self) -> None:
        for ident, (path, item, provision) in self.new.provisions.items():
            if ident in self.old.provisions:
                self.provision_changes(ident, self.old.provisions[ident], (path, item, provision))
            elif item.id in self.old.items:  # an added item names its provisions itself
                self.emit("QD604", "added", "provision", ident, None, None, provision.text, path,
                          item=item.id, provision=ident, text=provision.text)
        for ident, (old_path, item, provision) in self.old.provisions.items():
            if ident in self.new.provisions or item.id not in self.new.items:
                continue  # a removed item names its provisions itself
            item_path = self.new.items[item.id][0]
            self.emit("QD612", "removed", "provision", ident, None, provision.text, None, (*item_path, "provisions"),
                      key=True, old_where=old_path, label=(f"旧版条款 {ident}", f"old provision {ident}"), item=item.id, provision=ident,
                      text=provision.text)

    def provision_changes(self, ident: str, old: tuple[DataPath, Item, Provision],
                          new: tuple[DataPath, Item, Provision]) -> None:
        (old_path, old_item, old_prov), (path, item, prov) = old, new
        label = (f"旧版条款 {ident}", f"old provision {ident}")
        if old_item.id != item.id:  # moved to another item: it now serves that item's target group
            self.emit("QD605", "changed", "provision", ident, "item", old_item.id, item.id, path,
                      old_where=old_path, label=label, provision=ident)
            what = (f"条款 {ident}（由服务项 {old_item.id} 移入 {item.id}）",
                    f"provision {ident} (moved from item {old_item.id} to {item.id})")
            self.scope(ident, "provision", what, old_item.target, item.target, (path, old_path), label)
        before = fields(old_prov.model_dump(mode="json", exclude={"id", "standards"}))
        after = fields(prov.model_dump(mode="json", exclude={"id", "standards"}))
        for step in _differences(before, after):
            weaker = step == ("commitment",) and prov.effective_commitment.rank < old_prov.effective_commitment.rank
            self.emit("QD615" if weaker else "QD605", "changed", "provision", ident, field_name(step),
                      before.get(step), after.get(step), (*path, *step), old_where=(*old_path, *step),
                      label=label, provision=ident)
        self.standard_changes(ident, (old_path, old_prov), (path, prov), label)

    def standard_changes(self, ident: str, old: tuple[DataPath, Provision], new: tuple[DataPath, Provision],
                         label: tuple[str, str]) -> None:
        (old_path, old_prov), (path, prov) = old, new
        before, after = _by_name(old_prov.standards), _by_name(prov.standards)
        for name, (k, was) in before.items():
            old_where = (*old_path, "standards", k)
            field = f"standards.{name}"
            if name not in after:
                self.emit("QD608", "removed", "provision", ident, field, was.value, None, (*path, "standards"),
                          key=True, old_where=(*old_where, "value"), label=label, provision=ident, name=name,
                          unit=was.unit, old_value=number(was.value))
                continue
            j, now = after[name]
            where = (*path, "standards", j)
            if not at_least_as_good(now, was):
                direction, direction_en = worse_direction(was.better)
                self.emit("QD616", "changed", "provision", ident, field, was.value, now.value, (*where, "value"),
                          old_where=(*old_where, "value"), label=label, provision=ident, name=name, unit=was.unit,
                          old_value=number(was.value), new_value=number(now.value),
                          direction=direction, direction_en=direction_en)
            elif now.value != was.value:
                self.emit("QD605", "changed", "provision", ident, field, was.value, now.value, (*where, "value"),
                          old_where=(*old_where, "value"), label=label, provision=ident)
            for attr, a, b in (("unit", was.unit, now.unit), ("better", was.better.value, now.better.value)):
                if a != b:
                    self.emit("QD605", "changed", "provision", ident, f"{field}.{attr}", a, b, (*where, attr),
                              old_where=(*old_where, attr), label=label, provision=ident)
        for name, (j, now) in after.items():
            if name not in before:
                self.emit("QD605", "changed", "provision", ident, f"standards.{name}", None, now.value,
                          (*path, "standards", j), label=label, provision=ident)


def _by_name(standards: list[Standard]) -> dict[str, tuple[int, Standard]]:
    """Standards by name, with their index; the first of a name counts."""
    found: dict[str, tuple[int, Standard]] = {}
    for k, s in enumerate(standards):
        found.setdefault(s.name, (k, s))
    return found


def _narrowing(old: Target, new: Target) -> tuple[bool, list[str]]:
    """Whether the new target group has a narrower age range, and the conditions it adds."""
    return not new.effective_age().contains(old.effective_age()), narrowed_conditions(new, old)


def _age(target: Target) -> dict[str, Any] | None:
    return target.age.model_dump() if target.age else None


def compare(old: ListEntry, new: ListEntry) -> list[Change]:
    """Every change from `old` to `new`: the list's own fields, then items, then provisions."""
    comparison = _Comparison(old, new)
    comparison.list_fields()
    comparison.items()
    comparison.provisions()
    return comparison.changes


def pair_warnings(old: ListEntry, new: ListEntry, changed: bool) -> list[Diagnostic]:
    """Warnings about the two editions as a pair: not the same list, or an edition number that
    did not go up (only when something changed: a file compared with itself is no finding)."""
    found: list[Diagnostic] = []
    related = (Related(old.doc.at(("id",)), f"旧版 {old.key}", f"old {old.key}"),)
    if old.model.id != new.model.id:
        found.append(Diagnostic("QD607", new.doc.at(("id",)), {"old": old.model.id, "new": new.model.id},
                                related, new.key))
    if new.model.edition < old.model.edition or (changed and new.model.edition == old.model.edition):
        found.append(Diagnostic("QD606", new.doc.at(("edition",)),
                                {"old": old.model.edition, "new": new.model.edition, "expected": old.model.edition + 1},
                                (Related(old.doc.at(("edition",)), f"旧版 edition {old.model.edition}",
                                         f"old edition {old.model.edition}"),), new.key))
    return found
