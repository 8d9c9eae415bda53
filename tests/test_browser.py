"""The site in a real browser: Debian's Chromium, driven by Playwright, on a local HTTP server.

Search, the finder, the mobile layout and accessibility (axe-core) are what only a browser
shows. Screenshots land in test-artifacts/ for people to look at.
"""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import quote, urlencode

import pytest
from conftest import ARTIFACTS, AS_OF, CATALOGUE, ROOT
from playwright.sync_api import Page, sync_playwright

from compiler.checks import pipeline
from compiler.publish import views as contexts
from compiler.publish.render.finder import Child, applies

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules/axe-core/axe.min.js"
# Flags for a sandboxed machine with no network: no first-run work, no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_site):
    """The built site on 127.0.0.1 (search needs http, not file://)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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


def shot(pg: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.wait_for_timeout(400)  # let the header's title transition finish, so the picture is what people see
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def search(pg: Page, server: str, word: str) -> list[str]:
    """Type `word` into the site search; the result links, best first."""
    pg.goto(server)
    pg.locator("label.md-search__icon, .md-search__input").first.click()
    # The theme reacts to key events; Playwright enters Chinese like an input method, with no
    # key event, so a real key press after it makes the theme read the query.
    pg.locator(".md-search__input").fill(word)
    pg.keyboard.press("End")
    pg.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    return pg.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.href)")


@pytest.mark.parametrize(("word", "page_path", "section"), [
    ("医保", "lists/", "item-s07"),
    ("残疾", "lists/", "item-s11"),
    ("托育", "lists/", "item-s01"),
])
def test_chinese_search_finds_the_right_service(page, server, word, page_path, section):
    """Searching a two-character word lands on the list section of the service it names."""
    links = search(page, server, word)
    assert links, word
    assert any(page_path in link and link.endswith("#" + section) for link in links[:10]), links[:10]
    page.goto(links[0])
    assert word in page.locator("article.md-content__inner").inner_text()


CHILDREN = [
    ("fuzhou", Child(7, frozenset({"义务教育阶段", "残疾"}))),
    ("sanming", Child(2, frozenset())),
    ("xiamen", Child(15, frozenset({"普通高中教育阶段", "家庭经济困难", "孤儿"}))),
    ("fujian", Child(10, frozenset({"家庭住房困难", "义务教育阶段"}))),
]


@pytest.mark.parametrize(("city", "child"), CHILDREN, ids=[c for c, _ in CHILDREN])
def test_the_finder_shows_the_services_that_apply(page, server, views, city, child):
    """The finder, filled in like a family would, shows exactly the services whose target group includes the child."""
    page.goto(server + "finder/")
    page.select_option("#qd-city", city)
    page.fill("#qd-age", str(child.age))
    stages = [c for c in child.circumstances if c.endswith("阶段")]
    if stages:
        page.select_option("#qd-stage", stages[0])
    for c in child.circumstances - set(stages):
        page.check(f'input[name=condition][value="{c}"]')
    page.click("#qd-finder button[type=submit]")
    page.locator("#qd-result h2").wait_for()
    shown = page.locator(".qd-found-item").evaluate_all("els => els.map(e => e.dataset.item)")
    expected = [item.id for item in views[city].items if applies(item, child)]
    assert shown == expected
    assert expected, "each child is chosen so that something applies"
    if city == "fuzhou":
        shot(page, "finder")


def test_the_finder_explains_the_age_limit_and_keeps_a_shareable_link(page, server):
    """A 16-year-old is outside the definition; the query string refills the form and the result."""
    page.goto(server + "finder/?" + urlencode({"city": "fuzhou", "age": "16"}))
    page.locator("#qd-result p").wait_for()
    assert "不满 16 周岁" in page.locator("#qd-result").inner_text()
    page.goto(server + "finder/?city=putian&age=4&c=" + quote("学前教育阶段"))
    page.locator("#qd-result h2").wait_for()
    assert "莆田市" in page.locator("#qd-result h2").inner_text()
    assert page.locator("#qd-stage").input_value() == "学前教育阶段"


@pytest.mark.parametrize("path", ["", "lists/fuzhou/", "finder/", "report/"])
def test_no_horizontal_scrolling_at_375_pixels(browser, server, path):
    """On a 375-pixel-wide phone, no page is wider than the screen."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    pg.goto(server + path)
    width = pg.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    name = {"": "home", "lists/fuzhou/": "city", "finder/": "finder-mobile", "report/": "report"}[path]
    shot(pg, f"{name}-375")
    context.close()
    assert width <= 375, (path, width)


@pytest.mark.parametrize("path", ["", "lists/fuzhou/", "finder/", "report/"])
def test_no_serious_accessibility_violation(page, server, path):
    """axe-core (WCAG 2.1 A and AA rules) finds no serious or critical violation."""
    page.goto(server + path)
    if path == "finder/":
        page.fill("#qd-age", "7")
        page.click("#qd-finder button[type=submit]")
        page.locator("#qd-result h2").wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, bad
    if path in ("", "lists/fuzhou/"):
        shot(page, "home" if path == "" else "city")


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
    handler = functools.partial(_QuietHandler, directory=str(hostile_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_screenshots_are_saved_for_people_to_look_at():
    """The run leaves the home, city and finder screenshots in test-artifacts/."""
    for name in ("home", "city", "finder"):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000, name
