"""Statutory periods: Civil Code arts. 201-203 with China's rest days and 调休 working days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.domain.civil_code import add_years, day_kind, days_after, years_after

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("issued", "due", "why"),
    [
        ("2025-01-09", "2025-01-20", "the 19th is a Sunday"),
        ("2025-01-16", "2025-01-26", "a 调休 working Sunday: not extended"),
        ("2025-01-19", "2025-02-05", "Spring Festival 01-28..02-04"),
        ("2025-09-21", "2025-10-09", "National Day 10-01..10-08"),
        ("2025-03-03", "2025-03-13", "an ordinary Thursday"),
        ("2026-09-10", "2026-09-20", "Sunday 9-20 is a 调休 working day: not extended"),
        ("2026-11-25", "2026-12-07", "a weekend 12-05..12-06"),
        ("2026-02-04", "2026-02-14", "Saturday 2-14 is a 调休 working day"),
        ("2026-02-05", "2026-02-24", "Spring Festival 2026: 2-15..2-23"),
        ("2025-12-22", "2026-01-04", "New Year 2026: 1-1..1-3, then 调休 Sunday 1-4"),
    ],
)
def test_filing_due_dates(issued, due, why):
    """The ten-day filing period ends on the right day (known cases from the brief and from 2026)."""
    assert days_after(D(issued), 10).due == D(due), why


def test_sunday_that_is_a_working_day_is_explained():
    """The reasoning says why 2025-01-26 was not moved although it is a Sunday."""
    period = days_after(D("2025-01-16"), 10)
    assert "调休工作日" in period.reasoning
    assert "第二百零一条" in period.reasoning


def test_holiday_extension_is_explained():
    """The reasoning names the holiday, the last rest day and art. 203."""
    period = days_after(D("2025-01-19"), 10)
    assert "春节" in period.reasoning
    assert "2025-02-04" in period.reasoning
    assert "第二百零三条" in period.reasoning
    assert "art. 203" in period.reasoning_en


@pytest.mark.parametrize(
    ("issued", "due"),
    [
        ("2024-02-29", "2026-02-28"),  # art. 202: no corresponding day, month's last day (a 调休 Saturday)
        ("2024-03-15", "2026-03-16"),  # the 15th is a Sunday
        ("2024-10-01", "2026-10-08"),  # National Day 2026: 10-01..10-07
        ("2024-05-03", "2026-05-06"),  # Labour Day 2026: 5-01..5-05
        ("2024-06-05", "2026-06-05"),  # a Friday
    ],
)
def test_renewal_due_dates(issued, due):
    """The two-year renewal period ends on the corresponding day, extended over rest days."""
    assert years_after(D(issued), 2).due == D(due)


def test_leap_day_reasoning_cites_article_202():
    """A leap-day issue explains that the month's last day ends the period."""
    period = years_after(D("2024-02-29"), 2)
    assert "月末日" in period.reasoning and "第二百零二条" in period.reasoning


def test_unknown_year_is_flagged_not_guessed():
    """For a year the holiday calendar does not know, the period says so."""
    period = years_after(D("2025-02-20"), 2)  # 2027-02-20 is a Saturday in an unknown year
    assert period.unknown_years == {2027}
    assert period.due == D("2027-02-22")
    assert days_after(D("2025-01-09"), 10).unknown_years == frozenset()


def test_add_years_corresponding_day():
    """Art. 202 without extension: the same day, or the month's last day."""
    assert add_years(D("2024-02-29"), 2) == D("2026-02-28")
    assert add_years(D("2024-02-29"), 4) == D("2028-02-29")
    assert add_years(D("2025-01-31"), 2) == D("2027-01-31")


def test_day_kinds():
    """A 调休 Saturday is a working day; a holiday weekday is a rest day."""
    assert not day_kind(D("2026-02-28")).rest
    assert day_kind(D("2025-10-03")).rest
    assert day_kind(D("2025-01-18")).rest


known_days = st.dates(min_value=D("2004-01-01"), max_value=D("2026-12-10"))


@settings(max_examples=300, deadline=None)
@given(known_days)
def test_filing_due_is_never_a_rest_day_nor_early(issued):
    """Property: the due date is a working day and never earlier than issue + 10 days."""
    period = days_after(issued, 10)
    assert period.due >= issued + dt.timedelta(days=10)
    if not period.unknown_years:
        assert not day_kind(period.due).rest


@settings(max_examples=300, deadline=None)
@given(known_days, st.integers(min_value=1, max_value=40))
def test_filing_due_never_moves_backwards(issued, shift):
    """Property: a later issue date never gives an earlier filing due date."""
    later = issued + dt.timedelta(days=shift)
    assert days_after(later, 10).due >= days_after(issued, 10).due
