"""Editing a YAML file through ruamel.yaml's round-trip tree, and proving nothing else changed.

Round-trip mode keeps comments, key order, quoting and flow style; what it cannot know is the
file's indentation, so the styles below are tried until one reproduces the file exactly. After
an edit, `only_inserted` checks the new text against the old one line by line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from compiler.domain.corpus import DataPath
from compiler.source.loader import decode

# (mapping, sequence, offset) indentation. The bundled lists use the first; the second is
# ruamel's and many editors' default.
STYLES = ((2, 4, 2), (2, 2, 0))
_BOM = "\ufeff"


@dataclass(frozen=True)
class Framing:
    """What a round trip would lose around the YAML itself: a BOM, CRLF line ends, a missing last newline."""

    bom: bool
    crlf: bool
    final_newline: bool

    @classmethod
    def read(cls, raw: bytes) -> tuple[Framing, str]:
        """The framing of a UTF-8 file and its text with "\\n" line ends and a final newline."""
        text = decode(raw)[0] or ""  # the loader has already accepted this file
        framing = cls(raw.startswith(_BOM.encode()), "\r\n" in text, text.endswith(("\n", "\r")))
        body = text.replace("\r\n", "\n")
        return framing, body if framing.final_newline else body + "\n"

    def encode(self, body: str) -> bytes:
        """`body` (as `read` gave it, possibly edited) back in the file's own framing."""
        if not self.final_newline:
            body = body.removesuffix("\n")
        if self.crlf:
            body = body.replace("\n", "\r\n")
        return ((_BOM if self.bom else "") + body).encode("utf-8")


def _yaml(style: tuple[int, int, int]) -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line of Chinese
    y.indent(mapping=style[0], sequence=style[1], offset=style[2])
    return y


def dump(y: YAML, data: Any) -> str:
    """The text of a round-trip tree."""
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def load(text: str) -> tuple[YAML, Any] | None:
    """The round-trip tree, with the first indentation style that reproduces `text` exactly; None if none does."""
    for style in STYLES:
        y = _yaml(style)
        try:
            data = y.load(text)
        except YAMLError:
            return None
        if dump(y, data) == text:
            return y, data
    return None


def paths(node: Any, path: DataPath = ()) -> dict[int, DataPath]:
    """The data path of every mapping and sequence in a round-trip tree, by object identity."""
    found = {id(node): path}
    if isinstance(node, dict):
        for k, v in node.items():
            found |= paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found |= paths(v, (*path, i))
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def place_blocks(text: str, starts: list[int]) -> tuple[str, list[range]]:
    """Move each inserted block above the comments and blank lines that lead the element after it.

    ruamel keeps a comment that sits between two sequence elements with the end of the first,
    so a block inserted between them lands below that comment, which belongs to the element
    that follows. `starts` are the 0-based lines where inserted elements begin; returns the
    text and the line ranges the blocks finally occupy.
    """
    lines = text.split("\n")
    blocks: list[range] = []
    for start in sorted(starts):
        dash = _indent(lines[start])
        end = start + 1
        while end < len(lines) and lines[end].strip() and _indent(lines[end]) > dash:
            end += 1
        top = start
        while top > 0 and (not lines[top - 1].strip()
                           or (lines[top - 1].lstrip().startswith("#") and _indent(lines[top - 1]) <= dash)):
            top -= 1
        lines[top:end] = lines[start:end] + lines[top:start]
        blocks.append(range(top, top + end - start))
    return "\n".join(lines), blocks


def only_inserted(old: str, new: str, blocks: list[range], changed_line: int) -> bool:
    """Whether `new` is `old` with `blocks` inserted and at most the line `changed_line` (0-based, in `old`) changed."""
    inserted = {n for b in blocks for n in b}
    kept = [line for n, line in enumerate(new.split("\n")) if n not in inserted]
    old_lines = old.split("\n")
    return len(kept) == len(old_lines) and all(a == b or n == changed_line
                                               for n, (a, b) in enumerate(zip(old_lines, kept)))
