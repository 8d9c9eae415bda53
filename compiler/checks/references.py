"""References between documents: the floor a list names, its departments, its ids and covers."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.diagnostics import Diagnostic
from compiler.models import Level
from compiler.models.departments import NameIndex

_LEVEL_EN = {"national": "national", "province": "provincial", "city": "city", "county": "county"}


def check_floor(ctx: Context) -> Iterator[Diagnostic]:
    """The floor exists, is no cycle, is one level up (QD207), is current and was issued first.

    One level up: a city list stands on the provincial list (plan 四: 不得低于省级关爱服务清单),
    and a county list on its city's list, since the plan has the cities guide their counties
    (指导各县(市、区)做好贯彻落实) and says nothing of a county list standing on the province.
    """
    model = ctx.entry.model
    ref = model.floor
    if ref is None:
        if model.level in (Level.city, Level.county):
            yield ctx.diag("QD105", (), field="floor")
        return
    corpus = ctx.corpus
    if ref.list not in corpus.editions:
        yield ctx.diag("QD202", ("floor", "list"), list=ref.list, known="、".join(sorted(corpus.editions)) or "（无）")
        return
    floor = corpus.by_key.get((ref.list, ref.edition))
    if floor is None:
        yield ctx.diag("QD203", ("floor", "edition"), list=ref.list, edition=ref.edition,
                       known="、".join(map(str, corpus.editions[ref.list])))
        return
    chain = corpus.chain(ctx.entry)
    last = corpus.floor_of(chain[-1])
    if last is not None:  # the chain stopped because it met itself
        names = " → ".join(e.key for e in chain) + f" → {last.key}"
        yield ctx.diag("QD204", ("floor",), key=True, cycle=names)
    expected = model.level.rank - 1
    if floor.model.level.rank != expected:
        want = list(Level)[expected] if expected >= 0 else None
        yield ctx.diag("QD207", ("floor", "list"), level_name=model.level.zh, level=model.level.value,
                       expected=want.zh if want else "（无）", expected_en=_LEVEL_EN[want.value] if want else "none",
                       floor=ref.list, actual=floor.model.level.zh, actual_en=_LEVEL_EN[floor.model.level.value])
    newest = corpus.newest_edition(ref.list)
    if newest is not None and newest > ref.edition:
        yield ctx.diag("QD208", ("floor", "edition"), list=ref.list, newest=newest, edition=ref.edition)
    if model.issued < floor.model.issued:
        yield ctx.diag("QD210", ("issued",), issued=model.issued, floor=floor.key, floor_issued=floor.model.issued)


def check_ids(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[str, tuple] = {}
    for g, i, item in ctx.entry.model.items():
        entries: list[tuple[tuple[str | int, ...], str]] = [(("groups", g, "items", i, "id"), item.id)]
        entries += [(("groups", g, "items", i, "provisions", p, "id"), prov.id) for p, prov in enumerate(item.provisions)]
        for path, ident in entries:
            if ident in first:
                yield ctx.diag("QD107", path, id=ident, first_line=ctx.entry.doc.at(first[ident]).line)
            else:
                first[ident] = path


def check_covers(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.match is not None:
        floor = ctx.match.floor
        known = [*floor.provisions, *floor.items]
        for path, ref in ctx.match.dangling:
            close = difflib.get_close_matches(ref, known, n=1, cutoff=0.5)
            yield ctx.diag("QD201", path, ref=ref, floor=floor.key,
                           suggestion=f"你是不是想写“{close[0]}”？" if close else f"底线清单 {floor.key} 的条款编号形如 s01-1。",
                           suggestion_en=f"did you mean '{close[0]}'?" if close else "floor provision ids look like s01-1.")
    elif ctx.entry.model.floor is None:  # covers without any floor to point into
        for path, _, provision in ctx.entry.model.provisions():
            for k, ref in enumerate(provision.covers):
                yield ctx.diag("QD201", (*path, "covers", k), ref=ref, floor="（无）",
                               suggestion="没有 floor 的清单不能使用 covers。", suggestion_en="a list without floor cannot use covers.")


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similar_department(name: str, departments, level: Level) -> list[str]:
    """The registered department most like `name`, comparing Chinese by shared character pairs
    across short name, full name and functions (so 市卫生局 finds 市卫健委 via 卫生健康)."""
    wanted = _bigrams(name)
    best, score = None, 0.0
    for dept in departments:
        pairs = _bigrams(dept.id) | _bigrams(dept.name) | {p for f in dept.functions for p in _bigrams(f)}
        s = len(wanted & pairs) / max(len(wanted), 1) + (0.1 if dept.level == level else 0.0)
        if s > score:
            best, score = dept.id, s
    return [best] if best and score >= 0.5 else []


def _fixed_departments(ctx: Context, names: NameIndex, path: tuple, written: list[str]) -> str | None:
    """The item's departments line with every name, full or joined by 、, as the registry's short
    name; None when a name is not in the registry at all (only the bureau knows which it means)."""
    fixed: list[str] = []
    for name in written:
        for part in names.split(name):
            found = part if part in ctx.corpus.departments.by_id else names.lookup(part)
            if found is None:
                return None
            if found not in fixed:
                fixed.append(found)
    where = ctx.entry.doc.key_at(path)
    return " " * (where.column - 1) + "departments: [" + ", ".join(fixed) + "]"


def check_departments(ctx: Context) -> Iterator[Diagnostic]:
    registry = ctx.corpus.departments
    if not registry.by_id:
        return  # the registry itself failed to load and was reported
    model = ctx.entry.model
    names: NameIndex | None = None  # built only for a list that names a department the registry lacks
    for g, i, item in model.items():
        for k, name in enumerate(item.departments):
            path = ("groups", g, "items", i, "departments", k)
            dept = registry.by_id.get(name)
            if dept is None:
                names = names or NameIndex(list(registry.by_id.values()), model.level, model.id, model.jurisdiction)
                fixed = _fixed_departments(ctx, names, path[:-1], item.departments)
                known = [names.lookup(part) for part in names.split(name)]
                close = [d for d in known if d] if known and all(known) else \
                    _similar_department(name, registry.by_id.values(), model.level)
                guess = None if fixed or len(close) != 1 else _fixed_departments(
                    ctx, names, path[:-1], [close[0] if d == name else d for d in item.departments])
                if fixed:
                    fix, fix_en = f"改成名录中的简称（可直接粘贴）：\n{fixed}", f"use the registry's short names:\n{fixed}"
                elif guess:
                    fix = (f"如果指的是“{close[0]}”，改成（可直接粘贴）：\n{guess}\n"
                           "如果是名录中没有的部门，先在 departments.yaml 中登记它。")
                    fix_en = f"if you mean '{close[0]}', write:\n{guess}\nelse add the department to departments.yaml."
                else:
                    fix, fix_en = ("使用名录里的简称，或先在 departments.yaml 中登记该部门。",
                                   "use a short name from the registry, or add the department to departments.yaml.")
                yield ctx.diag("QD205", path, department=name, fix=fix, fix_en=fix_en,
                               suggestion=f"，你是不是想写“{'、'.join(close)}”？" if close else "",
                               suggestion_en=f"; did you mean '{', '.join(close)}'?" if close else "")
            elif not dept.usable_at(model.level, model.id):
                own = dept.jurisdiction and dept.jurisdiction != model.id
                counterpart = registry.counterparts(name, model.level, model.id)
                yield ctx.diag("QD209", path, department=name, dept_level=dept.level.zh,
                               dept_level_en=_LEVEL_EN[dept.level.value], list_level=model.level.zh,
                               list_level_en=_LEVEL_EN[model.level.value],
                               detail=f"（它只属于 {dept.jurisdiction}）" if own else "",
                               detail_en=f" (it belongs to {dept.jurisdiction} only)" if own else "",
                               counterpart="、".join(counterpart[:2]) or "（名录中没有，请先登记）")
