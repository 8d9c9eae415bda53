"""`qingdan upgrade`: move a list onto a newer edition of its floor."""

from __future__ import annotations

import argparse
import sys

from compiler.diagnostics import Severity


def run(args: argparse.Namespace) -> int:
    from compiler.authoring.upgrade import plan
    from compiler.output.atomic import output_error
    from compiler.output.authoring_text import upgrade_report

    up = plan(args.file, args.to)
    if args.dry_run:
        sys.stdout.write(up.diff())
    else:
        try:
            up.write()
        except OSError as exc:
            raise output_error(up.file, exc, "清单（文件未改动）", "list (the file is unchanged)") from None
    sys.stdout.write(upgrade_report(up, args.lang, args.dry_run))
    return 1 if any(d.severity is Severity.ERROR for d in up.findings) else 0
