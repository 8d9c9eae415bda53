"""Commitment: a provision is promised no less firmly than the floor (保障 > 有条件 > 鼓励)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.match is None or ctx.floor is None:
        return
    for path, provision, fulfilments in ctx.match.fulfilled():  # unfulfilled ones: coverage reports them
        # A stated commitment is checked here; where none is stated, the text's reading stands in
        # and the text check (QD320) reports it with the words that weaken it.
        best = max(fulfilments, key=lambda f: f.provision.effective_commitment.rank)
        if best.provision.commitment is not None and best.provision.commitment.rank < provision.effective_commitment.rank:
            yield ctx.diag("QD304", (*best.path, "commitment"),
                           related=(ctx.floor_related((*path, "commitment"), f"底线条款 {provision.id}：{provision.text}",
                                                      f"floor provision {provision.id}: {provision.text}"),),
                           city=best.provision.commitment.value, floor_value=provision.effective_commitment.value,
                           provision=provision.id, floor_item=ctx.floor.provisions[provision.id][1].id,
                           floor_ref=provision.id)
