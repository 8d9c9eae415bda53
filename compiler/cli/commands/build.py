"""`qingdan build`."""

from __future__ import annotations

import argparse
import sys
import time

from compiler.domain import dates


def run(args: argparse.Namespace) -> int:
    from compiler.output.visible import visible
    from compiler.publish.base_url import base_url
    from compiler.publish.build_summary import WORDS, left_out, not_published, summary
    from compiler.publish.freshness import BuildOptions, up_to_date
    from compiler.publish.render.cache import default_folder

    options = BuildOptions(args.catalogue, args.out, dates.as_of(args.as_of), base_url(args.base_url),
                           pdfs=not args.no_pdf, cache=None if args.no_cache else default_folder(), lang=args.lang)
    tty = sys.stderr.isatty()

    def progress(step: str) -> None:
        step = visible(step)  # a PDF's label holds list text
        print(f"\r\033[K… {step}" if tty else f"… {step}", end="" if tty else "\n", file=sys.stderr, flush=True)

    started = time.perf_counter()
    result = up_to_date(options)  # before the check and the renderers are even imported
    if result is not None:
        result.seconds = time.perf_counter() - started
    else:
        from compiler.publish.build import build

        result = build(options, progress)
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    for bad in result.left_out:
        print(f"qingdan: {visible(left_out(bad.name, args.lang))}", file=sys.stderr)
    for failure in result.failed:
        print(f"qingdan: {visible(not_published(failure, args.lang))}", file=sys.stderr)
    print("\n".join(summary(result, args.lang)))
    status = 1 if result.left_out or result.failed else 0
    if not result.up_to_date and result.pdfs and not options.base_url:
        print(WORDS[args.lang]["no_qr"], file=sys.stderr)
    return status
