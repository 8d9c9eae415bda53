"""`qingdan new`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.authoring import new_list as newlist
    from compiler.checks import pipeline
    from compiler.models import Level
    from compiler.output.atomic import write_new
    from compiler.output.authoring_text import new_report

    if not args.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{args.catalogue}", en=f"the catalogue folder does not exist: {args.catalogue}")
    root = pipeline.find_root(args.catalogue)
    request = newlist.Request(args.jurisdiction, args.floor, args.list_id,
                               Level(args.level) if args.level else None, args.out)
    new = newlist.prepare(pipeline.load_corpus(root), root, request, dt.date.today())
    write_new(new.path, new.text)
    sys.stdout.write(new_report(new, args.lang))
    return 0
