"""One list never stops the others: whatever fails for one list leaves that list out, named.

`build` publishes a catalogue of many lists from many hands. A list whose view cannot be made,
whose page or open data cannot be written, or whose poster does not fit on one page is left
out of the output with a message naming its file and saying why; the rest is published and
the build exits 1. Failures of the tool itself (no font, a full disk) still stop the build.

Which lists were left out is written into the output's marker, so a later build that finds
nothing changed still names them (and still exits 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.errors import OutputError, QingdanError
from compiler.publish import views as contexts
from compiler.publish.failure import Failure, read_marker  # noqa: F401  (re-exported)
from compiler.publish.views import ListView


def _why(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, QingdanError):
        return exc.text("zh"), exc.text("en")
    return f"{type(exc).__name__}: {exc}", f"{type(exc).__name__}: {exc}"


def guarded(what: str, what_en: str, exc: Exception, name: str) -> Failure:
    """`exc`, raised while making `what` for the list in file `name`, as a Failure (or re-raised
    when it is the tool's own failure, which must stop the whole build)."""
    if isinstance(exc, (OutputError, KeyboardInterrupt, MemoryError)):
        raise exc
    zh, en = _why(exc)
    return Failure(name, f"无法生成{what}：{zh}", f"cannot make the {what_en}: {en}")


def make_views(check: CheckResult, make: Callable[[ListResult], ListView] | None = None
               ) -> tuple[list[ListView], list[Failure]]:
    """A view for each list to publish (by `make`, else made anew); a list whose view cannot be made is a Failure."""
    made, failed = [], []
    for result in contexts.to_publish(check):
        try:
            made.append(make(result) if make is not None else contexts.publication_view(result, check))
        except Exception as exc:  # noqa: BLE001 - one list's failure, whatever it is, is that list's
            failed.append(guarded("网页内容", "page content", exc, result.entry.doc.name))
    return made, failed


def keep_working(views: Iterable[ListView], attempt: Callable[[ListView], object]) -> tuple[list[ListView], list[Failure]]:
    """The views for which `attempt` succeeds, and a Failure for each of the others."""
    kept, failed = [], []
    for view in views:
        try:
            attempt(view)
            kept.append(view)
        except Exception as exc:  # noqa: BLE001 - see make_views
            failed.append(guarded("网页或开放数据", "page or open data", exc, view.catalogue_file))
    return kept, failed


