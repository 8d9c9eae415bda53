"""The Word edition of every bundled list, read back with python-docx: same texts, same merges, 公文 page."""

from __future__ import annotations

import re
from io import BytesIO

import docx
import pytest
from conftest import AS_OF, CATALOGUE
from docx.oxml.ns import qn

from compiler.checks import pipeline
from compiler.publish.render.docx import content_paragraphs, edition_docx
from compiler.publish.views import published

VIEWS = published(pipeline.check([CATALOGUE], AS_OF))


def unique_cells(row) -> list:
    """A row's cells with horizontally merged repeats removed (python-docx repeats a merged cell)."""
    out = []
    for cell in row.cells:
        if not out or cell._tc is not out[-1]._tc:
            out.append(cell)
    return out


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.id)
def test_export_then_read_gives_back_every_text(view):
    """Every 服务项目, 服务内容 (word for word, separators included), 服务对象 and 责任部门 come back from the .docx."""
    document = docx.Document(BytesIO(edition_docx(view)))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["类别", "序号", "服务对象", "服务项目", "服务内容", "责任部门"]
    rows = table.rows[1:]
    assert len(rows) == len(view.items)
    for row, item in zip(rows, view.items):
        cells = row.cells
        assert cells[1].text == str(item.number)
        assert cells[2].text == item.target  # a merged cell reads the same text in every row it spans
        assert cells[3].text == item.service
        assert re.sub(r"〔注\d+〕$", "", cells[4].text) == "\n".join(content_paragraphs(item))
        assert re.sub(r"〔注\d+〕$", "", cells[4].text).replace("\n", "") == item.content  # word for word
        assert cells[5].text == "、".join(d.id for d in item.departments)
    groups = [rows[sum(len(g.items) for g in view.groups[:k])].cells[0].text for k in range(len(view.groups))]
    assert groups == [g.name for g in view.groups]


def test_cells_are_merged_as_in_the_source():
    """In the provincial edition the 类别 cell spans its group and rows 16-20 share one 服务对象 cell."""
    view = next(v for v in VIEWS if v.id == "fujian")
    table = docx.Document(BytesIO(edition_docx(view))).tables[0]
    targets = [r.cells[2]._tc for r in table.rows[16:21]]
    assert len(set(map(id, targets))) == 1
    assert table.rows[1].cells[0]._tc is table.rows[2].cells[0]._tc  # 幼有所育 over rows 1-2
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header row repeats


def test_page_and_fonts_follow_the_gongwen_form():
    """A4, 37 mm top, 28 mm binding side, 156 mm text width; runs name their East Asian font; page numbers are fields."""
    view = next(v for v in VIEWS if v.id == "fujian")
    document = docx.Document(BytesIO(edition_docx(view)))
    s = document.sections[0]
    measured = [round(x.mm, 1) for x in (s.page_width, s.page_height, s.top_margin, s.left_margin)]
    assert measured == [210, 297, 37, 28]  # Word stores twentieths of a point
    assert abs(s.page_width.mm - s.left_margin.mm - s.right_margin.mm - 156) < 0.1
    assert document.settings.element.find(qn("w:mirrorMargins")) is not None
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for r in p.runs}
    assert {"黑体", "仿宋_GB2312", "方正小标宋简体"} <= fonts
    assert " PAGE " in s.footer._element.xml and " PAGE " in s.even_page_footer._element.xml
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "附件" and "（此件主动公开）" in texts and "2025年1月9日" in texts


def test_a_draft_says_so_on_every_page_and_has_no_issue_line():
    """A draft's Word edition has 草稿 in the header of odd and even pages, and no 印发 date or edition line."""
    import dataclasses

    view = dataclasses.replace(next(v for v in VIEWS if v.id == "fuzhou"), draft=True)
    document = docx.Document(BytesIO(edition_docx(view)))
    s = document.sections[0]
    assert "草稿" in s.header.paragraphs[0].text and "草稿" in s.even_page_header.paragraphs[0].text
    texts = [p.text for p in document.paragraphs]
    assert not any(t.startswith("第") and t.endswith("版") for t in texts)
    assert "2025年" not in "".join(texts[-3:])


SEPARATORS = re.compile(r"[;,；，\s]|〔注\d+〕")  # and the edition's own note marks (errata)


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.id)
def test_export_then_qingdan_import_gives_back_the_same_texts(view, tmp_path):
    """The Word edition imported with `qingdan import` gives back every group, 服务对象, 服务项目, 责任部门
    and the 服务内容 text (the importer splits a cell into provisions at its own places, so the texts are
    compared with the separators taken out)."""
    import shutil

    from conftest import qingdan_cli
    from ruamel.yaml import YAML

    catalogue = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, catalogue)
    source = tmp_path / f"{view.id}.docx"
    source.write_bytes(edition_docx(view))
    out = catalogue / "imported" / f"{view.id}x.yaml"
    out.parent.mkdir()
    args = ["import", str(source), str(catalogue), "--out", str(out), "--id", f"{view.id}x",
            "--jurisdiction", view.jurisdiction, "--level", view.level]
    if view.floor:
        args += ["--floor", view.floor.key]
    done = qingdan_cli(*args)
    assert out.is_file(), done.stderr
    data = YAML(typ="safe").load(out.read_text(encoding="utf-8"))
    # A list imported on a sample floor is itself marked a sample: the importer adds （示例） even to a
    # title that has it (noted for `import`); the title's own words come back.
    assert re.sub(r"(（示例）)+$", "", data["title"]) == re.sub(r"（示例）$", "", view.title)
    assert [g["name"] for g in data["groups"]] == [g.name for g in view.groups]
    items = [i for g in data["groups"] for i in g["items"]]
    assert len(items) == len(view.items)
    for got, item in zip(items, view.items):
        assert got["service"] == item.service and got["target"]["text"] == item.target
        assert SEPARATORS.sub("", "".join(p["text"] for p in got["provisions"])) == SEPARATORS.sub("", item.content)
        assert got["departments"] == [d.id for d in item.departments]


CLAIM = "覆盖范围和实现程度不低于该清单"


@pytest.mark.parametrize("view", [v for v in VIEWS if v.floor], ids=lambda v: v.id)
def test_the_edition_says_the_list_covers_its_floor_only_where_the_check_confirms_it(view):
    """Under the title the edition names the floor; that the list covers at least it is said only of
    a list the check confirms (no error, no floor item weakened or missing): putian lacks a service."""
    paragraphs = [p.text for p in docx.Document(BytesIO(edition_docx(view))).paragraphs]
    named = [p for p in paragraphs if f"本清单依据《{view.floor.title}》制定" in p]
    assert len(named) == 1
    assert (CLAIM in named[0]) is view.standing.confirmed
    assert any(v.floor and not v.standing.confirmed for v in VIEWS) and any(v.floor and v.standing.confirmed for v in VIEWS)
