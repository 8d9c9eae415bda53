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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from compiler.errors import BuildError
from compiler.output.atomic import output_error, write_bytes
from compiler.publish.render import pdf_structure
from compiler.publish.render.env import TEMPLATES, environment
from compiler.publish.render.fonts import SANS, SERIF, check_cjk_font
from compiler.publish.render.gongwen_fonts import faces_css, fandol_files
from compiler.publish.views import ListView
from compiler.review.report import ReportContext

__all__ = ["AssetFetcher", "check_cjk_font", "edition_html", "html_to_pdf", "poster_html", "render_list_pdf",
           "render_poster"]

ASSETS = TEMPLATES / "pdf"
# PDF/A-2a: archival (fonts embedded, sRGB output intent, document id) and tagged; the same file
# also declares PDF/UA-1 (pdf_structure adds its identification once the structure is repaired).
# WeasyPrint takes one variant; PDF/A-2a is the one of the two that needs the output intent.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/a-2a"}
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
        if path in fandol_files().values():  # the 公文 faces, wherever TeX keeps them
            return path
        return path if path.is_relative_to(ASSETS.resolve()) and path.is_file() else None


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
    # WeasyPrint logs this message with positional %-arguments (a tuple), never a mapping.
    return [str(r.args[0]) for r in records if ".notdef" in r.msg and isinstance(r.args, tuple) and r.args]


def _stamp(view: ListView) -> str:
    return dt.datetime.combine(view.issued, dt.time(), CHINA).isoformat()


def _layout(html: str, fetcher: AssetFetcher) -> Any:
    return HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=fetcher).render()


def html_to_pdf(html: str, out: Path, *, fetcher: AssetFetcher | None = None, identity: str | None = None,
                copies: Sequence[tuple[Path, float, str]] = (), document: Any = None) -> int:
    """Render `html` (resources relative to templates/pdf/) to `out`, atomically.

    Raises BuildError, leaving any previous `out` untouched, when a glyph is missing or a
    resource outside templates/pdf/ is asked for. `identity` (what the document is) seeds its
    document id. `copies` are more files written from the same layout: (path, zoom, identity),
    e.g. the A3 poster as the A4 one scaled by √2. `document` is the layout of `html` when the
    caller already has it. Returns the number of pages.
    """
    fetcher = fetcher or AssetFetcher()
    files = []
    with _weasyprint_logs() as records:
        document = document if document is not None else _layout(html, fetcher)
        for path, zoom, name in ((out, 1.0, identity or out.name), *copies):
            with pdf_structure.recording():
                data = document.write_pdf(zoom=zoom, **PDF_OPTIONS)  # glyphs are looked up while drawing, here
            files.append((path, pdf_structure.finish(data, name)))
    if fetcher.refused:
        raise BuildError(f"PDF 模板引用了不允许读取的资源 {'、'.join(fetcher.refused)}：{out}",
                         en=f"the PDF template asks for resources it may not read, {', '.join(fetcher.refused)}: {out}")
    if missing := _missing_glyphs(records):
        glyphs = "".join(sorted(set(missing)))
        raise BuildError(f"中文字体缺少这些字的字形，PDF 会显示方框：{glyphs}（{out}）",
                         en=f"the Chinese font has no glyphs for these characters, the PDF would show boxes: {glyphs} ({out})")
    for r in records:
        log.debug("weasyprint: %s", r.getMessage())
    for path, data in files:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, data)
        except OSError as e:
            raise output_error(e, path, "PDF", "PDF") from e
    return len(document.pages)


def edition_html(view: ListView, font: str) -> str:
    """The HTML of the official edition, set in `font`."""
    return environment("pdf").get_template("list.html.j2").render(view=view, font=font, stamp=_stamp(view),
                                                                   faces=Markup(faces_css(font)))


def poster_html(view: ListView, url: str | None, font: str, sheets: int = 1) -> str:
    """The HTML of the poster, set in `font`, its groups spread over `sheets` sheets, with a QR code
    for `url` when there is one (none otherwise: a poster never shows a message to its maker)."""
    qr = poster_qr(url, view.title) if url else None
    return environment("pdf").get_template("poster.html.j2").render(
        view=view, font=font, stamp=_stamp(view), url=url, qr=qr, who=view.who,
        sheets=share_groups(view.groups, sheets))


def share_groups(groups: tuple, sheets: int) -> tuple[tuple, ...]:
    """`groups` in order over `sheets` sheets (at most one group each), balanced by number of services."""
    sheets = max(1, min(sheets, len(groups)))
    total = sum(len(g.items) for g in groups)
    shares: list[list] = [[]]
    done = 0
    for k, group in enumerate(groups):
        left = len(groups) - k
        # Start a new sheet when this group's middle would fall past this sheet's share, or when every
        # later group needs a sheet of its own.
        past = done + len(group.items) / 2 > total * len(shares) / sheets
        if shares[-1] and len(shares) < sheets and (past or left <= sheets - len(shares)):
            shares.append([])
        shares[-1].append(group)
        done += len(group.items)
    return tuple(tuple(s) for s in shares)


def poster_qr(url: str, title: str) -> Markup:
    """`url` as a QR code in inline SVG, sized by the stylesheet (nothing to fetch); its title is the
    alternative text of the PDF's Figure."""
    svg = segno.make(url, error="m").svg_inline(omitsize=True, border=4, dark="#000",
                                                 title=f"二维码：{title}网页 {url}")
    return Markup(svg)


def render_list_pdf(view: ListView, out: Path, *, fetcher: AssetFetcher | None = None) -> None:
    """Write the official A4 edition of `view` to `out` (CJK serif font embedded, tagged PDF/UA-1)."""
    html_to_pdf(edition_html(view, check_cjk_font(SERIF + SANS)), out, fetcher=fetcher, identity=f"edition:{view.key}")


def report_html(report: ReportContext, samples: tuple[str, ...], font: str) -> str:
    """The HTML of the reviewers' report, set in `font`."""
    stamp = dt.datetime.combine(report.as_of, dt.time(), CHINA).isoformat()
    return environment("pdf").get_template("report.html.j2").render(report=report, samples=samples, font=font,
                                                                      stamp=stamp)


def render_report_pdf(report: ReportContext, samples: tuple[str, ...], out: Path) -> None:
    """Write the reviewers' report, A4 landscape, to `out`."""
    html_to_pdf(report_html(report, samples, check_cjk_font(SANS + SERIF)), out, identity=f"report:{report.as_of}")


SERVICES_PER_SHEET = 12


def render_poster(view: ListView, out: Path, url: str | None, *, fetcher: AssetFetcher | None = None,
                  a3: Path | None = None) -> None:
    """Write the A4 poster of `view` to `out` (and, scaled by √2, the A3 one to `a3`), with a QR code for
    `url` (its page on the site). A list too long for one sheet is spread over one sheet per share of its
    groups; a group that does not fit one sheet runs on to the next page rather than failing the build."""
    if url is not None and urlsplit(url).scheme not in ("http", "https"):
        raise BuildError(f"海报上的网址须以 http:// 或 https:// 开头：{url}",
                         en=f"the address on a poster must start with http:// or https://: {url}")
    font = check_cjk_font(SANS + SERIF)
    identity = f"poster:{view.key}"
    fetcher = fetcher or AssetFetcher()
    with _weasyprint_logs():
        # About a dozen services fit one A4 sheet at the poster's sizes: start there, not at one sheet,
        # to save layouts that are bound to overflow; the loop still checks every count it tries.
        first = min(len(view.groups), max(1, -(-len(view.items) // SERVICES_PER_SHEET)))
        for sheets in range(first, len(view.groups) + 1):
            html = poster_html(view, url, font, sheets)
            document = _layout(html, fetcher)
            if len(document.pages) == len(share_groups(view.groups, sheets)):
                break
    copies = ((a3, 2 ** 0.5, identity + ":a3"),) if a3 is not None else ()
    html_to_pdf(html, out, fetcher=fetcher, identity=identity, copies=copies, document=document)
