"""Between the lists' models and the text reading: floor provisions as `compiler.text` values,
and a finding's place inside a text (the column of its trigger words on the text's line)."""

from __future__ import annotations

from compiler.diagnostics import Location
from compiler.domain.corpus import DataPath
from compiler.models import Item, Provision, Standard, Target
from compiler.source.loader import Document
from compiler.text import Span, read_provision
from compiler.text.compare import FloorProvision, FloorStandard, FloorTarget, stated_number


def floor_target(target: Target) -> FloorTarget:
    age = target.age
    return FloorTarget(target.text, age.min if age else None, age.max if age else None,
                       tuple(c.value for c in target.conditions), tuple(c.value for c in target.any_of),
                       has_age=age is not None)


def floor_standard(s: Standard) -> FloorStandard:
    return FloorStandard(s.name, float(s.value), s.unit, s.better.value)


def floor_provision(item: Item, provision: Provision) -> FloorProvision:
    """A floor provision as the comparison takes it: its text, stated commitment, standards,
    its item's target group and service name."""
    return FloorProvision(provision.text, provision.commitment.rank if provision.commitment else None,
                          tuple(floor_standard(s) for s in provision.standards), floor_target(item.target), item.service)


def text_states(std: Standard, provision: Provision, item: Item) -> bool:
    """Whether the provision's text (or its item's service name) states the measure `std` names:
    where `standards:` is absent, the reading stands in for it."""
    fs = floor_standard(std)
    return any(stated_number(fs, read_provision(t).numbers) is not None for t in (provision.text, item.service))


def text_location(doc: Document, path: DataPath, text: str, span: Span | None) -> Location:
    """Where `span` of the scalar `text` at `path` is in the file: the scalar's own position,
    moved to the span's first character when the scalar is written on one line (plain or quoted
    without escapes), with the span's length as the width to underline."""
    loc = doc.at(path)
    if span is None:
        return Location(loc.file, loc.line, loc.column, max(1, min(len(text), 1)))
    line = doc.line(loc.line)
    start = loc.column - 1
    body = start
    if line[start:start + 1] in ('"', "'"):
        body += 1
    if line[body:body + len(text)] != text:
        return loc  # a block or folded scalar, or one with escapes: the scalar's start is what we know
    return Location(loc.file, loc.line, body + span[0] + 1, max(1, span[1] - span[0]))
