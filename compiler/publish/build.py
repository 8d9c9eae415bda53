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
from compiler.publish.freshness import (  # noqa: F401  (BuildOptions, BuildResult: re-exported)
    MARKER,
    BuildOptions,
    BuildResult,
    check_out,
    input_digest,
    marker_text,
    unchanged,
)
from compiler.publish.render import cache, finder, opendata, site
from compiler.publish.views import ListView
from compiler.review import report
from compiler.review.report import ReportContext
from compiler.source.workers import pool as worker_pool


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def page_url(base_url: str | None, view: ListView) -> str | None:
    """The absolute address of a list's page, for its poster's QR code."""
    if not base_url:
        return None
    return base_url.rstrip("/") + f"/lists/{view.slug}/"


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


_input_digest = input_digest  # the name the tests know


def _swap_in(staged: Path, out: Path, marker: str) -> None:
    """Replace `out` by `staged` with renames only, so no reader ever sees half an output."""
    (staged / MARKER).write_text(marker, encoding="utf-8")
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
    check_out(options.out, options.catalogue)
    cache.code_digest.cache_clear()  # `serve` builds many times in one process while templates change
    digest = input_digest(options)
    if (done := unchanged(options.out, digest)) is not None:
        done.seconds = time.perf_counter() - started
        return done
    if options.pdfs:
        from compiler.publish.render import pdf

        pdf.check_cjk_font()

    en = options.lang == "en"
    progress("checking the lists" if en else "核查清单")
    check = pipeline.check([options.catalogue], options.as_of)
    views = contexts.published(check)
    if not views:
        raise BuildError(f"{options.catalogue} 中没有可以发布的清单", en=f"{options.catalogue} has no list that can be published")
    ctx = site.site_context(views, _child(check), options.pdfs, options.report)
    review = report.report_context(check, options.lang) if options.report else None
    result = BuildResult(options.out, check, views)

    options.out.parent.mkdir(parents=True, exist_ok=True)
    # Absolute: mkdocs reads the folders in its configuration relative to the configuration's own folder.
    work = Path(tempfile.mkdtemp(prefix=f".{options.out.name}.build-", dir=options.out.parent)).absolute()
    try:
        docs, staged = work / "docs", work / "site"
        site.copy_static(docs)
        progress("pages" if en else "网页")
        result.pages = site.write_pages(docs, ctx, review)
        result.data = _write_data(docs, views, options.as_of)
        if options.pdfs:
            jobs = _pdf_jobs(views, review, options.base_url)
            result.rendered = _render_pdfs(docs, jobs, options, progress)
            result.pdfs = [job.target for job in jobs]
        progress("site (mkdocs)" if en else "网站（mkdocs）")
        site.run_mkdocs(site.mkdocs_config(work, docs, staged, ctx, options.base_url), options.as_of)
        _swap_in(staged, options.out, marker_text(digest, check.invalid))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result
