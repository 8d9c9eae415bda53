"""The dashboard's deadlines as an iCalendar file that calendar apps import.

One all-day event per deadline the dashboard shows, so the calendar and the dashboard agree:

- every list's filing due date and renewal due date, whatever their state;
- open deadlines (still to file, or to re-issue) carry reminders 30 and 7 days before;
- closed ones (filed, on time or late) stay as a record without reminders, and a renewal made
  moot by a newer edition is marked cancelled, so re-importing removes its reminders.

UIDs are built from list id, edition and kind, so re-importing a later export updates the events
instead of adding copies; DTSTAMP is midnight UTC of the as-of day, so the same catalogue and
day always give the same bytes.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from compiler import __version__
from compiler.domain.deadlines import STATUS_EN, STATUS_ZH
from compiler.output.deadline_text import basis
from compiler.output.text import LABELS, describe_status
from compiler.review.status import Deadline, Row

REMINDER_DAYS = (30, 7)
CALENDAR_NAME = {"zh": "流动儿童关爱服务清单期限", "en": "Care-service list deadlines"}
KIND_ZH = {"filing": "备案期限", "renewal": "更新发布期限"}
KIND_EN = {"filing": "filing due", "renewal": "re-issue due"}
SAMPLE_MARK = {"zh": "[示例]", "en": "[示例 sample]"}  # 示例 in both: no one may take a sample for policy


def stamp(as_of: dt.date) -> dt.datetime:
    """The moment an export is stamped with: midnight UTC of the as-of day."""
    return dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)


def uid(d: Deadline) -> str:
    """Stable across exports: the same list, edition and kind always get the same UID."""
    m = d.result.entry.model
    return f"{m.id}-{m.edition}-{d.kind}@qingdan"


def summary(d: Deadline, lang: str = "zh") -> str:
    m = d.result.entry.model
    mark = f"{SAMPLE_MARK[lang]} " if m.sample else ""
    state = (STATUS_ZH if lang == "zh" else STATUS_EN)[d.assessment.status]
    if lang == "zh":
        return f"{mark}{m.jurisdiction}清单第{m.edition}版{KIND_ZH[d.kind]}（{state}）"
    return f"{mark}{m.jurisdiction} list, edition {m.edition}: {KIND_EN[d.kind]} ({state})"


def description(d: Deadline, as_of: dt.date, lang: str = "zh") -> str:
    m = d.result.entry.model
    zh = lang == "zh"
    sep = "：" if zh else ": "
    when = f"（截至 {as_of}）" if zh else f" (as of {as_of})"
    lines = [f"{d.title(lang)}{sep}{describe_status(d.assessment, lang)}{when}", *d.steps(lang)]
    warning = d.calendar_warning(lang)
    if warning:
        lines.append(warning)
    lines.append(f"{LABELS[lang]['basis']}{sep}{basis(d.kind, lang)}")
    lines.append(f"{m.title}（{d.result.entry.doc.name}）" if zh else f"{m.title} ({d.result.entry.doc.name})")
    if m.sample:
        lines.append("示例数据，不是真实政策。" if zh else "Sample data (示例), not a real policy.")
    return "\n".join(lines)


def event(d: Deadline, as_of: dt.date, lang: str = "zh") -> Event:
    e = Event()
    e.add("uid", uid(d))
    e.add("dtstamp", stamp(as_of))
    e.add("dtstart", d.assessment.due)
    e.add("dtend", d.assessment.due + dt.timedelta(days=1))
    e.add("summary", summary(d, lang))
    e.add("description", description(d, as_of, lang))
    e.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    e.add("categories", ["清单期限" if lang == "zh" else "list deadlines"])
    if d.assessment.status == "superseded":
        e.add("status", "CANCELLED")
    if d.open:
        for days in REMINDER_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary(d, lang))
            alarm.add("trigger", dt.timedelta(days=-days))
            e.add_component(alarm)
    return e


def calendar(rows: list[Row], as_of: dt.date, lang: str = "zh") -> bytes:
    """The whole export, in the dashboard's order."""
    cal = Calendar()
    cal.add("prodid", f"-//qingdan//qingdan {__version__}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", CALENDAR_NAME[lang])
    for row in rows:
        for d in row.deadlines:
            cal.add_component(event(d, as_of, lang))
    return cal.to_ical()
