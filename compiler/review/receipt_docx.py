"""The filing receipt as a .docx, laid out as the national standard for official documents asks.

GB/T 9704-2012 in brief: A4; the issuing body's name in red, centred, above a red line; the title
centred in 小标宋 size 2; the addressee flush left; the body in 仿宋 size 3 with a two-character
indent; the issuing body and date at the bottom right. Fonts are named for Word to substitute
where they are not installed.
"""

from __future__ import annotations

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from compiler.review.receipt import ReceiptContext

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
RED = RGBColor(0xC0, 0x00, 0x00)


def _run(paragraph, text: str, font: str, size: float, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)  # Chinese text uses eastAsia
    if colour is not None:
        run.font.color.rgb = colour


def _zh(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build(receipt: ReceiptContext) -> Document:
    """The Word document of `receipt`."""
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = receipt.heading
    doc.core_properties.author = receipt.sender
    if receipt.sample:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, f"【示例】{receipt.jurisdiction}的清单是示例数据，本回执不是真实公文。", BODY_FONT, 12, bold=True, colour=RED)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, receipt.sender, TITLE_FONT, 26, colour=RED)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "—" * 22, BODY_FONT, 12, colour=RED)
    if receipt.filing_number:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, receipt.filing_number, BODY_FONT, 16)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, receipt.heading, TITLE_FONT, 22)
    p = doc.add_paragraph()
    _run(p, f"{receipt.addressee}：", BODY_FONT, 16)
    for text in receipt.paragraphs():
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _run(p, text, BODY_FONT, 16)
    for n, correction in enumerate(receipt.corrections, 1):
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _run(p, f"{n}. {correction}", BODY_FONT, 16)
    for line in (receipt.sender, _zh(receipt.dated)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, line, BODY_FONT, 16)
    if receipt.reviewer:
        p = doc.add_paragraph()
        _run(p, f"（审核人：{receipt.reviewer}）", BODY_FONT, 14)
    return doc
