"""The dates a plan falls on: once, every N weeks, months or years, or every N weeks inside a season.

Pure date arithmetic, no database: the generator asks for the dates in a window and creates the
occurrences that do not exist yet.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from workflows.plans.enums import Recurrence

if TYPE_CHECKING:
    from workflows.plans.models import WorkPlan


def _add_months(day: date, months: int, anchor_day: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(anchor_day, calendar.monthrange(year, month + 1)[1]))


def in_season(day: date, season_from: int | None, season_to: int | None) -> bool:
    """Whether ``day`` lies in the months ``season_from``..``season_to`` (a window may wrap the new year)."""
    if season_from is None or season_to is None:
        return True
    if season_from <= season_to:
        return season_from <= day.month <= season_to
    return day.month >= season_from or day.month <= season_to


def _series(recurrence: str, starts_on: date, interval: int) -> Iterator[date]:
    step = max(1, interval)
    if recurrence == Recurrence.once:
        yield starts_on
        return
    k = 0
    while True:
        if recurrence in (Recurrence.weekly, Recurrence.seasonal):
            yield starts_on + timedelta(weeks=k * step)
        elif recurrence == Recurrence.monthly:
            yield _add_months(starts_on, k * step, starts_on.day)
        elif recurrence == Recurrence.yearly:
            yield _add_months(starts_on, 12 * k * step, starts_on.day)
        else:
            raise ValueError(f"unknown recurrence {recurrence!r}")
        k += 1


def dates_between(plan: WorkPlan, first: date, last: date) -> list[date]:
    """The plan's dates from ``first`` to ``last`` inclusive (and within its own start, end and ``recurs_from``)."""
    end = min(last, plan.until) if plan.until else last
    first = max(first, plan.recurs_from) if plan.recurs_from else first
    found = []
    for day in _series(plan.recurrence, plan.starts_on, plan.interval):
        if day > end:
            break
        if day >= first and (plan.recurrence != Recurrence.seasonal or in_season(day, plan.season_from, plan.season_to)):
            found.append(day)
    return found
