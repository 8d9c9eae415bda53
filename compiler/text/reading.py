"""Reading one provision or one 服务对象 text: commitment, numbers, scope.

The rules: the weakest hedge sets the commitment; 可 weakens the government's duty only when
the verb it governs is the government's (可为…提供), not the child's (可申请, 可享受, 可到…);
a negation cancels a duty only when it governs a service verb (暂不提供), not in 不满3周岁 or
不得收取. Each distinct text is read once per process (texts repeat across a national corpus).
"""

from __future__ import annotations

import re
from functools import lru_cache

from compiler.text.circumstance import circumstance_triggers
from compiler.text.model import ConditionMention, Partial, ProvisionReading, Qualifier, TargetReading, Trigger
from compiler.text.numbers import age_bounds, read_numbers
from compiler.text.vocab import RANKS, Vocabulary, inclusive_spans, name_spans, vocabulary

_CLAUSE_END = re.compile(r"[，。；！？,;!?：:\n]")


def _clause_after(text: str, start: int) -> str:
    m = _CLAUSE_END.search(text, start)
    return text[start: m.start() if m else len(text)]


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _modal_is_duty(v: Vocabulary, text: str, start: int, end: int) -> bool:
    """Whether 可 at text[start:end] weakens the government's duty (可为…提供) rather than
    granting the child something (符合条件的儿童可申请…, 可享受, 可到…办理)."""
    before = text[:start].rstrip()
    if any(before.endswith(b) for b in v.modal["beneficiaries"]):
        return False
    clause = _clause_after(text, end)
    duty = v.duty_verb_re.search(clause)
    right = v.entitlement_re.search(clause)
    if duty is None:
        return False  # no service verb: nothing of the government's is weakened
    return right is None or duty.start() <= right.start()


def _triggers(v: Vocabulary, text: str) -> tuple[list[Trigger], list[tuple[int, int]]]:
    found: list[Trigger] = []
    for m in v.hedge_re.finditer(text):
        h = v.hedges[m.group()]
        # 视情况需要: by need, which a floor serving by need (对有需要的) already says
        kind = "need" if text.startswith("需要", m.end()) else "hedge"
        found.append(Trigger(m.group(), m.span(), h.rank, kind, h.note))
    for pattern, rank, note in v.hedge_patterns:
        for m in pattern.finditer(text):
            if not any(t.span[0] <= m.start() < t.span[1] for t in found):
                found.append(Trigger(m.group(), m.span(), rank, "hedge", note))
    for t in circumstance_triggers(text):
        if not any(a < t.span[1] and t.span[0] < b for a, b in (f.span for f in found)):
            found.append(t)
    exempt = [m.span() for m in v.not_modal_re.finditer(text)]
    entitlements: list[tuple[int, int]] = []
    for m in v.modal_re.finditer(text):
        if _covered(exempt, *m.span()):
            if text[m.start():].startswith(("可享受", "可申请", "可申领")):
                entitlements.append(m.span())
            continue
        if _modal_is_duty(v, text, *m.span()):
            found.append(Trigger(m.group(), m.span(), RANKS[v.modal["rank"]], "modal", v.modal["note"]))
        else:
            entitlements.append(m.span())
    not_neg = [m.span() for m in v.not_negation_re.finditer(text)]
    gap = int(v.negation["gap"])
    for m in v.negation_re.finditer(text):
        if any(a <= m.start() < b for a, b in not_neg):
            continue
        clause = _clause_after(text, m.end())
        verb = v.duty_verb_re.search(clause) or v.negated_right_re.search(clause)
        for other in (v.duty_verb_re.search(clause), v.negated_right_re.search(clause)):
            if other and verb and other.start() < verb.start():
                verb = other
        # 暂不提供 (the verb right after), or 不再为随迁子女免费提供 (after a prepositional phrase)
        if verb and (verb.start() <= gap or (v.negation_lead_re.match(clause) and verb.start() <= 14)):
            span = (m.start(), m.end() + verb.end())
            found.append(Trigger(text[span[0]:span[1]], span, 0, "negation", v.negation["note"]))
    return found, entitlements


def _partials(v: Vocabulary, text: str, hedge_spans: list[tuple[int, int]]) -> list[Partial]:
    out = []
    for m in v.partial_re.finditer(text):
        if any(a <= m.start() < b for a, b in hedge_spans):
            continue  # 部分地区 is a hedge on where, read as such
        entry = next(e for e in v.partial if m.group() in e.get("words", []))
        out.append(Partial(m.group(), m.span(), tuple(entry["full"]), entry["note"]))
    for pattern, entry in v.partial_patterns:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 8):m.start()]
            if any(w in before for w in entry.get("unless_after", [])):
                continue  # 不得收取: a ban on charging, not a partial duty
            if not any(p.span[0] <= m.start() < p.span[1] for p in out):
                out.append(Partial(m.group(), m.span(), tuple(entry["full"]), entry["note"]))
    return out


@lru_cache(maxsize=1)
def _any_qualifier() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern})" for _, p, _ in vocabulary().qualifiers))


@lru_cache(maxsize=1 << 16)
def read_qualifiers(text: str) -> tuple[Qualifier, ...]:
    """The narrowing qualifiers in `text`, longest first where two overlap, in text order."""
    v = vocabulary()
    if not _any_qualifier().search(text):
        return ()  # one pass over the text instead of one per pattern, for the many texts with none
    skip = inclusive_spans(text) + name_spans(text)
    hits = [(m.span(), kind, note) for kind, pattern, note in v.qualifiers for m in pattern.finditer(text)
            if m.group() and not _covered(skip, *m.span()) and not _alternative(text, m.start())
            and not _followed_by_alternative(text, m.end())]
    hits.sort(key=lambda h: (h[0][0], -(h[0][1] - h[0][0])))
    out: list[Qualifier] = []
    for (s, e), kind, note in hits:
        if out and s < out[-1].span[1]:
            continue
        out.append(Qualifier(kind, text[s:e], (s, e), note))
    return tuple(out)


def _alternative(text: str, start: int) -> bool:
    """Whether the words at `start` are listed beside others (…儿童、孤儿和残疾儿童; 跨省、省内):
    one more group served, not a limit on the group."""
    raw = text[max(0, start - 4):start]
    if raw.rstrip("“\"'《（( ").endswith("”"):
        return True  # “跨省通办”“省内通办”: quoted names side by side
    return raw.rstrip("“”\"'《》（）() ").endswith(_JOINERS)


def _followed_by_alternative(text: str, end: int) -> bool:
    """公办幼儿园或普惠性民办幼儿园: the words at `end` add another group (或, 和, 、 ...)."""
    return text[end:end + 2].startswith(_JOINERS)


_JOINERS = ("、", "和", "及", "或", "与", "以及", "或者")


def _modifies_person(v: Vocabulary, text: str, name: str, end: int) -> bool:
    """Whether a condition word ending at `end` describes the person served (家庭经济困难学生,
    残疾儿童, 符合低保条件的家庭) rather than a measure (通过临时救助等措施)."""
    if v.condition_info[name].get("person"):
        return True
    return bool(v.persons_re.search(text, end, min(len(text), end + 10)))


@lru_cache(maxsize=1)
def _condition_names() -> dict[str, str]:
    return {w: name for name, (ws, _) in vocabulary().conditions.items() for w in ws}


@lru_cache(maxsize=1 << 16)
def read_conditions(text: str) -> tuple[ConditionMention, ...]:
    """The conditions on the child that `text` names, by their controlled names: each mention
    that describes the person served and is not inside an inclusive phrase (（含…）) or listed
    beside other groups; `narrows` is False for those that say what service it is (学段)."""
    v = vocabulary()
    by_word = _condition_names()
    inclusive = inclusive_spans(text)
    names = name_spans(text)
    out = []
    for m in v.condition_re.finditer(text):
        name = by_word[m.group()]
        in_name = any(a <= m.start() and m.end() <= b and b - a > m.end() - m.start() for a, b in names)
        narrows = v.conditions[name][1] and _modifies_person(v, text, name, m.end()) and not in_name \
            and not _covered(inclusive, *m.span()) and not _alternative(text, m.start())
        out.append(ConditionMention(name, m.group(), m.span(), narrows))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def read_provision(text: str) -> ProvisionReading:
    """What one provision says: the firmness of the duty and its trigger, numbers, scope."""
    v = vocabulary()
    triggers, entitlements = _triggers(v, text)
    triggers.sort(key=lambda t: t.span)
    weakest = min(triggers, key=lambda t: (t.rank, t.span)) if triggers else None
    hedge_spans = [t.span for t in triggers]
    return ProvisionReading(
        text=text, rank=weakest.rank if weakest else RANKS["保障"], trigger=weakest, triggers=tuple(triggers),
        entitlements=tuple(entitlements), partial=tuple(_partials(v, text, hedge_spans)),
        numbers=read_numbers(text), qualifiers=read_qualifiers(text), conditions=read_conditions(text),
    )


@lru_cache(maxsize=1 << 16)
def read_target(text: str) -> TargetReading:
    """What a 服务对象 text says about who is served: age range, conditions, qualifiers."""
    numbers = read_numbers(text)
    low, high, span = age_bounds(numbers)
    return TargetReading(text=text, age_min=low, age_max=high, age_span=span, conditions=read_conditions(text),
                         qualifiers=read_qualifiers(text), numbers=numbers)
