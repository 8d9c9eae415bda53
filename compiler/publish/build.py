"""`build`, top to bottom: check the catalogue, build every view, render everything into a
staging folder, and only then swap it in for the output folder.

A list that falls short of its floor is still published (the report shows the gap); a file that
cannot be read is left out and named. Any failure of the tool itself leaves the previous output
exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from compiler.checks import pipeline
from compiler.errors import BuildError, UsageError
from compiler.models import ChildDefinition
from compiler.publish import views as contexts
from compiler.publish.render import cache, finder, opendata, search, site
from compiler.publish.views import ListView
from compiler.review import report
from compiler.review.report import ReportContext
from compiler.source.workers import pool as worker_pool

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
    cache: Path | None = None  # rendered PDFs by content hash; None: render everything
    workers: int = 0  # PDF rendering processes; 0: one per CPU
    lang: str = "zh"  # of the reviewers' report and the progress messages; the families' pages stay Chinese


@dataclass
class BuildResult:
    out: Path
    check: pipeline.CheckResult
    views: list[ListView]
    pages: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    seconds: float = 0.0
    up_to_date: bool = False  # nothing changed since the output was built: nothing was rendered
    rendered: int = 0  # PDFs rendered this time (the rest came from the cache)

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
        raise UsageError(f"输出目录 {out} 与清单目录 {catalogue} 重叠，请换一个输出目录",
                         en=f"the output folder {out} overlaps the catalogue folder {catalogue}; choose another output folder")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"输出目录 {out} 已存在且不是 qingdan build 生成的，为免误删，请换一个目录或先清空它",
                         en=f"the output folder {out} exists and was not made by qingdan build; so as not to delete "
                         "anything by mistake, choose another folder or empty it first")


def _child(check: pipeline.CheckResult) -> ChildDefinition | None:
    return next((e.model.plan.child for e in check.corpus.lists if e.model.plan and e.model.plan.child), None)


def _write_data(docs: Path, views: list[ListView], as_of: dt.date, child: ChildDefinition | None) -> list[str]:
    age_limit = child.max_age_exclusive if child else finder.DEFAULT_AGE_LIMIT
    files = {"data/index.json": opendata.index_document(views, as_of),
             "data/finder.json": finder.index(views, age_limit)}
    files |= {v.data: opendata.list_document(v) for v in views}
    for rel, document in files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(opendata.dumps(document), encoding="utf-8")
    return sorted(files)


REPORT_PDF = "pdf/report.pdf"


@dataclass(frozen=True)
class _PdfJob:
    """One PDF to write: everything it shows is in the job, which is also its cache key."""

    kind: str  # edition | poster | report
    subject: ListView | ReportContext
    url: str | None
    target: str  # relative to the docs folder
    samples: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """What the progress line calls this PDF."""
        if isinstance(self.subject, ListView):
            if lang == "en":
                return f"{self.subject.jurisdiction} ({self.kind})"
            return f"{self.subject.jurisdiction}（{'海报' if self.kind == 'poster' else '正式版'}）"
        return "reviewers' report" if lang == "en" else "审核报告"


def _pdf_jobs(views: list[ListView], review: ReportContext | None, base_url: str | None) -> list[_PdfJob]:
    jobs = []
    for view in views:
        jobs.append(_PdfJob("edition", view, None, view.pdf))
        for earlier in view.editions.earlier if view.editions else ():  # linked from the page's 本版变化
            jobs.append(_PdfJob("edition", earlier.view, None, earlier.pdf))
        jobs.append(_PdfJob("poster", view, page_url(base_url, view), view.poster))
    if review is not None:
        jobs.append(_PdfJob("report", review, None, REPORT_PDF, tuple(v.jurisdiction for v in views if v.sample)))
    return jobs


def _render_one(job: _PdfJob, docs: Path) -> None:
    from compiler.publish.render import pdf

    if isinstance(job.subject, ReportContext):
        pdf.render_report_pdf(job.subject, job.samples, docs / job.target)
    elif job.kind == "edition":
        pdf.render_list_pdf(job.subject, docs / job.target)
    else:
        pdf.render_poster(job.subject, docs / job.target, job.url)


def _render_pdfs(docs: Path, jobs: list[_PdfJob], options: BuildOptions, progress: Progress) -> int:
    """Every PDF into `docs`: from the cache where its inputs are unchanged, else rendered in parallel."""
    import weasyprint

    store = cache.Cache(options.cache)
    keys = {job.target: cache.key("pdf", weasyprint.__version__, job) for job in jobs}
    todo = [job for job in jobs if not store.fetch(keys[job.target], docs / job.target)]
    workers = min(options.workers or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        for job in todo:
            progress(f"PDF: {job.label('en')}" if options.lang == "en" else f"PDF：{job.label()}")
            _render_one(job, docs)
    else:
        # Forked workers inherit the imported renderer, so each starts at once. Leaving the block
        # for any reason (a BuildError, Ctrl+C, SIGTERM) terminates and joins them before the
        # staging folder is removed.
        render = functools.partial(_render_one, docs=docs)
        with worker_pool(workers) as pool:
            for done, _ in enumerate(pool.imap_unordered(render, todo), 1):
                progress(f"PDF {done}/{len(todo)}")
    for job in todo:
        store.store(keys[job.target], docs / job.target)
    return len(todo)


def _input_digest(options: BuildOptions) -> str:
    """What the output depends on: the catalogue, qingdan itself, and the options that change it."""
    return cache.key("build", cache.digest_files([options.catalogue]), options.as_of, options.base_url,
                     options.pdfs, options.report, options.lang)


def _up_to_date(out: Path, digest: str) -> bool:
    marker = out / MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8").split()[-1:] == [digest]


def _swap_in(staged: Path, out: Path, digest: str) -> None:
    """Replace `out` by `staged` with renames only, so no reader ever sees half an output."""
    (staged / MARKER).write_text(f"qingdan build output; safe to delete\n{digest}\n", encoding="utf-8")
    if not out.exists():
        os.replace(staged, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    # Between the two renames there is no output folder: let no Ctrl+C or SIGTERM land there.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        os.replace(out, old)
        os.replace(staged, out)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    shutil.rmtree(old, ignore_errors=True)


def build(options: BuildOptions, progress: Progress = _quiet) -> BuildResult:
    started = time.perf_counter()
    if not options.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{options.catalogue}", en=f"the catalogue folder does not exist: {options.catalogue}")
    _check_out(options.out, options.catalogue)
    if options.pdfs:
        from compiler.publish.render import pdf

        pdf.check_cjk_font()

    cache.code_digest.cache_clear()  # `serve` builds many times in one process while templates change
    en = options.lang == "en"
    progress("checking the lists" if en else "核查清单")
    check = pipeline.check([options.catalogue], options.as_of)
    views = contexts.published(check)
    if not views:
        raise BuildError(f"{options.catalogue} 中没有可以发布的清单", en=f"{options.catalogue} has no list that can be published")
    ctx = site.site_context(views, _child(check), options.pdfs, options.report)
    review = report.report_context(check, options.lang) if options.report else None
    result = BuildResult(options.out, check, views)
    digest = _input_digest(options)
    if _up_to_date(options.out, digest):
        result.up_to_date = True
        result.seconds = time.perf_counter() - started
        return result

    options.out.parent.mkdir(parents=True, exist_ok=True)
    # Absolute: mkdocs reads the folders in its configuration relative to the configuration's own folder.
    work = Path(tempfile.mkdtemp(prefix=f".{options.out.name}.build-", dir=options.out.parent)).absolute()
    try:
        docs, staged = work / "docs", work / "site"
        site.copy_static(docs)
        progress("pages" if en else "网页")
        result.pages = site.write_pages(docs, ctx, review)
        result.data = _write_data(docs, views, options.as_of, ctx.child)
        result.data += search.write_index(docs, ctx)
        site.copy_sources(docs, options.catalogue, views)
        if options.pdfs:
            jobs = _pdf_jobs(views, review, options.base_url)
            result.rendered = _render_pdfs(docs, jobs, options, progress)
            result.pdfs = [job.target for job in jobs]
        progress("site (mkdocs)" if en else "网站（mkdocs）")
        site.run_mkdocs(site.mkdocs_config(work, docs, staged, ctx, options.base_url), options.as_of)
        site.drop_source_maps(staged)
        _swap_in(staged, options.out, digest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result
