"""Reviewers' notes in the exported workbook, and carrying them into the review records.

The workbook gets a sheet "审核意见" with one row per item and provision of every checked list:
the list edition, the id, the text, the comments already recorded (from the review records, so
they are not lost at the next export), and two empty columns for a new note and its reviewer.
`qingdan review --from-xlsx FILE` reads those two columns back and writes each note as a
comment into the record of its list edition (`compiler.review.edit`); a note that is already
recorded is not written again, so importing the same workbook twice changes nothing.

Notes typed anywhere else (in a matrix cell, in a list's sheet) are not read: the sheet's first
line says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from compiler.checks.pipeline import CheckResult
from compiler.errors import InputError, UsageError
from compiler.review import records

SHEET = {"zh": "审核意见", "en": "Review notes"}
HEAD = {
    "zh": ["清单", "编号", "服务项目 / 条款", "已记录的意见", "新意见（在此填写）", "审核人"],
    "en": ["list", "id", "service / provision", "recorded comments", "new note (type here)", "reviewer"],
}
INTRO = {
    "zh": "审核人员的意见请写在本表“新意见”一列（同一行写审核人），再运行 qingdan review --from-xlsx 本文件，"
          "意见即写入 catalogue/reviews/ 中该清单版本的审核记录；写在其他工作表或单元格批注中的内容不会被读取。",
    "en": "Type reviewers' notes in the 'new note' column of this sheet (the reviewer in the same row), then run "
          "qingdan review --from-xlsx THIS-FILE: each note is written into the review record of that list edition "
          "in catalogue/reviews/. Anything typed in other sheets or in cell comments is not read.",
}
_FIRST_ROW = 3  # row 1: the intro, row 2: the header


def write_sheet(ws: Worksheet, result: CheckResult, lang: str = "zh") -> None:
    """Fill `ws` with a row per item and provision of each checked list, and the recorded comments."""
    ws.cell(1, 1, INTRO[lang]).style = "qd-note"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD[lang]))
    ws.row_dimensions[1].height = 45
    for col, value in enumerate(HEAD[lang], 1):
        ws.cell(2, col, value).style = "qd-header"
    r = _FIRST_ROW
    for lr in sorted(result.lists, key=lambda x: (x.entry.model.level.rank, x.entry.model.id, x.entry.model.edition)):
        entry = lr.entry
        review = result.reviews.get(entry.key)
        recorded: dict[str, list[str]] = {}
        for c in review.model.comments if review else []:
            recorded.setdefault(c.where, []).append(f"{c.text}（{c.reviewer}，{c.date}）")
        for _, _, item in entry.model.items():
            rows = [(item.id, item.service)] + [(p.id, p.text) for p in item.provisions]
            for where, text in rows:
                for col, value in enumerate((entry.key, where, text, "\n".join(recorded.get(where, []))), 1):
                    ws.cell(r, col, value).style = "qd-body"
                r += 1
    ws.freeze_panes = f"A{_FIRST_ROW}"
    for letter, width in zip("ABCDEF", (12, 9, 60, 30, 40, 12)):
        ws.column_dimensions[letter].width = width


@dataclass(frozen=True)
class Note:
    """One note read from the workbook, with its cell for messages."""

    key: str
    where: str
    text: str
    reviewer: str | None
    cell: str


def read(path: Path) -> list[Note]:
    """The notes typed into the workbook's review sheet."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError) as exc:
        raise InputError(f"无法读取工作簿 {path}：{exc}", en=f"cannot read the workbook {path}: {exc}") from None
    name = next((n for n in SHEET.values() if n in book.sheetnames), None)
    if name is None:
        raise InputError(f"工作簿 {path} 中没有“{SHEET['zh']}”表：请用 qingdan export xlsx 重新导出",
                         en=f"the workbook {path} has no '{SHEET['en']}' sheet: export it again with qingdan export xlsx")
    notes = []
    for n, row in enumerate(book[name].iter_rows(min_row=_FIRST_ROW, max_col=6, values_only=True), _FIRST_ROW):
        key, where, _, _, text, reviewer = (*row, *([None] * 6))[:6]
        if key and where and text and str(text).strip():
            notes.append(Note(str(key), str(where), str(text).strip(), str(reviewer).strip() if reviewer else None, f"E{n}"))
    book.close()
    return notes


def import_notes(path: Path, catalogue: Path, reviewer: str | None, on: dt.date) -> list[tuple[str, int, Path]]:
    """Write each new note of the workbook into its review record; (list key, notes written, record) per record."""
    from compiler.review import workflow

    notes = read(path)
    missing = [n.cell for n in notes if not (n.reviewer or reviewer)]
    if missing:
        raise UsageError(f"这些意见没有写审核人：{'、'.join(missing)}（在 F 列填写，或用 --reviewer 指定）",
                         en=f"these notes name no reviewer: {', '.join(missing)} (fill in column F, or give --reviewer)")
    written: list[tuple[str, int, Path]] = []
    targets: dict[str, workflow.Target] = {}
    for key in dict.fromkeys(n.key for n in notes):
        targets[key] = workflow.target(catalogue, key)
    for key, t in targets.items():
        review = t.result.reviews.get(key)
        known = {(c.where, c.text.strip()) for c in review.model.comments} if review else set()
        count = 0
        for n in (n for n in notes if n.key == key):
            if (n.where, n.text) in known:
                continue
            workflow.comment(t, n.where, n.text, n.reviewer or reviewer or "", on)
            known.add((n.where, n.text))
            count += 1
        if count:
            written.append((key, count, records.path_for(t.root, t.entry.model.id, t.entry.model.edition)))
    return written
