"""The families' site: Markdown pages written from templates/site, built by mkdocs-material.

`site/` holds what does not depend on the catalogue (the mkdocs configuration, the theme
override, styles and the finder's script); the pages and the navigation come from the lists.
mkdocs runs in strict mode, so a broken internal link fails the build.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from ruamel.yaml import YAML

from compiler.domain.dates import source_date_epoch
from compiler.errors import BuildError
from compiler.models import ChildDefinition, Level
from compiler.publish.render import finder, site_cache
from compiler.publish.render import nav as navigation
from compiler.publish.render.docs_folder import DocsFolder
from compiler.publish.render.env import environment, title_text
from compiler.publish.render.jieba_cache import private_jieba_cache
from compiler.publish.views import ListView
from compiler.resources import site_folder
from compiler.review import report_parts
from compiler.review.report import ReportContext

SITE = site_folder()


@dataclass(frozen=True)
class SiteContext:
    """What every site page may show: the published lists and the plan's definition of a 流动儿童."""

    lists: tuple[ListView, ...]
    province: ListView | None  # the top of the chain, the floor of the rest
    cities: tuple[ListView, ...]  # every other list, in publishing order
    samples: tuple[str, ...]  # jurisdictions whose lists are samples
    definition: str | None
    child: ChildDefinition | None
    pdfs: bool  # whether PDF editions are published beside the pages
    report: bool  # whether the reviewers' report is part of the site
    # Many provinces (a national portal): the pages that would name every list (the home page's
    # places, the finder's page without JavaScript, notices naming the samples, open data) lead to
    # the provinces instead (`regions`), and the navigation finds the rest.
    grouped: bool = False
    regions: tuple[ListView, ...] = ()  # the lists above every other: the national list, the provinces


def site_context(views: list[ListView], child: ChildDefinition | None, pdfs: bool, report: bool) -> SiteContext:
    top = next((v for v in views if v.floor is None and v.level == Level.province.value), None)
    others = tuple(v for v in views if v is not top)
    definition = next((v.definition for v in views if v.definition), None)
    grouped = navigation.by_province(tuple(views)) is not None
    regions = tuple(v for v in views if v.level in (Level.national.value, Level.province.value)) if grouped else ()
    return SiteContext(tuple(views), top, others, tuple(v.jurisdiction for v in views if v.sample),
                       definition, child, pdfs, report, grouped, regions)


def floor_pages(views: list[ListView] | tuple[ListView, ...]) -> dict[str, str | None]:
    """Each list's floor's page (its Markdown path) among `views`, by list id; None: not published."""
    by_id = {v.id for v in views}
    return {v.id: f"{v.floor.id}.md" if v.floor and v.floor.id in by_id else None for v in views}


@dataclass
class Drafts:
    """Each list's page and open data as made before the site is written: their bytes (`made`, by
    path), the cache key each was made from (`keys`, by path: where `made` has no entry, the kept
    docs folder holds the file made from it), and the floor page each list's page was made with
    (`floors`, by list id)."""

    made: dict[str, bytes] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    floors: dict[str, str | None] = field(default_factory=dict)


def write_pages(docs: DocsFolder, site: SiteContext, report: ReportContext | None = None,
                drafts: Drafts | None = None) -> list[str]:
    """Write every page's Markdown under `docs`; returns their paths relative to it. `drafts`: list
    pages already made, or kept in the docs folder's kept files; a page whose floor page is no longer
    the one it was made with is made again."""
    env = environment("site")
    pages: dict[str, str | bytes] = {
        "index.md": env.get_template("home.md.j2").render(site=site),
        "finder.md": env.get_template("finder.md.j2").render(
            site=site,
            stages=list(finder.STAGE_CHOICES),
            conditions=[(c.value, finder.LABELS[c]) for c in finder.offered(list(site.lists))]),
        "opendata.md": env.get_template("opendata.md.j2").render(site=site),
    }
    drafts = drafts or Drafts()
    floors = floor_pages(site.lists)
    drafted = []  # list pages written as made before, or linked
    for view in site.lists:
        floor_page = floors[view.id]
        if drafts.floors.get(view.id, "") == floor_page:
            if view.page in drafts.made:
                docs.write(view.page, drafts.made[view.page], drafts.keys.get(view.page))
                drafted.append(view.page)
                continue
            if docs.link_made(view.page, drafts.keys.get(view.page)):
                drafted.append(view.page)
                continue
        pages[view.page] = list_page(view, floor_page, site.pdfs)
    if report is not None:
        pages |= _report_pages(env, site, report)
    for rel, text in pages.items():
        docs.write(rel, text)
    return sorted([*pages, *drafted])


def _report_pages(env: Environment, site: SiteContext, report: ReportContext) -> dict[str, str]:
    """The reviewers' report: one page, or for a catalogue of many provinces an overview, a page per
    province and a page per city (with its counties)."""
    groups = navigation.report_groups(site.lists)
    if groups is None:
        return {"report.md": env.get_template("report.md.j2").render(report=report, site=site, part=None, root="../")}
    parts = report_parts.split(report, groups)
    pages = {"report.md": env.get_template("report_index.md.j2").render(report=report, site=site, parts=parts)}
    page = env.get_template("report.md.j2")
    for part in parts:
        for one in (part, *part.cities):
            pages[one.page] = page.render(report=one.report, site=site, part=one, root=one.root)
    return pages


def list_page(view: ListView, floor_page: str | None = None, pdfs: bool = True) -> str:
    """The Markdown of one list's page (`floor_page`: the Markdown path of its floor's page)."""
    return environment("site").get_template("list.md.j2").render(view=view, floor_page=floor_page, pdfs=pdfs)


def copy_static(docs: DocsFolder) -> None:
    """The site's own assets (styles, the finder's script) into the docs folder."""
    docs.copy_tree(SITE / "docs")


def copy_sources(docs: DocsFolder, catalogue: Path, views: list[ListView]) -> None:
    """Each list's official source text (catalogue/sources/…), so its page can link the document itself."""
    root = catalogue.resolve()
    for view in views:
        if not view.source_file:
            continue
        source = (catalogue / view.source_file).resolve()
        if not source.is_relative_to(root) or not source.is_file():
            continue  # a link out of the catalogue is never followed into the published site
        docs.copy(source, source.relative_to(root).as_posix())


def drop_source_maps(out: Path) -> None:
    """The theme ships source maps of its bundles: families do not need them, and they are most of its weight."""
    scripts = []
    for folder, _, names in os.walk(out):  # one walk: a national site has thousands of pages
        for name in names:
            if name.endswith(".map"):
                os.unlink(os.path.join(folder, name))
            elif name.endswith((".js", ".css")):
                scripts.append(Path(folder, name))
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        stripped = re.sub(r"\n?/[/*][#@] sourceMappingURL=\S+?(?: \*/)?\s*$", "\n", text)
        if stripped != text:  # a new file, not a write into it: it may be shared with the kept site
            fresh = path.with_name(f".{path.name}.new")
            fresh.write_text(stripped, encoding="utf-8")
            os.replace(fresh, path)


def _nav(site: SiteContext) -> list[dict[str, Any]]:
    """The families' navigation: no reviewers' report and no open data (both linked from the footer).
    A catalogue of many provinces is grouped by province and city (each page then carries only its branch)."""
    lists = navigation.by_province(site.lists) or [
        {title_text(v.jurisdiction + ("（示例）" if v.sample else "")): v.page} for v in site.cities]
    if site.province and navigation.by_province(site.lists) is None:
        lists.append({title_text(f"{site.province.jurisdiction}基础清单"): site.province.page})
    return [{"首页": "index.md"}, {"查一查": "finder.md"}, {"各地清单": lists}]


def _footer(site: SiteContext) -> dict[str, Any]:
    """The publisher and contact the footer shows, from the provincial list in the catalogue."""
    top = site.province
    publisher = top.publisher if top else None
    return {"publisher": publisher or (top.issuer if top else None), "report": site.report}


def mkdocs_config(work: Path, docs: Path, out: Path, site: SiteContext, base_url: str | None) -> Path:
    """The full mkdocs configuration: site/mkdocs.yml plus the generated nav and folders."""
    config = YAML(typ="safe").load((SITE / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(SITE / config["theme"].get("custom_dir", "overrides"))
    config |= {"docs_dir": str(docs), "site_dir": str(out), "nav": _nav(site), "strict": True,
               "not_in_nav": "/report.md\n/report/\n/opendata.md\n"}
    config.setdefault("extra", {})["qingdan"] = _footer(site)
    if navigation.by_province(site.lists) is not None:  # many provinces: each page carries only its own branch
        config["theme"]["features"] = [*config["theme"].get("features", []), navigation.PRUNE]
    if base_url:
        config["site_url"] = base_url
    path = work / "mkdocs.yml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    return path


def _dirty_notice(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, as_of: dt.date, dirty: bool = False) -> None:
    """Build the site; any mkdocs warning (a broken link, say) is a BuildError naming it.
    `dirty`: the site folder holds the previous build's output (`site_cache`), and only the pages
    whose Markdown is newer than their output are rendered again."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # mkdocs stamps the sitemap with the build time; the day the build is "as of" keeps it reproducible.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(as_of)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from compiler.publish.render.html_pages import HtmlPages

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    saved = logger.handlers[:], logger.propagate, logger.level
    logger.handlers, logger.propagate = [collect], False
    logger.setLevel(logging.INFO)
    try:
        # The configuration is JSON (a national nav names 3,211 pages): parsed by json, not by
        # mkdocs's YAML loader (a second of pure Python), and given whole as the options.
        options = json.loads(config_file.read_text(encoding="utf-8"))
        config = load_config(config_file=io.StringIO("{}"), config_file_path=str(config_file), **options)
        config.plugins["qingdan/html-pages"] = HtmlPages()  # the pages that are HTML skip Python-Markdown
        logging.getLogger("jieba").setLevel(logging.WARNING)  # set by jieba on import, above
        private_jieba_cache()
        if dirty:
            site_cache.unlink_outputs(config)
            # mkdocs says a dirty build may leave navigation stale; here the navigation is part of the
            # site's key, so a changed navigation is never built dirty.
            logging.getLogger("mkdocs.commands.build").addFilter(_dirty_notice)
        try:
            build(config, dirty=dirty)
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(_dirty_notice)
    except (MkDocsException, SystemExit) as exc:
        details = "；".join(collect.messages) or str(exc)
        raise BuildError(f"网站构建失败：{details}", en=f"the site build failed: {'; '.join(collect.messages) or exc}") from None
    finally:
        logger.handlers, logger.propagate, _ = saved
        logger.setLevel(saved[2])
        if epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
