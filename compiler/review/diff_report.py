"""The output of `qingdan diff` for people (text) and machines (json). The CLI chooses; this only formats."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from compiler.diagnostics import Severity
from compiler.domain.changes import Change
from compiler.output.text import diagnostic_json, diagnostic_lines
from compiler.review.edition_diff import DiffResult, Edition

LABELS = {
    "zh": {"old": "旧版", "new": "新版", "and": "和", "issued": "印发", "invalid": "无法读取或格式错误",
           "same": "两个版本没有差别。",
           "cannot": "无法比较：{sides}无法读取或格式错误，见上面的诊断。",
           "totals": "版本比较：新增 {added} 处、删去 {removed} 处、修改 {changed} 处；其中低于旧版 {regressions} 处，警告 {warnings} 条"},
    "en": {"old": "old", "new": "new", "and": " and ", "issued": "issued", "invalid": "unreadable or malformed",
           "same": "The two editions do not differ.",
           "cannot": "Cannot compare: {sides} could not be read or validated; see the diagnostics above.",
           "totals": "{added} added, {removed} removed, {changed} changed; {regressions} lower than the old edition, "
                     "{warnings} warnings"},
}


def _describe(edition: Edition, lang: str) -> str:
    L = LABELS[lang]
    if edition.entry is None:
        return f"{edition.side.name}（{L['invalid']}）" if lang == "zh" else f"{edition.side.name} ({L['invalid']})"
    m = edition.entry.model
    return (f"{edition.side.name}（{m.key}，{m.issued} {L['issued']}）" if lang == "zh"
            else f"{edition.side.name} ({m.key}, {L['issued']} {m.issued})")


def counts(result: DiffResult) -> dict[str, int]:
    """How many changes of each kind, how many are regressions, and the warnings."""
    kinds = Counter(c.kind for c in result.changes)
    return {"added": kinds["added"], "removed": kinds["removed"], "changed": kinds["changed"],
            "regressions": sum(c.regression for c in result.changes),
            "warnings": sum(d.severity is Severity.WARNING for d in result.diagnostics())}


def text(result: DiffResult, lang: str = "zh") -> str:
    L = LABELS[lang]
    sep = "：" if lang == "zh" else ": "
    out = [f"{L['old']}{sep}{_describe(result.old, lang)}", f"{L['new']}{sep}{_describe(result.new, lang)}", ""]
    for d in result.diagnostics():
        out.extend(diagnostic_lines(d, result.documents, lang,
                                     show_basis=d.show_basis))
    if not result.comparable:
        bad = [L[name] for name, e in (("old", result.old), ("new", result.new)) if e.entry is None]
        out.append(L["cannot"].format(sides=L["and"].join(bad)))
    else:
        if not result.changes:
            out.append(L["same"])
        out.append(L["totals"].format(**counts(result)))
    return "\n".join(out) + "\n"


def _side_json(edition: Edition) -> dict[str, Any]:
    m = edition.entry.model if edition.entry else None
    return {"file": edition.side.name, "revision": edition.side.revision, "list": m.key if m else None,
            "edition": m.edition if m else None, "issued": m.issued.isoformat() if m else None,
            "title": m.title if m else None}


def change_json(c: Change, lang: str = "zh") -> dict[str, Any]:
    """A change: what changed (kind, subject, id, field, old, new, regression), then its diagnostic."""
    return {"kind": c.kind, "subject": c.subject, "id": c.id, "field": c.field, "old": c.old, "new": c.new,
            "regression": c.regression, **diagnostic_json(c.diagnostic, lang)}


def to_json(result: DiffResult, lang: str = "zh") -> str:
    findings = sorted(result.findings, key=lambda d: d.sort_key())
    changes = sorted(result.changes, key=lambda c: c.diagnostic.sort_key())
    payload = {
        "old": _side_json(result.old),
        "new": _side_json(result.new),
        "comparable": result.comparable,
        "changes": [change_json(c, lang) for c in changes],
        "diagnostics": [diagnostic_json(d, lang) for d in findings],
        "summary": {**counts(result), "exit_code": result.exit_code()},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
