"""Properties of the floor checks, on edits of the compliant sample list (Fuzhou).

Each example edits the text of catalogue/cities/fuzhou.yaml in a temporary copy of the
catalogue and runs the real pipeline (`check_files`) on it with its floor, the provincial
list. Where an edit goes and where a finding must point are worked out with ruamel.yaml's
round-trip parser, not with the compiler's own loader, so a wrong position cannot hide.

Loading the floor and the registry again for every example costs about 10 ms of the ~20 ms a
run takes; that is cheap enough to keep the pipeline whole instead of reusing its parts.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, CATALOGUE
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from compiler.checks.pipeline import CheckResult, check_files
from compiler.diagnostics import Severity
from compiler.source.loader import display_name

CITY = Path("cities") / "fuzhou.yaml"
FLOOR = Path("province") / "fujian.yaml"
COMPLIANCE = ("QD1", "QD2", "QD3")
COMMITMENTS = ["保障", "有条件", "鼓励"]

TEXT = (CATALOGUE / CITY).read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)
SAMPLE = YAML().load(TEXT)  # round-trip: keeps 0-based line and column of every key and item
FLOOR_DATA = YAML(typ="safe").load((CATALOGUE / FLOOR).read_text(encoding="utf-8"))

PROPERTIES = settings(max_examples=30, deadline=None)


# ---- the sample and its floor, read once ------------------------------------------------------


FLOOR_ITEMS: dict[str, list[dict]] = {
    item["id"]: item["provisions"] for group in FLOOR_DATA["groups"] for item in group["items"]}
FLOOR_PROVISIONS: dict[str, dict] = {p["id"]: p for ps in FLOOR_ITEMS.values() for p in ps}
FLOOR_ITEM_OF: dict[str, str] = {p["id"]: item for item, ps in FLOOR_ITEMS.items() for p in ps}


@dataclass(frozen=True)
class Item:
    """One item of the sample: where it and its provisions start, and what each provision covers."""

    id: str
    group_start: int | None  # 0-based line of its group's "- ", when it is the group's only item
    start: int  # 0-based line of the item's "- "
    provisions_key: tuple[int, int]  # 0-based line and column of its `provisions:` key
    provision_starts: tuple[int, ...]
    provision_ids: tuple[str, ...]
    fulfils: tuple[frozenset[str], ...]  # per provision: the floor provisions it fulfils
    end_of_provisions: int  # 0-based line where the provisions end (the next key of the item)


def _expand(refs: list[str]) -> set[str]:
    """Floor provision ids named by a `covers` list (an item id stands for all its provisions)."""
    return {p["id"] for r in refs for p in FLOOR_ITEMS.get(r, [])} | {r for r in refs if r in FLOOR_PROVISIONS}


def _items() -> list[Item]:
    found: list[Item] = []
    groups = SAMPLE["groups"]
    for g, group in enumerate(groups):
        items = group["items"]
        for i, item in enumerate(items):
            provisions = item["provisions"]
            keys = list(item)
            after = keys[keys.index("provisions") + 1]  # the sample's items all have keys after it
            found.append(Item(
                id=item["id"],
                group_start=groups.lc.item(g)[0] if len(items) == 1 else None,
                start=items.lc.item(i)[0],
                provisions_key=tuple(item.lc.key("provisions")),
                provision_starts=tuple(provisions.lc.item(k)[0] for k in range(len(provisions))),
                provision_ids=tuple(p["id"] for p in provisions),
                fulfils=tuple(frozenset(_expand([*item.get("covers", []), *p.get("covers", [])])) for p in provisions),
                end_of_provisions=item.lc.key(after)[0]))
    return found


ITEMS = _items()
USED_IDS = {i.id for i in ITEMS} | {p for i in ITEMS for p in i.provision_ids}
FLOOR_KEY = tuple(SAMPLE.lc.key("floor"))
# Where an item or a group ends: at the next item, group or top-level key.
GROUP_ENDS = sorted({SAMPLE["groups"].lc.item(g)[0] for g in range(len(SAMPLE["groups"]))}
                    | {SAMPLE.lc.key(k)[0] for k in SAMPLE} | {len(LINES)})
ITEM_ENDS = sorted({i.start for i in ITEMS} | set(GROUP_ENDS))


def only_fulfillers() -> dict[str, tuple[Item, int]]:
    """Floor provision id → the one (item, provision index) of the sample that fulfils it."""
    by_floor: dict[str, list[tuple[Item, int]]] = {}
    for item in ITEMS:
        for k, fulfils in enumerate(item.fulfils):
            for ref in fulfils:
                by_floor.setdefault(ref, []).append((item, k))
    return {ref: found[0] for ref, found in by_floor.items() if len(found) == 1}


ONLY = only_fulfillers()


# ---- running the pipeline ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled catalogue, shared by the examples of this module."""
    target = tmp_path_factory.mktemp("props") / "catalogue"
    shutil.copytree(CATALOGUE, target)
    return target


def check_sample(root: Path, lines: list[str]) -> CheckResult:
    """Write the edited sample into the copy and check it against its floor."""
    city = root / CITY
    city.write_text("".join(lines), encoding="utf-8")
    return check_files(root, [root / FLOOR, city], {display_name(city)}, AS_OF)


def compliance_errors(result: CheckResult) -> list[str]:
    return [f"{d.code} {d.location} {d.message()}" for d in result.diagnostics.sorted(Severity.ERROR)
            if d.code.startswith(COMPLIANCE)]


# ---- generated provisions ---------------------------------------------------------------------


def yaml_entry(data: dict[str, Any], column: int) -> list[str]:
    """`data` as a block sequence entry whose "- " starts at `column` (the dumper does the quoting)."""
    yaml = YAML(typ="safe")
    yaml.default_flow_style, yaml.allow_unicode, yaml.width = False, True, 1 << 20
    out = io.StringIO()
    yaml.dump(data, out)
    assert YAML(typ="safe").load(out.getvalue()) == data  # the generator's own sanity, not the compiler's
    body = out.getvalue().splitlines(keepends=True)
    return [" " * column + ("- " if n == 0 else "  ") + line for n, line in enumerate(body)]


local_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,12}", fullmatch=True).filter(lambda s: s not in USED_IDS)
numbers = st.integers(min_value=0, max_value=10_000) | st.floats(min_value=0, max_value=1e9, allow_nan=False)


def not_worse(floor_standard: dict) -> st.SearchStrategy[dict]:
    """A standard of the floor's name and direction whose value is at least as good as the floor's."""
    value = floor_standard["value"]
    if floor_standard.get("better", "higher") == "lower":
        better = st.integers(min_value=0, max_value=value) | st.floats(min_value=0, max_value=value)
    else:
        better = st.integers(min_value=value, max_value=value + 100) | st.floats(min_value=value, max_value=value + 1e6)
    return st.builds(dict, name=st.just(floor_standard["name"]), value=better,
                     unit=st.just(floor_standard["unit"]), better=st.just(floor_standard.get("better", "higher")))


@st.composite
def new_provisions(draw: st.DrawFn, covers: st.SearchStrategy[list[str]]) -> dict[str, Any]:
    """Any provision: any id not yet used, any text and commitment, standards that are not worse."""
    refs = draw(covers)
    floor_names = {s["name"] for r in refs for s in FLOOR_PROVISIONS[r].get("standards", [])}
    standards = [draw(not_worse(s)) for r in refs for s in FLOOR_PROVISIONS[r].get("standards", []) if draw(st.booleans())]
    standards += draw(st.lists(st.builds(
        dict, name=st.text(min_size=1, max_size=10).filter(lambda n: n not in floor_names), value=numbers,
        unit=st.text(min_size=1, max_size=5), better=st.sampled_from(["higher", "lower"])), max_size=2))
    provision: dict[str, Any] = {"id": draw(local_ids), "text": draw(st.text(min_size=1, max_size=60)),
                                 "commitment": draw(st.sampled_from(COMMITMENTS))}
    if standards:
        provision["standards"] = standards
    if refs or draw(st.booleans()):
        provision["covers"] = refs
    if draw(st.booleans()):
        provision["plain"] = draw(st.text(min_size=1, max_size=30))
    return provision


@st.composite
def places(draw: st.DrawFn, items: list[Item]) -> tuple[Item, int]:
    """An item and the 0-based line before which a new provision of it goes (any position)."""
    item = draw(st.sampled_from(items))
    k = draw(st.integers(min_value=0, max_value=len(item.provision_starts)))
    return item, item.provision_starts[k] if k < len(item.provision_starts) else item.end_of_provisions


def insert(lines: list[str], at: int, provision: dict[str, Any], item: Item) -> list[str]:
    column = item.provisions_key[1] + 2  # the sample indents provisions two past their key
    return lines[:at] + yaml_entry(provision, column) + lines[at:]


# ---- the properties ---------------------------------------------------------------------------


def test_the_sample_is_compliant_as_it_stands(root: Path) -> None:
    """The unedited Fuzhou sample is compliant, so the properties below start from a compliant list."""
    result = check_sample(root, LINES)
    assert [r.compliant for r in result.lists] == [True], compliance_errors(result)


floor_covers = st.lists(st.sampled_from(sorted(FLOOR_PROVISIONS)), max_size=3, unique=True)


@PROPERTIES
@given(place=places(ITEMS), provision=new_provisions(floor_covers))
def test_adding_a_provision_keeps_a_list_compliant(root: Path, place: tuple[Item, int], provision: dict) -> None:
    """Property: adding any provision that is not worse than the floor never makes a compliant list non-compliant."""
    item, at = place

    result = check_sample(root, insert(LINES, at, provision, item))

    assert [r.compliant for r in result.lists] == [True], compliance_errors(result)


def _removal(item: Item, k: int) -> tuple[int, int]:
    """The 0-based line range [start, end) to delete: the provision, or its item (or group) if it is
    the only one, since a list holds no empty item or group."""
    if len(item.provision_starts) == 1 and item.group_start is not None:
        return item.group_start, min(b for b in GROUP_ENDS if b > item.group_start)
    if len(item.provision_starts) == 1:
        return item.start, min(b for b in ITEM_ENDS if b > item.start)
    starts = (*item.provision_starts, item.end_of_provisions)
    return starts[k], starts[k + 1]


def _expected_place(floor_provision: str, removed: tuple[Item, int], added: tuple[Item, set[str]] | None) -> tuple[int, int]:
    """Where QD301 must point, 0-based: the `provisions:` key of the first item still fulfilling a
    provision of the same floor item, or else the list's `floor:` key."""
    siblings = {p["id"] for p in FLOOR_ITEMS[FLOOR_ITEM_OF[floor_provision]]}
    for item in ITEMS:
        kept = set().union(*(f for k, f in enumerate(item.fulfils) if (item, k) != removed))
        if added is not None and added[0] is item:
            kept |= added[1]
        if kept & siblings:
            return item.provisions_key
    return FLOOR_KEY


@dataclass(frozen=True)
class Removal:
    floor_provision: str
    addition: tuple[Item, int, dict[str, Any]] | None  # a provision added elsewhere: item, line, data


@st.composite
def removals(draw: st.DrawFn) -> Removal:
    """A floor provision the sample fulfils once, and maybe a provision added to another item
    that covers anything but that floor provision (often others of its floor item, so that
    which item QD301 points at is put to the test)."""
    floor_provision = draw(st.sampled_from(sorted(ONLY)))
    if not draw(st.booleans()):
        return Removal(floor_provision, None)
    item, at = draw(places([i for i in ITEMS if i is not ONLY[floor_provision][0]]))
    near = sorted({p["id"] for p in FLOOR_ITEMS[FLOOR_ITEM_OF[floor_provision]]} - {floor_provision})
    refs = st.sampled_from(sorted(set(FLOOR_PROVISIONS) - {floor_provision}))
    if near:
        refs = st.sampled_from(near) | refs
    return Removal(floor_provision, (item, at, draw(new_provisions(st.lists(refs, max_size=3, unique=True)))))


@PROPERTIES
@given(removals())
def test_removing_the_only_fulfiller_is_qd301(root: Path, case: Removal) -> None:
    """Property: removing the one provision covering a floor provision gives QD301 for it at the right place."""
    removed = ONLY[case.floor_provision]
    start, end = _removal(*removed)
    added = (case.addition[0], _expand(case.addition[2].get("covers", []))) if case.addition else None
    line, column = _expected_place(case.floor_provision, removed, added)
    lines = list(LINES)
    if case.addition is not None:  # shift what lies below the insertion
        item, at, provision = case.addition
        lines = insert(lines, at, provision, item)
        grown = len(lines) - len(LINES)
        start, end = (start + grown, end + grown) if at <= start else (start, end)
        line += grown if at <= line else 0
    del lines[start:end]
    line -= (end - start) if line >= end else 0

    result = check_sample(root, lines)

    assert result.invalid == [], compliance_errors(result)
    assert [r.compliant for r in result.lists] == [False]
    uncovered = [(d.args["provision"], d.location.line, d.location.column)
                 for d in result.diagnostics.sorted() if d.code == "QD301"]
    assert uncovered == [(case.floor_provision, line + 1, column + 1)]
