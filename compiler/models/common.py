"""Types shared by the document models."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from compiler.domain import dates
from compiler.models.levels import Level  # noqa: F401  (re-exported: the models name it)


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_invalid", "只写日期，不写时间")
    day = value if isinstance(value, dt.date) else None
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if day is None:
        raise PydanticCustomError("date_invalid", "日期应写成 YYYY-MM-DD")
    if not dates.in_range(day):  # deadlines are counted from it: 9999-12-31 would overflow
        raise PydanticCustomError("date_invalid", f"日期超出可以计算期限的范围（{dates.RANGE_ZH}）")
    return day


Date = Annotated[dt.date, BeforeValidator(_date), Field(json_schema_extra={"type": "string", "format": "date"})]

def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):  # .inf would pass every comparison; not JSON
        raise PydanticCustomError("finite_number", "应是有限的数")
    return value


Finite = BeforeValidator(_finite)

# Editions end up in file names (`fuzhou-3.pdf`) and numbers in spreadsheets and JSON: bounded far
# above any real value, so no number can make a name too long or overflow a reader.
MAX_EDITION = 9999
MAX_NUMBER = 10**9

# Ids end up in file names and URLs: letters, digits and hyphens only, so no id can escape a folder.
ListId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="清单编号：小写字母、数字和连字符")]
LocalId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", description="编号：字母、数字、连字符和下划线")]
Text = Annotated[str, Field(min_length=1)]
