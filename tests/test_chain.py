"""County lists: each is checked against its city's list, along the chain province → city → county."""

from __future__ import annotations

import datetime as dt

from conftest import CATALOGUE

from compiler.checks import pipeline

COUNTY = "counties/minhou.yaml"


def _edit(catalogue, name: str, old: str, new: str) -> None:
    path = catalogue / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _findings(report: dict, list_id: str) -> list[dict]:
    """Warnings and errors of one list, without the calendar caveat QD409."""
    return [d for d in report["diagnostics"]
            if d["catalogue"] == f"{list_id}@1" and d["severity"] != "info" and d["code"] != "QD409"]


def test_county_sample_is_checked_against_its_city():
    """The county sample's floor is the Fuzhou sample, whose floor is the provincial list; its findings cite the city."""
    result = pipeline.check([CATALOGUE / COUNTY], dt.date(2026, 11, 29))
    entry = next(e for e in result.corpus.lists if e.model.id == "minhou")
    assert [e.key for e in result.corpus.chain(entry)] == ["minhou@1", "fuzhou@1", "fujian@1"]
    [finding] = [d for d in result.diagnostics.sorted() if d.catalogue == "minhou@1"]
    assert finding.code == "QD801"  # its deviation, accepted in reviews/minhou@1.yaml
    assert finding.related[0].location.file.endswith("cities/fuzhou.yaml")


def test_county_must_cover_its_citys_own_additions(catalogue_copy, run_check):
    """A county answers for its city's local additions too, which the provincial list does not have."""
    _edit(catalogue_copy, COUNTY, "            covers: [fz-summer-1]\n", "")
    _, report = run_check(catalogue_copy / COUNTY, cwd=catalogue_copy.parent)
    [finding] = [d for d in _findings(report, "minhou") if d["code"] == "QD301"]
    assert "fz-summer-1" in finding["message"]
    assert finding["related"][0]["file"].endswith("cities/fuzhou.yaml")


def test_each_link_answers_for_itself(catalogue_copy, run_check):
    """A city weakening the provincial floor is reported on the city; the county that follows the city is not blamed."""
    old = "          - id: s03-2\n            text: 免除学杂费\n            commitment: 保障"
    _edit(catalogue_copy, "cities/fuzhou.yaml", old, old.replace("保障", "鼓励"))
    _edit(catalogue_copy, COUNTY, old, old.replace("保障", "鼓励"))
    _, report = run_check(catalogue_copy, cwd=catalogue_copy.parent)
    assert [d["code"] for d in _findings(report, "fuzhou")] == ["QD304"]
    assert [d["code"] for d in _findings(report, "minhou")] == []  # its deviation is accepted (QD801, an info)


def test_county_on_the_provincial_floor_is_the_wrong_level(catalogue_copy, run_check):
    """A county list names its city's list as floor, not the provincial list (QD207)."""
    _edit(catalogue_copy, COUNTY, "  list: fuzhou", "  list: fujian")
    _, report = run_check(catalogue_copy / COUNTY, cwd=catalogue_copy.parent)
    [finding] = [d for d in _findings(report, "minhou") if d["code"] == "QD207"]
    assert "县级" in finding["message"] and "市级" in finding["message"]


def test_county_uses_county_departments(catalogue_copy, run_check):
    """A city department in a county list is the wrong level, and the hint names the county counterpart."""
    _edit(catalogue_copy, COUNTY, "        departments: [县住建局]", "        departments: [市住建局]")
    _, report = run_check(catalogue_copy / COUNTY, cwd=catalogue_copy.parent)
    [finding] = [d for d in _findings(report, "minhou") if d["code"] == "QD209"]
    assert "县住建局" in finding["hint"]


def test_county_lists_have_no_deadlines(catalogue_copy, run_check):
    """The plan sets filing and renewal only for city lists: a county's are not applicable, even years later."""
    _edit(catalogue_copy, COUNTY, "issued: 2025-04-15", "issued: 2025-04-15\nfiled: 2025-06-30")
    _, report = run_check(catalogue_copy / COUNTY, as_of=dt.date(2030, 1, 1), cwd=catalogue_copy.parent)
    row = report["catalogues"][0]
    assert (row["filing_status"], row["renewal_status"]) == ("not_applicable", "not_applicable")
    assert not [d for d in report["diagnostics"] if d["code"].startswith("QD4")]
