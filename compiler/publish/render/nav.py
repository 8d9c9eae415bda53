"""The site's navigation for a catalogue of many provinces: grouped by province, then by city.

With every list at one level of the navigation, every page carries every list's link: a national
portal's pages grew with the number of lists (index.html was 1.1 MB for 3,211 lists), and the
whole site quadratically. Grouped, and with mkdocs-material's `navigation.prune` (only the open
branch of the navigation is written into a page), a county's page carries the provinces' names,
its province's cities and its city's counties. A catalogue of one province keeps the flat list.
"""

from __future__ import annotations

from typing import Any

from compiler.models.levels import Level
from compiler.publish.render.env import title_text
from compiler.publish.views import ListView
from compiler.review.report_parts import ReportGroup

PRUNE = "navigation.prune"


def _label(view: ListView) -> str:
    return title_text(view.jurisdiction + ("（示例）" if view.sample else ""))


def _parent(view: ListView, by_id: dict[str, ListView]) -> ListView | None:
    return by_id.get(view.floor.id) if view.floor is not None else None


def _ancestor(view: ListView, level: Level, by_id: dict[str, ListView]) -> ListView | None:
    """The list of `level` above `view` on its floor chain (itself if it is of that level)."""
    seen: set[str] = set()
    current: ListView | None = view
    while current is not None and current.id not in seen:
        if current.level == level.value:
            return current
        seen.add(current.id)
        current = _parent(current, by_id)
    return None


def region_of(view: ListView, by_id: dict[str, ListView]) -> ListView:
    """The region whose data shards (search, finder) hold a list: the provincial list on its floor chain
    among the published lists (`by_id`), else the top of that chain (a national list is a region of
    its own, not the whole country's)."""
    seen = {view.id}
    while (view.level != Level.province.value and view.floor is not None and view.floor.id in by_id
           and view.floor.id not in seen):
        view = by_id[view.floor.id]
        seen.add(view.id)
    return view


def by_province(lists: tuple[ListView, ...]) -> list[dict[str, Any]] | None:
    """The lists grouped by province, then city; None when there is at most one province."""
    by_id = {v.id: v for v in lists}
    provinces = [v for v in lists if v.level == Level.province.value]
    if len(provinces) <= 1:
        return None
    groups: dict[str, list[ListView]] = {p.id: [] for p in provinces}
    loose: list[dict[str, Any]] = []  # above the provinces (the national list) or on no province's chain
    for view in lists:
        province = _ancestor(view, Level.province, by_id)
        if province is None:
            loose.append({_label(view): view.page})
        elif view is not province:
            groups[province.id].append(view)
    nav = list(loose)
    for province in provinces:
        members = groups[province.id]
        cities = [v for v in members if v.level == Level.city.value]
        counties: dict[str, list[ListView]] = {c.id: [] for c in cities}
        entries: list[dict[str, Any]] = [{_label(province): province.page}]
        for view in members:
            city = _ancestor(view, Level.city, by_id)
            if view.level == Level.city.value:
                continue
            if city is not None and city.id in counties:
                counties[city.id].append(view)
            else:
                entries.append({_label(view): view.page})
        for city in cities:
            below = counties[city.id]
            entries.append({_label(city): [{_label(city): city.page}, *({_label(v): v.page} for v in below)]}
                           if below else {_label(city): city.page})
        nav.append({_label(province): entries})
    return nav


def report_groups(lists: tuple[ListView, ...]) -> list[ReportGroup] | None:
    """The lists by province for the reviewers' report, each province's cities (with their counties) a
    group of their own below it; a list above the provinces, or on no province's chain, is a group of
    its own. None when there is at most one province."""
    by_id = {v.id: v for v in lists}
    if sum(v.level == Level.province.value for v in lists) <= 1:
        return None
    order = {v.id: n for n, v in enumerate(lists)}
    groups: dict[str, tuple[ListView, list[str], dict[str, tuple[ListView, list[str]]]]] = {}
    for view in lists:
        head = _ancestor(view, Level.province, by_id) or view
        _, keys, cities = groups.setdefault(head.id, (head, [], {}))
        city = _ancestor(view, Level.city, by_id) if head.level == Level.province.value else None
        if city is not None and _ancestor(city, Level.province, by_id) is head:
            cities.setdefault(city.id, (city, []))[1].append(view.key)
        else:
            keys.append(view.key)
    ordered = sorted(groups.values(), key=lambda g: (g[0].level != Level.national.value, order[g[0].id]))
    return [ReportGroup(head.id, head.jurisdiction, frozenset(keys), tuple(
        ReportGroup(city.id, city.jurisdiction, frozenset(members))
        for city, members in sorted(cities.values(), key=lambda c: order[c[0].id])))
        for head, keys, cities in ordered]
