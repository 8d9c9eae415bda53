"""Drafts: what is still to be filled in before a list can be issued.

`qingdan new` leaves a TODO marker wherever only the bureau can know the answer (dates,
issuer, document number, contacts, where families go) and marks the list `draft: true`.
Every marker left is reported at its line and column, in values and comments alike, so
nothing generated is issued unread.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic, Location

MARKER = "TODO"


def check_todos(ctx: Context) -> Iterator[Diagnostic]:
    doc = ctx.entry.doc
    for number, line in enumerate(doc.lines, 1):
        column = line.find(MARKER)
        if column < 0:
            continue
        rest = line[column + len(MARKER):].lstrip("：: ").rstrip("]}\"' ") or "（未说明）"
        yield Diagnostic("QD111", Location(doc.name, number, column + 1), {"rest": rest}, catalogue=ctx.entry.key)


def check_draft(ctx: Context) -> Iterator[Diagnostic]:
    model = ctx.entry.model
    if not model.draft:
        return
    if model.filed is not None:
        yield ctx.diag("QD113", ("draft",), filed=model.filed)
    else:
        yield ctx.diag("QD112", ("draft",))
