"""`qingdan upgrade`."""

from __future__ import annotations

import argparse
import sys

from compiler.diagnostics import Severity
from compiler.errors import InputError


def run(args: argparse.Namespace) -> int:
    from compiler.authoring.upgrade import plan
    from compiler.output.text import diagnostic_lines

    up = plan(args.file, args.to)
    zh = args.lang == "zh"
    if args.dry_run:
        sys.stdout.write(up.diff())
    else:
        try:
            up.write()
        except OSError as exc:
            raise InputError(f"无法写入 {up.name}：{exc.strerror or exc}；文件未改动",
                             en=f"cannot write {up.name}: {exc.strerror or exc}; the file is unchanged") from None
    state = ("预览，未写入" if args.dry_run else "已写入") if zh else ("dry run, nothing written" if args.dry_run else "written")
    floor, new = up.floor.model.id, up.floor.model.edition
    print(f"{up.name}：底线 {floor} 第 {up.old_edition} 版 → 第 {new} 版（{state}）" if zh else
          f"{up.name}: floor {floor} edition {up.old_edition} -> {new} ({state})")
    if up.findings and args.dry_run:
        print("下面的行列号指升级后的文件。" if zh else "Lines and columns below refer to the upgraded file.")
    documents = {up.name: up.document}
    for d in up.findings:
        print("\n".join(diagnostic_lines(d, documents, args.lang, show_basis=d.show_basis)).rstrip("\n"))
        print()
    items = sum(1 for s in up.skeletons if s.is_item)
    provisions = len(up.skeletons) - items
    errors = sum(1 for d in up.findings if d.severity is Severity.ERROR)
    warnings = sum(1 for d in up.findings if d.severity is Severity.WARNING)
    print(f"新增 {items} 个服务项骨架、{provisions} 条条款骨架（标有 TODO）；按新版底线核查：{errors} 个错误、{warnings} 个警告" if zh else
          f"added {items} item and {provisions} provision skeletons (marked TODO); against the new floor: "
          f"{errors} errors, {warnings} warnings")
    return 1 if errors else 0
