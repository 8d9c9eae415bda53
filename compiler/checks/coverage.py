"""Coverage: every provision of the floor is fulfilled by some provision of the list."""

from __future__ import annotations

from typing import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.match is None or ctx.floor is None:
        return
    for path, floor_item, provision in ctx.floor.model.provisions():
        if ctx.match.fulfilments(provision.id):
            continue
        # Point at the list's item for the same service where there is one, else at `floor:`.
        siblings = ctx.match.covering_items(floor_item.id)
        where = (*siblings[0][0], "provisions") if siblings else ("floor",)
        yield ctx.diag(
            "QD301", where, key=True,
            related=(ctx.floor_related((*path, "text"), f"底线条款 {provision.id}", f"floor provision {provision.id}"),),
            floor=ctx.floor.key, provision=provision.id, floor_item=floor_item.id, floor_ref=provision.id, service=floor_item.service, text=provision.text,
        )
