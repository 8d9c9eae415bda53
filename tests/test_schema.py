"""The JSON Schema is generated from the models, accepts every bundled list and rejects broken ones."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from conftest import CATALOGUE, ROOT
from ruamel.yaml import YAML

from compiler.models.schema import catalogue_schema

LISTS = sorted(p for p in CATALOGUE.rglob("*.yaml") if p.name != "departments.yaml" and "reviews" not in p.parts)


def _plain(value):
    """YAML dates become the ISO strings an editor's schema validation sees."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture(scope="module")
def validator():
    schema = catalogue_schema()
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schema_is_up_to_date():
    """schema/catalogue.schema.json equals `qingdan schema` (./tasks docs refreshes it)."""
    committed = json.loads((ROOT / "schema" / "catalogue.schema.json").read_text(encoding="utf-8"))
    assert committed == catalogue_schema()


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.stem)
def test_schema_accepts_bundled_lists(path, validator):
    """Every bundled list is valid against the schema."""
    data = _plain(YAML(typ="safe").load(path.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(data)) == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d.update(titel="x"), "unknown field"),
        (lambda d: d.pop("issued"), "missing field"),
        (lambda d: d.update(edition="第一版"), "wrong type"),
        (lambda d: d.update(level="town"), "unknown level"),
        (lambda d: d["groups"][0]["items"][0]["provisions"][0].update(commitment="必须"), "unknown commitment"),
        (lambda d: d.update(id="../etc"), "unsafe id"),
    ],
)
def test_schema_rejects_broken_lists(change, why, validator):
    """Broken lists fail schema validation."""
    data = _plain(YAML(typ="safe").load((CATALOGUE / "cities" / "fuzhou.yaml").read_text(encoding="utf-8")))
    change(data)
    assert list(validator.iter_errors(data)), why


def test_bundled_lists_point_editors_at_the_schema():
    """Every bundled list's first line names the schema for yaml-language-server."""
    for path in LISTS:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = first.split("$schema=", 1)[1]
        assert (path.parent / target).resolve() == (ROOT / "schema" / "catalogue.schema.json").resolve()
