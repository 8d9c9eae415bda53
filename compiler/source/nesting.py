"""A pre-scan that refuses deep flow nesting before libyaml's composer sees the text.

The C composer recurses once per `[` or `{` level and overflows the C stack near 30,000 levels
(a 60 KB file): the process dies with a segmentation fault, which no `except` can catch. The
scan counts brackets without parsing, so it over-counts brackets inside quoted text; the limit
is far above any list (real lists nest under ten levels; the loader's own limit of 64 gives the
exact verdict below it) and far below the crash.
"""

from __future__ import annotations

import re

FLOW_LIMIT = 1_000
_BRACKETS = re.compile(r"[^\[\]{}]+")


def too_deep(text: str, limit: int = FLOW_LIMIT) -> bool:
    """Whether `text` may open more than `limit` flow collections inside one another."""
    if text.count("[") + text.count("{") <= limit:  # every real list: two C-speed counts
        return False
    depth = 0
    for ch in _BRACKETS.sub("", text):
        if ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif depth:
            depth -= 1
    return False
