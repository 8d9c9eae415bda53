"""Data, positions and structural diagnostics built straight from libyaml's parser events.

libyaml (through ruamel.yaml's C parser) turns the text into events; the events of the one
document are gathered in a list and checked as ruamel's composer checks them (an undefined
alias, an anchor defined twice, a second document), then walked once into plain data. No node
tree is made: an alias is built again from its anchor's events wherever it is used, as the
composed tree would be, so it counts toward MAX_NODES and an alias bomb is refused.

Plain scalars are resolved with ruamel's YAML 1.2 implicit resolvers (ruamel's C-backed safe
loader ignores a %YAML directive too); an explicit tag is read as ruamel reads it. An unquoted
YYYY-MM-DD becomes a `datetime.date`; other timestamps stay text and are rejected by the models.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator
from itertools import repeat
from operator import add, attrgetter
from typing import Any, NamedTuple

from ruamel.yaml.composer import ComposerError
from ruamel.yaml.cyaml import CParser
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.tag import Tag

from compiler.diagnostics import Diagnostic, Location

MAX_NODES = 200_000  # guards against alias expansion ("billion laughs")
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_LINE, _COLUMN = attrgetter("line"), attrgetter("column")
_NON_TEXT_KEY = "（非文字的键）"


def _implicit_table() -> dict[str, list[tuple[str, Any]]]:
    """ruamel's YAML 1.2 implicit resolvers by the first character of a plain scalar ("" for the
    empty one)."""
    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            if not first:  # the builder takes a plain scalar starting with any other character for text
                raise ValueError(f"ruamel's resolver for {tag} may match whatever a scalar starts with")
            for ch in first:
                table.setdefault(ch, []).append((tag, regexp.match))
    return table


_BY_FIRST = _implicit_table()
_TEXT_FROM = chr(max(map(ord, filter(None, _BY_FIRST))) + 1)  # a plain scalar from here on is text


class TooLarge(Exception):
    """The document expands to too many nodes or nests too deeply."""

    def __init__(self, what: str, what_en: str) -> None:
        super().__init__(what)
        self.what, self.what_en = what, what_en


class Built(NamedTuple):
    data: Any
    values: array  # (line, column) of every value, 1-based, in document order
    keys: array  # (line, column) of every mapping key kept
    diagnostics: list[Diagnostic]


def build(text: str, name: str, strings: dict[str, str], lines: list[str]) -> Built | None:
    """The first document of `text` (None for an empty stream). Raises the parser's and the
    composer's errors as composing it would, then TooLarge for a document too large to build."""
    events, anchors = _events(text)
    if len(events) < 3:
        return None  # the stream's start and end only
    builder = _Builder(events, name, strings, lines, anchors)
    it = iter(events)
    next(it), next(it)  # the stream's and the document's start
    data = builder.node(next(it), it, 0)
    return Built(data, _marks(builder.values), _marks(builder.keys), builder.diagnostics)


def _events(text: str) -> tuple[list[Any], dict[str, tuple[int, int]]]:
    """The events of the stream and the anchors of its document, or the error composing it would
    raise first."""
    events: list[Any] = []
    failure: YAMLError | None = None
    try:
        events.extend(iter(CParser(text).get_event, None))
    except YAMLError as exc:  # the events before it are kept: a composer error among them comes first
        failure = exc
    anchors = _anchors(events) if "&" in text or "*" in text else {}  # neither: no anchor, no alias
    if "---" in text:  # another document starts only after a "---"
        kinds = list(map(type, events))
        if DocumentEndEvent in kinds:
            end = kinds.index(DocumentEndEvent)
            if end + 1 < len(events) and kinds[end + 1] is DocumentStartEvent:
                raise ComposerError("expected a single document in the stream", events[2].start_mark,
                                    "but found another document", events[end + 1].start_mark)
    if failure is not None:
        raise failure
    return events, anchors


def _anchors(events: list[Any]) -> dict[str, tuple[int, int]]:
    """The span of events of every anchored node in the first document; raises the composer's
    error for an alias to an anchor not yet defined and for an anchor defined twice."""
    spans: dict[str, tuple[int, int]] = {}
    open_: list[tuple[str, int]] = []  # anchored collections not yet closed, with their depth
    depth = 0
    for i, ev in enumerate(events):
        kind = type(ev)
        if kind is AliasEvent:
            if ev.anchor not in spans:
                raise ComposerError(None, None, "found undefined alias", ev.start_mark)
        elif kind is ScalarEvent or kind is SequenceStartEvent or kind is MappingStartEvent:
            anchor = ev.anchor
            if anchor is not None:
                if anchor in spans:
                    raise ComposerError("found duplicate anchor; first occurrence", events[spans[anchor][0]].start_mark,
                                        "second occurrence", ev.start_mark)
                spans[anchor] = (i, i + 1)
                if kind is not ScalarEvent:
                    open_.append((anchor, depth))
            if kind is not ScalarEvent:
                depth += 1
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            depth -= 1
            if open_ and open_[-1][1] == depth:
                anchor = open_.pop()[0]
                spans[anchor] = (spans[anchor][0], i + 1)
        elif kind is DocumentEndEvent:
            break
    return spans


def _marks(marks: list[Any]) -> array:
    """The 1-based (line, column) pairs of libyaml's 0-based marks."""
    out = array("I", [0]) * (2 * len(marks))
    out[0::2] = array("I", map(add, map(_LINE, marks), repeat(1)))
    out[1::2] = array("I", map(add, map(_COLUMN, marks), repeat(1)))
    return out


class _Builder:
    """Walks the events into data, keeping the mark where every value and every key starts.

    The cases nearly every scalar takes (text without a tag; a plain key met before) are written
    out in the two loops; everything else goes through `_scalar` and `_key`.
    """

    def __init__(self, events: list[Any], name: str, strings: dict[str, str], lines: list[str],
                 anchors: dict[str, tuple[int, int]]) -> None:
        self.events = events
        self.anchors = anchors
        self.name = name
        self.strings = strings
        self.lines = lines
        self.values: list[Any] = []
        self.keys: list[Any] = []
        self.diagnostics: list[Diagnostic] = []
        self.plain_keys: dict[str, str] = {}  # plain keys known to be text on one line, as text
        # Nodes are counted only where they may pass the limit: through aliases, or in a file of
        # that many events. A refused file stops where the limit is passed, as it always did.
        self.counting = bool(anchors) or len(events) > MAX_NODES

    def node(self, ev: Any, it: Iterator[Any], depth: int) -> Any:
        """The value that starts with `ev`, its other events taken from `it`."""
        kind = type(ev)
        if kind is AliasEvent:
            return self._alias(ev, depth)
        self.values.append(ev.start_mark)
        if kind is ScalarEvent:
            return self._scalar(ev)
        if kind is MappingStartEvent:
            return self._mapping(it, depth)
        return self._sequence(it, depth)

    def _sequence(self, it: Iterator[Any], depth: int) -> list[Any]:
        out: list[Any] = []
        append, mark, setdefault = out.append, self.values.append, self.strings.setdefault
        watched = depth >= MAX_DEPTH or self.counting
        for ev in it:
            kind = type(ev)
            if kind is SequenceEndEvent:
                break
            if watched:
                self._admit(depth + 1)
            if kind is ScalarEvent:
                mark(ev.start_mark)
                value = ev.value
                if ev.ctag is None and (value >= _TEXT_FROM or ev.style or value[:1] not in _BY_FIRST):  # text
                    if " " in value and not ev.style and ev.end_mark.line != ev.start_mark.line:
                        self._folded(ev)
                    append(setdefault(value, value))
                else:
                    append(self._scalar(ev))
            elif kind is MappingStartEvent:
                mark(ev.start_mark)
                append(self._mapping(it, depth + 1))
            elif kind is SequenceStartEvent:
                mark(ev.start_mark)
                append(self._sequence(it, depth + 1))
            else:
                append(self._alias(ev, depth + 1))
        return out

    def _mapping(self, it: Iterator[Any], depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        mark, key_mark, setdefault = self.values.append, self.keys.append, self.strings.setdefault
        following, plain_keys = it.__next__, self.plain_keys
        first_key = len(self.keys)
        watched = depth >= MAX_DEPTH or self.counting
        for at in it:
            kind = type(at)
            if kind is MappingEndEvent:
                break
            if kind is ScalarEvent and at.ctag is None:
                key = at.value
                if at.style:  # quoted or a block: text
                    key = setdefault(key, key)
                else:
                    key = plain_keys.get(key) or self._plain_key(at)
            else:
                key, at = self._key(at, it)
            ev = following()
            if key in out:
                first = self.keys[first_key + _keys_before(out, key)].line + 1
                self.diagnostics.append(Diagnostic("QD102", Location(self.name, at.start_mark.line + 1, at.start_mark.column + 1),
                                                   {"key": key, "first_line": first}))
                _skip(ev, it)
                continue
            key_mark(at.start_mark)
            if watched:
                self._admit(depth + 1)
            kind = type(ev)
            if kind is ScalarEvent:
                mark(ev.start_mark)
                value = ev.value
                if ev.ctag is None and (value >= _TEXT_FROM or ev.style or value[:1] not in _BY_FIRST):  # text
                    if " " in value and not ev.style and ev.end_mark.line != ev.start_mark.line:
                        self._folded(ev)
                    out[key] = setdefault(value, value)
                else:
                    out[key] = self._scalar(ev)
            elif kind is MappingStartEvent:
                mark(ev.start_mark)
                out[key] = self._mapping(it, depth + 1)
            elif kind is SequenceStartEvent:
                mark(ev.start_mark)
                out[key] = self._sequence(it, depth + 1)
            else:
                out[key] = self._alias(ev, depth + 1)
        return out

    def _alias(self, ev: Any, depth: int) -> Any:
        """The anchored node built again here, as a copy, from its events."""
        start, end = self.anchors[ev.anchor]
        events = self.events
        return self.node(events[start], map(events.__getitem__, range(start + 1, end)), depth)

    def _plain_key(self, ev: Any) -> str:
        """A plain key without a tag, remembered if it is text on one line."""
        key = self._text(ev)
        value = ev.value
        if " " not in value and key is self.strings.get(value):
            self.plain_keys[value] = key
        return key

    def _key(self, ev: Any, it: Iterator[Any]) -> tuple[str, Any]:
        """Keys are text; a list or mapping used as a key gets a name a person can read. Returns
        the key and the event that starts it (the anchored node's, for an alias)."""
        if type(ev) is AliasEvent:
            ev = self.events[self.anchors[ev.anchor][0]]
        elif type(ev) is not ScalarEvent:
            _skip(ev, it)
        if type(ev) is not ScalarEvent:
            return _NON_TEXT_KEY, ev
        return self._text(ev), ev

    def _text(self, ev: Any) -> str:
        value = self._scalar(ev)
        return "（空键）" if value is None else str(value)

    def _scalar(self, ev: Any) -> Any:
        value = ev.value
        tag = ev.ctag
        if tag is None or tag == "!":  # "!" asks for the implicit resolution too, as the composer does
            tag = None
            if ev.implicit[0]:
                for resolved, match in _BY_FIRST.get(value[:1], ()):  # value[:1] is "" when empty
                    if match(value):
                        tag = resolved
                        break
        else:
            tag = str(Tag(suffix=tag))  # what a composed node's tag reads as
        if tag is None or tag == _STR:
            if not ev.style and ev.end_mark.line != ev.start_mark.line:  # plain ("" from libyaml)
                self._folded(ev)
            return self.strings.setdefault(value, value)
        if tag == _TIMESTAMP:
            if len(value) != 10:
                return value  # a date-time: the models ask for a date and say so
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value  # e.g. 2025-02-30: reported as an invalid date by validation
        return _construct(tag, value)

    def _folded(self, ev: Any) -> None:
        """A plain text over several lines (a paste from Word): YAML joined its lines with spaces."""
        from compiler.source.forgiving import folded, has_cjk

        value = ev.value
        if has_cjk(value) and " " in value:
            line, column = ev.start_mark.line + 1, ev.start_mark.column + 1
            source = self.lines[line - 1] if line <= len(self.lines) else ""
            self.diagnostics.append(Diagnostic("QD119", Location(self.name, line, column), {
                "last": ev.end_mark.line + (ev.end_mark.column > 0), "fixed": folded(value, source, column)}))

    def _admit(self, depth: int) -> None:
        """Refuses the next value if it is one node too many or nests too deeply (in that order)."""
        if len(self.values) >= MAX_NODES:
            raise TooLarge("展开后的节点过多（可能是锚点别名炸弹）", "expands to too many nodes (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise TooLarge(f"嵌套超过 {MAX_DEPTH} 层", f"nests deeper than {MAX_DEPTH} levels")


def _keys_before(mapping: dict[Any, Any], key: Any) -> int:
    """How many keys were kept before `key` was: those of `mapping` and of everything inside them."""
    count = 0
    for k, value in mapping.items():
        if k == key:
            break
        count += 1 + _entries(value)
    return count


def _entries(data: Any) -> int:
    if isinstance(data, dict):
        return sum(1 + _entries(v) for v in data.values())
    if isinstance(data, list):
        return sum(_entries(v) for v in data)
    return 0


def _skip(ev: Any, it: Iterator[Any]) -> None:
    """Take the rest of a node that is not built (a duplicate key's value, a list as a key) from `it`."""
    if type(ev) is not SequenceStartEvent and type(ev) is not MappingStartEvent:
        return
    depth = 1
    for ev in it:
        kind = type(ev)
        if kind is SequenceStartEvent or kind is MappingStartEvent:
            depth += 1
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            depth -= 1
            if not depth:
                return


def _construct(tag: str, value: str) -> Any:
    """The YAML 1.2 core schema, which is what ruamel's resolver tagged the scalar with."""
    kind = tag.rsplit(":", 1)[-1]
    try:
        if kind == "null":
            return None
        if kind == "bool":
            return value.lower() == "true"
        if kind == "int":
            return int(value.replace("_", ""), 0) if not value.lstrip("+-").startswith("0o") else int(value.replace("0o", ""), 8)
        if kind == "float":
            lowered = value.lower().replace("_", "")
            if lowered.lstrip("+-") in (".inf", ".nan"):
                return float(lowered.replace(".", ""))
            return float(lowered)
    except ValueError:
        return value
    return value
