"""Which parts of a city's text state the floor's core duty (its verb and object), for judging
whether the text is about the same duty at all.

Texts that share the floor's nouns may state another, ancillary service around it: 中考志愿填报
指导 beside 参加中考, 信用助学贷款 beside 国家助学金, 宣传 beside 管理服务. A sentence unit whose
duty is such an ancillary service (vocabulary/duties.yaml) the floor does not itself name is left
out of the relatedness; a text of nothing else is about another duty.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from compiler.text.vocab import _load, alternation


@cache
def _entries() -> list[dict]:
    return _load("duties.yaml")["ancillary"]


@cache
def _ancillary() -> re.Pattern[str]:
    return re.compile(alternation([w for e in _entries() for w in e["words"]]))


@lru_cache(maxsize=1 << 16)
def ancillary_words(floor_text: str, unit: str) -> tuple[str, ...]:
    """The ancillary duties `unit` states that `floor_text` does not name."""
    named = {w for e in _entries() if any(x in floor_text for x in e["words"]) for w in e["words"]}
    return tuple(m.group() for m in _ancillary().finditer(unit) if m.group() not in named)


_ITEM = re.compile(r"[^，,；;。、]+")


def core_part(floor_text: str, text: str) -> str:
    """`text` without its items (clauses, list items) of ancillary duties the floor does not
    name ("" if all are). An item that holds the floor's whole content with the ancillary word
    after it (普法宣传教育 for 普法) states the floor's duty and stays."""
    from compiler.text.elements import coverage  # elements reads the vocabulary this module shares

    kept = [m.group() for m in _ITEM.finditer(text)
            if not ancillary_words(floor_text, m.group()) or _states_floor(floor_text, m.group(), coverage)]
    return "，".join(kept)


def _states_floor(floor_text: str, item: str, coverage) -> bool:
    """Whether `item` states the floor's duty with an ancillary word only describing it (普法宣传:
    the floor's 普法 done by publicity): all the floor's content is there, and no ancillary word
    comes before it to govern it (讲解国家助学金申请流程 explains the grant, it does not give it)."""
    from compiler.text.elements import content

    if coverage(floor_text, item) < 1.0:
        return False
    found = [item.find(r) for r in content(floor_text) if r in item]
    first = min(found) if found else len(item)
    return not any(m.start() < first for m in _ancillary().finditer(item)
                   if m.group() in ancillary_words(floor_text, item))
