"""The families' site as built by `qingdan build`: pages, links, content, weight and safety."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urlsplit

import pytest
from conftest import AS_OF, CATALOGUE, page_text, parse, squash

from compiler.checks import pipeline
from compiler.publish import views as contexts
from compiler.publish.render.env import markdown_text, title_text


@pytest.fixture(scope="module")
def views() -> dict[str, contexts.ListView]:
    result = pipeline.check([CATALOGUE], AS_OF)
    return {v.id: v for v in contexts.published(result)}


def test_every_list_has_a_page_and_the_site_declares_zh_cn(built_site, views):
    """Home, finder, open data and one page per list exist, each declaring lang="zh-CN"."""
    pages = ["index.html", "finder/index.html", "opendata/index.html", "report/index.html",
             *(f"lists/{i}/index.html" for i in views)]
    for rel in pages:
        html = (built_site / rel).read_text(encoding="utf-8")
        assert '<html lang="zh-CN"' in html, rel


def test_no_broken_internal_link_or_anchor(built_site):
    """Every relative href/src in every page resolves to a built file, and every #fragment to an id."""
    pages = {p: parse(p) for p in built_site.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:")):
                continue
            base = built_site if parts.path.startswith("/") else path.parent  # 404.html links from the root
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)} → {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(built_site)} → {link} (no such id)")
    assert not broken, "\n".join(broken)


def test_a_list_page_shows_every_service_and_provision(built_site, views):
    """Each list's page carries its services, targets, provisions and departments word for word."""
    for view in views.values():
        text = page_text(built_site, f"lists/{view.id}/index.html")
        for item in view.items:
            assert squash(item.service) in text and squash(item.target) in text, (view.id, item.id)
            for p in item.provisions:
                assert squash(p.text) in text, (view.id, p.id)
            for d in item.departments:
                assert squash(d.name) in text, (view.id, d.name)  # written out, not the abbreviation


def test_sample_lists_say_so_and_the_province_does_not(built_site, views):
    """A plain 示例 banner on every sample list's page, none on the real provincial list."""
    for view in views.values():
        html = (built_site / f"lists/{view.id}/index.html").read_text(encoding="utf-8")
        assert ('class="qd-sample"' in html) is view.sample, view.id
    assert "示例，不是真实政策" in page_text(built_site, "lists/putian/index.html")


def test_a_city_page_shows_the_floor_provision_it_fulfils(built_site, views):
    """Beside a city provision worded differently from the floor's, the floor's own words are shown."""
    floor = views["fujian"]
    s12_2 = next(p for i in floor.items for p in i.provisions if p.id == "s12-2")
    zhangzhou = page_text(built_site, "lists/zhangzhou/index.html")
    assert squash(f"落实福建省清单的规定：{s12_2.text}") in zhangzhou  # in <q>, quoted by the browser
    assert "与福建省清单的规定文字相同" in page_text(built_site, "lists/fuzhou/index.html")


def test_local_additions_are_marked(built_site, views):
    """本地新增 marks fuzhou's added service and xiamen's added provision, and lists them."""
    fuzhou = views["fuzhou"]
    added = [i for i in fuzhou.items if i.local]
    assert added
    html = (built_site / "lists/fuzhou/index.html").read_text(encoding="utf-8")
    for item in added:
        block = html.split(f'id="item-{item.id}"', 1)[1].split("</h3>", 1)[0]
        assert "本地新增" in block
    xiamen = views["xiamen"]
    local = [p for i in xiamen.items for p in i.provisions if p.local]
    assert local
    assert f'href="#p-{local[0].id}"' in (built_site / "lists/xiamen/index.html").read_text(encoding="utf-8")


def test_a_city_page_weighs_well_under_a_megabyte(built_site):
    """A city page with its styles, scripts and images (not the search index) stays under 1 MB."""
    page_path = built_site / "lists/fuzhou/index.html"
    total = page_path.stat().st_size
    for link in set(parse(page_path).links):
        parts = urlsplit(link)
        if parts.scheme or not parts.path or not re.search(r"\.(css|js|svg|png|woff2?)$", parts.path):
            continue
        total += (page_path.parent / parts.path).resolve().stat().st_size
    assert total < 600_000, total


def test_content_is_readable_without_javascript(built_site):
    """The services are in the HTML itself; only search and the finder need scripts."""
    html = (built_site / "lists/fuzhou/index.html").read_text(encoding="utf-8")
    assert "健康和托育" in html and "<noscript>" in (built_site / "finder/index.html").read_text(encoding="utf-8")


def test_open_data_has_every_list_with_resolved_floor_references(built_site, views):
    """data/index.json names every list; each list's JSON carries its floor provisions' ids and texts."""
    index = json.loads((built_site / "data/index.json").read_text(encoding="utf-8"))
    assert index["format"] == "qingdan-index/1"
    assert {entry["id"] for entry in index["lists"]} == set(views)
    for entry in index["lists"]:
        document = json.loads((built_site / entry["data"]).read_text(encoding="utf-8"))
        assert document["format"] == "qingdan-list/1" and document["id"] == entry["id"]
        assert (built_site / entry["pdf"]).is_file()
    fuzhou = json.loads((built_site / "data/lists/fuzhou.json").read_text(encoding="utf-8"))
    first = fuzhou["groups"][0]["items"][0]["provisions"][0]
    assert first["fulfils"] == [{"list": "fujian@1", "item": "s01", "provision": "s01-1",
                                 "text": views["fujian"].items[0].provisions[0].text, "commitment": "保障"}]
    assert fuzhou["floor"] == {"list": "fujian", "edition": 1, "title": views["fujian"].title}
    putian = json.loads((built_site / "data/lists/putian.json").read_text(encoding="utf-8"))
    assert putian["compliance"]["compliant"] is False


def test_markdown_text_makes_list_text_inert():
    """The Markdown filter turns every character Markdown could act on into a character reference."""
    out = str(markdown_text("[a](javascript:x) **b** <i> {#id}"))
    assert not set("[]()*<>{}#") & set(out.replace("&#", ""))
    assert title_text('<b a="1">&') == "＜b a=＂1＂＞＆"


@pytest.mark.parametrize("bad", ["../x", "a/b", "x\x00", "", ".hidden", "A"])
def test_an_id_can_never_become_a_path_outside_the_output(bad):
    """Ids become file names only through safe_segment, which refuses anything but [a-z0-9-]."""
    with pytest.raises(ValueError):
        contexts.safe_segment(bad)


def test_list_text_cannot_inject_markup(hostile_site):
    """HTML, Markdown links and emphasis, attribute lists and snippet includes from YAML stay text."""
    for path in hostile_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for bad in ("<script>alert", "<img src=x", "onerror=alert(4)>", 'href="javascript', "<b>教育",
                    "<strong>粗", 'id="evil"', "root:x:0"):
            assert bad not in html, (path, bad)
    text = page_text(hostile_site, "lists/fuzhou/index.html")
    assert squash("<img src=x onerror=alert(4)> **粗** [点](javascript:alert(5))") in text


def test_the_published_theme_carries_no_source_maps(built_site):
    """The theme's bundles ship source maps (most of their weight): none is published or referred to."""
    assert not [p for p in built_site.rglob("*.map")]
    scripts = [p for p in built_site.rglob("*") if p.suffix in (".js", ".css")]
    assert any("javascripts" in p.parts for p in scripts)  # the theme's bundles are there
    assert not [p for p in scripts if "sourceMappingURL" in p.read_text(encoding="utf-8")]


def test_a_gap_notice_names_the_floor_it_comes_from(built_site, views):
    """A floor service a list misses is the floor's: a county's gap is its city's list's, not "the
    province's" (minhou's floor is Fuzhou's list); a list with no floor is only called a floor."""
    gapped = [v for v in views.values() if v.standing and v.standing.gaps]
    assert {views[v.floor.id].level for v in gapped} >= {"province", "city"}
    for v in gapped:
        text = page_text(built_site, f"lists/{v.slug}/index.html")
        assert text.count(squash(f"这是{v.floor.jurisdiction}清单规定的底线，{v.jurisdiction}的孩子同样可以享受")) == len(v.standing.gaps)
        assert "全省的底线" not in text
    top = next(v for v in views.values() if v.floor is None)
    assert squash(f"这是{top.jurisdiction}的底线清单") in page_text(built_site, f"lists/{top.slug}/index.html")
