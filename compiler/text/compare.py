"""Is a city's text weaker than the floor provision (or 服务对象) it claims to cover?

Pure: the floor comes in as plain values (`FloorProvision`, `FloorTarget`), the city as its
text. The checks and the evaluation harness (`./tasks eval`) call the same two functions, so
what the harness measures is what `check` reports.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compiler.text.circumstance import circumstance_clause, mentions_circumstance, need_conditioned
from compiler.text.duties import core_part
from compiler.text.elements import coverage, has_content, missing_elements, relatedness
from compiler.text.floor_context import (  # noqa: F401  (the comparison's values: re-exported)
    CHILD_MAX_AGE,
    FloorProvision,
    FloorStandard,
    FloorTarget,
    Weakness,
    comparable,
    floor_ages,
    floor_low,
    stated_number,
    worse,
)
from compiler.text.model import Span
from compiler.text.narrowing import floor_admits, narrowing_clauses
from compiler.text.norms import norms_for, shortfalls
from compiler.text.numbers import age_bounds
from compiler.text.reading import read_conditions, read_provision, read_target
from compiler.text.vocab import LEVELS, vocabulary


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _floor_words(floor: FloorProvision) -> str:
    return floor.text + "；" + (floor.target.text if floor.target else "")


_CLAUSE = re.compile(r"[^，,；;。：:！？!?]+")


def _scoping(v, text: str, a: int, b: int) -> bool:
    """A clause that scopes the next one rather than stating a duty of its own: no service verb,
    and either a condition (…的, …时, …的情况下) or a short hedge (有条件的地方)."""
    clause = text[a:b].strip()
    if clause and circumstance_clause(clause):
        return True  # 视各园接收能力，…: a condition on the clause it precedes
    if not clause or v.duty_verb_re.search(clause):
        return False
    if clause.endswith(tuple(vocabulary().elements["scoping_ends"])):
        return True
    if v.persons_re.search(clause[-4:]):
        return True  # …的适龄儿童，可就近入园: the subject of the next clause
    m = v.hedge_re.search(clause)
    return bool(m) and len(clause) <= len(m.group()) + 4


def units_of_duty(text: str) -> list[Span]:
    """`text` cut into sentence units: a clause with the scoping clauses before it (有条件的地方，…;
    在学位允许的情况下，…) and the restricting clauses after it (…，仅限本市户籍) attached."""
    v = vocabulary()
    clauses = [m.span() for m in _CLAUSE.finditer(text)] or [(0, len(text))]
    units: list[list[int]] = []
    pending: int | None = None
    restricting = tuple(vocabulary().elements["restricting_starts"])
    for a, b in clauses:
        if _scoping(v, text, a, b):
            pending = a if pending is None else pending
            continue
        if units and pending is None and text[a:b].strip().startswith(restricting):
            units[-1][1] = b
            continue
        units.append([pending if pending is not None else a, b])
        pending = None
    if pending is not None:
        if units:
            units[-1][1] = clauses[-1][1]
        else:
            units.append([pending, clauses[-1][1]])
    return [(a, b) for a, b in units]


def duty_clauses(floor_text: str, text: str) -> list[Span]:
    """The sentence units of `text` that carry the floor's duty: those about the floor text.
    Other units are local additions (…，鼓励家长参与): a hedge there does not weaken the floor's duty."""
    units = units_of_duty(text)
    if len(units) == 1:
        return units
    scores = [related(floor_text, text[a:b]) for a, b in units]
    best = max(scores)
    return [u for u, sc in zip(units, scores) if sc >= 0.25 or sc == best]


def _inside(span: Span | None, spans: list[Span]) -> bool:
    """Whether `span` lies within one of `spans` (a finding without a span lies nowhere)."""
    return span is not None and any(a <= span[0] and span[1] <= b for a, b in spans)


def _covering_units(floor: FloorProvision, text: str) -> list[Span]:
    """Units that state the floor's duty in full (its content there, with a service verb)."""
    v = vocabulary()
    return [(a, b) for a, b in units_of_duty(text)
            if coverage(floor.text, text[a:b]) >= 0.8 and v.duty_verb_re.search(text, a, b)]


def _outside_clean_unit(floor: FloorProvision, text: str, found: list[Weakness]) -> list[Weakness]:
    """`found`, unless some unit states the floor's duty in full with none of them in it: then
    the others are in local additions beside it (…，并为小学一年级新生提供字典) and do not
    weaken the duty."""
    units = _covering_units(floor, text)
    clean = [u for u in units if not any(w.span and _inside(w.span, [u]) for w in found)]
    if not clean:
        return found
    return [w for w in found if w.span is None or any(_inside(w.span, [u]) for u in clean)]


def _commitment(floor: FloorProvision, text: str) -> list[Weakness]:
    r = read_provision(text)
    out = []
    floor_rank = floor.effective_rank
    clauses = duty_clauses(floor.text, text)
    triggers = [t for t in r.triggers if _inside(t.span, clauses)]
    triggers = [t for t in triggers if t.rank < floor_rank]
    if need_conditioned(_floor_words(floor)):
        triggers = [t for t in triggers if t.kind != "need"]
    # The floor's duty promised in full in a unit of its own, unhedged: a hedged unit beside
    # it (…，探索开展个性化签约服务包) adds to the duty, it does not weaken it.
    kept = _outside_clean_unit(floor, text, [Weakness("commitment", t.kind, t.span) for t in triggers])
    triggers = [t for t in triggers if any(w.span == t.span for w in kept)]
    weakest = min(triggers, key=lambda t: (t.rank, t.span)) if triggers else None
    if weakest is not None:
        out.append(Weakness("commitment", weakest.kind, weakest.span,
                            dict(word=weakest.word, city=LEVELS[weakest.rank], floor_value=LEVELS[floor_rank])))
    for p in r.partial:
        if not _inside(p.span, clauses):
            continue
        if p.word in floor.text:
            continue
        if p.full and not any(w in floor.text for w in p.full):
            continue  # 减免 is weaker than 免除, not than a floor that waives nothing
        out.append(Weakness("commitment", "partial", p.span, dict(word=p.word, floor_value=LEVELS[floor_rank])))
    return out[:1] + _outside_clean_unit(floor, text, out[1:]) if out and out[0].what != "partial" \
        else _outside_clean_unit(floor, text, out)


def _numbers(floor: FloorProvision, text: str, service: str) -> list[Weakness]:
    out = []
    for std in floor.standards:
        n, span = stated_number(std, read_provision(text).numbers), None
        if n is not None:
            span, word = n.span, text[n.span[0]:n.span[1]]
        elif service:  # 健康和托育(3岁以下)服务: the service name states it for the whole item
            n = stated_number(std, read_provision(service).numbers)
            word = service[n.span[0]:n.span[1]] if n else ""
        if n is None:
            continue  # a number nobody states: the standards check reports it
        value = comparable(std, n)
        if worse(std, value):
            out.append(Weakness("number", std.unit, span, dict(
                name=std.name, unit=std.unit, city_value=_fmt(value), floor_value=_fmt(std.value), word=word)))
        elif std.unit == "岁" and n.direction == "range" and (n.low or 0) > floor_low(floor):
            # 2-3岁 against 3岁以下: the upper bound holds, the younger children are left out
            out.append(Weakness("number", "age-low", span, dict(
                name=std.name, unit=std.unit, city_value=f"{_fmt(n.low or 0)}-{_fmt(n.value)}",
                floor_value=f"{_fmt(floor_low(floor))}-{_fmt(std.value)}", word=word)))
    for sf in shortfalls(_floor_words(floor), text):
        if not any(w.span and w.span[0] < sf.span[1] and sf.span[0] < w.span[1] for w in out):
            out.append(Weakness("number", "norm", sf.span, dict(
                name=sf.name, unit=sf.unit, city_value=sf.city, floor_value=sf.norm,
                word=text[sf.span[0]:sf.span[1]], source=sf.source)))
    floor_units = {n.unit for n in read_provision(floor.text).numbers}
    for n in read_provision(text).numbers:
        # a cap restricts the service wherever it is written (…，同一户家庭一年内最多救助一次)
        if n.kind == "cap" and n.unit not in floor_units:
            out.append(Weakness("number", "cap", n.span, dict(
                name="上限", unit=n.unit, city_value=n.text_value, floor_value="不限", word=text[n.span[0]:n.span[1]])))
    return out


def _ages_narrower(floor_low: int, floor_high: int | None, low: int, high: int | None) -> bool:
    top = floor_high if floor_high is not None else CHILD_MAX_AGE
    return low > floor_low or (high is not None and high < top)


def named_conditions(words: str, stated: tuple[str, ...] = ()) -> set[str]:
    """The conditions a floor text names or implies (纳入资助对象 implies 家庭经济困难)."""
    v = vocabulary()
    named = {c.name for c in read_conditions(words)} | set(stated)
    named |= {name for name, info in v.condition_info.items() if any(w in words for w in info.get("implied_by", []))}
    return named


def subtype_narrowing(text: str, named: set[str], of_person: bool = False) -> list[Weakness]:
    """A part of a condition written without the whole (小学 for 义务教育阶段, 精神分裂症 for
    严重精神障碍, 视力残疾 for 残疾)."""
    v = vocabulary()
    out = []
    for name in named:
        info = v.condition_info.get(name, {})
        subs = [(w, text.find(w)) for w in info.get("subtypes", []) if w in text]
        if of_person:  # in a provision: only where it describes whom (小学阶段学生), not what (初中学业水平考试)
            subs = [(w, k) for w, k in subs if v.persons_re.search(text, k + len(w), k + len(w) + 5)
                    or text.startswith("阶段", k + len(w))]
        if not subs or len(subs) == len(info["subtypes"]) or any(p in text for p in ("从" + subs[0][0], subs[0][0] + "到", subs[0][0] + "至")):
            continue  # all the parts (小学、初中), or a range from one (从小学到高中), is the whole
        rest = text
        for w, _ in subs:
            rest = rest.replace(w, "\x00" * len(w))
        if any(w in rest for w in info["words"]):
            continue
        w, k = subs[0]
        out.append(Weakness("scope", "subtype", (k, k + len(w)), dict(word=w, kind=name, condition=name)))
    return out


def _scope(floor: FloorProvision, text: str) -> list[Weakness]:
    out = []
    r = read_provision(text)
    words = _floor_words(floor)
    floor_reading = read_provision(floor.text)
    floor_kinds = {q.kind for q in floor_reading.qualifiers} | {q.kind for q in read_target(words).qualifiers}
    clauses = duty_clauses(floor.text, text)
    for q in r.qualifiers:
        if q.kind not in floor_kinds and _inside(q.span, clauses) and not floor_admits(words, q.word):
            out.append(Weakness("scope", "qualifier", q.span, dict(word=q.word, kind=q.kind)))
    named = named_conditions(words, (floor.target.conditions + floor.target.any_of) if floor.target else ())
    for c in r.conditions:
        if c.narrows and c.name not in named and _inside(c.span, clauses):
            out.append(Weakness("scope", "condition", c.span, dict(word=c.word, condition=c.name, kind=c.name)))
    out += [w for w in subtype_narrowing(text, named, of_person=True)
            if w.args["word"] not in words and _inside(w.span, clauses)]
    out += [w for w in _clause_narrowing(words, text, out) if _inside(w.span, clauses)]
    if not any(s.unit == "岁" for s in floor.standards):
        low, high, span = age_bounds(r.numbers)
        if span is not None:
            f_low, f_high = floor_ages(floor)
            if _ages_narrower(f_low or 0, f_high, low or 0, high):
                out.append(Weakness("scope", "age", span, dict(
                    word=text[span[0]:span[1]], city_age=_age(low or 0, high), floor_age=_age(f_low or 0, f_high))))
    return _outside_clean_unit(floor, text, out)


def _clause_narrowing(floor_words: str, text: str, found: list[Weakness]) -> list[Weakness]:
    """The relative clauses (在特殊教育学校就读的, 学校在册的) narrowing whom `text` serves, where
    no other finding already points at them."""
    out = []
    for words, span in narrowing_clauses(floor_words, text):
        if not any(w.span and w.span[0] < span[1] and span[0] < w.span[1] for w in found):
            out.append(Weakness("scope", "clause", span, dict(word=words, kind="关系从句限定")))
    return out


def _age(low: int, high: int | None) -> str:
    return f"{low}-{high}岁" if high is not None else f"{low}岁以上"


@lru_cache(maxsize=1 << 12)
def _quiet(words: str) -> bool:
    """Whether `words` hold nothing the reading reacts to: no hedge, modal, negation, partial
    duty, qualifier, condition, person or number."""
    v = vocabulary()
    if re.search(r"[0-9０-９零〇一二两三四五六七八九十百千]", words):
        return False
    patterns = [v.hedge_re, v.modal_re, v.negation_re, v.partial_re, v.condition_re, v.persons_re,
                *(p for p, _, _ in v.hedge_patterns), *(p for p, _ in v.partial_patterns), *(p for _, p, _ in v.qualifiers)]
    return not any(p.search(words) for p in patterns) and not mentions_circumstance(words)


@lru_cache(maxsize=1 << 16)
def same_reading(floor_text: str, text: str) -> bool:
    """Whether `text` is `floor_text` with only quiet words around it (陵兴市 + the floor's text):
    then it reads as the floor does, and is not weaker than it. Most lists copy the floor's
    wording; this spares reading each copy anew."""
    if text == floor_text:
        return True  # (a floor is not weaker than itself: tests/test_text.py)
    k = text.find(floor_text)
    if k != -1:
        return _quiet(text[:k] + "，" + text[k + len(floor_text):])
    # each with its own jurisdiction's name in front (安徽省发放…, 北德市发放…)
    floor_rest, rest = _without_place(floor_text), _without_place(text)
    k = rest.find(floor_rest)
    return (floor_rest != floor_text or rest != text) and k != -1 \
        and _quiet(rest[:k] + "，" + rest[k + len(floor_rest):])


@lru_cache(maxsize=1 << 16)
def _without_place(text: str) -> str:
    return re.sub(vocabulary().elements["place_prefix"], "", text)


@lru_cache(maxsize=1 << 16)
def related(floor_text: str, text: str) -> float:
    """Relatedness either way round (a short paraphrase of a long floor text is still about it),
    on what the duty is, not on whom it serves: 家庭经济困难学生 shared by 国家助学金 and
    勤工助学岗位 does not make them one duty."""
    floor_text, text = _duty_words(floor_text), _duty_words(text)
    back = coverage(text, floor_text) if has_content(text) else 0.0
    return max(relatedness(floor_text, text), back)


@lru_cache(maxsize=1 << 16)
def _duty_words(text: str) -> str:
    v = vocabulary()
    return v.persons_re.sub("、", v.condition_re.sub("、", text))


@lru_cache(maxsize=1 << 16)
def _weaker_provision(floor: FloorProvision, text: str, service: str, whole: str | None) -> tuple[Weakness, ...]:
    return tuple(_compare(floor, text, service, whole))


def weaker_provision(floor: FloorProvision, text: str, service: str = "", whole: str | None = None) -> list[Weakness]:
    """How `text`, claiming to fulfil `floor`, is weaker than it (empty: not weaker).

    `service` is the city item's service name (a number may be written there, 托育(3岁以下)),
    `whole` all the city's text that claims the same floor provision (elements may be spread
    over several provisions); both default to `text` alone. Each distinct question is answered once.
    """
    if same_reading(floor.text, text):
        return []
    return list(_weaker_provision(floor, text, service, whole))


def _compare(floor: FloorProvision, text: str, service: str = "", whole: str | None = None) -> list[Weakness]:
    """How `text`, claiming to fulfil `floor`, is weaker than it (empty: not weaker).

    `service` is the city item's service name (a number may be written there, 托育(3岁以下)),
    `whole` all the city's text that claims the same floor provision (elements may be spread
    over several provisions); both default to `text` alone.
    """
    whole = whole if whole is not None else text
    threshold = vocabulary().elements["related_threshold"]
    score = core_relatedness(floor, whole)
    if score < threshold:
        return [Weakness("unrelated", "unrelated", None, dict(relatedness=round(score, 2)))]
    found = _commitment(floor, text) + _numbers(floor, text, service) + _scope(floor, text)
    for e in missing_elements(floor.text, whole):
        found.append(Weakness("element", e.kind, None, dict(element=e.name, word=e.name)))
    return found


def core_relatedness(floor: FloorProvision, text: str) -> float:
    """How far `text` is about the floor's core duty: its units of ancillary services the floor
    does not name (政策咨询, 志愿填报指导, 信用助学贷款) left out; a text naming what the national
    norm the floor implies consists of (随访评估 for 严重精神障碍 管理服务) is about it."""
    core = core_part(_duty_words(floor.text), text)
    if not core:
        return 0.0
    if any(w in core for n in norms_for(_floor_words(floor)) for w in n.get("content", [])):
        return 1.0
    return related(floor.text, core)


def weaker_target(floor: FloorTarget, text: str) -> list[Weakness]:
    """How a city's 服务对象 `text` is narrower than the floor's target group (empty: not narrower)."""
    return list(_weaker_target(floor, text))


@lru_cache(maxsize=1 << 14)
def _weaker_target(floor: FloorTarget, text: str) -> tuple[Weakness, ...]:
    out: list[Weakness] = []
    r = read_target(text)
    f_low, f_high = floor.bounds()
    if r.age_span is not None and _ages_narrower(f_low, f_high, r.age_min or 0, r.age_max):
        out.append(Weakness("scope", "age", r.age_span, dict(
            word=text[r.age_span[0]:r.age_span[1]], city_age=_age(r.age_min or 0, r.age_max),
            floor_age=_age(f_low, f_high))))
    floor_r = read_target(floor.text)
    kinds = {q.kind for q in floor_r.qualifiers}
    for q in r.qualifiers:
        if q.kind not in kinds and not floor_admits(floor.text, q.word):
            out.append(Weakness("scope", "qualifier", q.span, dict(word=q.word, kind=q.kind)))
    named = named_conditions(floor.text, floor.conditions + floor.any_of)
    for c in r.conditions:
        if c.narrows and c.name not in named:
            out.append(Weakness("scope", "condition", c.span, dict(word=c.word, condition=c.name)))
    out += [w for w in subtype_narrowing(text, named) if w.args["word"] not in floor.text]
    out += _clause_narrowing(floor.text, text, out)
    if len(floor.any_of) > 1:
        mentioned = {c.name for c in r.conditions}
        dropped = [c for c in floor.any_of if c not in mentioned]
        if mentioned & set(floor.any_of) and dropped:
            out.append(Weakness("scope", "dropped", None, dict(word="、".join(dropped), condition="、".join(dropped))))
    return tuple(out)
