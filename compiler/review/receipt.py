"""The filing receipt (备案回执) the province sends a city: one context, rendered as PDF and as .docx.

It says, in the form of an official document: which list and edition, when it was issued and
received, whether it was filed on time (with the Civil Code reasoning of the due date), the
conclusion of the review and, where it was sent back, what must be corrected. Everything comes
from the list, its review record and the deadline computation `check` uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from compiler.checks.pipeline import CheckResult
from compiler.domain.corpus import ListEntry
from compiler.domain.deadlines import RULES, filing_assessment
from compiler.errors import UsageError
from compiler.models import Level
from compiler.models.review import Outcome, Verdict
from compiler.review.records import ReviewEntry

# Who sends the receipt when the provincial list names no publisher (its source's published_by).
DEFAULT_SENDER = "省民政厅"


@dataclass(frozen=True)
class ReceiptContext:
    """Everything the receipt says; the PDF template and the .docx writer read only this."""

    key: str
    title: str  # the list's title
    jurisdiction: str
    addressee: str  # the issuer of the list
    sender: str
    edition: int
    document_number: str | None
    issued: dt.date
    received: dt.date | None
    filing_number: str | None
    due: dt.date
    filing_days: int
    on_time: bool | None  # None: not received yet
    days_late: int
    reasoning: tuple[str, ...]  # the Civil Code steps that give the due date
    late_reason: str | None
    outcome: str | None  # 同意备案 / 退回修改, None while the review goes on
    reviewer: str | None
    dated: dt.date  # the receipt's date: the conclusion's, else the day it is made
    corrections: tuple[str, ...]
    sample: bool

    @property
    def returned(self) -> bool:
        return self.outcome == Outcome.returned.value

    @property
    def heading(self) -> str:
        return f"关于《{self.title}》（第{self.edition}版）的备案回执"

    def paragraphs(self) -> tuple[str, ...]:
        """The body, one paragraph each (the .docx and the PDF say the same words)."""
        number = f"（{self.document_number}）" if self.document_number else ""
        first = f"你单位于{_zh(self.issued)}印发的《{self.title}》{number}第{self.edition}版"
        if self.received is None:
            first += f"尚未报送备案。按规定应于印发后{self.filing_days}日内、即{_zh(self.due)}前报送。"
        else:
            first += f"，我厅于{_zh(self.received)}收到备案材料。"
            first += (f"按规定应于印发后{self.filing_days}日内报送，备案期限为{_zh(self.due)}，"
                      + ("按时报送。" if self.on_time else f"逾期{self.days_late}日报送。"))
        body = [first, "期限计算：" + "；".join(self.reasoning) + "。"]
        if self.received is not None and not self.on_time:
            body.append(f"逾期理由：{self.late_reason}。" if self.late_reason else "逾期理由：未说明。")
        if self.outcome is None:
            body.append("审核结论：正在审核，结论另行告知。")
        elif self.returned:
            body.append(f"审核结论：{self.outcome}。请按以下意见改正，重新印发后再报送备案：")
        else:
            suffix = f"备案号：{self.filing_number}。" if self.filing_number else ""
            body.append(f"审核结论：{self.outcome}。{suffix}")
        return tuple(body)


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def context(result: CheckResult, key: str, as_of: dt.date) -> ReceiptContext:
    """The receipt of `key` ("xiamen@1") from a check of the catalogue."""
    list_id, _, edition = key.partition("@")
    entry = result.corpus.by_key.get((list_id, int(edition))) if edition.isdigit() else None
    if entry is None:
        raise UsageError(f"清单目录中没有 {key}", en=f"{key} is not in the catalogue")
    rule = RULES.get(entry.model.level)
    if rule is None or rule.filing_days is None:
        raise UsageError(f"{key} 是{entry.model.level.zh}清单，实施方案没有规定它的备案，无回执可出",
                         en=f"{key} is a {entry.model.level.value} list; the plan sets no filing for it, so there is no receipt")
    review = result.reviews.get(entry.key)
    return _context(result, entry, review, rule.filing_days, as_of)


def _sender(result: CheckResult, entry: ListEntry) -> str:
    top = next((e for e in result.corpus.chain(entry) if e.model.level is Level.province), None)
    source = top.model.source if top is not None else None
    return source.published_by if source is not None and source.published_by else DEFAULT_SENDER


def _context(result: CheckResult, entry: ListEntry, review: ReviewEntry | None, days: int,
             as_of: dt.date) -> ReceiptContext:
    m = entry.model
    received = review.model.received if review and review.model.received else m.filed
    filing = filing_assessment(m.issued, received, as_of, days)
    conclusion = review.model.conclusion if review else None
    corrections: list[str] = []
    if review is not None and conclusion is not None and conclusion.outcome is Outcome.returned:
        corrections += conclusion.corrections
        corrections += [f"偏离 {d.where}（{d.check.value}）不予认可：{d.reason}" for d in review.model.decisions
                        if d.decision is Verdict.rejected]
    return ReceiptContext(
        key=entry.key, title=m.title, jurisdiction=m.jurisdiction, addressee=m.issuer, sender=_sender(result, entry),
        edition=m.edition, document_number=m.document_number, issued=m.issued, received=received,
        filing_number=review.model.filing_number if review else None, due=filing.due, filing_days=days,
        on_time=None if received is None else filing.status == "on_time",
        days_late=filing.days if filing.status == "late" else 0, reasoning=filing.period.steps,
        late_reason=review.model.late_reason if review else None,
        outcome=conclusion.outcome.value if conclusion else None, reviewer=conclusion.reviewer if conclusion else None,
        dated=conclusion.date if conclusion else as_of, corrections=tuple(corrections), sample=m.sample)


def file_stem(key: str) -> str:
    """The receipt's file name without suffix: 备案回执-xiamen@1."""
    return f"备案回执-{key}"


def write_docx(receipt: ReceiptContext, out: Path) -> None:
    """The receipt as a Word document in official-document layout (A4, 仿宋 body, centred title)."""
    import io

    from compiler.output.atomic import write_bytes
    from compiler.review.receipt_docx import build

    buffer = io.BytesIO()
    build(receipt).save(buffer)
    write_bytes(out, buffer.getvalue())
