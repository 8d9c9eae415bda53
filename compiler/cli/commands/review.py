"""`qingdan review`: the reviewer's records (receive, accept, reject, comment, sign-off, return), the queue, XLSX notes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.models.review import Outcome, Verdict
    from compiler.review import workflow

    zh = args.lang == "zh"
    if args.from_xlsx is not None:
        return _from_xlsx(args)
    if args.action is None:
        raise UsageError("请指定一个操作：receive、accept、reject、comment、sign-off、return、queue，或 --from-xlsx FILE",
                         en="name an action: receive, accept, reject, comment, sign-off, return, queue, or --from-xlsx FILE")
    if args.action == "queue":
        return _queue(args)
    on = args.date or dt.date.today()
    t = workflow.target(args.catalogue, args.key)
    if args.action == "receive":
        path = workflow.receive(t, on, args.number, args.late_reason)
        done = f"已记录收文：{t.key} 于 {on} 收到" if zh else f"recorded receipt of {t.key} on {on}"
    elif args.action in ("accept", "reject"):
        verdict = Verdict.accepted if args.action == "accept" else Verdict.rejected
        path = workflow.decide(t, args.where, args.check, verdict, args.reviewer, on, args.reason)
        done = (f"已记录决定：{t.key} 的偏离 {args.where}（{args.check}）{verdict.zh}" if zh else
                f"recorded decision: deviation {args.where} ({args.check}) of {t.key} {verdict.value}")
    elif args.action == "comment":
        path = workflow.comment(t, args.where, args.text, args.reviewer, on)
        done = f"已记录对 {t.key} {args.where} 的意见" if zh else f"recorded a comment on {args.where} of {t.key}"
    else:
        outcome = Outcome.approved if args.action == "sign-off" else Outcome.returned
        path = workflow.conclude(t, outcome, args.reviewer, on, getattr(args, "correction", None) or [])
        done = (f"已记录结论：{t.key} {outcome.value}" if zh else
                f"recorded the conclusion: {t.key} {'approved' if outcome is Outcome.approved else 'sent back'}")
    print(f"{done}（{path}）" if zh else f"{done} ({path})")
    return 0


def _queue(args: argparse.Namespace) -> int:
    from compiler.checks.pipeline import check, find_root
    from compiler.review import workflow

    zh = args.lang == "zh"
    result = check([find_root(args.catalogue)], args.as_of or dt.date.today())
    waiting = workflow.queue(result)
    if args.format == "json":
        print(json.dumps({"as_of": result.as_of.isoformat(), "queue": [
            {"key": w.result.entry.key, "jurisdiction": w.result.entry.model.jurisdiction, "filed": w.filed.isoformat(),
             "days_since_filing": w.days, "findings": w.findings, "changed_after_conclusion": w.stale}
            for w in waiting]}, ensure_ascii=False, indent=2))
        return 0
    print(f"待审队列（截至 {result.as_of}，最早备案的在前）：{len(waiting)} 份" if zh else
          f"Review queue (as of {result.as_of}, oldest filing first): {len(waiting)}")
    for w in waiting:
        m = w.result.entry.model
        note = ("  结论之后已改动" if zh else "  changed after the conclusion") if w.stale else ""
        print(f"  {w.result.entry.key:<14} {m.jurisdiction}  备案 {w.filed}（已 {w.days} 天）  问题 {w.findings} 个{note}" if zh
              else f"  {w.result.entry.key:<14} {m.jurisdiction}  filed {w.filed} ({w.days} days ago)  "
                   f"findings {w.findings}{note}")
    return 0


def _from_xlsx(args: argparse.Namespace) -> int:
    from compiler.review import notes

    zh = args.lang == "zh"
    written = notes.import_notes(args.from_xlsx, args.catalogue, args.reviewer, args.date or dt.date.today())
    for key, count, path in written:
        print(f"{key}：写入 {count} 条意见（{path}）" if zh else f"{key}: {count} comments written ({path})")
    if not written:
        print("工作簿中没有新的意见" if zh else "no new notes in the workbook", file=sys.stderr)
    return 0
