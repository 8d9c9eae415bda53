"""The wording of due dates, shared by `deadlines`, `status` and the report: titles, the legal
basis (from the code registry's BASES), the rest-day reading, and the QD409 caveat (from its Code)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from compiler.codes import BASES, CODES
from compiler.domain.deadlines import Assessment, Rule
from compiler.output.text import describe_status

REST_DAYS = {
    "zh": "休息日包括周末和法定节假日，调休上班日按工作日计",
    "en": "rest days are weekends and official holidays; make-up working days count as working days",
}


def basis(kind: str, lang: str = "zh") -> str:
    """The legal basis of a `kind` of period ("filing", "renewal"), as the code registry words it."""
    zh, en = BASES[kind]
    return en if lang == "en" else zh


def title(kind: str, rule: Rule, lang: str = "zh") -> str:
    """'备案期限（印发后10日内）': the period comes from the rule, not from this text."""
    if kind == "filing":
        return f"备案期限（印发后{rule.filing_days}日内）" if lang == "zh" else f"filing due ({rule.filing_days} days)"
    return f"更新期限（每{rule.renewal_years}年）" if lang == "zh" else f"renewal due (every {rule.renewal_years} years)"


def steps(a: Assessment, lang: str = "zh") -> tuple[str, ...]:
    """How the due date was reached, article by article, in `lang`."""
    return a.period.steps_en if lang == "en" else a.period.steps


def calendar_caveat(years: list[int], lang: str = "zh", which: str = "", which_en: str = "this due date") -> str | None:
    """The QD409 caveat for due dates in years the holiday calendar does not know, worded by its Code."""
    if not years:
        return None
    named = "、".join(map(str, years)) if lang == "zh" else ", ".join(map(str, years))
    return "QD409 " + CODES["QD409"].render_message({"years": named, "which": which, "which_en": which_en}, lang)


def deadlines_text(issued: dt.date, periods: dict[str, Assessment], rule: Rule, lang: str = "zh") -> str:
    """`qingdan deadlines` for people: each due date, its reasoning, the basis and any caveat."""
    zh = lang == "zh"
    sep = "：" if zh else ": "
    out = [f"印发日期：{issued}" if zh else f"issued: {issued}"]
    for kind, a in periods.items():
        out.append(f"{title(kind, rule, lang)}{sep}{describe_status(a, lang)}")
        out.extend(f"  - {step}" for step in steps(a, lang))
    out.append(f"{'依据' if zh else 'basis'}{sep}")
    out.extend(f"  {basis(kind, lang)}" for kind in periods)
    out.append(f"  {REST_DAYS[lang]}")
    unknown = sorted(set().union(*(a.period.unknown_years for a in periods.values())))
    if caveat := calendar_caveat(unknown, lang, which_en="the due date"):
        out.append(("警告 " if zh else "warning ") + caveat)
    return "\n".join(out) + "\n"


def deadlines_json(issued: dt.date, filed: dt.date | None, as_of: dt.date, periods: dict[str, Assessment],
                   lang: str = "zh") -> str:
    """`qingdan deadlines --format json`: the same facts, the reasoning in `lang`."""
    payload: dict[str, Any] = {"issued": issued.isoformat(), "filed": filed.isoformat() if filed else None,
                               "as_of": as_of.isoformat()}
    for kind, a in periods.items():
        payload |= {f"{kind}_due": a.due.isoformat(), f"{kind}_status": a.status, f"{kind}_days": a.days,
                    f"{kind}_reasoning": list(steps(a, lang))}
    payload["calendar_unknown_years"] = sorted(set().union(*(a.period.unknown_years for a in periods.values())))
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
