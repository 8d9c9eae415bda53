"""What `new` and `upgrade` tell the bureau after writing: one function per command, zh or en."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compiler.diagnostics import Severity
from compiler.output.text import diagnostic_lines
from compiler.source.loader import display_name

if TYPE_CHECKING:
    from compiler.authoring.new_list import NewList
    from compiler.authoring.upgrade import Upgrade


def new_report(new: NewList, lang: str = "zh") -> str:
    """The summary of a generated list and the next step."""
    name, floor = display_name(new.path), new.floor.model
    items, provisions = sum(1 for _ in floor.items()), sum(1 for _ in floor.provisions())
    if lang == "en":
        out = (f"wrote {name} (id {new.list_id}, {new.level.value} list, floor {new.floor.key}): {items} services, "
               f"{provisions} provisions, {new.todos} TODO markers to fill in.\n"
               f"next: fill in every TODO, then run: qingdan check {name}\n")
    else:
        out = (f"已生成 {name}（编号 {new.list_id}，{new.level.zh}清单，底线 {new.floor.key}）："
               f"{items} 项服务、{provisions} 条条款，{new.todos} 处待填写（TODO）。\n"
               f"下一步：逐条填写 TODO 并删去标记，然后运行 qingdan check {name}\n")
    if new.unmapped:
        out += ("注意：部门名录中没有这些底线部门的对应部门：" if lang == "zh" else
                "note: no local counterpart in the registry for: ") + "、".join(new.unmapped) + "\n"
    return out


def upgrade_report(up: Upgrade, lang: str = "zh", dry_run: bool = False) -> str:
    """What moved, the findings against the new floor (at lines of the upgraded file), and the counts."""
    zh = lang == "zh"
    state = ("预览，未写入" if dry_run else "已写入") if zh else ("dry run, nothing written" if dry_run else "written")
    floor, new = up.floor.model.id, up.floor.model.edition
    out = [f"{up.name}：底线 {floor} 第 {up.old_edition} 版 → 第 {new} 版（{state}）" if zh else
           f"{up.name}: floor {floor} edition {up.old_edition} -> {new} ({state})"]
    if up.findings and dry_run:
        out.append("下面的行列号指升级后的文件。" if zh else "Lines and columns below refer to the upgraded file.")
    documents = {up.name: up.document}
    for d in up.findings:
        out.append("\n".join(diagnostic_lines(d, documents, lang, show_basis=d.show_basis)).rstrip("\n"))
        out.append("")
    items = sum(1 for s in up.skeletons if s.is_item)
    provisions = len(up.skeletons) - items
    errors = sum(1 for d in up.findings if d.severity is Severity.ERROR)
    warnings = sum(1 for d in up.findings if d.severity is Severity.WARNING)
    out.append(f"新增 {items} 个服务项骨架、{provisions} 条条款骨架（标有 TODO）；按新版底线核查：{errors} 个错误、{warnings} 个警告"
               if zh else f"added {items} item and {provisions} provision skeletons (marked TODO); against the new floor: "
               f"{errors} errors, {warnings} warnings")
    return "\n".join(out) + "\n"
