"""`qingdan upgrade`: move a list onto a newer edition of its floor, changing only what must change.

What changes: `floor.edition`, and a skeleton for every provision the new edition requires that
the list does not fulfil (`skeletons`). The edit goes through ruamel.yaml's round-trip tree
(`roundtrip`), so comments, order, quoting and formatting survive, and before anything is
written the new text is proved equal to the old one apart from the edition line and the
inserted blocks. The reference and floor checks of `qingdan check` then run on the upgraded
list against the new edition: what they find is what now falls below the floor.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from compiler.authoring import roundtrip
from compiler.authoring import upgrade_nodes as skeletons
from compiler.checks import CHECKS, Context
from compiler.diagnostics import Diagnostic, Related, Severity
from compiler.domain import dates
from compiler.domain.corpus import Corpus, DataPath, ListEntry
from compiler.domain.floor_match import match
from compiler.errors import InputError, UsageError
from compiler.models import Catalogue
from compiler.output.atomic import Changed, write_bytes
from compiler.source.loader import Document, decode, display_name, parse
from compiler.source.validate import validate

FAMILIES = ("references", "floor")  # the checks re-run on the upgraded list


@dataclass(frozen=True)
class Skeleton:
    """One inserted provision or item, and where it is in the upgraded file."""

    path: DataPath
    added: skeletons.Added  # what was inserted: which floor provision or item it copies, what it covers

    @property
    def is_item(self) -> bool:
        return self.added.is_item


@dataclass
class Upgrade:
    """The planned upgrade of one file: old and new text, what was added, the findings against the new floor."""

    file: Path
    name: str
    floor: ListEntry  # the new edition
    old_edition: int
    old_text: str
    new_text: str
    document: Document  # the upgraded text, parsed: positions in the findings refer to it
    framing: roundtrip.Framing
    skeletons: list[Skeleton] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)  # QD701 per skeleton, reference and floor findings
    original: bytes | None = None  # the file's bytes when it was read: written over only if still so

    def diff(self) -> str:
        """A unified diff from the file as it is to the file as it would be written."""
        return "".join(difflib.unified_diff(self.old_text.splitlines(True), self.new_text.splitlines(True),
                                            self.name, self.name))

    def write(self) -> None:
        """Replace the file atomically (a temporary file beside it, then a rename), unless it
        changed since it was read: then `Changed`, and the file keeps what was saved."""
        write_bytes(self.file, self.framing.encode(self.new_text), expect=self.original)


def _the_list(path: Path, as_of: dt.date) -> tuple[ListEntry, Corpus]:
    from compiler.checks import pipeline

    if not path.is_file():
        raise UsageError(f"不是文件：{path}（upgrade 一次升级一份清单文件）",
                         en=f"not a file: {path} (upgrade upgrades one list file at a time)")
    result = pipeline.check([path], as_of)
    name = display_name(path)
    entry = next((e for e in result.corpus.lists if e.doc.name == name), None)
    if entry is None:
        problems = [d for d in result.diagnostics.sorted(Severity.ERROR) if d.location.file == name]
        shown, shown_en = ("\n".join(f"  {d.location}: {d.code} {d.message(lang)}" for d in problems[:5])
                           for lang in ("zh", "en"))
        raise InputError(f"{name} 无法读取或不是有效的清单，文件未改动；先用 qingdan check 修正：\n{shown}",
                         en=f"{name} is unreadable or not a valid list; the file is unchanged. "
                         f"Fix it with qingdan check first:\n{shown_en}")
    return entry, result.corpus


def _new_floor(entry: ListEntry, corpus: Corpus, to: int | None) -> ListEntry:
    ref = entry.model.floor
    name = entry.doc.name
    if ref is None:
        raise UsageError(f"{name} 没有 floor（底线清单），没有可升级的底线",
                         en=f"{name} has no floor, so there is no floor to upgrade")
    editions = corpus.editions.get(ref.list)
    if not editions:
        known, known_en = "、".join(sorted(corpus.editions)) or "（无）", ", ".join(sorted(corpus.editions)) or "none"
        raise InputError(f"{name}：底线清单“{ref.list}”不在目录中（已有的清单：{known}），文件未改动",
                         en=f"{name}: the floor list '{ref.list}' is not in the catalogue (there are: {known_en}); "
                         "the file is unchanged")
    target = editions[-1] if to is None else to
    if target not in editions:
        raise UsageError(f"底线清单 {ref.list} 没有第 {target} 版（已有的版本：{'、'.join(map(str, editions))}），文件未改动",
                         en=f"the floor list {ref.list} has no edition {target} (there are: "
                         f"{', '.join(map(str, editions))}); the file is unchanged")
    if target == ref.edition:
        newest, newest_en = ("，这已是最新版本", ", the newest one") if target == editions[-1] else ("", "")
        raise UsageError(f"{name} 已以 {ref.list} 第 {target} 版为底线{newest}，无需升级",
                         en=f"{name} already has {ref.list} edition {target} as its floor{newest_en}; nothing to upgrade")
    if target < ref.edition:
        raise UsageError(f"{name} 以 {ref.list} 第 {ref.edition} 版为底线，不能改回更早的第 {target} 版",
                         en=f"{name} has {ref.list} edition {ref.edition} as its floor and cannot go back to the "
                         f"earlier edition {target}")
    return corpus.by_key[(ref.list, target)]


def _format_not_kept(name: str) -> InputError:
    return InputError(f"{name} 的缩进或写法与清单的惯例不同（映射缩进 2 格、列表缩进 4 格），无法只改动必要的行，文件未改动。"
                      "请手动把 floor.edition 改为新版本，再按 qingdan check 的诊断补充条款",
                      en=f"{name} is indented or written differently from the lists' convention (mappings by 2, "
                      "sequences by 4), so upgrade cannot change only the lines it must; the file is unchanged. "
                      "Change floor.edition to the new edition by hand, then add the provisions qingdan check asks for")


def _parsed(text: str, path: Path, name: str) -> ListEntry:
    doc, problems = parse(text, path, name)
    model = validate(doc, Catalogue)[0] if doc is not None else None
    if doc is None or model is None:  # the skeletons copy a valid floor: this is a bug, not bad input
        raise RuntimeError(f"升级后的文本无法通过校验：{[d.code for d in problems]}")
    return ListEntry(doc, model)


def plan(path: Path, to: int | None = None, as_of: dt.date | None = None) -> Upgrade:
    """Work out the upgrade of one list file (to the newest floor edition, or `to`) without writing anything."""
    as_of = dates.as_of(as_of)
    entry, corpus = _the_list(path, as_of)
    floor = _new_floor(entry, corpus, to)
    name = entry.doc.name
    original = path.read_bytes()
    if (decode(original)[0] or "").splitlines() != entry.doc.lines:  # saved between the check and this read
        raise Changed(f"{name} 在读取期间被修改过；没有写入，请重新运行 qingdan upgrade",
                      en=f"{name} changed while it was being read; nothing was written, run qingdan upgrade again")
    framing, old = roundtrip.Framing.read(original)
    loaded = roundtrip.load(old)
    if loaded is None:
        raise _format_not_kept(name)
    y, data = loaded
    data["floor"]["edition"] = floor.model.edition
    inserted, added = skeletons.insert(match(entry, floor), data, corpus)
    draft = roundtrip.dump(y, data)
    paths = roundtrip.paths(data)
    draft_doc = _parsed(draft, path, name).doc
    new, blocks = roundtrip.place_blocks(draft, [draft_doc.values[paths[id(n)]][0] - 1 for n in inserted])
    if not roundtrip.only_inserted(old, new, blocks, entry.doc.values[("floor", "edition")][0] - 1):
        raise _format_not_kept(name)
    upgraded = _parsed(new, path, name)
    found = [Skeleton(paths[id(a.node)], a) for a in added]
    findings = _skeleton_notes(upgraded, found, floor) + _findings(upgraded, corpus, floor, as_of)
    assert entry.model.floor is not None
    return Upgrade(path, name, floor, entry.model.floor.edition, old, new, upgraded.doc, framing, found,
                   sorted(findings, key=Diagnostic.sort_key), original)


def _skeleton_notes(upgraded: ListEntry, found: list[Skeleton], floor: ListEntry) -> list[Diagnostic]:
    """A QD701 note at each inserted skeleton, pointing at the floor text it copies."""
    notes = []
    for s in found:
        a = s.added
        source = floor.value(a.floor_path)
        field_name = "service" if a.is_item else "text"
        label = (f"底线服务项 {source['id']}", f"floor item {source['id']}") if a.is_item else \
            (f"底线条款 {source['id']}", f"floor provision {source['id']}")
        notes.append(Diagnostic(
            "QD701", upgraded.doc.at((*s.path, "id")),
            {"floor": floor.key, "what": "服务项" if a.is_item else "条款", "what_en": "item" if a.is_item else "provision",
             "id": upgraded.value((*s.path, "id")), "covers": "、".join(a.covers), "text": source[field_name]},
            (Related(floor.doc.at((*a.floor_path, field_name)), *label),), upgraded.key))
    return notes


def _findings(upgraded: ListEntry, corpus: Corpus, floor: ListEntry, as_of: dt.date) -> list[Diagnostic]:
    """The reference and floor checks of `qingdan check`, run on the upgraded list against the new edition."""
    ctx = Context(upgraded, corpus, as_of, floor, match(upgraded, floor))
    return [d for _, family, run in CHECKS if family in FAMILIES for d in run(ctx) if d.severity >= Severity.WARNING]
