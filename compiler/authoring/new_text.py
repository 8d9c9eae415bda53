"""The text of a new list pre-filled from its floor, for a bureau to adapt (`qingdan new`).

Every floor provision is copied with `covers` naming it, so the new list meets its floor as
generated; departments are mapped to their local counterparts through the registry; what only
the bureau can know (dates, issuer, document number, contacts, where families go) is left as
TODO markers, which `check` reports (QD111) until they are filled in. The list starts as a
draft, so no deadline runs before it is issued.

The text is written line by line rather than dumped, so that fields can carry Chinese
comments; every value goes through one quoting function.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from compiler.authoring.floor_builder import ItemDraft, ProvisionDraft, item_draft
from compiler.checks.drafts import MARKER
from compiler.codes import CODES, DEVIABLE
from compiler.domain.comparisons import number
from compiler.domain.corpus import Departments, ListEntry
from compiler.domain.deadlines import RULES
from compiler.models import Item, Level, Target
from compiler.output.width import display_width

COMMENT_COLUMN = 40  # display column where field comments start
_SAFE = YAML(typ="safe")


def scalar(value: str, flow: bool = False) -> str:
    """`value` as a YAML scalar: plain where it reads back unchanged, else double-quoted."""
    probe, want = (f"k: [{value}]\n", {"k": [value]}) if flow else (f"k: {value}\n", {"k": value})
    try:
        if value and _SAFE.load(probe) == want:
            return value
    except YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


# What each field means, said once: at its first occurrence in the generated list.
NOTES = {
    "id": "清单编号：小写字母、数字、连字符，与文件名一致",
    "level": "层级：national / province / city / county",
    "jurisdiction": "辖区名称",
    "title": "清单标题",
    "edition": "版本号：每次更新发布加一",
    "sample": "示例数据写 true（示例不是真实政策）",
    "floor": "底线：本清单以哪份清单的哪一版为准，不要改",
    "contact": "清单的咨询联系方式",
    "groups": "服务分组，与底线相同",
    "group": "分组名称",
    "items": "本组的服务项",
    "item": "服务项编号：沿用底线编号，便于对照",
    "target": "服务对象：范围不得比底线窄",
    "target.text": "服务对象原文",
    "age": "年龄（周岁，含两端）",
    "conditions": "须同时满足的条件：不得比底线多",
    "any_of": "满足其一即可的条件：不得比底线少",
    "service": "服务项目",
    "plain": "给家庭看的通俗说明",
    "provisions": "服务内容，逐条列出",
    "provision": "条款编号：沿用底线编号",
    "text": "条文：可按本地实际改写得更具体，但不得低于底线",
    "commitment": "承诺程度：保障 > 有条件 > 鼓励，不得弱于底线；可省略，省略时按条文读出",
    "standards": "数量标准：数值不得比底线差，并与条文一致；可省略，省略时按条文读出",
    "covers": "落实底线的哪一条：不要删",
    "departments": "责任部门：已按部门名录换成本级对应部门，请核对",
    "access": "家庭如何获得这项服务",
}


@dataclass
class ListText:
    """The new list's text, built from its floor line by line: `render()` once."""

    jurisdiction: str
    list_id: str
    level: Level
    floor: ListEntry | None  # None only for an imported list without a floor (`source.importers`)
    today: dt.date
    departments: Departments
    schema: str
    lines: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    _explained: set[str] = field(default_factory=set)

    def add(self, indent: int, text: str, note: str | None = None, *, explain: str | None = None) -> None:
        """One line; `note` is its comment, or the meaning of field `explain` the first time it appears."""
        if explain is not None and explain not in self._explained:
            self._explained.add(explain)
            note = NOTES[explain]
        line = " " * indent + text
        if note:
            line += " " * max(COMMENT_COLUMN - display_width(line), 2) + "# " + note
        self.lines.append(line)

    @property
    def base(self) -> ListEntry:
        """The floor: every list `new` makes has one (only an imported one may not, and it renders itself)."""
        assert self.floor is not None
        return self.floor

    @property
    def title(self) -> str:
        return f"{self.jurisdiction}流动儿童在居住地享有关爱服务清单" + ("（示例）" if self.base.model.sample else "")

    def render(self) -> str:
        self._header()
        self._identity()
        self._contact()
        self.add(0, "groups:", explain="groups")
        for group in self.base.model.groups:
            self.add(2, f"- name: {scalar(group.name)}", explain="group")
            self.add(4, "items:", explain="items")
            for item in group.items:
                self._item(item)
        self._deviations()
        return "\n".join(self.lines) + "\n"

    def _header(self) -> None:
        floor = self.base.model
        self.lines += [f"# yaml-language-server: $schema={self.schema}"]
        if floor.sample:
            self.lines += ["# 【示例数据】底线清单是示例，本清单也标为示例（sample: true），不是真实政策。"]
        self.lines += [
            f"# {self.title}（草稿）",
            f"# 由 qingdan new 依据底线清单 {self.base.key}《{floor.title}》生成。",
            "# 底线的每一条服务内容都已列出，covers 写明它落实底线的哪一条。条文可按本地实际改写得更具体，",
            "# 但覆盖范围和实现程度不得低于底线；本地新增的服务另写服务项，不写 covers。",
            "# 责任部门已按部门名录换成本级对应部门，请逐一核对。",
            "# 只有本地才能填写的内容标有待填写标记，qingdan check 会以 QD111 逐条列出：全部填好、",
            "# 删去 draft 一行后再印发。确实无法按底线原样落实的，写进文末的 deviations，待审核认可。",
        ]

    def _identity(self) -> None:
        j = self.jurisdiction
        self.add(0, f"id: {self.list_id}", explain="id")
        self.add(0, f"level: {self.level.value}", explain="level")
        self.add(0, f"jurisdiction: {scalar(j)}", explain="jurisdiction")
        self.add(0, f"title: {scalar(self.title)}", explain="title")
        self.add(0, "edition: 1", explain="edition")
        self.add(0, "draft: true", f"{MARKER}：印发时删去本行（草稿不计算备案和更新期限）")
        self.add(0, f"issued: {self.today.isoformat()}", f"{MARKER}：改为印发日期（YYYY-MM-DD，不加引号）")
        rule = RULES.get(self.level)
        if rule is not None and rule.filing_days is not None:
            self.lines.append(f"# filed: 报送省民政厅备案的日期（印发后{rule.filing_days}日内），备案后再写这一行")
        self.add(0, "issuer: " + scalar(f"{MARKER}：填写印发机关，如 {j}民政局等部门"))
        self.add(0, "document_number: " + scalar(f"{MARKER}：填写文号；没有文号就删去本行"))
        self.add(0, f"sample: {'true' if self.floor is not None and self.floor.model.sample else 'false'}",
                 explain="sample")
        if self.floor is None:
            return  # a list with no floor (an imported provincial list) names none
        self.add(0, "floor:", explain="floor")
        self.add(2, f"list: {self.floor.model.id}", f"《{self.floor.model.title}》")
        self.add(2, f"edition: {self.floor.model.edition}")

    def _contact(self) -> None:
        self.add(0, "contact:", explain="contact")
        self.add(2, "department: " + scalar(f"{MARKER}：负责解答的部门，如 {self.jurisdiction}民政局"))
        self.add(2, "phone: " + scalar(f"{MARKER}：咨询电话"))

    def _item(self, item: Item) -> None:
        draft = item_draft(self.base.model, item, self.departments, self.level, self.list_id)
        self.add(6, f"- id: {draft.id}", explain="item")
        self._target(draft.target)
        self.add(8, f"service: {scalar(draft.service)}", explain="service")
        if draft.plain:
            self.add(8, f"plain: {scalar(draft.plain)}", explain="plain")
        self.add(8, "provisions:", explain="provisions")
        for provision in draft.provisions:
            self._provision(provision)
        self._departments(draft)
        self.add(8, "access:", explain="access")
        self.add(10, "where: " + scalar(f"{MARKER}：办理地点"))
        self.add(10, "phone: " + scalar(f"{MARKER}：咨询电话"))
        self.add(10, "materials: " + _flow([f"{MARKER}：所需材料"]))

    def _target(self, target: Target) -> None:
        self.add(8, "target:", explain="target")
        self.add(10, f"text: {scalar(target.text)}", explain="target.text")
        if target.age is not None:
            upper = f", max: {target.age.max}" if target.age.max is not None else ""
            self.add(10, f"age: {{min: {target.age.min}{upper}}}", explain="age")
        for name in ("conditions", "any_of"):
            values = [c.value for c in getattr(target, name)]
            if values:
                self.add(10, f"{name}: {_flow(values)}", explain=name)

    def _provision(self, draft: ProvisionDraft) -> None:
        self.add(10, f"- id: {draft.id}", explain="provision")
        note = "已按底线清单的勘误更正" if draft.corrected else None
        self.add(12, f"text: {scalar(draft.text)}", note, explain=None if draft.corrected else "text")
        if draft.commitment is not None:
            self.add(12, f"commitment: {draft.commitment}", explain="commitment")
        if draft.standards:
            self.add(12, "standards:", explain="standards")
            for s in draft.standards:
                self.add(14, f"- {{name: {scalar(s.name, flow=True)}, value: {number(s.value)}, "
                             f"unit: {scalar(s.unit, flow=True)}, better: {s.better.value}}}")
        if draft.plain:
            self.add(12, f"plain: {scalar(draft.plain)}", explain="plain")
        self.add(12, f"covers: {_flow(list(draft.covers))}", explain="covers")

    def _departments(self, draft: ItemDraft) -> None:
        self.unmapped += [d for d in draft.unmapped if d not in self.unmapped]
        if draft.unmapped:
            note = (f"{MARKER}：部门名录中没有与 {'、'.join(draft.unmapped)} 对应的{self.level.zh}部门：先在 departments.yaml "
                    "登记本地承担该职能的部门，确实没有的写进 deviations")
            self.add(8, f"departments: {_flow(list(draft.departments))}", note)
        else:
            self.add(8, f"departments: {_flow(list(draft.departments))}", explain="departments")

    def _deviations(self) -> None:
        self.lines += [
            "# 偏离：确实无法按底线原样落实时，逐条写明偏离哪一条底线、哪项核查、理由和依据，",
            "# 由审核人员认可（qingdan check 以 QD311 列出，不计为错误）。例如：",
            "#   - where: s01               # 底线服务项或条款编号",
            "#     check: responsibility    # 偏离的核查：" + "、".join(CODES[c].name for c in DEVIABLE),
            "#     reason: 为什么无法按底线原样落实",
            "#     basis: 法律或行政依据（文件名称、文号）",
            "deviations: []",
        ]
