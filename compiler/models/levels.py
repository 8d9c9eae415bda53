"""The administrative levels of the chain of lists, usable without loading the document models."""

from __future__ import annotations

from enum import Enum


class Level(str, Enum):
    """行政层级：清单链条 国家 → 省 → 市 → 县。"""

    national = "national"
    province = "province"
    city = "city"
    county = "county"

    @property
    def rank(self) -> int:
        return ["national", "province", "city", "county"].index(self.value)

    @property
    def zh(self) -> str:
        return {"national": "国家级", "province": "省级", "city": "市级", "county": "县级"}[self.value]
