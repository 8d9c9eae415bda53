"""The site in a real browser: Debian's Chromium, driven by Playwright, on a local HTTP server.

Search, the finder, the mobile layout and accessibility (axe-core) are what only a browser
shows. Screenshots land in test-artifacts/ for people to look at.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from conftest import ARTIFACTS, AS_OF, CATALOGUE, ROOT, chromium, served
from playwright.sync_api import Page

from compiler.checks import pipeline
from compiler.publish import views as contexts
from compiler.publish.render import finder
from compiler.publish.render.finder import Child, applies, gap_applies

AXE = ROOT / "node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def server(built_site):
    """The built site on 127.0.0.1 (search needs http, not file://)."""
    with served(built_site) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()
    assert not errors, errors


@pytest.fixture(scope="module")
def views():
    return {v.id: v for v in contexts.published(pipeline.check([CATALOGUE], AS_OF))}


def _age_limit() -> int:
    """The plan's definition of a 流动儿童 (不满 N 周岁), as the build reads it."""
    check = pipeline.check([CATALOGUE], AS_OF)
    return next(e.model.plan.child.max_age_exclusive for e in check.corpus.lists if e.model.plan and e.model.plan.child)


AGE_LIMIT = _age_limit()


def shot(pg: Page, name: str) -> None:
    """A screenshot in test-artifacts/ for people to look at; one that is nearly empty fails the test
    that took it (checked here, not by a later test, which parallel workers may run first)."""
    ARTIFACTS.mkdir(exist_ok=True)
    pg.wait_for_timeout(400)  # let the header's title transition finish, so the picture is what people see
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, f"{name}: the screenshot is nearly empty"


def open_search(pg: Page) -> None:
    pg.locator("#qd-search-open").click()
    pg.locator("#qd-search-input").wait_for()


def search(pg: Page, word: str) -> list[str]:
    """Type `word` into the site search (already open); the result links, best first."""
    pg.locator("#qd-search-input").fill(word)
    pg.wait_for_function("w => document.getElementById('qd-search-results').dataset.query === w", arg=word)
    return pg.locator(".qd-search-link").evaluate_all("els => els.map(e => e.href)")


def _anchor(link: str) -> str:
    return link.rsplit("#", 1)[-1] if "#" in link else link.rstrip("/").rsplit("/", 1)[-1]


# (query, acceptable first services, city page it must be on or None). The examples first.
QUERIES = [
    ("中考", {"item-s03", "item-s04"}, None), ("上学", {"item-s03"}, None), ("打疫苗", {"item-s01"}, None),
    ("孩子上学要什么材料", {"item-s03"}, None), ("低保", {"item-s13"}, None), ("中职", {"item-s05"}, None),
    ("公租房", {"item-s09"}, None), ("看病", {"item-s06", "item-s07"}, None), ("医保", {"item-s07"}, None),
    ("最低生活保障", {"item-s13"}, None), ("租房补贴", {"item-s09"}, None), ("托育", {"item-s01"}, None),
    ("上幼儿园", {"item-s02"}, None), ("高中", {"item-s04"}, None), ("高考", {"item-s04"}, None),
    ("中专助学金", {"item-s05"}, None), ("残疾", {"item-s11", "item-s12"}, None), ("残疾孩子上学", {"item-s12"}, None),
    ("孤儿", {"item-s10"}, None), ("事实无人抚养", {"item-s10"}, None), ("特困", {"item-s14"}, None),
    ("临时救助", {"item-s15"}, None), ("家庭教育", {"item-s16"}, None), ("心理咨询", {"item-s17"}, None),
    ("阅读", {"item-s18"}, None), ("找工作", {"item-s19"}, None), ("普法", {"item-s20"}, None),
    ("异地就医", {"item-s07"}, None), ("家庭医生", {"item-s06"}, None), ("暑期托管", {"item-fz-summer"}, None),
    ("福州 上学", {"item-s03"}, "fuzhou"), ("厦门低保", {"item-s13"}, "xiamen"), ("平潭看病", {"item-s06", "item-s07"}, "pingtan"),
    ("三明托育", {"item-s01"}, "sanming"), ("泉州市 幼儿园", {"item-s02"}, "quanzhou"),
    ("漳州 残疾孩子上学", {"item-s12"}, "zhangzhou"), ("龙岩 公租房", {"item-s09"}, "longyan"),
    ("莆田 公租房", {"gap-s09"}, "putian"), ("宁德 中职", {"item-s05"}, "ningde"), ("福州", {"fuzhou"}, "fuzhou"),
]


def test_search_finds_a_relevant_service_first(browser, server):
    """At least 30 queries a parent would type: the first result is a relevant service, of the city named."""
    assert len(QUERIES) >= 30
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(server)
    open_search(pg)
    wrong = []
    for word, services, city in QUERIES:
        links = search(pg, word)
        first = links[0] if links else ""
        if _anchor(first) not in services or (city and f"/lists/{city}/" not in first):
            wrong.append((word, first, links[1:3]))
    shot(pg, "search")
    context.close()
    assert not wrong, wrong


def test_search_keeps_the_whole_query_and_follows_the_link(page, server):
    """中考 is searched as 中考 (not 中): every result mentions it; the first result opens on its card."""
    page.goto(server + "lists/fuzhou/")
    open_search(page)
    links = search(page, "中考")
    assert links
    # Only the cards that say 中考 (义务教育, and 高中 whose how-to mentions it), not every card with 中 or 考.
    assert {_anchor(link) for link in links} <= {"item-s03", "item-s04"}, links
    page.goto(links[0])
    card = page.locator(f"#{_anchor(links[0])}").locator("xpath=..")
    assert "中考" in card.text_content()


def test_the_search_index_is_fetched_only_when_search_is_used(browser, server):
    """Loading a page fetches no search data; opening search fetches the manifest and then one shard."""
    context = browser.new_context()
    pg = context.new_page()
    fetched: list[str] = []
    pg.on("request", lambda r: fetched.append(r.url))
    pg.goto(server + "lists/xiamen/")
    pg.wait_for_load_state("networkidle")
    assert not [u for u in fetched if "/search/" in u]
    open_search(pg)
    search(pg, "低保")
    assert [u for u in fetched if u.endswith("/search/manifest.json")]
    assert [u for u in fetched if u.endswith("/search/fujian.json")]
    context.close()


CHILDREN = [
    ("fuzhou", Child(7, frozenset({"残疾"}), "义务教育阶段")),
    ("sanming", Child(2, frozenset(), "")),
    ("xiamen", Child(15, frozenset({"家庭经济困难", "孤儿"}), "普通高中教育阶段")),
    ("fujian", Child(10, frozenset({"家庭住房困难"}), "")),
    ("quanzhou", Child(6, frozenset(), "none")),
    ("zhangzhou", Child(15, frozenset({"残疾", "家庭经济困难"}), "final")),
    ("putian", Child(9, frozenset({"家庭住房困难", "最低生活保障"}), "")),
]


def fill_finder(page: Page, server: str, city: str, child: Child) -> None:
    page.goto(server + "finder/")
    page.select_option("#qd-city", city)
    page.fill("#qd-age", str(child.age))
    page.select_option("#qd-stage", child.stage or "")
    for c in child.circumstances:
        page.check(f'input[name=condition][value="{c}"]')
    page.click("#qd-finder button[type=submit]")
    page.locator("#qd-result h2").wait_for()


@pytest.mark.parametrize(("city", "child"), CHILDREN, ids=[f"{c}-{ch.age}" for c, ch in CHILDREN])
def test_the_finder_shows_the_services_that_apply(page, server, views, city, child):
    """The finder, filled in like a family would, shows exactly the services whose target group includes the child."""
    fill_finder(page, server, city, child)
    shown = page.locator(".qd-found-item[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    expected = [item.id for item in views[city].items if applies(item, child, AGE_LIMIT)]
    assert shown == expected
    assert expected, "each child is chosen so that something applies"
    gaps = page.locator("#qd-result [data-gap]").evaluate_all("els => [...new Set(els.map(e => e.dataset.gap))]")
    assert gaps == [g.item_id for g in views[city].standing.gaps if gap_applies(g, child, AGE_LIMIT)]
    for item_id in shown:
        why = page.locator(f'.qd-found-item[data-item="{item_id}"] .qd-found-why').inner_text()
        assert f"孩子 {child.age} 岁" in why
    if city == "fuzhou":
        assert "有残疾" in page.locator('.qd-found-item[data-item="s11"] .qd-found-why').inner_text()
        shot(page, "finder")


def test_school_services_follow_the_age_as_well_as_the_stage(page, server, views):
    """A 6-year-old not yet at school sees 义务教育 (入学); a child finishing 初中 sees 中考, 高中 and 中职."""
    fill_finder(page, server, "fuzhou", Child(6, frozenset(), "none"))
    shown = page.locator(".qd-found-item[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    assert "s03" in shown and "s02" in shown
    fill_finder(page, server, "fuzhou", Child(15, frozenset(), "final"))
    shown = page.locator(".qd-found-item[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    assert {"s03", "s04", "s05"} <= set(shown)
    assert "中考" in page.locator('.qd-found-item[data-item="s03"]').inner_text()


def test_a_condition_inside_a_provision_changes_the_result(page, server):
    """s02-2 资助家庭经济困难的儿童: offered as 'if …' without the box ticked, as applying with it."""
    fill_finder(page, server, "fujian", Child(4, frozenset(), ""))
    card = page.locator('.qd-found-item[data-item="s02"]')
    assert "如果家庭经济困难，还可以：资助家庭经济困难的儿童接受普惠性学前教育" in card.inner_text()
    fill_finder(page, server, "fujian", Child(4, frozenset({"家庭经济困难"}), ""))
    card = page.locator('.qd-found-item[data-item="s02"]')
    assert "如果家庭经济困难" not in card.inner_text()
    assert "资助家庭经济困难的儿童接受普惠性学前教育" in card.locator(".qd-found-provisions").text_content()


def test_the_finder_offers_only_options_some_list_uses_and_shows_how_to_apply(page, server, views):
    """Every checkbox is a condition some list uses; each result shows whom to ask, a phone and what to bring."""
    page.goto(server + "finder/")
    page.locator("#qd-finder:not([hidden])").wait_for()
    offered = page.locator("input[name=condition]").evaluate_all("els => els.map(e => e.value)")
    assert offered == [c.value for c in finder.offered(list(views.values()))]
    assert "孩子本人患有严重精神障碍" in page.locator("#qd-finder").inner_text()
    fill_finder(page, server, "xiamen", Child(8, frozenset(), ""))
    card = page.locator('.qd-found-item[data-item="s03"]').inner_text()
    access = next(i for i in views["xiamen"].items if i.id == "s03").access
    assert access.office in card and access.phone in card and access.materials[0] in card


@pytest.mark.parametrize(("query", "expected"), [
    ({"city": "fuzhou", "age": str(AGE_LIMIT)}, f"不满 {AGE_LIMIT} 周岁"),
    ({"city": "fuzhou", "age": str(AGE_LIMIT + 1)}, f"不满 {AGE_LIMIT} 周岁"),
    ({"city": "fuzhou", "age": str(AGE_LIMIT + 2)}, f"不满 {AGE_LIMIT} 周岁"), ({"city": "beijing", "age": "7"}, "“beijing”不在本站的清单中"),
    ({"city": "fuzhou", "age": "-3"}, "不是有效的周岁数"), ({"city": "fuzhou", "age": "abc"}, "不是有效的周岁数"),
])
def test_a_shared_link_with_a_bad_value_gets_a_clear_message(page, server, query, expected):
    """Unknown city or impossible age: a message and no results; 16, 17 and 18 all get the age explanation."""
    page.goto(server + "finder/?" + urlencode(query))
    page.locator("#qd-result .qd-message").wait_for()
    assert expected in page.locator("#qd-result").inner_text()
    assert page.locator(".qd-found-item").count() == 0


def test_a_shared_link_refills_the_form(page, server):
    page.goto(server + "finder/?city=putian&age=4&stage=" + quote("学前教育阶段"))
    page.locator("#qd-result h2").wait_for()
    assert "莆田市" in page.locator("#qd-result h2").inner_text()
    assert page.locator("#qd-stage").input_value() == "学前教育阶段"


def test_without_javascript_the_finder_says_what_it_needs(browser, server):
    """No form that does nothing: the form stays hidden and the page says JavaScript is needed."""
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "finder/")
    assert not pg.locator("#qd-finder").is_visible()
    assert "查一查需要浏览器开启 JavaScript" in pg.locator("article").inner_text()
    context.close()


PAGES = ["", "finder/", "opendata/", "report/", "404.html"]


def _all_pages(views) -> list[str]:
    return PAGES + [f"lists/{i}/" for i in views]


def _axe(pg: Page) -> list:
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("() => axe.run(document)")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("size", ["375x812", "1280x900"])
def test_axe_finds_no_violation_on_any_page(browser, server, views, size):
    """axe-core, every rule it runs by default, on every page, the finder's result and the open search dialog."""
    width, height = map(int, size.split("x"))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=width < 500)
    pg = context.new_page()
    bad = {}
    for path in _all_pages(views):
        pg.goto(server + path)
        if path == "finder/":
            pg.fill("#qd-age", "7")
            pg.click("#qd-finder button[type=submit]")
            pg.locator("#qd-result h2").wait_for()
        if found := _axe(pg):
            bad[path] = found
    pg.goto(server + "lists/sanming/")
    open_search(pg)
    search(pg, "福州 上学")
    if found := _axe(pg):
        bad["search dialog"] = found
    if width < 500:
        shot(pg, "search-375")
    context.close()
    assert not bad, bad


@pytest.mark.parametrize("path", ["", "lists/fuzhou/", "lists/sanming/", "finder/", "report/"])
def test_no_horizontal_scrolling_at_375_pixels(browser, server, path):
    """On a 375-pixel-wide phone, no page is wider than the screen."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    pg.goto(server + path)
    width = pg.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    name = {"": "home", "lists/fuzhou/": "city", "lists/sanming/": "city-below-floor", "finder/": "finder-mobile",
            "report/": "report"}[path]
    shot(pg, f"{name}-375")
    context.close()
    assert width <= 375, (path, width)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    yield context.new_page()
    context.close()


def test_on_a_phone_the_finder_and_the_cities_are_on_the_first_screen(phone, server, views):
    """The finder's button and every city's link are above the fold at 375×812; the cities are separate links."""
    phone.goto(server)
    cta = phone.locator(".qd-cta a").bounding_box()
    assert cta["y"] + cta["height"] <= 812
    links = phone.locator(".qd-cities li a")
    assert links.count() == len(views)
    for box in links.evaluate_all("els => els.map(e => e.getBoundingClientRect().bottom)"):
        assert box <= 812
    shot(phone, "home-375")


def test_tap_targets_are_at_least_44_pixels(phone, server):
    """Buttons, form controls, the cities, group navigation and summaries are at least 44 px tall."""
    small = []
    for path, selector in [("", ".qd-cities a, .qd-cta a, #qd-search-open"),
                           ("lists/fuzhou/", ".qd-toc a, details > summary, .qd-tel"),
                           ("finder/", "#qd-finder select, #qd-finder input, #qd-finder button, .qd-check")]:
        phone.goto(server + path)
        phone.locator("#qd-search-open:not([hidden])").wait_for()
        for height, label in phone.locator(selector).evaluate_all(
                "els => els.filter(e => e.offsetParent !== null)"
                ".map(e => [e.getBoundingClientRect().height, e.outerHTML.slice(0, 60)])"):
            if height < 44 and "type=\"checkbox\"" not in label:
                small.append((path, height, label))
    assert not small, small


FOCUS = """() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
    return {tag: e.tagName, what: e.tagName + ' ' + (e.id || e.className || e.textContent.trim().slice(0, 20)),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
            shown: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth && s.visibility !== 'hidden'}; }"""


def _tab_through(pg: Page, stops: int = 60) -> list[dict]:
    seen = []
    for _ in range(stops):
        pg.keyboard.press("Tab")
        state = pg.evaluate(FOCUS)
        if state["tag"] == "BODY":
            break  # past the last control
        seen.append(state)
    return seen


def test_every_control_shows_keyboard_focus_and_a_skip_link_leads_to_the_content(page, server):
    """Tabbing reaches the skip link first; every focused control draws a visible outline."""
    page.goto(server + "finder/")
    page.locator("#qd-finder:not([hidden])").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    stops = _tab_through(page)
    assert len(stops) > 15
    assert not [s["what"] for s in stops if not s["outline"] or not s["shown"]]


@pytest.mark.parametrize("path", ["", "lists/fuzhou/", "finder/"])
def test_no_invisible_tab_stops_on_a_phone(phone, server, path):
    """At 375 px, every control the keyboard reaches is on screen (the closed menu drawer is skipped)."""
    phone.goto(server + path)
    phone.locator("#qd-search-open:not([hidden])").wait_for()
    stops = _tab_through(phone, 40)
    assert stops and not [s["what"] for s in stops if not s["shown"] or not s["outline"]]


def test_headings_form_a_hierarchy_and_services_stand_above_the_text(page, server):
    """One h1, no skipped level, and a service title clearly larger than the body text."""
    page.goto(server + "lists/fuzhou/")
    levels = page.locator("article h1, article h2, article h3, article h4").evaluate_all(
        "els => els.map(e => Number(e.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    h3 = page.locator("article h3").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    body = page.locator(".qd-target").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert h3 >= body * 1.2, (h3, body)


def test_a_city_page_prints_as_a_clean_document(page, server):
    """In print, no header, navigation, search or buttons; cards are not split across pages; details open."""
    page.goto(server + "lists/zhangzhou/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.qd-downloads', '.qd-toc', '.md-footer']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
    assert hidden and set(hidden) == {"none"}
    assert page.locator(".qd-item").first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0  # every collapsed part prints
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "city-print.pdf"))


def test_the_menu_button_works_from_the_keyboard_on_a_phone_and_is_absent_on_a_desktop(browser, phone, server):
    """On a phone the menu is a real button (Enter opens the drawer); on a desktop the navigation is always shown."""
    phone.goto(server + "lists/fuzhou/")
    menu = phone.locator("button.qd-menu")
    menu.focus()
    phone.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert phone.locator(".md-sidebar--primary").evaluate("e => getComputedStyle(e).visibility") == "visible"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desktop = context.new_page()
    desktop.goto(server + "lists/fuzhou/")
    assert not desktop.locator("button.qd-menu").is_visible()
    context.close()


def test_the_404_page_is_chinese_with_a_way_home(page, server):
    page.goto(server + "404.html")
    assert "没有找到这个页面" in page.locator("article").inner_text()
    page.get_by_role("link", name="回到首页").click()
    page.locator(".qd-cities").wait_for()


def test_injected_script_never_runs(browser, hostile_site_server):
    """A list whose text carries script and HTML shows it as text; no dialog opens, no error is thrown."""
    context = browser.new_context()
    pg = context.new_page()
    events: list[str] = []
    pg.on("dialog", lambda d: (events.append(d.message), d.dismiss()))
    for path in ("", "lists/fuzhou/", "finder/?city=fuzhou&age=1"):
        pg.goto(hostile_site_server + path)
        pg.wait_for_timeout(100)
    context.close()
    assert not events


@pytest.fixture(scope="module")
def hostile_site_server(hostile_site):
    with served(hostile_site) as address:
        yield address
