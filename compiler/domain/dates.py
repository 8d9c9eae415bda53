"""The dates qingdan can count with, and what "today" means for it.

Deadlines add years and days to a list's dates and look up holidays; a date near the ends of
Python's calendar (9999-12-31) would overflow in that arithmetic. Every date that comes from a
list or from the command line is therefore held to `EARLIEST`..`LATEST`, far wider than any
policy document and far inside what the arithmetic can reach.

The lists are Chinese policy documents and their deadlines fall on Chinese calendar days, so
"today" is the date in Asia/Shanghai whatever the machine's time zone: a build run at 23:30 UTC
counts the deadlines of the next day, as an official in Fuzhou would.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

from compiler.errors import UsageError

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
RANGE_ZH = f"{EARLIEST.year}—{LATEST.year} 年"
RANGE_EN = f"{EARLIEST.year}-{LATEST.year}"


def in_range(day: dt.date) -> bool:
    """Whether deadlines can be counted from `day`."""
    return EARLIEST <= day <= LATEST


def today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in China (Asia/Shanghai); `now` (aware) for tests."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(CHINA).date()


def as_of(given: dt.date | None) -> dt.date:
    """The day a command counts deadlines for: `--as-of` when given, else today in China."""
    return given if given is not None else today()


def source_date_epoch(default: dt.date) -> str:
    """SOURCE_DATE_EPOCH as the whole seconds the site's tools expect; `default` (midnight UTC) when unset.

    The reproducible-builds convention is a decimal count of seconds; anything else (`abc`, a
    negative or fractional number, a time past `LATEST`) is refused rather than passed on to
    crash a tool half-way through the build.
    """
    text = os.environ.get("SOURCE_DATE_EPOCH")
    if text is None or text == "":
        return str(int(dt.datetime(default.year, default.month, default.day, tzinfo=dt.UTC).timestamp()))
    latest = int(dt.datetime(LATEST.year, 12, 31, tzinfo=dt.UTC).timestamp())
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 12 or int(stripped) > latest:
        shown = text.encode("unicode_escape").decode("ascii")[:40]
        raise UsageError(f"环境变量 SOURCE_DATE_EPOCH 须是自 1970-01-01 起的整秒数（不晚于 {LATEST.year} 年），现在是“{shown}”",
                         en=f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 (up to {LATEST.year}), not '{shown}'")
    return str(int(stripped))
