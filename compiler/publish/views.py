"""Typed views of checked lists, built once before anything is rendered.

Templates only loop, test and print: every grouping, numbering, merging of table cells and
lookup of floor provisions happens here, so the site, the PDFs, the posters and the open data
all show the same facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.domain.corpus import Corpus, Departments, ListEntry
from compiler.domain.deadlines import STATUS_ZH, Assessment
from compiler.domain.floor_match import FloorMatch
from compiler.models import Catalogue, Item
from compiler.publish.standing import Standing, standing
from compiler.publish.view_types import (  # noqa: F401  (the view types: re-exported for the renderers)
    COMMITMENT_CLASSES,
    COMMITMENT_LABELS,
    LEVEL_NAMES,
    NUMERALS,
    SAFE_SEGMENT,
    AccessView,
    DeadlineView,
    DepartmentView,
    FloorInfo,
    FloorProvision,
    GroupView,
    ItemView,
    ListView,
    NoteView,
    ProvisionView,
    StandardView,
    safe_segment,
)


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
