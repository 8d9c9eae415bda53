"""Conditions on the government's duty written as circumstances (视接收能力…, 在学位有空余的
情况下…, 根据团队配置情况…, 择优…, 在年度名额内…).

Grammar, not a phrase list: an adverbial that opens with a lead (视, 根据, 在, …), closes with a
circumstance word (情况, 能力, 允许, 名额内, …; vocabulary/circumstances.yaml) and precedes a
service verb it governs makes the duty depend on that circumstance. A basis (按规定, 根据国家
规范) or a place or time (在居住地, 在救助期间) does not close that way and is not a condition;
a quota or a selection (择优, 名额) restricts who gets the service wherever it stands.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from compiler.text.model import Trigger
from compiler.text.vocab import RANKS, _load, alternation, vocabulary

NOTE = "义务以一个状况（学位、能力、财力、名额、择优）为前提，不是对符合条件的儿童一律提供。"


@cache
def _rules() -> tuple[dict, re.Pattern[str], list[re.Pattern[str]]]:
    c = _load("circumstances.yaml")
    lead, end, tail = alternation(c["leads"]), alternation(c["ends"]), "|".join(c["tails"])
    adverbial = re.compile(rf"(?:{lead})[^，。；,;：:]{{0,24}}?(?:{end})(?:{tail})?")
    return c, adverbial, [re.compile(p) for p in c["selection"]]


@lru_cache(maxsize=1 << 16)
def circumstance_triggers(text: str) -> tuple[Trigger, ...]:
    """The circumstance conditions in `text` that govern a service verb after them, and its
    quotas and selections. A trigger's kind is "need" for 视需要/根据需要 (harmless where the
    floor itself serves by need), else "circumstance"."""
    c, adverbial, selection = _rules()
    v = vocabulary()
    rank = RANKS["有条件"]
    out: list[Trigger] = []
    for m in adverbial.finditer(text):
        words = m.group()
        if m.start() > 0 and text[m.start() - 1] not in "，。；,;：: " and not _clause_start(text, m.start()):
            continue  # 存在…情况 inside a clause: not an adverbial opening it
        if any(b in words for b in c["basis"]):
            continue
        if words.endswith(("范围内",)) and not any(w in words for w in c["extent_words"]):
            continue  # 在本市范围内: where, not how much
        if not v.duty_verb_re.search(text, m.end(), min(len(text), m.end() + int(c["reach"]))):
            continue  # governs no service verb
        after = text[m.end():m.end() + 3]
        kind = "need" if any(after.lstrip("，,").startswith(w) for w in c["need"]) else "circumstance"
        out.append(Trigger(words, m.span(), rank, kind, NOTE))
    for p in selection:
        for m in p.finditer(text):
            if not any(t.span[0] <= m.start() < t.span[1] for t in out):
                out.append(Trigger(m.group(), m.span(), rank, "circumstance", NOTE))
    return tuple(out)


def _clause_start(text: str, k: int) -> bool:
    """Whether position `k` opens the duty's clause after a subject or adverb (为…, 对…, 各地…)."""
    before = re.split(r"[，。；,;：:]", text[:k])[-1]
    return len(before) <= 8 and not vocabulary().duty_verb_re.search(before)


def need_conditioned(floor_words: str) -> bool:
    """Whether the floor itself serves by need or circumstance (对有需要的, 符合临时救助情形的):
    then 视情况需要 in a city's text is the service's own manner, not a condition on it."""
    return any(w in floor_words for w in _rules()[0]["need_in_floor"])


@lru_cache(maxsize=1 << 14)
def mentions_circumstance(words: str) -> bool:
    """Whether `words` could hold a circumstance condition (for the quick test that a copy of the
    floor with a few words around it reads as the floor: 择优 around it does not)."""
    c, adverbial, selection = _rules()
    if any(p.search(words) for p in selection):
        return True
    return any(not any(b in m.group() for b in c["basis"]) for m in adverbial.finditer(words))


@lru_cache(maxsize=1 << 14)
def circumstance_clause(clause: str) -> bool:
    """Whether a whole clause is a circumstance adverbial (视学校心理教师配备状况，…): it scopes
    the clause after it even when a service word is inside it (配备, 保障)."""
    c, adverbial, _ = _rules()
    m = adverbial.fullmatch(clause.strip())
    return m is not None and not any(b in m.group() for b in c["basis"])
