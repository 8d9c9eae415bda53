"""Which table is the list, and which column holds what: found by the header's words.

The words are data (`vocabulary.yaml`), for the province's policy staff to extend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

from compiler.errors import InputError
from compiler.source.importers.table import Table

VOCABULARY = Path(__file__).with_name("vocabulary.yaml")
COLUMNS = ("group", "number", "target", "service", "content", "departments")
COLUMN_ZH = {"group": "类别", "number": "序号", "target": "服务对象", "service": "服务项目",
             "content": "服务内容", "departments": "责任部门"}
_NOISE = re.compile(r"\s+|[（(][^）)]*[）)]|[:：*＊]")


@cache
def vocabulary() -> dict:
    """The header words and note words, read once."""
    return YAML(typ="safe").load(VOCABULARY.read_text(encoding="utf-8"))


def column_of(text: str) -> str | None:
    """The column a header cell names, or None."""
    word = _NOISE.sub("", text)
    if not word:
        return None
    best, length = None, 0
    for column, spellings in vocabulary()["columns"].items():
        for spelling in spellings:
            if (word == spelling or word.startswith(spelling)) and len(spelling) > length:
                best, length = column, len(spelling)
    return best


@dataclass(frozen=True)
class Layout:
    """Where a list's table is: its header row and the grid column of each known column."""

    table: Table
    header_row: int
    columns: dict[str, int]

    def is_header(self, row: int) -> bool:
        """Whether `row` repeats the header (a table that runs over several pages repeats it)."""
        return all(column_of(self.table.text(row, c)) == name for name, c in self.columns.items())


def layout(table: Table) -> Layout | None:
    """The table's header and columns, if it has a list's header in its first rows."""
    for r in range(min(len(table.rows), 12)):
        columns: dict[str, int] = {}
        for c in range(table.width):
            name = column_of(table.text(r, c))
            if name and name not in columns and not table.merged_from_above(r, c):
                columns[name] = c
        if "content" in columns and ("service" in columns or "target" in columns):
            return Layout(table, r, columns)
    return None


def choose(tables: list[Table], sheet: str | None) -> Layout:
    """The list's table: the one `--sheet` names, else the first whose header is a list's."""
    if not tables:
        raise InputError("文件中没有表格", en="the file has no table")
    if sheet is not None:
        named = [t for t in tables if sheet in (t.name, t.name_en) or t.name == f"工作表“{sheet}”"
                 or t.name_en == f"sheet '{sheet}'" or t.name == f"第 {sheet} 个表格"]
        if not named:
            known = "、".join(t.name for t in tables)
            raise InputError(f"--sheet {sheet}：文件中没有这个工作表或表格（有：{known}）",
                             en=f"--sheet {sheet}: the file has no such sheet or table (there are: "
                             + ", ".join(t.name_en for t in tables) + ")")
        tables = named
    for table in tables:
        found = layout(table)
        if found is not None:
            return found
    words = "、".join(vocabulary()["columns"]["content"][:3])
    raise InputError(f"在{'、'.join(t.name for t in tables)}中找不到清单的表头：需要有“{words}”之类的一列，"
                     "以及“服务项目”或“服务对象”一列",
                     en="no list header found in " + ", ".join(t.name_en for t in tables)
                     + ": a column such as 服务内容 is needed, and one of 服务项目 or 服务对象")
