"""Mistakes people make writing YAML by hand, recognised and explained with the fixed line.

A full-width colon (`text：…`), a missing space after `:`, a key indented under the line
above, a text pasted from Word that broke over several lines: each stops the YAML parser with
a message about tokens, often on the line after the mistake. Here the lines around the
parser's complaint are read for these mistakes, the finding is put on the line that has it,
with the line as it should be; then the mistakes are repaired in a copy and the copy parsed
again, so the rest of the file is still reported (each line the parser cannot get past is
reported and set aside, up to `MAX_ROUNDS` times).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.diagnostics import Diagnostic, Location

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

MAX_ROUNDS = 20
CASCADE = 12  # lines: an error this close after a line set aside is taken to follow from it
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
# `key：value` or `- key：value`: a full-width colon after an English field name.
FULL_WIDTH = re.compile(rf"^(?P<lead>\s*(?:-\s+)?)(?P<key>{_KEY})\s*[：﹕]\s*(?P<rest>.*)$")
# `key:value` with no space: YAML reads it as one word, not as a field.
NO_SPACE = re.compile(rf"^(?P<lead>\s*(?:-\s+)?)(?P<key>{_KEY}):(?P<rest>[^\s/].*)$")
_ENTRY = re.compile(rf"^(?P<lead>\s*(?:-\s+)?)(?P<key>{_KEY}):(?:\s+(?P<rest>.*))?$")
_FOLD_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def _fixed_colon(line: str) -> tuple[str, int, str] | None:
    """(fixed line, 1-based column of the colon, what was wrong), for a colon mistake in `line`."""
    for pattern, problem in ((FULL_WIDTH, "fullwidth"), (NO_SPACE, "nospace")):
        m = pattern.match(line)
        if m and not line.lstrip().startswith("#"):
            column = m.end("key") + 1
            return f"{m['lead']}{m['key']}: {m['rest']}".rstrip(), column, problem
    return None


def colon(line: str, number: int, name: str) -> Diagnostic | None:
    """QD114 for a full-width colon or a missing space after `:` on line `number`."""
    found = _fixed_colon(line)
    if found is None:
        return None
    fixed, column, problem = found
    return Diagnostic("QD114", Location(name, number, column), {
        "problem": "后面用了全角冒号“：”" if problem == "fullwidth" else "的冒号后面缺少空格",
        "problem_en": "a full-width colon '：'" if problem == "fullwidth" else "no space after the colon",
        "key": entry["key"] if (entry := _ENTRY.match(fixed)) else "", "fixed": fixed})


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous(lines: list[str], number: int) -> int | None:
    """The number of the last non-blank, non-comment line before line `number`."""
    for n in range(number - 1, 0, -1):
        text = lines[n - 1].strip()
        if text and not text.startswith("#"):
            return n
    return None


def _bare(line: str) -> bool:
    """A line that is neither a field, a list entry nor a comment: text that lost its field."""
    text = line.strip()
    return bool(text) and not _ENTRY.match(line) and not text.startswith(("-", "#", "[", "{", "]", "}"))


def _plain_entry(line: str) -> re.Match | None:
    """`key: value` with a plain value (not a list, a mapping, a block text or an anchor)."""
    m = _ENTRY.match(line)
    if m and m["rest"] and not m["rest"].startswith(("|", ">", "[", "{", "&", "*", "'", '"')):
        return m
    return None


def explain(lines: list[str], line: int, name: str) -> tuple[Diagnostic, list[str]] | None:
    """The mistake behind a syntax error reported at `line`, and the lines with it repaired."""
    for n in (_previous(lines, line), line):
        if n is None or n > len(lines):
            continue
        found = colon(lines[n - 1], n, name)
        if found is not None:
            repaired = list(lines)
            repaired[n - 1] = found.args["fixed"]
            return found, repaired
    # A text pasted from Word: its next lines lost their field (the parser notices a line or two later).
    for n in range(min(line, len(lines)), max(line - 4, 1), -1):
        before = _previous(lines, n)
        if before is None or not _bare(lines[n - 1]) or not _plain_entry(lines[before - 1]):
            continue
        first = n
        while (prev := _previous(lines, first)) is not None and _bare(lines[prev - 1]):
            first = prev
        before = _previous(lines, first)
        if before is None or not _plain_entry(lines[before - 1]):
            continue
        last = n
        while last + 1 <= len(lines) and _bare(lines[last]):
            last += 1
        joined = lines[before - 1].rstrip() + "".join(lines[k - 1].strip() for k in range(first, last + 1))
        repaired = list(lines)
        repaired[before - 1] = joined
        for k in range(first, last + 1):
            repaired[k - 1] = ""
        return Diagnostic("QD118", Location(name, first, _indent(lines[first - 1]) + 1),
                          {"first": before, "last": last, "fixed": joined}), repaired
    before = _previous(lines, line)
    if before is None or line > len(lines):
        return None
    here, above = lines[line - 1], lines[before - 1]
    entry_above, entry_here = _plain_entry(above), _ENTRY.match(here)
    if entry_above and entry_here and _indent(here) > _indent(above) \
            and not entry_above["lead"].strip() and not entry_here["lead"].strip():
        # `service: 学前教育服务` then `  plain: …` indented under it: a field of the same mapping.
        fixed = " " * _indent(above) + here.lstrip()
        repaired = list(lines)
        repaired[line - 1] = fixed
        return Diagnostic("QD115", Location(name, line, _indent(here) + 1), {
            "key": entry_here["key"], "problem": f"比上一行的“{entry_above['key']}”多缩进了 {_indent(here) - _indent(above)} 格",
            "problem_en": f"indented {_indent(here) - _indent(above)} more than '{entry_above['key']}' on the line above",
            "fixed": fixed}), repaired
    return None


def recover(text: str, first: Diagnostic, path: Path, name: str) -> list[Diagnostic]:
    """The findings for a file whose YAML does not parse: the first syntax error explained where
    a known mistake causes it, then whatever the rest of the file shows once repaired."""
    from compiler.source.loader import parse  # the loader calls this module only on its error path

    lines = text.splitlines()
    found: list[Diagnostic] = []
    diagnostic = first
    set_aside = 0
    aside: set[int] = set()
    for _ in range(MAX_ROUNDS):
        explained = explain(lines, diagnostic.location.line, name) if diagnostic.code == "QD101" else None
        if explained is not None:
            found.append(explained[0])
            lines = explained[1]
        else:
            found.append(diagnostic)
            if diagnostic.code != "QD101" or not 0 < diagnostic.location.line <= len(lines):
                return found
            lines = list(lines)
            if set_aside and abs(diagnostic.location.line - set_aside) <= CASCADE:
                found.pop()  # a consequence of the line set aside just before, not a mistake of its own
                return found
            # Set aside the line where the construct the parser was in began (an unclosed "["), else
            # the line it stopped at, and read on.
            set_aside = diagnostic.args.get("context_line") or diagnostic.location.line
            lines[set_aside - 1] = ""
            aside.add(set_aside)
        for n, line in enumerate(lines, 1):  # the same mistake elsewhere in the file
            more = colon(line, n, name)
            if more is not None:
                found.append(more)
                lines[n - 1] = more.args["fixed"]
        doc, problems = parse("\n".join(lines) + "\n", path, name, forgive=False)
        syntax = [d for d in problems if d.code in ("QD101", "QD108")]
        if not syntax:
            rest = _validated(doc, problems)
            if set_aside:  # what was on the lines set aside is unknown: do not call it missing
                rest = [d for d in rest if d.code != "QD105" and d.location.line not in aside]
            return found + rest
        diagnostic = syntax[0]
    return found


def _validated(doc, problems: list[Diagnostic]) -> list[Diagnostic]:
    """The repaired file's other findings: its structure, checked against its model."""
    if doc is None:
        return problems
    from compiler.models import Catalogue, DepartmentRegistry
    from compiler.source.validate import validate

    model = DepartmentRegistry if "departments" in doc.data and "groups" not in doc.data else Catalogue
    return problems + validate(doc, model)[1]


def folded(value: str, line: str, column: int) -> str:
    """The line of a plain text that went on over several lines, written on one line: YAML
    joined the lines with spaces, which Chinese text does not have."""
    return line[: column - 1] + _FOLD_SPACE.sub("", value)


def has_cjk(value: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in value)


def field_mistake(doc, err: ErrorDetails, path: tuple, allowed) -> Diagnostic | None:
    """A validation error that a hand-written list's common mistake explains, with the fixed line:
    a key indented too far or too little (QD115), departments as one text (QD116), an age
    written as text (QD117). `allowed(path)` gives the field names of the mapping at `path`."""
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return _misplaced(doc, path, allowed)
    if path and path[-1] == "departments" and isinstance(value, str):
        from compiler.models.departments import SEPARATORS

        where = doc.key_at(path)
        names = _short_names(doc, [n for n in SEPARATORS.split(value) if n])
        return Diagnostic("QD116", doc.at(path), {"value": value, "fixed": " " * (where.column - 1)
                                                  + "departments: [" + ", ".join(names) + "]"})
    if path and path[-1] == "age" and isinstance(value, str):
        from compiler.text import age_bounds, read_numbers

        low, high = age_bounds(read_numbers(value))[:2]
        indent = " " * (doc.key_at(path).column - 1)
        if low is None and high is None:
            fix = "写成 age: {min: 最小年龄, max: 最大年龄}（周岁，含两端），例如：\n" + indent + "age: {min: 0, max: 6}"
            fix_en = "write age: {min: LOWEST, max: HIGHEST} (years, both included), e.g.:\n" + indent + "age: {min: 0, max: 6}"
        else:
            fixed = indent + "age: {min: " + str(low or 0) + ("" if high is None else f", max: {high}") + "}"
            fix, fix_en = "把这一行改成（可直接粘贴）：\n" + fixed, "change the line to:\n" + fixed
        return Diagnostic("QD117", doc.at(path), {"value": value, "fix": fix, "fix_en": fix_en})
    return None


def _short_names(doc, names: list[str]) -> list[str]:
    """`names` as the registry's short names where it knows them all (福州市卫生健康委员会 → 市卫健委)."""
    from compiler.models import DepartmentRegistry, Level
    from compiler.models.departments import NameIndex
    from compiler.source.loader import load
    from compiler.source.validate import validate

    folder = Path(doc.path).resolve().parent
    registry = next((f / "departments.yaml" for f in (folder, *folder.parents) if (f / "departments.yaml").is_file()), None)
    data = doc.data if isinstance(doc.data, dict) else {}
    if registry is None or data.get("level") not in {lv.value for lv in Level}:
        return names
    loaded, _ = load(registry)
    model = validate(loaded, DepartmentRegistry)[0] if loaded is not None else None
    if model is None:
        return names
    index = NameIndex(model.departments, Level(data["level"]), str(data.get("id", "")), str(data.get("jurisdiction", "")))
    found = [index.lookup(n) for n in names]
    return list(dict.fromkeys(found)) if all(found) else names  # type: ignore[arg-type]


def _misplaced(doc, path: tuple, allowed) -> Diagnostic | None:
    key, parent = str(path[-1]), path[:-1]
    line_no = doc.key_at(path).line
    line = doc.line(line_no)
    here = doc.data
    for step in parent:
        here = here[step]
    # Too little: the key belongs to a mapping among its siblings (age under target).
    for sibling, value in here.items():
        if isinstance(value, dict) and value and key in allowed((*parent, sibling)):
            column = doc.key_at((*parent, sibling, next(iter(value)))).column
            return _indentation(key, line_no, line, column, f"它属于上面的“{sibling}”，应再缩进",
                                f"it belongs to '{sibling}' above and needs more indentation", doc.name,
                                (*parent, sibling))
    # Too far: the key belongs to the mapping that holds this one (service under target).
    outer = parent[:-1]
    if parent and isinstance(parent[-1], str) and key in allowed(outer):
        column = doc.key_at(parent).column
        return _indentation(key, line_no, line, column, f"它不属于“{parent[-1]}”，应与“{parent[-1]}”对齐",
                            f"it does not belong to '{parent[-1]}'; align it with '{parent[-1]}'", doc.name, outer)
    return None


def _indentation(key: str, line_no: int, line: str, column: int, problem: str, problem_en: str, name: str,
                 belongs: tuple) -> Diagnostic:
    fixed = " " * (column - 1) + line.lstrip(" ")
    # `parent` and `suggested` as QD103 has them: validation then does not also call the key missing there.
    return Diagnostic("QD115", Location(name, line_no, _indent(line) + 1),
                      {"key": key, "problem": problem, "problem_en": problem_en, "fixed": fixed,
                       "parent": list(belongs), "suggested": key})
