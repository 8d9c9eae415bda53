"""`qingdan new`: what to generate, from which floor, under which id and file name.

The request is checked here, before anything is written: the floor must exist and be issued,
the level must be the one below the floor's (QD207), the id must be valid and unused, and the
file must be new and inside the catalogue. The text itself comes from `skeleton`; a generated
list that does not load and validate is a bug in qingdan, never the user's.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from compiler.authoring.new_text import ListText
from compiler.checks.drafts import MARKER
from compiler.domain.corpus import Corpus, ListEntry
from compiler.errors import UsageError
from compiler.models import Catalogue, Level
from compiler.models.common import ListId
from compiler.source.loader import display_name, parse
from compiler.source.validate import validate

FOLDERS = {Level.national: "national", Level.province: "province", Level.city: "cities", Level.county: "counties"}
SCHEMA = Path("schema") / "catalogue.schema.json"
_FLOOR = re.compile(r"([a-z0-9][a-z0-9-]*)(?:@(\d+))?")
# Dropped from a jurisdiction's name before it is spelt out as an id (福州市 → fuzhou).
_SUFFIXES = ("综合实验区", "自治县", "市", "县", "区")


@dataclass(frozen=True)
class Request:
    """What `qingdan new` was asked for; None where it picks the default."""

    jurisdiction: str
    floor: str  # "fujian@1", or "fujian" for its newest edition
    list_id: str | None = None
    level: Level | None = None
    out: Path | None = None


@dataclass(frozen=True)
class NewList:
    """A generated list, validated but not yet written."""

    path: Path
    list_id: str
    level: Level
    floor: ListEntry
    text: str
    unmapped: tuple[str, ...]  # floor departments with no local counterpart in the registry

    @property
    def todos(self) -> int:
        return sum(MARKER in line for line in self.text.splitlines())


def prepare(corpus: Corpus, root: Path, request: Request, today: dt.date) -> NewList:
    """The new list for `request`; UsageError for anything the user must change first."""
    jurisdiction, floor, level, list_id, path = destination(corpus, root, request)
    assert floor is not None  # without floor_optional, destination() finds the floor or refuses
    skeleton = ListText(jurisdiction, list_id, level, floor, today, corpus.departments, schema_reference(path, root))
    text = skeleton.render()
    self_check(text, path)
    return NewList(path, list_id, level, floor, text, tuple(dict.fromkeys(skeleton.unmapped)))


def destination(corpus: Corpus, root: Path, request: Request,
                floor_optional: bool = False) -> tuple[str, ListEntry | None, Level, str, Path]:
    """Jurisdiction, floor, level, id and file of a new list, refusing what `new` refuses.

    With `floor_optional` (an imported provincial list) an empty `request.floor` means the list
    has no floor and `request.level` is its level.
    """
    jurisdiction = _jurisdiction(request.jurisdiction)
    floor = find_floor(corpus, request.floor) if request.floor or not floor_optional else None
    level = child_level(floor, request.level) if floor is not None else request.level or Level.province
    list_id = request.list_id if request.list_id is not None else derive_id(jurisdiction)
    _check_id(list_id)
    path = request.out or root / FOLDERS[level] / f"{list_id}.yaml"
    # Resolved paths: `--out linked-folder/x.yaml` must not write wherever the link points.
    if Path(os.path.realpath(root)) not in Path(os.path.realpath(path)).parents:
        raise UsageError(f"--out 须在清单目录 {display_name(root)} 之内：核查时要在同一目录中找到底线清单和部门名录",
                         en=f"--out must be inside the catalogue folder {display_name(root)}: checking looks for the "
                         "floor list and the department registry in the same folder")
    if path.exists() or path.is_symlink():
        raise UsageError(f"文件已存在：{display_name(path)}。qingdan new 不会覆盖已有文件，请用 --out 另选文件名",
                         en=f"the file already exists: {display_name(path)}; qingdan new never overwrites a file, "
                         "choose another name with --out")
    _check_unused(corpus, list_id)
    return jurisdiction, floor, level, list_id, path


def find_floor(corpus: Corpus, ref: str) -> ListEntry:
    """The list named by `--floor LIST@EDITION` (or LIST, meaning its newest issued edition)."""
    m = _FLOOR.fullmatch(ref.strip())
    if m is None:
        raise UsageError(f"--floor 应写成 清单编号@版本号，如 fujian@1（实际是“{ref}”）",
                         en=f"--floor should be LIST@EDITION, e.g. fujian@1 (it is '{ref}')")
    list_id, edition = m[1], int(m[2]) if m[2] else corpus.newest_edition(m[1])
    issued = sorted(e.key for e in corpus.lists if not e.model.draft)
    known, known_en = "、".join(issued) or "（无）", ", ".join(issued) or "none"
    if list_id not in corpus.editions:
        raise UsageError(f"底线清单“{list_id}”不在清单目录中（已有：{known}）。"
                         "如果它的文件有格式错误，先运行 qingdan check 改正",
                         en=f"the floor list '{list_id}' is not in the catalogue folder (there are: {known_en}); "
                         "if its file is malformed, run qingdan check and fix it first")
    entry = corpus.by_key.get((list_id, edition)) if edition else None
    if entry is None:
        which = f"第 {m[2]} 版" if m[2] else "已印发的版本"
        which_en = f"edition {m[2]}" if m[2] else "issued edition"
        raise UsageError(f"底线清单“{list_id}”没有{which}（已有：{known}）",
                         en=f"the floor list '{list_id}' has no {which_en} (there are: {known_en})")
    if entry.model.draft:
        raise UsageError(f"{entry.key} 还是草稿，印发后才能作为底线",
                         en=f"{entry.key} is still a draft; only an issued list can be a floor")
    return entry


def child_level(floor: ListEntry, wanted: Level | None) -> Level:
    """The level one below the floor's: a list's floor is the list one level up (QD207)."""
    levels = list(Level)
    below = floor.model.level.rank + 1
    if below >= len(levels):
        raise UsageError(f"{floor.key} 是{floor.model.level.zh}清单，是最低一级，不能作为底线",
                         en=f"{floor.key} is a {floor.model.level.value} list, the lowest level, and cannot be a floor")
    child = levels[below]
    if wanted is not None and wanted is not child:
        raise UsageError(f"{floor.key} 是{floor.model.level.zh}清单，它之下是{child.zh}清单，不是{wanted.zh}清单"
                         "（每份清单以上一级清单为底线）",
                         en=f"{floor.key} is a {floor.model.level.value} list; below it comes a {child.value} list, "
                         f"not a {wanted.value} list (each list's floor is the list one level up)")
    return child


def derive_id(jurisdiction: str) -> str:
    """A list id spelt in pinyin from the jurisdiction's name (福州市 → fuzhou, 闽侯县 → minhou)."""
    from pypinyin import (
        lazy_pinyin,  # its dictionaries load in ~0.1 s: only `new` pays for them
    )

    name = jurisdiction
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            name = name[: -len(suffix)]
            break
    return re.sub(r"[^a-z0-9]+", "-", "".join(lazy_pinyin(name)).lower()).strip("-")


def schema_reference(path: Path, root: Path) -> str:
    """Where the JSON Schema is, relative to the new file (as the bundled lists' first line has it)."""
    schema = next((f / SCHEMA for f in (root, *root.parents) if (f / SCHEMA).is_file()), root.parent / SCHEMA)
    return Path(os.path.relpath(os.path.abspath(schema), os.path.abspath(path.parent))).as_posix()


def _jurisdiction(text: str) -> str:
    name = text.strip()
    if not name or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UsageError(f"辖区名称“{text}”不能为空，也不能含换行或控制字符",
                         en=f"the jurisdiction name '{text}' must not be empty or contain line breaks or control characters")
    return name


def _check_id(list_id: str) -> None:
    try:
        TypeAdapter(ListId).validate_python(list_id)
    except ValidationError:
        raise UsageError(f"清单编号“{list_id}”不合法：只能用小写字母、数字和连字符，以字母或数字开头，"
                         "最长 64 个字符；请用 --id 指定，如 --id fuzhou",
                         en=f"the list id '{list_id}' is not valid: only lower-case letters, digits and hyphens, "
                         "starting with a letter or digit, at most 64 characters; give one with --id, e.g. --id fuzhou"
                         ) from None


def _check_unused(corpus: Corpus, list_id: str) -> None:
    if list_id in corpus.editions:
        used = corpus.by_key[(list_id, corpus.editions[list_id][0])].doc.name
        raise UsageError(f"清单编号“{list_id}”已被 {used} 使用：新辖区请用 --id 另取编号；"
                         "同一清单的新版本请复制原文件并把 edition 加一",
                         en=f"the list id '{list_id}' is already used by {used}: for a new jurisdiction choose another "
                         "id with --id; for a new edition of the same list copy its file and add one to edition")


def self_check(text: str, path: Path) -> None:
    """A generated list that does not load and validate is a bug in qingdan, never the user's."""
    doc, problems = parse(text, path, display_name(path))
    if doc is not None:
        problems += validate(doc, Catalogue)[1]
    if doc is None or problems:
        raise RuntimeError("生成的清单未通过校验：" + "；".join(f"{d.code} {d.location} {d.message()}" for d in problems))


