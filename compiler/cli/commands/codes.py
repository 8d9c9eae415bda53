"""`qingdan codes`."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from compiler.codes import CODES, markdown_table

    if args.markdown:
        print(markdown_table())
        return 0
    for c in CODES.values():
        title = c.title_en if args.lang == "en" else c.title
        print(f"{c.code}  {c.severity.key:<7}  {c.name:<22} {title}")
    return 0
