"""The finder's index ("查一查") and the rule it applies, in one place.

The site's script applies the same rule in the browser (`site/docs/assets/finder.js`); the
browser tests compare what it shows with `applies` here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.models import Condition
from compiler.publish.views import ItemView, ListView

STAGES = (Condition.preschool, Condition.compulsory, Condition.highschool, Condition.vocational)
# Circumstances a family can tick, in the order the form shows them.
CIRCUMSTANCES = (
    Condition.disabled, Condition.poor, Condition.housing, Condition.orphan, Condition.unsupported,
    Condition.hiv, Condition.mental, Condition.dibao, Condition.tekun, Condition.temporary, Condition.key_care,
)
LABELS = {
    Condition.preschool: "幼儿园（学前教育）", Condition.compulsory: "小学或初中（义务教育）",
    Condition.highschool: "普通高中", Condition.vocational: "中等职业学校（中职）",
    Condition.disabled: "孩子有残疾", Condition.poor: "家庭经济困难", Condition.housing: "家庭住房困难",
    Condition.orphan: "孤儿", Condition.unsupported: "事实无人抚养（父母无法照顾）",
    Condition.hiv: "感染艾滋病病毒", Condition.mental: "孩子或家人患有严重精神障碍",
    Condition.dibao: "享受最低生活保障（低保）", Condition.tekun: "享受特困救助供养",
    Condition.temporary: "需要临时救助", Condition.key_care: "被列为重点关爱服务对象",
}
# The plan's definition: a 流动儿童 is under 16 (used where a list states no upper age).
DEFAULT_AGE_LIMIT = 16


@dataclass(frozen=True)
class Child:
    """What a family tells the finder: an age, a school stage and circumstances. Nothing is stored."""

    age: int
    circumstances: frozenset[str] = field(default_factory=frozenset)


def _age_bounds(item: ItemView, age_limit: int) -> tuple[int, int]:
    """Inclusive ages in whole years; an open upper bound ends below the definition's limit."""
    high = item.age_max if item.age_max is not None else age_limit - 1
    return item.age_min, min(high, age_limit - 1)


def applies(item: ItemView, child: Child, age_limit: int = DEFAULT_AGE_LIMIT) -> bool:
    """Whether `item`'s target group includes `child`: age within bounds, every condition met, one of any_of."""
    low, high = _age_bounds(item, age_limit)
    if not low <= child.age <= high:
        return False
    if not set(item.conditions) <= child.circumstances:
        return False
    return not item.any_of or bool(set(item.any_of) & child.circumstances)


def index(views: list[ListView], age_limit: int = DEFAULT_AGE_LIMIT) -> dict[str, Any]:
    """The JSON the finder loads: per list, each service with its target group in checkable form."""
    return {
        "version": 1,
        "age_limit": age_limit,
        "stages": [{"value": c.value, "label": LABELS[c]} for c in STAGES],
        "circumstances": [{"value": c.value, "label": LABELS[c]} for c in CIRCUMSTANCES],
        "lists": [
            {
                "id": v.id, "jurisdiction": v.jurisdiction, "title": v.title, "sample": v.sample,
                "page": f"lists/{v.slug}/",
                "items": [
                    {
                        "id": item.id, "number": item.number, "group": group.name, "service": item.service,
                        "target": item.target, "age": list(_age_bounds(item, age_limit)),
                        "conditions": list(item.conditions), "any_of": list(item.any_of),
                        "plain": item.plain, "local": item.local, "anchor": f"item-{item.id}",
                    }
                    for group in v.groups for item in group.items
                ],
            }
            for v in views
        ],
    }
