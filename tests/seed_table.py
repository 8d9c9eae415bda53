"""Reads the attachment table out of the seed text, independently of the catalogue.

The seed is a plain-text copy of the published notice: the table arrives as one cell per
paragraph, and merged cells (group names, some 服务对象) appear only once. This parser
rebuilds the rows so that tests can compare the YAML with the source, cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "catalogue" / "sources" / "fujian-migrant-children-plan-2025.txt"
GROUPS = ("幼有所育", "学有所教", "病有所医", "住有所居", "弱有所扶", "发展保障")
HEADER = ("服务对象", "服务项目", "服务内容", "责任部门")


@dataclass(frozen=True)
class SeedRow:
    """One row of the attachment as the seed prints it."""

    number: int
    group: str
    target: str | None  # None where the cell is merged with the row above
    service: str
    content: str
    departments: str


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def attachment_cells(text: str) -> list[str]:
    """Non-blank paragraphs of the attachment table, header excluded."""
    start = text.rindex("福建省流动儿童在居住地享有关爱服务基础清单")
    end = text.index("附件下载", start)
    cells = [line.strip() for line in text[start:end].splitlines()[1:]]
    cells = [c for c in cells if c and c != "\xa0"]
    assert tuple(cells[:4]) == HEADER, cells[:4]
    return cells[4:]


def seed_rows() -> list[SeedRow]:
    cells = attachment_cells(seed_text())
    rows: list[SeedRow] = []
    group = ""
    i = 0
    while i < len(cells):
        if cells[i] in GROUPS:
            group = cells[i]
            i += 1
            continue
        number = int(cells[i])
        j = i + 1
        while j < len(cells) and cells[j] not in GROUPS and not cells[j].isdigit():
            j += 1
        body = cells[i + 1 : j]
        if len(body) == 4:
            target, service, content, departments = body
        elif len(body) == 3:
            target = None
            service, content, departments = body
        else:  # pragma: no cover - the seed is fixed
            raise ValueError(f"row {number}: {body}")
        rows.append(SeedRow(number, group, target, service, content, departments))
        i = j
    return rows
