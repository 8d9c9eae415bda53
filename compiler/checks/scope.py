"""Scope: the list's target group is no narrower than the floor's (age bounds, conditions)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic
from compiler.domain.comparisons import narrowed_conditions, narrower


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.match is None or ctx.floor is None:
        return
    match = ctx.match
    for floor_id, (floor_path, floor_item) in ctx.floor.items.items():
        # As with commitment and standards, the best fulfilment counts: a floor provision that one
        # item gives the floor's whole group is not narrowed by another item giving it to some of them.
        unserved = {p.id for p in floor_item.provisions
                    if not any(not narrower(f.item.target, floor_item.target) for f in match.fulfilments(p.id))}
        for item_path, item in match.covering_items(floor_id):
            if not any(f.item_path == item_path for p in unserved for f in match.fulfilments(p)):
                continue
            related = (ctx.floor_related((*floor_path, "target"), f"底线服务对象 {floor_id}：{floor_item.target.text}",
                                         f"floor target group {floor_id}: {floor_item.target.text}"),)
            city_age, floor_age = item.target.effective_age(), floor_item.target.effective_age()
            if not city_age.contains(floor_age):
                where = (*item_path, "target", "age") if item.target.age else (*item_path, "target")
                yield ctx.diag("QD302", where, related=related, city_age=str(city_age),
                               floor_age=str(floor_age), provision_ref=floor_id, floor_item=floor_id, floor_ref=floor_id)
            extra = narrowed_conditions(item.target, floor_item.target)
            if extra:
                field = "conditions" if item.target.conditions else "any_of"
                yield ctx.diag("QD303", (*item_path, "target", field), related=related,
                               extra="、".join(extra), provision_ref=floor_id, floor_item=floor_id, floor_ref=floor_id)
