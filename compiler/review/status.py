"""The province-wide deadline dashboard: every list's filing and renewal deadlines, most urgent first.

Built from a `CheckResult`, so the dates and states are exactly the ones `check` reports. A
deadline is *open* while it still asks something of the bureau (file, or re-issue); closed
ones (filed, superseded) are still shown, after the open ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.domain.deadlines import RULES, Assessment
from compiler.output import deadline_text
from compiler.output.text import LABELS, describe_status, list_json

OPEN_STATES = frozenset({"pending", "overdue", "due_soon", "on_track"})
KINDS = ("filing", "renewal")
CALENDAR_NOTE = "calendar"  # BASES key of the rest-day reading, shown once under the dashboard


@dataclass(frozen=True)
class Deadline:
    """One deadline of one list: its kind (filing or renewal) and where it stands."""

    kind: str
    result: ListResult
    assessment: Assessment

    @property
    def open(self) -> bool:
        return self.assessment.status in OPEN_STATES

    @property
    def urgency(self) -> int:
        """Days left; negative when overdue, so sorting ascending puts the most overdue first."""
        a = self.assessment
        return -a.days if a.status == "overdue" else a.days

    @property
    def unknown_years(self) -> list[int]:
        """Years whose holidays the calendar does not know, where that may still move the date."""
        if self.assessment.status == "superseded":
            return []
        return sorted(self.assessment.period.unknown_years)

    def title(self, lang: str = "zh") -> str:
        """'备案期限（印发后10日内）': the period comes from the rule, not from this text."""
        return deadline_text.title(self.kind, RULES[self.result.entry.model.level], lang)

    def filed_words(self, lang: str = "zh") -> str:
        """The day the list was filed, beside its due date: '，2025-03-12 备案' (nothing for renewal or unfiled)."""
        filed = self.result.entry.model.filed
        if self.kind != "filing" or filed is None:
            return ""
        return f"，{filed} 备案" if lang == "zh" else f", filed {filed}"

    def steps(self, lang: str = "zh") -> tuple[str, ...]:
        return deadline_text.steps(self.assessment, lang)

    def calendar_warning(self, lang: str = "zh") -> str | None:
        """The QD409 caveat for this one date, worded by the code registry."""
        return deadline_text.calendar_caveat(list(self.unknown_years), lang)


@dataclass(frozen=True)
class Row:
    """One list on the dashboard, with those of its deadlines that apply to it."""

    result: ListResult
    deadlines: tuple[Deadline, ...]

    @property
    def sort_key(self) -> tuple:
        m = self.result.entry.model
        open_ = [d.urgency for d in self.deadlines if d.open]
        urgency = (0, min(open_)) if open_ else (1, 0)
        return (urgency, m.level.rank, m.id, m.edition)


def rows(result: CheckResult) -> list[Row]:
    """Every checked list, most urgent first: overdue, then fewest days left, then lists with nothing open."""
    built = []
    for r in result.lists:
        assessed = zip(KINDS, (r.deadlines.filing, r.deadlines.renewal))
        built.append(Row(r, tuple(Deadline(kind, r, a) for kind, a in assessed if a is not None)))
    return sorted(built, key=lambda row: row.sort_key)


def _heading(row: Row, lang: str) -> str:
    m = row.result.entry.model
    sample = f" [{LABELS[lang]['sample']}]" if m.sample else ""
    return f"{row.result.entry.key:<14} {m.jurisdiction}{sample}  {row.result.entry.doc.name}"


def text(result: CheckResult, lang: str = "zh") -> str:
    """The dashboard for people: one block per list, each due date with its statutory reasoning."""
    zh = lang == "zh"
    sep = "：" if zh else ": "
    out = [f"清单期限一览（截至 {result.as_of}，最紧迫的在前）" if zh else
           f"Deadlines (as of {result.as_of}, most urgent first)"]
    for row in rows(result):
        out.append(_heading(row, lang))
        if not row.deadlines:
            out.append(f"  {'备案和更新期限' if zh else 'filing and renewal'}{sep}{LABELS[lang]['na']}")
        for d in row.deadlines:
            out.append(f"  {d.title(lang)}{sep}{describe_status(d.assessment, lang)}{d.filed_words(lang)}")
            out.extend(f"    - {step}" for step in d.steps(lang))
            warning = d.calendar_warning(lang)
            if warning:
                out.append(f"    ! {warning}")
    for bad in result.invalid:
        out.append(f"{bad.list_id or '?':<14} {bad.name}  {LABELS[lang]['invalid']}")
    out.append(f"{'依据' if zh else 'basis'}{sep}")
    out.extend(f"  {LABELS[lang][kind]}{sep}{deadline_text.basis(kind, lang)}" for kind in KINDS)
    out.append("  " + deadline_text.REST_DAYS[lang])
    return "\n".join(out) + "\n"


def row_json(row: Row, lang: str = "zh") -> dict[str, Any]:
    """The list's fields as `check --format json` gives them, plus the dashboard's own."""
    payload = list_json(row.result.outcome(), lang)
    payload["key"] = row.result.entry.key
    for kind in KINDS:
        payload[f"{kind}_text"] = LABELS[lang]["na"]
        payload[f"{kind}_calendar_unknown_years"] = []
    for d in row.deadlines:
        payload[f"{d.kind}_text"] = describe_status(d.assessment, lang)
        payload[f"{d.kind}_reasoning"] = list(d.steps(lang))
        payload[f"{d.kind}_calendar_unknown_years"] = d.unknown_years
    return payload


def to_json(result: CheckResult, lang: str = "zh") -> str:
    payload = {
        "as_of": result.as_of.isoformat(),
        "lists": [row_json(row, lang) for row in rows(result)],
        "invalid_files": [{"file": b.name, "id": b.list_id} for b in result.invalid],
        "basis": {kind: deadline_text.basis(kind, lang) for kind in (*KINDS, CALENDAR_NOTE)},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"

