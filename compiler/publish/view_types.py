"""The typed views every publication renders: frozen values with a few properties, no logic that
reads the catalogue (that is `views`, which builds them)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from compiler.models import Level
from compiler.publish.standing import FloorGap, Standing

if TYPE_CHECKING:
    from compiler.publish.edition_views import EditionsView


NUMERALS = "一二三四五六七八九十"
LEVEL_NAMES = {Level.national: "国家级", Level.province: "省级", Level.city: "市级", Level.county: "县级"}
# How each commitment reads to a family, and its CSS modifier.
COMMITMENT_LABELS = {"保障": "保障提供", "有条件": "有条件的地方提供", "鼓励": "鼓励探索"}
COMMITMENT_CLASSES = {"保障": "guaranteed", "有条件": "conditional", "鼓励": "encouraged"}
SAFE_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def safe_segment(text: str) -> str:
    """`text` as one output path segment, or ValueError: ids reach file names, so `../` must not."""
    if not SAFE_SEGMENT.fullmatch(text):
        raise ValueError(f"不能用作输出文件名的编号：{text!r}")
    return text


@dataclass(frozen=True)
class FloorProvision:
    """A floor provision that a list's provision fulfils, in the floor's own words."""

    list_key: str
    jurisdiction: str
    item_id: str
    service: str
    id: str
    text: str
    commitment: str


@dataclass(frozen=True)
class StandardView:
    name: str
    value: int | float
    unit: str
    better: str  # higher | lower

    def __str__(self) -> str:
        return f"{self.name}：{self.value:g}{self.unit}"


@dataclass(frozen=True)
class ProvisionView:
    id: str
    text: str
    commitment: str
    plain: str | None
    standards: tuple[StandardView, ...]
    fulfils: tuple[FloorProvision, ...]
    local: bool  # 本地新增: fulfils nothing in the floor
    sep: str = ""  # the source cell's punctuation after this provision, printed as it stands

    @property
    def commitment_label(self) -> str:
        return COMMITMENT_LABELS[self.commitment]

    @property
    def commitment_class(self) -> str:
        return COMMITMENT_CLASSES[self.commitment]


@dataclass(frozen=True)
class NoteView:
    """An erratum printed as a note of the official edition: the text stays as the source has it."""

    number: int
    item_number: int
    where: str
    original: str
    corrected: str
    reason: str


@dataclass(frozen=True)
class DepartmentView:
    id: str
    name: str  # the full name where the registry knows it


@dataclass(frozen=True)
class AccessView:
    """How to get a service, as a service guide gives it; every field may be absent."""

    office: str | None
    where: str | None
    hours: str | None
    phone: str | None
    steps: tuple[str, ...]
    materials: tuple[str, ...]
    fees: str | None
    duration: str | None
    url: str | None


@dataclass(frozen=True)
class ItemView:
    id: str
    number: int  # 1-based across the whole list, like the seed's 序号
    service: str
    target: str
    age: str | None  # as written for people, e.g. "0-6岁"; None where the list states no age
    age_min: int
    age_max: int | None  # None: no upper bound beyond the definition of a 流动儿童
    conditions: tuple[str, ...]
    any_of: tuple[str, ...]
    provisions: tuple[ProvisionView, ...]
    departments: tuple[DepartmentView, ...]
    access: AccessView | None
    plain: str | None
    plain_source: str | None  # whose explanation `plain` is, when it is the floor's, not the list's own
    local: bool  # the whole service is 本地新增
    target_rows: int  # rows the 服务对象 cell spans in the table; 0 where merged into the row above
    notes: tuple[int, ...] = ()  # numbers of the notes (errata) on this row's 服务内容
    gaps: tuple[FloorGap, ...] = ()  # floor items this service carries below the floor (from the check)

    @property
    def content(self) -> str:
        """The 服务内容 cell as one text: each provision followed by the punctuation the source puts after it."""
        return "".join(p.text + p.sep for p in self.provisions)

    @property
    def local_provisions(self) -> int:
        return sum(p.local for p in self.provisions)


@dataclass(frozen=True)
class GroupView:
    number: int
    numeral: str  # 一、二… as the seed's table heads its groups
    name: str
    anchor: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class DeadlineView:
    due: dt.date
    status: str
    status_text: str
    days: int
    reasoning: tuple[str, ...]


@dataclass(frozen=True)
class FloorInfo:
    key: str
    id: str
    edition: int
    title: str
    jurisdiction: str


@dataclass(frozen=True)
class ListView:
    """Everything a page, a PDF or a poster shows about one list."""

    id: str
    edition: int
    key: str
    level: str
    level_name: str
    jurisdiction: str
    title: str
    issuer: str
    document_number: str | None
    issued: dt.date
    filed: dt.date | None
    sample: bool
    catalogue_file: str
    floor: FloorInfo | None
    groups: tuple[GroupView, ...]
    contact_department: str | None
    contact_phone: str | None
    definition: str | None
    compliant: bool
    errors: int
    warnings: int
    filing: DeadlineView | None
    renewal: DeadlineView | None
    standing: Standing | None = None  # None only for views built without a check
    source_title: str | None = None  # the official document the list comes from
    source_url: str | None = None
    source_file: str | None = None  # the document's text in the catalogue (sources/…), published beside the pages
    publisher: str | None = None  # who publishes the source document (主办单位 in the site's footer)
    editions: EditionsView | None = None  # 本版变化 and earlier editions' PDFs (publish.edition_views)
    draft: bool = False
    plan_title: str | None = None  # the document this list is the attachment of
    plan_number: str | None = None
    disclosure: str | None = None  # 公开属性 as the source words it
    notes: tuple[NoteView, ...] = ()
    who: str | None = None  # who counts as a 流动儿童, in a family's words, from the plan's definition

    @property
    def items(self) -> list[ItemView]:
        return [item for g in self.groups for item in g.items]

    @property
    def floor_sentence(self) -> str | None:
        """What the editions say of the floor under the title: that the list covers at least it only
        where the check confirms so; otherwise only which list it was drawn up from."""
        if self.floor is None:
            return None
        if self.standing is not None and self.standing.confirmed:
            return f"本清单依据《{self.floor.title}》制定，覆盖范围和实现程度不低于该清单。"
        return f"本清单依据《{self.floor.title}》制定。"

    @property
    def local_items(self) -> int:
        return sum(item.local for item in self.items)

    @property
    def local_provisions(self) -> int:
        return sum(item.local_provisions for item in self.items if not item.local)

    @property
    def slug(self) -> str:
        return safe_segment(self.id)

    @property
    def page(self) -> str:
        """The Markdown source of its page, relative to the site's docs folder."""
        return f"lists/{self.slug}.md"

    @property
    def pdf(self) -> str:
        return f"pdf/{self.slug}-{int(self.edition)}.pdf"

    @property
    def poster(self) -> str:
        return f"pdf/{self.slug}-{int(self.edition)}-poster.pdf"

    @property
    def poster_a3(self) -> str:
        return f"pdf/{self.slug}-{int(self.edition)}-poster-a3.pdf"

    @property
    def docx(self) -> str:
        """The Word edition, for circulating and filing."""
        return f"docx/{self.slug}-{int(self.edition)}.docx"

    @property
    def data(self) -> str:
        return f"data/lists/{self.slug}.json"
