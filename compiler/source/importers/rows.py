"""A list's table read into groups of items: title and 附件 rows, group rows, merged cells,
blank and note rows, and items whose rows continue over several table rows.

Nothing here interprets policy text: cells are taken as written (outer spaces and the line
breaks Word puts inside a short cell removed), and 服务内容 is split by `provisions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compiler.source.importers.header import Layout, vocabulary
from compiler.source.importers.provisions import Split, split
from compiler.source.importers.table import Table

_GROUP_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+|[（(][一二三四五六七八九十\d]+[)）])\s*[、.．]?\s*")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]?\s*$")
GROUP_ROW_MAX = 20  # characters: a group row names a group (一、幼有所育), it does not explain


@dataclass
class RawItem:
    """One service as the table gives it. `row` is the table row (0-based) where it starts."""

    row: int
    number: str
    target: str
    service: str
    content: list[Split]
    departments: str
    target_shared_with: int | None = None  # the table row whose 服务对象 cell this one's is merged with


@dataclass
class RawGroup:
    name: str
    items: list[RawItem] = field(default_factory=list)


@dataclass
class Skipped:
    """A row that is not an item: a note, or a row that could not be read (and why)."""

    row: int
    text: str
    unreadable: bool = False


@dataclass
class Body:
    title: str | None
    groups: list[RawGroup]
    skipped: list[Skipped]


def _flat(text: str) -> str:
    """A short cell's text on one line: Word wraps 服务对象 and 服务项目 cells with line breaks."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def read(layout: Layout) -> Body:
    """The items of the table below its header, in groups."""
    table, cols = layout.table, layout.columns
    notes = tuple(vocabulary()["notes"])
    groups: list[RawGroup] = []
    skipped: list[Skipped] = []
    current: RawItem | None = None
    spanning_group: str | None = None
    for r in range(layout.header_row + 1, len(table.rows)):
        texts = {name: table.text(r, c).strip() for name, c in cols.items()}
        distinct = {cell.origin: cell.text.strip() for cell in table.rows[r] if cell.text.strip()}
        if not distinct or layout.is_header(r):
            continue
        if len(set(distinct.values())) == 1 and not _is_item_row(table, r, cols):
            text = next(iter(distinct.values()))
            if text.startswith(notes) or len(_flat(text)) > GROUP_ROW_MAX:
                skipped.append(Skipped(r, text))
            else:
                spanning_group = _GROUP_NUMBER.sub("", _flat(text)) or _flat(text)
                current = None
            continue
        if "group" in cols and not texts["group"] and groups:
            group_name = groups[-1].name  # a CSV keeps a merged 类别 cell's text in its first row only
        else:
            group_name = _group_name(texts.get("group", ""), spanning_group)
        if current is not None and _continues(table, r, cols, current):
            if texts.get("content"):
                current.content.append(split(table.text(r, cols["content"])))
            continue
        if not (texts.get("service") or texts.get("content")):
            skipped.append(Skipped(r, " ".join(distinct.values()), unreadable=True))
            continue
        current = _item(table, r, cols, groups)
        if not groups or groups[-1].name != group_name:
            groups.append(RawGroup(group_name))
        groups[-1].items.append(current)
    title = _title(table.before + [t for row in table.rows[: layout.header_row] for t in _distinct(row)])
    return Body(title, groups, skipped)


def _distinct(row) -> list[str]:
    return list(dict.fromkeys(c.text.strip() for c in row if c.text.strip()))


def _title(lines: list[str]) -> str | None:
    """The list's title above the table: the last line that is not the 附件 label."""
    titles = [_flat(line) for line in lines if not _ATTACHMENT.match(line)]
    titles = [t for t in titles if not _ATTACHMENT.match(t)]
    return titles[-1] if titles else None


def _group_name(cell: str, spanning: str | None) -> str:
    if cell:
        return _GROUP_NUMBER.sub("", _flat(cell)) or _flat(cell)
    return spanning or "关爱服务"


def _is_item_row(table: Table, r: int, cols: dict[str, int]) -> bool:
    """A row whose one text sits in the 服务内容 column alone is a duty, not a group row."""
    c = cols["content"]
    row = table.rows[r]
    return bool(row[c].text.strip()) and sum(1 for cell in row if cell.origin == row[c].origin) == 1


def _continues(table: Table, r: int, cols: dict[str, int], item: RawItem) -> bool:
    """Whether row `r` carries more duties of `item`: its 服务项目 (or 序号) is merged with the
    item's, or left empty beside a new 服务内容."""
    for name in ("service", "number"):
        c = cols.get(name)
        if c is not None and table.text(r, c).strip():
            return table.rows[r][c].origin[0] <= item.row and table.rows[r][c].origin[0] != r
    return "service" in cols and bool(table.text(r, cols["content"]).strip())


def _item(table: Table, r: int, cols: dict[str, int], groups: list[RawGroup]) -> RawItem:
    def text(name: str) -> str:
        return table.text(r, cols[name]) if name in cols else ""

    target, shared = _flat(text("target")), None
    if "target" in cols:
        c = cols["target"]
        origin = table.rows[r][c].origin[0]
        if origin < r:
            shared = origin
        elif not target:
            previous = [i for g in groups for i in g.items]
            if previous and previous[-1].target:  # a CSV keeps a merged cell's text in its first row only
                target, shared = previous[-1].target, previous[-1].target_shared_with or previous[-1].row
    content = text("content")
    return RawItem(r, _flat(text("number")), target, _flat(text("service")),
                   [split(content)] if content.strip() else [], text("departments"), shared)
