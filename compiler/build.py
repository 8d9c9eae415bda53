"""`build`, top to bottom: check the catalogue, build every view, render everything into a
staging folder, and only then swap it in for the output folder.

A list that falls short of its floor is still published (the report shows the gap); a file that
cannot be read is left out and named. Any failure of the tool itself leaves the previous output
exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from compiler import contexts, pipeline
from compiler.contexts import ListView
from compiler.errors import BuildError, UsageError
from compiler.models import ChildDefinition
from compiler.render import finder, opendata, site

MARKER = ".qingdan-build"  # in every output folder: only such a folder may be replaced

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    catalogue: Path
    out: Path
    as_of: dt.date
    base_url: str | None = None
    pdfs: bool = True
    report: bool = True


@dataclass
class BuildResult:
    out: Path
    check: pipeline.CheckResult
    views: list[ListView]
    pages: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def left_out(self) -> list[pipeline.InvalidFile]:
        return self.check.invalid


def _quiet(_: str) -> None:
    pass


def page_url(base_url: str | None, view: ListView) -> str | None:
    """The absolute address of a list's page, for its poster's QR code."""
    if not base_url:
        return None
    return base_url.rstrip("/") + f"/lists/{view.slug}/"


def _check_out(out: Path, catalogue: Path) -> None:
    """Refuse an output folder that is not ours to replace."""
    out_abs, cat_abs = out.resolve(), catalogue.resolve()
    if out_abs == cat_abs or out_abs in cat_abs.parents or cat_abs in out_abs.parents:
        raise UsageError(f"输出目录 {out} 与清单目录 {catalogue} 重叠，请换一个输出目录")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"输出目录 {out} 已存在且不是 qingdan build 生成的，为免误删，请换一个目录或先清空它")


def _child(check: pipeline.CheckResult) -> ChildDefinition | None:
    return next((e.model.plan.child for e in check.corpus.lists if e.model.plan and e.model.plan.child), None)


def _write_data(docs: Path, views: list[ListView], as_of: dt.date) -> list[str]:
    files = {"data/index.json": opendata.index_document(views, as_of),
             "data/finder.json": finder.index(views)}
    files |= {v.data: opendata.list_document(v) for v in views}
    for rel, document in files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(opendata.dumps(document), encoding="utf-8")
    return sorted(files)


def _render_pdfs(docs: Path, views: list[ListView], base_url: str | None, progress: Progress) -> list[str]:
    from compiler.render import pdf

    written = []
    for view in views:
        progress(f"PDF：{view.jurisdiction}")
        pdf.render_list_pdf(view, docs / view.pdf)
        pdf.render_poster(view, docs / view.poster, page_url(base_url, view))
        written += [view.pdf, view.poster]
    return written


def _swap_in(staged: Path, out: Path) -> None:
    """Replace `out` by `staged` with renames only, so no reader ever sees half an output."""
    (staged / MARKER).write_text("qingdan build output; safe to delete\n", encoding="utf-8")
    if not out.exists():
        os.replace(staged, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, old)
    os.replace(staged, out)
    shutil.rmtree(old, ignore_errors=True)


def build(options: BuildOptions, progress: Progress = _quiet) -> BuildResult:
    started = time.perf_counter()
    if not options.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{options.catalogue}")
    _check_out(options.out, options.catalogue)
    if options.pdfs:
        from compiler.render import pdf

        pdf.check_cjk_font()

    progress("核查清单")
    check = pipeline.check([options.catalogue], options.as_of)
    views = contexts.published(check)
    if not views:
        raise BuildError(f"{options.catalogue} 中没有可以发布的清单")
    ctx = site.site_context(views, _child(check), options.pdfs, options.report and False)
    result = BuildResult(options.out, check, views)

    options.out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{options.out.name}.build-", dir=options.out.parent))
    try:
        docs, staged = work / "docs", work / "site"
        site.copy_static(docs)
        progress("网页")
        result.pages = site.write_pages(docs, ctx)
        result.data = _write_data(docs, views, options.as_of)
        if options.pdfs:
            result.pdfs = _render_pdfs(docs, views, options.base_url, progress)
        progress("网站（mkdocs）")
        site.run_mkdocs(site.mkdocs_config(work, docs, staged, ctx, options.base_url))
        _swap_in(staged, options.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result
