"""The departments registry: every department a list may name, with its level and duties.

Lists name a department by its short name (its id, 市卫健委); Word tables name it in full
(福州市卫生健康委员会, 市卫生健康委员会) or by a common alias (市卫生健康委). `NameIndex`
turns any of these into the id.
"""

from __future__ import annotations

import re

from pydantic import Field

from compiler.models.common import Level, ListId, Strict, Text


class Department(Strict):
    """A department. Counterparts across levels share a function (卫生健康, 教育 ...)."""

    id: Text = Field(description="简称，清单的 departments 里写它，如 市卫健委")
    name: Text = Field(description="全称；通用的市、县部门写作“设区市……”“县（市、区）……”")
    aliases: list[Text] = Field(default_factory=list, description="其他常见写法（简称的变体、旧称），导入表格时据此认出部门")
    level: Level
    functions: list[Text] = Field(min_length=1, description="承担的职能；上下级对应部门职能相同")
    jurisdiction: ListId | None = Field(None, description="只属于某一辖区时，写该辖区清单的编号")
    serves_levels: list[Level] = Field(default_factory=list, description="还可作为哪些层级清单的责任部门")

    def usable_at(self, level: Level, list_id: str) -> bool:
        if self.jurisdiction and self.jurisdiction != list_id:
            return False
        return self.level == level or level in self.serves_levels


class DepartmentRegistry(Strict):
    departments: list[Department] = Field(min_length=1)


# How the registry spells "this city's", "this county's" and "the province's" in full names.
_GENERIC = (("县（市、区）", "县"), ("县(市、区)", "县"), ("设区市", "市"), ("福建省", "省"))
_PREFIX = {Level.province: "省", Level.city: "市", Level.county: "县"}
SEPARATORS = re.compile(r"[、，,；;/\s]+")


def _generic(name: str) -> str:
    for full, short in _GENERIC:
        name = name.replace(full, short)  # also inside: 共青团设区市委员会, 中共设区市委……
    return name


class NameIndex:
    """Department ids by every spelling a list or a table may use, for one list's level and id."""

    def __init__(self, departments: list[Department], level: Level, list_id: str, jurisdiction: str = "") -> None:
        self.level, self.jurisdiction = level, jurisdiction
        self._ids: dict[str, str] = {}
        usable = [d for d in departments if d.usable_at(level, list_id)]
        # Usable departments first, so a name shared across levels resolves to this list's level.
        for dept in usable + [d for d in departments if d not in usable]:
            for spelling in (dept.id, dept.name, *dept.aliases):
                for key in {spelling, _generic(spelling)}:
                    self._ids.setdefault(key, dept.id)

    def lookup(self, written: str) -> str | None:
        """The id of the department `written` names (full name, alias or id), or None."""
        name = re.sub(r"\s+", "", written)
        candidates = [name, _generic(name)]
        own = self.jurisdiction
        if own and own in name:
            candidates.append(name.replace(own, _PREFIX.get(self.level, ""), 1))
        candidates.append(_PREFIX.get(self.level, "") + name)  # 卫生健康委员会 written without 市
        return next((self._ids[c] for c in candidates if c in self._ids), None)

    def split(self, cell: str) -> list[str]:
        """The department names of one cell or string (市卫健委、市教育局 / 市卫健委，市教育局)."""
        return [part for part in SEPARATORS.split(cell.strip()) if part]
