"""`qingdan build`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from compiler.errors import UsageError


def _base_url(text: str | None) -> str | None:
    if text is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--base-url 须是 http:// 或 https:// 开头的完整网址：{text}",
                         en=f"--base-url must be a full address starting with http:// or https://: {text}")
    return text if text.endswith("/") else text + "/"


def run(args: argparse.Namespace) -> int:
    from compiler.publish.build_summary import WORDS, left_out, summary
    from compiler.publish.freshness import BuildOptions, up_to_date
    from compiler.publish.render.cache import default_folder

    options = BuildOptions(args.catalogue, args.out, args.as_of or dt.date.today(), _base_url(args.base_url),
                           pdfs=not args.no_pdf, cache=None if args.no_cache else default_folder(), lang=args.lang)
    tty = sys.stderr.isatty()

    def progress(step: str) -> None:
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
        print(f"qingdan: {left_out(bad.name, args.lang)}", file=sys.stderr)
    print("\n".join(summary(result, args.lang)))
    if result.up_to_date:
        return 1 if result.left_out else 0
    if result.pdfs and not options.base_url:
        print(WORDS[args.lang]["no_qr"], file=sys.stderr)
    return 1 if result.left_out else 0
