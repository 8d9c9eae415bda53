"""`qingdan check`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.diagnostics import Severity
from compiler.domain import dates

if TYPE_CHECKING:
    from compiler.output.check_cache import Request


def run(args: argparse.Namespace) -> int:
    from compiler.output import check_cache
    from compiler.publish.render.cache import default_folder
    from compiler.source import inputs as found_inputs  # not the checks: a cache hit needs none of them

    inputs = found_inputs.inputs(args.paths or [Path("catalogue")])
    request = check_cache.Request(inputs, dates.as_of(args.as_of), (args.format, args.lang, args.min_severity))
    cache = check_cache.CheckCache(None if args.no_cache else default_folder())
    code, out = cache.run(request, lambda: _check_output(request, args))
    sys.stdout.write(out)
    return code


def _check_output(request: Request, args: argparse.Namespace) -> tuple[int, str]:
    from compiler.checks import pipeline
    from compiler.output import text as formats

    found = request.inputs
    # Review records change what a list's findings are; the scoped check does not read them yet.
    if args.no_cache or _has_reviews(found.root):
        result = pipeline.check_files(found.root, found.files, found.reported, request.as_of)
    else:  # only what the files asked about depend on, and only what changed since the last check
        from compiler.checks.scoped import check_some
        from compiler.publish.render.cache import default_folder
        from compiler.source.document_store import DocumentStore

        result = check_some(found, request.as_of, DocumentStore(default_folder()))
    severity = Severity.parse(args.min_severity)
    if args.format == "sarif":
        from compiler.output.sarif import to_sarif

        return result.exit_code(), to_sarif(result, args.lang, severity)
    if args.format == "json":
        return result.exit_code(), formats.to_json(result, args.lang, severity)
    return result.exit_code(), formats.text(result, args.lang, severity)


def _has_reviews(root: Path) -> bool:
    """Whether the catalogue holds review records (reviews/*.yaml), which the scoped check does not read."""
    folder = root / "reviews"
    return folder.is_dir() and any(p.suffix in (".yaml", ".yml") for p in folder.iterdir())
