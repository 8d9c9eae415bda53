"""`qingdan serve`."""

from __future__ import annotations

import argparse
import logging
import sys

from compiler.domain import dates
from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.publish.serve import serve

    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # its per-request chatter is not for bureau staff
    say = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    try:
        serve(args.catalogue, dates.as_of(args.as_of), args.pdf, args.host, args.port, say, args.lang)
    except OSError as exc:
        raise UsageError(f"无法在 {args.host}:{args.port} 上启动预览（{exc.strerror or exc}），请换一个 --port",
                         en=f"cannot start the preview on {args.host}:{args.port} ({exc.strerror or exc}); "
                         "try another --port") from None
    return 0
