"""Word (.docx) tables, with their merged cells as Word stores them.

A horizontal merge is one `w:tc` with `w:gridSpan`; a vertical merge is a `w:tc` with
`w:vMerge` "restart" followed, in the rows below, by cells with a bare `w:vMerge` (continue).
Both are resolved here, so every grid position has its text and the origin of its region.
"""

from __future__ import annotations

from pathlib import Path

from compiler.errors import InputError
from compiler.source.importers.table import Cell, Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: Path) -> list[Table]:
    """Every top-level table of the document, each with the paragraphs written above it."""
    import docx  # python-docx costs ~0.2 s to import: only an import of a Word file pays it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"无法打开 Word 文件 {path.name}：文件已损坏，或不是 .docx 格式（{exc}）",
                         en=f"cannot open the Word file {path.name}: it is damaged or not a .docx file ({exc})") from None
    tables: list[Table] = []
    before: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            text = Paragraph(child, document).text.strip()
            if text:
                before.append(text)
        elif child.tag == f"{_W}tbl":
            n = len(tables) + 1
            # A cell's parent is its table (python-docx reads only the cell's own paragraphs for .text).
            table = DocxTable(child, document)
            rows = _rows(child, lambda tc, table=table: _Cell(tc, table).text)
            tables.append(Table(f"第 {n} 个表格", f"table {n}", rows, before))
            before = []
    return tables


def _rows(tbl, text_of) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    open_regions: dict[int, tuple[int, int]] = {}  # grid column -> origin of the vertical merge running there
    for r, tr in enumerate(tbl.iterchildren(f"{_W}tr")):
        cells: list[Cell] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, vmerge = 1, None
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = max(1, int(grid_span.get(f"{_W}val", "1")))
                merge = props.find(f"{_W}vMerge")
                if merge is not None:
                    vmerge = merge.get(f"{_W}val", "continue")
            col = len(cells)
            if vmerge == "continue" and col in open_regions:
                origin = open_regions[col]
                text = rows[origin[0]][origin[1]].text
            else:
                origin, text = (r, col), text_of(tc)
                for c in range(col, col + span):
                    open_regions.pop(c, None)
                if vmerge == "restart":
                    open_regions[col] = origin
            cells.extend(Cell(text, origin) for _ in range(span))
        for c in [c for c in open_regions if c >= len(cells)]:
            open_regions.pop(c)  # a short row ends the merges past its last cell
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    for r, cells in enumerate(rows):
        cells.extend(Cell("", (r, c)) for c in range(len(cells), width))
    return rows
