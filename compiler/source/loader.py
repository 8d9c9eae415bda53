"""Reading YAML files into plain Python data that remembers where every value came from.

Checking uses libyaml through ruamel.yaml's C parser and builds the data straight from its
events (`source.building`, about 2 ms for a county's list), recording the 1-based line and
column of every key and value. Editing files (upgrade, new) uses ruamel's round-trip mode
elsewhere, which keeps comments. Decided once, there: an unquoted YYYY-MM-DD becomes a
`datetime.date`; other timestamps stay text and are rejected by the models.
"""

from __future__ import annotations

import errno
import stat
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from compiler.diagnostics import Diagnostic, Location
from compiler.source import boundary, nesting
from compiler.source.building import TooLarge, build
from compiler.source.decoding import decode  # noqa: F401  (re-exported: callers read files through the loader)
from compiler.source.inputs import MAX_BYTES, display_name  # noqa: F401  (re-exported)
from compiler.source.syntax_errors import reader_error, syntax

Path_ = tuple[str | int, ...]


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


def load(path: Path, name: str | None = None, strings: dict[str, str] | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read one YAML file. Never raises for bad content: problems come back as diagnostics.

    Files loaded with the same `strings` share one copy of each text and line that they have in
    common: the lists of a catalogue repeat their floor's wording, so a large one takes much less
    memory.
    """
    name = name or display_name(path)
    raw, problems = read(path, name)
    if raw is None:
        return None, problems
    return load_bytes(raw, path, name, strings)


def read(path: Path, name: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of the file at `path`, or why they cannot be read (QD100, QD110): never through a
    link out of the catalogue, never a folder, a pipe or a file over the size limit."""
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
        return path.read_bytes(), []
    except OSError as exc:
        reason = (_OS_REASONS.get(exc.errno) if exc.errno is not None else None) or exc.strerror or type(exc).__name__
        reason_en = exc.strerror or type(exc).__name__
        return None, [Diagnostic("QD100", here, {"reason": reason, "reason_en": reason_en,
                                                   "fix": "检查文件是否存在、能否读取。", "fix_en": "check the file exists and is readable."})]


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
    if nesting.too_deep(text):  # libyaml would take minutes over it
        return None, [Diagnostic("QD110", Location(name), {"what": "括号嵌套过深", "what_en": "nests brackets too deeply"})]
    try:
        built = build(text, name, strings, lines)
    except ReaderError as exc:
        return None, [reader_error(exc, text, name)]
    except MarkedYAMLError as exc:
        first = syntax(exc, name, lines)
        if forgive and first.code == "QD101":
            from compiler.source.forgiving import recover

            return None, recover(text, first, path, name)
        return None, [first]
    except YAMLError as exc:
        return None, [Diagnostic("QD101", Location(name), {"problem": str(exc), "problem_en": str(exc)})]
    except RecursionError:
        return None, [Diagnostic("QD110", Location(name), {"what": "嵌套过深", "what_en": "nests too deeply"})]
    except ValueError:  # ruamel decodes a tag's %-escapes twice: `!a%25zz` passes libyaml, then fails as `%zz`
        return None, [Diagnostic("QD101", Location(name), {"problem": "标签（! 开头）中的百分号转义无效",
                                                  "problem_en": "a percent escape in a tag (starting with !) is not valid"})]
    except TooLarge as exc:  # raised only once the whole text has parsed: a syntax error comes first
        return None, [Diagnostic("QD110", Location(name), {"what": exc.what, "what_en": exc.what_en})]
    if built is None:
        return None, [Diagnostic("QD109", Location(name), {"found": "空文件", "found_en": "an empty file"})]
    data = built.data
    doc = Document(path, name, lines, data, Marks(built.values, built.keys))
    if not isinstance(data, dict):
        found = "列表" if isinstance(data, list) else "空文件" if data is None else f"一个值“{boundary.excerpt(data)}”"
        where = Location(name) if data is None else doc.at(())  # "---" alone: the null starts past the last line
        return None, [*built.diagnostics, Diagnostic("QD109", where, {"found": found, "found_en": type(data).__name__})]
    return doc, built.diagnostics


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) pair below `data`, depth first."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk(v, (*path, i))
