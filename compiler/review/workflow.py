"""The reviewer's steps on one filing, from receipt to sign-off, and the queue of filings awaiting one.

Each step names the list edition (`xiamen@1`), finds it in the catalogue (a review of a list that
is not there is a usage error, not a file written in vain) and writes the review record through
`compiler.review.edit`. The queue is read from a check of the catalogue, so its findings counts
are the ones `check` reports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from compiler.checks.pipeline import CheckResult, ListResult, check, find_root
from compiler.diagnostics import Severity
from compiler.domain.corpus import ListEntry
from compiler.errors import UsageError
from compiler.models.review import Outcome, Verdict
from compiler.review import edit, records

_KEY = re.compile(r"^([a-z0-9][a-z0-9-]{0,63})@([1-9][0-9]*)$")


def parse_key(text: str) -> tuple[str, int]:
    """`xiamen@1` → ("xiamen", 1)."""
    found = _KEY.match(text.strip())
    if not found:
        raise UsageError(f"“{text}”不是 清单编号@版本 的形式（如 xiamen@1）",
                         en=f"'{text}' is not of the form LIST@EDITION (e.g. xiamen@1)")
    return found.group(1), int(found.group(2))


@dataclass(frozen=True)
class Target:
    """The list edition a step concerns, its catalogue and its review record's path."""

    root: Path
    entry: ListEntry
    path: Path
    result: CheckResult

    @property
    def key(self) -> str:
        return self.entry.key


def target(catalogue: Path, key: str, as_of: dt.date | None = None) -> Target:
    """Find `key` in the catalogue at `catalogue`; UsageError when it is not there."""
    list_id, edition = parse_key(key)
    root = find_root(catalogue)
    result = check([root], as_of or dt.date.today())
    entry = result.corpus.by_key.get((list_id, edition))
    if entry is None:
        raise UsageError(f"清单目录 {root} 中没有 {list_id}@{edition}", en=f"{list_id}@{edition} is not in the catalogue {root}")
    return Target(root, entry, records.path_for(root, list_id, edition), result)


def _write(t: Target, change: edit.Edit) -> Path:
    edit.apply(t.path, t.entry.model.id, t.entry.model.edition, change)
    return t.path


def receive(t: Target, on: dt.date, number: str | None, late_reason: str | None) -> Path:
    """Record the receipt of the filing."""
    return _write(t, edit.receipt(on, number, late_reason))


def decide(t: Target, where: str, check_name: str, verdict: Verdict, reviewer: str, on: dt.date, reason: str) -> Path:
    """Record a decision on a deviation the list declares (UsageError when it declares none such)."""
    declared = [(d.where, d.check.value) for d in t.entry.model.deviations]
    if (where, check_name) not in declared:
        listed = "、".join(f"{w}（{c}）" for w, c in declared) or "（无）"
        raise UsageError(f"{t.key} 没有声明偏离 {where}（{check_name}）；它声明的偏离：{listed}",
                         en=f"{t.key} declares no deviation {where} ({check_name}); it declares: {listed}")
    return _write(t, edit.decision(where, check_name, verdict, reviewer, on, reason))


def comment(t: Target, where: str, text: str, reviewer: str, on: dt.date) -> Path:
    """Record a comment on an item or provision of the list (UsageError when it has no such id)."""
    if where not in t.entry.items and where not in t.entry.provisions:
        raise UsageError(f"{t.key} 中没有服务项或条款 {where}", en=f"{t.key} has no item or provision {where}")
    return _write(t, edit.comment(where, text, reviewer, on))


def conclude(t: Target, outcome: Outcome, reviewer: str, on: dt.date, corrections: list[str]) -> Path:
    """Record the conclusion with the digest of the list as it is now."""
    if outcome is Outcome.returned and not [c for c in corrections if c.strip()]:
        raise UsageError("退回修改须写明须改正之处（--correction）", en="a return must say what to correct (--correction)")
    return _write(t, edit.conclusion(outcome, reviewer, on, corrections, records.digest(t.entry.doc.data)))


@dataclass(frozen=True)
class Waiting:
    """One filed list awaiting a conclusion."""

    result: ListResult
    filed: dt.date
    days: int  # since filing
    findings: int  # errors and warnings, as check counts them
    stale: bool  # it had a conclusion, but the list changed since


def queue(result: CheckResult) -> list[Waiting]:
    """Filed lists (newest editions) not yet signed off, or changed since, oldest filing first."""
    waiting = []
    for lr in result.lists:
        m = lr.entry.model
        if m.filed is None or result.corpus.newest_edition(m.id) != m.edition:
            continue
        review = result.reviews.get(lr.entry.key)
        conclusion = review.model.conclusion if review else None
        stale = conclusion is not None and conclusion.digest != records.digest(lr.entry.doc.data)
        if conclusion is not None and not stale:
            continue
        found = len(result.diagnostics.of(lr.entry.key, Severity.WARNING))
        waiting.append(Waiting(lr, m.filed, (result.as_of - m.filed).days, found, stale))
    return sorted(waiting, key=lambda w: (w.filed, w.result.entry.key))
