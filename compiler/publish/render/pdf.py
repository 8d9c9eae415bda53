"""The official PDF edition of a list and its one-page poster, rendered with WeasyPrint.

Rendering is sealed: WeasyPrint fetches only the stylesheet in templates/pdf/ (and data: URIs),
list text is autoescaped, a missing glyph fails the build instead of printing a box, and each
file is written to a temporary name and renamed, so a failure leaves the previous file as it was.
Two renders of the same list are byte-identical: the PDF's dates come from the list's issue date.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from compiler.errors import BuildError
from compiler.output.atomic import output_error, write_bytes
from compiler.publish.render.env import TEMPLATES, environment
from compiler.publish.render.fonts import SANS, SERIF, check_cjk_font
from compiler.publish.views import ListView
from compiler.review.report import ReportContext

__all__ = ["AssetFetcher", "check_cjk_font", "edition_html", "html_to_pdf", "poster_html", "render_list_pdf",
           "render_poster"]

ASSETS = TEMPLATES / "pdf"
# Tagged PDF/UA-1: structure for screen readers, the title shown instead of the file name.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
# Lists are published in China: midnight at +08:00 of the issue date stamps the file.
CHINA = dt.timezone(dt.timedelta(hours=8))
log = logging.getLogger(__name__)


class AssetFetcher(URLFetcher):
    """Serves files under templates/pdf/ and data: URIs; refuses and records everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._asset(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused: {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    @staticmethod
    def _asset(url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        return path if path.is_relative_to(ASSETS.resolve()) and path.is_file() else None


class TooLong(BuildError):
    """A one-page document needs more than one page."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _weasyprint_logs() -> Iterator[list[logging.LogRecord]]:
    """Keep WeasyPrint's log off the terminal and hand its warnings to the caller."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)  # also drops the per-step progress messages
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _missing_glyphs(records: list[logging.LogRecord]) -> list[str]:
    """Characters no installed font could draw (WeasyPrint drew a box for each)."""
    return [str(r.args[0]) for r in records if ".notdef" in r.msg and r.args]


def _stamp(view: ListView) -> str:
    return dt.datetime.combine(view.issued, dt.time(), CHINA).isoformat()


def html_to_pdf(html: str, out: Path, *, fetcher: AssetFetcher | None = None, one_page: bool = False) -> None:
    """Render `html` (resources relative to templates/pdf/) to `out`, atomically.

    Raises BuildError, leaving any previous `out` untouched, when a glyph is missing, a
    resource outside templates/pdf/ is asked for, or a `one_page` document needs more.
    """
    fetcher = fetcher or AssetFetcher()
    with _weasyprint_logs() as records:
        document = HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=fetcher).render()
        if one_page and len(document.pages) != 1:
            raise TooLong(f"海报超过一页（{len(document.pages)} 页），服务项目太多：{out}",
                          en=f"the poster needs more than one page ({len(document.pages)}): too many services: {out}")
        data = document.write_pdf(**PDF_OPTIONS)  # glyphs are looked up while drawing, here
    if fetcher.refused:
        raise BuildError(f"PDF 模板引用了不允许读取的资源 {'、'.join(fetcher.refused)}：{out}",
                         en=f"the PDF template asks for resources it may not read, {', '.join(fetcher.refused)}: {out}")
    if missing := _missing_glyphs(records):
        glyphs = "".join(sorted(set(missing)))
        raise BuildError(f"中文字体缺少这些字的字形，PDF 会显示方框：{glyphs}（{out}）",
                         en=f"the Chinese font has no glyphs for these characters, the PDF would show boxes: {glyphs} ({out})")
    for r in records:
        log.debug("weasyprint: %s", r.getMessage())
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(out, data)
    except OSError as e:
        raise output_error(out, e, "PDF", "PDF") from e


def edition_html(view: ListView, font: str) -> str:
    """The HTML of the official edition, set in `font`."""
    return environment("pdf").get_template("list.html.j2").render(view=view, font=font, stamp=_stamp(view))


def poster_html(view: ListView, url: str | None, font: str, compact: bool = False) -> str:
    """The HTML of the poster, set in `font`, with a QR code for `url` when there is one."""
    qr = poster_qr(url) if url else None
    return environment("pdf").get_template("poster.html.j2").render(
        view=view, font=font, stamp=_stamp(view), url=url, qr=qr, compact=compact)


def poster_qr(url: str) -> Markup:
    """`url` as a QR code in inline SVG, sized by the stylesheet (nothing to fetch)."""
    return Markup(segno.make(url, error="m").svg_inline(omitsize=True, border=4, dark="#000"))


def render_list_pdf(view: ListView, out: Path, *, fetcher: AssetFetcher | None = None) -> None:
    """Write the official A4 edition of `view` to `out` (CJK serif font embedded, tagged PDF/UA-1)."""
    html_to_pdf(edition_html(view, check_cjk_font(SERIF + SANS)), out, fetcher=fetcher)


def report_html(report: ReportContext, samples: tuple[str, ...], font: str) -> str:
    """The HTML of the reviewers' report, set in `font`."""
    stamp = dt.datetime.combine(report.as_of, dt.time(), CHINA).isoformat()
    return environment("pdf").get_template("report.html.j2").render(report=report, samples=samples, font=font,
                                                                      stamp=stamp)


def render_report_pdf(report: ReportContext, samples: tuple[str, ...], out: Path) -> None:
    """Write the reviewers' report, A4 landscape, to `out`."""
    html_to_pdf(report_html(report, samples, check_cjk_font(SANS + SERIF)), out)


def render_poster(view: ListView, out: Path, url: str | None, *, fetcher: AssetFetcher | None = None) -> None:
    """Write a one-page A4 poster of `view` with a QR code for `url` (its page on the site)."""
    if url is not None and urlsplit(url).scheme not in ("http", "https"):
        raise BuildError(f"海报上的网址须以 http:// 或 https:// 开头：{url}",
                         en=f"the address on a poster must start with http:// or https://: {url}")
    font = check_cjk_font(SANS + SERIF)
    try:
        html_to_pdf(poster_html(view, url, font), out, fetcher=fetcher, one_page=True)
    except TooLong:  # readable from across a corridor if it fits, else in the compact size
        html_to_pdf(poster_html(view, url, font, compact=True), out, fetcher=fetcher, one_page=True)
