"""The site's navigation for a catalogue of many provinces: grouped by province and city, so a
page carries its own branch, not every list (mkdocs-material's navigation.prune)."""

from __future__ import annotations

import pytest
from conftest import AS_OF, CATALOGUE, generated_corpus

from compiler.checks import pipeline
from compiler.publish import views as contexts
from compiler.publish.render import nav
from compiler.publish.render.site import _nav, mkdocs_config, site_context


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple:
    """The published views of a generated catalogue: 1 national, 2 provinces, 3 cities, 5 counties."""
    out = tmp_path_factory.mktemp("nav") / "corpus"
    generated_corpus(out)
    return tuple(contexts.published(pipeline.check([out], AS_OF)))


def _pages(tree) -> list[str]:
    found = []
    for entry in tree:
        for value in entry.values():
            found += _pages(value) if isinstance(value, list) else [value]
    return found


def test_every_list_appears_once_grouped_by_province_and_city(national):
    """Each list's page is in the navigation exactly once; the top holds the national list and one section per province."""
    tree = nav.by_province(national)
    assert tree is not None
    assert sorted(_pages(tree)) == sorted(v.page for v in national)
    sections = [value for entry in tree for value in entry.values() if isinstance(value, list)]
    assert len(sections) == 2  # one per province; the national list is a page of its own
    by_id = {v.id: v for v in national}
    for section in sections:
        pages = _pages(section)
        province = next(v for v in national if v.page == pages[0])
        assert province.level == "province"
        for page in pages[1:]:  # every other list of the section stands on this province's chain
            view = next(v for v in national if v.page == page)
            while view.level != "province":
                view = by_id[view.floor.id]
            assert view is province


def test_many_provinces_prune_the_navigation_one_does_not(national, tmp_path):
    """The national catalogue's site config turns navigation.prune on; the bundled one keeps its flat list."""
    config = mkdocs_config(tmp_path, tmp_path / "docs", tmp_path / "site", site_context(list(national), None, False, False), None)
    assert nav.PRUNE in config.read_text(encoding="utf-8")
    bundled = contexts.published(pipeline.check([CATALOGUE], AS_OF))
    assert nav.by_province(tuple(bundled)) is None
    flat = _nav(site_context(bundled, None, False, False))
    assert sorted(_pages(next(e["各地清单"] for e in flat if "各地清单" in e))) == sorted(v.page for v in bundled)
    config = mkdocs_config(tmp_path, tmp_path / "docs", tmp_path / "site", site_context(bundled, None, False, False), None)
    assert nav.PRUNE not in config.read_text(encoding="utf-8")
