"""Reading Chinese policy text: pure functions from a string to what it says.

Knows nothing of YAML or of lists: the checks give it a provision's text, a 服务对象 text or a
floor provision's text, and get back a reading whose every finding keeps its character span.
The words it knows are data in `vocabulary/*.yaml`, reviewed by policy staff; the rules are here.

    read_provision(text)                 -> ProvisionReading (commitment, numbers, scope)
    read_target(text)                    -> TargetReading (age range, conditions, qualifiers)
    elements(floor_text)                 -> [Element] (core duty and each enumerated item)
    missing_elements(floor_text, text)   -> [Element] the text does not mention
    relatedness(floor_text, text)        -> 0..1, is it about the same duty at all
"""

from __future__ import annotations

from compiler.text.elements import elements, missing_elements, normalize, relatedness
from compiler.text.model import (
    ConditionMention,
    Element,
    Number,
    Partial,
    ProvisionReading,
    Qualifier,
    Span,
    TargetReading,
    Trigger,
)
from compiler.text.numbers import age_bounds, read_numbers, to_number
from compiler.text.reading import read_provision, read_target
from compiler.text.vocab import LEVELS, RANKS

__all__ = [
    "ConditionMention", "Element", "LEVELS", "Number", "Partial", "ProvisionReading", "Qualifier", "RANKS", "Span",
    "TargetReading", "Trigger", "age_bounds", "elements", "missing_elements", "normalize", "read_numbers",
    "read_provision", "read_target", "relatedness", "to_number",
]
