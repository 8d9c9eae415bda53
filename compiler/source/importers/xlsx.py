"""Excel (.xlsx) sheets, with merged ranges resolved to every cell they cover."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from compiler.errors import InputError
from compiler.source.importers.table import Table, grid


def read(path: Path) -> list[Table]:
    """Every sheet of the workbook that has any text, as a table named after the sheet."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, data_only=True)  # a formula's last computed value, as Excel shows it
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"无法打开 Excel 文件 {path.name}：文件已损坏，或不是 .xlsx 格式（{exc}）",
                         en=f"cannot open the Excel file {path.name}: it is damaged or not a .xlsx file ({exc})") from None
    tables = []
    for sheet in book.worksheets:
        texts = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if not any(t for row in texts for t in row):
            continue
        origins: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    if r < len(texts):
                        origins[(r, c)] = (top, left)
        width = max(len(r) for r in texts)
        texts = [row + [""] * (width - len(row)) for row in texts]
        tables.append(Table(f"工作表“{sheet.title}”", f"sheet '{sheet.title}'", grid(texts, origins)))
    book.close()
    return tables


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a 序号 typed as 1 is stored as 1.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    return str(value)
