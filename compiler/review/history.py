"""Edition history: for each list with an earlier edition, what changed, the regressions first.

The earlier edition is the newest one below the list's own: in the catalogue when it is still
there, else in the git history of the list's file (the most recent commit whose file holds a
lower edition, looking back `GIT_DEPTH` commits). The comparison is `qingdan diff`'s own
(`compiler.domain.changes.compare`). Outside a git repository only the catalogue is asked.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from compiler.checks.pipeline import CheckResult
from compiler.domain.changes import Change, compare
from compiler.domain.corpus import ListEntry
from compiler.errors import InputError
from compiler.models import Catalogue
from compiler.source import repository
from compiler.source.loader import load_bytes
from compiler.source.revisions import Side, read_at_revision
from compiler.source.validate import validate

GIT_DEPTH = 50  # commits of a file's history searched for its previous edition
SHEET = {"zh": "版本变化", "en": "Edition changes"}
HEAD = {"zh": ["清单", "上一版", "来源", "低于上一版", "代码", "位置", "变化"],
        "en": ["list", "previous edition", "from", "lower than before", "code", "place", "change"]}


@dataclass(frozen=True)
class History:
    """One list's changes since its previous edition."""

    key: str
    jurisdiction: str
    previous: str  # "xiamen@1"
    source: str  # "catalogue", or the git commit (short) the previous edition was read from
    changes: tuple[Change, ...]  # regressions first, then in file order

    @property
    def regressions(self) -> int:
        return sum(c.regression for c in self.changes)

    def summary(self, lang: str = "zh") -> str:
        """'与第 1 版相比：变化 5 处，其中低于上一版 1 处'."""
        if lang == "en":
            return f"against {self.previous}: {len(self.changes)} changes, {self.regressions} lower than before"
        return f"与 {self.previous} 相比：变化 {len(self.changes)} 处，其中低于上一版 {self.regressions} 处"


def previous(result: CheckResult, entry: ListEntry) -> tuple[ListEntry, str] | None:
    """The edition before `entry` and where it was found, or None."""
    m = entry.model
    earlier = [e for e in result.corpus.editions.get(m.id, []) if e < m.edition]
    if earlier:
        return result.corpus.by_key[(m.id, earlier[-1])], "catalogue"
    return _from_git(entry)


def git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def maybe_in_repository(folder: Path) -> bool:
    """Whether git could find a repository for `folder`: a `.git` in it or above it, or git told where
    one is. Without either, `git log` can only fail, and starting it for each of 3,211 lists cost seconds."""
    if os.environ.keys() & {"GIT_DIR", "GIT_WORK_TREE"}:
        return True
    return repository.enclosing(folder) is not None


def _from_git(entry: ListEntry) -> tuple[ListEntry, str] | None:
    path = Path(entry.doc.path)
    if not maybe_in_repository(path.absolute().parent):
        return None  # not in a repository: the catalogue is all there is
    # Only commits that touched the edition line can hold another edition.
    log = git(path.absolute().parent, "log", f"-n{GIT_DEPTH}", "--format=%H", "-G^edition:", "--", path.name)
    if log is None or log.returncode != 0:
        return None  # not in a repository, or git is absent: the catalogue is all there is
    for commit in log.stdout.decode().split():
        side = Side(path, commit)
        try:
            raw = read_at_revision(side)
        except InputError:
            continue
        doc, _ = load_bytes(raw, path, side.name)
        if doc is None:
            continue
        model = validate(doc, Catalogue)[0]
        if model is not None and model.id == entry.model.id and model.edition < entry.model.edition:
            return ListEntry(doc, model), commit[:10]
    return None


def histories(result: CheckResult) -> list[History]:
    """The history of every checked list that has a previous edition, in the order of the check summary."""
    found = []
    for lr in sorted(result.lists, key=lambda r: (r.entry.model.level.rank, r.entry.model.id, r.entry.model.edition)):
        before = previous(result, lr.entry)
        if before is None:
            continue
        old, source = before
        changes = sorted(compare(old, lr.entry), key=lambda c: (not c.regression, c.diagnostic.sort_key()))
        found.append(History(lr.entry.key, lr.entry.model.jurisdiction, old.key, source, tuple(changes)))
    return found


def write_sheet(ws: Worksheet, result: CheckResult, lang: str = "zh", found: list[History] | None = None) -> None:
    """The workbook's sheet of edition changes: one row per change, regressions first within each list."""
    for col, value in enumerate(HEAD[lang], 1):
        ws.cell(1, col, value).style = "qd-header"
    r = 2
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    for h in histories(result) if found is None else found:
        source = ("本目录" if lang == "zh" else "catalogue") if h.source == "catalogue" else f"git {h.source}"
        for c in h.changes:
            d = c.diagnostic
            for col, value in enumerate((h.key, h.previous, source, yes if c.regression else no, d.code,
                                         str(d.location), d.message(lang)), 1):
                ws.cell(r, col, value).style = "qd-missing" if c.regression and col == 4 else "qd-body"
            r += 1
    if r == 2:
        ws.cell(2, 1, "没有清单有上一版。" if lang == "zh" else "No list has a previous edition.")
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (12, 12, 14, 10, 8, 30, 80)):
        ws.column_dimensions[letter].width = width
