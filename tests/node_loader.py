"""The loader as it was before it read libyaml's events directly: libyaml composes ruamel's node
tree, and the tree is walked into data, positions and diagnostics. Kept here, outside the
package, as the reference the loader is compared with (`test_loading.py`)."""

from __future__ import annotations

import datetime as dt
from array import array
from pathlib import Path
from typing import Any

from ruamel.yaml.cyaml import CParser
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import BaseResolver, implicit_resolvers
from ruamel.yaml.tag import Tag

from compiler.diagnostics import Diagnostic, Location
from compiler.source import boundary, nesting
from compiler.source.building import _construct  # the core schema's scalars: the same in both builds
from compiler.source.loader import Document, Marks
from compiler.source.syntax_errors import reader_error, syntax

MAX_NODES = 200_000
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_STR_TAG = BaseResolver.DEFAULT_SCALAR_TAG
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _implicit_table() -> tuple[dict[str, list[tuple[Tag, Any]]], list[tuple[Tag, Any]]]:
    tags: dict[str, Tag] = {}
    table: dict[str | None, list[tuple[Tag, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            starts: list[str | None] = list(first) if first else [None]
            for ch in starts:
                table.setdefault(ch, []).append((tags.setdefault(tag, Tag(suffix=tag)), regexp.match))
    anywhere = table.pop(None, [])
    return {ch: found + anywhere for ch, found in table.items() if ch is not None}, anywhere


class _Composer(CParser, BaseResolver):
    """libyaml's parser and composer, resolving plain scalars as ruamel's YAML 1.2 safe loader does."""

    _BY_FIRST, _ANY = _implicit_table()

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        BaseResolver.__init__(self, loadumper=self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, match in self._BY_FIRST.get(value[:1], self._ANY):
                    if match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


def compose(text: str) -> Node | None:
    """The node tree of the first document in `text` (None for an empty stream)."""
    composer = _Composer(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()
        composer.loadumper = composer._resolver = None


class _TooLarge(Exception):
    def __init__(self, what: str, what_en: str) -> None:
        super().__init__(what)
        self.what, self.what_en = what, what_en


class _Builder:
    def __init__(self, name: str, strings: dict[str, str], lines: list[str] | None = None) -> None:
        self.name = name
        self.lines = lines or []
        self.strings = strings
        self.values = array("I")
        self.keys = array("I")
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0

    def build(self, node: Node, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge("展开后的节点过多（可能是锚点别名炸弹）", "expands to too many nodes (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise _TooLarge(f"嵌套超过 {MAX_DEPTH} 层", f"nests deeper than {MAX_DEPTH} levels")
        mark = node.start_mark
        self.values.extend((mark.line + 1, mark.column + 1))
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            return [self.build(child, depth + 1) for child in node.value]
        assert isinstance(node, ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: MappingNode, depth: int) -> dict:
        out: dict[Any, Any] = {}
        first_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            mark = key_node.start_mark
            if key in out:
                self.diagnostics.append(Diagnostic("QD102", Location(self.name, mark.line + 1, mark.column + 1),
                                                   {"key": key, "first_line": first_lines[key]}))
                continue
            first_lines[key] = mark.line + 1
            self.keys.extend((mark.line + 1, mark.column + 1))
            out[key] = self.build(value_node, depth + 1)
        return out

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            return "（非文字的键）"
        value = self._scalar(node)
        return "（空键）" if value is None else str(value)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.ctag is _STR_TAG or node.tag == _STR:
            if not node.style and node.end_mark.line != node.start_mark.line:
                self._folded(node)
            return self.strings.setdefault(node.value, node.value)
        if node.tag == _TIMESTAMP:
            if len(node.value) != 10:
                return node.value
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                return node.value
        assert node.tag is not None
        return _construct(node.tag, node.value)

    def _folded(self, node: ScalarNode) -> None:
        from compiler.source.forgiving import folded, has_cjk

        if has_cjk(node.value) and " " in node.value:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            source = self.lines[line - 1] if line <= len(self.lines) else ""
            self.diagnostics.append(Diagnostic("QD119", Location(self.name, line, column), {
                "last": node.end_mark.line + (node.end_mark.column > 0), "fixed": folded(node.value, source, column)}))


def parse(text: str, path: Path, name: str, strings: dict[str, str] | None = None,
          forgive: bool = True) -> tuple[Document | None, list[Diagnostic]]:
    """What the node-based loader's `parse` returned."""
    strings = {} if strings is None else strings
    lines = [strings.setdefault(line, line) for line in text.splitlines()]
    if nesting.too_deep(text):
        return None, [Diagnostic("QD110", Location(name), {"what": "括号嵌套过深", "what_en": "nests brackets too deeply"})]
    try:
        node = compose(text)
    except ReaderError as exc:
        return None, [reader_error(exc, text, name)]
    except MarkedYAMLError as exc:
        first = syntax(exc, name, lines)
        if forgive and first.code == "QD101":
            from compiler.source.forgiving import recover

            return None, recover(text, first, path, name)
        return None, [first]
    except YAMLError as exc:
        return None, [Diagnostic("QD101", Location(name), {"problem": str(exc)})]
    except RecursionError:
        return None, [Diagnostic("QD110", Location(name), {"what": "嵌套过深", "what_en": "nests too deeply"})]
    if node is None:
        return None, [Diagnostic("QD109", Location(name), {"found": "空文件", "found_en": "an empty file"})]
    builder = _Builder(name, strings, lines)
    try:
        data = builder.build(node)
    except _TooLarge as exc:
        return None, [Diagnostic("QD110", Location(name), {"what": exc.what, "what_en": exc.what_en})]
    doc = Document(path, name, lines, data, Marks(builder.values, builder.keys))
    if not isinstance(data, dict):
        found = "列表" if isinstance(data, list) else "空文件" if data is None else f"一个值“{boundary.excerpt(data)}”"
        where = Location(name) if data is None else doc.at(())
        return None, [*builder.diagnostics, Diagnostic("QD109", where, {"found": found, "found_en": type(data).__name__})]
    return doc, builder.diagnostics
