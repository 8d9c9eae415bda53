"""`qingdan import FILE`: read a list's table, write it as a new list, check it, say what needs a person.

Same defaults, refusals and atomic write as `qingdan new` (through `newlist.destination` and
`atomic.write_new`); the output is `check`'s, with the import's own findings (QD710–QD714)
among them, and a summary of what to review. Exit: 0 / 1 as `check`; 2 when nothing could be
imported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from compiler.diagnostics import Diagnostic, Location
from compiler.errors import InputError, UsageError
from compiler.models import Level
from compiler.models.departments import NameIndex
from compiler.source.importers import convert, header, rows
from compiler.source.importers.align import Alignment, align
from compiler.source.importers.writer import ImportedItem, ImportWriter

NATIVE = {".docx", ".xlsx", ".xlsm", ".csv"}
SUPPORTED = NATIVE | set(convert.TARGETS)
_JURISDICTION = re.compile(r"^(.{2,12}?(?:综合实验区|自治县|省|市|县|区))")


@dataclass
class Imported:
    """What an import produced, before and after writing."""

    path: Path
    text: str
    table: str
    table_en: str
    items: list[ImportedItem]
    alignment: Alignment
    findings: list[Diagnostic]
    floor_key: str | None


def read_tables(path: Path, folder: Path):
    """The tables of `path`, converting the formats LibreOffice reads into ones Python reads."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UsageError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：可导入 " + "、".join(sorted(SUPPORTED)),
                         en=f"unsupported file type {path.suffix or '(none)'}: importable are " + ", ".join(sorted(SUPPORTED)))
    if suffix in convert.TARGETS:
        path, suffix = (converted := convert.convert(path, folder)), converted.suffix
    if suffix == ".docx":
        from compiler.source.importers import docx
        return docx.read(path)
    if suffix in (".xlsx", ".xlsm"):
        from compiler.source.importers import xlsx
        return xlsx.read(path)
    from compiler.source.importers import csv_table
    return csv_table.read(path)


def prepare(args: argparse.Namespace, corpus, root: Path, today: dt.date) -> Imported:
    """The imported list for the command line `args`, validated but not written."""
    from compiler.authoring import new_list as newlist
    from compiler.source.loader import display_name

    source: Path = args.file
    if not source.is_file():
        raise UsageError(f"文件不存在：{source}", en=f"no such file: {source}")
    with tempfile.TemporaryDirectory(prefix="qingdan-import-") as folder:
        tables = read_tables(source, Path(folder))
    layout = header.choose(tables, args.sheet)
    body = rows.read(layout)
    if not any(g.items for g in body.groups):
        raise InputError(f"{layout.table.name}中找到了表头，但没有一行可以导入为服务项",
                         en=f"{layout.table.name_en} has a list header but no row that could be imported as a service")
    jurisdiction = args.jurisdiction or _jurisdiction(body.title)
    floor_ref = args.floor if args.floor is not None else _default_floor(corpus, args.level)
    request = newlist.Request(jurisdiction, floor_ref or "", args.list_id,
                              Level(args.level) if args.level else None, args.out)
    jurisdiction, floor, level, list_id, path = newlist.destination(corpus, root, request, floor_optional=True)
    index = NameIndex(list(corpus.departments.by_id.values()), level, list_id, jurisdiction)
    items = _items(body, index)
    alignment = align([i.texts for i in items], floor.model if floor else None)
    _assign_ids(items, alignment, floor.model if floor else None)
    writer = ImportWriter(jurisdiction, list_id, level, floor, today, corpus.departments,
                          newlist.schema_reference(path, root), body=body, items=items, alignment=alignment,
                          source=display_name(source))
    text = writer.render()
    newlist.self_check(text, path)
    findings = _findings(display_name(path), display_name(source), layout.table, body, items, alignment, writer, level)
    return Imported(path, text, layout.table.name, layout.table.name_en, items, alignment, findings,
                    floor.key if floor else None)


def _jurisdiction(title: str | None) -> str:
    m = _JURISDICTION.match(title or "")
    if m is None:
        raise UsageError("表格上方没有能看出辖区的标题，请用 --jurisdiction 写明辖区名称，如 --jurisdiction 福州市",
                         en="no title above the table names the jurisdiction; give it with --jurisdiction, "
                         "e.g. --jurisdiction 福州市")
    return m[1]


def _default_floor(corpus, level: str | None) -> str | None:
    """`--floor` left out: a provincial list has none; a lower list's is the one issued list above it."""
    if level == "province":
        return None
    above = {"city": Level.province, "county": Level.city, None: Level.province}[level]
    issued = sorted({e.model.id for e in corpus.lists if not e.model.draft and e.model.level is above})
    if len(issued) == 1:
        return issued[0]
    raise UsageError("请用 --floor 写明底线清单，如 --floor fujian@1" + (f"（可选：{'、'.join(issued)}）" if issued else ""),
                     en="name the floor list with --floor, e.g. --floor fujian@1")


def _items(body: rows.Body, index: NameIndex) -> list[ImportedItem]:
    """Ids, provision texts and departments of the table's items, in order."""
    out: list[ImportedItem] = []
    for group in body.groups:
        for raw in group.items:
            texts = [piece for s in raw.content for piece in s.pieces]
            mapped, unmapped = [], []
            for name in index.split(raw.departments):
                found = index.lookup(name)
                if found is None:
                    unmapped.append(name)
                elif found not in mapped:
                    mapped.append(found)
            out.append(ImportedItem(raw, "", texts, mapped, unmapped))
    return out


def _assign_ids(items: list[ImportedItem], alignment: Alignment, floor) -> None:
    """An item that fulfils one floor item keeps its id (s03), as `new` does, so the two lists
    read side by side; any other is numbered after the floor's items."""
    owner = {p.id: item.id for _, _, item in floor.items() for p in item.provisions} if floor else {}
    taken: set[str] = set()
    for item, row in zip(items, alignment.proposals):
        homes = {owner[fid] for p in row for fid in p.covers if fid in owner}
        if len(homes) == 1 and (home := homes.pop()) not in taken:
            item.id = home
            taken.add(home)
    n = len(owner and {v for v in owner.values()})
    for item in items:
        if item.id not in taken:
            n += 1
            while f"s{n:02d}" in taken:
                n += 1
            item.id = f"s{n:02d}"
            taken.add(item.id)


def _findings(name: str, source: str, table, body: rows.Body, items: list[ImportedItem], alignment: Alignment,
              writer: ImportWriter, level: Level) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for k, item in enumerate(items):
        row = f"序号 {item.raw.number}" if item.raw.number else f"第 {item.raw.row + 1} 行"
        for p, proposal in enumerate(alignment.proposals[k] if writer.floor is not None else []):
            line = writer.placed.provisions[(k, p)]
            pid = f"{item.id}-{p + 1}"
            if proposal.addition:
                found.append(Diagnostic("QD711", Location(name, line + 1, 13),
                                        {"provision": pid, "row": row, "text": item.texts[p]}))
            elif proposal.uncertain:
                covers_line = next(n for n in range(line, len(writer.lines) + 1)
                                   if writer.lines[n - 1].lstrip().startswith("covers:"))
                found.append(Diagnostic("QD710", Location(name, covers_line, 13), {
                    "provision": pid, "row": row, "covers": ", ".join(proposal.covers),
                    "candidates": "、".join(f"{fid}（{s:.2f}）" for fid, s in proposal.candidates)}))
        for department in item.unmapped:
            found.append(Diagnostic("QD712", Location(name, writer.placed.departments[k], 9),
                                    {"department": department, "row": row, "level": level.zh, "level_en": level.value}))
    for skipped in body.skipped:
        found.append(Diagnostic("QD713" if skipped.unreadable else "QD714", Location(source, skipped.row + 1, 1),
                                {"table": table.name, "table_en": table.name_en, "row": skipped.row + 1,
                                 "text": skipped.text[:60]}))
    return found


def run(args: argparse.Namespace) -> int:
    """The command: import, write, check, print; the exit status as `check`'s, 2 if nothing was imported."""
    from compiler.checks import pipeline
    from compiler.output import text as formats
    from compiler.output.atomic import write_new
    from compiler.source.loader import display_name

    if not args.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{args.catalogue}", en=f"the catalogue folder does not exist: {args.catalogue}")
    root = pipeline.find_root(args.catalogue)
    imported = prepare(args, pipeline.load_corpus(root), root, dt.date.today())
    write_new(imported.path, imported.text)
    result = pipeline.check([imported.path], dt.date.today())
    result.diagnostics.extend(imported.findings)
    sys.stdout.write(formats.text(result, args.lang))
    print("\n".join(summary(imported, display_name(imported.path), args.lang)))
    return result.exit_code()


def summary(imported: Imported, name: str, lang: str = "zh") -> list[str]:
    """What was imported, and what a person must look at."""
    provisions = [p for row in imported.alignment.proposals for p in row]
    confident = sum(1 for p in provisions if p.covers and not p.uncertain)
    uncertain = sum(1 for p in provisions if p.uncertain)
    additions = sum(1 for p in provisions if p.addition) if imported.floor_key else 0
    texts = sum(len(i.texts) for i in imported.items)
    unmapped = sorted({d for i in imported.items for d in i.unmapped})
    skipped = sum(1 for d in imported.findings if d.code in ("QD713", "QD714"))
    uncovered = imported.alignment.uncovered
    if lang == "en":
        lines = [f"imported {name} from {imported.table_en}: {len(imported.items)} services, {texts} provisions",
                 f"  covers: {confident} proposed with confidence, {uncertain} to review (# 待核对), "
                 f"{additions} local additions; floor provisions covered by nothing: {len(uncovered)}"
                 + (f" ({', '.join(uncovered)})" if uncovered else "")]
        if unmapped:
            lines.append("  departments not in the registry: " + ", ".join(unmapped))
        if skipped:
            lines.append(f"  table rows not imported: {skipped}")
        lines.append(f"next: review every 待核对 and TODO, then run: qingdan check {name}")
        return lines
    lines = [f"已从{imported.table}导入 {name}：{len(imported.items)} 项服务、{texts} 条条款",
             f"  对应底线：{confident} 条有把握，{uncertain} 条待核对（# 待核对），{additions} 条本地新增；"
             f"底线中没有任何条款落实的：{len(uncovered)} 条" + (f"（{'、'.join(uncovered)}）" if uncovered else "")]
    if unmapped:
        lines.append("  部门名录中没有的责任部门：" + "、".join(unmapped))
    if skipped:
        lines.append(f"  原表中未导入的行：{skipped} 行（见上面的 QD713、QD714）")
    lines.append(f"下一步：逐条核对“待核对”和 TODO，然后运行 qingdan check {name}")
    return lines
