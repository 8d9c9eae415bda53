"""Every PDF the build makes is PDF/A-2a and PDF/UA-1 in substance, checked with pikepdf (no
validator runs offline): output intent, document id, XMP identification, one structure tree with
no orphaned content, one Table per table, cells tied to their real headers, an IDTree for every
id, Figures with alternative text, described links, bookmarks; the official edition holds every
source cell word for word; rendered pages go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT
from pikepdf import Array, Dictionary, Name
from seed_table import seed_rows

ARTIFACTS = ROOT / "test-artifacts"


def kids(element: Dictionary) -> list:
    k = element.get("/K")
    return [] if k is None else (list(k) if isinstance(k, Array) else [k])


def walk(element: Dictionary):
    yield element
    for kid in kids(element):
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield from walk(kid)


def text_of(element: Dictionary, page_text: dict) -> str:
    """The text under a structure element (MCIDs looked up in `page_text`)."""
    out = []
    for e in walk(element):
        for kid in kids(e):
            if isinstance(kid, int):
                out.append(page_text.get((e.Pg.objgen, kid), ""))
    return "".join(out)


def marked_text(pdf: pikepdf.Pdf) -> dict:
    """(page, MCID) → the text shown inside that marked-content sequence."""
    found = {}
    for page in pdf.pages:
        stack: list = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                mcid = operands[1].get("/MCID") if op == "BDC" and isinstance(operands[1], Dictionary) else None
                stack.append(None if mcid is None else int(mcid))
            elif op == "EMC" and stack:
                stack.pop()
            elif op in ("Tj", "TJ") and stack and stack[-1] is not None:
                found.setdefault((page.obj.objgen, stack[-1]), "")
                found[(page.obj.objgen, stack[-1])] += "x"  # glyph ids, not text: presence is what counts
    return found


@pytest.fixture(scope="module")
def pdfs(built_site: Path) -> list[Path]:
    found = sorted((built_site / "pdf").glob("*.pdf"))
    assert len(found) >= 3 * 12 + 1
    return found


def test_every_pdf_is_pdfa_and_pdfua(pdfs):
    """Output intent (sRGB, GTS_PDFA1), a trailer id, XMP saying PDF/A-2a and PDF/UA-1, a document id, tagged, titled."""
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            intents = pdf.Root.OutputIntents
            assert intents[0].S == Name("/GTS_PDFA1") and "/DestOutputProfile" in intents[0], path.name
            assert len(pdf.trailer.ID) == 2, path.name
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "A"), path.name
            assert meta.get("pdfuaid:part") == "1", path.name
            assert str(meta.get("xmpMM:DocumentID", "")).startswith("uuid:"), path.name
            assert meta.get("dc:title"), path.name
            assert pdf.Root.MarkInfo.Marked is True and pdf.Root.ViewerPreferences.DisplayDocTitle is True
            assert str(pdf.Root.Lang), path.name


def test_no_content_outside_the_tree(pdfs):
    """Every parent-tree entry is an element of the tree: page numbers and running notices are artifacts."""
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            root = pdf.Root.StructTreeRoot
            reachable = {e.objgen for e in walk(root.K[0])}
            nums = root.ParentTree.Nums
            for k in range(1, len(nums), 2):
                owners = nums[k] if isinstance(nums[k], Array) else [nums[k]]
                for owner in owners:
                    assert owner is None or owner.objgen in reachable, path.name
            artifacts = sum(str(op) == "BDC" and operands[0] == Name.Artifact
                            for page in pdf.pages for operands, op in pikepdf.parse_content_stream(page))
            if path.name.endswith("-1.pdf") or path.name == "report.pdf":  # editions and report number their pages
                assert artifacts >= len(pdf.pages), path.name


def test_one_table_per_table_and_an_id_tree(pdfs):
    """An edition is one Table (with one THead) however many pages it runs over; every id is in the IDTree."""
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            root = pdf.Root.StructTreeRoot
            elements = list(walk(root.K[0]))
            tables = [e for e in elements if e.S == Name.Table]
            if re.fullmatch(r"[a-z]+-\d+\.pdf", path.name):
                assert len(tables) == 1, path.name
                assert sum(k.S == Name.THead for k in kids(tables[0]) if isinstance(k, Dictionary)) == 1
            if path.name == "report.pdf":
                assert len(tables) == 4  # matrix, deadlines, errata, review records
            ids = {str(e.ID) for e in elements if "/ID" in e}
            if ids:
                names = root.IDTree.Names
                assert {str(names[k]) for k in range(0, len(names), 2)} == ids, path.name


def test_cells_point_at_their_real_column_headers(built_site):
    """In the provincial edition every 服务项目 / 服务内容 / 责任部门 cell, merged rows included, names its own column."""
    with pikepdf.open(built_site / "pdf" / "fujian-1.pdf") as pdf:
        elements = list(walk(pdf.Root.StructTreeRoot.K[0]))
        ids = {str(e.ID): e for e in elements if "/ID" in e}
        table = next(e for e in elements if e.S == Name.Table)
        head = next(k for k in kids(table) if isinstance(k, Dictionary) and k.S == Name.THead)
        heads = [c for c in walk(head) if c.S == Name.TH]
        column_of = {str(c.ID): n for n, c in enumerate(heads)}  # 服务对象, 服务项目, 服务内容, 责任部门
        rows = [r for r in walk(table) if r.S == Name.TR][1:]
        assert len(rows) == 20
        for row in rows:
            cells = [c for c in kids(row) if isinstance(c, Dictionary) and c.S == Name.TD]
            columns = [[column_of[str(h)] for h in c.A.Headers if str(h) in column_of] for c in cells]
            # the last three data cells of every row are 服务项目, 服务内容, 责任部门
            assert columns[-3:] == [[1], [2], [3]], columns
            row_heads = [str(h) for c in cells for h in c.A.Headers if str(h) not in column_of]
            assert row_heads and all(ids[h].A.Scope == Name.Row for h in row_heads)  # the group, a rowgroup header
        assert all(c.A.Scope == Name.Column for c in heads)


def test_figures_have_alt_text_links_are_described_and_groups_bookmarked(built_site):
    """A poster with a QR code has a Figure with /Alt; every link annotation has /Contents; the edition bookmarks each group."""
    # the shared build has a --base-url: its posters carry QR codes
    for path in sorted((built_site / "pdf").glob("*-poster.pdf")):
        with pikepdf.open(path) as pdf:
            figures = [e for e in walk(pdf.Root.StructTreeRoot.K[0]) if e.S == Name.Figure]
            assert figures and all(str(f.get("/Alt", "")).startswith("二维码") for f in figures), path.name
            links = [a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == Name.Link]
            assert links and all(str(a.Contents) for a in links), path.name
    with pikepdf.open(built_site / "pdf" / "fujian-1.pdf") as pdf:
        with pdf.open_outline() as outline:
            top = outline.root
            assert [o.title for o in top[0].children] == ["幼有所育", "学有所教", "病有所医", "住有所居", "弱有所扶", "发展保障"]


def test_provincial_edition_holds_every_source_cell_verbatim(built_site):
    """pdftotext of the provincial edition, whitespace removed, contains each 服务内容 cell of the source with its ; and ,."""
    raw = subprocess.run(["pdftotext", "-raw", str(built_site / "pdf" / "fujian-1.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", "", raw)
    for row in seed_rows():
        assert re.sub(r"\s+", "", row.content) in text, f"row {row.number}"
        assert row.service in text and row.departments in text
    assert "附件" in text and "《福建省加强流动儿童关爱保护行动实施方案》" in text
    assert "（此件主动公开）" in text and "注1" in text and "新华书店“见书香,点亮梦想”读书角" in text


def test_edition_uses_the_gongwen_faces_and_page(built_site):
    """仿宋 and 黑体 (Fandol) are embedded where installed; the page is A4 with the 公文 margins (text block 156 mm wide)."""
    from compiler.publish.render.gongwen_fonts import fandol_files

    fonts = subprocess.run(["pdffonts", str(built_site / "pdf" / "fujian-1.pdf")], capture_output=True, text=True).stdout
    if fandol_files():
        assert "FandolFang" in fonts and "FandolHei" in fonts
    assert "Noto-Serif-CJK-SC-Bold" in fonts  # the title's heavy serif
    for page in (1, 2):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(built_site / "pdf" / "fujian-1.pdf"), "-"],
                              capture_output=True, text=True).stdout
        assert f"—{page}—" in re.sub(r"\s+", "", text)


def test_posters_carry_no_developer_message_and_a_contact(warm_cache, tmp_path):
    """Without --base-url a poster has no QR code and no message to its maker; every poster names whom to ask."""
    from conftest import AS_OF, CATALOGUE, qingdan_cli

    out = tmp_path / "public"
    # The shared build's cache holds the editions: only the posters (without a QR code) are rendered.
    done = qingdan_cli("build", str(CATALOGUE), "--out", str(out), "--as-of", AS_OF.isoformat(),
                       env={**os.environ, "QINGDAN_CACHE": str(warm_cache)})
    assert done.returncode == 0, done.stderr
    for path in sorted((out / "pdf").glob("*-poster*.pdf")):
        raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        text = re.sub(r"\s+", "", raw)
        assert "base-url" not in text and "网址未设置" not in text, path.name
        assert "12345" in text and "谁可以享受" in text, path.name
        with pikepdf.open(path) as pdf:
            assert not [e for e in walk(pdf.Root.StructTreeRoot.K[0]) if e.S == Name.Figure]
    a3 = subprocess.run(["pdfinfo", str(out / "pdf" / "fujian-1-poster-a3.pdf")], capture_output=True, text=True).stdout
    assert "(A3)" in a3
    for path in sorted((out / "docx").glob("*.docx")):
        assert path.stat().st_size > 0


def test_rendered_pages_for_people(built_site):
    """Page images of the provincial edition, a city edition, a poster and the report go to test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("fujian-1", "fuzhou-1", "fuzhou-1-poster", "report"):
        for old in ARTIFACTS.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(built_site / "pdf" / f"{name}.pdf"), str(ARTIFACTS / name)],
                       check=True)
        assert list(ARTIFACTS.glob(f"{name}-*.png")), name
    assert shutil.which("pdftoppm")
