"""The JSON Schemas of the documents, generated from the pydantic models (never written by hand)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from compiler.models import Catalogue
from compiler.models.review import Review

KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "catalogue": (Catalogue, "qingdan 关爱服务清单"),
    "review": (Review, "qingdan 审核记录"),
}


def schema(kind: str = "catalogue") -> dict[str, Any]:
    """The JSON Schema of documents of `kind` (a key of KINDS)."""
    model, title = KINDS[kind]
    found = model.model_json_schema()
    found["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    found["title"] = title
    return found


def catalogue_schema() -> dict[str, Any]:
    """The JSON Schema of a list (`schema/catalogue.schema.json`)."""
    return schema("catalogue")
