"""The filing receipt as a PDF, through the same sealed WeasyPrint rendering as the lists' PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compiler.publish.render.env import environment
from compiler.publish.render.fonts import SANS, SERIF, check_cjk_font
from compiler.publish.render.pdf import CHINA, html_to_pdf
from compiler.review.receipt import ReceiptContext


def receipt_html(receipt: ReceiptContext, font: str) -> str:
    """The HTML of the receipt, set in `font`, dated (in its metadata too) by the receipt's date."""
    stamp = dt.datetime.combine(receipt.dated, dt.time(), CHINA).isoformat()
    return environment("pdf").get_template("receipt.html.j2").render(receipt=receipt, font=font, stamp=stamp)


def render(receipt: ReceiptContext, out: Path) -> None:
    """Write the receipt to `out` (A4, CJK serif font embedded)."""
    html_to_pdf(receipt_html(receipt, check_cjk_font(SERIF + SANS)), out)
