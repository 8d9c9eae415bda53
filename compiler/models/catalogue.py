"""A care-service list (清单) of any level: the provincial base list, a city's list, a county's."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, HttpUrl, model_validator
from pydantic_core import PydanticCustomError

from compiler.codes import CODES, DEVIABLE
from compiler.models.common import MAX_EDITION, MAX_NUMBER, Date, Finite, Level, ListId, LocalId, Strict, Text


class Commitment(str, Enum):
    """承诺程度：保障（必须提供）> 有条件（有条件的地方提供）> 鼓励（鼓励、探索）。"""

    guaranteed = "保障"
    conditional = "有条件"
    encouraged = "鼓励"

    @property
    def rank(self) -> int:
        return _COMMITMENT_RANK[self]


_COMMITMENT_RANK = {Commitment.guaranteed: 3, Commitment.conditional: 2, Commitment.encouraged: 1}


class Condition(str, Enum):
    """服务对象的条件（受控词表），供范围核查和家庭查询使用。"""

    disabled = "残疾"
    poor = "家庭经济困难"
    housing = "家庭住房困难"
    orphan = "孤儿"
    hiv = "艾滋病病毒感染"
    unsupported = "事实无人抚养"
    mental = "严重精神障碍"
    dibao = "最低生活保障"
    tekun = "特困救助供养"
    temporary = "临时救助"
    preschool = "学前教育阶段"
    compulsory = "义务教育阶段"
    highschool = "普通高中教育阶段"
    vocational = "中等职业教育阶段"
    key_care = "重点关爱服务对象"


class Better(str, Enum):
    # The YAML's words are the values; a member named `lower` would hide str.lower on every member.
    larger = "higher"
    smaller = "lower"


class AgeRange(Strict):
    """年龄范围（周岁，含两端），原文写明时才填。"""

    min: Annotated[int, Field(ge=0, le=18, description="最小年龄（周岁）")] = 0
    max: Annotated[int | None, Field(ge=0, le=18, description="最大年龄（周岁）；不填表示不设上限")] = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max（{self.max}）不能小于 min（{self.min}）")
        return self

    def contains(self, other: AgeRange) -> bool:
        upper_ok = self.max is None or (other.max is not None and other.max <= self.max)
        return self.min <= other.min and upper_ok

    def __str__(self) -> str:
        return f"{self.min}-{self.max}岁" if self.max is not None else f"{self.min}岁以上"


class Target(Strict):
    """服务对象：原文文字，以及可核查的结构化范围。"""

    text: Text = Field(description="服务对象原文，如“0-6岁流动儿童”")
    merged_with_row: int | None = Field(None, ge=1, le=MAX_NUMBER, description="原表中本格与第几行合并（仅录入原表时使用）")
    age: AgeRange | None = Field(None, description="年龄范围；不填表示所有流动儿童（不满16周岁）")
    conditions: list[Condition] = Field(default_factory=list, description="须同时满足的条件")
    any_of: list[Condition] = Field(default_factory=list, description="满足其一即可的条件")

    def effective_age(self) -> AgeRange:
        return self.age or _ANY_AGE


_ANY_AGE = AgeRange(min=0, max=None)  # models are frozen: one instance serves every target without an age


class Standard(Strict):
    """数量标准：条文中的年限、频次、年龄上限等。"""

    name: Text = Field(description="标准名称，与底线清单中的名称一致，如“免费教育年限”")
    # Finite and bounded: .inf would pass every "not lower than" comparison and is not JSON.
    value: Annotated[int | float, Finite, Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False, description="数值")]
    unit: Text = Field(description="单位，如 年、岁、次/月")
    better: Better = Field(Better.larger, description="higher：越大越好；lower：越小越好（如间隔天数）")


# Punctuation that may stand between two provisions in a source cell, half- or full-width as written.
Separator = Literal[";", ",", "；", "，", "、", "。"]


class Provision(Strict):
    """一条服务内容（条款）。"""

    id: LocalId = Field(description="条款编号，在本清单内唯一，如 s01-1")
    text: Text = Field(description="条款原文")
    # The source cell's punctuation between two provisions is part of the binding text: the
    # official edition prints it, so the cell reads word for word. Recorded, never guessed.
    sep: Separator | None = Field(None, description="原表中本条款之后、下一条款之前的标点（如 ; 或 ,），按原文照录；最后一条不填")
    commitment: Commitment | None = Field(None, description="承诺程度：保障 / 有条件 / 鼓励；不填时按条文读出（qingdan explain 可查看）")
    standards: list[Standard] = Field(default_factory=list, description="条文中的数量标准；不填时按条文读出")
    covers: list[LocalId] = Field(default_factory=list, description="本条款落实的底线条款编号")
    plain: Text | None = Field(None, description="给家庭看的通俗说明")

    @property
    def effective_commitment(self) -> Commitment:
        """The commitment the list states, or where it states none the one its text reads as.

        A text that negates the duty (暂不提供) reads as 鼓励, the weakest a list can state;
        the text checks report the negation itself.
        """
        if self.commitment is not None:
            return self.commitment
        from compiler.text import read_provision  # the reading is pure text; imported where needed

        return _BY_RANK[max(read_provision(self.text).rank, 1)]


_BY_RANK = {c.rank: c for c in Commitment}


class Access(Strict):
    """家庭如何获得这项服务：像办事指南一样，写清找谁、去哪、怎么办、带什么。全部可选。"""

    office: Text | None = Field(None, description="受理单位：向谁申请，如 所在区教育局学生资助管理中心")
    where: Text | None = Field(None, description="办理地点（地址）")
    hours: Text | None = Field(None, description="办理时间，如 工作日 8:30-12:00、14:30-17:30")
    phone: Text | None = Field(None, description="这项服务的咨询电话")
    steps: list[Text] = Field(default_factory=list, description="办理步骤，按先后顺序")
    materials: list[Text] = Field(default_factory=list, description="所需材料，一项一条")
    fees: Text | None = Field(None, description="收费，如 免费")
    duration: Text | None = Field(None, description="办理时限，如 材料齐全后 5 个工作日")
    url: Url | None = Field(None, description="网上办理或办事指南的链接")


class Item(Strict):
    """清单中的一项服务（表中的一行）。"""

    id: LocalId = Field(description="服务项编号，在本清单内唯一，如 s01")
    row: int | None = Field(None, ge=1, le=MAX_NUMBER, description="来源表格中的序号")
    target: Target
    service: Text = Field(description="服务项目")
    provisions: list[Provision] = Field(min_length=1, description="服务内容，逐条列出")
    departments: list[Text] = Field(min_length=1, description="责任部门，用部门名录中的简称")
    covers: list[LocalId] = Field(default_factory=list, description="整项落实的底线服务项或条款编号")
    access: Access | None = None
    plain: Text | None = Field(None, description="给家庭看的通俗说明")


class Group(Strict):
    name: Text = Field(description="分组，如 幼有所育")
    items: list[Item] = Field(min_length=1)


class FloorRef(Strict):
    """本清单以哪份清单的哪一版为底线。"""

    list: ListId
    edition: int = Field(ge=1, le=MAX_EDITION)

    def __str__(self) -> str:
        return f"{self.list}@{self.edition}"


def _plain_url(value: object) -> object:
    # A link in a list is an address as written, not a sentence: HttpUrl would percent-encode
    # spaces, brackets and quotes into a "valid" address that carries text onto the page.
    if isinstance(value, str) and any(ch.isspace() or ch in '<>"\'`{}|\\^' or not ch.isprintable() for ch in value):
        raise PydanticCustomError("url_plain", "网址中不能有空格、引号、尖括号或花括号")
    return value


# http(s) addresses the site prints as links.
Url = Annotated[HttpUrl, BeforeValidator(_plain_url)]


def _inside(value: str) -> str:
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or ".." in parts or not value.isprintable():
        raise PydanticCustomError("path_outside", "须是清单目录内的相对路径（不以 / 开头，不含 ..）")
    return value


# A path inside the catalogue: the site publishes the file it names, so it may not point elsewhere.
CataloguePath = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_inside)]


class SourceRef(Strict):
    file: CataloguePath | None = Field(None, description="catalogue/ 下的来源文本文件（相对路径，不含 ..）")
    title: Text
    published_by: Text | None = None
    url: Url | None = None


class ChildDefinition(Strict):
    max_age_exclusive: int = Field(ge=1, le=18, description="不满多少周岁")
    min_months_away: int = Field(ge=1, le=1200, description="离开户籍地至少多少个月")


class Plan(Strict):
    """清单所属的政策文件。"""

    title: Text
    issuing_departments: list[Text] = Field(default_factory=list)
    based_on: Text | None = None
    document_number: Text | None = Field(None, description="政策文件的文号（附件版注明所属文件时用）")
    disclosure: Text | None = Field(None, description="公开属性，按原文照录，如“此件主动公开”")
    definition: Text | None = Field(None, description="流动儿童的定义原文")
    child: ChildDefinition | None = None


class Erratum(Strict):
    """对来源文本转录缺失的更正：原文不改，只在这里记录。"""

    where: Text = Field(description="条款或服务项编号（如 s18-2），或字段路径（如 plan.issuing_departments[7]）")
    original: Text
    corrected: Text
    reason: Text


# The floor checks a deviation may answer, named as in the code registry (coverage, scope-age ...).
if TYPE_CHECKING:  # its members come from the code registry, which a type checker cannot enumerate
    class DeviationCheck(str, Enum):
        """A floor check a deviation may answer."""
else:
    DeviationCheck = Enum("DeviationCheck", [(CODES[c].name, CODES[c].name) for c in DEVIABLE], type=str)


class Deviation(Strict):
    """有正当理由的偏离：本地确实无法按底线原样落实的条款或服务项，待审核人员认可。"""

    # reason and basis may be empty here: an unjustified deviation is a finding (QD313) that
    # points at it, not a structure error that would leave the whole list unchecked.
    where: LocalId = Field(description="偏离的底线条款或服务项编号（底线清单中的编号），如 s07-2 或 s07")
    check: DeviationCheck = Field(description="偏离的是哪项核查：" + "、".join(CODES[c].name for c in DEVIABLE))
    reason: str = Field("", description="理由：为什么无法按底线原样落实（不能为空）")
    basis: str = Field("", description="法律或行政依据：文件名称、文号或条款（不能为空）")


class Contact(Strict):
    department: Text | None = None
    phone: Text | None = None


class Catalogue(Strict):
    """一份关爱服务清单。"""

    id: ListId = Field(description="清单编号，如 fuzhou")
    level: Level
    jurisdiction: Text = Field(description="辖区名称，如 福州市")
    title: Text
    edition: int = Field(ge=1, le=MAX_EDITION, description="版本号，每次更新发布加一")
    issued: Date = Field(description="印发日期")
    issuer: Text = Field(description="印发机关")
    document_number: Text | None = Field(None, description="文号")
    filed: Date | None = Field(None, description="报送省民政厅备案的日期（市级清单）")
    floor: FloorRef | None = Field(None, description="底线清单及其版本")
    sample: bool = Field(False, description="是否为示例数据（示例不是真实政策）")
    draft: bool = Field(False, description="草稿：尚未印发，不计算备案和更新期限；印发时删去")
    source: SourceRef | None = None
    plan: Plan | None = None
    contact: Contact | None = None
    groups: list[Group] = Field(min_length=1)
    errata: list[Erratum] = Field(default_factory=list)
    deviations: list[Deviation] = Field(default_factory=list, description="有正当理由的偏离，待审核认可")

    @property
    def key(self) -> str:
        return f"{self.id}@{self.edition}"

    def items(self) -> Iterator[tuple[int, int, Item]]:
        for g, group in enumerate(self.groups):
            for i, item in enumerate(group.items):
                yield g, i, item

    def provisions(self) -> Iterator[tuple[tuple, Item, Provision]]:
        """(data path, item, provision) for every provision, in document order."""
        for g, i, item in self.items():
            for p, provision in enumerate(item.provisions):
                yield ("groups", g, "items", i, "provisions", p), item, provision
