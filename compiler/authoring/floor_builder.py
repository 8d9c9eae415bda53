"""What a list copies from its floor: the one builder behind `qingdan new` and `qingdan upgrade`.

Both start a provision or an item from the floor's: the same text (with the floor's errata
applied: the new list is new text, and should not repeat a transcription loss), the same
commitment and standards, `covers` naming what it fulfils, and the floor's departments
replaced by the local ones that together carry every function of each. `new` writes drafts
as lines of text, `upgrade` as nodes of a round-trip tree; neither decides what goes in them.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.domain.corpus import Departments
from compiler.models import Catalogue, Item, Level, Provision, Standard, Target


@dataclass(frozen=True)
class ProvisionDraft:
    """A provision copied from the floor."""

    id: str
    text: str
    corrected: bool  # the floor's errata changed the text
    commitment: str | None
    standards: tuple[Standard, ...]
    plain: str | None
    covers: tuple[str, ...]


@dataclass(frozen=True)
class ItemDraft:
    """A service item copied from the floor, its departments made local."""

    id: str
    target: Target
    service: str
    plain: str | None
    provisions: tuple[ProvisionDraft, ...]
    departments: tuple[str, ...]  # local counterparts; the floor's own where none at all is registered
    unmapped: tuple[str, ...]  # floor departments with no local counterpart in the registry


def corrected_text(floor: Catalogue, provision: Provision) -> tuple[str, bool]:
    """The provision's text with the floor's errata for it applied, and whether any applied."""
    text = provision.text
    for erratum in floor.errata:
        if erratum.where == provision.id and erratum.original in text:
            text = text.replace(erratum.original, erratum.corrected)
    return text, text != provision.text


def provision_draft(floor: Catalogue, provision: Provision, ident: str | None = None) -> ProvisionDraft:
    """The floor provision as the first version of the list's own (id `ident`, default the floor's)."""
    text, corrected = corrected_text(floor, provision)
    commitment = provision.commitment.value if provision.commitment is not None else None
    return ProvisionDraft(ident or provision.id, text, corrected, commitment, tuple(provision.standards),
                          provision.plain, (provision.id,))


def local_departments(registry: Departments, floor_departments: list[str], level: Level,
                      list_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(local departments, unmapped floor departments): for each floor department, the local ones
    that together carry every one of its functions (a jurisdiction's own first, as Pingtan's 社会事业局)."""
    local: list[str] = []
    missing: list[str] = []
    for dept_id in floor_departments:
        found = _counterparts(registry, dept_id, level, list_id)
        local += [d for d in found if d not in local]
        if not found:
            missing.append(dept_id)
    # With no local department at all the floor's names stay, so the item is not left without one
    # (check then names them, QD209); the unmapped ones are named for a TODO either way.
    return tuple(local or floor_departments), tuple(missing)


def item_draft(floor: Catalogue, item: Item, registry: Departments, level: Level, list_id: str,
               ident: str | None = None, provision_ids: list[str] | None = None) -> ItemDraft:
    """The floor item as the first version of the list's own; ids default to the floor's."""
    ids = provision_ids or [p.id for p in item.provisions]
    provisions = tuple(provision_draft(floor, p, i) for p, i in zip(item.provisions, ids))
    departments, unmapped = local_departments(registry, item.departments, level, list_id)
    return ItemDraft(ident or item.id, item.target, item.service, item.plain, provisions, departments, unmapped)


def _counterparts(registry: Departments, dept_id: str, level: Level, list_id: str) -> list[str]:
    """Local departments that together carry every function of floor department `dept_id`."""
    source = registry.by_id.get(dept_id)
    if source is None:
        return []
    wanted = set(source.functions)
    picked: list[str] = []
    for candidate in registry.counterparts(dept_id, level, list_id):
        gained = wanted & set(registry.by_id[candidate].functions)
        if gained:
            picked.append(candidate)
            wanted -= gained
        if not wanted:
            break
    return picked
