"""`qingdan export xlsx`: the workbook opened with openpyxl, as a reviewer's spreadsheet program would read it."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import CATALOGUE

from compiler.cli import main

CITY_SHEETS = ["福州市（示例）", "龙岩市（示例）", "南平市（示例）", "宁德市（示例）", "平潭综合实验区（示例）",
               "莆田市（示例）", "泉州市（示例）", "三明市（示例）", "厦门市（示例）", "漳州市（示例）"]
HEADER_ROW = 3  # of the matrix sheet, under the title and the legend


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "matrix.xlsx"
    assert main(["export", "xlsx", str(CATALOGUE), "--out", str(out), "--as-of", "2026-11-29"]) == 0
    return out


@pytest.fixture(scope="module")
def book(exported) -> openpyxl.Workbook:
    return openpyxl.load_workbook(exported)


def _matrix(book) -> dict[tuple[str, str], object]:
    """The matrix sheet as {(list key, column header's first line): cell}."""
    ws = book["合规矩阵"]
    heads = [str(c.value).split("\n")[0] for c in ws[HEADER_ROW]]
    return {(row[0].value, heads[k]): cell for row in ws.iter_rows(min_row=HEADER_ROW + 1) for k, cell in enumerate(row)}


def test_sheets(book):
    """The matrix comes first, then the provincial list, every city, then the county, each sample marked 示例."""
    assert book.sheetnames == ["合规矩阵", "福建省", *CITY_SHEETS, "闽侯县（示例）", "版本变化", "审核意见"]


def test_matrix_cells_of_the_samples(book):
    """Known samples: putian misses s09; sanming weakened on s01 and s11; quanzhou on s02 and s05; zhangzhou on s12."""
    cells = _matrix(book)
    expected = {("putian@1", "s09"): "缺失", ("sanming@1", "s01"): "被削弱", ("sanming@1", "s11"): "被削弱",
                ("quanzhou@1", "s02"): "被削弱", ("quanzhou@1", "s05"): "被削弱", ("zhangzhou@1", "s12"): "被削弱"}
    items = [f"s{n:02d}" for n in range(1, 21)]
    for key in ("fuzhou@1", "putian@1", "sanming@1", "quanzhou@1", "zhangzhou@1"):
        for item in items:
            assert cells[(key, item)].value == expected.get((key, item), "已覆盖"), (key, item)
    assert cells[("fuzhou@1", "本地新增")].value == 2 and cells[("fuzhou@1", "符合底线")].value == "是"
    assert cells[("putian@1", "符合底线")].value == "否"
    assert cells[("nanping@1", "备案")].value.startswith("逾期备案")
    assert cells[("fuzhou@1", "辖区")].value == "福州市（示例）"


def test_weakened_cells_explain_themselves(book):
    """A weakened or missing cell has a comment naming the finding and its file:line:column; a covered one has none."""
    cells = _matrix(book)
    note = cells[("zhangzhou@1", "s12")].comment.text
    assert "QD305" in note and "cities/zhangzhou.yaml:" in note and "免费教育年限" in note
    assert "QD301" in cells[("putian@1", "s09")].comment.text
    assert cells[("fuzhou@1", "s01")].comment is None
    assert cells[("putian@1", "s09")].fill.fgColor.rgb.endswith("FFC7CE")


def test_matrix_layout(book):
    """Styled header, header rows and list columns frozen, wide enough columns, the as-of date in the title."""
    ws = book["合规矩阵"]
    assert ws.freeze_panes == "D4"
    assert "2026-11-29" in ws["A1"].value and "示例" in ws["A2"].value
    header = ws.cell(HEADER_ROW, 4)
    assert header.value == "s01\n健康和托育(3岁以下)服务"
    assert header.font.b and header.alignment.wrap_text and header.fill.fgColor.rgb.endswith("1F4E78")
    assert ws.column_dimensions["A"].width >= 12 and ws.column_dimensions["D"].width >= 10


def test_list_sheet_is_the_official_table(book):
    """A city sheet: title, sample banner, header, then one row per provision with its item merged above it."""
    ws = book["福州市（示例）"]
    assert ws["A1"].value == "福州市流动儿童在居住地享有关爱服务清单（示例）"
    assert ws["A2"].value.startswith("示例数据") and ws["A2"].font.color.rgb.endswith("C00000")
    assert [c.value for c in ws[4]] == ["分组", "序号", "服务对象", "服务项目", "服务内容", "责任部门", "承诺程度", "落实底线条款"]
    assert ws.freeze_panes == "A5"
    assert [c.value for c in ws[5]] == ["幼有所育", 1, "0-6岁流动儿童", "健康和托育(3岁以下)服务",
                                         "按照国家基本公共卫生服务规范为辖区内的常住0-6岁儿童提供健康管理服务",
                                         "市卫健委、市疾控局", "保障", "s01-1"]
    assert [c.value for c in ws[9]][4:] == ["有条件的地方就近提供托育服务", None, "有条件", "s01-5"]
    assert "C5:C9" in {str(r) for r in ws.merged_cells.ranges}
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert any(r[7] == "本地新增" for r in rows)
    assert ws["E5"].alignment.wrap_text and ws.column_dimensions["E"].width >= 40


def test_provincial_sheet_uses_the_source_row_numbers(book):
    """The provincial list is not a sample: no banner, and 序号 is the row of the source table."""
    ws = book["福建省"]
    assert not str(ws["A2"].value).startswith("示例数据")
    numbers = [row[1].value for row in ws.iter_rows(min_row=4) if row[1].value is not None]
    assert numbers == list(range(1, 21))


def test_reproducible(exported, tmp_path):
    """The same catalogue and date give the same bytes; every date inside is the as-of date."""
    again = tmp_path / "again.xlsx"
    assert main(["export", "xlsx", str(CATALOGUE), "--out", str(again), "--as-of", "2026-11-29"]) == 0
    assert again.read_bytes() == exported.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 29, 0, 0, 0)}
    props = openpyxl.load_workbook(again, read_only=True).properties
    assert props.created == props.modified == dt.datetime(2026, 11, 29)


def test_english(tmp_path, capsys):
    """--lang en names sheets and headers in English; the policy text stays as written."""
    out = tmp_path / "en.xlsx"
    assert main(["export", "xlsx", str(CATALOGUE), "--out", str(out), "--as-of", "2026-11-29", "--lang", "en"]) == 0
    assert "wrote" in capsys.readouterr().out
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames[0] == "Compliance matrix" and book.sheetnames[2] == "福州市（sample）"
    rows = {row[0]: row for row in book["Compliance matrix"].iter_rows(min_row=4, values_only=True)}
    assert rows["putian@1"][3 + 9 - 1] == "missing" and rows["fuzhou@1"][3] == "covered"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "{tmp}/m.xls"], ".xlsx"),
        (["--out", "{tmp}/missing/m.xlsx"], "不存在"),
        (["--out", "{tmp}"], "文件夹"),
        (["{tmp}", "--out", "{tmp}/m.xlsx"], "departments.yaml"),
        ([], "--out"),
        (["--out", "{tmp}/m.xlsx", "--as-of", "明天"], "日期"),
    ],
)
def test_failures(args, message, tmp_path, capsys):
    """Bad output paths, a folder that is not a catalogue, a missing --out: exit 2, a Chinese message, no file."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if not args or args[0].startswith("--"):
        args = [str(CATALOGUE), *args]
    assert main(["export", "xlsx", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "qingdan" in err and "内部错误" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_the_previous_file(tmp_path, capsys):
    """The workbook is written atomically: when the export fails, an existing file keeps its content."""
    out = tmp_path / "m.xlsx"
    out.write_bytes(b"previous")
    assert main(["export", "xlsx", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert out.read_bytes() == b"previous"
