"""How many terminal columns a text takes: the one measure for carets and aligned comments.

A CJK character is two columns wide, a combining mark none; `wcwidth` knows the Unicode
tables (East Asian Width and zero-width characters), which a range test gets wrong.
"""

from __future__ import annotations

from wcwidth import wcwidth


def display_width(text: str) -> int:
    """The columns `text` takes in a terminal; a control character counts as one (it is shown escaped)."""
    return sum(w if (w := wcwidth(ch)) >= 0 else 1 for ch in text)
