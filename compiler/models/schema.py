"""The JSON Schema of a list, generated from the pydantic models (never written by hand)."""

from __future__ import annotations

from typing import Any

from compiler.models import Catalogue


def catalogue_schema() -> dict[str, Any]:
    schema = Catalogue.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "qingdan 关爱服务清单"
    return schema
