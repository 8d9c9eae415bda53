"""Typed views of checked lists, built once before anything is rendered.

Templates only loop, test and print: every grouping, numbering, merging of table cells and
lookup of floor provisions happens here, so the site, the PDFs, the posters and the open data
all show the same facts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.domain.corpus import Corpus, Departments, ListEntry
from compiler.domain.deadlines import STATUS_ZH, Assessment
from compiler.domain.floor_match import FloorMatch
from compiler.models import Catalogue, Item, Level
from compiler.publish.standing import FloorGap, Standing, standing

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


def _deadline(a: Assessment | None) -> DeadlineView | None:
    if a is None:
        return None
    return DeadlineView(a.due, a.status, STATUS_ZH[a.status], a.days, a.period.steps)


def _fulfilled(m: FloorMatch | None, floor: ListEntry | None) -> dict[str, list[FloorProvision]]:
    """For each provision id of the list, the floor provisions it fulfils."""
    found: dict[str, list[FloorProvision]] = {}
    if m is None or floor is None:
        return found
    for _, floor_item, fp in floor.model.provisions():
        for f in m.fulfilments(fp.id):
            found.setdefault(f.provision.id, []).append(FloorProvision(
                floor.key, floor.model.jurisdiction, floor_item.id, floor_item.service, fp.id, fp.text,
                fp.effective_commitment.value))
    return found


def _departments(ids: Iterable[str], registry: Departments) -> tuple[DepartmentView, ...]:
    return tuple(DepartmentView(i, registry.by_id[i].name if i in registry.by_id else i) for i in ids)


def _floor_plain(item: Item, provisions: tuple[ProvisionView, ...], floor: ListEntry | None) -> str | None:
    """The floor's plain explanation, only where the list's item says word for word what the floor's says.

    A summary written for other words can contradict them (9年 against 12年, 0-5岁 against
    0-6岁), so it is borrowed only when the target and every provision are the floor's own text.
    """
    items = {fp.item_id for p in provisions for fp in p.fulfils}
    if floor is None or len(items) != 1 or any(p.local for p in provisions):
        return None
    floor_item = floor.items[items.pop()][1]
    if floor_item.target.text != item.target.text:
        return None
    own = sorted((p.text, p.commitment) for p in item.provisions)
    if own != sorted((p.text, p.commitment) for p in floor_item.provisions):
        return None
    return floor_item.plain


def _item(item: Item, number: int, fulfils: dict[str, list[FloorProvision]], floor: ListEntry | None,
          registry: Departments, target_rows: int, notes: dict[str, tuple[int, ...]],
          gaps: Standing | None = None) -> ItemView:
    has_floor = floor is not None
    provisions = tuple(
        ProvisionView(p.id, p.text, p.effective_commitment.value, p.plain,
                      tuple(StandardView(s.name, s.value, s.unit, s.better.value) for s in p.standards),
                      tuple(fulfils.get(p.id, ())), has_floor and not fulfils.get(p.id), p.sep or "")
        for p in item.provisions)
    t = item.target
    access = None
    if item.access is not None:
        a = item.access
        access = AccessView(a.office, a.where, a.hours, a.phone, tuple(a.steps), tuple(a.materials), a.fees,
                            a.duration, str(a.url) if a.url else None)
    plain, plain_source = item.plain, None
    if plain is None and (inherited := _floor_plain(item, provisions, floor)) is not None:
        assert floor is not None
        plain, plain_source = inherited, f"{floor.model.jurisdiction}清单的说明"
    return ItemView(
        item.id, number, item.service, t.text, str(t.age) if t.age else None,
        t.effective_age().min, t.effective_age().max,
        tuple(c.value for c in t.conditions), tuple(c.value for c in t.any_of), provisions,
        _departments(item.departments, registry), access, plain, plain_source,
        has_floor and all(p.local for p in provisions), target_rows, notes.get(item.id, ()),
        gaps.for_item(item.id) if gaps else ())


def _target_rows(items: list[Item]) -> list[int]:
    """Row spans of the 服务对象 cells: a run of identical targets shares one cell, as in the seed."""
    spans = [1] * len(items)
    head = 0
    for k in range(1, len(items)):
        if items[k].target.text == items[head].target.text:
            spans[head] += 1
            spans[k] = 0
        else:
            head = k
    return spans


def _notes(model: Catalogue) -> tuple[NoteView, ...]:
    """The errata that concern a row of the table (a provision or a whole item), numbered in table order."""
    places = {}
    for number, (_, _, item) in enumerate(model.items(), 1):
        places[item.id] = (number, item.id)
        places |= {p.id: (number, item.id) for p in item.provisions}
    found = [(places[e.where], e) for e in model.errata if e.where in places]
    found.sort(key=lambda pair: pair[0][0])
    return tuple(NoteView(k, number, item_id, e.original, e.corrected, e.reason)
                 for k, ((number, item_id), e) in enumerate(found, 1))


def _groups(model: Catalogue, fulfils: dict[str, list[FloorProvision]], floor: ListEntry | None,
            registry: Departments, notes: tuple[NoteView, ...] = (), gaps: Standing | None = None) -> tuple[GroupView, ...]:
    by_item: dict[str, tuple[int, ...]] = {}
    for n in notes:
        by_item[n.where] = (*by_item.get(n.where, ()), n.number)
    groups = []
    number = 0
    for g, group in enumerate(model.groups):
        views = []
        for item, rows in zip(group.items, _target_rows(group.items)):
            number += 1
            views.append(_item(item, number, fulfils, floor, registry, rows, by_item, gaps))
        numeral = NUMERALS[g] if g < len(NUMERALS) else str(g + 1)
        groups.append(GroupView(g + 1, numeral, group.name, f"g{g + 1}", tuple(views)))
    return tuple(groups)


def list_view(result: ListResult, corpus: Corpus, check: CheckResult | None = None) -> ListView:
    """The view of one checked list; with the whole `check`, also its standing against the floor."""
    entry = result.entry
    model = entry.model
    floor, m = result.floor, result.match  # computed once, by the check
    fulfils = _fulfilled(m, floor)
    notes = _notes(model)
    child = next((e.model.plan.child for e in corpus.chain(entry) if e.model.plan and e.model.plan.child), None)
    who = (f"不满{child.max_age_exclusive}周岁，随父母或其他监护人离开户籍地，跨县域在这里居住或生活"
           f"{child.min_months_away}个月以上的孩子（城市中心城区的市辖区之间流动的除外）") if child else None
    stand = standing(result, check, m) if check is not None else None
    source = model.source
    definition = next((e.model.plan.definition for e in corpus.chain(entry) if e.model.plan and e.model.plan.definition),
                      None)
    return ListView(
        id=model.id, edition=model.edition, key=model.key, level=model.level.value,
        level_name=LEVEL_NAMES[model.level], jurisdiction=model.jurisdiction, title=model.title,
        issuer=model.issuer, document_number=model.document_number, issued=model.issued, filed=model.filed,
        sample=model.sample, catalogue_file=entry.doc.name,
        floor=FloorInfo(floor.key, floor.model.id, floor.model.edition, floor.model.title, floor.model.jurisdiction) if floor else None,
        groups=_groups(model, fulfils, floor, corpus.departments, notes, stand),
        contact_department=model.contact.department if model.contact else None,
        contact_phone=model.contact.phone if model.contact else None,
        definition=definition, compliant=result.compliant, errors=result.errors, warnings=result.warnings,
        filing=_deadline(result.deadlines.filing), renewal=_deadline(result.deadlines.renewal),
        draft=model.draft, plan_title=model.plan.title if model.plan else None,
        plan_number=model.plan.document_number if model.plan else None,
        disclosure=model.plan.disclosure if model.plan else None, notes=notes, who=who,
        standing=stand, source_title=source.title if source else None,
        source_url=str(source.url) if source and source.url else None,
        source_file=source.file if source and source.file and _SAFE_PATH.fullmatch(source.file) else None,
        publisher=source.published_by if source else None,
    )


def to_publish(result: CheckResult) -> list[ListResult]:
    """The lists to publish: the newest issued edition of each, by level, then by id (pinyin order).

    A draft (`draft: true`) is not issued: it is never published, neither beside nor instead of
    the edition in force, so no page shows it with an issue date it does not have.
    """
    newest: dict[str, ListResult] = {}
    for r in result.lists:
        if r.entry.model.draft:
            continue
        current = newest.get(r.entry.model.id)
        if current is None or r.entry.model.edition > current.entry.model.edition:
            newest[r.entry.model.id] = r
    return sorted(newest.values(), key=lambda r: (r.entry.model.level.rank, r.entry.model.id))


# A source file the site links and publishes: a plain relative path (letters, digits, CJK, - _ . /),
# so its name can go into an href as it is; anything else is shown without a link.
_SAFE_PATH = re.compile(r"(?!.*(?:^|/)\.\.(?:/|$))[\w\u3400-\u9fff][\w\u3400-\u9fff./-]*")


def publication_view(r: ListResult, result: CheckResult) -> ListView:
    """The view of one list to publish, with its edition history (本版变化, earlier editions)."""
    from compiler.publish.edition_views import editions_view

    return replace(list_view(r, result.corpus, result), editions=editions_view(result, r))


def published(result: CheckResult) -> list[ListView]:
    """The views of the lists to publish, in `to_publish` order."""
    return [publication_view(r, result) for r in to_publish(result)]
