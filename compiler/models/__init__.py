"""Pydantic models: the schema of every kind of document in the catalogue."""

from compiler.models.catalogue import (
    AgeRange,
    ChildDefinition,
    Catalogue,
    Commitment,
    Condition,
    Item,
    Level,
    Provision,
    Standard,
    Target,
)
from compiler.models.departments import Department, DepartmentRegistry

__all__ = [
    "AgeRange", "Catalogue", "ChildDefinition", "Commitment", "Condition", "Department", "DepartmentRegistry",
    "Item", "Level", "Provision", "Standard", "Target",
]
