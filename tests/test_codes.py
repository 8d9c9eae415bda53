"""The code registry is complete, documented, and the README's table is generated from it."""

from __future__ import annotations

import re

from conftest import ROOT

from compiler.codes import BASES, CODES, markdown_table


def test_codes_are_well_formed():
    """Codes are QDnnn, names are unique, and every code has a title, message, hint, reason and basis in both languages."""
    names = set()
    for code, c in CODES.items():
        assert re.fullmatch(r"QD\d{3}", code)
        assert c.name not in names
        names.add(c.name)
        for text in (c.title, c.title_en, c.message, c.message_en, c.hint, c.hint_en, c.why):
            assert text.strip()
        assert c.basis in BASES


def test_readme_table_is_generated_from_the_registry():
    """The README's code table equals `qingdan codes --markdown` (run ./tasks docs to refresh it)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- codes:start -->", "<!-- codes:end -->"
    table = readme.split(start, 1)[1].split(end, 1)[0].strip()
    assert table == markdown_table()


def test_every_code_is_exercised_by_a_test():
    """Each code appears in at least one test or case file, so none is dead."""
    corpus = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*") if p.suffix in (".py", ".yml") and p.is_file())
    corpus += (ROOT / "tests" / "golden" / "check.txt").read_text(encoding="utf-8")
    missing = [code for code in CODES if code not in corpus]
    assert missing == []


def test_every_floor_finding_of_warning_or_above_is_classed_by_the_matrix():
    """A floor code at warning level or above has a matrix class, so no floor defect can read 已覆盖."""
    from compiler.codes import Family, MatrixClass
    from compiler.diagnostics import Severity

    unclassed = [c.code for c in CODES.values()
                 if c.family is Family.floor and c.severity >= Severity.WARNING and c.matrix is None]
    assert unclassed == []
    assert all(c.matrix is MatrixClass.addition for c in CODES.values() if c.family is Family.floor and c.severity < Severity.WARNING)


def test_deviable_and_matrix_classes_are_derived_from_the_entries():
    """DEVIABLE and the matrix's code lists come from the `Code` fields, not from lists kept elsewhere."""
    from compiler.codes import DEVIABLE, MatrixClass
    from compiler.review import matrix

    assert DEVIABLE == tuple(c for c, e in CODES.items() if e.deviable)
    assert set(matrix.WEAKENING_CODES) == {c for c, e in CODES.items() if e.matrix is MatrixClass.weakened}
    assert all(CODES[c].matrix is not None for c in DEVIABLE)


def test_a_matrix_finding_without_its_floor_item_is_refused():
    """The contract: a finding the matrix reads must carry `floor_item`; building one without it is a bug."""
    import pytest

    from compiler.diagnostics import Diagnostic, Location

    with pytest.raises(ValueError, match="floor_item"):
        Diagnostic("QD304", Location("x.yaml"), {"provision": "s01-1"})
    assert Diagnostic("QD304", Location("x.yaml"), {"floor_item": "s01"}).code == "QD304"
