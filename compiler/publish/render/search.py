"""The families' own site search: an index segmented at build time, a query segmented the same way.

Why not the theme's search: its query parser splits Chinese by a separator pattern and lunr then
matches the whole run, so a query whose first character is itself an indexed word loses the rest
(中考 searches 中). Here the index is made of jieba's words (`cut_for_search`) and the browser
(`site/docs/assets/search.js`) segments the query by longest match against the index's own
vocabulary, the synonyms (`site/search-synonyms.yaml`) and the place names, so query and index
always agree on the words.

Only what families read is indexed: each service card of each published list, each list page,
and the home page's explanation; not the finder's form, the open data page or the reviewers'
report. One index file per province (the top of a chain) keeps the download bounded for a
national portal of thousands of lists: the browser loads the manifest when search is first
used, then only the shards it needs (the province of the place named in the query, else the
province of the page being read, else all).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML

from compiler.publish.render import cache
from compiler.publish.render.docs_folder import DocsFolder
from compiler.publish.render.nav import region_of
from compiler.publish.views import ItemView, ListView
from compiler.resources import site_folder

if TYPE_CHECKING:
    from compiler.publish.render.site import SiteContext

# How much a word counts by where it stands on the card.
WEIGHTS = {"title": 8.0, "group": 2.0, "target": 3.0, "plain": 2.0, "text": 1.5, "access": 1.0, "place": 4.0}
# Suffixes of place names that families leave out: 福州 for 福州市, 平潭 for 平潭综合实验区.
PLACE_SUFFIXES = ("综合实验区", "自治县", "市", "县", "区", "省")
_WORDISH = re.compile(r"[\w\u3400-\u9fff]")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """site/search-synonyms.yaml: what a parent types → the wording of the lists."""
    data = YAML(typ="safe").load((site_folder() / "search-synonyms.yaml").read_text(encoding="utf-8"))
    return {str(k): tuple(str(v) for v in vs) for k, vs in data.items()}


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    from compiler.publish.render.jieba_cache import private_jieba_cache

    jieba.setLogLevel(logging.WARNING)
    private_jieba_cache()  # before the dictionary is first loaded: a planted cache must not cut the index
    for word in list(synonyms()) + [w for ws in synonyms().values() for w in ws]:
        jieba.add_word(word)  # the synonyms' words are words of the index too, never split
    return jieba


def words(text: str) -> list[str]:
    """The index's words of `text`: jieba's search segmentation, punctuation and spaces dropped.

    jieba cuts a text one run of Chinese, letters and digits at a time (its `re_han_default`: the
    runs between punctuation and spaces) and never looks across a run's ends, so cutting each run
    alone gives the same words in the same order. Runs repeat across lists (the provincial wording,
    clause by clause) far more than whole fields do: at national scale a tenth of their characters
    are distinct, and each distinct run is cut once.
    """
    return [w for run in _jieba().re_han_default.split(text) if run for w in _run_words(run)]


@lru_cache(maxsize=1 << 18)
def _run_words(run: str) -> tuple[str, ...]:
    return tuple(w for w in _jieba().cut_for_search(run) if _WORDISH.search(w))


def place_names(jurisdiction: str) -> list[str]:
    """A jurisdiction and the short forms families type for it."""
    names = [jurisdiction]
    for suffix in PLACE_SUFFIXES:
        if jurisdiction.endswith(suffix) and len(jurisdiction) - len(suffix) >= 2:
            names.append(jurisdiction[: -len(suffix)])
            break
    return names


@dataclass
class _Shard:
    """One shard's cards as they are added (`entries`: each card's document and its fields' texts);
    segmented and weighed only when its document is asked for."""

    entries: list[tuple[dict[str, Any], dict[str, str]]] = field(default_factory=list)

    def add(self, doc: dict[str, Any], fields: dict[str, str]) -> None:
        self.entries.append((doc, fields))

    def document(self) -> dict[str, Any]:
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for n, (_, fields) in enumerate(self.entries):
            for name, text in fields.items():
                for w in words(text):
                    postings[w][n] = postings[w].get(n, 0.0) + WEIGHTS[name]
        total = len(self.entries)
        terms = {}
        for w, hits in sorted(postings.items()):
            idf = math.log(1 + total / len(hits))
            # Saturated term weight × idf, rounded: the browser only adds these up.
            terms[w] = [[d, round(idf * (1 + math.log(weight)), 3)] for d, weight in sorted(hits.items())]
        return {"version": 1, "docs": [doc for doc, _ in self.entries], "terms": terms}

    def key(self) -> str:
        """Everything the shard's file depends on: its cards, the segmenter's version and qingdan's
        code (its weights, synonyms and word rules); `cache.key` adds the code."""
        from importlib.metadata import version

        return cache.key("search-shard", version("jieba"), self.entries)


def _access_text(item: ItemView) -> str:
    a = item.access
    if a is None:
        return ""
    parts = [a.office, a.where, a.hours, a.fees, a.duration, *a.steps, *a.materials]
    labels = ["办理"] + (["材料"] if a.materials else []) + (["电话"] if a.phone else []) + (["网上办理"] if a.url else [])
    return " ".join([p for p in parts if p] + labels)


def build(views: list[ListView], home_text: str) -> tuple[dict[str, Any], dict[str, _Shard]]:
    """(manifest, shards by id) for the published lists."""
    regions = _regions(views)
    shards = {sid: _cards(members, home_text if k == 0 else "") for k, (sid, members) in enumerate(regions.items())}
    return _manifest(views, regions, _expansions()), shards


def _regions(views: list[ListView]) -> dict[str, list[ListView]]:
    """The lists by shard (the id of the top of their chain), in publishing order."""
    by_id = {v.id: v for v in views}
    regions: dict[str, list[ListView]] = {}
    for view in views:
        regions.setdefault(region_of(view, by_id).id, []).append(view)
    return regions


def _cards(views: list[ListView], home_text: str) -> _Shard:
    """One shard's cards: each list's page, services and floor gaps; the home page's (`home_text`) last."""
    shard = _Shard()
    for view in views:
        page = f"lists/{view.slug}/"
        sample = "（示例）" if view.sample else ""
        shard.add({"u": page, "t": f"{view.jurisdiction}清单{sample}", "c": view.jurisdiction, "k": "list",
                   "s": view.title},
                  {"title": f"{view.jurisdiction} 清单", "place": view.jurisdiction, "text": view.title})
        for group in view.groups:
            for item in group.items:
                snippet = item.plain or "；".join(p.text for p in item.provisions)
                shard.add(
                    {"u": f"{page}#item-{item.id}", "t": item.service, "c": view.jurisdiction + sample, "k": "item",
                     "g": group.name, "s": snippet[:90]},
                    {"title": item.service, "group": group.name, "target": item.target, "plain": item.plain or "",
                     "text": " ".join(p.text for p in item.provisions), "access": _access_text(item),
                     "place": view.jurisdiction})
        for gap in view.standing.missing if view.standing else ():
            # A floor service the list leaves out is still the family's: its notice on the page is found too.
            shard.add({"u": f"{page}#gap-{gap.item_id}", "t": f"{gap.service}（{gap.jurisdiction}清单规定）",
                       "c": view.jurisdiction + sample, "k": "gap", "g": gap.group, "s": "；".join(gap.provisions)[:90]},
                      {"title": gap.service, "group": gap.group, "target": gap.target,
                       "text": " ".join(gap.provisions), "place": view.jurisdiction})
    if views and home_text:
        shard.add({"u": "#who", "t": "哪些孩子算“流动儿童”", "c": "", "k": "page", "s": home_text[:90]},
                  {"title": "流动儿童 定义", "text": home_text})
    return shard


def _expansions() -> dict[str, list[list[str]]]:
    """Each synonym's wordings, segmented as the index is."""
    return {k: [words(v) for v in vs] for k, vs in synonyms().items()}


def _manifest(views: list[ListView], regions: dict[str, list[ListView]],
              expansions: dict[str, list[list[str]]]) -> dict[str, Any]:
    lists = {v.id: sid for sid, members in regions.items() for v in members}
    places: dict[str, str] = {}
    first: dict[str, str] = {}  # each jurisdiction's first list: its shard is the place's
    for view in views:
        for name in place_names(view.jurisdiction):
            places.setdefault(name, view.jurisdiction)
        first.setdefault(view.jurisdiction, view.id)
    return {
        "version": 1,
        "shards": {sid: f"search/{sid}.json" for sid in regions},
        "lists": {v.id: lists[v.id] for v in views},
        "places": places,
        "place_shard": {name: lists[first[j]] for name, j in places.items()},
        "synonyms": expansions,
    }


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def write_index(docs: DocsFolder, site: SiteContext, store: cache.Cache | None = None,
                digests: dict[str, str] | None = None) -> list[str]:
    """Write search/manifest.json and one search/<province>.json per shard under `docs`.

    A shard is kept in `store` twice: by its lists' views (`digests`, by list id, as the finder's
    shards are), so that an unchanged region needs neither its cards nor its words; and by its
    cards, so that an edit its cards do not show (a contact's phone) is not segmented again. The
    synonyms' segmentation is kept too: a build whose shards are all kept never starts jieba."""
    home = ""
    if site.child:
        home = (f"流动儿童 不满{site.child.max_age_exclusive}周岁 离开户籍地 "
                f"居住{site.child.min_months_away}个月以上 " + (site.definition or ""))
    views = list(site.lists)
    store = store or cache.Cache(None)
    regions = _regions(views)
    manifest = _manifest(views, regions, _kept_expansions(store))
    docs.write("search/manifest.json", _dumps(manifest))
    written = ["search/manifest.json"]
    for n, (shard_id, members) in enumerate(regions.items()):
        rel, text = manifest["shards"][shard_id], home if n == 0 else ""
        by_views = cache.key("search-shard-views", [(v.id, digests[v.id]) for v in members], text) if digests else None
        if by_views is None or (kept := store.get(by_views)) is None:
            kept = _kept_shard(store, _cards(members, text))
            if by_views is not None:
                store.put(by_views, kept)
        docs.write(rel, kept)
        written.append(rel)
    return written


def _kept_shard(store: cache.Cache, shard: _Shard) -> bytes:
    """The shard's file, from `store` where its cards were segmented before."""
    k = shard.key()
    if (kept := store.get(k)) is None:
        kept = _dumps(shard.document()).encode("utf-8")
        store.put(k, kept)
    return kept


def _kept_expansions(store: cache.Cache) -> dict[str, list[list[str]]]:
    from importlib.metadata import version

    k = cache.key("search-synonyms", version("jieba"))  # the synonyms file is part of the code digest
    if (kept := store.get(k)) is not None:
        try:
            found = json.loads(kept)
            if isinstance(found, dict):
                return found
        except ValueError:
            pass
    expansions = _expansions()
    store.put(k, json.dumps(expansions, ensure_ascii=False).encode("utf-8"))
    return expansions
