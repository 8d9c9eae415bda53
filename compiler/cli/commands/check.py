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
    from compiler.checks.catalogue_check import check_catalogue
    from compiler.output import pruning
    from compiler.output import text as formats
    from compiler.publish.render.cache import default_folder

    folder = None if args.no_cache else default_folder()
    report = check_catalogue(request.inputs, request.as_of, folder)
    pruning.prune(folder)  # a month unused: what an edit or an upgrade left behind
    severity = Severity.parse(args.min_severity)
    if args.format == "sarif":
        from compiler.output.sarif import to_sarif

        return report.exit_code(), to_sarif(report, args.lang, severity)
    if args.format == "json":
        return report.exit_code(), formats.to_json(report, args.lang, severity)
    return report.exit_code(), formats.text(report, args.lang, severity)
