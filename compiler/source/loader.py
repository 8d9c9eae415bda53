"""Reading YAML files into plain Python data that remembers where every value came from.

Checking uses libyaml through ruamel.yaml's C parser to compose nodes (a few ms per list,
so the national corpus stays fast) and builds the data here, recording the 1-based line and
column of every key and value. Editing files (upgrade, new) uses ruamel's round-trip mode
elsewhere, which keeps comments. Decided once, here: an unquoted YYYY-MM-DD becomes a
`datetime.date`; other timestamps stay text and are rejected by the models.
"""

from __future__ import annotations

import datetime as dt
import errno
import stat
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
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
from compiler.source.decoding import decode  # noqa: F401  (re-exported: callers read files through the loader)
from compiler.source.inputs import MAX_BYTES, display_name  # noqa: F401  (re-exported)
from compiler.source.syntax_errors import reader_error, syntax

Path_ = tuple[str | int, ...]

MAX_NODES = 200_000  # guards against alias expansion ("billion laughs")
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_STR_TAG = BaseResolver.DEFAULT_SCALAR_TAG  # the tag every implicit or quoted text scalar shares
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass
class Document:
    """A parsed YAML file: its data and a map from data paths to source positions.

    The positions are kept compactly, one (line, column) pair per value and per mapping key in
    document order, and turned into maps by path only when first asked for: most lists of a
    large catalogue never need one. `data` is read-only: the maps are rebuilt by walking it.
    """

    path: Path
    name: str  # as shown to users: repo-relative where possible
    lines: list[str]
    data: Any
    marks: Marks | None = None

    @cached_property
    def _positions(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        return self.marks.index(self.data) if self.marks is not None else ({}, {})

    @property
    def values(self) -> dict[Path_, tuple[int, int]]:
        """The position of every value, by data path."""
        return self._positions[0]

    @property
    def keys(self) -> dict[Path_, tuple[int, int]]:
        """The position of every mapping key, by the data path of its value."""
        return self._positions[1]

    def at(self, path: Path_) -> Location:
        """The position of the value at `path`, or of its nearest ancestor that exists."""
        for n in range(len(path), -1, -1):
            pos = self.values.get(tuple(path[:n]))
            if pos:
                return Location(self.name, *pos)
        return Location(self.name)

    def key_at(self, path: Path_) -> Location:
        """The position of the key that introduces `path` (falls back to the value)."""
        pos = self.keys.get(tuple(path))
        return Location(self.name, *pos) if pos else self.at(path)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


def _implicit_table() -> tuple[dict[str, list[tuple[Tag, Any]]], list[tuple[Tag, Any]]]:
    """ruamel's YAML 1.2 implicit resolvers by first character ("" for the empty scalar), and
    those for any other first character; each tag is one shared object."""
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
    """libyaml's parser and composer, resolving plain scalars as ruamel's YAML 1.2 safe loader does.

    ruamel's own resolver looks up the YAML version through several failed attribute lookups for
    every scalar and makes a new tag object each time, which cost more than parsing itself; here
    the table is built once and every node of a kind shares one tag (always YAML 1.2: ruamel's
    C-backed safe loader ignores a %YAML directive too).
    """

    _BY_FIRST, _ANY = _implicit_table()

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        BaseResolver.__init__(self, loadumper=self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, match in self._BY_FIRST.get(value[:1], self._ANY):  # value[:1] is "" when empty
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
        composer.loadumper = composer._resolver = None  # the resolver points at itself: free it now, not at the next GC


class _TooLarge(Exception):
    def __init__(self, what: str, what_en: str) -> None:
        super().__init__(what)
        self.what, self.what_en = what, what_en


@dataclass
class Marks:
    """Where each value and each mapping key starts, as (line, column) pairs in document order."""

    values: array = field(default_factory=lambda: array("I"))
    keys: array = field(default_factory=lambda: array("I"))

    def index(self, data: Any) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        """The positions by data path, walking `data` in the order it was built."""
        values: dict[Path_, tuple[int, int]] = {}
        keys: dict[Path_, tuple[int, int]] = {}
        v, k = iter(self.values), iter(self.keys)

        def visit(node: Any, path: Path_) -> None:
            values[path] = (next(v), next(v))
            if isinstance(node, dict):
                for key, child in node.items():
                    here = (*path, key)
                    keys[here] = (next(k), next(k))
                    visit(child, here)
            elif isinstance(node, list):
                for i, child in enumerate(node):
                    visit(child, (*path, i))

        visit(data, ())
        return values, keys


class _Builder:
    """Turns a composed node tree into data, positions and structural diagnostics."""

    def __init__(self, name: str, strings: dict[str, str], lines: list[str] | None = None) -> None:
        self.name = name
        self.lines = lines or []
        self.strings = strings
        self.marks = Marks()
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0

    def build(self, node: Node, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge("展开后的节点过多（可能是锚点别名炸弹）", "expands to too many nodes (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise _TooLarge(f"嵌套超过 {MAX_DEPTH} 层", f"nests deeper than {MAX_DEPTH} levels")
        mark = node.start_mark
        self.marks.values.extend((mark.line + 1, mark.column + 1))
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            return [self.build(child, depth + 1) for child in node.value]
        assert isinstance(node, ScalarNode)  # the composer makes only these three kinds of node
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
            self.marks.keys.extend((mark.line + 1, mark.column + 1))
            out[key] = self.build(value_node, depth + 1)
        return out

    def _key(self, node: Node) -> str:
        """Keys are text; a list or mapping used as a key gets a name a person can read."""
        if not isinstance(node, ScalarNode):
            return "（非文字的键）"
        value = self._scalar(node)
        return "（空键）" if value is None else str(value)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.ctag is _STR_TAG or node.tag == _STR:  # the first test is the quick one, for most scalars
            if not node.style and node.end_mark.line != node.start_mark.line:  # plain ("" from libyaml)
                self._folded(node)
            return self.strings.setdefault(node.value, node.value)
        if node.tag == _TIMESTAMP:
            if len(node.value) != 10:
                return node.value  # a date-time: the models ask for a date and say so
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                return node.value  # e.g. 2025-02-30: reported as an invalid date by validation
        assert node.tag is not None  # the resolver tags every scalar it composes
        return _construct(node.tag, node.value)


    def _folded(self, node: ScalarNode) -> None:
        """A plain text over several lines (a paste from Word): YAML joined its lines with spaces."""
        from compiler.source.forgiving import folded, has_cjk

        if has_cjk(node.value) and " " in node.value:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            source = self.lines[line - 1] if line <= len(self.lines) else ""
            self.diagnostics.append(Diagnostic("QD119", Location(self.name, line, column), {
                "last": node.end_mark.line + (node.end_mark.column > 0), "fixed": folded(node.value, source, column)}))


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


def _position(raw_text: str, offset: int) -> tuple[int, int]:
    before = raw_text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def load(path: Path, name: str | None = None, strings: dict[str, str] | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read one YAML file. Never raises for bad content: problems come back as diagnostics.

    Files loaded with the same `strings` share one copy of each text and line that they have in
    common: the lists of a catalogue repeat their floor's wording, so a large one takes much less
    memory.
    """
    name = name or display_name(path)
    here = Location(name)
    refused = boundary.refusal(path)
    if refused:  # before any stat or open: nothing outside the catalogue is read
        return None, [Diagnostic("QD100", here, refused)]
    try:
        if path.is_dir():
            return None, [Diagnostic("QD100", here, {"reason": "这是一个文件夹", "reason_en": "it is a directory",
                                                       "fix": "只把 .yaml 文件放进清单目录。", "fix_en": "pass YAML files."})]
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # reading a FIFO would wait for ever, /dev/zero never end
            return None, [Diagnostic("QD100", here, {"reason": "这不是普通文件（是管道、设备或套接字）",
                                                       "reason_en": "it is not a regular file (a pipe, device or socket)",
                                                       "fix": "只把 .yaml 文本文件放进清单目录。", "fix_en": "pass YAML text files."})]
        size = info.st_size
        if size > MAX_BYTES:
            return None, [_too_large(size, here)]
        raw = path.read_bytes()
    except OSError as exc:
        reason = (_OS_REASONS.get(exc.errno) if exc.errno is not None else None) or exc.strerror or type(exc).__name__
        reason_en = exc.strerror or type(exc).__name__
        return None, [Diagnostic("QD100", here, {"reason": reason, "reason_en": reason_en,
                                                   "fix": "检查文件是否存在、能否读取。", "fix_en": "check the file exists and is readable."})]
    return load_bytes(raw, path, name, strings)


def load_bytes(raw: bytes, path: Path, name: str, strings: dict[str, str] | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read YAML content that did not come from `path` on disk (e.g. the file at a git revision).

    `name` is how messages name it (such as `catalogue/cities/fuzhou.yaml@HEAD~1`); the same
    limits, encoding rules and diagnostics apply as for a file.
    """
    here = Location(name)
    if len(raw) > MAX_BYTES:
        return None, [_too_large(len(raw), here)]
    text, problem = decode(raw)
    if text is None:
        return None, [Diagnostic("QD100", here, problem)]
    return parse(text, path, name, strings)


def _too_large(size: int, here: Location) -> Diagnostic:
    return Diagnostic("QD110", here, {"what": f"有 {size // 1024} KB，超过上限", "what_en": f"is {size // 1024} KB, over the limit"})


_OS_REASONS = {
    errno.ENOENT: "文件不存在（可能是指向已删除文件的符号链接）",
    errno.ELOOP: "符号链接形成循环",
    errno.EACCES: "没有读取权限",
    errno.EISDIR: "这是一个文件夹",
}


def parse(text: str, path: Path, name: str, strings: dict[str, str] | None = None,
          forgive: bool = True) -> tuple[Document | None, list[Diagnostic]]:
    """`text` as a Document; with `forgive`, a syntax error is explained where a common mistake
    causes it and the rest of the file is still reported (`source.forgiving`)."""
    strings = {} if strings is None else strings
    lines = [strings.setdefault(line, line) for line in text.splitlines()]
    if nesting.too_deep(text):  # the C composer would crash the process, not raise
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
    doc = Document(path, name, lines, data, builder.marks)
    if not isinstance(data, dict):
        found = "列表" if isinstance(data, list) else "空文件" if data is None else f"一个值“{boundary.excerpt(data)}”"
        where = Location(name) if data is None else doc.at(())  # "---" alone: the null starts past the last line
        return None, [*builder.diagnostics, Diagnostic("QD109", where, {"found": found, "found_en": type(data).__name__})]
    return doc, builder.diagnostics


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) pair below `data`, depth first."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk(v, (*path, i))
