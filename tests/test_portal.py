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


def _matrix_rows(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    if 'class="qd-matrix"' not in html:
        return []
    matrix = html[html.index('class="qd-matrix"'):html.index("</table>", html.index('class="qd-matrix"'))]
    return re.findall(r'<th scope="row">([^<]+)', matrix)


def test_the_report_is_an_overview_a_page_per_province_and_a_page_per_city(portal):
    """The overview links each province's page, which links its cities' pages; each city's page holds
    the matrix rows of the city and its counties, and every list below a province is in exactly one page."""
    overview = _text(portal / "report" / "index.html")
    parts = sorted(p.parent.name for p in (portal / "report").glob("*/index.html"))
    assert len(parts) == 3  # the national list, and each province with its cities and counties
    for part in parts:
        assert f'href="{part}/"' in (portal / "report" / "index.html").read_text(encoding="utf-8")
    assert "各省的审核报告" in overview and "落实情况：各地" not in overview
    lists = _lists(portal)
    by_key = {f'{e["id"]}@{e["edition"]}': e for e in lists}
    rows: dict[str, int] = {}
    for page in (portal / "report").glob("**/index.html"):
        for name in _matrix_rows(page):
            rows[name] = rows.get(name, 0) + 1
    below = {e["jurisdiction"] for e in lists if e["level"] in ("city", "county")}
    assert set(rows) == below and set(rows.values()) == {1}  # every list on a provincial floor, in exactly one page
    for city in (e for e in lists if e["level"] == "city"):
        province = by_key[city["floor"]]
        page = portal / "report" / province["id"] / city["id"] / "index.html"
        counties = {e["jurisdiction"] for e in lists if e["floor"] == f'{city["id"]}@{city["edition"]}'}
        assert set(_matrix_rows(page)) == {city["jurisdiction"]} | counties, city["id"]
        assert f'href="{city["id"]}/"' in (portal / "report" / province["id"] / "index.html").read_text(encoding="utf-8")
        assert 'href="../"' in page.read_text(encoding="utf-8") and province["jurisdiction"] in _text(page)


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
    assert 'data-fill="lists"' in finder and not re.findall(r'<option value="[^"]*">[^<]*（示例）', finder)


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


def test_the_finder_offers_every_list_from_its_index(portal):
    """On a national portal the page leaves the lists out of the city choice; in a browser the script
    fills it from data/finder.json, every list in the index's order, and a shared link still picks its city."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS, _QuietHandler

    lists = json.loads((portal / "data" / "finder.json").read_text(encoding="utf-8"))["lists"]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(portal)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            county = lists[-1]
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/finder/?city={county['id']}&age=7")
            page.locator("#qd-finder:not([hidden])").wait_for()
            options = page.eval_on_selector_all("#qd-city option", "os => os.map(o => [o.value, o.textContent])")
            assert options == [[entry["id"], entry["jurisdiction"] + ("（示例）" if entry["sample"] else "")] for entry in lists]
            assert page.locator("#qd-city").input_value() == county["id"]
            assert county["jurisdiction"] in page.locator("#qd-result").inner_text()
            browser.close()
    finally:
        httpd.shutdown()


PAGE_LIMIT = 200_000  # bytes: issue 16's bound on any page of a national portal


@pytest.fixture(scope="module")
def big_province(tmp_path_factory) -> Path:
    """The site of a catalogue whose provinces are each too big for one report page (over 150 lists each)."""
    corpus = tmp_path_factory.mktemp("big") / "corpus"
    generated_corpus(corpus, provinces=2, cities=12, counties=300)
    out = corpus.parent / "public"
    done = build(corpus, out, "--no-pdf", "--no-cache")
    assert done.returncode == 0, done.stderr
    return out


def test_no_page_is_over_200_kb_and_every_report_link_resolves(big_province):
    """A province whose report would pass 200 KB on one page is split by city; no page of the site is
    over the bound, and every link of every report page leads to a built page (and its anchor)."""
    from conftest import parse

    sizes = {p: p.stat().st_size for p in big_province.rglob("*.html")}
    assert max(sizes.values()) < PAGE_LIMIT, max(sizes, key=sizes.get)
    for province in (p for p in (big_province / "report").iterdir() if p.is_dir() and any(p.glob("*/index.html"))):
        assert sum(sizes[c] for c in province.glob("*/index.html")) > PAGE_LIMIT  # one page would have been too big
    broken = []
    for page in (big_province / "report").rglob("index.html"):
        for link in parse(page).links:
            if link.startswith(("http:", "https:", "tel:", "mailto:")):
                continue
            path, _, fragment = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            target = target / "index.html" if target.is_dir() else target
            if not target.is_file() or (fragment and fragment not in parse(target).ids):
                broken.append(f"{page.relative_to(big_province)} → {link}")
    assert not broken, broken
