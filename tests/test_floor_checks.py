"""Floor, deadline, draft and deviation checks, driven by tests/cases/floor.yml and authoring.yml.

Each case edits a copy of a sample list (by default the compliant Fuzhou list) and names the
diagnostics it must produce, by code, line and column; a case with no expected diagnostics
is a passing case.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import AS_OF
from conftest import apply_edits as _apply
from conftest import line_of as _position
from ruamel.yaml import YAML

CASES = [case for name in ("floor.yml", "authoring.yml")
         for case in YAML(typ="safe").load((Path(__file__).parent / "cases" / name).read_text(encoding="utf-8"))]
CITY = "cities/fuzhou.yaml"
FLOOR = "province/fujian.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, catalogue_copy, run_check):
    """The edit produces exactly the expected diagnostics for the edited list."""
    edited = case.get("file", CITY)
    path = catalogue_copy / edited
    text = _apply(path.read_text(encoding="utf-8"), case["edit"]) + case.get("append", "")
    path.write_text(text, encoding="utf-8")
    if case.get("floor_edit"):  # the floor itself edited too, e.g. a standard where lower is better
        floor = catalogue_copy / FLOOR
        floor.write_text(_apply(floor.read_text(encoding="utf-8"), case["floor_edit"]), encoding="utf-8")
    as_of = case.get("as_of") or AS_OF
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    _, report = run_check(path, as_of=as_of, cwd=catalogue_copy.parent)
    levels = {"error", "warning"} | ({"info"} if case.get("infos") else set())
    got = sorted(
        (d["code"], d["line"], d["column"])
        for d in report["diagnostics"]
        if d["file"].endswith(edited) and d["severity"] in levels and d["code"] != "QD409"
    )
    want = sorted((e["code"], _position(text, e["at"], e.get("after")), e["column"]) for e in case["expect"])
    assert got == want


def test_every_floor_and_deadline_code_has_a_case():
    """Each check code of families 2xx-4xx that a city list can trigger is exercised by a case or elsewhere."""
    from compiler.codes import CODES

    in_cases = {e["code"] for c in CASES for e in c["expect"]}
    elsewhere = {"QD201", "QD202", "QD203", "QD204", "QD205", "QD206", "QD208", "QD211", "QD409", "QD410"}
    wanted = {c for c in CODES if c[2] in "34"} | {"QD207", "QD209", "QD210"}
    assert wanted - in_cases - elsewhere == set()
