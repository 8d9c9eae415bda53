"""The reading of Chinese policy text (compiler/text): commitment, numbers, scope, elements."""

from __future__ import annotations

import pytest

from compiler.text import elements, missing_elements, read_provision, read_target, relatedness

S18_1 = "在学校、幼儿园和“童心港湾”、青少年宫(青少年活动中心)、儿童之家、青年之家等场所开展流动儿童参加的文化活动"


@pytest.mark.parametrize("text, level, trigger", [
    ("有条件的地方免除学杂费", "有条件", "有条件的地方"),
    ("免除学杂费", "保障", None),
    ("鼓励有条件的地区为流动儿童提供托育服务", "鼓励", "鼓励有条件的"),
    ("逐步免除学杂费", "有条件", "逐步"),
    ("原则上就近入学", "有条件", "原则上"),
    ("视情提供临时住所", "有条件", "视情"),
    ("探索开展流动儿童城市融入支持活动", "鼓励", "探索"),
    ("可为流动儿童提供心理健康筛查", "鼓励", "可"),
    ("暂不提供托育服务", "不提供", "暂不提供"),
    ("不再免除学杂费", "不提供", "不再免除"),
    # the child's entitlement, not a hedge on the government's duty
    ("符合条件的儿童可申请国家助学金", "保障", None),
    ("可到社区卫生服务中心免费接种疫苗", "保障", None),
    ("流动儿童可享受基本公共卫生服务", "保障", None),
    ("家庭经济困难学生可向就读学校申请助学金", "保障", None),
    # 不 that does not cancel a duty
    ("对生活不能自理的给予照料", "保障", None),
    ("不得向流动儿童收取学杂费", "保障", None),
    ("为不满3周岁婴幼儿提供托育服务", "保障", None),
    ("符合条件的就近在普惠性幼儿园入园", "保障", None),
])
def test_commitment(text: str, level: str, trigger: str | None) -> None:
    r = read_provision(text)
    assert r.level == level
    if trigger is None:
        assert r.trigger is None
    else:
        assert r.trigger is not None and r.trigger.word == trigger
        assert text[slice(*r.trigger.span)] == trigger


def test_partial_duties() -> None:
    assert [p.word for p in read_provision("减免学杂费").partial] == ["减免"]
    assert [p.word for p in read_provision("适当给予生活补助").partial] == ["适当"]
    assert read_provision("免除学杂费").partial == ()


@pytest.mark.parametrize("text, low, high", [
    ("0-6岁流动儿童", 0, 6), ("0至6岁儿童", 0, 6), ("0—6周岁儿童", 0, 6), ("6周岁以下儿童", 0, 6),
    ("不满3周岁的婴幼儿", 0, 3), ("三岁以下婴幼儿", 0, 3), ("3周岁至6周岁", 3, 6), ("０－６岁", 0, 6),
    ("十六周岁以下", 0, 16), ("流动儿童", None, None), ("3岁以上", 3, None),
])
def test_target_ages(text: str, low: int | None, high: int | None) -> None:
    r = read_target(text)
    assert (r.age_min, r.age_max) == (low, high)
    if low is not None:
        assert r.age_span is not None and r.age_span[0] >= 0


@pytest.mark.parametrize("text, unit, value, direction", [
    ("提供12年免费教育", "年", 12, "exact"),
    ("提供十二年免费教育", "年", 12, "exact"),
    ("每个月一次上门随访", "次/月", 1, "exact"),
    ("每季度一次", "次/季度", 1, "exact"),
    ("每年不少于4周", "周/年", 4, "at_least"),
    ("每人每月不低于200元", "元", 200, "at_least"),
])
def test_numbers(text: str, unit: str, value: float, direction: str) -> None:
    n = read_provision(text).numbers[0]
    assert (n.unit, n.value, n.direction) == (unit, value, direction)
    assert n.span[1] <= len(text)


def test_frequency_per_year() -> None:
    assert read_provision("每季度一次").numbers[0].per_year == 4
    assert read_provision("每个月一次").numbers[0].per_year == 12


@pytest.mark.parametrize("text, kind", [
    ("仅限本市户籍儿童", "仅限"), ("具有本市户籍的儿童", "户籍"), ("持有居住证满3年的流动儿童", "居住证"),
    ("持有本市居住证满三年", "居住证"), ("首次申请的家庭", "首次"), ("一级、二级残疾儿童", "等级"),
    ("父母在本市连续缴纳社会保险满2年", "社保年限"),
])
def test_qualifiers(text: str, kind: str) -> None:
    qs = read_target(text).qualifiers
    assert kind in [q.kind for q in qs]
    assert all(text[slice(*q.span)] == q.word for q in qs)


def test_no_qualifier_in_floor_targets() -> None:
    for t in ["0-6岁流动儿童", "符合本地临时救助情形的流动儿童", "流动儿童中的残疾儿童", "家庭住房困难的流动儿童"]:
        assert read_target(t).qualifiers == ()


def test_enumeration_elements() -> None:
    names = [e.name for e in elements("提供家庭医生签约服务、基本医疗服务、基本公共卫生服务")]
    assert names == ["家庭医生签约服务", "基本医疗服务", "基本公共卫生服务"]
    items = [e for e in elements(S18_1) if e.kind == "item"]
    assert [e.name for e in items] == ["学校", "幼儿园", "童心港湾", "青少年宫", "儿童之家", "青年之家"]
    assert all(S18_1[slice(*e.span)] == e.name for e in items)


def test_missing_places_named() -> None:
    missing = [e.name for e in missing_elements(S18_1, "在学校开展流动儿童参加的文化活动")]
    assert missing == ["幼儿园", "童心港湾", "青少年宫", "儿童之家", "青年之家"]


@pytest.mark.parametrize("floor, city", [
    ("按照国家基本公共卫生服务规范提供管理服务", "依照国家基本公共卫生服务规范，提供健康管理服务"),
    ("协助符合条件的流动儿童家庭向户籍地办理最低生活保障", "协助符合条件的流动儿童家庭到户籍地申办低保"),
    ("免除符合条件的中等职业教育在校生学费", "对符合条件的中职在校生免除学费"),
    ("发放临时救助金和有关物资", "提供临时救助金及有关物资"),
    ("提供家庭医生签约服务、基本医疗服务、基本公共卫生服务", "为流动儿童提供基本公共卫生服务、基本医疗服务和家庭医生签约服务"),
    (S18_1, "依托学校、幼儿园、“童心港湾”、青少年活动中心、儿童之家和青年之家，组织流动儿童参加文化活动"),
])
def test_paraphrases_name_every_element(floor: str, city: str) -> None:
    assert missing_elements(floor, city) == []
    assert relatedness(floor, city) > 0.5


def test_missing_enumerated_service() -> None:
    missing = missing_elements("提供家庭医生签约服务、基本医疗服务、基本公共卫生服务", "提供家庭医生签约服务和基本医疗服务")
    assert [e.name for e in missing] == ["基本公共卫生服务"]


def test_unrelated_text() -> None:
    assert relatedness("免除学杂费", "免费提供教科书") < 0.25
    assert relatedness("提供临时住所", "提供转介服务") < 0.25


def test_memoized() -> None:
    assert read_provision("免除学杂费") is read_provision("免除学杂费")


def _fujian():
    from conftest import CATALOGUE
    from ruamel.yaml import YAML

    from compiler.models import Catalogue

    return Catalogue.model_validate(YAML(typ="safe").load((CATALOGUE / "province" / "fujian.yaml").read_text(encoding="utf-8")))


def test_provincial_provisions_read_as_declared() -> None:
    """Every provision of the provincial list reads as the commitment it declares, and states
    each of its standards (in its text, or for the whole item in the service name)."""
    from compiler.checks.reading import floor_standard
    from compiler.text.compare import comparable, stated_number

    for _, item, p in _fujian().provisions():
        assert read_provision(p.text).level == p.commitment.value, p.id
        for s in p.standards:
            fs = floor_standard(s)
            n = stated_number(fs, read_provision(p.text).numbers) or stated_number(fs, read_provision(item.service).numbers)
            assert n is not None and comparable(fs, n) == s.value, (p.id, s.name)


def test_provincial_targets_read_as_declared() -> None:
    """Every 服务对象 of the provincial list reads as its age range and names its conditions."""
    for _, _, item in _fujian().items():
        t, r = item.target, read_target(item.target.text)
        if t.age:
            assert (r.age_min, r.age_max) == (t.age.min, t.age.max), item.id
        else:
            assert r.age_span is None, item.id
        named = {c.name for c in r.conditions}
        assert {c.value for c in t.conditions} <= named, item.id
        assert {c.value for c in t.any_of} <= named, item.id
        assert r.qualifiers == (), item.id


def test_provincial_list_is_not_weaker_than_itself() -> None:
    """Each floor provision and target group read against its own text finds nothing."""
    from compiler.checks.reading import floor_provision, floor_target
    from compiler.text.compare import weaker_provision, weaker_target

    for _, item, p in _fujian().provisions():
        assert weaker_provision(floor_provision(item, p), p.text, item.service) == [], p.id
        assert weaker_target(floor_target(item.target), item.target.text) == [], item.id
