"""`qingdan status`."""

from __future__ import annotations

import argparse
import sys

from compiler.domain import dates
from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.checks import pipeline
    from compiler.review import status

    as_of = dates.as_of(args.as_of)
    if args.ics is not None and args.ics.suffix.lower() != ".ics":  # also keeps a slip from overwriting a list
        raise UsageError(f"ICS 文件名须以 .ics 结尾：{args.ics}", en=f"the ICS file name must end in .ics: {args.ics}")
    result = pipeline.check([args.catalogue], as_of)
    if args.ics is not None:
        from compiler.output.atomic import write_atomic
        from compiler.review.ics import calendar

        write_atomic(args.ics, calendar(status.rows(result), as_of, args.lang), "ICS 文件", "ICS file")
    sys.stdout.write(status.to_json(result, args.lang) if args.format == "json" else status.text(result, args.lang))
    return 0
