"""A pre-scan that refuses deep flow nesting before libyaml sees the text.

libyaml's parser slows down with the square of the flow nesting (a second for 16,000 levels of
`[`, minutes for 100,000 in a 200 KB file), and ruamel's C composer, which the loader used
before it read the parser's events, overflowed the C stack near 30,000 levels. The scan counts
brackets without parsing, so it over-counts brackets inside quoted text; the limit is far above
any list (real lists nest under ten levels; the loader's own limit of 64 gives the exact verdict
below it) and far below where parsing gets slow.
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
