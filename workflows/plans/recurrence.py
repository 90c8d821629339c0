"""The dates a plan falls on: once, every N weeks (on one or several weekdays), months (on a day of the month or
on its first … fourth or last weekday) or years, or every N weeks inside a season.

Pure date arithmetic, no database: the generator asks for the dates in a window and creates the
occurrences that do not exist yet.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Protocol

from workflows.months import add_months
from workflows.plans.enums import Recurrence


class Recurring(Protocol):
    """What a recurrence is read from: a work plan, or anything else on the same calendar (inspection schedules)."""

    @property
    def recurrence(self) -> str: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def interval(self) -> int: ...
    @property
    def weekdays(self) -> list: ...
    @property
    def until(self) -> date | None: ...
    @property
    def recurs_from(self) -> date | None: ...
    @property
    def season_from(self) -> int | None: ...
    @property
    def season_to(self) -> int | None: ...


def in_season(day: date, season_from: int | None, season_to: int | None) -> bool:
    """Whether ``day`` lies in the months ``season_from``..``season_to`` (a window may wrap the new year)."""
    if season_from is None or season_to is None:
        return True
    if season_from <= season_to:
        return season_from <= day.month <= season_to
    return day.month >= season_from or day.month <= season_to


LAST = 5  # "the last Monday of the month": a first date in the month's fifth week


def week_of_month(day: date) -> int:
    """Which of its month's weekdays ``day`` is: 1 for the first Monday … 4 for the fourth, LAST for a fifth."""
    return (day.day - 1) // 7 + 1


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1–4, or LAST) ``weekday`` (0 Monday) of a month."""
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (min(nth, LAST) - 1))
    while day.month != month:  # the fifth of a weekday most months lack: the last one
        day -= timedelta(weeks=1)
    return day


def _weeks(starts_on: date, step: int, weekdays: list[int]) -> Iterator[date]:
    """Every ``step`` weeks from the week of ``starts_on``, each of ``weekdays`` (the first date's weekday when
    none are named), never before ``starts_on``."""
    days = sorted(set(weekdays)) or [starts_on.weekday()]
    monday = starts_on - timedelta(days=starts_on.weekday())
    k = 0
    while True:
        for weekday in days:
            day = monday + timedelta(weeks=k * step, days=weekday)
            if day >= starts_on:
                yield day
        k += 1


def _series(recurrence: str, starts_on: date, interval: int, weekdays: list[int]) -> Iterator[date]:
    step = max(1, interval)
    if recurrence == Recurrence.once:
        yield starts_on
        return
    if recurrence in (Recurrence.weekly, Recurrence.seasonal):
        yield from _weeks(starts_on, step, weekdays)
        return
    k = 0
    while True:
        if recurrence == Recurrence.monthly_weekday:
            month = add_months(starts_on, k * step, 1)
            yield nth_weekday(month.year, month.month, starts_on.weekday(), week_of_month(starts_on))
        elif recurrence == Recurrence.monthly:
            yield add_months(starts_on, k * step, starts_on.day)
        elif recurrence == Recurrence.yearly:
            yield add_months(starts_on, 12 * k * step, starts_on.day)
        else:
            raise ValueError(f"unknown recurrence {recurrence!r}")
        k += 1


def dates_between(plan: Recurring, first: date, last: date) -> list[date]:
    """The plan's dates from ``first`` to ``last`` inclusive (and within its own start, end and ``recurs_from``)."""
    end = min(last, plan.until) if plan.until else last
    first = max(first, plan.recurs_from) if plan.recurs_from else first
    found = []
    for day in _series(plan.recurrence, plan.starts_on, plan.interval, list(plan.weekdays or [])):
        if day > end:
            break
        if day >= first and (plan.recurrence != Recurrence.seasonal or in_season(day, plan.season_from, plan.season_to)):
            found.append(day)
    return found
