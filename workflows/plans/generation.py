"""Making the dated rows of recurring ones, idempotently: a work plan's occurrences, an inspection schedule's rounds.

Each recurring row's dates (:func:`workflows.plans.recurrence.dates_between`) from its start, never before the day
it was created, up to its school's look-ahead rule are made once: a date made already is skipped, and the maker
returns None for one that a concurrent run made first (its row and date are unique together), so a second run, a
second worker or a re-delivered beat task makes nothing twice.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from rules.book import RuleBook
from rules.store import RuleStore
from workflows.plans.recurrence import Recurring, dates_between


class Generating(Recurring, Protocol):
    """A recurring row dates are made of: its school's rules give the look-ahead, and no date before the day it
    was created is made (a new plan does not fill in the past)."""

    @property
    def id(self) -> int: ...
    @property
    def school_id(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...


RowT = TypeVar("RowT", bound=Generating)


def generate(session: Session, store: RuleStore, rows: Sequence[RowT], *, ahead: str, made_by: InstrumentedAttribute[Any],
             made_on: InstrumentedAttribute[Any], make: Callable[[RuleBook, RowT, date], object | None], at: datetime) -> int:
    """Make each date of ``rows`` up to ``at`` plus the look-ahead rule ``ahead`` that no made row has yet (``made_by``
    names a made row's recurring row, ``made_on`` its date); return how many ``make`` made."""
    existing = _made_dates(session, made_by, made_on, [row.id for row in rows])
    made = 0
    for row in rows:
        book = store.book(session, row.school_id)
        first = max(row.starts_on, local_day(book, row.created_at))
        last = local_day(book, at + book.duration(ahead))
        for day in dates_between(row, first, last):
            if day not in existing.get(row.id, set()) and make(book, row, day) is not None:
                made += 1
    return made


def local_day(book: RuleBook, instant: datetime) -> date:
    return instant.astimezone(ZoneInfo(book.calendar.timezone)).date()


def _made_dates(session: Session, made_by: InstrumentedAttribute[Any], made_on: InstrumentedAttribute[Any],
                row_ids: list[int]) -> dict[int, set[date]]:
    found: dict[int, set[date]] = {}
    if row_ids:
        for row_id, day in session.execute(select(made_by, made_on).where(made_by.in_(row_ids))):
            found.setdefault(row_id, set()).add(day)
    return found
