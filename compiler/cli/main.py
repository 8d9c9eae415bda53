"""The `qingdan` command: parse arguments, run one command's handler, choose the exit status.

Only `compiler.cli` prints. Exit status: 0 no error-level finding, 1 at least one (for `diff`: a
place where the new edition is lower than the old), 2 a usage error or unreadable input, 3 a bug
in qingdan itself, which prints a short message, not a traceback (QINGDAN_DEBUG=1 shows it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence

from compiler.cli.parser import build_parser
from compiler.errors import QingdanError
from compiler.output.visible import VisibleWriter, visible


def _terminated(signum: int, frame: object) -> None:
    # The first SIGTERM unwinds like Ctrl+C, so a build removes its staging folder; a service
    # manager may send more, which must not interrupt that clean-up half-way: they are ignored.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def requested_lang(argv: Sequence[str]) -> str:
    """The language asked for on the command line, read before (or without) parsing it.

    `--lang` belongs to each subcommand, so a usage error found while parsing has no parsed
    value to go by; the last `--lang en` / `--lang=en` before a `--` decides, as argparse would.
    """
    lang = "zh"
    for k, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and k + 1 < len(argv):
            lang = argv[k + 1]
        elif arg.startswith("--lang="):
            lang = arg.removeprefix("--lang=")
    return "en" if lang == "en" else "zh"


def main(argv: Sequence[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = requested_lang(argv)
    # Everything printed passes one filter: list text can hold any character (YAML's "\e").
    stdout, sys.stdout = sys.stdout, VisibleWriter(sys.stdout)
    try:
        return _main(argv, lang)
    finally:
        sys.stdout = stdout


def _main(argv: list[str], lang: str) -> int:
    try:
        args = build_parser(lang).parse_args(argv)
        lang = getattr(args, "lang", lang)
        return _run(args)
    except QingdanError as exc:
        print(f"qingdan: {visible(exc.text(lang))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("qingdan: " + ("interrupted" if lang == "en" else "已中断"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        from compiler.output.atomic import is_write_failure, output_error

        if not is_write_failure(exc):  # a bug, not a full or read-only disk
            return _internal(exc, lang)
        print(f"qingdan: {visible(output_error(exc, exc.filename).text(lang))}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        return _internal(exc, lang)


def _internal(exc: Exception, lang: str) -> int:
    """A bug in qingdan: a short message (the traceback with QINGDAN_DEBUG=1), exit 3."""
    if os.environ.get("QINGDAN_DEBUG"):
        traceback.print_exc()
    if lang == "en":
        print(f"qingdan: internal error ({type(exc).__name__}: {exc}). This is a bug in qingdan, not a problem "
              "with the lists; set QINGDAN_DEBUG=1 to see the details.", file=sys.stderr)
    else:
        print(f"qingdan: 内部错误（{type(exc).__name__}: {exc}）。这是 qingdan 的缺陷，不是清单的问题；"
              "设置 QINGDAN_DEBUG=1 可看到详细信息。", file=sys.stderr)
    return 3


def _run(args: argparse.Namespace) -> int:
    module = importlib.import_module(f"compiler.cli.commands.{args.handler}")
    return module.run(args)
