"""Numeric standards: no lower (or, where smaller is better, no longer) than the floor's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic, Related
from compiler.domain.comparisons import at_least_as_good, number, worse_direction
from compiler.domain.corpus import DataPath
from compiler.models import Provision, Standard


def provision_states(fulfilments: list, floor_std: Standard) -> bool:
    """Whether some fulfilling provision without `standards:` states the measure in its text
    (its reading stands in for the field; the text check compares the number with the floor)."""
    from compiler.checks.reading import text_states

    return any(not f.provision.standards and text_states(floor_std, f.provision, f.item) for f in fulfilments)


def _related(ctx: Context, path: DataPath, s_index: int, provision: Provision) -> tuple[Related, ...]:
    """The floor's standard, cited by a finding (made only for one: the floor's positions are indexed on first use)."""
    return (ctx.floor_related((*path, "standards", s_index), f"底线条款 {provision.id}：{provision.text}",
                              f"floor provision {provision.id}: {provision.text}"),)


def check(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.match is None or ctx.floor is None:
        return
    for path, provision, fulfilments in ctx.match.fulfilled():
        for s_index, floor_std in enumerate(provision.standards):
            stated = [(f, k, s) for f in fulfilments for k, s in enumerate(f.provision.standards) if s.name == floor_std.name]
            common: dict[str, Any] = dict(name=floor_std.name, unit=floor_std.unit, floor_value=number(floor_std.value), provision=provision.id,
                          floor_item=ctx.floor.provisions[provision.id][1].id, floor_ref=provision.id)
            if not stated:
                if not provision_states(fulfilments, floor_std):
                    yield ctx.diag("QD306", fulfilments[0].path, related=_related(ctx, path, s_index, provision), **common)
                continue
            if any(at_least_as_good(s, floor_std) for _, _, s in stated):
                continue
            f, k, s = stated[0]
            direction, direction_en = worse_direction(floor_std.better)
            yield ctx.diag("QD305", (*f.path, "standards", k, "value"), related=_related(ctx, path, s_index, provision),
                           city_value=number(s.value), direction=direction, direction_en=direction_en, **common)

