"""The PDF edition and the poster, rendered for real and read back with poppler's tools."""

from __future__ import annotations

import dataclasses
import functools
import os
import pickle
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, ROOT
from pypdf import PdfReader

from compiler.checks import pipeline
from compiler.errors import BuildError
from compiler.publish.render.pdf import (
    ASSETS,
    AssetFetcher,
    edition_html,
    html_to_pdf,
    render_list_pdf,
    render_poster,
)
from compiler.publish.views import ListView, published

HEADER = ("服务对象", "服务项目", "服务内容", "责任部门")  # the source's header: 类别 and 序号 carry none
SAMPLE = "不是真实政策"
URL = "https://lists.example.org/lists/fuzhou/"
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="http://example.com/x">'


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@functools.cache
def text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text (one page, or all) in drawing order (-raw: a cell is not interleaved with its
    neighbours), whitespace removed: wrapped cells hold newlines."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return squash(subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout)


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def qr_codes(pdf: Path, tmp: Path) -> list[str]:
    """What zbarimg decodes from the first page rendered at 150 dpi."""
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp / "page")], check=True)
    found = subprocess.run(["zbarimg", "--raw", "-q", *map(str, sorted(tmp.glob("page*.png")))],
                           capture_output=True, text=True)
    return found.stdout.split()


@pytest.fixture(scope="module")
def result():
    return pipeline.check([CATALOGUE], AS_OF)


@pytest.fixture(scope="module")
def views(result) -> dict[str, ListView]:
    return {v.id: v for v in published(result)}


@pytest.fixture(scope="module")
def out(tmp_path_factory, views) -> Path:
    """The provincial and Fuzhou editions, a poster with and one without a QR code, rendered once."""
    folder = tmp_path_factory.mktemp("pdf")
    render_list_pdf(views["fujian"], folder / "fujian.pdf")
    render_list_pdf(views["fuzhou"], folder / "fuzhou.pdf")
    render_poster(views["fuzhou"], folder / "fuzhou-poster.pdf", URL)
    render_poster(views["fujian"], folder / "fujian-poster.pdf", None)
    return folder


def with_text(view: ListView, title: str, provision: str) -> ListView:
    """`view` with another title and first provision text (views are frozen dataclasses)."""
    group = view.groups[0]
    item = group.items[0]
    p = dataclasses.replace(item.provisions[0], text=provision)
    item = dataclasses.replace(item, provisions=(p, *item.provisions[1:]), service=item.service + SCRIPT)
    group = dataclasses.replace(group, items=(item, *group.items[1:]))
    return dataclasses.replace(view, title=title, groups=(group, *view.groups[1:]))


def test_edition_has_every_service_and_provision_of_the_provincial_list(out, result):
    """Every 服务项目 and every provision text of fujian.yaml is in the provincial PDF's text."""
    model = next(r.entry.model for r in result.lists if r.entry.model.id == "fujian")
    found = text(out / "fujian.pdf")
    wanted = [i.service for g in model.groups for i in g.items]
    wanted += [p.text for g in model.groups for i in g.items for p in i.provisions]
    assert len(wanted) > 60
    assert [w for w in wanted if squash(w) not in found] == []


def test_edition_heads_and_signs_as_an_attachment(out, views):
    """Page 1: 附件, the parent document and the title; the end: issuing body, date, edition and 公开属性; groups head their rows."""
    v = views["fujian"]
    first = text(out / "fujian.pdf", 1)
    assert first.startswith("附件《福建省加强流动儿童关爱保护行动实施方案》的附件" + squash(v.title))
    last = text(out / "fujian.pdf", page_count(out / "fujian.pdf"))
    assert last.endswith(squash(f"{v.issuer}2025年1月9日第1版（此件主动公开）") + "—4—")
    assert all(g.name in text(out / "fujian.pdf") for g in v.groups)


def test_the_edition_says_the_list_covers_its_floor_only_where_the_check_confirms_it(out, tmp_path, views):
    """Fuzhou is confirmed: its edition says it covers at least the provincial list. Putian lacks a
    floor service: its edition names the floor it was drawn up from and claims nothing more."""
    claim = squash("覆盖范围和实现程度不低于该清单")
    floor = squash(f"本清单依据《{views['fuzhou'].floor.title}》制定")
    assert views["fuzhou"].standing.confirmed and not views["putian"].standing.confirmed
    assert floor + "，" + claim in text(out / "fuzhou.pdf", 1)
    render_list_pdf(views["putian"], tmp_path / "putian.pdf")
    putian = text(tmp_path / "putian.pdf")
    assert floor + "。" in putian and claim not in putian


def test_document_number_is_printed_when_there_is_one(tmp_path, views):
    """A list with a 文号 shows it under the issuing body; lists without one show none."""
    numbered = dataclasses.replace(views["fuzhou"], document_number="榕民〔2025〕12号")
    render_list_pdf(numbered, tmp_path / "n.pdf")
    assert "第1版榕民〔2025〕12号" in text(tmp_path / "n.pdf")
    assert "〔" not in edition_html(views["fuzhou"], "Noto Serif CJK SC")


def test_fonts_are_embedded_and_chinese(out):
    """pdffonts: every font is embedded; the edition's title is a CJK serif (its text 仿宋, see test_pdf_archival), the poster a CJK sans."""
    for name, style in (("fujian.pdf", "Serif"), ("fuzhou-poster.pdf", "Sans")):
        lines = subprocess.run(["pdffonts", str(out / name)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert lines
        for line in lines:
            fields = line.split()
            assert fields[-5] == "yes", line  # emb
        assert any(f"{style}-CJK" in line for line in lines), lines


def test_pages_are_a4(out):
    """Every page of every PDF is A4 (pdfinfo)."""
    for pdf in out.glob("*.pdf"):
        n = page_count(pdf)
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(n), str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        sizes = re.findall(r"Page\s+\d+ size:\s+(.*)", info)
        assert len(sizes) == n and all(s == "595.276 x 841.89 pts (A4)" for s in sizes), (pdf.name, sizes)


def test_metadata_title_language_tags_and_dates(out, views):
    """The PDF has the list's title, language zh-CN, structure tags, and dates fixed to the issue date."""
    reader = PdfReader(out / "fuzhou.pdf")
    root = reader.trailer["/Root"]
    assert reader.metadata.title == views["fuzhou"].title
    assert root["/Lang"] == "zh-CN"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20250310000000+08'00"


def test_table_header_repeats_and_pages_are_numbered(out):
    """Every page of a multi-page edition repeats the table header and is numbered — N — (on the outer side)."""
    pdf = out / "fujian.pdf"
    n = page_count(pdf)
    assert n >= 2
    for k in range(1, n + 1):
        page = text(pdf, k)
        assert all(h in page for h in HEADER), k  # pdftotext may interleave the header with nearby lines
        assert f"—{k}—" in page


def test_merged_target_cells_span_their_rows(views):
    """Each run of identical 服务对象 is one cell spanning its rows (as in the seed's table)."""
    v = views["fujian"]
    html = edition_html(v, "Noto Serif CJK SC")
    spans = [int(s) for s in re.findall(r'<td class="target" rowspan="(\d+)"', html)]
    assert spans == [i.target_rows for i in v.items if i.target_rows]
    assert max(spans) > 1 and sum(spans) == len(v.items)


def test_sample_notice_on_every_page_of_a_sample_only(out):
    """A sample city's edition says 示例/not a real policy on every page; the provincial one never does."""
    pdf = out / "fuzhou.pdf"
    for k in range(1, page_count(pdf) + 1):
        assert SAMPLE in text(pdf, k) and "示例" in text(pdf, k)
    assert SAMPLE not in text(out / "fujian.pdf")
    assert SAMPLE in text(out / "fuzhou-poster.pdf")
    assert SAMPLE not in text(out / "fujian-poster.pdf")


def test_local_additions_are_marked(out, views):
    """Fuzhou's local provision and its local service carry the 本地新增 mark; the province has none."""
    v = views["fuzhou"]
    local_item = next(i for i in v.items if i.local)
    local_provision = next(p for i in v.items if not i.local for p in i.provisions if p.local)
    found = text(out / "fuzhou.pdf")
    assert squash(local_provision.text) + "本地新增" in found
    assert squash(local_item.service) + "本地新增" in found
    assert "本地新增" not in text(out / "fujian.pdf")


def test_poster_lists_every_service_with_a_qr_code_for_the_url(out, views, tmp_path):
    """The poster lists every service, the phone, and a QR code that decodes to the URL printed under it."""
    poster = out / "fuzhou-poster.pdf"
    found = text(poster)
    v = views["fuzhou"]
    assert [i.service for i in v.items if squash(i.service) not in found] == []
    assert v.contact_phone in found and URL in found and "谁可以享受" in found
    assert qr_codes(poster, tmp_path) == [URL]


def test_poster_without_url_simply_has_no_qr_code(out, tmp_path):
    """Without a site address the poster has no QR code and no message to whoever built it; it still says whom to ask."""
    poster = out / "fujian-poster.pdf"
    found = text(poster)
    assert "网址未设置" not in found and "base-url" not in found
    assert "12345" in found and "儿童主任" in found
    assert qr_codes(poster, tmp_path) == []


def test_poster_refuses_a_url_that_is_not_http(tmp_path, views):
    """A javascript: or file: address never reaches a QR code."""
    for url in ("javascript:alert(1)", "file:///etc/passwd"):
        with pytest.raises(BuildError, match="http"):
            render_poster(views["fuzhou"], tmp_path / "p.pdf", url)
    assert not (tmp_path / "p.pdf").exists()


def test_a_list_too_long_for_one_sheet_gets_more_sheets_never_a_failure(tmp_path, views):
    """Sixty services are spread over sheets of whole groups, each with the contact; nothing is refused."""
    v = views["fuzhou"]
    long = dataclasses.replace(v, groups=v.groups * 3)
    render_poster(long, tmp_path / "p.pdf", URL, a3=tmp_path / "p3.pdf")
    n = page_count(tmp_path / "p.pdf")
    assert n >= 2 and page_count(tmp_path / "p3.pdf") == n
    for k in range(1, n + 1):
        assert v.contact_phone in text(tmp_path / "p.pdf", k) and f"（{k}/" in text(tmp_path / "p.pdf", k)
    assert text(tmp_path / "p.pdf").count(squash(v.items[-1].service)) == 3
    info = subprocess.run(["pdfinfo", str(tmp_path / "p3.pdf")], capture_output=True, text=True).stdout
    assert "(A3)" in info


def test_markup_in_list_text_is_printed_literally_and_fetches_nothing(tmp_path, views):
    """Script and image tags in YAML text appear as text in both PDFs; WeasyPrint asks only for our stylesheet."""
    hostile = with_text(views["fuzhou"], "标题" + SCRIPT, "条款" + IMG)
    fetcher = AssetFetcher()
    render_list_pdf(hostile, tmp_path / "e.pdf", fetcher=fetcher)
    render_poster(hostile, tmp_path / "p.pdf", URL, fetcher=fetcher)
    edition, poster = text(tmp_path / "e.pdf"), text(tmp_path / "p.pdf")
    assert squash("标题" + SCRIPT) in edition and squash("条款" + IMG) in edition
    assert squash("标题" + SCRIPT) in poster and SCRIPT in poster
    assert fetcher.refused == []
    from compiler.publish.render.gongwen_fonts import fandol_files

    allowed = {(ASSETS / "pdf.css").as_uri(), (ASSETS / "edition.css").as_uri()} | {p.as_uri() for p in fandol_files().values()}
    assert (ASSETS / "pdf.css").as_uri() in fetcher.requested and set(fetcher.requested) <= allowed


def test_fetcher_serves_only_the_pdf_assets(tmp_path):
    """The fetcher refuses http, files elsewhere and ../ escapes, and records each refusal."""
    fetcher = AssetFetcher()
    assert fetcher.fetch((ASSETS / "pdf.css").as_uri()).read() == (ASSETS / "pdf.css").read_bytes()
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    refused = ["http://example.com/x", "https://example.com/x", (ROOT / "pyproject.toml").as_uri(),
               ASSETS.as_uri() + "/../../pyproject.toml", "file:///etc/passwd", "ftp://example.com/x"]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == refused


def test_a_refused_resource_fails_the_build_and_keeps_the_old_file(tmp_path):
    """HTML asking for a remote image raises BuildError; the previous PDF stays and no temp file is left."""
    target = tmp_path / "x.pdf"
    target.write_bytes(b"previous")
    with pytest.raises(BuildError, match="http://example.com/x"):
        html_to_pdf(f'<html lang="zh-CN"><p>流动儿童</p>{IMG}</html>', target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_an_unwritable_output_is_an_output_error(tmp_path):
    """An output folder that cannot be made (a file is in the way) is an OutputError saying why, not a traceback."""
    from compiler.errors import OutputError

    (tmp_path / "pdf").write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="无法写入PDF .*：同名文件已存在"):
        html_to_pdf('<html lang="zh-CN"><p>流动儿童</p></html>', tmp_path / "pdf" / "x.pdf")


def test_a_missing_glyph_fails_the_build(tmp_path):
    """A character no installed font has (drawn as a box) is a BuildError naming it, not a warning."""
    with pytest.raises(BuildError, match="𓀀"):
        html_to_pdf('<html lang="zh-CN"><link rel="stylesheet" href="pdf.css"><p>流动儿童𓀀</p></html>',
                    tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_without_a_chinese_font_rendering_stops_with_the_package_to_install(tmp_path, views):
    """With fontconfig seeing no fonts, render_list_pdf raises BuildError naming fonts-noto-cjk, writing nothing."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    (tmp_path / "view.pickle").write_bytes(pickle.dumps(views["fujian"]))
    script = textwrap.dedent(f"""
        import pickle
        from pathlib import Path
        from compiler.errors import BuildError
        from compiler.publish.render.pdf import render_list_pdf
        view = pickle.loads(Path({str(tmp_path / "view.pickle")!r}).read_bytes())
        try:
            render_list_pdf(view, Path({str(tmp_path / "x.pdf")!r}))
        except BuildError as e:
            print(e)
    """)
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
    assert "apt-get install fonts-noto-cjk" in done.stdout, done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_two_renders_are_byte_identical_and_quiet(out, views, tmp_path, caplog):
    """Rendering the same list again gives the same bytes, and WeasyPrint warned about nothing."""
    caplog.set_level("DEBUG", logger="compiler.publish.render.pdf")
    render_list_pdf(views["fuzhou"], tmp_path / "again.pdf")
    render_poster(views["fuzhou"], tmp_path / "again-poster.pdf", URL)
    assert (tmp_path / "again.pdf").read_bytes() == (out / "fuzhou.pdf").read_bytes()
    assert (tmp_path / "again-poster.pdf").read_bytes() == (out / "fuzhou-poster.pdf").read_bytes()
    assert [r.getMessage() for r in caplog.records] == []


def test_a_draft_says_so_on_every_page_and_prints_no_issue_line(tmp_path, views):
    """A list with draft: true says 草稿 on every page of its edition and prints no 印发 date or edition line."""
    draft = dataclasses.replace(views["fujian"], draft=True)
    render_list_pdf(draft, tmp_path / "d.pdf")
    n = page_count(tmp_path / "d.pdf")
    assert n >= 2
    for k in range(1, n + 1):
        assert "草稿" in text(tmp_path / "d.pdf", k), k
    whole = text(tmp_path / "d.pdf")
    assert "2025年1月9日" not in whole and "第1版" not in whole
    assert whole.count("印发") == whole.count("未印发") == 1  # only the banner's 未印发
