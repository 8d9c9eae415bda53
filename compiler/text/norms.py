"""Numbers against the national norms a floor provision implies (按照国家基本公共卫生服务规范):
the minimum frequencies and service months in vocabulary/norms.yaml, each with its source.

A frequency in the city's text is compared with the norm's age bands it covers (1岁以内不少于4次
with the first year's 4; 每年一次 for 0-6岁 with the strictest band, 4); a list of service months
(6、12、18月龄) with the norm's months. Lower or fewer is weaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from compiler.text.model import Number, Span
from compiler.text.numbers import read_numbers, to_number
from compiler.text.vocab import NUM, _load, vocabulary

_SEGMENT = re.compile(r"[^，,；;。、]+")
# a list of service months (6、12、18月龄): at least two, so 0-36月龄 (an age range) is not one
_MONTHS = re.compile(r"((?:[0-9０-９]+\s*[、，,和及与]\s*)+[0-9０-９]+)\s*个?月龄")
# 每年为…儿童提供一次…: the period and the count apart, with the persons between them
_SPLIT = re.compile(rf"每({NUM})?个?(半年|季度|学年|年|月|季)[^，；。]{{0,16}}?({NUM})次")


@dataclass(frozen=True)
class NormShortfall:
    name: str
    source: str
    span: Span
    city: str
    norm: str
    unit: str


@cache
def _norms() -> list[dict]:
    return _load("norms.yaml")["norms"]


def norms_for(floor_words: str) -> list[dict]:
    """The norms whose words the floor provision and its target all have."""
    return [n for n in _norms() if all(w in floor_words for w in n["when"])]


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _band(age: Number | None) -> tuple[float, float]:
    if age is None:
        return 0.0, float("inf")
    if age.direction == "range":
        return float(age.low or 0), float(age.value)
    if age.direction in ("upper", "at_most"):
        return 0.0, float(age.value)
    if age.direction in ("lower", "at_least"):
        return float(age.value), float("inf")
    return float(age.value), float(age.value) + 1


def required(norm: dict, low: float, high: float) -> float:
    """The norm's minimum yearly count for the ages [low, high): the strictest band they touch."""
    bands = [b for b in norm.get("bands", []) if b["ages"][0] < high and low < b["ages"][1]]
    return max((b["per_year"] for b in bands), default=0)


@lru_cache(maxsize=1 << 14)
def shortfalls(floor_words: str, text: str) -> tuple[NormShortfall, ...]:
    """Where `text` states fewer services than the norms the floor implies."""
    norms = norms_for(floor_words)
    if not norms:
        return ()
    out: list[NormShortfall] = []
    for norm in norms:
        for seg in _SEGMENT.finditer(text):
            if not any(w in seg.group() for w in norm.get("activity", [])):
                continue  # another service's count (每年健康体检1次 beside the follow-ups)
            nums = read_numbers(seg.group())
            ages = [n for n in nums if n.kind == "age"]
            for span, per_year in _frequencies(seg.group(), nums):
                before = [a for a in ages if a.span[0] < span[1]]
                low, high = _band(before[-1] if before else None)
                need = required(norm, low, high)
                if per_year < need:
                    a, b = seg.start() + span[0], seg.start() + span[1]
                    out.append(NormShortfall(norm["name"], norm["source"], (a, b), _fmt(per_year),
                                             _fmt(need), "次/年"))
        if norm.get("months"):
            for m in _MONTHS.finditer(text):
                listed = {int(x) for x in re.findall(r"[0-9]+", m.group(1).translate(_FULL))}
                missing = [x for x in norm["months"] if x not in listed]
                if missing:
                    out.append(NormShortfall(norm["name"], norm["source"], m.span(),
                                             "、".join(_fmt(x) for x in sorted(listed)),
                                             "、".join(str(x) for x in norm["months"]), "月龄"))
    return tuple(out)


def _frequencies(seg: str, nums: tuple[Number, ...]) -> list[tuple[Span, float]]:
    """The yearly counts a segment states, as the number reading finds them, else with the
    period and the count apart (每年为…儿童提供一次, 每两年…一次)."""
    found = [(n.span, n.per_year) for n in nums if n.kind == "frequency" and n.per_year is not None]
    if found:
        return found
    periods = vocabulary().numbers["periods"]
    out = []
    for m in _SPLIT.finditer(seg):
        count, every = to_number(m.group(3)), to_number(m.group(1)) if m.group(1) else 1
        if count is not None and every:
            out.append((m.span(), count * periods.get(m.group(2), 1) / every))  # 每两年一次: 0.5 a year
    return out


_FULL = str.maketrans("０１２３４５６７８９", "0123456789")
