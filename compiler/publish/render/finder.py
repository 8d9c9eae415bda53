"""The finder's index ("查一查") and the rule it applies, in one place.

The site's script applies the same rule in the browser (`site/docs/assets/finder.js`); the
browser tests compare what it shows with `applies` and `provision_applies` here.

The rule reasons like a caseworker: the school stage follows the child's age as well as what the
family chose (a 6-year-old not yet at school is about to enter 义务教育; a 15-year-old in 初中
is about to take 中考 and choose 高中 or 中职); a condition written inside a provision
("对家庭经济困难幼儿给予资助") counts like one of the item's target; and where a list falls
below its floor, the floor's entitlement is shown too.

Its data is a small index (the form's choices, and each list's shard) and one shard per region
(`nav.region_of`, as the search index is split) with the lists' services: the browser fetches
only the shard of the list a family chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML

from compiler.models import Condition
from compiler.publish.render import cache, opendata
from compiler.publish.render.docs_folder import DocsFolder
from compiler.publish.render.nav import region_of
from compiler.publish.standing import FloorGap
from compiler.publish.views import ItemView, ListView
from compiler.resources import site_folder

STAGES = (Condition.preschool, Condition.compulsory, Condition.highschool, Condition.vocational)
# What a family can choose as the stage; "" lets the age decide. `final` is the last year of 初中.
STAGE_CHOICES = (
    ("", "按年龄判断（不确定就选这个）"), ("none", "还没上学"), (Condition.preschool.value, "上幼儿园"),
    (Condition.compulsory.value, "上小学或初中"), ("final", "上初三，快要中考"),
    (Condition.highschool.value, "上普通高中"), (Condition.vocational.value, "上中职（中专、职高、技校）"),
)
# Circumstances a family can tick, in the order the form shows them (only those some list uses are offered).
CIRCUMSTANCES = (
    Condition.disabled, Condition.poor, Condition.housing, Condition.orphan, Condition.unsupported,
    Condition.hiv, Condition.mental, Condition.dibao, Condition.tekun, Condition.temporary, Condition.key_care,
)
LABELS = {
    Condition.preschool: "上幼儿园", Condition.compulsory: "上小学或初中",
    Condition.highschool: "上普通高中", Condition.vocational: "上中职",
    Condition.disabled: "孩子有残疾", Condition.poor: "家庭经济困难", Condition.housing: "家庭住房困难",
    Condition.orphan: "孩子是孤儿", Condition.unsupported: "孩子事实无人抚养（父母无法照顾）",
    Condition.hiv: "孩子感染艾滋病病毒", Condition.mental: "孩子本人患有严重精神障碍",
    Condition.dibao: "家庭享受最低生活保障（低保）", Condition.tekun: "孩子享受特困救助供养",
    Condition.temporary: "家里遇到急难，需要临时救助", Condition.key_care: "孩子被列为重点关爱服务对象",
}
# Words for "because …" in each result.
REASONS = {
    Condition.preschool: "上幼儿园的年龄", Condition.compulsory: "在义务教育阶段（或就要入学）",
    Condition.highschool: "可以上普通高中（或就要升学）", Condition.vocational: "可以上中职（或就要升学）",
    Condition.disabled: "有残疾", Condition.poor: "家庭经济困难", Condition.housing: "家庭住房困难",
    Condition.orphan: "是孤儿", Condition.unsupported: "事实无人抚养", Condition.hiv: "感染艾滋病病毒",
    Condition.mental: "患有严重精神障碍", Condition.dibao: "家庭享受低保", Condition.tekun: "享受特困救助供养",
    Condition.temporary: "需要临时救助", Condition.key_care: "被列为重点关爱服务对象",
}
# Used only where no plan defines a 流动儿童: build passes `child.max_age_exclusive`.
DEFAULT_AGE_LIMIT = 16


@lru_cache(maxsize=1)
def provision_phrases() -> dict[str, tuple[str, ...]]:
    """site/finder-conditions.yaml: the words in a provision's text that make it need a condition."""
    data = YAML(typ="safe").load((site_folder() / "finder-conditions.yaml").read_text(encoding="utf-8"))
    return {str(k): tuple(str(w) for w in v) for k, v in data.items()}


def provision_needs(text: str, item_conditions: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Conditions a provision's own text adds to its item's target group."""
    return tuple(c for c in _named_conditions(text) if c not in item_conditions)


@lru_cache(maxsize=1 << 17)
def _named_conditions(text: str) -> tuple[str, ...]:
    """The conditions whose words `text` contains. Remembered: the same provincial wording recurs in
    every list below it (a quarter of the national corpus has 12,709 distinct provision texts in 83,616)."""
    return tuple(c for c, words in provision_phrases().items() if any(w in text for w in words))


def stages_for(age: int, stage: str) -> frozenset[str]:
    """The school stages whose services concern a child of `age` at `stage` ("" = judge by age)."""
    pre, comp, high, voc = (c.value for c in STAGES)
    if stage in (pre, comp, high, voc):
        found = {stage}
        if stage == pre and age >= 6:
            found.add(comp)  # entering school this year
        return frozenset(found)
    if stage == "final":
        return frozenset({comp, high, voc})
    # "" or "none": by age; a child not yet at school is about to enter the stage of its age.
    if age < 3:
        return frozenset()
    if age < 6:
        return frozenset({pre})
    if age == 6:
        return frozenset({pre, comp})
    if age < 15:
        return frozenset({comp})
    if age == 15:
        return frozenset({comp, high, voc})
    return frozenset({high, voc})


@dataclass(frozen=True)
class Child:
    """What a family tells the finder: an age, a school stage and circumstances. Nothing is stored."""

    age: int
    circumstances: frozenset[str] = field(default_factory=frozenset)
    stage: str | None = None  # None: the stages are among `circumstances` as given (older callers)

    @property
    def has(self) -> frozenset[str]:
        """Every condition the child meets, the stages included."""
        if self.stage is None:
            return self.circumstances
        return self.circumstances | stages_for(self.age, self.stage)


def _age_bounds(age_min: int, age_max: int | None, age_limit: int) -> tuple[int, int]:
    """Inclusive ages in whole years; an open upper bound ends below the definition's limit."""
    high = age_max if age_max is not None else age_limit - 1
    return age_min, min(high, age_limit - 1)


def _target_applies(age: tuple[int, int], conditions: tuple[str, ...], any_of: tuple[str, ...],
                    child: Child) -> bool:
    if not age[0] <= child.age <= age[1]:
        return False
    has = child.has
    if not set(conditions) <= has:
        return False
    return not any_of or bool(set(any_of) & has)


def applies(item: ItemView, child: Child, age_limit: int = DEFAULT_AGE_LIMIT) -> bool:
    """Whether `item`'s target group includes `child`: age within bounds, every condition met, one of any_of."""
    return _target_applies(_age_bounds(item.age_min, item.age_max, age_limit), item.conditions, item.any_of, child)


def gap_applies(gap: FloorGap, child: Child, age_limit: int = DEFAULT_AGE_LIMIT) -> bool:
    """Whether the floor's target group of a missed or weakened item includes `child`."""
    return _target_applies(_age_bounds(gap.age[0], gap.age[1], age_limit), gap.conditions, gap.any_of, child)


def provision_applies(text: str, item: ItemView, child: Child) -> bool:
    """Whether a provision of an applying item applies: every condition its text adds is met."""
    return set(provision_needs(text, item.conditions)) <= child.has


def _access(item: ItemView) -> dict[str, Any] | None:
    a = item.access
    if a is None:
        return None
    return {"office": a.office, "where": a.where, "hours": a.hours, "phone": a.phone, "steps": list(a.steps),
            "materials": list(a.materials), "fees": a.fees, "duration": a.duration, "url": a.url}


def offered(views: list[ListView]) -> list[Condition]:
    """The circumstances some published list gives a meaning (in a target or inside a provision)."""
    used: set[str] = set()
    every = {c.value for c in CIRCUMSTANCES}
    for v in views:
        if used >= every:
            break  # a national catalogue names them all in its first lists: the other 3,000 add nothing
        for item in v.items:
            used |= set(item.conditions) | set(item.any_of)
            for p in item.provisions:
                used |= set(provision_needs(p.text))
        for gap in v.standing.gaps if v.standing else ():
            used |= set(gap.conditions) | set(gap.any_of)
    return [c for c in CIRCUMSTANCES if c.value in used]


# The data's shape (the README's 开放数据): 3 split each region's services into a file of its own.
VERSION = 3
INDEX = "data/finder.json"


def shard_path(region: ListView) -> str:
    """The file that holds the services of the lists of `region` (see `nav.region_of`)."""
    return f"data/finder/{region.slug}.json"


def index(views: list[ListView], age_limit: int, shards: dict[str, str]) -> dict[str, Any]:
    """What the finder loads first, all its form needs: the choices and, per list, where its services
    are (`shards`: each list's shard file, by list id). A family then fetches one shard, not the country."""
    return {
        "version": VERSION,
        "age_limit": age_limit,
        "stages": [{"value": c.value, "label": LABELS[c], "reason": REASONS[c]} for c in STAGES],
        "circumstances": [{"value": c.value, "label": LABELS[c], "reason": REASONS[c]} for c in offered(views)],
        "lists": [{"id": v.id, "jurisdiction": v.jurisdiction, "title": v.title, "sample": v.sample,
                   "page": f"lists/{v.slug}/", "services": shards[v.id]} for v in views],
    }


def shard(views: list[ListView], age_limit: int) -> dict[str, Any]:
    """One shard: each of `views`' services with its target group in checkable form, and its gaps."""
    return {"version": VERSION, "lists": [_services(v, age_limit) for v in views]}


def _services(v: ListView, age_limit: int) -> dict[str, Any]:
    return {
        "id": v.id,
        "contact": {"department": v.contact_department, "phone": v.contact_phone},
        "items": [
            {
                "id": item.id, "number": item.number, "group": group.name, "service": item.service,
                "target": item.target, "age": list(_age_bounds(item.age_min, item.age_max, age_limit)),
                "conditions": list(item.conditions), "any_of": list(item.any_of),
                "provisions": [{"text": p.text, "needs": list(provision_needs(p.text, item.conditions))}
                               for p in item.provisions],
                "plain": item.plain, "local": item.local, "anchor": f"item-{item.id}",
                "access": _access(item),
                "departments": [d.name for d in item.departments],
            }
            for group in v.groups for item in group.items
        ],
        "gaps": [
            {
                "item": g.item_id, "why": g.why, "jurisdiction": g.jurisdiction, "service": g.service,
                "target": g.target, "provisions": list(g.provisions), "departments": list(g.departments),
                "age": list(_age_bounds(g.age[0], g.age[1], age_limit)), "conditions": list(g.conditions),
                "any_of": list(g.any_of), "list_items": list(g.list_items),
            }
            for g in (v.standing.gaps if v.standing else ())
        ],
    }


def regions(views: list[ListView]) -> dict[str, list[ListView]]:
    """The lists by shard file, grouped as the search index is (by `nav.region_of`), in publishing order."""
    by_id = {v.id: v for v in views}
    grouped: dict[str, list[ListView]] = {}
    for v in views:
        grouped.setdefault(shard_path(region_of(v, by_id)), []).append(v)
    return grouped


def write(docs: DocsFolder, views: list[ListView], age_limit: int, digests: dict[str, str], store: cache.Cache) -> list[str]:
    """Write the index and one shard per region under `docs`; returns their paths relative to it.
    A shard is kept in `store` by its lists' views (`digests`, by list id: `cache.key` of each view),
    so after a change to one list only its region's shard is made again."""
    shards = regions(views)
    files = [INDEX, *shards]
    docs.write(INDEX, opendata.dumps(index(views, age_limit, {v.id: rel for rel, vs in shards.items() for v in vs}),
                                     compact=True))
    for rel, members in shards.items():
        k = cache.key("finder-shard", age_limit, [(v.id, digests[v.id]) for v in members])
        if (kept := store.get(k)) is None:
            kept = opendata.dumps(shard(members, age_limit), compact=True).encode("utf-8")
            store.put(k, kept)
        docs.write(rel, kept)
    return files
