"""Local additions (本地新增): what a list provides beyond its floor, listed as information."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.entry.model.floor is None:
        return  # a list with no floor adds nothing "beyond" anything
    for g, i, item in ctx.entry.model.items():
        path = ("groups", g, "items", i)
        added = [(p, prov) for p, prov in enumerate(item.provisions) if not prov.covers]
        if item.covers:
            continue
        if len(added) == len(item.provisions):
            yield ctx.diag("QD310", (*path, "service"), what=f"服务项 {item.id}“{item.service}”",
                           what_en=f"item {item.id} '{item.service}'")
            continue
        for p, prov in added:
            yield ctx.diag("QD310", (*path, "provisions", p, "text"), what=f"条款 {prov.id}“{prov.text}”",
                           what_en=f"provision {prov.id} '{prov.text}'")
