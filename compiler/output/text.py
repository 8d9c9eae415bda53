"""Diagnostic output for people (text) and machines (json). The CLI chooses; this only formats."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from compiler.diagnostics import Diagnostic, Severity, Totals
from compiler.domain.deadlines import STATUS_EN, STATUS_ZH, Assessment
from compiler.output.report import CheckReport, ListOutcome
from compiler.output.width import display_width

if TYPE_CHECKING:  # `deadlines` formats dates with this module and needs neither the checks nor the parser
    from compiler.checks.pipeline import CheckResult, ListResult
    from compiler.source.loader import Document


def as_report(result: CheckResult | CheckReport) -> CheckReport:
    """A full check's result as the formats print it (a report is taken as it is)."""
    return result if isinstance(result, CheckReport) else result.report()

SEVERITY = {"zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
            "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}}
LABELS = {
    "zh": {"hint": "怎么改", "basis": "依据", "related": "相关", "summary": "清单核查汇总", "as_of": "截至",
           "compliant": "符合底线", "not_compliant": "不符合底线", "filing": "备案", "renewal": "更新",
           "na": "不适用", "invalid": "无法读取或格式错误", "totals": "共 {e} 个错误、{w} 个警告{d}、{i} 条提示",
           "sample": "示例", "no_floor": "无底线", "draft": "草稿",
           "deviations": "，偏离 {d} 处待审核", "total_deviations": "、{d} 处偏离待审核",
           "accepted": "，偏离已认可 {a} 处", "total_accepted": "，偏离已认可 {a} 处"},
    "en": {"hint": "fix", "basis": "basis", "related": "related", "summary": "Summary", "as_of": "as of",
           "compliant": "meets its floor", "not_compliant": "below its floor", "filing": "filing", "renewal": "renewal",
           "na": "n/a", "invalid": "unreadable or malformed", "totals": "{e} errors, {w} warnings{d}, {i} infos",
           "sample": "sample", "no_floor": "no floor", "draft": "draft",
           "deviations": ", deviations awaiting review: {d}", "total_deviations": ", deviations awaiting review: {d}",
           "accepted": ", deviations accepted: {a}", "total_accepted": ", deviations accepted: {a}"},
}


def excerpt(documents: Mapping[str, Document], d: Diagnostic) -> list[str]:
    """The diagnostic's line with a caret under its column, when the file's text is known."""
    doc = documents.get(d.location.file)
    if doc is None:
        return []
    line = doc.line(d.location.line)
    if not line:
        return []
    number = f"{d.location.line:>5}"
    pad = " " * len(number)
    # Columns count characters; the caret goes under the character's terminal cell, and spans
    # the cells of the words a finding is about (its location's width).
    start = d.location.column - 1
    width = display_width(line[:start])
    under = max(1, display_width(line[start:start + d.location.width]))
    return [f"  {number} | {line}", f"  {pad} | {' ' * width}{'^' * under}"]


def text(checked: CheckResult | CheckReport, lang: str = "zh", min_severity: Severity = Severity.INFO) -> str:
    result = as_report(checked)
    out: list[str] = []
    for d in result.diagnostics.sorted(min_severity):
        out.extend(diagnostic_lines(d, result.documents, lang, show_basis=d.show_basis))
    out.extend(summary(result, lang))
    return "\n".join(out) + "\n"


def diagnostic_lines(d: Diagnostic, documents: Mapping[str, Document], lang: str = "zh",
                     show_basis: bool = False) -> list[str]:
    """One diagnostic as a text block: place, message, excerpt, fix, basis, related places, a blank line."""
    L = LABELS[lang]
    sep = "：" if lang == "zh" else ": "
    out = [f"{d.location}: {SEVERITY[lang][d.severity]} {d.code} {d.message(lang)}", *excerpt(documents, d)]
    if d.severity is not Severity.INFO:
        out.append(f"  {L['hint']}{sep}{d.hint(lang)}")
    if show_basis:
        out.append(f"  {L['basis']}{sep}{d.basis(lang)}")
    out.extend(f"  {L['related']}{sep}{r.location} {r.text(lang)}" for r in d.related)
    return [*out, ""]


def status_words(a: Assessment, lang: str = "zh") -> str:
    """A deadline's state and days, e.g. 逾期 14 天 / 未到期，剩 116 天."""
    name = (STATUS_ZH if lang == "zh" else STATUS_EN)[a.status]
    if a.status in ("late", "overdue"):
        name += f" {a.days} 天" if lang == "zh" else f" by {a.days} days"
    elif a.status in ("pending", "due_soon", "on_track"):
        name += f"，剩 {a.days} 天" if lang == "zh" else f", {a.days} days left"
    return name


def describe_status(a: Assessment | None, lang: str = "zh") -> str:
    """A deadline in a few words: state, days, due date."""
    if a is None:
        return LABELS[lang]["na"]
    name = status_words(a, lang)
    return f"{name}（{a.due}）" if lang == "zh" else f"{name} ({a.due})"


def verdict_words(r: ListOutcome | ListResult, lang: str = "zh") -> str:
    """A list's verdict as the summary prints it: 符合底线，偏离 1 处待审核 / 符合底线，偏离已认可 1 处."""
    L = LABELS[lang]
    verdict = L["compliant"] if r.compliant else L["not_compliant"]
    if r.deviations:
        verdict += L["deviations"].format(d=r.deviations)
    if r.accepted:
        verdict += L["accepted"].format(a=r.accepted)
    return verdict


def summary(checked: CheckResult | CheckReport, lang: str = "zh") -> list[str]:
    result = as_report(checked)
    L = LABELS[lang]
    c = result.diagnostics
    lines = [f"{L['summary']}（{L['as_of']} {result_as_of(result)}）" if lang == "zh" else f"{L['summary']} ({L['as_of']} {result_as_of(result)})"]
    for r in sorted(result.lists, key=lambda r: r.facts.order):
        m = r.facts
        verdict = verdict_words(r, lang)
        sample = f" [{L['sample']}]" if m.sample else ""
        sample += f" [{L['draft']}]" if m.draft else ""
        floor = m.floor or L["no_floor"]
        lines.append(f"  {m.key:<14} {m.jurisdiction}{sample}  → {floor}  {verdict}"
                     f"  {L['filing']}：{describe_status(r.deadlines.filing, lang)}  {L['renewal']}：{describe_status(r.deadlines.renewal, lang)}"
                     if lang == "zh" else
                     f"  {m.key:<14} {m.jurisdiction}{sample}  -> {floor}  {verdict}"
                     f"  {L['filing']}: {describe_status(r.deadlines.filing, lang)}  {L['renewal']}: {describe_status(r.deadlines.renewal, lang)}")
    for bad in result.invalid:
        lines.append(f"  {bad.list_id or '?':<14} {bad.name}  {L['invalid']}")
    lines.append(totals_line(c.totals(), lang))
    return lines


def totals_line(t: Totals, lang: str = "zh") -> str:
    """The counts sentence of `check`, which the reviewers' report repeats word for word; deviations
    are counted apart from warnings, since each awaits the reviewer's decision."""
    L = LABELS[lang]
    return (L["totals"].format(e=t.errors, w=t.warnings, i=t.infos,
                               d=L["total_deviations"].format(d=t.deviations) if t.deviations else "")
            + (L["total_accepted"].format(a=t.accepted_deviations) if t.accepted_deviations else ""))


def result_as_of(result: CheckResult | CheckReport) -> str:
    return result.as_of.isoformat()


def _deadline_json(prefix: str, a: Assessment | None, lang: str) -> dict[str, Any]:
    if a is None:
        return {f"{prefix}_due": None, f"{prefix}_status": "not_applicable", f"{prefix}_days": None,
                f"{prefix}_reasoning": []}
    return {f"{prefix}_due": a.due.isoformat(), f"{prefix}_status": a.status, f"{prefix}_days": a.days,
            f"{prefix}_reasoning": list(a.period.steps_en if lang == "en" else a.period.steps)}


def list_json(r: ListOutcome, lang: str = "zh") -> dict[str, Any]:
    m = r.facts
    return {
        "id": m.id, "edition": m.edition, "name": m.title, "jurisdiction": m.jurisdiction, "level": m.level.value,
        "file": m.file, "sample": m.sample, "floor": m.floor,
        "issued": m.issued.isoformat(), "filed": m.filed.isoformat() if m.filed else None,
        "draft": m.draft, "compliant": r.compliant, "errors": r.errors, "warnings": r.warnings,
        "deviations": r.deviations, "accepted_deviations": r.accepted, "verdict": verdict_words(r, lang),
        **_deadline_json("filing", r.deadlines.filing, lang), **_deadline_json("renewal", r.deadlines.renewal, lang),
    }


def diagnostic_json(d: Diagnostic, lang: str = "zh") -> dict[str, Any]:
    return {
        "code": d.code, "severity": d.severity.key, "file": d.location.file, "line": d.location.line,
        "column": d.location.column, "message": d.message(lang), "hint": d.hint(lang), "basis": d.basis(lang),
        "catalogue": d.catalogue,
        "related": [{"file": r.location.file, "line": r.location.line, "column": r.location.column, "label": r.text(lang)}
                    for r in d.related],
    }


def to_json(checked: CheckResult | CheckReport, lang: str = "zh", min_severity: Severity = Severity.INFO) -> str:
    result = as_report(checked)
    c = result.diagnostics
    lists = sorted(result.lists, key=lambda r: r.facts.order)
    payload = {
        "as_of": result_as_of(result),
        "catalogues": [list_json(r, lang) for r in lists],
        "invalid_files": [{"file": b.name, "id": b.list_id} for b in result.invalid],
        "diagnostics": [diagnostic_json(d, lang) for d in c.sorted(min_severity)],
        "summary": {**asdict(c.totals()), "exit_code": result.exit_code()},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
