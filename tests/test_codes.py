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
