"""Deadlines: filing within 10 days and re-issuing every two years, as of a given day."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic
from compiler.domain.deadlines import assess

_FILING = {"on_time": "QD401", "late": "QD402", "pending": "QD403", "overdue": "QD404"}
_RENEWAL = {"due_soon": "QD405", "overdue": "QD406", "on_track": "QD407", "superseded": "QD410"}


def check(ctx: Context) -> Iterator[Diagnostic]:
    model = ctx.entry.model
    newest = ctx.corpus.newest_edition(model.id)
    result = assess(model, ctx.as_of, newest)
    if result.filed_before_issued:
        yield ctx.diag("QD408", ("filed",), filed=model.filed, issued=model.issued)
    unknown: set[int] = set()
    which: list[str] = []
    if result.filing is not None:
        f = result.filing
        where = ("filed",) if model.filed is not None else ("issued",)
        yield ctx.diag(_FILING[f.status], where, filed=model.filed, due=f.due, days=f.days,
                       reasoning=f.period.reasoning, reasoning_en=f.period.reasoning_en)
        if f.period.unknown_years:
            unknown |= f.period.unknown_years
            which.append("备案期限")
    if result.renewal is not None:
        r = result.renewal
        yield ctx.diag(_RENEWAL[r.status], ("issued",), due=r.due, days=r.days, newest=newest,
                       reasoning=r.period.reasoning, reasoning_en=r.period.reasoning_en)
        if r.period.unknown_years and r.status != "superseded":
            unknown |= r.period.unknown_years
            which.append("更新期限")
    if unknown:
        yield ctx.diag("QD409", ("issued",), years="、".join(map(str, sorted(unknown))),
                       which="、".join(which), which_en=" and ".join(
                           {"备案期限": "the filing due date", "更新期限": "the renewal due date"}[w] for w in which))
