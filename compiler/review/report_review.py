"""The reviewers' report's lines about review records: receipt, filing number, decisions, conclusion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compiler.checks.pipeline import CheckResult
from compiler.models.review import Outcome, Verdict
from compiler.review.records import digest


@dataclass(frozen=True)
class ReviewLine:
    """One list edition's review record as the report prints it."""

    key: str
    jurisdiction: str
    filed: dt.date | None
    due: dt.date | None
    received: dt.date | None
    filing_number: str | None
    late_reason: str | None
    decisions: str  # "s01（responsibility）认可；…"
    conclusion: str  # "同意备案（陈审核，2025-03-20）", with a note when the list changed since


def review_lines(result: CheckResult, lang: str = "zh") -> tuple[ReviewLine, ...]:
    """A line per checked list that has a review record, in the order of the check summary."""
    lines = []
    for lr in sorted(result.lists, key=lambda r: (r.entry.model.level.rank, r.entry.model.id, r.entry.model.edition)):
        review = result.reviews.get(lr.entry.key)
        if review is None:
            continue
        m = review.model
        decisions = "；".join(f"{d.where}（{d.check.value}）{d.decision.zh if lang == 'zh' else d.decision.value}"
                             for d in m.decisions)
        c = m.conclusion
        if c is None:
            conclusion = "审核中" if lang == "zh" else "under review"
        else:
            words = c.outcome.value if lang == "zh" else ("approved" if c.outcome is Outcome.approved else "sent back")
            conclusion = f"{words}（{c.reviewer}，{c.date}）" if lang == "zh" else f"{words} ({c.reviewer}, {c.date})"
            if c.digest != digest(lr.entry.doc.data):
                conclusion += "；结论之后清单已改动（QD805）" if lang == "zh" else "; the list changed since (QD805)"
        filing = lr.deadlines.filing
        lines.append(ReviewLine(lr.entry.key, lr.entry.model.jurisdiction, lr.entry.model.filed,
                                filing.due if filing else None, m.received, m.filing_number, m.late_reason,
                                decisions or "—", conclusion))
    return tuple(lines)


__all__ = ["ReviewLine", "Verdict", "review_lines"]
