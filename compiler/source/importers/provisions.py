"""A 服务内容 cell split into its duties, removing only numbering and separators.

Bureaus write several duties in one cell: numbered (1.… 2.…, 1、, ①②, （一）, (1)), separated
by ；/; or by line breaks. A split keeps everything it removed as `glue`, so that
`glue[0] + pieces[0] + glue[1] + … + pieces[-1] + glue[-1]` is the cell, character for character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十"
# A number that starts a duty: at the start of the cell, of a line, or after a separator or a
# sentence's end. "12年" or "1.5倍" is no numbering: a numeral followed by a digit or a unit is not.
_NUMBERING = re.compile(
    rf"\s*(?:(?:(?<=^)|(?<=[\n；;。，,：:\s]))(?:(?P<arabic>\d{{1,2}})\s*[.．、](?!\d)|(?P<chinese>[{_CN}]{{1,3}})、)"
    rf"|[（(]\s*(?P<paren>\d{{1,2}}|[{_CN}]{{1,3}})\s*[)）]|(?P<circled>[①-⑳]))\s*")
_SEPARATOR = re.compile(r"\s*(?:[；;]|\n)\s*")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Split:
    """The duties of one cell and what stood between them (numbering, separators, spaces)."""

    pieces: tuple[str, ...]
    glue: tuple[str, ...]  # one more than pieces

    def joined(self) -> str:
        """The cell as it was."""
        out = [self.glue[0]]
        for piece, glue in zip(self.pieces, self.glue[1:]):
            out += [piece, glue]
        return "".join(out)


def _value(m: re.Match) -> int:
    if m["arabic"]:
        return int(m["arabic"])
    if m["circled"]:
        return _CIRCLED.index(m["circled"]) + 1
    text = m["paren"] or m["chinese"]
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _, units = text.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(units) + 1 if units else 0) if "十" in text \
        else _CN.index(text) + 1


def _numbering(cell: str) -> list[re.Match]:
    """The numbering marks of a run 1, 2, 3 … (of one kind), so a stray "2、" inside a duty is text."""
    found = list(_NUMBERING.finditer(cell))
    run: list[re.Match] = []
    for m in found:
        kind = next(k for k in ("arabic", "paren", "circled", "chinese") if m[k])
        if not run and _value(m) == 1:
            run = [m]
        elif run and kind == next(k for k in ("arabic", "paren", "circled", "chinese") if run[-1][k]) \
                and _value(m) == _value(run[-1]) + 1:
            run.append(m)
    return run if len(run) >= 1 and (len(run) > 1 or run[0].start() == 0 or cell[: run[0].start()].strip() == "") else []


def split(cell: str) -> Split:
    """`cell` split at numbering, ；/; and line breaks; a cell of one duty is one piece."""
    cuts: list[tuple[int, int]] = [(m.start(), m.end()) for m in _numbering(cell)]
    for m in _SEPARATOR.finditer(cell):
        if m.end() > m.start() and not any(a <= m.start() < b for a, b in cuts):
            cuts.append((m.start(), m.end()))
    cuts = _merged(sorted(cuts))
    pieces: list[str] = []
    glue: list[str] = []
    position = 0
    pending = ""
    for start, end in cuts:
        piece = cell[position:start]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            glue.append(pending + piece[:lead])
            pieces.append(piece[lead:trail])
            pending = piece[trail:]
        else:
            pending += piece
        pending += cell[start:end]
        position = end
    piece = cell[position:]
    if piece.strip():
        lead, trail = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        glue.append(pending + piece[:lead])
        pieces.append(piece[lead:trail])
        pending = piece[trail:]
    else:
        pending += piece
    glue.append(pending)
    if not pieces:
        return Split((), (cell,))
    result = Split(tuple(pieces), tuple(glue))
    assert result.joined() == cell, "a split must give the cell back"  # removing text would be a bug
    return result


def _merged(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in cuts:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
