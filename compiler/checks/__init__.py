"""The explicit registry of checks, in the order their findings make sense to read.

Each check is a function `Context -> Iterator[Diagnostic]`; it never prints or raises for a
finding. `FAMILY` says which part of the report a check belongs to: a list is *compliant*
when no error comes from the structure, reference or floor families (deadlines are reported
beside compliance, not inside it).
"""

from __future__ import annotations

from compiler.checks import (
    additions,
    commitment,
    coverage,
    drafts,
    errata,
    periods,
    references,
    responsibility,
    scope,
    standards,
    texts,
)
from compiler.checks.base import Check, Context

CHECKS: list[tuple[str, str, Check]] = [
    ("todos", "drafts", drafts.check_todos),
    ("draft", "drafts", drafts.check_draft),
    ("ids", "references", references.check_ids),
    ("floor", "references", references.check_floor),
    ("covers", "references", references.check_covers),
    ("departments", "references", references.check_departments),
    ("coverage", "floor", coverage.check),
    ("scope", "floor", scope.check),
    ("commitment", "floor", commitment.check),
    ("standards", "floor", standards.check),
    ("text-provisions", "floor", texts.check_provisions),
    ("text-targets", "floor", texts.check_targets),
    ("text-fields", "floor", texts.check_fields),
    ("responsibility", "floor", responsibility.check),
    ("additions", "floor", additions.check),
    ("deadlines", "deadlines", periods.check),
    ("errata", "errata", errata.check),
]

__all__ = ["CHECKS", "Check", "Context"]
