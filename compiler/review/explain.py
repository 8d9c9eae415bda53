"""What qingdan read in each text of a list, and why the text checks did or did not find it
weaker than its floor (`qingdan explain FILE[:LINE]`; the command is compiler.cli.commands.explain).

For each provision: the commitment read and the words it comes from, the numbers, qualifiers
and conditions, and for each floor provision it covers the elements found or missing and the
finding; for each 服务对象: the age range, conditions and qualifiers read. The reading is the
one the checks use (compiler.text); this module only gathers it and lays it out.
"""

from __future__ import annotations

from typing import Any

from compiler.checks.reading import floor_provision, floor_target, text_location
from compiler.domain.corpus import ListEntry
from compiler.domain.floor_match import match
from compiler.text import read_provision, read_target
from compiler.text.compare import core_relatedness, weaker_provision, weaker_target
from compiler.text.elements import elements, named

LEVEL_EN = {"保障": "guaranteed", "有条件": "conditional", "鼓励": "encouraged", "不提供": "not provided"}
KIND_ZH = {"commitment": "承诺", "number": "数量", "scope": "范围", "element": "要素", "unrelated": "无关"}
NUMBER_KIND = {"age": ("年龄", "age"), "years": ("年限", "years"), "frequency": ("频次", "frequency"),
               "amount": ("金额", "amount"), "duration": ("时长", "duration"), "grade": ("等级", "grade"),
               "cap": ("上限", "cap"), "count": ("数量", "count")}


def _span_words(text: str, span: tuple[int, int]) -> str:
    return text[span[0]:span[1]]


def provision_view(entry: ListEntry, floor: ListEntry | None, fulfils: dict, path: tuple, item: Any,
                   provision: Any) -> dict[str, Any]:
    """Everything read in one provision's text, and its comparison with what it covers."""
    r = read_provision(provision.text)
    loc = entry.doc.at((*path, "text"))
    view: dict[str, Any] = {
        "kind": "provision", "id": provision.id, "file": loc.file, "line": loc.line, "text": provision.text,
        "commitment_read": r.level,
        "commitment_stated": provision.commitment.value if provision.commitment else None,
        "trigger": None if r.trigger is None else {
            "words": r.trigger.word, "kind": r.trigger.kind,
            "column": text_location(entry.doc, (*path, "text"), provision.text, r.trigger.span).column},
        "entitlements": [_span_words(provision.text, s) for s in r.entitlements],
        "partial": [p.word for p in r.partial],
        "numbers": [{"words": _span_words(provision.text, n.span), "value": n.text_value, "unit": n.unit,
                     "kind": n.kind, "direction": n.direction} for n in r.numbers],
        "qualifiers": [{"words": q.word, "kind": q.kind} for q in r.qualifiers],
        "conditions": [c.name for c in r.conditions if c.narrows],
        "standards_stated": [{"name": s.name, "value": s.value, "unit": s.unit} for s in provision.standards],
        "covers": [],
    }
    for floor_id in fulfils.get(path, []):
        assert floor is not None
        _, f_item, fp = floor.provisions[floor_id]
        floor_p = floor_provision(f_item, fp)
        found = weaker_provision(floor_p, provision.text, item.service)
        view["covers"].append({
            # as the comparison weighs it: the core duty, ancillary services left out
            "floor": floor_id, "floor_text": fp.text, "relatedness": round(core_relatedness(floor_p, provision.text), 2),
            "elements": [{"name": e.name, "kind": e.kind, "found": named(e, provision.text)} for e in elements(fp.text)],
            "weaker": [{"kind": w.kind, "what": w.what, "words": w.args.get("word", ""),
                        **({"source": w.args["source"]} if "source" in w.args else {})} for w in found],
        })
    return view


def target_view(entry: ListEntry, floor: ListEntry | None, covered: list[str], path: tuple, item: Any) -> dict[str, Any]:
    r = read_target(item.target.text)
    loc = entry.doc.at((*path, "target", "text"))
    view: dict[str, Any] = {
        "kind": "target", "id": item.id, "file": loc.file, "line": loc.line, "text": item.target.text,
        "age_read": None if r.age_span is None else [r.age_min, r.age_max],
        "age_stated": None if item.target.age is None else [item.target.age.min, item.target.age.max],
        "conditions": [c.name for c in r.conditions], "qualifiers": [{"words": q.word, "kind": q.kind} for q in r.qualifiers],
        "covers": [],
    }
    for floor_id in covered:
        assert floor is not None
        _, f_item = floor.items[floor_id]
        found = weaker_target(floor_target(f_item.target), item.target.text)
        view["covers"].append({"floor": floor_id, "floor_text": f_item.target.text,
                               "weaker": [{"kind": w.kind, "what": w.what, "words": w.args.get("word", "")} for w in found]})
    return view


def explain(entry: ListEntry, floor: ListEntry | None, line: int | None = None) -> list[dict[str, Any]]:
    """The views of `entry`'s texts in document order; with `line`, only the text at or before it."""
    m = match(entry, floor) if floor is not None else None
    fulfils = m.fulfils() if m is not None else {}
    views: list[dict[str, Any]] = []
    for g, i, item in entry.model.items():
        item_path = ("groups", g, "items", i)
        covered = [fid for fid in (floor.items if floor else {}) if m and any(p == item_path for p, _ in m.covering_items(fid))]
        views.append(target_view(entry, floor, covered, item_path, item))
        for k, provision in enumerate(item.provisions):
            views.append(provision_view(entry, floor, fulfils, (*item_path, "provisions", k), item, provision))
    if line is not None:
        before = [v for v in views if v["line"] <= line]
        views = [max(before, key=lambda v: v["line"])] if before else []
    return views


def lines(v: dict[str, Any], lang: str) -> list[str]:
    """One view as text lines, in `lang`."""
    zh = lang == "zh"
    head = f"{v['file']}:{v['line']} " + (("服务对象 " if zh else "target group ") if v["kind"] == "target" else
                                          ("条款 " if zh else "provision ")) + f"{v['id']}：{v['text']}" if zh else \
        f"{v['file']}:{v['line']} " + ("target group " if v["kind"] == "target" else "provision ") + f"{v['id']}: {v['text']}"
    out = [head]
    none = "无" if zh else "none"
    if v["kind"] == "target":
        age = "-".join("" if a is None else str(a) for a in v["age_read"]) + ("岁" if zh else "") if v["age_read"] else none
        out.append(("  年龄（读出）：" if zh else "  ages read: ") + age +
                   (f"；age 字段：{v['age_stated']}" if zh and v["age_stated"] else
                    f"; age field: {v['age_stated']}" if v["age_stated"] else ""))
    else:
        t = v["trigger"]
        why = (f"“{t['words']}”（第 {t['column']} 列）" if zh else f"'{t['words']}' (column {t['column']})") if t else \
            ("条文中没有弱化义务的词" if zh else "no word in the text weakens the duty")
        stated = v["commitment_stated"] or ("（未写，按条文）" if zh else "(not stated: the text's reading stands)")
        out.append(f"  承诺程度（读出）：{v['commitment_read']}，依据 {why}；commitment 字段：{stated}" if zh else
                    f"  commitment read: {v['commitment_read']} ({LEVEL_EN[v['commitment_read']]}), from {why}; "
                    f"commitment field: {stated}")
        if v["entitlements"]:
            out.append(("  “可”读作服务对象的权利，不是弱化：" if zh else "  'may' read as the child's entitlement, not a hedge: ")
                       + "、".join(v["entitlements"]))
        if v["partial"]:
            out.append(("  部分义务：" if zh else "  partial duty: ") + "、".join(v["partial"]))
        nums = [f"{n['words']}（{NUMBER_KIND.get(n['kind'], (n['kind'],))[0]} {n['value']}{n['unit']}）" if zh else
                f"{n['words']} ({NUMBER_KIND.get(n['kind'], (n['kind'], n['kind']))[1]} {n['value']} {n['unit']})" for n in v["numbers"]]
        out.append(("  数字：" if zh else "  numbers: ") + ("、".join(nums) if nums else none))
        if v["standards_stated"]:
            out.append(("  standards 字段：" if zh else "  standards field: ") + "、".join(
                f"{s['name']} {s['value']}{s['unit']}" for s in v["standards_stated"]))
    quals = [f"{q['words']}（{q['kind']}）" if zh else f"{q['words']} ({q['kind']})" for q in v["qualifiers"]]
    out.append(("  限定语：" if zh else "  qualifiers: ") + ("、".join(quals) if quals else none))
    if v["conditions"]:
        out.append(("  服务对象条件：" if zh else "  conditions on the child: ") + "、".join(v["conditions"]))
    for c in v["covers"]:
        out.append(f"  对照底线 {c['floor']}：{c['floor_text']}" if zh else f"  against floor {c['floor']}: {c['floor_text']}")
        if "relatedness" in c:
            found = [("✓ " if e["found"] else "✗ ") + e["name"] for e in c["elements"]]
            out.append((f"    相关度 {c['relatedness']:.2f}；要素：" if zh else f"    relatedness {c['relatedness']:.2f}; elements: ")
                       + "  ".join(found))
        verdict = "；".join((f"{KIND_ZH[w['kind']]}（{w['words']}）" if zh else f"{w['kind']} ({w['words']})") if w["words"] else
                           (KIND_ZH[w["kind"]] if zh else w["kind"]) for w in c["weaker"])
        verdict += "".join((f"；依据{w['source']}" if zh else f"; per {w['source']}") for w in c["weaker"] if "source" in w)
        out.append(("    结论：" if zh else "    verdict: ") + (("弱于底线：" if zh else "weaker: ") + verdict if c["weaker"] else
                                                              ("不弱于底线" if zh else "not weaker")))
    return out
