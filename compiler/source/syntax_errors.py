"""The YAML parser's complaints as diagnostics: at the right line, in plain Chinese."""

from __future__ import annotations

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from compiler.diagnostics import Diagnostic, Location

# Findings on a file that did not load but whose line can be quoted: syntax errors and what the
# forgiving reader explains of them.
QUOTED_CODES = ("QD101", "QD102", "QD108", "QD114", "QD115", "QD118")


def _position(raw_text: str, offset: int) -> tuple[int, int]:
    before = raw_text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def syntax(exc: MarkedYAMLError, name: str, lines: list[str]) -> Diagnostic:
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
    # Where the construct the parser was in began (a flow list's "["): recovery sets aside from there.
    context = exc.context_mark.line + 1 if exc.context_mark and exc.context_mark.line + 1 < line else None
    return Diagnostic("QD101", Location(name, line, column), {"problem": _PROBLEMS_ZH.get(problem, problem),
                                                              "problem_en": problem, "context_line": context})


def reader_error(exc: ReaderError, text: str, name: str) -> Diagnostic:
    """A character YAML does not allow (control characters): find it in the text, not in bytes."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    offset = text.find(char)
    line, column = _position(text, offset) if offset >= 0 else (1, 1)
    return Diagnostic("QD101", Location(name, line, column),
                      {"problem": f"文件里有不允许的控制字符 U+{ord(char):04X}，请删除它（常见于从网页或 Word 复制的文字）",
                       "problem_en": f"the file holds the control character U+{ord(char):04X}, which YAML does not allow: "
                                     "delete it (it often comes with text copied from a web page or from Word)"})


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
