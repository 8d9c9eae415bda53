"""`qingdan receipt LIST@EDITION`: the filing receipt as PDF and .docx."""

from __future__ import annotations

import argparse
import datetime as dt

from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.checks.pipeline import check, find_root
    from compiler.review import receipt as receipts
    from compiler.review.receipt_pdf import render
    from compiler.review.workflow import parse_key

    parse_key(args.key)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"输出路径不是文件夹：{args.out}", en=f"the output path is not a folder: {args.out}")
    as_of = args.as_of or dt.date.today()
    result = check([find_root(args.catalogue)], as_of)
    receipt = receipts.context(result, args.key, as_of)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / receipts.file_stem(receipt.key)
    render(receipt, stem.with_suffix(".pdf"))
    receipts.write_docx(receipt, stem.with_suffix(".docx"))
    zh = args.lang == "zh"
    state = receipt.outcome or ("审核中" if zh else "under review")
    print(f"已写入 {stem}.pdf 和 {stem}.docx（{receipt.key}，{state}）" if zh else
          f"wrote {stem}.pdf and {stem}.docx ({receipt.key}, {state})")
    return 0
