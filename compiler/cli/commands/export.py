"""`qingdan export`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.checks import pipeline
    from compiler.output.atomic import output_error
    from compiler.review import matrix, xlsx

    out: Path = args.out
    if out.is_dir():
        raise UsageError(f"输出路径是一个文件夹：{out}", en=f"the output path is a folder: {out}")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件须以 .xlsx 结尾：{out}", en=f"the output file must end in .xlsx: {out}")
    if not out.parent.is_dir():
        raise UsageError(f"输出文件夹不存在：{out.parent}", en=f"the output folder does not exist: {out.parent}")
    result = pipeline.check([args.path], args.as_of or dt.date.today())
    table = matrix.compute(result)
    try:
        xlsx.export(result, table, out, args.lang)
    except OSError as exc:
        raise output_error(out, exc, "工作簿", "workbook") from None
    zh = args.lang == "zh"
    print(f"已写入 {out}：合规矩阵 {len(table.rows)} 份清单 × {len(table.floor_items)} 个底线服务项，另有 {len(result.lists)} 张清单工作表"
          if zh else f"wrote {out}: matrix of {len(table.rows)} lists x {len(table.floor_items)} floor items, "
          f"and {len(result.lists)} list sheets")
    for bad in result.invalid:
        print(f"注意：{bad.name} 无法读取或格式错误，未列入（用 qingdan check 查看原因）" if zh else
              f"note: {bad.name} is unreadable or malformed and was left out (see qingdan check)", file=sys.stderr)
    return 0
