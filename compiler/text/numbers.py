"""Numbers in policy text with their unit, kind and direction: ages and age ranges, years of
free education, frequencies (每月一次, 每季度一次, 每年不少于4周), amounts and grades.

Chinese numerals are converted by cn2an; spans stay those of the original characters.
"""

from __future__ import annotations

import re
from functools import cache

from compiler.text.model import Number
from compiler.text.vocab import NUM, alternation, vocabulary

_DIGITS = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def to_number(s: str) -> float | None:
    """The value of one numeral as written (12, １２, 十二, 两); None when it is not a number."""
    s = s.translate(_FULLWIDTH)
    try:
        return float(s)
    except ValueError:
        pass
    try:
        import cn2an  # imported on first use: most texts contain no Chinese numeral

        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    v = vocabulary().numbers
    age = f"(?:{alternation(v['age_units'])})"
    rng = f"(?:{alternation(v['range_marks'])})"
    periods = f"(?:{alternation(list(v['periods']))})"
    counts = f"(?:{alternation(v['count_units'])})"
    least, most = alternation(v["at_least"]), alternation(v["at_most"])
    return {
        "range": re.compile(rf"(?P<a>{NUM})\s*{age}?\s*{rng}\s*(?P<b>{NUM})\s*(?P<u>{age})"),
        "upper_before": re.compile(rf"(?:{alternation(v['upper_before'])})\s*(?P<a>{NUM})\s*(?P<u>{age})"),
        "age": re.compile(rf"(?P<pre>{alternation(v['lower_before'])})?\s*(?P<a>{NUM})\s*(?P<u>{age})"
                          rf"(?P<post>{alternation(v['upper_after'] + v['lower_after'])})?"),
        # 每月一次 / 每个月1次 / 每季度一次 / 每年不少于4周 / 每学期至少2次
        # words may stand between the period and the count: 每年为流动儿童提供1次免费口腔检查
        "frequency": re.compile(rf"每\s*(?:一)?(?:个)?(?P<per>{periods})(?P<mid>[^，。；,;0-9０-９]{{0,12}}?)"
                                rf"(?:(?P<dir>{least}|{most})\s*)?(?P<a>{NUM})\s*(?P<u>{counts})"),
        # 一月一次 / 一年两次 / 3次/年
        "frequency2": re.compile(rf"(?:一|1)(?:个)?(?P<per>{periods})\s*(?P<a>{NUM})\s*(?P<u>{counts})"),
        "frequency3": re.compile(rf"(?P<a>{NUM})\s*(?P<u>{counts})\s*/\s*(?P<per>{periods})"),
        "years": re.compile(rf"(?P<a>{NUM})\s*年(?P<ctx>[^，。；,;]{{0,4}})"),
        "amount": re.compile(rf"(?:(?P<dir>{least}|{most})\s*)?(?P<a>{NUM})\s*(?P<u>{alternation(v['amount_units'])})"),
        "grade": re.compile(r"(?P<a>[一二三四五六七八九1-9])\s*级"),
        # ages in months: 0-18月龄, 18个月以下婴幼儿
        "month_range": re.compile(rf"(?P<a>{NUM})\s*{rng}\s*(?P<b>{NUM})\s*(?:个)?月龄?"),
        "month_upper": re.compile(rf"(?P<a>{NUM})\s*(?:个月龄|月龄|个月)(?:以下|以内|及以下)"),
        # caps on how often or how long: 不超过3天, 一年内最多救助一次
        "cap": re.compile(rf"(?:{alternation(v['caps'])})(?P<mid>[^，。；,;0-9]{{0,4}}?)(?P<a>{NUM})\s*(?P<u>{alternation(v['cap_units'])})"),
    }


def _direction(text: str, start: int, end: int) -> str:
    v = vocabulary().numbers
    before, after = text[max(0, start - 4):start], text[end:end + 4]
    if any(before.endswith(w) for w in v["at_least"]) or any(after.startswith(w) for w in v["at_least"]):
        return "at_least"
    if any(before.endswith(w) for w in v["at_most"]) or any(after.startswith(w) for w in v["at_most"]):
        return "at_most"
    return "exact"


def read_numbers(text: str) -> tuple[Number, ...]:
    """Every number in `text` that qingdan can place, in text order, spans not overlapping."""
    if not _DIGITS.search(text):
        return ()  # no numeral at all: most provisions
    p = _patterns()
    v = vocabulary().numbers
    found: list[Number] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(n: Number) -> None:
        found.append(n)
        taken.append(n.span)

    for m in p["range"].finditer(text):
        a, b = to_number(m["a"]), to_number(m["b"])
        if a is not None and b is not None and a <= b and free(*m.span()):
            add(Number(b, "岁", "age", "range", m.span(), low=a))
    for m in p["upper_before"].finditer(text):
        a = to_number(m["a"])
        if a is not None and free(*m.span()):
            add(Number(a, "岁", "age", "upper", m.span()))
    for m in p["age"].finditer(text):
        a = to_number(m["a"])
        if a is None or not free(*m.span()):
            continue
        post, pre = m["post"] or "", m["pre"] or ""
        if post in v["upper_after"] and post:
            direction = "upper"
        elif post in v["lower_after"] and post or pre:
            direction = "lower"
        else:
            direction = "exact"
        add(Number(a, "岁", "age", direction, m.span()))
    for m in p["month_range"].finditer(text):
        a, b = to_number(m["a"]), to_number(m["b"])
        if a is not None and b is not None and a <= b and free(*m.span()):
            add(Number(b / 12, "岁", "age", "range", m.span(), low=a / 12))
    for m in p["month_upper"].finditer(text):
        a = to_number(m["a"])
        if a is not None and free(*m.span()):
            add(Number(a / 12, "岁", "age", "upper", m.span()))
    for m in p["cap"].finditer(text):
        a = to_number(m["a"])
        if a is not None and free(*m.span()):
            add(Number(a, m["u"], "cap", "at_most", m.span()))
    for key in ("frequency", "frequency2", "frequency3"):
        for m in p[key].finditer(text):
            a = to_number(m["a"])
            if a is None or not free(*m.span()):
                continue
            per = m["per"]
            if not (m.groupdict().get("dir") or ""):
                direction = "exact"
            else:
                direction = "at_least" if m["dir"] in v["at_least"] else "at_most"
            mid = m.groupdict().get("mid") or ""
            if direction == "exact" and any(w in mid for w in v["at_least"]):
                direction = "at_least"
            elif direction == "exact" and any(w in mid for w in v["at_most"]):
                direction = "at_most"
            if direction == "exact":
                direction = _direction(text, *m.span())
            unit = f"{m['u']}/{per}"
            add(Number(a, unit, "frequency", direction, m.span(), per=per, per_year=a * v["periods"][per]))
    for m in p["amount"].finditer(text):
        a = to_number(m["a"])
        if a is not None and free(*m.span()):
            d = m["dir"]
            direction = ("at_least" if d in v["at_least"] else "at_most") if d else _direction(text, *m.span())
            add(Number(a, m["u"], "amount", direction, m.span()))
    for m in p["years"].finditer(text):
        a = to_number(m["a"])
        if a is None or a >= 1900 or not free(m.start(), m.start("ctx")):
            continue  # 2025年 is a date, not a length
        kind = "years" if any(w in m["ctx"] for w in v["years_context"]) else "duration"
        add(Number(a, "年", kind, _direction(text, m.start(), m.start("ctx")), (m.start(), m.start("ctx"))))
    for m in p["grade"].finditer(text):
        a = to_number(m["a"])
        if a is not None and free(*m.span()):
            add(Number(a, "级", "grade", "exact", m.span()))
    return tuple(sorted(found, key=lambda n: n.span))


def age_bounds(numbers: tuple[Number, ...]) -> tuple[int | None, int | None, tuple[int, int] | None]:
    """(min, max, span) of the age range the numbers state; max None: no upper bound written.

    3岁以下, 不满3周岁 and 0-3岁 all give an upper bound of 3: the lists use these forms
    interchangeably for the same group (the floor writes 0-3岁 and 3岁以下 for one service).
    """
    ages = [n for n in numbers if n.kind == "age"]
    if not ages:
        return None, None, None
    n = ages[0]
    if n.direction == "range":
        return int(n.low or 0), int(n.value), n.span
    if n.direction == "upper":
        return 0, int(n.value), n.span
    if n.direction == "lower":
        return int(n.value), None, n.span
    return int(n.value), int(n.value), n.span
