"""Scope narrowed by a relative clause before the persons served (在特殊教育学校就读的残疾学生,
学校在册的学生, 参加本市城乡居民医保的流动儿童) that the floor does not have.

The clause is the text from the last preposition or clause start up to 的, the persons word
within a few characters after it. It narrows when it carries a status marker (就读, 在册, 学籍,
参保, …; vocabulary/narrowing.yaml) and its content is not the floor's own (the floor's provision
and target words): the floor's own qualifiers (诊断明确、在家居住的 for s08) and harmless
phrases (符合条件的, 在居住地) are not narrowing.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from compiler.text.elements import coverage
from compiler.text.model import Span
from compiler.text.vocab import _load, alternation, inclusive_spans, vocabulary

# where a relative clause opens: a clause boundary or the preposition that introduces the persons
_OPEN = re.compile(r"[，。；,;：:、（(]|为|对|向|给|帮助|协助|资助|支持|安排|组织")


@cache
def _rules() -> tuple[dict, re.Pattern[str], re.Pattern[str]]:
    c = _load("narrowing.yaml")
    return c, re.compile(alternation(c["markers"])), re.compile("|".join(f"(?:{h})" for h in c["harmless"]))


@lru_cache(maxsize=1 << 16)
def relative_clauses(text: str) -> tuple[tuple[str, Span], ...]:
    """The …的 clauses in `text` that describe the persons after them, with their spans."""
    v = vocabulary()
    out = []
    for m in re.finditer("的", text):
        if not v.persons_re.search(text, m.end(), min(len(text), m.end() + 12)):
            continue
        if re.search(r"[，。；,;：:]", text[m.end():m.end() + 12].split("的")[0][:1] or "x"):
            continue
        start = 0
        for o in _OPEN.finditer(text, 0, m.start()):
            # 、 joins two parts of one clause (诊断明确、在家居住的): not an opening
            if o.group() != "、":
                start = o.end()
        out.append((text[start:m.start()], (start, m.end())))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def narrowing_clauses(floor_words: str, text: str) -> tuple[tuple[str, Span], ...]:
    """The relative clauses in `text` that narrow the persons served against `floor_words`."""
    c, markers, harmless = _rules()
    inclusive = inclusive_spans(text)
    out = []
    for words, span in relative_clauses(text):
        if any(a <= span[0] and span[1] <= b for a, b in inclusive):
            continue
        rest = harmless.sub("", words)
        for key, implied in c["implied"].items():
            if key in floor_words:
                rest = re.sub("|".join(implied), "", rest)
        if not markers.search(rest):
            continue
        if rest in floor_words or coverage(rest, floor_words) >= float(c["floor_share"]):
            continue  # the floor's own qualifier
        out.append((words, span))
    return tuple(out)


@cache
def _qualifier_tables() -> tuple[list[dict], list[dict]]:
    q = _load("qualifiers.yaml")
    return q.get("kinds_of", []), q.get("own_scope", [])


@lru_cache(maxsize=1 << 14)
def floor_admits(floor_words: str, word: str) -> bool:
    """Whether a qualifier `word` is what the floor already says: a kind of the category it
    names (公办 for 普惠性幼儿园), or the own scope of the benefit it names (一、二年级 for the
    中职 national grant); then it does not narrow."""
    kinds_of, own_scope = _qualifier_tables()
    for e in kinds_of:
        if word.startswith(tuple(e["words"])) and any(f in floor_words for f in e["floor"]):
            return True
    return any(all(f in floor_words for f in e["floor"]) and any(w in word for w in e["words"]) for e in own_scope)
