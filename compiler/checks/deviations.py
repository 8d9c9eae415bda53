"""Justified deviations: a list's own account of where it cannot meet its floor as written.

A deviation names a floor provision or item (`where`), the check it departs from (`check`, a
code name such as `responsibility`), the reason, and its legal or administrative basis. It is
applied after every other check, to their findings: each finding it answers becomes a QD311
deviation awaiting the reviewer's acceptance (a warning, counted apart from errors and
compliance) at the same place; nothing is dropped. A deviation is reported itself when it
answers no finding (QD312), names nothing in the floor (QD314), or lacks its reason or basis
(QD313; the findings it would answer then stay as they were).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from compiler.checks.base import Context
from compiler.codes import CODES, DEVIABLE
from compiler.diagnostics import Diagnostic, Related
from compiler.models.catalogue import Deviation

DEVIATION = "QD311"


def apply(ctx: Context, findings: list[Diagnostic]) -> list[Diagnostic]:
    """`findings` with those a justified deviation answers turned into deviations, plus its own."""
    deviations = ctx.entry.model.deviations
    if not deviations:
        return findings
    result: list[Diagnostic] = []
    named: dict[int, Deviation] = {}  # deviations whose `where` exists in the floor
    justified: set[int] = set()
    for k, deviation in enumerate(deviations):
        problems = list(_problems(ctx, k, deviation))
        result += problems
        if ctx.floor is not None and not any(p.code == "QD314" for p in problems):
            named[k] = deviation
            if not problems:
                justified.add(k)
    answered: set[int] = set()
    for finding in findings:
        match = next((k for k, deviation in named.items() if _answers(ctx, deviation, finding)), None)
        if match is None:
            result.append(finding)
            continue
        answered.add(match)
        result.append(_deviation(ctx, match, named[match], finding) if match in justified else finding)
    for k in sorted(set(named) - answered):
        result.append(ctx.diag("QD312", ("deviations", k), where=named[k].where, check=named[k].check.value))
    return result


def _problems(ctx: Context, k: int, deviation: Deviation) -> Iterator[Diagnostic]:
    here = ("deviations", k)
    floor = ctx.floor
    if floor is None and ctx.entry.model.floor is None:
        yield ctx.diag("QD314", (*here, "where"), where=deviation.where, floor="（无）",
                       suggestion="没有 floor 的清单无从偏离，删去 deviations。",
                       suggestion_en="a list without a floor cannot deviate from one; remove deviations.")
    elif floor is not None and deviation.where not in floor.provisions and deviation.where not in floor.items:
        close = difflib.get_close_matches(deviation.where, [*floor.items, *floor.provisions], n=1, cutoff=0.5)
        yield ctx.diag("QD314", (*here, "where"), where=deviation.where, floor=floor.key,
                       suggestion=f"你是不是想写“{close[0]}”？" if close else f"底线清单 {floor.key} 的编号形如 s01 或 s01-1。",
                       suggestion_en=f"did you mean '{close[0]}'?" if close else "floor ids look like s01 or s01-1.")
    missing = [name for name, value in (("理由", deviation.reason), ("依据", deviation.basis)) if not value.strip()]
    if missing:
        field = "reason" if missing[0] == "理由" else "basis"
        yield ctx.diag("QD313", (*here, field), where=deviation.where, check=deviation.check.value,
                       missing="和".join(missing),
                       missing_en=" and ".join({"理由": "reason", "依据": "basis"}[m] for m in missing))


def _answers(ctx: Context, deviation: Deviation, finding: Diagnostic) -> bool:
    """Whether `finding` is the departure `deviation` declares: same check, same floor provision or item."""
    code = CODES.get(finding.code)
    if code is None or finding.code not in DEVIABLE or deviation.check.value not in (code.name, *code.answered_with):
        return False
    ref = finding.args.get("floor_ref")
    if ref == deviation.where:
        return True
    assert ctx.floor is not None
    provision = ctx.floor.provisions.get(ref) if isinstance(ref, str) else None
    return provision is not None and provision[1].id == deviation.where  # the item holding the provision


def _deviation(ctx: Context, k: int, deviation: Deviation, finding: Diagnostic) -> Diagnostic:
    declared = Related(ctx.entry.doc.at(("deviations", k)), f"偏离声明 deviations[{k}]（{deviation.where}）",
                       f"declared deviation deviations[{k}] ({deviation.where})")
    return Diagnostic(DEVIATION, finding.location, {
        "check": deviation.check.value, "finding": finding.message("zh"), "finding_en": finding.message("en"),
        "reason": deviation.reason.strip(), "stated_basis": deviation.basis.strip(), "code": finding.code,
        "floor_item": finding.args.get("floor_item"),  # the compliance matrix shows the cell as a deviation
        "where": deviation.where, "answered": finding,  # a reviewer's decision names it; rejected, it stands again
    }, (*finding.related, declared), finding.catalogue)
