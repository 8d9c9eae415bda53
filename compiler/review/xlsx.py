"""The spreadsheet export: the compliance matrix on one sheet, then one sheet per list.

Built from a finished `CheckResult` and its `Matrix`; nothing here decides compliance. The
workbook is reproducible: its created/modified properties and every zip entry carry the as-of
date, so the same catalogue and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.domain.corpus import ListEntry
from compiler.output.atomic import write_bytes
from compiler.output.text import describe_status
from compiler.review.matrix import Matrix, Row, Status

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_STATUS_FILL = {Status.covered: "C6EFCE", Status.weakened: "FFEB9C", Status.deviation: "DDEBF7",
                Status.accepted: "E2EFDA", Status.missing: "FFC7CE", Status.absent: "EDEDED"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _styles() -> list[NamedStyle]:
    """The workbook's named styles: setting one by name is far cheaper than setting font, fill and border per cell."""
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    styles = [
        NamedStyle("qd-header", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="1F4E78"),
                   alignment=centre, border=_BORDER),
        NamedStyle("qd-body", alignment=Alignment(wrap_text=True, vertical="top"), border=_BORDER),
        NamedStyle("qd-title", font=Font(bold=True, size=13), alignment=Alignment(wrap_text=True, vertical="center")),
        NamedStyle("qd-note", alignment=Alignment(wrap_text=True, vertical="center")),
        NamedStyle("qd-sample", font=Font(bold=True, color="C00000"), fill=PatternFill("solid", fgColor="FCE4D6"),
                   alignment=Alignment(wrap_text=True, vertical="center")),
    ]
    styles += [NamedStyle(f"qd-{s.value}", fill=PatternFill("solid", fgColor=colour), alignment=centre, border=_BORDER)
               for s, colour in _STATUS_FILL.items()]
    return styles


TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "matrix": "合规矩阵", "title": "关爱服务清单合规矩阵（截至 {as_of}）",
        "legend": "已覆盖：落实了底线服务项的全部条款；被削弱：全部落实，但范围、承诺、标准或责任部门低于底线；"
                  "偏离待审：声明了有正当理由的偏离，待审核；偏离已认可：审核人员已认可该偏离（审核记录在 catalogue/reviews/）；"
                  "缺失：有底线条款无人落实；—：该清单所依底线版本没有此项。县级清单按所在设区市的清单核查，列按同一编号对照。单元格批注列出相关诊断。"
                  "标“示例”的清单是示例数据，不是真实政策。",
        "list": "清单", "jurisdiction": "辖区", "floor": "底线", "additions": "本地新增", "compliant": "符合底线",
        "filing": "备案", "renewal": "更新", "yes": "是", "no": "否", "sample": "示例",
        "accepted": "（偏离已认可 {count} 处）",
        "sample_banner": "示例数据：本清单为演示 qingdan 的核查功能而编写，不是{jurisdiction}的真实政策。",
        "meta": "编号 {key} · 印发 {issued} · 底线 {floor} · 文件 {file}",
        "local": "本地新增", "none": "无", "edition": "第{edition}版",
    },
    "en": {
        "matrix": "Compliance matrix", "title": "Care-service lists: compliance matrix (as of {as_of})",
        "legend": "covered: every floor provision of the item is fulfilled; weakened: fulfilled, but scope, "
                  "commitment, standard or department is below the floor; missing: a floor provision is not "
                  "fulfilled; deviation (to review): a declared justified deviation awaits review; deviation accepted: "
                  "the reviewer accepted it (review records in catalogue/reviews/); —: the list's floor edition has no such item. "
                  "A county is checked against its city's list, compared by the same ids. Cell comments list the findings. "
                  "Lists marked 'sample' are sample data, not real policy.",
        "list": "list", "jurisdiction": "jurisdiction", "floor": "floor", "additions": "local additions",
        "compliant": "meets floor", "filing": "filing", "renewal": "renewal", "yes": "yes", "no": "no",
        "accepted": " (deviations accepted: {count})",
        "sample": "sample",
        "sample_banner": "SAMPLE DATA: written to demonstrate qingdan's checks; not the real policy of {jurisdiction}.",
        "meta": "list {key} · issued {issued} · floor {floor} · file {file}",
        "local": "local addition", "none": "none", "edition": "ed. {edition}",
    },
}
# The columns of a list's sheet, apart from TEXT so that every entry there is one string.
COLUMNS = {
    "zh": ["分组", "序号", "服务对象", "服务项目", "服务内容", "责任部门", "承诺程度", "落实底线条款"],
    "en": ["group", "no.", "target group", "service", "content", "departments", "commitment", "fulfils floor"],
}
_LIST_WIDTHS = [10, 6, 22, 22, 60, 22, 10, 16]


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for col, value in enumerate(values, 1):
        ws.cell(row, col, value).style = "qd-header"


def _banner(ws: Worksheet, row: int, text: str, width: int, style: str = "qd-note") -> None:
    """A full-width line above the table (title, legend, the sample warning)."""
    ws.cell(row, 1, text).style = style
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _jurisdiction(entry: ListEntry, lang: str) -> str:
    m = entry.model
    return f"{m.jurisdiction}（{TEXT[lang]['sample']}）" if m.sample else m.jurisdiction


def _matrix_sheet(ws: Worksheet, matrix: Matrix, as_of: dt.date, lang: str) -> None:
    L = TEXT[lang]
    head = [L["list"], L["jurisdiction"], L["floor"], *(f"{i.id}\n{i.service}" for i in matrix.floor_items),
            L["additions"], L["compliant"], L["filing"], L["renewal"]]
    _banner(ws, 1, L["title"].format(as_of=as_of.isoformat()), len(head), "qd-title")
    _banner(ws, 2, L["legend"], len(head))
    ws.row_dimensions[2].height = 48
    _header(ws, 3, head)
    ws.row_dimensions[3].height = 75
    for r, row in enumerate(matrix.rows, 4):
        _matrix_row(ws, r, row, matrix, lang)
    ws.freeze_panes = "D4"
    for col, width in enumerate([12, 16, 10, *([11] * len(matrix.floor_items)), 10, 10, 22, 22], 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _matrix_row(ws: Worksheet, r: int, row: Row, matrix: Matrix, lang: str) -> None:
    L = TEXT[lang]
    lr = row.result
    first = [lr.entry.key, _jurisdiction(lr.entry, lang), row.floor.key]
    verdict = (L["yes"] if lr.compliant else L["no"]) + (L["accepted"].format(count=lr.accepted) if lr.accepted else "")
    last = [row.additions, verdict,
            describe_status(lr.deadlines.filing, lang) + _filed(lr, lang), describe_status(lr.deadlines.renewal, lang)]
    for col, value in enumerate(first, 1):
        ws.cell(r, col, value).style = "qd-body"
    for col, item in enumerate(matrix.floor_items, len(first) + 1):
        c = matrix.cell(row.key, item.id)
        cell = ws.cell(r, col, c.status.label(lang))
        cell.style = f"qd-{c.status.value}"
        if c.findings:
            note = "\n".join(f"{d.code} {d.location}\n{d.message(lang)}" for d in c.findings)
            cell.comment = Comment(note, "qingdan", width=420, height=160)
    for col, tail in enumerate(last, len(first) + len(matrix.floor_items) + 1):
        ws.cell(r, col, tail).style = "qd-body"


def _filed(lr: ListResult, lang: str) -> str:
    """The day the list was filed, beside its filing due date (nothing before it is filed)."""
    filed = lr.entry.model.filed
    if lr.deadlines.filing is None or filed is None:
        return ""
    return f"，{filed} 备案" if lang == "zh" else f", filed {filed}"


def _list_sheet(ws: Worksheet, result: CheckResult, checked: ListResult, lang: str) -> None:
    entry = checked.entry
    L, m = TEXT[lang], entry.model
    width = len(COLUMNS[lang])
    _banner(ws, 1, m.title, width, "qd-title")
    r = 2
    if m.sample:
        _banner(ws, r, L["sample_banner"].format(jurisdiction=m.jurisdiction), width, "qd-sample")
        r += 1
    _banner(ws, r, L["meta"].format(key=entry.key, issued=m.issued, floor=m.floor or L["none"], file=entry.doc.name), width)
    _header(ws, r + 1, COLUMNS[lang])
    ws.freeze_panes = ws.cell(r + 2, 1).coordinate
    against = checked.match
    fulfils = against.fulfils() if against else None
    r += 2
    number = 0
    for g, group in enumerate(m.groups):
        group_start = r
        for i, item in enumerate(group.items):
            number += 1
            item_start = r
            for p, provision in enumerate(item.provisions):
                path = ("groups", g, "items", i, "provisions", p)
                covers = "" if fulfils is None else "、".join(fulfils.get(path, [])) or L["local"]
                for col, value in ((5, provision.text), (7, provision.effective_commitment.value), (8, covers)):
                    ws.cell(r, col, value).style = "qd-body"
                r += 1
            values = {2: item.row or number, 3: item.target.text, 4: item.service, 6: "、".join(item.departments)}
            _merged(ws, item_start, r - 1, values)
        _merged(ws, group_start, r - 1, {1: group.name})
    for col, w in enumerate(_LIST_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(col)].width = w


def _merged(ws: Worksheet, first: int, last: int, values: dict[int, object]) -> None:
    """An item's (or group's) cells, merged over its provisions as in the official table.

    Merged before they are styled: openpyxl then has no borders to copy onto the hidden cells,
    which is most of the cost of a merge.
    """
    for col, value in values.items():
        ws.cell(first, col, value)
        if last > first:
            ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
        ws.cell(first, col).style = "qd-body"


def sheet_names(entries: list[ListEntry], lang: str) -> list[str]:
    """A unique, valid sheet name per list: the jurisdiction, 示例 for samples, the edition where needed."""
    names: list[str] = [TEXT[lang]["matrix"]]
    jurisdictions = [e.model.jurisdiction for e in entries]
    for entry in entries:
        name = _BAD_SHEET_CHARS.sub("_", _jurisdiction(entry, lang))
        if jurisdictions.count(entry.model.jurisdiction) > 1:
            name += " " + TEXT[lang]["edition"].format(edition=entry.model.edition)
        name = name[:31]
        base, n = name, 2
        while name in names:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names[1:]


def workbook(result: CheckResult, matrix: Matrix, lang: str = "zh") -> Workbook:
    """The whole workbook: the matrix first, then every checked list in the order of the check summary."""
    wb = Workbook()
    for style in _styles():
        wb.add_named_style(style)
    _matrix_sheet(wb.active, matrix, result.as_of, lang)
    wb.active.title = TEXT[lang]["matrix"]
    ordered = sorted(result.lists, key=lambda r: (r.entry.model.level.rank, r.entry.model.id, r.entry.model.edition))
    for checked, name in zip(ordered, sheet_names([r.entry for r in ordered], lang)):
        _list_sheet(wb.create_sheet(name), result, checked, lang)
    from compiler.review import history, notes  # the reviewer's sheets, after the lists

    history.write_sheet(wb.create_sheet(history.SHEET[lang]), result, lang)
    notes.write_sheet(wb.create_sheet(notes.SHEET[lang]), result, lang)
    _text_only(wb)
    return wb


def _text_only(wb: Workbook) -> None:
    """Every text cell stays text: openpyxl makes any string that starts with "=" a formula, so
    a list's "=HYPERLINK(…)" or "=cmd|…" would run in the reviewer's Excel. qingdan writes no
    formulas of its own, so there is nothing to tell apart."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _stamp(as_of: dt.date) -> tuple[int, int, int, int, int, int]:
    return (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)  # zip dates start in 1980


def to_bytes(wb: Workbook, as_of: dt.date) -> bytes:
    """The .xlsx bytes, with every date in it (properties, zip entries) set from `as_of`."""
    moment = dt.datetime.combine(as_of, dt.time())
    wb.properties.created = wb.properties.modified = moment
    wb.properties.creator = wb.properties.lastModifiedBy = "qingdan"
    raw = io.BytesIO()
    # ExcelWriter, not openpyxl.save_workbook: the latter stamps `modified` with the current time.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_stamp(as_of))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info))
    return fixed.getvalue()


def export(result: CheckResult, matrix: Matrix, out: Path, lang: str = "zh") -> None:
    """Write the workbook to `out` atomically: a failure leaves any previous file as it was."""
    write_bytes(out, to_bytes(workbook(result, matrix, lang), result.as_of))
