"""A review record: what the provincial reviewer decided about one edition of one list.

Kept apart from the list (`catalogue/reviews/<list-id>@<edition>.yaml`), because a reviewer never
edits a city's YAML and a city never writes the province's decisions. `check` reads it beside
the list: decisions on deviations, comments, the receipt of the filing and the conclusion.
"""

from __future__ import annotations

import builtins
from enum import Enum

from pydantic import Field

from compiler.models.catalogue import DeviationCheck
from compiler.models.common import Date, ListId, LocalId, Strict, Text


class Verdict(str, Enum):
    """A reviewer's decision on one declared deviation."""

    accepted = "accepted"
    rejected = "rejected"

    @property
    def zh(self) -> str:
        return {"accepted": "认可", "rejected": "不予认可"}[self.value]


class Outcome(str, Enum):
    """The conclusion of a review: the two answers the province gives a filing."""

    approved = "同意备案"
    returned = "退回修改"


class Decision(Strict):
    """审核人员对一条偏离（deviations 中的一项）的决定。"""

    where: LocalId = Field(description="偏离所指的底线条款或服务项编号，与清单 deviations 中的 where 相同")
    check: DeviationCheck = Field(description="偏离的核查项，与清单 deviations 中的 check 相同")
    decision: Verdict = Field(description="accepted（认可）或 rejected（不予认可）")
    reviewer: Text = Field(description="审核人")
    date: Date = Field(description="决定日期")
    reason: Text = Field(description="理由：为什么认可或不予认可")


class Comment(Strict):
    """审核人员对某一服务项或条款的意见。"""

    where: LocalId = Field(description="清单中的服务项或条款编号，如 s07 或 s07-2")
    text: Text = Field(description="意见")
    reviewer: Text = Field(description="审核人")
    date: Date = Field(description="日期")


class Conclusion(Strict):
    """审核结论：同意备案，或退回修改（写明须改正之处）。"""

    outcome: Outcome = Field(description="同意备案 或 退回修改")
    reviewer: Text = Field(description="审核人")
    date: Date = Field(description="结论日期")
    corrections: list[Text] = Field(default_factory=list, description="退回修改时须改正之处，逐条列出")
    digest: Text = Field(description="结论作出时清单内容的摘要（sha256，由 qingdan review 计算）；清单之后被改动时 check 会报告")


class Review(Strict):
    """一份清单某一版本的审核记录（catalogue/reviews/清单编号@版本.yaml）。"""

    list: ListId = Field(description="清单编号，如 xiamen")
    edition: int = Field(ge=1, description="清单版本号")
    received: Date | None = Field(None, description="省民政厅收到备案材料的日期")
    filing_number: Text | None = Field(None, description="备案号，如 闽民备〔2025〕3号")
    late_reason: Text | None = Field(None, description="逾期备案时报送单位说明的理由")
    # builtins.list: the field `list` (the list's id) shadows the builtin inside this class
    decisions: builtins.list[Decision] = Field(default_factory=builtins.list, description="对偏离的决定")
    comments: builtins.list[Comment] = Field(default_factory=builtins.list, description="对服务项或条款的意见")
    conclusion: Conclusion | None = Field(None, description="审核结论")

    @property
    def key(self) -> str:
        return f"{self.list}@{self.edition}"
