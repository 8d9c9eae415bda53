"""Whether `build` has anything to do: decided from the inputs' digest alone, before the check runs
and before any renderer (WeasyPrint, mkdocs, jieba) is imported.

The output folder's marker holds the digest of what it was built from and the files that were
left out of it, so a build that finds nothing changed still names them and exits as the build
that made the output did.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.errors import UsageError
from compiler.publish.failure import Failure, read_marker
from compiler.publish.render import cache
from compiler.source.inputs import InvalidFile

if TYPE_CHECKING:
    from compiler.checks.pipeline import CheckResult
    from compiler.publish.views import ListView

MARKER = ".qingdan-build"  # in every output folder: only such a folder may be replaced
_FIRST_LINE = "qingdan build output; safe to delete"


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
    check: CheckResult | None  # None: up to date, decided before checking
    views: list[ListView]
    pages: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    seconds: float = 0.0
    up_to_date: bool = False  # nothing changed since the output was built: nothing was rendered
    rendered: int = 0  # PDFs rendered this time (the rest came from the cache)
    skipped: list[InvalidFile] = field(default_factory=list)  # left out of an up-to-date output
    failed: list[Failure] = field(default_factory=list)  # valid lists that could not be published

    @property
    def left_out(self) -> list[InvalidFile]:
        return self.check.invalid if self.check is not None else self.skipped


def check_out(out: Path, catalogue: Path) -> None:
    """Refuse an output folder that is not ours to replace."""
    out_abs, cat_abs = out.resolve(), catalogue.resolve()
    if out_abs == cat_abs or out_abs in cat_abs.parents or cat_abs in out_abs.parents:
        raise UsageError(f"输出目录 {out} 与清单目录 {catalogue} 重叠，请换一个输出目录",
                         en=f"the output folder {out} overlaps the catalogue folder {catalogue}; choose another output folder")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"输出目录 {out} 已存在且不是 qingdan build 生成的，为免误删，请换一个目录或先清空它",
                         en=f"the output folder {out} exists and was not made by qingdan build; so as not to delete "
                         "anything by mistake, choose another folder or empty it first")


def input_digest(options: BuildOptions) -> str:
    """What the output depends on: the catalogue, qingdan itself, and the options that change it."""
    from compiler.output.digest_memo import DigestMemo

    memo = DigestMemo(options.cache, "build")
    files = cache.digest_tree(options.catalogue, memo)
    memo.save()
    return cache.key("build", files, options.as_of, options.base_url, options.pdfs, options.report, options.lang)


def marker_text(digest: str, left_out: list[InvalidFile], failed: list[Failure] | tuple[Failure, ...] = ()) -> str:
    """The marker of an output built from inputs with `digest`, leaving out the unreadable files
    `left_out` and the valid lists `failed` that could not be published."""
    names = [[bad.name, bad.list_id] for bad in left_out]
    failures = "".join(f.marker_line() + "\n" for f in failed)
    return f"{_FIRST_LINE}\n{digest}\n{json.dumps(names, ensure_ascii=False)}\n{failures}"


def unchanged(out: Path, digest: str) -> BuildResult | None:
    """The result of a build that has nothing to do: `out` was built from inputs with `digest`."""
    if (out / MARKER).is_symlink():
        return None  # a marker planted as a link is not ours
    try:
        lines = (out / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) < 2 or lines[1] != digest:
        return None
    try:
        names = json.loads(lines[2]) if len(lines) > 2 else []
        skipped = [InvalidFile(str(name), list_id) for name, list_id in names]
    except (ValueError, TypeError):
        return None  # a damaged marker: build again
    return BuildResult(out, None, [], up_to_date=True, skipped=skipped, failed=read_marker(lines[3:]))


def up_to_date(options: BuildOptions) -> BuildResult | None:
    """The result of building with `options` when nothing changed since the output was built, else None."""
    if not options.catalogue.is_dir():
        return None  # `build` says why
    check_out(options.out, options.catalogue)
    cache.code_digest.cache_clear()  # `serve` asks many times in one process while templates change
    return unchanged(options.out, input_digest(options))
