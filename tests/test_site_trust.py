"""What the families' site says about entitlements: only what the check confirms, summaries that
never contradict their card, the floor's entitlement beside every gap, no draft shown as issued,
and nothing internal (ids, codes, the reviewers' report) in what families read."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from conftest import AS_OF, CATALOGUE, qingdan_cli
from test_site import page_text, parse, squash

from compiler.checks import pipeline
from compiler.publish import views as contexts
from compiler.publish.render import search

CONFIRMED = "服务范围和水平都不低于它"


@pytest.fixture(scope="module")
def views() -> dict[str, contexts.ListView]:
    return {v.id: v for v in contexts.published(pipeline.check([CATALOGUE], AS_OF))}


class _Cards(HTMLParser):
    """Each service card's summary (简单地说) and the rest of its own text (target and provisions)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[dict[str, str]] = []
        self._stack: list[str] = []  # the class of each open element inside a card
        self._card: dict[str, str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "article" and "qd-item" in cls.split():
            self._card, self._depth = {"id": dict(attrs).get("aria-labelledby", ""), "plain": "", "text": ""}, 0
        if self._card is not None:
            self._depth += 1
            self._stack.append(cls)

    def handle_endtag(self, tag):
        if self._card is None:
            return
        self._depth -= 1
        self._stack.pop()
        if self._depth == 0:
            self.cards.append(self._card)
            self._card = None

    def handle_data(self, data):
        if self._card is None:
            return
        classes = " ".join(self._stack).split()
        if "qd-plain" in classes:
            self._card["plain"] += data
        elif "qd-label" in classes or "qd-floor" in classes or "qd-gap" in classes or "qd-access" in classes:
            return  # labels, the floor's words and how-to are not the card's own entitlement text
        elif "qd-target" in classes or "qd-provisions" in classes:
            self._card["text"] += data


AGE_RANGE = re.compile(r"(\d+)\s*[-–~至到]\s*(\d+)\s*(?:周)?岁")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def facts(text: str) -> tuple[set[tuple[str, str]], set[str]]:
    """The age ranges and the numbers a text states (an age range's bounds count as numbers too)."""
    return set(AGE_RANGE.findall(text)), set(NUMBER.findall(text))


def test_the_facts_extractor_sees_ages_and_numbers():
    """The comparison below rests on this: 0-6岁 and 12年 are found, and 0-5岁 differs from 0-6岁."""
    assert facts("0-6岁孩子，12年免费教育") == ({("0", "6")}, {"0", "6", "12"})
    assert facts("0-5岁")[0] != facts("0-6岁")[0]
    assert facts("3至6周岁")[0] == {("3", "6")}


def test_no_summary_contradicts_its_card(built_site, views):
    """For every card on every page, each age range and number in 简单地说 is one its own text states."""
    checked = 0
    bad = []
    for view in views.values():
        cards = _Cards()
        cards.feed((built_site / f"lists/{view.id}/index.html").read_text(encoding="utf-8"))
        assert len([c for c in cards.cards if c["id"].startswith("item-")]) == len(view.items), view.id
        for card in cards.cards:
            if not card["plain"]:
                continue
            ages, numbers = facts(card["plain"].split("（")[0] if "清单的说明" in card["plain"] else card["plain"])
            own_ages, own_numbers = facts(card["text"])
            if not ages <= own_ages or not numbers <= own_numbers:
                bad.append((view.id, card["id"], sorted(ages - own_ages), sorted(numbers - own_numbers)))
            checked += 1
    assert checked > 100
    assert not bad, bad


def test_the_issue_examples_have_no_borrowed_summary(views):
    """漳州 s12 (9年 against the floor's 12年) and 三明 s01 (0-5岁 against 0-6岁) show no summary at all."""
    zhangzhou = next(i for i in views["zhangzhou"].items if i.id == "s12")
    sanming = next(i for i in views["sanming"].items if i.id == "s01")
    assert zhangzhou.plain is None and sanming.plain is None
    # Where the city's text is the floor's word for word, the floor's summary is still shown.
    assert any(i.plain_source for i in views["xiamen"].items)


def test_compliance_is_claimed_only_where_the_check_confirms_it(built_site, views):
    """不低于 appears exactly on the pages of lists the check finds compliant; the others name their gaps."""
    below = set()
    for view in views.values():
        if view.floor is None:
            continue
        text = page_text(built_site, f"lists/{view.id}/index.html")
        assert (CONFIRMED in text) is view.standing.confirmed, view.id
        if not view.standing.confirmed:
            below.add(view.id)
    assert {"putian", "quanzhou", "sanming", "zhangzhou"} <= below
    assert "fuzhou" not in below


@pytest.mark.parametrize(("city", "floor_item"), [("putian", "s09"), ("quanzhou", "s02"), ("quanzhou", "s05"),
                                                  ("sanming", "s01"), ("sanming", "s11"), ("zhangzhou", "s12")])
def test_below_the_floor_the_page_states_the_floor_entitlement(built_site, views, city, floor_item):
    """Beside each weakened or missing service: the province's own words, and whom to ask."""
    floor = next(i for i in views["fujian"].items if i.id == floor_item)
    html = unescape((built_site / f"lists/{city}/index.html").read_text(encoding="utf-8"))  # the text, as shown
    gap = next(g for g in views[city].standing.gaps if g.item_id == floor_item)
    anchor = f'id="item-{gap.list_items[0]}"' if gap.list_items else f'id="gap-{floor_item}"'
    card = html.split(anchor, 1)[1].split("</article>", 1)[0]
    text = squash(re.sub(r"<[^>]+>", "", card))
    for p in floor.provisions:
        assert squash(f"<q>{p.text}</q>") in squash(card), (city, p.id)
    assert "福建省清单规定" in text and "如未能享受，可以向" in text
    assert squash(views[city].contact_department) in text
    assert squash(floor.departments[0].name) in text


def _with_drafts(catalogue_copy):
    fuzhou = (catalogue_copy / "cities" / "fuzhou.yaml").read_text(encoding="utf-8")
    draft = fuzhou.replace("edition: 1\nissued: 2025-03-10\nfiled: 2025-03-18\n", "edition: 2\ndraft: true\nissued: 2026-11-01\n", 1)
    assert draft != fuzhou
    draft = draft.replace("暑期托管服务（本地新增）", "草稿里才有的服务", 1)
    (catalogue_copy / "cities" / "fuzhou-2.yaml").write_text(draft, encoding="utf-8")
    xiamen = (catalogue_copy / "cities" / "xiamen.yaml").read_text(encoding="utf-8")
    only = xiamen.replace("id: xiamen\n", "id: xinshi\n", 1).replace("jurisdiction: 厦门市", "jurisdiction: 新市", 1)
    only = re.sub(r"\nissued: .*\n", "\ndraft: true\nissued: 2026-11-01\n", only, count=1)
    only = re.sub(r"\nfiled: .*\n", "\n", only, count=1)
    (catalogue_copy / "cities" / "xinshi.yaml").write_text(only, encoding="utf-8")


def test_a_draft_is_never_published_as_issued(catalogue_copy, tmp_path):
    """A draft next edition leaves the issued one on the site; a list that is only a draft is not on it."""
    _with_drafts(catalogue_copy)
    out = tmp_path / "public"
    done = qingdan_cli("build", str(catalogue_copy), "--out", str(out), "--as-of", AS_OF.isoformat(), "--no-pdf")
    assert done.returncode == 0, done.stderr
    fuzhou = page_text(out, "lists/fuzhou/index.html")
    assert "2025年3月10日" in fuzhou and "第1版" in fuzhou
    assert "草稿里才有的服务" not in fuzhou and "2026年11月1日" not in fuzhou
    assert not (out / "lists/xinshi").exists()
    assert "新市" not in page_text(out, "index.html")
    finder = [out / "data/finder.json", *(out / "data/finder").glob("*.json")]
    assert len(finder) > 1 and not [p for p in finder if "新市" in p.read_text(encoding="utf-8")]


def test_nothing_internal_is_shown_to_families(built_site, views):
    """No provision or item ids, no diagnostic codes, no doubled markers on the families' pages."""
    pages = ["index.html", "finder/index.html", "opendata/index.html", *(f"lists/{i}/index.html" for i in views)]
    for rel in pages:
        text = page_text(built_site, rel)
        assert not re.search(r"\bs\d{2}(-\d+)?\b|fz-summer|QD\d{3}", text), (rel, re.findall(r"s\d{2}-\d+|QD\d{3}", text)[:3])
        assert "（示例）（示例）" not in text, rel
        assert "本地新增本地新增" not in text and "（本地新增）本地新增" not in text, rel
        for tag in ("guaranteed", "conditional", "encouraged", "None"):
            assert tag not in text, (rel, tag)


def test_every_card_leads_with_how_to_get_the_service(built_site, views):
    """怎么办理 comes before the policy text in each card, with the fields the sample gives."""
    html = unescape((built_site / "lists/xiamen/index.html").read_text(encoding="utf-8"))  # the text, as shown
    for item in views["xiamen"].items:
        card = html.split(f'id="item-{item.id}"', 1)[1].split("</article>", 1)[0]
        assert card.index('class="qd-access"') < card.index('class="qd-more"'), item.id
        a = item.access
        for value in (a.office, a.where, a.phone, *a.steps, *a.materials):
            if value:
                assert value in card, (item.id, value)
    phones = {i.access.phone for i in views["xiamen"].items}
    assert len(phones) == len(views["xiamen"].items)  # a phone per service, not one per city


def test_the_footer_names_the_publisher_and_every_list_links_its_source(built_site, views):
    """主办单位 from the catalogue in every page's footer; the provincial list links its source document."""
    province = views["fujian"]
    for rel in ("index.html", "lists/fuzhou/index.html", "finder/index.html"):
        assert squash(f"主办单位：{province.publisher}") in page_text(built_site, rel)
    links = parse(built_site / "lists/fujian/index.html").links
    assert any(link.endswith(province.source_file) for link in links), province.source_file
    assert "示例清单没有正式文件" in page_text(built_site, "lists/putian/index.html")


def test_the_report_is_out_of_the_families_navigation_and_search(built_site):
    """The reviewers' report is built and linked from the footer, but not in the navigation nor the index."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "report/" not in nav and "opendata/" not in nav
    assert (built_site / "report/index.html").is_file()
    index = (built_site / "search/fujian.json").read_text(encoding="utf-8")
    assert "report/" not in index and "finder/" not in index and "QD" not in index
    assert "现在住的城市" not in index  # the finder's form text is not indexed


def test_search_index_is_split_and_small_and_its_synonyms_are_data(built_site):
    """One shard per province behind a small manifest; the synonyms parents use are in the reviewed file."""
    manifest = (built_site / "search/manifest.json").stat().st_size
    shard = (built_site / "search/fujian.json").stat().st_size
    assert manifest < 20_000 and shard < 400_000, (manifest, shard)
    assert not (built_site / "search/search_index.json").exists()
    for word in ("低保", "中职", "公租房", "看病", "打疫苗", "上学", "医保"):
        assert word in search.synonyms(), word
    assert "最低生活保障" in search.synonyms()["低保"]


def test_no_source_maps_and_a_chinese_404(built_site):
    """No *.map file nor a reference to one; the 404 page is in Chinese with a way home."""
    assert not list(built_site.rglob("*.map"))
    for path in list(built_site.rglob("*.js")) + list(built_site.rglob("*.css")):
        assert "sourceMappingURL" not in path.read_text(encoding="utf-8"), path
    text = page_text(built_site, "404.html")
    assert "没有找到这个页面" in text and "回到首页" in text and "Not found" not in text
