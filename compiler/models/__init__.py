"""Pydantic models: the schema of every kind of document in the catalogue."""

from compiler.models.catalogue import (
    AgeRange,
    Catalogue,
    ChildDefinition,
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
