"""Real Word and Excel files for the import tests, written with python-docx and openpyxl.

A table is given as rows of cell texts plus merges; the writers make genuine merged cells
(Word: gridSpan / vMerge through python-docx's merge; Excel: merged ranges), as bureaus' files have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue"
HEADER = ["类别", "序号", "服务对象", "服务项目", "服务内容", "责任部门"]


@dataclass
class Sheet:
    """Rows of texts; `merges` are (top, left, bottom, right) 0-based inclusive regions whose text is the top-left's."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # paragraphs above the table (Word) / rows above it (Excel)


def write_docx(sheet: Sheet, path: Path, extra_tables: list[Sheet] = ()) -> Path:
    from docx import Document

    doc = Document()
    for other in extra_tables:  # a table that is not the list, before it
        _docx_table(doc, other)
    for line in sheet.before:
        doc.add_paragraph(line)
    _docx_table(doc, sheet)
    # Word always ends a document with a paragraph after its last table; LibreOffice's .doc
    # export drops a table that ends the document without one.
    doc.add_paragraph("")
    doc.save(str(path))
    return path


def _docx_table(doc, sheet: Sheet) -> None:
    width = max(len(r) for r in sheet.rows)
    table = doc.add_table(rows=len(sheet.rows), cols=width)
    for r, row in enumerate(sheet.rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for top, left, bottom, right in sheet.merges:
        text = sheet.rows[top][left]
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                table.cell(r, c).text = ""
        table.cell(top, left).merge(table.cell(bottom, right)).text = text


def write_xlsx(sheet: Sheet, path: Path, title: str = "清单", extra_sheets: dict[str, Sheet] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, other in (extra_sheets or {}).items():
        _xlsx_sheet(book.create_sheet(name), other, [])
    _xlsx_sheet(book.create_sheet(title), sheet, sheet.before)
    book.save(path)
    return path


def _xlsx_sheet(ws, sheet: Sheet, before: list[str]) -> None:
    for line in before:
        ws.append([line])
    offset = len(before)
    for row in sheet.rows:
        ws.append([int(t) if t.isdigit() else (t or None) for t in row])
    for top, left, bottom, right in sheet.merges:
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    ws.cell(offset + r + 1, c + 1).value = None
        ws.merge_cells(start_row=offset + top + 1, start_column=left + 1, end_row=offset + bottom + 1, end_column=right + 1)


def provincial_sheet() -> Sheet:
    """The provincial attachment from catalogue/province/fujian.yaml, with its merged cells:
    the group names over their rows, and the 服务对象 cells of rows 6-7, 11-12 and 16-20."""
    data = YAML(typ="safe").load((CATALOGUE / "province" / "fujian.yaml").read_text(encoding="utf-8"))
    items = [(g["name"], item) for g in data["groups"] for item in g["items"]]
    rows = [HEADER] + [[group, str(item["row"]), item["target"]["text"], item["service"],
                        "；".join(p["text"] for p in item["provisions"]), "、".join(item["departments"])]
                       for group, item in items]
    merges = []
    start = 1
    for r in range(2, len(rows) + 1):
        if r == len(rows) or rows[r][0] != rows[start][0]:
            if r - 1 > start:
                merges.append((start, 0, r - 1, 0))
            start = r
    for r, (_, item) in enumerate(items, 1):
        shared = item["target"].get("merged_with_row")
        if shared and not any(m[1] == 2 and m[0] <= r <= m[2] for m in merges):
            end = r
            while end + 1 <= len(items) and items[end][1]["target"].get("merged_with_row") == shared:
                end += 1
            merges.append((shared, 2, end, 2))
    return Sheet(rows, merges, ["附件", data["title"]])


# A city's list in its own words: spanning group rows, numbered sentences, full department names,
# a sentence fulfilling two floor provisions, two sentences fulfilling one, a weakened duty,
# a floor provision left out (s01-3, newborn screening), a vague sentence whose floor provision
# a person must choose, and a local service.
CITY_ROWS = [
    ["福州市流动儿童在居住地享有关爱服务清单"],
    ["序号", "服务对象", "服务项目", "具体内容", "责任单位"],
    ["一、幼有所育"],
    ["1", "0-6岁流动儿童", "儿童健康服务",
     "1.按照国家基本公共卫生服务规范，为辖区常住0-6岁儿童提供健康管理服务；\n"
     "2.为0-3岁儿童提供中医调养服务；\n3.对适龄儿童按国家免疫规划开展常规接种；\n4.有条件的地方就近提供托育服务",
     "福州市卫生健康委员会、福州市疾病预防控制局"],
    ["2", "3-6岁流动儿童", "学前教育", "①符合条件的儿童就近在普惠性幼儿园入园②资助家庭经济困难儿童接受普惠性学前教育",
     "市教育局"],
    ["二、学有所教"],
    ["3", "义务教育阶段流动儿童", "义务教育",
     "（一）保障流动儿童在我市接受义务教育；（二）免除学杂费，免费提供教科书；"
     "（三）有条件的地方为纳入资助对象学生提供生活补助；（四）以公办学校为主保障就近入学；"
     "（五）符合条件的随迁子女在我市参加中考", "福州市教育局"],
    ["6", "普通高中教育阶段流动儿童", "高中阶段资助", "对家庭困难学生给予资助", "福州市教育局"],
    ["三、病有所医"],
    ["4", "流动儿童", "卫生健康服务", "提供家庭医生签约服务\n提供基本医疗服务、基本公共卫生服务", "市卫健委"],
    ["四、本地服务"],
    ["5", "流动儿童", "四点半课堂", "在社区开设四点半课堂，放学后免费托管看护", "共青团福州市委员会 福州市妇女联合会"],
    ["注：本清单自印发之日起施行，由市民政局负责解释。"],
]


def city_sheet() -> Sheet:
    width = 5
    rows = [r + [""] * (width - len(r)) for r in CITY_ROWS]
    merges = [(r, 0, r, width - 1) for r, row in enumerate(CITY_ROWS) if len(row) == 1]
    return Sheet(rows, merges)
