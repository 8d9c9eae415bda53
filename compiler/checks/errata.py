"""Errata: each one must quote text that really is at the place it names; all are shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic

# An index has at most nine digits: a 5,000-digit one is not a number Python will read (and no
# list is that long); it then reads as a name, which names nothing, and the erratum is QD211.
_STEP = re.compile(r"([^.\[\]]+)|\[(\d{1,9})\]")


def resolve(ctx: Context, where: str) -> tuple[tuple, Any] | None:
    """`where` is a provision or item id, or a field path such as plan.issuing_departments[7]."""
    entry = ctx.entry
    if where in entry.provisions:
        path = entry.provisions[where][0]
        return (*path, "text"), entry.provisions[where][2].text
    if where in entry.items:
        path, item = entry.items[where]
        return path, f"{item.target.text} {item.service}"
    steps: list[str | int] = []
    for name, index in _STEP.findall(where):
        steps.append(int(index) if index else name)
    try:
        return tuple(steps), entry.value(tuple(steps))
    except (KeyError, IndexError, TypeError):
        return None


def check(ctx: Context) -> Iterator[Diagnostic]:
    for k, erratum in enumerate(ctx.entry.model.errata):
        here = ("errata", k)
        found = resolve(ctx, erratum.where)
        if found is None or not isinstance(found[1], str) or erratum.original not in found[1]:
            yield ctx.diag("QD211", (*here, "original"), original=erratum.original, where=erratum.where)
            continue
        yield ctx.diag("QD501", here, where=erratum.where, original=erratum.original,
                       corrected=erratum.corrected, reason=erratum.reason)
