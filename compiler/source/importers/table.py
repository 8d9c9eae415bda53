"""The one shape every reader produces: a grid of cell texts with merged cells resolved."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One grid position. A merged region repeats its text at every position it covers;
    `origin` is the (row, column) of the region's top-left cell, so a reader of the table can
    tell a value shared by merging from two cells that happen to say the same."""

    text: str
    origin: tuple[int, int]


@dataclass
class Table:
    """A table as found in the file: `name` says which one (表格 2, 工作表“清单”) in messages."""

    name: str
    name_en: str
    rows: list[list[Cell]]
    before: list[str] = field(default_factory=list)  # text above the table: 附件 label, title

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self, row: int, col: int) -> str:
        """The text at (row, col), "" outside the table."""
        cells = self.rows[row]
        return cells[col].text if 0 <= col < len(cells) else ""

    def merged_from_above(self, row: int, col: int) -> bool:
        """Whether the cell at (row, col) belongs to a region that starts on an earlier row."""
        cells = self.rows[row]
        return 0 <= col < len(cells) and cells[col].origin[0] < row


def grid(texts: list[list[str]], origins: dict[tuple[int, int], tuple[int, int]] | None = None) -> list[list[Cell]]:
    """Rows of cells from rows of texts; `origins` maps a covered position to its region's start."""
    origins = origins or {}
    width = max((len(r) for r in texts), default=0)
    rows: list[list[Cell]] = []
    for r, row in enumerate(texts):
        cells = []
        for c in range(width):
            origin = origins.get((r, c), (r, c))
            text = texts[origin[0]][origin[1]] if origin != (r, c) else (row[c] if c < len(row) else "")
            cells.append(Cell(text, origin))
        rows.append(cells)
    return rows
