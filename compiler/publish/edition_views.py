"""What a list's page says about its earlier editions: a short "本版变化" and links to their PDFs.

Built from the same edition history as the reviewers' report (`compiler.review.history`): the
changes since the previous edition, the places lower than before first, in a few lines; and the
earlier editions still in the catalogue, whose official PDFs are published beside the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from compiler.checks.pipeline import CheckResult, ListResult

if TYPE_CHECKING:
    from compiler.publish.views import ListView

SHOWN = 8  # changes listed on the page; the report and the workbook have them all


@dataclass(frozen=True)
class EarlierEdition:
    """An earlier edition still in the catalogue, with its view (its PDF is rendered from it)."""

    edition: int
    view: ListView

    @property
    def pdf(self) -> str:
        return self.view.pdf


@dataclass(frozen=True)
class EditionsView:
    """The page's section on editions; empty lists where there is nothing to say."""

    previous: str | None  # "xiamen@1", when there is a previous edition to compare with
    summary: str  # "与 xiamen@1 相比：变化 5 处，其中低于上一版 1 处"
    changes: tuple[tuple[bool, str], ...]  # (lower than before, what changed), regressions first
    more: int  # changes not listed on the page
    earlier: tuple[EarlierEdition, ...]


def editions_view(result: CheckResult, current: ListResult) -> EditionsView | None:
    """The section for `current`, or None when it has no earlier edition at all."""
    from compiler.publish.views import list_view
    from compiler.review.history import previous

    m = current.entry.model
    # Most lists have one edition: only theirs are looked for among all the results (a national
    # catalogue's 3,211 lists, each sorting all 3,211 results, took a tenth of its build).
    earlier = tuple(EarlierEdition(r.entry.model.edition, list_view(r, result.corpus))
                    for r in sorted(result.lists, key=lambda r: r.entry.model.edition)
                    if r.entry.model.id == m.id and r.entry.model.edition < m.edition
                    ) if any(e < m.edition for e in result.corpus.editions.get(m.id, ())) else ()
    before = previous(result, current.entry)
    if before is None and not earlier:
        return None
    if before is None:
        return EditionsView(None, "", (), 0, earlier)
    from compiler.domain.changes import compare

    old, _ = before
    changes = sorted(compare(old, current.entry), key=lambda c: (not c.regression, c.diagnostic.sort_key()))
    regressions = sum(c.regression for c in changes)
    summary = f"与第 {old.model.edition} 版相比：变化 {len(changes)} 处，其中低于上一版 {regressions} 处。"
    lines = tuple((c.regression, c.diagnostic.message("zh")) for c in changes[:SHOWN])
    return EditionsView(old.key, summary, lines, max(0, len(changes) - SHOWN), earlier)
