"""Responsibility: every duty the floor assigns has a local department that carries it."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.match is None or ctx.floor is None:
        return
    registry = ctx.corpus.departments
    if not registry.by_id:
        return
    model = ctx.entry.model
    for floor_id, (floor_path, floor_item) in ctx.floor.items.items():
        covering = ctx.match.covering_items(floor_id)
        if not covering:
            continue
        local = registry.functions([d for _, item in covering for d in item.departments])
        for k, dept_id in enumerate(floor_item.departments):
            dept = registry.by_id.get(dept_id)
            if dept is None or local & set(dept.functions):
                continue
            counterpart = registry.counterparts(dept_id, model.level, model.id)
            yield ctx.diag(
                "QD307", (*covering[0][0], "departments"),
                related=(ctx.floor_related((*floor_path, "departments", k), f"底线责任部门 {dept_id}",
                                           f"floor department {dept_id}"),),
                item=f"{floor_id}（{floor_item.service}）", item_en=f"{floor_id} ({floor_item.service})",
                floor_item=floor_id, floor_department=dept_id, function="、".join(dept.functions),
                counterpart="、".join(counterpart[:2]) or "承担该职能的本地部门",
                counterpart_en=" or ".join(counterpart[:2]) or "a local department with that duty", floor_ref=floor_id,
            )
