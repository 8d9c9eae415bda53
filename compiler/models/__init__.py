"""Pydantic models: the schema of every kind of document in the catalogue.

The names are loaded on first use (PEP 562), so `compiler.models.levels` can be imported by
commands that never validate a document (`deadlines`) without importing pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOME = {
    **dict.fromkeys(("AgeRange", "Catalogue", "ChildDefinition", "Commitment", "Condition", "Item", "Provision",
                     "Standard", "Target"), "compiler.models.catalogue"),
    "Department": "compiler.models.departments", "DepartmentRegistry": "compiler.models.departments",
    "Level": "compiler.models.levels",
}

if TYPE_CHECKING:
    from compiler.models.catalogue import (
        AgeRange,
        Catalogue,
        ChildDefinition,
        Commitment,
        Condition,
        Item,
        Provision,
        Standard,
        Target,
    )
    from compiler.models.departments import Department, DepartmentRegistry
    from compiler.models.levels import Level


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "AgeRange", "Catalogue", "ChildDefinition", "Commitment", "Condition", "Department", "DepartmentRegistry",
    "Item", "Level", "Provision", "Standard", "Target",
]
