"""The principles the reading generalises by: circumstance conditions, relative clauses before the
persons served, national norms' minimum counts, the core duty in relatedness, stage ranges."""

from __future__ import annotations

import pytest

from compiler.text.circumstance import circumstance_triggers
from compiler.text.compare import FloorProvision, FloorTarget, weaker_provision, weaker_target
from compiler.text.duties import core_part
from compiler.text.elements import missing_elements
from compiler.text.narrowing import floor_admits, narrowing_clauses
from compiler.text.norms import shortfalls
from compiler.text.reading import read_provision


@pytest.mark.parametrize("text, word", [
    ("视各园接收能力，统筹安排儿童入园", "视各园接收能力"),
    ("在公办学校学位有空余的情况下，安排随迁子女就近入学", "在公办学校学位有空余的情况下"),
    ("根据团队配置情况，提供家庭医生签约服务", "根据团队配置情况"),
    ("择优为在校生提供国家助学金", "择优"),
    ("在年度资助名额内，提供国家助学金", "在年度资助名额内"),
])
def test_circumstances_that_govern_the_duty(text: str, word: str) -> None:
    r = read_provision(text)
    assert r.rank == 2 and any(t.word == word for t in r.triggers)


@pytest.mark.parametrize("text", [
    "按规定免除学杂费", "根据国家规定，在居住地参加中考", "在居住地对生活不能自理的给予照料",
    "在救助期间提供临时住所", "根据国家基本公共卫生服务规范提供管理服务",
    "在本市范围内提供服务",  # where, not how much
])
def test_bases_places_and_times_are_not_conditions(text: str) -> None:
    assert not circumstance_triggers(text)
    assert read_provision(text).rank == 3


def test_by_need_is_harmless_only_where_the_floor_serves_by_need() -> None:
    text = "视情况需要发放临时救助金和有关物资"
    by_need = FloorProvision("发放临时救助金和有关物资", 3, target=FloorTarget("符合本地临时救助情形的流动儿童"))
    unconditional = FloorProvision("发放临时救助金和有关物资", 3, target=FloorTarget("流动儿童"))
    assert not [w for w in weaker_provision(by_need, text) if w.kind == "commitment"]
    assert [w for w in weaker_provision(unconditional, text) if w.kind == "commitment"]


def test_a_relative_clause_the_floor_lacks_narrows() -> None:
    floor = "对残疾学生特殊学习用品、教育训练、交通费等予以补助；流动儿童中的残疾儿童"
    (words, _), = narrowing_clauses(floor, "对在特殊教育学校就读的残疾学生予以补助")
    assert words == "在特殊教育学校就读"
    assert not narrowing_clauses(floor, "对在本市就读的残疾学生予以补助")  # 在居住地
    own = "提供精神障碍社区康复服务；流动儿童中诊断明确、在家居住的严重精神障碍患者"
    assert not narrowing_clauses(own, "为诊断明确、在家居住的严重精神障碍患者提供康复服务")


def test_insurance_implied_by_the_floor_service_but_not_a_local_scheme() -> None:
    floor = "提供异地就医直接结算服务；流动儿童"
    assert not narrowing_clauses(floor, "为在户籍地参加基本医保的流动儿童提供异地就医直接结算服务")
    assert narrowing_clauses(floor, "为参加本市城乡居民医保的流动儿童提供异地就医直接结算服务")


def test_target_narrowed_by_place_clause_and_subgroup() -> None:
    floor = FloorTarget("流动儿童")
    for text in ("参加本市城乡居民医保的流动儿童", "中心城区流动儿童", "困境流动儿童"):
        assert weaker_target(floor, text), text
    listed = weaker_target(floor, "流动儿童中的孤儿、事实无人抚养儿童及其他困境儿童")
    assert not [w for w in listed if w.args.get("kind") == "困境"]  # 其他困境儿童: one more group


def test_a_kind_of_the_floor_category_and_a_grant_own_scope() -> None:
    assert floor_admits("符合条件的就近在普惠性幼儿园入园", "公办幼儿园")
    assert not floor_admits("免费提供教科书", "公办学校")
    assert floor_admits("为符合条件的中等职业教育在校生提供国家助学金", "一、二年级")


def test_counts_against_the_national_norm() -> None:
    child = "按照国家基本公共卫生服务规范为辖区内的常住0-6岁儿童提供健康管理服务；0-6岁流动儿童"
    assert shortfalls(child, "每年为辖区常住0-6岁儿童提供一次健康体检")
    assert shortfalls(child, "每两年健康检查一次")
    assert not shortfalls(child, "1岁以内不少于4次、1至3岁每半年1次、3至6岁每年1次健康检查")
    mental = "按照国家基本公共卫生服务规范提供管理服务；流动儿童中诊断明确、在家居住的严重精神障碍患者"
    (s,) = shortfalls(mental, "每半年随访一次")
    assert (s.city, s.norm) == ("2", "4") and "第三版" in s.source
    assert not shortfalls(mental, "每季度随访1次，每年健康体检1次")
    tcm = "为0-3岁儿童提供中医调养服务；0-6岁流动儿童"
    assert shortfalls(tcm, "在6、12、18、24、30月龄时提供中医调养服务")
    assert not shortfalls(tcm, "在6、12、18、24、30、36月龄时提供中医调养服务")
    assert not shortfalls(tcm, "为0-36月龄婴幼儿提供中医调养服务")


def test_ancillary_services_are_not_the_core_duty() -> None:
    assert core_part("在居住地参加中考", "为随迁子女提供中考志愿填报指导") == ""
    assert core_part("开展普法工作", "开展普法宣传教育活动") == "开展普法宣传教育活动"
    assert core_part("提供政策咨询、职业介绍", "提供就业政策咨询、职业介绍") != ""
    floor = FloorProvision("为普通高中在校生中的家庭经济困难学生提供国家助学金", 3)
    assert [w.kind for w in weaker_provision(floor, "为家庭经济困难的普通高中学生办理生源地信用助学贷款")] == ["unrelated"]


def test_a_range_of_stages_names_the_stages_within() -> None:
    floor = "为家庭经济困难的残疾学生提供包括义务教育、高中阶段教育在内的12年免费教育"
    assert not missing_elements(floor, "为家庭经济困难的残疾学生提供从学前三年到高中阶段的15年免费教育")
    assert missing_elements(floor, "为家庭经济困难的残疾学生提供高中阶段的3年免费教育")
