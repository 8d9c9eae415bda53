"""The vocabulary files under `vocabulary/`, loaded once per process.

The files are data reviewed by the province's policy staff; this module only reads them and
compiles the patterns the rules need. Nothing here decides what a text means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

RANKS = {"保障": 3, "有条件": 2, "鼓励": 1, "不提供": 0}
LEVELS = {rank: name for name, rank in RANKS.items()}

# A number as bureaus write it: Arabic, full-width, or Chinese numerals (converted by cn2an).
NUM = r"(?:[0-9０-９]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)"


def _load(name: str) -> Any:
    with resources.files("compiler.text").joinpath(f"vocabulary/{name}").open(encoding="utf-8") as f:
        return YAML(typ="safe", pure=True).load(f)


def alternation(words: list[str]) -> str:
    """A regex matching any of `words`, longest first (so 有条件的地方 wins over 有条件的)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Hedge:
    word: str
    rank: int
    note: str


@dataclass(frozen=True)
class Vocabulary:
    hedges: dict[str, Hedge]
    hedge_re: re.Pattern[str]
    hedge_patterns: list[tuple[re.Pattern[str], int, str]]
    modal: dict[str, Any]
    modal_re: re.Pattern[str]
    not_modal_re: re.Pattern[str]
    entitlement_re: re.Pattern[str]
    negation: dict[str, Any]
    negation_re: re.Pattern[str]
    not_negation_re: re.Pattern[str]
    duty_verb_re: re.Pattern[str]
    partial: list[dict[str, Any]]
    partial_re: re.Pattern[str]
    partial_patterns: list[tuple[re.Pattern[str], dict[str, Any]]]
    negation_lead_re: re.Pattern[str]
    negated_right_re: re.Pattern[str]
    inclusive: list[re.Pattern[str]]
    persons_re: re.Pattern[str]
    condition_info: dict[str, Any]
    synonyms: dict[str, str]
    synonym_re: re.Pattern[str]
    qualifiers: list[tuple[str, re.Pattern[str], str]]
    conditions: dict[str, tuple[list[str], bool]]
    condition_re: re.Pattern[str]
    numbers: dict[str, Any]
    elements: dict[str, Any]
    generic: frozenset[str]


def _pattern(p: str) -> re.Pattern[str]:
    return re.compile(p.replace("N", NUM))


@cache
def vocabulary() -> Vocabulary:
    """Every vocabulary file, read and compiled once."""
    c = _load("commitment.yaml")
    hedges = {w: Hedge(w, RANKS[e["rank"]], e["note"]) for e in c["hedges"] for w in e.get("words", [])}
    hedge_patterns = [(re.compile(p), RANKS[e["rank"]], e["note"]) for e in c["hedges"] for p in e.get("patterns", [])]
    modal = c["modal"]
    neg = c["negation"]
    partial = c["partial"]
    syn = _load("synonyms.yaml")
    synonyms = {w: g["words"][0] for g in syn["groups"] for w in g["words"]}
    q = _load("qualifiers.yaml")
    qualifiers = [(e["kind"], _pattern(p), e["note"]) for e in q["qualifiers"] for p in e["patterns"]]
    cond_all = _load("conditions.yaml")
    cond = cond_all["conditions"]
    conditions = {name: (list(e["words"]), bool(e["narrows"])) for name, e in cond.items()}
    el = _load("elements.yaml")
    return Vocabulary(
        hedges=hedges, hedge_re=re.compile(alternation(list(hedges))), hedge_patterns=hedge_patterns,
        modal=modal, modal_re=re.compile(alternation(modal["words"])),
        not_modal_re=re.compile(alternation(modal["not_modal"])),
        entitlement_re=re.compile(alternation(modal["entitlement_verbs"])),
        negation=neg, negation_re=re.compile(alternation(neg["words"])),
        not_negation_re=re.compile(alternation(neg["not_negation"])),
        duty_verb_re=re.compile(alternation(c["duty_verbs"])),
        partial=partial, partial_re=re.compile(alternation([w for e in partial for w in e.get("words", [])])),
        partial_patterns=[(re.compile(p), e) for e in partial for p in e.get("patterns", [])],
        negation_lead_re=re.compile(alternation(neg["prepositions"])),
        negated_right_re=re.compile(alternation(neg["entitlement_verbs"])),
        inclusive=[re.compile(p) for p in q["inclusive"]],
        persons_re=re.compile(alternation(cond_all["persons"])),
        condition_info=cond,
        synonyms=synonyms, synonym_re=re.compile(alternation(list(synonyms))),
        qualifiers=qualifiers, conditions=conditions,
        condition_re=re.compile(alternation([w for ws, _ in conditions.values() for w in ws])),
        numbers=_load("numbers.yaml"), elements=el, generic=frozenset(el["generic"]),
    )


def inclusive_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` widens rather than narrows (（含寄宿生和非寄宿生）, 不设户籍限制): qualifiers
    and conditions written there are not limits."""
    return [m.span() for p in vocabulary().inclusive for m in p.finditer(text)]


def name_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the synonym table's words in `text`: names of services and benefits
    (重度残疾人护理补贴), inside which a qualifier word (重度) names, not limits."""
    v = vocabulary()
    return [m.span() for m in v.synonym_re.finditer(text) if len(m.group()) > 3]
