"""Attendance's assessment indicator: the on-post rate (在岗率) of the unit's people over the period, their
rostered shifts that started with them there ÷ those started, counted as the leaders' dashboard card counts them
(:func:`workflows.attendance.figures.period_rows`, :func:`workflows.attendance.readmodel.rates`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.attendance.figures import period_rows
from workflows.attendance.readmodel import rates
from workflows.attendance.settings import shift_grace
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import percent
from workflows.people.service import descendant_unit_ids


def on_post_rate(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                 at: datetime, rules: RuleBook) -> Measured:
    units = descendant_unit_ids(session, unit_id)
    rows = [row for row in period_rows(session, school_id=school_id, start=start, end=end, at=at, grace=shift_grace(rules))
            if row.staff.unit_id in units]
    by_unit = rates(rows, "unit")
    return percent(sum(r.present for r in by_unit), sum(r.rostered for r in by_unit))


INDICATORS = (Indicator("attendance_on_post_rate", N_("On-post rate"), "%", True, on_post_rate, (80.0, 100.0)),)
