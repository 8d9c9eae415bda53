"""The floor as plain values: what a city's text is compared with, and what a comparison finds.

The checks build these from the floor list; the evaluation harness from its case files; the
reading itself never sees YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.text.model import Number, Span
from compiler.text.numbers import age_bounds
from compiler.text.reading import read_conditions, read_provision, read_target
from compiler.text.vocab import vocabulary

CHILD_MAX_AGE = 16  # 流动儿童 are under 16 (the plan's definition): a floor without an age bound means that


@dataclass(frozen=True)
class FloorStandard:
    name: str
    value: float
    unit: str
    better: str = "higher"  # higher | lower


@dataclass(frozen=True)
class FloorTarget:
    text: str
    age_min: int | None = None  # None: as the text reads, else any age
    age_max: int | None = None
    conditions: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    has_age: bool = False  # whether age_min/age_max were stated (else read from the text)

    def bounds(self) -> tuple[int, int | None]:
        if self.has_age:
            return self.age_min or 0, self.age_max
        r = read_target(self.text)
        return (r.age_min or 0, r.age_max) if r.age_span else (0, None)


@dataclass(frozen=True)
class FloorProvision:
    text: str
    rank: int | None = None  # the floor's stated commitment rank; None: as its text reads
    standards: tuple[FloorStandard, ...] = ()
    target: FloorTarget | None = None
    service: str = ""

    @property
    def effective_rank(self) -> int:
        return self.rank if self.rank is not None else read_provision(self.text).rank


@dataclass(frozen=True)
class Weakness:
    """One way the city's text is weaker than the floor; `span` is in the city's text (None:
    nothing in it to point at, as for a missing element)."""

    kind: str  # commitment | number | scope | element | unrelated
    what: str  # partial, hedge, age, qualifier, condition ... (finer than kind, for explain and codes)
    span: Span | None
    args: dict[str, Any] = field(default_factory=dict)


def stated_number(std: FloorStandard, numbers: tuple[Number, ...]) -> Number | None:
    """The number in a reading that states the same measure as `std` (an age bound, a length
    in years, a frequency, an amount), or None."""
    unit = std.unit
    for n in numbers:
        if unit == "岁" and n.kind == "age" and n.direction in ("range", "upper", "exact"):
            return n
        if unit == "年" and n.kind == "years":
            return n
        if "/" in unit and n.kind == "frequency" and n.unit.split("/")[0] == unit.split("/")[0]:
            return n
        if unit in ("元", "万元") and n.kind == "amount" and n.unit == unit:
            return n
    return None


def comparable(std: FloorStandard, n: Number) -> float:
    """The value of `n` in the unit of `std` (a frequency as times per the standard's period)."""
    if "/" in std.unit and n.per_year is not None:
        per = std.unit.split("/")[1]
        periods = vocabulary().numbers["periods"]
        return n.per_year / periods.get(per, 1)
    return n.value


def worse(std: FloorStandard, value: float) -> bool:
    return value > std.value if std.better == "lower" else value < std.value


def floor_ages(floor: FloorProvision) -> tuple[int, int | None]:
    """The ages the floor provision serves: as its text writes them, else as the school stage
    it names implies (学前教育: 3-6), else its target group's."""
    low, high, span = age_bounds(read_provision(floor.text).numbers)
    if span is not None:
        return low or 0, high
    v = vocabulary()
    for c in read_conditions(floor.text):
        ages = v.condition_info[c.name].get("ages")
        if ages:
            return ages[0], ages[1]
    return floor.target.bounds() if floor.target else (0, None)


def floor_low(floor: FloorProvision) -> float:
    """The youngest age the floor provision serves (its text first, else its target group)."""
    low, _, span = age_bounds(read_provision(floor.text).numbers)
    if span is not None:
        return low or 0
    return floor.target.bounds()[0] if floor.target else 0
