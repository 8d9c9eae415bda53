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
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from compiler.checks import pipeline
from compiler.domain.dates import source_date_epoch
from compiler.errors import BuildError, UsageError
from compiler.models import ChildDefinition
from compiler.output import pruning
from compiler.output.atomic import is_write_failure, output_error
from compiler.publish import isolate, leftovers
from compiler.publish.freshness import (  # noqa: F401  (BuildOptions, BuildResult: re-exported)
    MARKER,
    BuildOptions,
    BuildResult,
    check_out,
    input_digest,
    marker_text,
    unchanged,
)
from compiler.publish.render import cache, finder, opendata, search, site, site_cache
from compiler.publish.render.docs_folder import DocsFolder, file_state
from compiler.publish.view_cache import KeptViews
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


def _write_data(docs: DocsFolder, views: list[ListView], as_of: dt.date, child: ChildDefinition | None,
                drafts: site.Drafts, digests: dict[str, str], store: cache.Cache) -> list[str]:
    """The open data; each list's file as it was made before (`drafts`), or linked from the kept docs
    folder by the key it was made from. The finder's shards are kept in `store` by their lists'
    views (`digests`, by list id)."""
    age_limit = child.max_age_exclusive if child else finder.DEFAULT_AGE_LIMIT
    docs.write("data/index.json", opendata.dumps(opendata.index_document(views, as_of)))
    for v in views:
        if v.data in drafts.made:
            docs.write(v.data, drafts.made[v.data], drafts.keys.get(v.data))
        elif not docs.link_made(v.data, drafts.keys.get(v.data)):
            docs.write(v.data, opendata.dumps(opendata.list_document(v)))
    return sorted(["data/index.json", *(v.data for v in views), *finder.write(docs, views, age_limit, digests, store)])


def _page_key(digest: str, floor_page: str | None, pdfs: bool) -> str:
    """What a list's page and open data are kept by: everything they show, its view (`digest`), its
    floor's page and whether PDFs are linked."""
    return cache.key("list-page", digest, floor_page, pdfs)


def _page_and_data(view: ListView, k: str, floor_page: str | None, pdfs: bool,
                   store: cache.Cache) -> tuple[bytes, bytes]:
    """A list's page and open data as UTF-8, kept in `store` by `k` (`_page_key`). Bytes: they go to
    the docs folder as they are."""
    if (kept := store.get(k)) is not None:
        try:  # the page's length in bytes, a newline, the page, the data: no decoding of JSON to split them
            head, _, rest = kept.partition(b"\n")
            size = int(head)
            if 0 <= size <= len(rest):
                return rest[:size], rest[size:]
        except ValueError:
            pass  # not what was kept: made again
    page = site.list_page(view, floor_page, pdfs).encode("utf-8")
    data = opendata.dumps(opendata.list_document(view)).encode("utf-8")
    store.put(k, b"%d\n" % len(page) + page + data)
    return page, data


REPORT_PDF = "pdf/report.pdf"


@dataclass(frozen=True)
class _PdfJob:
    """One PDF to write: everything it shows is in the job, which is also its cache key."""

    kind: str  # edition | docx | poster | report
    subject: ListView | ReportContext
    url: str | None
    target: str  # relative to the docs folder
    samples: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """What the progress line calls this PDF."""
        if isinstance(self.subject, ListView):
            if lang == "en":
                return f"{self.subject.jurisdiction} ({self.kind})"
            return f"{self.subject.jurisdiction}（{ {'poster': '海报', 'docx': 'Word 版'}.get(self.kind, '正式版')}）"
        return "reviewers' report" if lang == "en" else "审核报告"

    @property
    def targets(self) -> tuple[str, ...]:
        """Every file the job writes: a poster is written in A4 and, scaled, in A3."""
        if self.kind == "poster" and isinstance(self.subject, ListView):
            return self.target, self.subject.poster_a3
        return (self.target,)


def _pdf_jobs(views: list[ListView], review: ReportContext | None, base_url: str | None) -> list[_PdfJob]:
    jobs = []
    for view in views:
        jobs.append(_PdfJob("edition", view, None, view.pdf))
        jobs.append(_PdfJob("docx", view, None, view.docx))
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
    elif job.kind == "docx":
        from compiler.publish.render import docx

        docx.render_docx(job.subject, docs / job.target)
    else:
        pdf.render_poster(job.subject, docs / job.target, job.url, a3=docs / job.subject.poster_a3)


def _render_guarded(job: _PdfJob, docs: Path) -> isolate.Failure | None:
    """`_render_one`; a list's PDF that cannot be made (a poster that overflows a page) is that
    list's Failure. The report's PDF, and the tool's own failures, stop the build."""
    try:
        _render_one(job, docs)
    except Exception as exc:  # noqa: BLE001 - one list's failure, whatever it is, is that list's
        if not isinstance(job.subject, ListView):
            raise
        what = {"poster": ("张贴海报", "poster"), "docx": ("Word 版", "Word edition")}.get(job.kind, ("正式版 PDF", "PDF edition"))
        return isolate.guarded(*what, exc, job.subject.catalogue_file)
    return None


def _render_pdfs(docs: DocsFolder, jobs: list[_PdfJob], options: BuildOptions, progress: Progress) -> tuple[int, list[isolate.Failure]]:
    """Every PDF into `docs`: from the cache where its inputs are unchanged, else rendered in parallel.
    Returns how many were rendered and the lists whose PDFs could not be made."""
    import weasyprint

    store = cache.Cache(options.cache)
    keys = {job.target: cache.key("pdf", weasyprint.__version__, job) for job in jobs}
    todo = [job for job in jobs if not all([_fetch(store, f"{keys[job.target]}{k or ''}", docs, t)
                                            for k, t in enumerate(job.targets)])]
    workers = min(options.workers or os.cpu_count() or 1, len(todo))
    failed: list[isolate.Failure] = []
    if workers <= 1:
        for job in todo:
            progress(f"PDF: {job.label('en')}" if options.lang == "en" else f"PDF：{job.label()}")
            failed += filter(None, [_render_guarded(job, docs.root)])
    else:
        # Forked workers inherit the imported renderer, so each starts at once. Leaving the block
        # for any reason (a BuildError, Ctrl+C, SIGTERM) terminates and joins them before the
        # staging folder is removed.
        render = functools.partial(_render_guarded, docs=docs.root)
        with worker_pool(workers) as pool:
            for done, failure in enumerate(pool.imap_unordered(render, todo), 1):
                progress(f"PDF {done}/{len(todo)}")
                failed += filter(None, [failure])
    names = {f.name for f in failed}
    for job in todo:
        if not (isinstance(job.subject, ListView) and job.subject.catalogue_file in names):
            for k, target in enumerate(job.targets):
                store.store(f"{keys[job.target]}{k or ''}", docs / target)
    return sum(len(job.targets) for job in todo), failed


def _fetch(store: cache.Cache, k: str, docs: DocsFolder, rel: str) -> bool:
    """The kept file `k` as `rel` in the docs folder; False when there is none, or not as stored."""
    data = store.get(k)
    if data is not None:
        docs.write(rel, data)
    return data is not None


_input_digest = input_digest  # the name the tests know


def _swap_in(staged: Path, out: Path, marker: str) -> None:
    """Replace `out` by `staged` with renames only, so no reader ever sees half an output."""
    (staged / MARKER).write_text(marker, encoding="utf-8")
    if not out.exists():
        os.replace(staged, out)
        return
    old = out.with_name(f".{out.name[:40]}.old-{os.getpid()}")
    # Between the two renames there is no output folder: let no Ctrl+C or SIGTERM land there.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        os.replace(out, old)
        os.replace(staged, out)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    leftovers.remove(old)


def _without(views: list[ListView], jobs: list[_PdfJob], failed: list[isolate.Failure],
             docs: DocsFolder) -> tuple[list[ListView], list[_PdfJob]]:
    """The views and PDF jobs of the lists that did not fail; the failed lists' PDFs removed."""
    names = {f.name for f in failed}
    for job in jobs:
        if isinstance(job.subject, ListView) and job.subject.catalogue_file in names:
            for target in job.targets:
                (docs / target).unlink(missing_ok=True)
    return ([v for v in views if v.catalogue_file not in names],
            [j for j in jobs if not (isinstance(j.subject, ListView) and j.subject.catalogue_file in names)])


def build(options: BuildOptions, progress: Progress = _quiet) -> BuildResult:
    started = time.perf_counter()
    if not options.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{options.catalogue}", en=f"the catalogue folder does not exist: {options.catalogue}")
    check_out(options.out, options.catalogue)
    source_date_epoch(options.as_of)  # refused now, not when mkdocs has half built the site
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
    check = pipeline.check([options.catalogue], options.as_of, options.cache)
    known = KeptViews(options.cache, check)  # views of lists whose inputs did not change are not made again
    with pipeline.collector_paused(len(check.lists)):  # as for loading: many long-lived objects, no cycles
        views, failed = isolate.make_views(check, known.view)
    # Each list's page and open data are made once, here, where a list that cannot be made is left
    # out; they are written as made (a page whose floor was left out meanwhile is made again). Those
    # the kept docs folder holds as made from the same key are not even read: they are linked.
    digests: dict[str, str] = {}
    drafts = site.Drafts(floors=site.floor_pages(views))
    store = cache.Cache(options.cache)
    kept = site_cache.SiteCache(options.cache)
    kept_docs = kept.kept_docs()

    def attempt(view: ListView) -> None:
        digests[view.id] = known.digest(view)
        k = drafts.keys[view.page] = drafts.keys[view.data] = _page_key(digests[view.id], drafts.floors[view.id], options.pdfs)
        if all((held := kept_docs.get(rel)) is not None and held.made_from == k and file_state(held.path) == held.state
               for rel in (view.page, view.data)):
            return  # linked by the key (`site.write_pages`, `_write_data`)
        drafts.made[view.page], drafts.made[view.data] = _page_and_data(view, k, drafts.floors[view.id], options.pdfs, store)

    views, more = isolate.keep_working(views, attempt)
    failed += more
    if not views:
        raise BuildError(f"{options.catalogue} 中没有可以发布的清单", en=f"{options.catalogue} has no list that can be published")
    review = report.report_context(check, options.lang) if options.report else None

    out = leftovers.real_out(options.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        leftovers.resume(out)
        # Absolute: mkdocs reads the folders in its configuration relative to the configuration's own folder.
        work = Path(tempfile.mkdtemp(prefix=leftovers.staging_prefix(out), dir=out.parent)).absolute()
    except OSError as exc:
        raise output_error(exc, options.out, "输出目录", "output folder") from None
    try:
        docs, staged = DocsFolder(work / "docs", kept_docs), work / "site"
        site.copy_static(docs)
        jobs: list[_PdfJob] = []
        if options.pdfs:  # first: a list whose PDF cannot be made is left out of the pages too
            jobs = _pdf_jobs(views, review, options.base_url)
            rendered, pdf_failed = _render_pdfs(docs, jobs, options, progress)
            views, jobs = _without(views, jobs, pdf_failed, docs)
            failed += pdf_failed
        ctx = site.site_context(views, _child(check), options.pdfs, options.report)
        result = BuildResult(options.out, check, views, failed=failed)
        result.rendered = rendered if options.pdfs else 0
        result.pdfs = [target for job in jobs for target in job.targets]
        progress("pages" if en else "网页")
        result.pages = site.write_pages(docs, ctx, review, drafts)
        result.data = _write_data(docs, views, options.as_of, ctx.child, drafts, digests, store)
        drafts.made.clear()
        result.data += search.write_index(docs, ctx, store, digests)
        site.copy_sources(docs, options.catalogue, views)
        progress("site (mkdocs)" if en else "网站（mkdocs）")
        config = site.mkdocs_config(work, docs.root, staged, ctx, options.base_url)
        key = site_cache.site_key(config, source_date_epoch(options.as_of))
        dirty = kept.prepare(key, docs, staged)  # only the pages whose Markdown changed are rendered again
        site.run_mkdocs(config, options.as_of, dirty=dirty)
        site.drop_source_maps(staged)
        kept.keep(key, docs, staged)
        _swap_in(staged, out, marker_text(digest, check.invalid, failed))
    except OSError as exc:
        if not is_write_failure(exc):
            raise
        raise output_error(exc, options.out, "输出目录", "output folder") from None
    finally:
        leftovers.remove(work)
    pruning.prune(options.cache)  # a month unused: what an edit or an upgrade left behind
    result.seconds = time.perf_counter() - started
    return result
