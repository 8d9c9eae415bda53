"""A national portal's pages stay bounded: no page names every list. The reviewers' report is an
overview and one page per province; the home page, the finder's page without JavaScript and the
open data page lead to the provinces. A catalogue of one province keeps its single pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import chromium, generated_corpus, served
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


def _finder(out: Path) -> dict:
    return json.loads((out / "data" / "finder.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def portal_server(portal):
    """The portal's site on 127.0.0.1 (the finder fetches its data, which file:// would refuse)."""
    with served(portal) as address:
        yield address


@pytest.fixture(scope="module")
def portal_browser():
    with chromium() as b:
        yield b


@pytest.fixture
def finder_page(portal_browser):
    """A page that records every finder shard it requests (`page.shards`) and fails on any script error."""
    context = portal_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.shards = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("request", lambda r: pg.shards.append(r.url.split("/", 3)[3]) if "/data/finder/" in r.url else None)
    yield pg
    context.close()
    assert not errors, errors


@pytest.fixture(scope="module")
def portal_views(portal):
    """The portal's published lists as the build saw them, and the plan's age limit, for the Python rule."""
    from conftest import AS_OF

    from compiler.checks import pipeline
    from compiler.publish import views as contexts

    check = pipeline.check([portal.parent / "corpus"], AS_OF)
    limit = next(e.model.plan.child.max_age_exclusive for e in check.corpus.lists if e.model.plan and e.model.plan.child)
    return {v.id: v for v in contexts.published(check)}, limit


def test_the_finder_offers_every_list_from_its_index(portal, portal_server, finder_page):
    """On a national portal the page leaves the lists out of the city choice; in a browser the script
    fills it from data/finder.json, every list in the index's order, and a shared link still picks its city."""
    lists = _finder(portal)["lists"]
    county = lists[-1]
    finder_page.goto(f"{portal_server}finder/?city={county['id']}&age=7")
    finder_page.locator("#qd-finder:not([hidden])").wait_for()
    options = finder_page.eval_on_selector_all("#qd-city option", "os => os.map(o => [o.value, o.textContent])")
    assert options == [[entry["id"], entry["jurisdiction"] + ("（示例）" if entry["sample"] else "")] for entry in lists]
    assert finder_page.locator("#qd-city").input_value() == county["id"]
    finder_page.locator("#qd-result h2").wait_for()
    assert county["jurisdiction"] in finder_page.locator("#qd-result").inner_text()


def test_the_finder_index_is_small_and_no_shard_holds_every_list(portal):
    """data/finder.json holds what the form needs and where each list's services are; the services are
    split by region exactly as the search index is, each list in the one shard its entry names, and no
    shard holds every list: the largest finder file is a region's, not the country's."""
    index = _finder(portal)
    assert index["version"] == 3
    assert {frozenset(e) for e in index["lists"]} == {frozenset({"id", "jurisdiction", "title", "sample", "page", "services"})}
    named = sorted({e["services"] for e in index["lists"]})
    assert named == sorted(str(p.relative_to(portal)) for p in (portal / "data/finder").glob("*.json"))
    shards = {rel: json.loads((portal / rel).read_text(encoding="utf-8")) for rel in named}
    held = [(entry["id"], rel) for rel, shard in shards.items() for entry in shard["lists"]]
    assert sorted(held) == sorted((e["id"], e["services"]) for e in index["lists"])  # each list once, where named
    search = json.loads((portal / "search/manifest.json").read_text(encoding="utf-8"))["lists"]
    assert {e["id"]: e["services"] for e in index["lists"]} == {i: f"data/finder/{s}.json" for i, s in search.items()}
    assert max(len(shard["lists"]) for shard in shards.values()) < len(index["lists"]) / 2
    sizes = {rel: (portal / rel).stat().st_size for rel in named}
    assert max(sizes.values()) < 0.6 * sum(sizes.values())
    assert (portal / "data/finder.json").stat().st_size < min(sizes.values())


def _shown(page) -> tuple[list[str], list[str]]:
    items = page.locator(".qd-found-item[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    gaps = page.locator("#qd-result [data-gap]").evaluate_all("els => [...new Set(els.map(e => e.dataset.gap))]")
    return items, gaps


def _expected(view, child, limit) -> tuple[list[str], list[str]]:
    from compiler.publish.render.finder import applies, gap_applies

    return ([i.id for i in view.items if applies(i, child, limit)],
            [g.item_id for g in view.standing.gaps if gap_applies(g, child, limit)])


def _ask(page, city: str, jurisdiction: str, child) -> None:
    page.select_option("#qd-city", city)
    page.fill("#qd-age", str(child.age))
    page.select_option("#qd-stage", child.stage or "")
    for box in page.locator("input[name=condition]").all():
        box.set_checked(box.get_attribute("value") in child.circumstances)
    page.click("#qd-finder button[type=submit]")
    page.locator("#qd-result h2", has_text=f"{jurisdiction}：找到").wait_for()


def test_the_finder_fetches_only_the_chosen_lists_region_once(portal, portal_server, finder_page, portal_views):
    """Opening the finder fetches no services; asking for a county fetches its province's shard only, and
    shows exactly the services the Python rule finds; another list of the same province needs no new fetch."""
    from compiler.publish.render.finder import Child

    views, limit = portal_views
    lists = _finder(portal)["lists"]
    county = next(e for e in reversed(lists) if views[e["id"]].level == "county")
    neighbour = next(e for e in lists if e["services"] == county["services"] and e["id"] != county["id"])
    finder_page.goto(portal_server + "finder/")
    finder_page.locator("#qd-finder:not([hidden])").wait_for()
    finder_page.wait_for_load_state("networkidle")
    assert finder_page.shards == []
    for entry, child in ((county, Child(7, frozenset({"残疾"}), "")), (neighbour, Child(15, frozenset({"家庭经济困难"}), "final"))):
        _ask(finder_page, entry["id"], views[entry["id"]].jurisdiction, child)
        expected = _expected(views[entry["id"]], child, limit)
        assert _shown(finder_page) == expected and expected[0], entry["id"]
    assert finder_page.shards == [county["services"]]


def test_a_shared_link_fetches_its_lists_shard_and_shows_its_result(portal, portal_server, finder_page, portal_views):
    from compiler.publish.render.finder import Child

    views, limit = portal_views
    lists = _finder(portal)["lists"]
    city = next(e for e in lists if views[e["id"]].level == "city")
    finder_page.goto(f"{portal_server}finder/?city={city['id']}&age=15&stage=final&c={quote('残疾')}")
    finder_page.locator("#qd-result h2").wait_for()
    assert _shown(finder_page) == _expected(views[city["id"]], Child(15, frozenset({"残疾"}), "final"), limit)
    assert finder_page.locator("#qd-stage").input_value() == "final"
    assert finder_page.shards == [city["services"]]


def test_a_shard_that_fails_to_load_says_so_and_is_tried_again(portal, portal_server, finder_page, portal_views):
    """A missing shard: a clear message with the list's page, no results; the next 查一查 fetches it again."""
    views, _ = portal_views
    county = next(e for e in reversed(_finder(portal)["lists"]) if views[e["id"]].level == "county")
    missing = lambda route: route.fulfill(status=404, body="not found")  # noqa: E731
    finder_page.route(f"**/{county['services']}", missing)
    finder_page.goto(f"{portal_server}finder/?city={county['id']}&age=7")
    finder_page.locator("#qd-result .qd-message").wait_for()
    text = finder_page.locator("#qd-result").inner_text()
    assert f"{views[county['id']].jurisdiction}的查询数据没有加载成功" in text
    assert finder_page.locator("#qd-result .qd-message a").get_attribute("href").endswith("/" + county["page"])
    assert finder_page.locator(".qd-found-item").count() == 0
    finder_page.unroute(f"**/{county['services']}", missing)
    finder_page.click("#qd-finder button[type=submit]")
    finder_page.locator("#qd-result h2").wait_for()
    assert finder_page.locator(".qd-found-item").count() > 0
    assert finder_page.shards == [county["services"]] * 2


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
