"""The comparisons that "not lower" rests on, shared by the floor checks and `qingdan diff`.

A city list against its floor and a new edition against the old one are the same question
asked of different pairs: is this target group narrower, this standard worse?
"""

from __future__ import annotations

from compiler.models import Standard, Target
from compiler.models.catalogue import Better


def number(value: float) -> str:
    """A standard's value as written: 12, not 12.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def at_least_as_good(candidate: Standard, floor: Standard) -> bool:
    if floor.better is Better.smaller:
        return candidate.value <= floor.value
    return candidate.value >= floor.value


def worse_direction(better: Better) -> tuple[str, str]:
    """How to say that a value is worse (zh, en): lower where higher is better, and vice versa."""
    if better is Better.smaller:
        return "劣于（大于）", "worse (higher) than"
    return "低于", "lower than"


def narrowed_conditions(target: Target, floor: Target) -> list[str]:
    """Conditions `target` imposes that `floor` does not; empty when it is no narrower."""
    extra = [c.value for c in target.conditions if c not in floor.conditions]
    if target.any_of:
        if not floor.any_of:
            extra.append("（须满足其一）" + "、".join(c.value for c in target.any_of))
        else:
            dropped = [c.value for c in floor.any_of if c not in target.any_of]
            if dropped:
                extra.append("去掉了可选条件 " + "、".join(dropped))
    return extra


def narrower(target: Target, floor: Target) -> bool:
    """Whether `target` leaves out some child of `floor`'s group (by age or by conditions)."""
    return not target.effective_age().contains(floor.effective_age()) or bool(narrowed_conditions(target, floor))
