"""The imported list's YAML text, written line by line through `new`'s writer and quoting.

It is the skeleton `qingdan new` writes (header, identity, contact, deviations and their
TODO markers), with the table's items in place of the floor's: every 服务对象, 服务项目 and
provision text as the table has it, `covers` as `align` proposes, uncertain ones marked
`# 待核对` with their candidates, local additions marked 本地新增. No `commitment:` or
`standards:` is written: where they are absent, `check` reads them from the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.authoring.new_text import ListText, _flow, scalar
from compiler.checks.drafts import MARKER
from compiler.source.importers.align import Alignment
from compiler.source.importers.rows import Body, RawItem

REVIEW = "待核对"
ADDITION = "本地新增"


@dataclass
class Placed:
    """Where the writer put things, for diagnostics about them (1-based line numbers)."""

    provisions: dict[tuple[int, int], int] = field(default_factory=dict)  # (item, provision) -> line
    departments: dict[int, int] = field(default_factory=dict)  # item -> line
    items: dict[int, int] = field(default_factory=dict)


@dataclass
class ImportedItem:
    """An item as it will be written: its id, texts and mapped departments."""

    raw: RawItem
    id: str
    texts: list[str]
    departments: list[str]
    unmapped: list[str]


@dataclass
class ImportWriter(ListText):
    """`ListText`'s lines for a list whose items come from a table."""

    body: Body | None = None
    items: list[ImportedItem] = field(default_factory=list)
    alignment: Alignment | None = None
    source: str = ""
    placed: Placed = field(default_factory=Placed)

    @property
    def title(self) -> str:
        sample = "（示例）" if self.floor is not None and self.floor.model.sample else ""
        own = self.body.title if self.body and self.body.title else None
        return (own + sample) if own else f"{self.jurisdiction}流动儿童在居住地享有关爱服务清单{sample}"

    def render(self) -> str:
        self.lines += [f"# yaml-language-server: $schema={self.schema}",
                       f"# {self.title}（草稿）",
                       f"# 由 qingdan import 从 {self.source} 导入。服务对象、服务项目和服务内容照录原表；",
                       "# covers 是按条文推测的对应关系：标有“待核对”的请逐条核对后删去注释，",
                       "# 标有“本地新增”的条款与底线任何一条都不对应。",
                       "# 只有本地才能填写的内容标有待填写标记，qingdan check 会以 QD111 逐条列出。"]
        self._identity()
        self._contact()
        self.add(0, "groups:", explain="groups")
        k = 0
        for group in self.body.groups if self.body else []:
            self.add(2, f"- name: {scalar(group.name)}", explain="group")
            self.add(4, "items:", explain="items")
            for _ in group.items:
                self._imported(k)
                k += 1
        self._deviations()
        return "\n".join(self.lines) + "\n"

    def _imported(self, k: int) -> None:
        item = self.items[k]
        raw = item.raw
        self.placed.items[k] = len(self.lines) + 1
        self.add(6, f"- id: {item.id}", f"原表序号 {raw.number}" if raw.number else None)
        if raw.number.isdigit():
            self.add(8, f"row: {int(raw.number)}")
        self.add(8, "target:", explain="target")
        self.add(10, f"text: {scalar(raw.target or MARKER + '：原表没有服务对象，请填写')}", explain="target.text")
        if raw.target_shared_with is not None:
            shared = next((i.raw.number for i in self.items if i.raw.row == raw.target_shared_with), "")
            if shared.isdigit():
                self.add(10, f"merged_with_row: {int(shared)}", f"原表此格与第{shared}行合并")
        self.add(8, f"service: {scalar(raw.service or MARKER + '：原表没有服务项目，请填写')}", explain="service")
        self.add(8, "provisions:", explain="provisions")
        proposals = self.alignment.proposals[k] if self.alignment else []
        for p, text in enumerate(item.texts):
            self.placed.provisions[(k, p)] = len(self.lines) + 1
            self.add(10, f"- id: {item.id}-{p + 1}")
            self.add(12, f"text: {scalar(text)}", explain="text")
            proposal = proposals[p] if p < len(proposals) else None
            if proposal is None or self.floor is None:
                continue
            if proposal.addition:
                self.lines.append(" " * 12 + f"# {ADDITION}：与底线任何一条都不对应")
            elif proposal.uncertain:
                others = "、".join(f"{fid}（{score:.2f}）" for fid, score in proposal.candidates)
                self.add(12, f"covers: {_flow(proposal.covers)}", f"{REVIEW}：候选 {others}")
            else:
                self.add(12, f"covers: {_flow(proposal.covers)}", explain="covers")
        self.placed.departments[k] = len(self.lines) + 1
        names = item.departments + item.unmapped
        note = (f"{REVIEW}：部门名录中没有 {'、'.join(item.unmapped)}，请改为名录中的简称或先登记"
                if item.unmapped else None)
        if names:
            self.add(8, f"departments: {_flow(names)}", note, explain=None if note else "departments")
        else:
            self.add(8, "departments: " + _flow([f"{MARKER}：原表没有责任部门，请填写"]))
        self.add(8, "access:", explain="access")
        self.add(10, "where: " + scalar(f"{MARKER}：办理地点"))
        self.add(10, "phone: " + scalar(f"{MARKER}：咨询电话"))

