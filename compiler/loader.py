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
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from compiler.diagnostics import Diagnostic, Location

Path_ = tuple[str | int, ...]

MAX_BYTES = 2 * 1024 * 1024  # a real list is ~20 KB; anything this big is a mistake or an attack
MAX_NODES = 200_000  # guards against alias expansion ("billion laughs")
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass
class Document:
    """A parsed YAML file: its data and a map from data paths to source positions."""

    path: Path
    name: str  # as shown to users: repo-relative where possible
    lines: list[str]
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

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


class _TooLarge(Exception):
    def __init__(self, what: str, what_en: str) -> None:
        super().__init__(what)
        self.what, self.what_en = what, what_en


class _Builder:
    """Turns a composed node tree into data, positions and structural diagnostics."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0

    def build(self, node: Node, path: Path_ = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge("展开后的节点过多（可能是锚点别名炸弹）", "expands to too many nodes (an alias bomb?)")
        if len(path) > MAX_DEPTH:
            raise _TooLarge(f"嵌套超过 {MAX_DEPTH} 层", f"nests deeper than {MAX_DEPTH} levels")
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path_) -> dict:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                self.diagnostics.append(
                    Diagnostic("QD102", Location(self.name, *key_pos),
                               {"key": key, "first_line": self.keys[(*path, key)][0]})
                )
                continue
            self.keys[(*path, key)] = key_pos
            out[key] = self.build(value_node, (*path, key))
        return out

    def _key(self, node: Node, path: Path_) -> str:
        """Keys are text; a list or mapping used as a key gets a name a person can read."""
        if not isinstance(node, ScalarNode):
            return "（非文字的键）"
        value = self._scalar(node, path)
        return "（空键）" if value is None else str(value)

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        if node.tag == _STR:
            return node.value
        if node.tag == _TIMESTAMP:
            if len(node.value) != 10:
                return node.value  # a date-time: the models ask for a date and say so
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                return node.value  # e.g. 2025-02-30: reported as an invalid date by validation
        return _construct(node.tag, node.value)


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


def display_name(path: Path, root: Path | None = None) -> str:
    """How a file is named in messages: relative to `root` (the working directory) when inside it."""
    # abspath, not resolve: a symlink is named as the user sees it, and a loop cannot raise.
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.path.abspath(root or Path.cwd())).as_posix()
    except ValueError:
        return path.as_posix()


def decode(raw: bytes) -> tuple[str | None, dict[str, str]]:
    """UTF-8 text (a BOM is tolerated); otherwise why not and how to fix it."""
    save_utf8 = "用编辑器“另存为”UTF-8 编码（无 BOM）后重试。"
    save_utf8_en = "save the file as UTF-8 (without BOM) and try again."
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, {"reason": "文件是 UTF-16 编码", "reason_en": "the file is UTF-16 encoded",
                      "fix": save_utf8, "fix_en": save_utf8_en}
    if len(raw) >= 2 and raw.count(b"\x00") * 3 >= len(raw) and _utf16(raw):
        return None, {"reason": "文件是 UTF-16 编码（没有 BOM）", "reason_en": "the file is UTF-16 encoded (no BOM)",
                      "fix": save_utf8, "fix_en": save_utf8_en}
    if b"\x00" in raw:
        return None, {"reason": "这是二进制文件，不是文本", "reason_en": "this is a binary file, not text",
                      "fix": "清单必须是 YAML 文本文件。", "fix_en": "a list must be a YAML text file."}
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), {}
    except UnicodeDecodeError as exc:
        guess = ""
        try:
            raw.decode("gb18030")
            guess, guess_en = "，看起来是 GBK/GB18030 编码", " (it looks like GBK/GB18030)"
        except UnicodeDecodeError:
            guess_en = ""
        return None, {"reason": f"不是 UTF-8 编码（第 {exc.start + 1} 字节）{guess}",
                      "reason_en": f"not UTF-8 (byte {exc.start + 1}){guess_en}", "fix": save_utf8, "fix_en": save_utf8_en}


def _utf16(raw: bytes) -> bool:
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if text and sum(ch.isprintable() or ch.isspace() for ch in text) / len(text) > 0.95:
            return True
    return False


def _position(raw_text: str, offset: int) -> tuple[int, int]:
    before = raw_text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def load(path: Path, name: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read one YAML file. Never raises for bad content: problems come back as diagnostics."""
    name = name or display_name(path)
    here = Location(name)
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
        reason = _OS_REASONS.get(exc.errno, exc.strerror or type(exc).__name__)
        reason_en = exc.strerror or type(exc).__name__
        return None, [Diagnostic("QD100", here, {"reason": reason, "reason_en": reason_en,
                                                   "fix": "检查文件是否存在、能否读取。", "fix_en": "check the file exists and is readable."})]
    return load_bytes(raw, path, name)


def load_bytes(raw: bytes, path: Path, name: str) -> tuple[Document | None, list[Diagnostic]]:
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
    return parse(text, path, name)


def _too_large(size: int, here: Location) -> Diagnostic:
    return Diagnostic("QD110", here, {"what": f"有 {size // 1024} KB，超过上限", "what_en": f"is {size // 1024} KB, over the limit"})


_OS_REASONS = {
    errno.ENOENT: "文件不存在（可能是指向已删除文件的符号链接）",
    errno.ELOOP: "符号链接形成循环",
    errno.EACCES: "没有读取权限",
    errno.EISDIR: "这是一个文件夹",
}


def parse(text: str, path: Path, name: str) -> tuple[Document | None, list[Diagnostic]]:
    lines = text.splitlines()
    try:
        node = YAML(typ="safe").compose(text)
    except ReaderError as exc:
        return None, [_reader_error(exc, text, name)]
    except MarkedYAMLError as exc:
        return None, [_syntax(exc, name, lines)]
    except YAMLError as exc:
        return None, [Diagnostic("QD101", Location(name), {"problem": str(exc)})]
    except RecursionError:
        return None, [Diagnostic("QD110", Location(name), {"what": "嵌套过深", "what_en": "nests too deeply"})]
    if node is None:
        return None, [Diagnostic("QD109", Location(name), {"found": "空文件", "found_en": "an empty file"})]
    builder = _Builder(name)
    try:
        data = builder.build(node)
    except _TooLarge as exc:
        return None, [Diagnostic("QD110", Location(name), {"what": exc.what, "what_en": exc.what_en})]
    doc = Document(path, name, lines, data, builder.values, builder.keys)
    if not isinstance(data, dict):
        found = "列表" if isinstance(data, list) else "空文件" if data is None else f"一个值“{data}”"
        where = Location(name) if data is None else doc.at(())  # "---" alone: the null starts past the last line
        return None, [*builder.diagnostics, Diagnostic("QD109", where, {"found": found, "found_en": type(data).__name__})]
    return doc, builder.diagnostics


def _syntax(exc: MarkedYAMLError, name: str, lines: list[str]) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and exc.problem_mark and exc.problem_mark.line >= len(lines):
        mark = exc.context_mark  # "unexpected end of file": the unclosed quote or bracket is the place
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(exc.problem or exc.context or exc)
    mentions_tab = "tab" in problem or "\t" in problem
    # A tab in this line's indentation is the cause; the line before only when libyaml names a tab.
    for number in (line, line - 1) if mentions_tab else (line,):
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        if "\t" in text[: len(text) - len(text.lstrip())]:
            return Diagnostic("QD108", Location(name, number, text.index("\t") + 1))
    if mentions_tab:
        return Diagnostic("QD108", Location(name, line, column))
    return Diagnostic("QD101", Location(name, line, column), {"problem": _PROBLEMS_ZH.get(problem, problem)})


def _reader_error(exc: ReaderError, text: str, name: str) -> Diagnostic:
    """A character YAML does not allow (control characters): find it in the text, not in bytes."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    offset = text.find(char)
    line, column = _position(text, offset) if offset >= 0 else (1, 1)
    return Diagnostic("QD101", Location(name, line, column),
                      {"problem": f"文件里有不允许的控制字符 U+{ord(char):04X}，请删除它（常见于从网页或 Word 复制的文字）"})


_PROBLEMS_ZH = {
    "mapping values are not allowed here": "这里不能出现“键: 值”（冒号后的内容含冒号时请加引号）",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”（冒号后的内容含冒号时请加引号）",
    "did not find expected ',' or ']'": "方括号列表没有闭合，缺少“,”或“]”",
    "did not find expected ',' or '}'": "花括号映射没有闭合，缺少“,”或“}”",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合）",
    "did not find expected key": "缩进不一致，找不到预期的字段",
    "did not find expected '-' indicator": "列表项缩进不一致，找不到预期的“-”",
    "could not find expected ':'": "缺少冒号“:”",
    "found character that cannot start any token": "这个字符不能出现在行首（如 @ 或 `，请给值加引号）",
    "but found another document": "一个文件只能有一份清单（删去多余的 --- 分隔线）",
    "expected a single document in the stream": "一个文件只能有一份清单（删去多余的 --- 分隔线）",
    "found undefined alias": "引用了未定义的锚点（*别名）",
    "found unknown escape character": "双引号里有无效的转义字符（\\ 后面的字符），可改用单引号",
    "block sequence entries are not allowed in this context": "这里不能开始“- ”列表项（列表应另起一行并缩进）",
    "did not find expected node content": "这里缺少内容（例如方括号列表里多了一个逗号）",
    "did not find expected alphabetic or numeric character": "& 或 * 后面缺少锚点名（值以 & 或 * 开头时请加引号）",
    "did not find expected <document start>": "文件结束标记“...”之后还有内容（删去“...”这一行）",
    "found unknown directive name": "以 % 开头的行是 YAML 指令，这个指令不存在（值以 % 开头时请加引号）",
    "could not find expected directive name": "以 % 开头的行是 YAML 指令，这个指令不存在（值以 % 开头时请加引号）",
    "found duplicate %YAML directive": "%YAML 指令重复（删去多余的一行）",
}


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) pair below `data`, depth first."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk(v, (*path, i))
