"""Is a city's text weaker than the floor provision (or 服务对象) it claims to cover?

Pure: the floor comes in as plain values (`FloorProvision`, `FloorTarget`), the city as its
text. The checks and the evaluation harness (`./tasks eval`) call the same two functions, so
what the harness measures is what `check` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.text.elements import coverage, missing_elements, relatedness
from compiler.text.model import Number, Span
from compiler.text.numbers import age_bounds
from compiler.text.reading import read_conditions, read_provision, read_target
from compiler.text.vocab import LEVELS, vocabulary

CHILD_MAX_AGE = 16  # 流动儿童 are under 16 (the plan's definition): a floor without an age bound means that


@dataclass(frozen=True)
class FloorStandard:
    name: str
    value: float
    unit: str
    better: str = "higher"  # higher | lower


@dataclass(frozen=True)
class FloorTarget:
    text: str
    age_min: int | None = None  # None: as the text reads, else any age
    age_max: int | None = None
    conditions: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    has_age: bool = False  # whether age_min/age_max were stated (else read from the text)

    def bounds(self) -> tuple[int, int | None]:
        if self.has_age:
            return self.age_min or 0, self.age_max
        r = read_target(self.text)
        return (r.age_min or 0, r.age_max) if r.age_span else (0, None)


@dataclass(frozen=True)
class FloorProvision:
    text: str
    rank: int | None = None  # the floor's stated commitment rank; None: as its text reads
    standards: tuple[FloorStandard, ...] = ()
    target: FloorTarget | None = None
    service: str = ""

    @property
    def effective_rank(self) -> int:
        return self.rank if self.rank is not None else read_provision(self.text).rank


@dataclass(frozen=True)
class Weakness:
    """One way the city's text is weaker than the floor; `span` is in the city's text (None:
    nothing in it to point at, as for a missing element)."""

    kind: str  # commitment | number | scope | element | unrelated
    what: str  # partial, hedge, age, qualifier, condition ... (finer than kind, for explain and codes)
    span: Span | None
    args: dict[str, Any] = field(default_factory=dict)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def stated_number(std: FloorStandard, numbers: tuple[Number, ...]) -> Number | None:
    """The number in a reading that states the same measure as `std` (an age bound, a length
    in years, a frequency, an amount), or None."""
    unit = std.unit
    for n in numbers:
        if unit == "岁" and n.kind == "age" and n.direction in ("range", "upper", "exact"):
            return n
        if unit == "年" and n.kind == "years":
            return n
        if "/" in unit and n.kind == "frequency" and n.unit.split("/")[0] == unit.split("/")[0]:
            return n
        if unit in ("元", "万元") and n.kind == "amount" and n.unit == unit:
            return n
    return None


def comparable(std: FloorStandard, n: Number) -> float:
    """The value of `n` in the unit of `std` (a frequency as times per the standard's period)."""
    if "/" in std.unit and n.per_year is not None:
        per = std.unit.split("/")[1]
        periods = vocabulary().numbers["periods"]
        return n.per_year / periods.get(per, 1)
    return n.value


def worse(std: FloorStandard, value: float) -> bool:
    return value > std.value if std.better == "lower" else value < std.value


def _floor_words(floor: FloorProvision) -> str:
    return floor.text + "；" + (floor.target.text if floor.target else "")


def _commitment(floor: FloorProvision, text: str) -> list[Weakness]:
    r = read_provision(text)
    out = []
    floor_rank = floor.effective_rank
    if r.rank < floor_rank and r.trigger is not None:
        out.append(Weakness("commitment", r.trigger.kind, r.trigger.span,
                            dict(word=r.trigger.word, city=LEVELS[r.rank], floor_value=LEVELS[floor_rank])))
    for p in r.partial:
        if p.word in floor.text:
            continue
        if p.full and not any(w in floor.text for w in p.full):
            continue  # 减免 is weaker than 免除, not than a floor that waives nothing
        out.append(Weakness("commitment", "partial", p.span, dict(word=p.word, floor_value=LEVELS[floor_rank])))
    return out


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
    return out


def _ages_narrower(floor_low: int, floor_high: int | None, low: int, high: int | None) -> bool:
    top = floor_high if floor_high is not None else CHILD_MAX_AGE
    return low > floor_low or (high is not None and high < top)


def _scope(floor: FloorProvision, text: str) -> list[Weakness]:
    out = []
    r = read_provision(text)
    words = _floor_words(floor)
    floor_reading = read_provision(floor.text)
    floor_kinds = {q.kind for q in floor_reading.qualifiers} | {q.kind for q in read_target(words).qualifiers}
    for q in r.qualifiers:
        if q.kind not in floor_kinds:
            out.append(Weakness("scope", "qualifier", q.span, dict(word=q.word, kind=q.kind)))
    named = {c.name for c in read_conditions(words)}
    if floor.target:
        named |= set(floor.target.conditions) | set(floor.target.any_of)
    for c in r.conditions:
        if c.narrows and c.name not in named:
            out.append(Weakness("scope", "condition", c.span, dict(word=c.word, condition=c.name)))
    if not any(s.unit == "岁" for s in floor.standards):
        low, high, span = age_bounds(r.numbers)
        if span is not None:
            f_low, f_high, f_span = age_bounds(floor_reading.numbers)
            if f_span is None:
                f_low, f_high = floor.target.bounds() if floor.target else (0, None)
            if _ages_narrower(f_low or 0, f_high, low or 0, high):
                out.append(Weakness("scope", "age", span, dict(
                    word=text[span[0]:span[1]], city_age=_age(low or 0, high), floor_age=_age(f_low or 0, f_high))))
    return out


def _age(low: int, high: int | None) -> str:
    return f"{low}-{high}岁" if high is not None else f"{low}岁以上"


def related(floor_text: str, text: str) -> float:
    """Relatedness either way round: a short paraphrase of a long floor text is still about it."""
    back = coverage(text, floor_text) if text.strip() else 0.0
    return max(relatedness(floor_text, text), back)


def weaker_provision(floor: FloorProvision, text: str, service: str = "", whole: str | None = None) -> list[Weakness]:
    """How `text`, claiming to fulfil `floor`, is weaker than it (empty: not weaker).

    `service` is the city item's service name (a number may be written there, 托育(3岁以下)),
    `whole` all the city's text that claims the same floor provision (elements may be spread
    over several provisions); both default to `text` alone.
    """
    whole = whole if whole is not None else text
    threshold = vocabulary().elements["related_threshold"]
    if related(floor.text, whole) < threshold:
        return [Weakness("unrelated", "unrelated", None, dict(relatedness=round(related(floor.text, whole), 2)))]
    found = _commitment(floor, text) + _numbers(floor, text, service) + _scope(floor, text)
    for e in missing_elements(floor.text, whole):
        found.append(Weakness("element", e.kind, None, dict(element=e.name, word=e.name)))
    return found


def weaker_target(floor: FloorTarget, text: str) -> list[Weakness]:
    """How a city's 服务对象 `text` is narrower than the floor's target group (empty: not narrower)."""
    out = []
    r = read_target(text)
    f_low, f_high = floor.bounds()
    if r.age_span is not None and _ages_narrower(f_low, f_high, r.age_min or 0, r.age_max):
        out.append(Weakness("scope", "age", r.age_span, dict(
            word=text[r.age_span[0]:r.age_span[1]], city_age=_age(r.age_min or 0, r.age_max),
            floor_age=_age(f_low, f_high))))
    floor_r = read_target(floor.text)
    kinds = {q.kind for q in floor_r.qualifiers}
    for q in r.qualifiers:
        if q.kind not in kinds:
            out.append(Weakness("scope", "qualifier", q.span, dict(word=q.word, kind=q.kind)))
    named = {c.name for c in floor_r.conditions} | set(floor.conditions) | set(floor.any_of)
    for c in r.conditions:
        if c.narrows and c.name not in named:
            out.append(Weakness("scope", "condition", c.span, dict(word=c.word, condition=c.name)))
    if len(floor.any_of) > 1:
        mentioned = {c.name for c in r.conditions}
        dropped = [c for c in floor.any_of if c not in mentioned]
        if mentioned & set(floor.any_of) and dropped:
            out.append(Weakness("scope", "dropped", None, dict(word="、".join(dropped), condition="、".join(dropped))))
    return out
