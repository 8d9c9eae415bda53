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
    name ("" if all are). An item that holds the floor's whole content besides (普法宣传教育 for
    普法) states the floor's duty and stays."""
    from compiler.text.elements import coverage  # elements reads the vocabulary this module shares

    kept = [m.group() for m in _ITEM.finditer(text)
            if not ancillary_words(floor_text, m.group()) or coverage(floor_text, m.group()) >= 1.0]
    return "，".join(kept)
