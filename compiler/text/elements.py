"""The elements of a floor duty, and whether a city's text names each of them.

A floor provision is its core duty plus, where it enumerates (提供A、B、C; A和B; A或者B), each
enumerated item. A text names an element when enough of the element's content units appear
in it, both sides first put into canonical words by the synonym table (依照→按照, 低保→最低生活
保障, 中职→中等职业教育 ...). Content units are canonical words kept whole and the character
pairs of the rest, generic words (服务, 提供, 流动儿童 ...) left out; so reordering and added
local detail do not matter, and a missing 幼儿园 or 基本公共卫生服务 does.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compiler.text.model import Element
from compiler.text.vocab import alternation, vocabulary

_FOLD = str.maketrans({"（": "(", "）": ")", "，": ",", "；": ";", "：": ":", "　": " "})
_NOISE = re.compile(r"[\s“”\"'‘’《》「」【】\[\]()（）,，。;；:：!！?？、·…]+")
_PUNCT = re.compile(r"[,，。;；:：!！?？\n]")
_ATOM = "\x00"  # a cut between runs of content
_NUMBER = re.compile(r"[0-9０-９.]+\s*[-－—–~～至到]?\s*[0-9０-９]*\s*(周岁|岁|年|个月|月龄|月|次|天|日|周|元|%|％)?")


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """`text` with every synonym put in its group's first form (for comparison, not display)."""
    v = vocabulary()
    return v.synonym_re.sub(lambda m: v.synonyms[m.group()], text.translate(_FOLD))


@lru_cache(maxsize=1)
def _generic_re() -> re.Pattern[str]:
    return re.compile(alternation(list(vocabulary().generic)))


@lru_cache(maxsize=1 << 16)
def content(text: str) -> tuple[str, ...]:
    """The content of `text` as runs of characters: canonical words whole, and what lies between
    them with the generic words (服务, 提供, 流动儿童 ...) and punctuation taken out."""
    v = vocabulary()
    runs: list[str] = []
    pos = 0
    folded = text.translate(_FOLD)
    folded = _NUMBER.sub(_ATOM, folded)  # ages and counts are compared as numbers, not as words
    for m in v.synonym_re.finditer(folded):
        runs += _plain_runs(folded[pos:m.start()])
        word = v.synonyms[m.group()]
        if word not in v.generic:
            # 基本医疗服务 is compared as 基本医疗: sharing 服务 with 基本公共卫生服务 says nothing
            core = _generic_re().sub("", word)
            runs.append(core if len(core) >= 2 else word)
        pos = m.end()
    runs += _plain_runs(folded[pos:])
    return tuple(runs)


def _plain_runs(text: str) -> list[str]:
    # a lone character left between generic words (有, 其) says nothing about the duty
    return [r for r in _NOISE.sub(_ATOM, _generic_re().sub(_ATOM, text)).split(_ATOM) if len(r) > 1]


@lru_cache(maxsize=1 << 16)
def _haystack(text: str) -> str:
    return _NOISE.sub("", normalize(text))


def coverage(part: str, text: str) -> float:
    """How much of `part`'s content appears in `text`, 0..1 (1 when `part` has no content): the
    share of its content characters that lie in a pair of characters also found in `text`, so
    城市融入支持活动 is mostly there in 组织城市融入活动 though 融入支持 is not."""
    runs = content(part)
    total = sum(len(r) for r in runs)
    if not total:
        return 1.0
    hay = _haystack(text)
    covered = 0
    for r in runs:
        if len(r) == 1:
            covered += r in hay
            continue
        marks = [False] * len(r)
        for k in range(len(r) - 1):
            if r[k:k + 2] in hay:
                marks[k] = marks[k + 1] = True
        covered += sum(marks)
    return covered / total


def has_content(text: str) -> bool:
    return bool(content(text))


def _first_of(words: list[str], text: str, start: int, end: int, skip_at_start: bool = False) -> int | None:
    best = None
    for w in words:
        k = text.find(w, start + (1 if skip_at_start else 0), end)
        if k != -1 and (best is None or k < best):
            best = k
    return best


def _opener_end(text: str, before: int, floor: int) -> int:
    """Where the first enumerated item starts: after the last opener word before it, or `floor`."""
    best = floor
    for w in vocabulary().elements["openers"]:
        k = text.rfind(w, floor, before)
        if k != -1 and k + len(w) > best and k + len(w) <= before:
            best = k + len(w)
    return best


def _item_end(text: str, start: int, limit: int) -> int:
    el = vocabulary().elements
    ends = [e for e in (_first_of(el["closers"], text, start, limit),
                        _first_of(el["openers"], text, start, limit, skip_at_start=True)) if e is not None and e > start]
    return min(ends) if ends else limit


def _element(text: str, s: int, e: int, kind: str) -> Element | None:
    raw = text[s:e]
    lead = len(raw) - len(raw.lstrip(" “”\"、"))
    raw = raw.strip(" “”\"、")
    if not raw:
        return None
    alias: tuple[str, ...] = ()
    m = re.match(r"^(.+?)[(（](.+?)[)）]$", raw)
    if m:
        raw, alias = m.group(1), (m.group(2),)
    return Element(raw.strip("“”\""), (s + lead, s + lead + len(raw)), kind, alias)


def _split_joiners(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Split text[s:e] at the joiners other than 、 (和, 及, 或者 ...)."""
    cuts, pos = [], s
    for m in _joiners(text, s, e):
        if m.start() > pos:
            cuts.append((pos, m.start()))
        pos = m.end()
    cuts.append((pos, e))
    return [c for c in cuts if c[1] > c[0]]


def _joiners(text: str, s: int, e: int) -> list[re.Match[str]]:
    """The joiners (和, 及, 或者 ..., not 、) in text[s:e] that are not inside a word like 普及."""
    el = vocabulary().elements
    pattern = re.compile(alternation([j for j in el["joiners"] if j != "、"]))
    inside = [m.span() for m in re.finditer(alternation(el["not_joiners"]), text)]
    return [m for m in pattern.finditer(text, s, e) if not any(a <= m.start() < b for a, b in inside)]


def _punct_at(text: str, start: int) -> int:
    """Where the clause that goes on at `start` ends: the next punctuation mark, or the end."""
    found = _PUNCT.search(text, start)
    return found.start() if found else len(text)


@lru_cache(maxsize=1 << 14)
def _elements(text: str) -> tuple[Element, ...]:
    clause_end = _punct_at(text, 0)
    sep = text.find("、")
    if sep != -1:
        last = text.rfind("、", 0, _punct_at(text, sep))
        region_end_limit = _punct_at(text, last)
        start = _opener_end(text, sep, text.rfind("，", 0, sep) + 1)
        end = _item_end(text, last + 1, region_end_limit)
        parts = []
        pos = start
        for k in [i for i in range(start, end) if text[i] == "、"] + [end]:
            parts.extend(_split_joiners(text, pos, k))
            pos = k + 1
    else:
        found = _joiners(text, 0, clause_end)
        if not found:
            return ()
        m = found[0]
        start = _opener_end(text, m.start(), 0)
        end = _item_end(text, m.end(), clause_end)
        parts = [(start, m.start()), (m.end(), end)]
    items = [el for s, e in parts if (el := _element(text, s, e, "item")) is not None]
    if len(items) < 2:
        return ()
    closer = next((c for c in vocabulary().elements["closers"] if text.startswith(c, end)), "")
    core_text = _duty_part(text[:start] + text[end + len(closer):])
    core = []
    if has_content(core_text):
        core.append(Element(core_text.strip(), (0, len(text)), "core"))
    return tuple(core + items)


def _duty_part(text: str) -> str:
    """`text` without what is not a duty: its basis phrase (按照…规范) and closing purpose
    clauses (，丰富其文化生活)."""
    el = vocabulary().elements
    text = re.sub(el["place_prefix"], "", text)
    text = re.sub(el["basis_phrase"], lambda m: _ATOM * len(m.group()), text)
    for m in _PUNCT.finditer(text):
        if text[m.end():].lstrip().startswith(tuple(el["purpose_starts"])):
            return text[:m.start()]
    return text


def elements(floor_text: str) -> list[Element]:
    """The core duty of a floor provision and each element it enumerates; the whole text as
    its one core element when it enumerates nothing."""
    found = _elements(floor_text)
    if not found:
        return [Element(floor_text, (0, len(floor_text)), "core")]
    return list(found)


def named(element: Element, city_text: str) -> bool:
    """Whether `city_text` names `element` (under any of its names, a broader word for it, or a
    range of school stages that contains it)."""
    el = vocabulary().elements
    threshold = el["core_threshold"] if element.kind == "core" else el["found_threshold"]
    if any(p in city_text for p in el["implied"].get(element.name, [])) or _in_stage_range(element.name, city_text):
        return True
    names = [element.name, *element.alias]
    for broad, narrow in el["broader"].items():
        if broad in city_text:
            for n in narrow:
                names += [name.replace(n, broad) for name in names if n in name]
    return any(coverage(_duty_part(name) if element.kind == "core" else name, city_text) >= threshold
               for name in names)


def _in_stage_range(name: str, city_text: str) -> bool:
    """Whether a range of school stages in `city_text` (从学前三年到高中阶段) contains every stage
    of the element `name` (义务教育: 小学, 初中)."""
    el = vocabulary().elements
    parts = el.get("stage_of", {}).get(name)
    if not parts:
        return False
    order = el["stages"]
    stage = "|".join(order)
    for m in re.finditer(rf"({stage})[^，。；;、]{{0,4}}?(?:到|至)[^，。；;、]{{0,2}}?({stage})", city_text):
        lo, hi = order.index(m.group(1)), order.index(m.group(2))
        if all(lo <= order.index(p) <= hi for p in parts):
            return True
    return False


def missing_parts(floor_text: str, city_text: str) -> list[Element]:
    """Parts of a whole the floor names (学杂费 = 学费 + 杂费) that the city names only some of."""
    out = []
    for whole, parts in vocabulary().elements["parts"].items():
        k = normalize(floor_text).find(whole)
        city = normalize(city_text)
        if k == -1 or whole in city or not any(p in city for p in parts):
            continue
        out += [Element(p, (0, len(floor_text)), "item") for p in parts if p not in city]
    return out


def missing_elements(floor_text: str, city_text: str) -> list[Element]:
    """The elements of the floor provision that `city_text` does not name. A core with almost
    no words of its own (按照…规范提供管理服务: 管理) is not required word for word: a city
    may describe the service instead of naming it."""
    return [e for e in elements(floor_text) if not named(e, city_text)
            and not (e.kind == "core" and sum(map(len, content(_duty_part(e.name)))) < 3)] \
        + missing_parts(floor_text, city_text)


def relatedness(floor_text: str, city_text: str) -> float:
    """How far `city_text` is about the same duty as `floor_text`, 0..1: the share of the floor
    text's content found in it."""
    return coverage(floor_text, city_text)
