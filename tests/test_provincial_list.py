"""The provincial base list in catalogue/ is complete and word for word the seed's attachment."""

from __future__ import annotations

import re

import pytest
from conftest import CATALOGUE
from ruamel.yaml import YAML
from seed_table import GROUPS, seed_rows, seed_text

PROVINCE = CATALOGUE / "province" / "fujian.yaml"


@pytest.fixture(scope="module")
def province() -> dict:
    return YAML(typ="safe").load(PROVINCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items(province) -> list[tuple[str, dict]]:
    return [(g["name"], item) for g in province["groups"] for item in g["items"]]


def test_six_groups_in_seed_order(province):
    """The six group names (merged cells in the seed) come in the seed's order."""
    assert [g["name"] for g in province["groups"]] == list(GROUPS)


def test_twenty_rows_no_more_no_less(items):
    """Every row of the attachment is encoded once, numbered as in the seed, and nothing is added."""
    assert [item["row"] for _, item in items] == list(range(1, 21))
    assert [item["id"] for _, item in items] == [f"s{n:02d}" for n in range(1, 21)]


@pytest.mark.parametrize("row", seed_rows(), ids=lambda r: f"row{r.number}")
def test_row_matches_seed(row, items):
    """Group, 服务对象, 服务项目 and 责任部门 of each row equal the seed's cells."""
    group, item = items[row.number - 1]
    assert group == row.group
    assert item["service"] == row.service
    assert "、".join(item["departments"]) == row.departments
    if row.target is None:
        above = next(r for r in reversed(seed_rows()[: row.number - 1]) if r.target is not None)
        assert item["target"]["merged_with_row"] == above.number
        assert item["target"]["text"] == above.target
    else:
        assert "merged_with_row" not in item["target"]
        assert item["target"]["text"] == row.target


@pytest.mark.parametrize("row", seed_rows(), ids=lambda r: f"row{r.number}")
def test_provisions_rebuild_the_cell_verbatim(row, items):
    """The provisions, each followed by its recorded `sep`, give back the 服务内容 cell exactly."""
    _, item = items[row.number - 1]
    provisions = item["provisions"]
    assert all(p["text"] for p in provisions), "empty provision"
    assert "".join(p["text"] + p.get("sep", "") for p in provisions) == row.content, f"row {row.number}"
    assert all("sep" in p for p in provisions[:-1]) and "sep" not in provisions[-1]
    assert [p["id"] for p in provisions] == [f"{item['id']}-{k}" for k in range(1, len(provisions) + 1)]


def test_merged_target_cells_are_the_known_ones(items):
    """Rows 7, 12 and 17-20 are the merged 服务对象 cells (MISSION: 7 with 6, 12 with 11, 17-20 with 16)."""
    merged = {item["row"]: item["target"]["merged_with_row"] for _, item in items if "merged_with_row" in item["target"]}
    assert merged == {7: 6, 12: 11, 17: 16, 18: 16, 19: 16, 20: 16}


def test_plan_metadata_is_verbatim(province):
    """Title, the 23 issuing departments (in order, as printed) and the definition come from the seed."""
    text = seed_text()
    plan = province["plan"]
    assert f"《{plan['title']}》" in text.splitlines()[0]
    header = "\n".join(text.splitlines()[7:23])
    printed = [p for p in re.split(r"[\s\xa0]+", header) if p]
    assert plan["issuing_departments"] == printed
    assert len(printed) == 23
    assert plan["definition"] in text
    assert plan["based_on"] in text
    assert f"({plan['disclosure']})" in text
    assert province["issued"].isoformat() == "2025-01-09"


def test_errata_quote_the_seed_and_change_only_what_they_say(province):
    """Every erratum's original text is in the seed; the list itself keeps the seed's wording."""
    text = seed_text()
    for erratum in province["errata"]:
        assert erratum["original"] in text
        assert erratum["corrected"] != erratum["original"]
        assert erratum["corrected"] not in text or erratum["original"] in erratum["corrected"]
    raw = PROVINCE.read_text(encoding="utf-8").split("\nerrata:")[0]
    for erratum in province["errata"]:
        # the corrected form must not have leaked into the body of the list
        assert erratum["corrected"] not in raw or erratum["original"] in erratum["corrected"]


def test_every_department_is_in_the_registry(items):
    """Each 责任部门 of the provincial list is a provincial entry of departments.yaml."""
    registry = YAML(typ="safe").load((CATALOGUE / "departments.yaml").read_text(encoding="utf-8"))
    provincial = {d["id"] for d in registry["departments"] if d["level"] == "province"}
    for _, item in items:
        assert set(item["departments"]) <= provincial


def test_every_item_has_a_one_line_plain_explanation(items):
    """Each of the 20 services carries a `plain` text for families, one line with no folded-scalar spaces."""
    for _, item in items:
        plain = item.get("plain")
        assert plain, f"{item['id']}: no plain"
        # `>-` would join Chinese lines with a space; a plain text never needs one between two CJK characters
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]\s+[\u3000-\u9fff\uff00-\uffef]", plain), item["id"]
