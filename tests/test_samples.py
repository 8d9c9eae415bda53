"""The bundled catalogue: each sample shows exactly the defects it was written to show."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import CATALOGUE, ROOT

# What each sample list is for (its header comment says the same in Chinese). QD409 is the
# calendar caveat for 2027/2028, which no holiday calendar knows yet: it is counted apart.
EXPECTED = {
    "fujian": {},
    "fuzhou": {},
    "xiamen": {},
    "putian": {"QD301": 1},
    "sanming": {"QD302": 1, "QD303": 1},
    # its deviation for s05 is rejected in reviews/quanzhou@1.yaml (QD802), which sends it back (QD806)
    "quanzhou": {"QD304": 1, "QD307": 1, "QD802": 1, "QD806": 1},
    "zhangzhou": {"QD305": 1},
    "nanping": {"QD402": 1},
    "longyan": {"QD403": 1},
    "ningde": {"QD405": 1},
    "pingtan": {},
    "minhou": {},  # the county sample: one justified deviation, accepted in reviews/minhou@1.yaml (QD801, an info)
}


@pytest.fixture(scope="module")
def report():
    import datetime as dt
    import json

    from compiler.checks import pipeline
    from compiler.output import text as formats

    result = pipeline.check([CATALOGUE], dt.date(2026, 11, 29))
    return json.loads(formats.to_json(result))


def test_every_bundled_list_is_checked(report):
    """The provincial list, all ten cities and the county sample are in the report."""
    assert sorted(c["id"] for c in report["catalogues"]) == sorted(EXPECTED)
    assert report["invalid_files"] == []


@pytest.mark.parametrize("list_id", sorted(EXPECTED))
def test_sample_defects(report, list_id):
    """Warnings and errors of each list are exactly the ones it was written to show."""
    got = Counter(d["code"] for d in report["diagnostics"]
                  if d["catalogue"] == f"{list_id}@1" and d["severity"] != "info" and d["code"] != "QD409")
    assert dict(got) == EXPECTED[list_id]


def test_compliance_and_deadline_states(report):
    """compliant, filing_status and renewal_status per list."""
    rows = {c["id"]: (c["compliant"], c["filing_status"], c["renewal_status"]) for c in report["catalogues"]}
    assert rows["fujian"] == (True, "not_applicable", "not_applicable")
    assert rows["putian"][0] is rows["sanming"][0] is rows["quanzhou"][0] is rows["zhangzhou"][0] is False
    assert rows["nanping"][1] == "late"
    assert rows["longyan"][1] == "pending"
    assert rows["ningde"][2] == "due_soon"
    assert rows["fuzhou"] == (True, "on_time", "on_track")
    assert rows["pingtan"][0] is True
    assert rows["minhou"] == (True, "not_applicable", "not_applicable")


def test_deviations_are_counted_apart(report):
    """The county's accepted deviation is counted per list and in the summary, apart from warnings and infos."""
    minhou = next(c for c in report["catalogues"] if c["id"] == "minhou")
    assert (minhou["deviations"], minhou["accepted_deviations"], minhou["warnings"], minhou["errors"]) == (0, 1, 0, 0)
    infos = sum(1 for d in report["diagnostics"] if d["severity"] == "info" and d["code"] != "QD801")
    assert (report["summary"]["deviations"], report["summary"]["accepted_deviations"]) == (0, 1)
    assert report["summary"]["infos"] == infos


def test_review_samples_show_each_state(report):
    """Signed off (xiamen), sent back with a rejected deviation (quanzhou), accepted (minhou), late with a reason (nanping)."""
    codes = {(d["catalogue"], d["code"]) for d in report["diagnostics"]}
    assert {("xiamen@1", "QD807"), ("quanzhou@1", "QD802"), ("quanzhou@1", "QD806"), ("minhou@1", "QD801")} <= codes
    assert ("nanping@1", "QD402") in codes and ("nanping@1", "QD809") not in codes


def test_every_city_and_county_is_marked_as_a_sample():
    """No family can mistake a sample list for a real policy: `sample: true` and 示例 in the title."""
    from ruamel.yaml import YAML

    for path in sorted([*(CATALOGUE / "cities").glob("*.yaml"), *(CATALOGUE / "counties").glob("*.yaml")]):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert data["sample"] is True, path.name
        assert "示例" in data["title"], path.name
        assert "示例数据" in path.read_text(encoding="utf-8").splitlines()[1]


def test_json_shape(report):
    """The documented keys of catalogues[] and diagnostics[] are present."""
    keys = {"id", "name", "level", "floor", "compliant", "filing_due", "filing_status", "renewal_due", "renewal_status"}
    for c in report["catalogues"]:
        assert keys <= set(c)
    for d in report["diagnostics"]:
        assert {"code", "severity", "file", "line", "column", "message"} <= set(d)
    fuzhou = next(c for c in report["catalogues"] if c["id"] == "fuzhou")
    assert (fuzhou["level"], fuzhou["floor"], fuzhou["filing_due"], fuzhou["renewal_due"]) == \
        ("city", "fujian@1", "2025-03-20", "2027-03-10")


def test_floor_diagnostics_cite_the_floor_provision(report):
    """Every floor diagnostic names its basis and the floor provision's own file:line."""
    floor = [d for d in report["diagnostics"] if d["code"].startswith("QD30") and d["severity"] == "error"]
    assert floor
    for d in floor:
        assert "不得低于" in d["basis"] or "责任部门" in d["basis"]
        assert d["related"] and d["related"][0]["file"].endswith("province/fujian.yaml")


GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_golden_output(fmt, capsys, monkeypatch):
    """The sample corpus' full diagnostic output equals the reviewed golden file (./tasks golden refreshes it)."""
    from compiler.cli import main

    monkeypatch.chdir(ROOT)
    code = main(["check", "catalogue", "--as-of", "2026-11-29", "--format", fmt])
    assert code == 1
    expected = (GOLDEN / f"check.{'txt' if fmt == 'text' else 'json'}").read_text(encoding="utf-8")
    assert capsys.readouterr().out == expected
