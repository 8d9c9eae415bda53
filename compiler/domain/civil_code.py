"""Statutory periods under the PRC Civil Code, arts. 200-204, with China's official rest days.

- art. 201: the day of issuing is not counted; the period starts the next day;
- art. 202: a period in years ends on the corresponding day of the last year, or on the last
  day of that month where there is none (2024-02-29 + 2 years -> 2026-02-28);
- art. 203: a period whose last day is a statutory rest day ends on the day after the rest.

The reading we adopt: rest days are weekends and official holidays, and a 调休 working weekend
day is a working day. The holiday calendar is the `chinesecalendar` package; for a year it
does not know, weekends alone are skipped and the period says so (`unknown_years`).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

_WEEKDAYS = "一二三四五六日"
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MAX_EXTENSION = 30  # no official rest run is longer; a guard against a corrupt calendar


@dataclass(frozen=True)
class DayKind:
    rest: bool
    reason: str  # Chinese, for the reasoning
    reason_en: str
    known: bool = True  # False where the calendar does not cover the year


def day_kind(day: dt.date) -> DayKind:
    """Whether `day` is a rest day, and why (holiday, weekend, or 调休 working day)."""
    weekend = day.weekday() >= 5
    try:
        rest, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        if weekend:
            return DayKind(True, f"星期{_WEEKDAYS[day.weekday()]}", _WEEKDAYS_EN[day.weekday()], known=False)
        return DayKind(False, "工作日", "a working day", known=False)
    holiday = _holiday_zh(name)
    if rest and name:
        return DayKind(True, f"{holiday}假期", f"{name} holiday")
    if rest:
        return DayKind(True, f"星期{_WEEKDAYS[day.weekday()]}", _WEEKDAYS_EN[day.weekday()])
    if weekend:
        return DayKind(False, f"星期{_WEEKDAYS[day.weekday()]}，但为{holiday or ''}调休工作日",
                       f"a {_WEEKDAYS_EN[day.weekday()]} but a make-up working day", )
    return DayKind(False, "工作日", "a working day")


def _holiday_zh(name: str | None) -> str:
    if not name:
        return ""
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return holiday.chinese
    return name


@dataclass(frozen=True)
class Period:
    """A computed statutory period, with the steps that explain its last day."""

    start: dt.date
    nominal_end: dt.date
    due: dt.date
    steps: tuple[str, ...]
    steps_en: tuple[str, ...]
    unknown_years: frozenset[int] = field(default_factory=frozenset)

    @property
    def reasoning(self) -> str:
        return "；".join(self.steps)

    @property
    def reasoning_en(self) -> str:
        return "; ".join(self.steps_en)


def add_years(day: dt.date, years: int) -> dt.date:
    """Art. 202: the corresponding day, or the month's last day where there is none."""
    year = day.year + years
    last = _cal.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def _extend(nominal: dt.date) -> tuple[dt.date, list[str], list[str], set[int]]:
    """Art. 203: move the last day past a run of rest days."""
    steps: list[str] = []
    steps_en: list[str] = []
    unknown: set[int] = set()
    kind = day_kind(nominal)
    if not kind.known:
        unknown.add(nominal.year)
    if not kind.rest:
        if kind.reason != "工作日":
            steps.append(f"{nominal} 是{kind.reason}，不顺延")
            steps_en.append(f"{nominal} is {kind.reason_en}, not extended")
        return nominal, steps, steps_en, unknown
    day, first = nominal, kind
    reasons: list[str] = []
    while kind.rest:
        if kind.reason not in reasons:
            reasons.append(kind.reason)
        day += dt.timedelta(days=1)
        if (day - nominal).days > _MAX_EXTENSION:
            raise RuntimeError(f"rest days from {nominal} never end")
        kind = day_kind(day)
        if not kind.known:
            unknown.add(day.year)
    last_rest = day - dt.timedelta(days=1)
    span = f"{nominal} 是休息日（{reasons[0]}）" + (f"，连休至 {last_rest}" if last_rest != nominal else "")
    steps.append(f"{span}，依第二百零三条顺延至休息结束的次日 {day}")
    steps_en.append(f"{nominal} is a rest day ({first.reason_en})"
                    + (f" through {last_rest}" if last_rest != nominal else "")
                    + f"; art. 203 moves the end to the next day, {day}")
    return day, steps, steps_en, unknown


def days_after(start: dt.date, days: int) -> Period:
    """A period of `days` calendar days from `start` (e.g. "印发后10日内")."""
    nominal = start + dt.timedelta(days=days)
    due, ext, ext_en, unknown = _extend(nominal)
    steps = [f"{start} 当日不计入，自次日起算（民法典第二百零一条），{days}日届满于 {nominal}", *ext]
    steps_en = [f"{start} is not counted (art. 201); {days} days end on {nominal}", *ext_en]
    return Period(start, nominal, due, tuple(steps), tuple(steps_en), frozenset(unknown))


def years_after(start: dt.date, years: int) -> Period:
    """A period of `years` years from `start` (e.g. "每两年更新发布一次")."""
    nominal = add_years(start, years)
    corresponding = nominal.day == start.day
    due, ext, ext_en, unknown = _extend(nominal)
    where = "到期月的对应日" if corresponding else "到期月没有对应日，以月末日"
    where_en = "the corresponding day" if corresponding else "the month's last day (no corresponding day)"
    steps = [f"{start} 当日不计入（第二百零一条），{years}年届满于 {nominal}（{where}为最后一日，第二百零二条）", *ext]
    steps_en = [f"{start} is not counted (art. 201); {years} years end on {where_en}, {nominal} (art. 202)", *ext_en]
    return Period(start, nominal, due, tuple(steps), tuple(steps_en), frozenset(unknown))
