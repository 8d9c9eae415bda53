"""A national portal's pages stay bounded: no page names every list. The reviewers' report is an
overview and one page per province; the home page, the finder's page without JavaScript and the
open data page lead to the provinces. A catalogue of one province keeps its single pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import generated_corpus
from test_build import build


def _text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", html[html.index("<article"):html.index("</article>")])


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Path:
    """The site of a generated catalogue: 1 national list, 2 provinces, 3 cities, 5 counties."""
    corpus = tmp_path_factory.mktemp("portal") / "corpus"
    generated_corpus(corpus)
    out = corpus.parent / "public"
    done = build(corpus, out, "--no-pdf", "--no-cache")
    assert done.returncode == 0, done.stderr
    return out


def _lists(out: Path) -> list[dict]:
    return json.loads((out / "data" / "index.json").read_text(encoding="utf-8"))["lists"]


def test_the_report_is_an_overview_and_a_page_per_province(portal):
    overview = _text(portal / "report" / "index.html")
    parts = sorted(p.parent.name for p in (portal / "report").glob("*/index.html"))
    assert len(parts) == 3  # the national list, and each province with its cities and counties
    for part in parts:
        assert f'href="{part}/"' in (portal / "report" / "index.html").read_text(encoding="utf-8")
    assert "各省的审核报告" in overview and "落实情况：各地" not in overview
    rows = {}
    for part in parts:
        html = (portal / "report" / part / "index.html").read_text(encoding="utf-8")
        matrix = html[html.index('class="qd-matrix"'):html.index("</table>")]
        for name in re.findall(r'<th scope="row">([^<]+)', matrix):
            rows[name] = rows.get(name, 0) + 1
    below = {e["jurisdiction"] for e in _lists(portal) if e["level"] in ("city", "county")}
    assert set(rows) == below and set(rows.values()) == {1}  # every list on a provincial floor, in exactly one part


def test_the_pages_that_would_name_every_list_lead_to_the_provinces(portal):
    lists = _lists(portal)
    regions = {e["page"] for e in lists if e["level"] in ("national", "province")}
    for page in ("index.html", "finder/index.html"):
        html = portal.joinpath(page).read_text(encoding="utf-8")
        body = html[html.index("<article"):html.index("</article>")]
        linked = {e["page"] for e in lists if f'href="{"../" if "/" in page else ""}{e["page"]}"' in body}
        assert linked == regions, page
    opendata = (portal / "opendata" / "index.html").read_text(encoding="utf-8")
    assert {e["data"] for e in lists if f'href="../{e["data"]}"' in opendata} == {
        e["data"] for e in lists if e["level"] in ("national", "province")}
    assert "data/index.json" in opendata
    finder = (portal / "finder" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<option value=", finder)) >= len(lists)  # the form still offers every list


def test_one_province_keeps_its_single_report_page(tmp_path):
    from conftest import CATALOGUE

    out = tmp_path / "public"
    assert build(CATALOGUE, out, "--no-pdf", "--no-cache").returncode == 0
    assert not list((out / "report").glob("*/index.html"))
    assert "落实情况：各地" in _text(out / "report" / "index.html")


def test_search_has_a_shard_per_province(portal):
    """The national list is above every province: its chain's top must not take the whole country's index."""
    manifest = json.loads((portal / "search" / "manifest.json").read_text(encoding="utf-8"))
    lists = _lists(portal)
    regions = sorted(e["id"] for e in lists if e["level"] in ("national", "province"))
    assert sorted(manifest["shards"]) == regions
    for shard in manifest["shards"].values():
        assert (portal / shard).is_file()
    counts = {s: list(manifest["lists"].values()).count(s) for s in regions}
    assert counts[next(e["id"] for e in lists if e["level"] == "national")] == 1
