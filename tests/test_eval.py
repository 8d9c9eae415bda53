"""The text reading measured on labelled cases (tests/eval/*.yml): recall on the weaker texts
and false alarms on the others, with the functions `check` uses. ./tasks eval prints the table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "eval"


def _harness():
    spec = importlib.util.spec_from_file_location("qingdan_eval", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["qingdan_eval"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def outcomes():
    h = _harness()
    return h, h.judge(h.load_cases(h.default_files()))


def test_case_files_are_well_formed(outcomes):
    h, _ = outcomes
    cases = h.load_cases(h.default_files())
    assert len(cases) >= 150
    assert len({c["id"] for c in cases}) == len(cases)
    kinds = {"commitment", "number", "scope", "element", "unrelated"}
    for c in cases:
        assert c["field"] in ("provision", "target")
        if c["weaker"]:
            assert c["kind"] in kinds, c["id"]
    assert sum(not c["weaker"] for c in cases) >= 0.4 * len(cases)


def test_recall_and_false_alarms(outcomes):
    h, found = outcomes
    f = h.figures(found)
    assert f.recall >= 0.90, h.report(found, verbose=True)
    assert f.false_alarms <= 0.05, h.report(found, verbose=True)


def test_every_weaker_kind_is_found_mostly(outcomes):
    """No kind of weakening is left to the others' recall."""
    h, found = outcomes
    for kind, (hit, weaker, _, _) in h.figures(found).by_kind.items():
        if weaker:
            assert hit / weaker >= 0.75, (kind, h.report(found, verbose=True))
