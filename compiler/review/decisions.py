"""What `check` makes of a list's review record: decisions on deviations, comments, receipt, conclusion.

Applied to a list's findings after the justified deviations have been applied (`deviations.apply`):

- a pending deviation (QD311) that the reviewer **accepted** becomes QD801: no longer pending,
  counted apart, shown as "偏离已认可" in the matrix;
- one the reviewer **rejected** gives back the finding it answered, as it was, and QD802, an
  error quoting the reviewer's reason;
- a decision that matches no pending deviation is QD803;
- a conclusion whose recorded digest differs from the list's content now is QD805; a list sent
  back is QD806, one signed off QD807;
- the receipt: a date that differs from the list's own `filed` is QD808, a late filing without
  a recorded reason QD809; comments show at the item or provision they concern (QD810).
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.checks.deviations import DEVIATION
from compiler.diagnostics import Diagnostic, Related
from compiler.domain.deadlines import assess
from compiler.models.review import Decision, Outcome, Verdict
from compiler.review.records import ReviewEntry, digest

ACCEPTED = "QD801"
REJECTED = "QD802"


def apply(ctx: Context, findings: list[Diagnostic], review: ReviewEntry | None) -> list[Diagnostic]:
    """`findings` as the review record decides them, plus what the record itself says."""
    if review is None:
        return findings
    decisions = review.model.decisions
    used: set[int] = set()
    result: list[Diagnostic] = []
    for finding in findings:
        k = _decision_for(decisions, finding) if finding.code == DEVIATION else None
        if k is None:
            result.append(finding)
            continue
        used.add(k)
        result += _decided(ctx, review, k, finding)
    for k, decision in enumerate(decisions):
        if k not in used:
            result.append(Diagnostic("QD803", review.doc.at(("decisions", k)), {
                "where": decision.where, "check": decision.check.value, "list": ctx.entry.key}, catalogue=ctx.entry.key))
    result += _record(ctx, review)
    return result


def _decision_for(decisions: list[Decision], finding: Diagnostic) -> int | None:
    where, check = finding.args.get("where"), finding.args.get("check")
    return next((k for k, d in enumerate(decisions) if d.where == where and d.check.value == check), None)


def _decided(ctx: Context, review: ReviewEntry, k: int, pending: Diagnostic) -> list[Diagnostic]:
    decision = review.model.decisions[k]
    decided = Related(review.doc.at(("decisions", k)), f"审核决定 decisions[{k}]（{decision.decision.zh}）",
                      f"review decision decisions[{k}] ({decision.decision.value})")
    facts = {"check": decision.check.value, "where": decision.where, "reviewer": decision.reviewer,
             "date": decision.date.isoformat(), "decision_reason": decision.reason.strip()}
    if decision.decision is Verdict.accepted:
        return [Diagnostic(ACCEPTED, pending.location, {
            **facts, "finding": pending.args["finding"], "finding_en": pending.args["finding_en"],
            "review": review.doc.name, "floor_item": pending.args.get("floor_item")},
            (*pending.related, decided), pending.catalogue)]
    declared = pending.related[-1].location if pending.related else pending.location
    original: Diagnostic = pending.args["answered"]
    return [original, Diagnostic(REJECTED, declared, facts, (decided, Related(pending.location, "不予认可的偏离所涉之处",
                                                                             "where the rejected deviation applied")),
                                 ctx.entry.key)]


def _record(ctx: Context, review: ReviewEntry) -> Iterator[Diagnostic]:
    model, doc, key = review.model, review.doc, ctx.entry.key
    if model.received is not None:
        stated = ctx.entry.doc.data.get("filed") if isinstance(ctx.entry.doc.data, dict) else None
        if stated is not None and str(stated) != model.received.isoformat():
            yield Diagnostic("QD808", doc.at(("received",)), {"received": model.received, "filed": stated},
                             (Related(ctx.entry.doc.at(("filed",)), "清单的 filed", "the list's filed"),), key)
        filing = assess(ctx.entry.model, ctx.as_of).filing
        if filing is not None and filing.status == "late" and not model.late_reason:
            yield Diagnostic("QD809", doc.at(("received",)), {"key": key, "days": filing.days}, catalogue=key)
    for k, comment in enumerate(model.comments):
        target = ctx.entry.provisions.get(comment.where) or ctx.entry.items.get(comment.where)
        here = ctx.entry.doc.at(target[0]) if target else doc.at(("comments", k))
        yield Diagnostic("QD810", here, {"reviewer": comment.reviewer, "date": comment.date.isoformat(),
                                         "text": comment.text.strip()},
                         (Related(doc.at(("comments", k)), f"审核意见 comments[{k}]", f"comment comments[{k}]"),), key)
    conclusion = model.conclusion
    if conclusion is None:
        return
    facts = {"key": key, "date": conclusion.date.isoformat(), "reviewer": conclusion.reviewer,
             "outcome": conclusion.outcome.value}
    if conclusion.digest != digest(ctx.entry.doc.data):
        yield Diagnostic("QD805", doc.at(("conclusion", "digest")), facts,
                         (Related(ctx.entry.doc.at(()), "现在的清单", "the list as it is now"),), key)
    if conclusion.outcome is Outcome.returned:
        yield Diagnostic("QD806", doc.at(("conclusion",)), {
            **facts, "corrections": "；".join(conclusion.corrections) or "（未写明）"}, catalogue=key)
    else:
        number = model.filing_number
        yield Diagnostic("QD807", doc.at(("conclusion",)), {
            **facts, "number": f"，备案号 {number}" if number else "",
            "number_en": f", filing number {number}" if number else ""}, catalogue=key)
