"""The Word edition of a list: the file bureaus circulate for comment and issue as an attachment.

The same 公文 form as the PDF edition (GB/T 9704-2012): A4, top margin 37 mm, binding side
28 mm, text block 156 × 225 mm, mirrored for printing on both sides; 附件 label and the parent
document; title in 小标宋 (with a serif the reader's machine has as fallback), text in 仿宋_GB2312,
headings in 黑体, each named for East Asian text too (w:eastAsia), which is what Word uses for
Chinese; the header row repeats on every page; the 类别 and 服务对象 cells are merged as in the
source; each 服务内容 cell word for word with the source's punctuation; page numbers "— 1 —".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from compiler.output.atomic import write_bytes
from compiler.publish.render.env import zh_date
from compiler.publish.views import ListView

FANG, HEI, TITLE, SONG = "仿宋_GB2312", "黑体", "方正小标宋简体", "宋体"
# The source's header leaves the 类别 and 序号 columns blank; the Word edition names them, as the
# bureaus' own Word tables do, so that the file reads back (qingdan import) with its groups.
HEADER = ("类别", "序号", "服务对象", "服务项目", "服务内容", "责任部门")
WIDTHS_MM = (10, 8, 23, 23, 60, 32)  # 156 mm, the text block's width
DRAFT = "草稿　未印发，仅供征求意见，不得作为执行依据"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(container, text: str, font: str = FANG, size: float = 16, bold: bool = False,
               align=None, color: RGBColor | None = None):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    _font(run, font, size, bold)
    if color is not None:
        run.font.color.rgb = color
    return p


def _page_number(paragraph) -> None:
    """— PAGE — as a field, so Word numbers every page."""
    def add(text: str | None = None, field: str | None = None) -> None:
        run = paragraph.add_run()
        _font(run, SONG, 14)
        if field is None:
            run.text = text or ""
            return
        for kind, instruction in (("begin", None), (None, field), ("end", None)):
            if kind:
                node = OxmlElement("w:fldChar")
                node.set(qn("w:fldCharType"), kind)
            else:
                node = OxmlElement("w:instrText")
                node.set(qn("xml:space"), "preserve")
                node.text = instruction
            run._element.append(node)
    add("— ")
    add(field=" PAGE ")
    add(" —")


def _page_setup(document, view: ListView) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)  # mirrored below: 28 mm on the binding side
    section.footer_distance = Mm(28)
    settings = document.settings.element
    settings.append(OxmlElement("w:mirrorMargins"))
    settings.append(OxmlElement("w:evenAndOddHeaders"))
    section.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0])
    section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_number(section.even_page_footer.paragraphs[0])
    section.even_page_footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    if view.draft:  # every page says so
        for header in (section.header, section.even_page_header):
            _paragraph(header, "草稿", HEI, 12, True, WD_ALIGN_PARAGRAPH.RIGHT, RGBColor(0xB0, 0x00, 0x20))
            header.paragraphs[0]._element.getparent().remove(header.paragraphs[0]._element)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    node = OxmlElement("w:tblHeader")
    node.set(qn("w:val"), "true")
    props.append(node)


def _cell(cell, text: str | list[str], font: str = FANG, size: float = 10.5, center: bool = True) -> None:
    """Fill `cell` with `text`, one paragraph per string when it is a list."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for k, line in enumerate([text] if isinstance(text, str) else text):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
        _font(p.add_run(line), font, size)


def content_paragraphs(item) -> list[str]:
    """The 服务内容 cell as paragraphs: provisions the source joins with punctuation stay in one run of
    text, word for word; provisions with no recorded separator each start a paragraph of their own."""
    paragraphs = [""]
    for k, p in enumerate(item.provisions):
        paragraphs[-1] += p.text + p.sep
        if not p.sep and k < len(item.provisions) - 1:
            paragraphs.append("")
    return paragraphs


def _table(document, view: ListView) -> None:
    items = view.items
    table = document.add_table(rows=1 + len(items), cols=len(HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for k, width in enumerate(WIDTHS_MM):
        for cell in table.columns[k].cells:
            cell.width = Mm(width)
    for k, text in enumerate(HEADER):
        _cell(table.rows[0].cells[k], text, HEI, 12)
    _repeat_header(table.rows[0])
    r = 1
    for group in view.groups:
        first = r
        for item in group.items:
            cells = table.rows[r].cells
            _cell(cells[1], str(item.number))
            if item.target_rows:
                _cell(cells[2], item.target)
                if item.target_rows > 1:
                    cells[2].merge(table.rows[r + item.target_rows - 1].cells[2])
            _cell(cells[3], item.service)  # the issued text: 本地新增 is the review's mark, not the list's words
            paragraphs = content_paragraphs(item)
            paragraphs[-1] += "".join(f"〔注{n}〕" for n in item.notes)
            _cell(cells[4], paragraphs, center=False)
            _cell(cells[5], "、".join(d.id for d in item.departments))
            r += 1
        _cell(table.rows[first].cells[0], group.name, HEI, 12)
        if r - 1 > first:
            table.rows[first].cells[0].merge(table.rows[r - 1].cells[0])


def edition_docx(view: ListView) -> bytes:
    """The .docx bytes of the Word edition of `view`."""
    from io import BytesIO

    document = Document()
    _page_setup(document, view)
    document.core_properties.title = view.title
    document.core_properties.author = view.issuer
    stamp = dt.datetime.combine(view.issued, dt.time())
    document.core_properties.created = document.core_properties.modified = stamp  # two builds, one file
    red = RGBColor(0xB0, 0x00, 0x20)
    if view.draft:
        _paragraph(document, DRAFT, HEI, 14, True, WD_ALIGN_PARAGRAPH.CENTER, red)
    if view.sample:
        _paragraph(document, f"【示例】本清单是为演示本系统而编写的示例数据，不是{view.jurisdiction}的真实政策，不能据此申请服务。",
                   HEI, 12, True, WD_ALIGN_PARAGRAPH.CENTER, red)
    _paragraph(document, "附件", HEI, 16)
    if view.plan_title:
        number = f"（{view.plan_number}）" if view.plan_number else ""
        _paragraph(document, f"《{view.plan_title}》{number}的附件", FANG, 12)
    _paragraph(document, view.title, TITLE, 22, False, WD_ALIGN_PARAGRAPH.CENTER)
    _table(document, view)  # right under the title, which is how a reader (and qingdan import) finds it
    if view.floor_sentence:
        _paragraph(document, view.floor_sentence, FANG, 12)
    for n in view.notes:
        _paragraph(document, f"注{n.number}：第{n.item_number}项服务内容按原文印出。原文“{n.original}”，"
                             f"经核对应为“{n.corrected}”。{n.reason}", FANG, 10.5)
    if view.contact_phone:
        department = f"{view.contact_department}　" if view.contact_department else ""
        _paragraph(document, f"咨询：{department}电话 {view.contact_phone}", FANG, 12)
    if not view.draft:
        _paragraph(document, view.issuer, FANG, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(document, zh_date(view.issued), FANG, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(document, f"第{view.edition}版" + (f"　{view.document_number}" if view.document_number else ""),
                   FANG, 10.5, align=WD_ALIGN_PARAGRAPH.RIGHT)
        if view.disclosure:
            _paragraph(document, f"（{view.disclosure}）", FANG, 16)
    out = BytesIO()
    document.save(out)
    return _stable_zip(out.getvalue(), stamp)


def _stable_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same .docx with every member dated `stamp`, so two builds of one list are byte-identical
    (python-docx dates the zip members with the time of saving)."""
    import zipfile
    from io import BytesIO

    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def render_docx(view: ListView, out: Path) -> None:
    """Write the Word edition of `view` to `out`, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(out, edition_docx(view))


__all__ = ["edition_docx", "render_docx"]
