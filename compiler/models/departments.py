"""The departments registry: every department a list may name, with its level and duties."""

from __future__ import annotations

from pydantic import Field

from compiler.models.common import Level, ListId, Strict, Text


class Department(Strict):
    """A department. Counterparts across levels share a function (卫生健康, 教育 ...)."""

    id: Text = Field(description="简称，清单的 departments 里写它，如 市卫健委")
    name: Text = Field(description="全称")
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
