"""`qingdan diff`."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from compiler.review import diff_report
    from compiler.review.edition_diff import diff

    result = diff(args.old, args.new)
    sys.stdout.write(diff_report.to_json(result, args.lang) if args.format == "json" else diff_report.text(result, args.lang))
    return result.exit_code()
