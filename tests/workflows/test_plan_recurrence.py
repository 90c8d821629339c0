"""The dates a plan falls on (pure date arithmetic)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from workflows.plans.recurrence import dates_between


def _plan(recurrence, starts_on, interval=1, until=None, season_from=None, season_to=None, recurs_from=None):
    return SimpleNamespace(recurrence=recurrence, starts_on=starts_on, interval=interval, until=until,
                           season_from=season_from, season_to=season_to, recurs_from=recurs_from, weekdays=[])


def test_monthly_on_the_31st_keeps_to_the_end_of_short_months():
    days = dates_between(_plan("monthly", date(2027, 1, 31)), date(2027, 1, 1), date(2027, 4, 30))
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_summer_mosquito_control_every_two_weeks_from_june_to_september():
    days = dates_between(_plan("seasonal", date(2027, 6, 1), interval=2, season_from=6, season_to=9),
                         date(2027, 1, 1), date(2028, 7, 1))
    assert days[:2] == [date(2027, 6, 1), date(2027, 6, 15)]
    assert all(6 <= d.month <= 9 for d in days)
    assert len([d for d in days if d.year == 2027]) == 9
    assert [d for d in days if d.year == 2028][0].month == 6


def test_once_weekly_and_yearly_respect_the_window_and_the_end_date():
    assert dates_between(_plan("once", date(2027, 3, 1)), date(2027, 3, 2), date(2027, 12, 31)) == []
    weekly = dates_between(_plan("weekly", date(2027, 3, 1), interval=2, until=date(2027, 3, 31)), date(2027, 3, 1), date(2027, 12, 31))
    assert weekly == [date(2027, 3, 1), date(2027, 3, 15), date(2027, 3, 29)]
    assert dates_between(_plan("yearly", date(2024, 2, 29)), date(2025, 1, 1), date(2028, 12, 31)) == [
        date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]


def test_no_date_falls_before_the_day_a_changed_recurrence_took_effect():
    weekly = _plan("weekly", date(2027, 3, 1), recurs_from=date(2027, 3, 10))
    assert dates_between(weekly, date(2027, 3, 1), date(2027, 3, 31)) == [date(2027, 3, 15), date(2027, 3, 22), date(2027, 3, 29)]
