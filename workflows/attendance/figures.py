"""Attendance cards on the leaders' dashboard: the on-post rate (在岗率), shifts missed and late arrivals in the
period; each links to the rates page of the same period, per unit, post and day, the counts narrowed to the shifts
of their mark, which it lists. The figures read each school's grace minutes from the rules."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.attendance.enums import Mark
from workflows.attendance.marks import Grace
from workflows.attendance.readmodel import ShiftRow, shift_rows
from workflows.attendance.settings import shift_grace
from workflows.i18n import N_, Message
from workflows.modules.contract import Figure
from workflows.people.timezone import local_date, school_zone

MARKED: dict[str, tuple[Message, Mark]] = {  # the cards counting the started shifts of one mark
    "absent_shifts": (N_("Shifts missed"), Mark.absent), "late_arrivals": (N_("Late arrivals"), Mark.late)}


def period_rows(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
                grace: Grace) -> list[ShiftRow]:
    """The rostered shifts starting in ``[start, end)`` with their outcomes at ``at``."""
    zone = school_zone(session, school_id)
    rows = shift_rows(session, school_id, grace,
                      first=local_date(start, zone), last=local_date(end - timedelta(microseconds=1), zone), at=at)
    return [row for row in rows if start <= row.outcome.window.start < end]


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    rows = [row for row in period_rows(session, school_id=school_id, start=start, end=end, at=at,
                                        grace=shift_grace(rules.book(session, school_id))) if row.outcome.started]
    present = sum(row.outcome.present for row in rows)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    return [
        Figure("on_post_rate", N_("On-post rate, per cent"), round(100 * present / len(rows)) if rows else 0,
               ("attendance.rates_page", period)),
        *(Figure(key, label, sum(mark in row.outcome.marks for row in rows),
                 ("attendance.rates_page", {**period, "mark": str(mark)})) for key, (label, mark) in MARKED.items()),
    ]
