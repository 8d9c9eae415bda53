"""CSV files: one table, no merged cells (a merged cell exported from Excel is left empty
below its first row; `rows` fills such cells down from the row above)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from compiler.errors import InputError
from compiler.source.importers.table import Table, grid


def read(path: Path) -> list[Table]:
    """The file as one table; UTF-8 (with or without BOM) or GB18030, as Excel saves it in China."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"无法读取 {path.name}：既不是 UTF-8 也不是 GB18030 编码",
                         en=f"cannot read {path.name}: it is neither UTF-8 nor GB18030")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    return [Table("CSV 表格", "the CSV table", grid(rows))] if rows else []
