"""Text for a terminal that no list can take over: control and bidirectional characters escaped.

List text reaches the terminal in messages, summaries and diffs. YAML's double-quoted escapes
let a list hold any character: `"\\e[2J"` would clear the screen, `"\\e]0;…\\a"` retitle the
window, U+202E reverse the rest of the line so that a message reads differently from what it
says. Every such character is shown as `\\uXXXX` instead: in JSON that is the same character
(the output stays valid and means the same), in text it is visible.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TextIO

# Bidirectional controls and the two Unicode line breaks; C0/C1 controls are found by category.
_SPECIAL = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
_CANDIDATE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return f"\\u{ord(ch):04x}" if ch in _SPECIAL or unicodedata.category(ch) == "Cc" else ch


def visible(text: str) -> str:
    """`text` with every control character but newline and tab, and every bidi control, as \\uXXXX."""
    return _CANDIDATE.sub(_escape, text)


class VisibleWriter(io.TextIOBase):
    """A text stream that passes everything written to `stream` through `visible`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")
