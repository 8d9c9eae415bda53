"""`qingdan new`."""

from __future__ import annotations

import argparse

from compiler.domain import dates
from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.authoring import new_list as newlist
    from compiler.checks import pipeline
    from compiler.models import Level
    from compiler.output.atomic import write_new
    from compiler.source.loader import display_name

    if not args.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{args.catalogue}", en=f"the catalogue folder does not exist: {args.catalogue}")
    root = pipeline.find_root(args.catalogue)
    request = newlist.Request(args.jurisdiction, args.floor, args.list_id,
                               Level(args.level) if args.level else None, args.out)
    new = newlist.prepare(pipeline.load_corpus(root), root, request, dates.today())
    write_new(new.path, new.text)
    name, floor = display_name(new.path), new.floor.model
    items, provisions = sum(1 for _ in floor.items()), sum(1 for _ in floor.provisions())
    if args.lang == "en":
        print(f"wrote {name} (id {new.list_id}, {new.level.value} list, floor {new.floor.key}): {items} services, "
              f"{provisions} provisions, {new.todos} TODO markers to fill in.\n"
              f"next: fill in every TODO, then run: qingdan check {name}")
    else:
        print(f"已生成 {name}（编号 {new.list_id}，{new.level.zh}清单，底线 {new.floor.key}）："
              f"{items} 项服务、{provisions} 条条款，{new.todos} 处待填写（TODO）。\n"
              f"下一步：逐条填写 TODO 并删去标记，然后运行 qingdan check {name}")
    if new.unmapped:
        print(("注意：部门名录中没有这些底线部门的对应部门：" if args.lang == "zh" else
               "note: no local counterpart in the registry for: ") + "、".join(new.unmapped))
    return 0
