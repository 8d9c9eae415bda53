"""`qingdan import`: real .docx/.xlsx/.csv/.doc files made here, in the layouts bureaus use."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from import_tables import CATALOGUE, Sheet, city_sheet, provincial_sheet, write_docx, write_xlsx
from ruamel.yaml import YAML

from compiler.cli import main
from compiler.source.importers import convert
from compiler.source.importers.provisions import split

YAML_SAFE = YAML(typ="safe")


@pytest.fixture
def cities(tmp_path: Path) -> Path:
    """A catalogue with the provincial list and the registry, and no city lists."""
    root = tmp_path / "catalogue"
    (root / "province").mkdir(parents=True)
    shutil.copy(CATALOGUE / "departments.yaml", root)
    shutil.copy(CATALOGUE / "province" / "fujian.yaml", root / "province")
    return root


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """A catalogue with only the registry: where the provincial list is imported."""
    root = tmp_path / "empty"
    root.mkdir()
    shutil.copy(CATALOGUE / "departments.yaml", root)
    return root


def run(*args: str, capsys) -> tuple[int, str]:
    code = main(["import", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def items(path: Path) -> list[dict]:
    data = YAML_SAFE.load(path.read_text(encoding="utf-8"))
    return [item for group in data["groups"] for item in group["items"]]


def flat(path: Path) -> list[tuple]:
    data = YAML_SAFE.load(path.read_text(encoding="utf-8"))
    return [(g["name"], item.get("row"), item["target"]["text"], item["target"].get("merged_with_row"),
             item["service"], [p["text"] for p in item["provisions"]], item["departments"])
            for g in data["groups"] for item in g["items"]]


def test_provincial_attachment_docx_gives_back_the_list(tmp_path, empty, capsys):
    """The provincial attachment as a Word table with real merged cells imports as fujian.yaml's 20 items."""
    source = write_docx(provincial_sheet(), tmp_path / "附件.docx")
    code, out = run(str(source), str(empty), "--level", "province", "--id", "fujian", capsys=capsys)
    assert code == 0, out
    assert flat(empty / "province" / "fujian.yaml") == flat(CATALOGUE / "province" / "fujian.yaml")
    assert "第 1 个表格" in out and "20 项服务、52 条条款" in out


def test_provincial_attachment_xlsx_gives_back_the_list(tmp_path, empty, capsys):
    """The same table as an Excel sheet with merged ranges, a title row and an 附件 row above it."""
    source = write_xlsx(provincial_sheet(), tmp_path / "附件.xlsx", extra_sheets={"说明": Sheet([["填表说明"]])})
    code, out = run(str(source), str(empty), "--level", "province", "--id", "fujian", capsys=capsys)
    assert code == 0, out
    assert flat(empty / "province" / "fujian.yaml") == flat(CATALOGUE / "province" / "fujian.yaml")
    assert "工作表“清单”" in out


def _city(path: Path) -> dict[str, list]:
    """Each provision's text -> its covers, for the city list."""
    return {p["text"]: p.get("covers", []) for item in items(path) for p in item["provisions"]}


def test_city_list_in_its_own_words(tmp_path, cities, capsys):
    """Own wording, a combined sentence, two sentences for one, a weakened duty, a local service,
    a missing floor provision: the covers chosen, the uncovered and the weakened are as a reviewer would say."""
    source = write_docx(city_sheet(), tmp_path / "福州市清单.docx")
    code, out = run(str(source), str(cities), capsys=capsys)
    written = cities / "cities" / "fuzhou.yaml"
    covers = _city(written)
    assert covers["免除学杂费，免费提供教科书"] == ["s03-2", "s03-3"] or sorted(covers["免除学杂费，免费提供教科书"]) == ["s03-2", "s03-3"]
    assert covers["提供家庭医生签约服务"] == ["s06-1"] and covers["提供基本医疗服务、基本公共卫生服务"] == ["s06-1"]
    assert covers["按照国家基本公共卫生服务规范，为辖区常住0-6岁儿童提供健康管理服务"] == ["s01-1"]
    assert covers["在社区开设四点半课堂，放学后免费托管看护"] == []
    assert covers["有条件的地方为纳入资助对象学生提供生活补助"] == ["s03-4"]
    text = written.read_text(encoding="utf-8")
    assert "# 本地新增" in text
    assert code == 1  # the city leaves out floor provisions: check's errors
    assert "QD301" in out and "s01-3" in out  # newborn screening: covered by nothing
    uncovered = [line for line in out.splitlines() if "QD301" in line]
    assert not any("s03-" in line or "s02-" in line or "s06-1" in line for line in uncovered)
    # No commitment field is written: the text reading stands in, and finds the one hedged duty.
    assert "commitment:" not in text
    weakened = [line for line in out.splitlines() if "QD320" in line or "QD304" in line]
    assert len(weakened) == 1 and "s03-4" in weakened[0] and "有条件的地方" in weakened[0]
    assert "QD711" in out and "QD714" in out  # the local service; the note row under the table
    assert [i["departments"] for i in items(written)][0] == ["市卫健委", "市疾控局"]
    assert [i["departments"] for i in items(written)][-1] == ["团市委", "市妇联"]


def test_uncertain_covers_are_marked_and_named(tmp_path, cities, capsys):
    """A sentence that shares only part of a floor duty is written with # 待核对 and a QD710 naming candidates."""
    source = write_docx(city_sheet(), tmp_path / "福州市清单.docx")
    code, out = run(str(source), str(cities), capsys=capsys)
    text = (cities / "cities" / "fuzhou.yaml").read_text(encoding="utf-8")
    marked = [n for n, s in enumerate(text.splitlines(), 1) if "待核对：候选" in s]
    assert len(marked) == 1  # only the vague "对家庭困难学生给予资助"
    line = marked[0]
    assert text.splitlines()[line - 2].strip() == "text: 对家庭困难学生给予资助"
    assert f"fuzhou.yaml:{line}:13: 警告 QD710" in out
    candidates = re.findall(r"s\d\d-\d", text.splitlines()[line - 1].split("#")[1])
    assert len(candidates) >= 2 and all(c in out for c in candidates)


def test_every_character_of_the_cells_is_kept(tmp_path, cities, capsys):
    """The written provisions, joined with what was removed (only numbering, separators, spaces),
    give every 服务内容 cell back; 服务对象 and 服务项目 are written as the table has them."""
    import re

    source = write_docx(city_sheet(), tmp_path / "c.docx")
    run(str(source), str(cities), capsys=capsys)
    written = items(cities / "cities" / "fuzhou.yaml")
    cells = [row for row in city_sheet().rows if row[0].isdigit()]
    assert len(written) == len(cells)
    for item, row in zip(written, cells):
        assert (item["target"]["text"], item["service"]) == (row[1], row[2])
        parts = split(row[3])
        assert parts.joined() == row[3]
        assert [p["text"] for p in item["provisions"]] == list(parts.pieces)
        assert all(re.fullmatch(r"[\s；;①-⑳（）()一二三四五六七八九十\d.．、]*", glue) for glue in parts.glue)


@pytest.mark.parametrize("cell, pieces", [
    ("1.甲；2.乙", ["甲", "乙"]), ("1、甲\n2、乙", ["甲", "乙"]), ("①甲②乙③丙", ["甲", "乙", "丙"]),
    ("（一）甲；（二）乙", ["甲", "乙"]), ("甲;乙", ["甲", "乙"]), ("提供12年免费教育", ["提供12年免费教育"]),
    ("补贴1.5倍", ["补贴1.5倍"]), ("(1)甲 (2)乙", ["甲", "乙"]),
])
def test_content_split(cell, pieces):
    """Numbering and separators split a cell; numbers inside a duty do not."""
    assert list(split(cell).pieces) == pieces and split(cell).joined() == cell


def _layout_sheet() -> Sheet:
    """A merged 类别 column, columns in another order, other header words, vertically merged 服务对象."""
    header = ["责任单位", "服务项目", "编号", "类别", "服务对象", "服务标准"]
    rows = [["厦门市流动儿童关爱服务清单", "", "", "", "", ""], header,
            ["厦门市教育局", "学前教育", "1", "幼有所育", "3-6岁流动儿童", "符合条件的就近在普惠性幼儿园入园"],
            ["厦门市教育局", "学前资助", "2", "幼有所育", "3-6岁流动儿童", "资助家庭经济困难的儿童接受普惠性学前教育"],
            ["", "", "", "", "", ""],
            ["市卫生健康委员会", "卫生健康服务", "3", "病有所医", "流动儿童", "提供家庭医生签约服务、基本医疗服务、基本公共卫生服务"]]
    return Sheet(rows, [(0, 0, 0, 5), (2, 3, 3, 3), (2, 4, 3, 4)])


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_other_layouts(tmp_path, cities, capsys, fmt):
    """Header words and column order vary; merged 类别 and 服务对象 reach every row; a blank row is skipped."""
    sheet = _layout_sheet()
    if fmt == "docx":
        source = write_docx(sheet, tmp_path / "x.docx")
    elif fmt == "xlsx":
        source = write_xlsx(sheet, tmp_path / "x.xlsx")
    else:
        source = tmp_path / "x.csv"
        with source.open("w", encoding="utf-8-sig", newline="") as out:
            rows = [list(r) for r in sheet.rows]
            rows[3][3] = rows[3][4] = ""  # Excel's CSV keeps a merged cell's text in its first row only
            csv.writer(out).writerows(rows)
    code, out = run(str(source), str(cities), capsys=capsys)
    got = items(cities / "cities" / "xiamen.yaml")
    assert [i["target"]["text"] for i in got] == ["3-6岁流动儿童", "3-6岁流动儿童", "流动儿童"]
    assert [i["departments"] for i in got] == [["市教育局"], ["市教育局"], ["市卫健委"]]
    data = YAML_SAFE.load((cities / "cities" / "xiamen.yaml").read_text(encoding="utf-8"))
    assert [g["name"] for g in data["groups"]] == ["幼有所育", "病有所医"]
    assert [p.get("covers") for i in got for p in i["provisions"]] == [["s02-1"], ["s02-2"], ["s06-1"]]


def test_sheet_option_and_no_list_table(tmp_path, cities, capsys):
    """--sheet picks a sheet; a file without a list's header is refused with exit 2 and nothing written."""
    source = write_xlsx(_layout_sheet(), tmp_path / "x.xlsx", extra_sheets={"封面": Sheet([["封面"], ["服务项目"]])})
    code, out = run(str(source), str(cities), "--sheet", "封面", capsys=capsys)
    assert code == 2 and "找不到清单的表头" in out
    assert not (cities / "cities").exists()
    code, out = run(str(source), str(cities), "--sheet", "清单", capsys=capsys)
    assert code in (0, 1) and "工作表“清单”" in out


def test_refuses_to_overwrite(tmp_path, cities, capsys):
    """Like new: an existing file is never replaced; --out must be inside the catalogue."""
    source = write_docx(city_sheet(), tmp_path / "c.docx")
    run(str(source), str(cities), capsys=capsys)
    code, out = run(str(source), str(cities), "--id", "fuzhou2", "--out", str(cities / "cities" / "fuzhou.yaml"),
                    capsys=capsys)
    assert code == 2 and "已存在" in out
    code, out = run(str(source), str(cities), "--id", "fuzhou3", "--out", str(tmp_path / "x.yaml"), capsys=capsys)
    assert code == 2 and "--out" in out


def test_unmapped_department(tmp_path, cities, capsys):
    """A department the registry does not know is kept, marked and reported (QD712)."""
    sheet = _layout_sheet()
    sheet.rows[5][0] = "厦门市城市管理局"
    source = write_docx(sheet, tmp_path / "x.docx")
    code, out = run(str(source), str(cities), capsys=capsys)
    assert "QD712" in out and "厦门市城市管理局" in out


def _converted(source: Path, fmt: str) -> Path:
    """`source` saved as `fmt` by LibreOffice, as an office would have it."""
    folder = source.parent / fmt
    subprocess.run([convert.soffice(), f"-env:UserInstallation={(source.parent / 'profile').as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{fmt}"


def _import_both(tmp_path: Path, first: Path, second: Path, written: str, capsys) -> list[list[tuple]]:
    results = []
    for name, path in (("a", first), ("b", second)):
        root = tmp_path / name
        (root / "province").mkdir(parents=True)
        shutil.copy(CATALOGUE / "departments.yaml", root)
        shutil.copy(CATALOGUE / "province" / "fujian.yaml", root / "province")
        code, out = run(str(path), str(root), capsys=capsys)
        assert code in (0, 1), out
        results.append(flat(root / "cities" / written))
    return results


NO_SOFFICE = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"


@pytest.mark.skipif(convert.soffice() is None, reason=NO_SOFFICE)
def test_doc_converted_by_libreoffice_imports_the_same(tmp_path, capsys):
    """A .doc made by LibreOffice from the .docx imports exactly as the .docx does."""
    source = write_docx(city_sheet(), tmp_path / "清单.docx")
    first, second = _import_both(tmp_path, source, _converted(source, "doc"), "fuzhou.yaml", capsys)
    assert first == second and len(first) == 6


def test_missing_soffice_names_the_package(tmp_path, cities, capsys, monkeypatch):
    """Without LibreOffice a .doc is refused with the Debian package to install."""
    monkeypatch.setattr(convert, "soffice", lambda: None)
    (tmp_path / "a.doc").write_bytes(b"not really")
    code, out = run(str(tmp_path / "a.doc"), str(cities), capsys=capsys)
    assert code == 2 and "libreoffice-writer-nogui" in out


def test_unreadable_row_is_reported(tmp_path, cities, capsys):
    """A row with neither 服务项目 nor 服务内容 is not imported, and QD713 names it at its table row."""
    sheet = _layout_sheet()
    sheet.rows.append(["厦门市民政局", "", "", "弱有所扶", "困境流动儿童", ""])
    source = write_xlsx(sheet, tmp_path / "x.xlsx")
    code, out = run(str(source), str(cities), capsys=capsys)
    assert "x.xlsx:7:1: 警告 QD713" in out and "困境流动儿童" in out
    assert len(items(cities / "cities" / "xiamen.yaml")) == 3


@pytest.mark.skipif(convert.soffice() is None, reason=NO_SOFFICE)
def test_xls_converted_by_libreoffice_imports_the_same(tmp_path, capsys):
    """An .xls made by LibreOffice from the .xlsx (merged ranges and all) imports exactly as the .xlsx does."""
    source = write_xlsx(_layout_sheet(), tmp_path / "表.xlsx")
    first, second = _import_both(tmp_path, source, _converted(source, "xls"), "xiamen.yaml", capsys)
    assert first == second and len(first) == 3


@pytest.mark.parametrize("cell, ids", [
    ("福州市卫生健康委员会、福州市疾病预防控制局", ["市卫健委", "市疾控局"]),
    ("市卫生健康委员会，市教育局", ["市卫健委", "市教育局"]),
    ("市卫健委 市人力资源和社会保障局", ["市卫健委", "市人社局"]),
    ("共青团福州市委员会,福州市中级人民法院", ["团市委", "市中级法院"]),
])
def test_department_names_map_to_the_registry(cell, ids):
    """Full names, generic full names and short names, separated by 、，, or spaces, give the registry's ids."""
    from compiler.checks import pipeline
    from compiler.models import Level
    from compiler.models.departments import NameIndex

    registry = pipeline.load_corpus(CATALOGUE).departments
    index = NameIndex(list(registry.by_id.values()), Level.city, "fuzhou", "福州市")
    assert [index.lookup(name) for name in index.split(cell)] == ids
