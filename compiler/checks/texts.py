"""The text checks: what a list's words say, read against its floor and against its own fields.

Floor (errors, as the field checks): a provision's text weaker than the floor provision it
covers (QD320 commitment, QD321 partial duty, QD322 number, QD323 scope, QD324 missing
element, QD325 unrelated); a 服务对象 text narrower than the floor's (QD326).
Content (warnings): the text and the list's own fields disagree (QD330 commitment, QD331 and
QD308 standards, QD332 服务对象 vs its age/conditions).
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.checks.reading import floor_provision, floor_standard, floor_target, text_location
from compiler.checks.standards import number
from compiler.diagnostics import Diagnostic, Related
from compiler.domain.floor_match import Fulfilment
from compiler.models import Provision
from compiler.text import LEVELS, read_provision
from compiler.text.compare import (
    FloorTarget,
    Weakness,
    comparable,
    related,
    same_reading,
    stated_number,
    weaker_provision,
    weaker_target,
)

_PROVISION_CODES = {"commitment": "QD320", "number": "QD322", "scope": "QD323"}


def _code(w: Weakness) -> str:
    if w.kind == "commitment" and w.what == "partial":
        return "QD321"
    return _PROVISION_CODES[w.kind]


def _choose(floor_text: str, fulfilments: list[Fulfilment]) -> Fulfilment:
    """The fulfilment whose text is most about the floor provision (the first of equals)."""
    return max(fulfilments, key=lambda f: related(floor_text, f.provision.text))


def check_provisions(ctx: Context) -> Iterator[Diagnostic]:
    """Each floor provision against the text of the list's provision that claims it."""
    if ctx.match is None or ctx.floor is None:
        return
    for path, provision, fulfilments in ctx.match.fulfilled():
        if any(same_reading(provision.text, f.provision.text) for f in fulfilments):
            continue  # the floor's own words (with a place name, say): nothing weaker to find
        _, floor_item, _ = ctx.floor.provisions[provision.id]
        fp = floor_provision(floor_item, provision)
        whole = "；".join(dict.fromkeys(f.provision.text for f in fulfilments))
        best = _choose(provision.text, fulfilments)
        found = weaker_provision(fp, best.provision.text, best.item.service, whole)
        if not found:
            continue
        related_ = (ctx.floor_related((*path, "text"), f"底线条款 {provision.id}：{provision.text}",
                                      f"floor provision {provision.id}: {provision.text}"),)
        common = dict(provision=provision.id, floor_item=floor_item.id, floor_ref=provision.id)
        where = (*best.path, "text")
        missing = [w.args["element"] for w in found if w.kind == "element"]
        for w in found:
            if w.kind == "element":
                continue
            if w.kind == "unrelated":
                yield _diag(ctx, "QD325", where, best.provision.text, None, related_,
                            floor_text=provision.text, **common)
                continue
            yield _diag(ctx, _code(w), where, best.provision.text, w.span, related_, **{**w.args, **common})
        if missing:
            yield _diag(ctx, "QD324", where, best.provision.text, None, related_,
                        elements="、".join(missing), **common)


def check_targets(ctx: Context) -> Iterator[Diagnostic]:
    """Each 服务对象 text of an item that fulfils a floor item, against the floor's target group."""
    if ctx.match is None or ctx.floor is None:
        return
    match = ctx.match
    targets = _floor_targets(ctx.floor)
    for floor_id, (floor_path, floor_item) in ctx.floor.items.items():
        ft = targets[floor_id]
        # As in the field check (scope.py), the best fulfilment counts: an item for some of the
        # group does not narrow a floor provision another item gives to the whole group.
        unserved = {p.id for p in floor_item.provisions
                    if not any(f.item.target.text == ft.text or not weaker_target(ft, f.item.target.text)
                               for f in match.fulfilments(p.id))}
        for item_path, item in match.covering_items(floor_id):
            if not any(f.item_path == item_path for p in unserved for f in match.fulfilments(p)):
                continue
            found = weaker_target(ft, item.target.text)
            if not found:
                continue
            related_ = (ctx.floor_related((*floor_path, "target", "text"), f"底线服务对象 {floor_id}：{floor_item.target.text}",
                                          f"floor target group {floor_id}: {floor_item.target.text}"),)
            for w in found:
                zh, en = _detail(w)
                yield _diag(ctx, "QD326", (*item_path, "target", "text"), item.target.text, w.span, related_,
                            word=w.args["word"] if w.span else item.target.text, floor_text=floor_item.target.text,
                            detail=zh, detail_en=en, floor_item=floor_id, floor_ref=floor_id, provision_ref=floor_id)


_TARGETS: dict[int, tuple[object, dict[str, FloorTarget]]] = {}


def _floor_targets(floor) -> dict[str, FloorTarget]:
    """The floor's target groups as the comparison takes them, made once per floor list (every
    list on the same floor shares them); the model is kept with them so its id is not reused."""
    key = id(floor.model)
    if key not in _TARGETS:
        _TARGETS[key] = (floor.model, {fid: floor_target(item.target) for fid, (_, item) in floor.items.items()})
    return _TARGETS[key][1]


def _detail(w: Weakness) -> tuple[str, str]:
    if w.what == "age":
        return f"（年龄 {w.args['city_age']}，底线 {w.args['floor_age']}）", f" (ages {w.args['city_age']}, floor {w.args['floor_age']})"
    if w.what == "dropped":
        return f"（没有写到：{w.args['condition']}）", f" (leaves out: {w.args['condition']})"
    if w.what == "condition":
        return f"（增加了条件：{w.args['condition']}）", f" (adds the condition {w.args['condition']})"
    return f"（限定：{w.args['kind']}）", f" (limited by {w.args['kind']})"


def check_fields(ctx: Context) -> Iterator[Diagnostic]:
    """The text and the list's own fields: commitment, standards, and the 服务对象's age/conditions."""
    fulfils = ctx.match.fulfils() if ctx.match is not None else {}
    for path, item, provision in ctx.entry.model.provisions():
        if provision.commitment is None and not provision.standards:
            continue  # nothing stated: the reading stands in, there is nothing to disagree with
        reading = _reading(ctx, fulfils.get(path, []), provision.text)
        yield from _commitment_field(ctx, path, provision, reading.rank)
        for k, s in enumerate(provision.standards):
            fs = floor_standard(s)
            n, where_text, where_path = stated_number(fs, reading.numbers), provision.text, (*path, "text")
            if n is not None and reading.text != provision.text and comparable(fs, n) != fs.value:
                n = stated_number(fs, read_provision(provision.text).numbers)  # a finding: its place in this text
            if n is None:
                n, where_text = stated_number(fs, read_provision(item.service).numbers), item.service
                where_path = (*path[:-2], "service")
            if n is None:
                yield ctx.diag("QD308", (*path, "standards", k, "value"), name=s.name, value=number(s.value), unit=s.unit)
            elif comparable(fs, n) != fs.value:
                yield _diag(ctx, "QD331", where_path, where_text, n.span, (), word=where_text[n.span[0]:n.span[1]],
                            read=number(comparable(fs, n)), name=s.name, value=number(s.value), unit=s.unit)
    for g, i, item in ctx.entry.model.items():
        t = item.target
        if not t.age and not t.conditions:
            continue
        stated = FloorTarget(t.text, t.age.min if t.age else 0, t.age.max if t.age else None,
                             tuple(c.value for c in t.conditions), tuple(c.value for c in t.any_of), has_age=t.age is not None)
        for w in weaker_target(stated, t.text):
            if w.what != "age":
                continue  # qualifiers and conditions are compared with the floor (QD326)
            yield _diag(ctx, "QD332", ("groups", g, "items", i, "target", "text"), t.text, w.span, (),
                        word=w.args["word"], field="age", stated=w.args["floor_age"])


def _reading(ctx: Context, floor_ids: list[str], text: str):
    """The reading of `text`: that of the floor provision it copies where it only adds quiet
    words to it (read once for every list that copies it), else its own."""
    floor = ctx.floor
    for fid in floor_ids:
        if floor is None:
            break
        floor_text = floor.provisions[fid][2].text
        if same_reading(floor_text, text):
            return read_provision(floor_text)
    return read_provision(text)


def _commitment_field(ctx: Context, path: tuple, provision: Provision, rank: int) -> Iterator[Diagnostic]:
    if provision.commitment is None or rank == provision.commitment.rank:
        return
    r = read_provision(provision.text)
    if r.rank == provision.commitment.rank:
        return
    span = r.trigger.span if r.trigger else None
    word = r.trigger.word if r.trigger else provision.text
    yield _diag(ctx, "QD330", (*path, "text"), provision.text, span, (), read=LEVELS[r.rank], word=word,
                stated=provision.commitment.value)


def _diag(ctx: Context, code: str, path: tuple, text: str, span: tuple[int, int] | None,
          related: tuple[Related, ...], **args: object) -> Diagnostic:
    return Diagnostic(code, text_location(ctx.entry.doc, path, text, span), args, related, ctx.entry.key)
