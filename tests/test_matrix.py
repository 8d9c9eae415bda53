"""The compliance matrix: each sample list's standing on each provincial item, computed from `check`."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AS_OF, CATALOGUE

from compiler.checks import pipeline
from compiler.review import matrix
from compiler.review.matrix import Status

# Everything not named here is covered (see tests/test_samples.py for what each sample shows).
NOT_COVERED = {
    "putian@1": {"s09": Status.missing},
    "sanming@1": {"s01": Status.weakened, "s11": Status.weakened},
    "quanzhou@1": {"s02": Status.weakened, "s05": Status.weakened},
    "zhangzhou@1": {"s12": Status.weakened},
}
CITIES = ["fuzhou", "longyan", "nanping", "ningde", "pingtan", "putian", "quanzhou", "sanming", "xiamen", "zhangzhou"]


@pytest.fixture(scope="module")
def result() -> pipeline.CheckResult:
    return pipeline.check([CATALOGUE], AS_OF)


@pytest.fixture(scope="module")
def table(result) -> matrix.Matrix:
    return matrix.compute(result)


def test_rows_and_columns(table):
    """One row per city list and per county (the provincial list has no provincial floor), one column per provincial item."""
    assert [r.key for r in table.rows] == [*(f"{c}@1" for c in CITIES), "minhou@1"]
    assert [i.id for i in table.floor_items] == [f"s{n:02d}" for n in range(1, 21)]
    assert table.floor_items[0].group == "幼有所育" and table.floor_items[0].service == "健康和托育(3岁以下)服务"


@pytest.mark.parametrize("city", CITIES)
def test_cells_of_each_sample(table, city):
    """Each sample is missing or weakened exactly where it was written to be, and covered everywhere else."""
    key = f"{city}@1"
    got = {i.id: table.cell(key, i.id).status for i in table.floor_items}
    assert {k: v for k, v in got.items() if v is not Status.covered} == NOT_COVERED.get(key, {})


def test_cells_carry_their_findings(table):
    """A cell's findings are the floor diagnostics about that item: sanming's s01 is its QD302, putian's s09 its QD301."""
    assert [d.code for d in table.cell("sanming@1", "s01").findings] == ["QD302"]
    assert [d.code for d in table.cell("sanming@1", "s11").findings] == ["QD303"]
    assert [d.code for d in table.cell("quanzhou@1", "s05").findings] == ["QD307"]
    assert [d.code for d in table.cell("putian@1", "s09").findings] == ["QD301"]
    assert table.cell("fuzhou@1", "s01").findings == ()


def test_a_warning_weakens_too(catalogue_copy):
    """QD306 (a floor standard not stated) is a weakening: the item is fulfilled, its level unknown."""
    path = catalogue_copy / "cities" / "fuzhou.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("            standards:\n              - {name: 中医调养服务年龄上限, value: 3, unit: 岁, better: higher}\n", ""),
                    encoding="utf-8")
    cell = matrix.compute(pipeline.check([path], AS_OF)).cell("fuzhou@1", "s01")
    assert cell.status is Status.weakened and [d.code for d in cell.findings] == ["QD306"]


def test_local_additions_are_counted(table):
    """Fuzhou shows two local additions and Xiamen one (the QD310 findings); the others none."""
    assert {r.key: r.additions for r in table.rows if r.additions} == {"fuzhou@1": 2, "xiamen@1": 1}


def test_every_floor_finding_names_its_floor_item(result):
    """QD301-QD307 carry `floor_item`, the id of the floor item they concern, so the matrix needs no text parsing."""
    floor_codes = [d for d in result.diagnostics.sorted() if d.code in matrix.MISSING_CODES + matrix.WEAKENING_CODES]
    assert floor_codes
    assert all(d.args["floor_item"] in result.corpus.by_key[("fujian", 1)].items for d in floor_codes)


def test_lists_on_different_floor_editions(catalogue_copy):
    """With a floor edition 2 that adds s21, a list on edition 1 shows s21 as absent and a list on edition 2 as missing."""
    first = (catalogue_copy / "province" / "fujian.yaml").read_text(encoding="utf-8")
    second = first.replace("edition: 1\n", "edition: 2\n", 1).replace(
        "# 勘误：", "      - id: s21\n        target:\n          text: 流动儿童\n        service: 假期托管服务\n"
        "        provisions:\n          - id: s21-1\n            text: 寒暑假期间提供免费托管服务\n            commitment: 保障\n"
        "        departments: [省教育厅]\n# 勘误：")
    (catalogue_copy / "province" / "fujian-2.yaml").write_text(second, encoding="utf-8")
    city = catalogue_copy / "cities" / "xiamen.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("  edition: 1\n", "  edition: 2\n", 1), encoding="utf-8")
    table = matrix.compute(pipeline.check([catalogue_copy], AS_OF))
    assert [i.id for i in table.floor_items][-1] == "s21"
    assert table.cell("fuzhou@1", "s21").status is Status.absent
    assert table.cell("xiamen@1", "s21").status is Status.missing
    assert table.row("xiamen@1").floor.key == "fujian@2"


def test_superseded_editions_are_left_out(catalogue_copy):
    """Only the newest edition of a city list is a row: its older edition stays in the catalogue, not in the matrix."""
    old = catalogue_copy / "cities" / "fuzhou.yaml"
    new = old.read_text(encoding="utf-8").replace("edition: 1\nissued: 2025-03-10", "edition: 2\nissued: 2026-03-10", 1)
    (catalogue_copy / "cities" / "fuzhou-2.yaml").write_text(new, encoding="utf-8")
    keys = [r.key for r in matrix.compute(pipeline.check([catalogue_copy], dt.date(2026, 11, 29))).rows]
    assert "fuzhou@2" in keys and "fuzhou@1" not in keys


def test_a_declared_deviation_is_shown_as_awaiting_review(catalogue_copy):
    """A floor finding the list answers with a justified deviation is neither covered nor weakened: it awaits review."""
    (catalogue_copy / "reviews/quanzhou@1.yaml").unlink()  # the sample's deviation, not yet decided
    cell = matrix.compute(pipeline.check([catalogue_copy], AS_OF)).cell("quanzhou@1", "s05")
    assert cell.status is Status.deviation and [d.code for d in cell.findings] == ["QD311"]
    assert Status.deviation.label() == "偏离待审"
