"""`qingdan explain FILE[:LINE]`: what was read in a list's texts (compiler.review.explain)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from compiler.errors import UsageError


def _target(spec: str) -> tuple[Path, int | None]:
    path, _, line = spec.rpartition(":")
    if path and line.isdigit():
        return Path(path), int(line)
    return Path(spec), None


def run(args: argparse.Namespace) -> int:
    """Print what was read in the named list (at a line, if given)."""
    from compiler.checks import pipeline
    from compiler.review.explain import explain, lines
    from compiler.source.loader import display_name

    path, line = _target(args.file)
    if not path.is_file():
        raise UsageError(f"不是清单文件：{path}", en=f"not a list file: {path}")
    found = pipeline.inputs([path])
    result = pipeline.check_files(found.root, found.files, set(), dt.date.today())
    name = display_name(path)
    entry = next((e for e in result.corpus.lists if e.doc.name == name), None)
    if entry is None:
        raise UsageError(f"无法读取清单 {name}（先用 qingdan check 查看问题）",
                         en=f"cannot read the list {name} (run qingdan check to see why)")
    views = explain(entry, result.corpus.usable_floor(entry), line)
    if args.format == "json":
        sys.stdout.write(json.dumps(views, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(text for v in views for text in [*lines(v, args.lang), ""]))
    return 0
