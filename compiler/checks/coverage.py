"""Coverage: every provision of the floor is fulfilled by some provision of the list."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.match is None or ctx.floor is None:
        return
    uncovering = {p.id: (path, p) for path, _, p in ctx.entry.model.provisions() if not p.covers}
    for path, floor_item, provision in ctx.floor.model.provisions():
        if ctx.match.fulfilments(provision.id):
            continue
        # Point at the list's item for the same service where there is one, else at `floor:`.
        siblings = ctx.match.covering_items(floor_item.id)
        where = (*siblings[0][0], "provisions") if siblings else ("floor",)
        fix = f"在相应服务项中加入一条 covers: [{provision.id}] 的条款。"
        fix_en = f"add a provision with covers: [{provision.id}] to the matching item."
        own = uncovering.get(provision.id)
        if own is not None:
            # The list's provision of the same id has lost its covers (deleted by hand): adding another
            # provision with that id, as the usual hint says, would only make a duplicate id.
            where = own[0]
            text = ctx.entry.doc.key_at((*own[0], "text"))
            fix = (f"本清单的条款 {provision.id} 没有 covers（可能被删掉了）。如果它落实的就是底线的这一条，"
                   f"在它的 text 下面加上这一行：\n{' ' * (text.column - 1)}covers: [{provision.id}]")
            fix_en = (f"this list's provision {provision.id} has no covers (deleted?); if it fulfils this floor "
                      f"provision, add this line under its text:\n{' ' * (text.column - 1)}covers: [{provision.id}]")
        yield ctx.diag(
            "QD301", where, key=True, fix=fix, fix_en=fix_en,
            related=(ctx.floor_related((*path, "text"), f"底线条款 {provision.id}", f"floor provision {provision.id}"),),
            floor=ctx.floor.key, provision=provision.id, floor_item=floor_item.id, floor_ref=provision.id,
            service=floor_item.service, text=provision.text,
        )
