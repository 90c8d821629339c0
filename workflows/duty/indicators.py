"""Duty management's assessment indicators for a service unit: its duty anomalies per month of the period and the
share of its PDCAs closed on time, counted with the conditions of the leaders' dashboard cards
(:func:`workflows.duty.figures.where`), only the anomalies the unit is responsible for."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.duty.enums import AnomalyKind, Stage
from workflows.duty.figures import where
from workflows.duty.models import Anomaly
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import months_in, percent
from workflows.people.service import descendant_unit_ids


def _count(session: Session, key: str, *more: ColumnElement[bool], school_id: int, unit_id: int, start: datetime,
           end: datetime) -> int:
    return session.scalar(select(func.count(Anomaly.id)).where(
        *where(key, school_id=school_id, start=start, end=end), *more,
        Anomaly.unit_id.in_(descendant_unit_ids(session, unit_id)))) or 0


def anomalies_per_month(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                        at: datetime, rules: RuleBook) -> Measured:
    """The unit's anomalies of every kind detected in the period, per month of it."""
    n = sum(_count(session, f"duty_{kind}", school_id=school_id, unit_id=unit_id, start=start, end=end)
            for kind in AnomalyKind)
    return Measured(round(n / months_in(start, end), 2), n)


def closed_on_time(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                   at: datetime, rules: RuleBook) -> Measured:
    """Of the unit's anomalies detected in the period whose PDCA is closed or past its closing deadline, the share
    closed by that deadline (one still within its time, or without a plan yet, counts neither way)."""
    count = lambda key, *more: _count(session, key, *more, school_id=school_id, unit_id=unit_id,  # noqa: E731
                                      start=start, end=end)
    decided = or_(Anomaly.stage == Stage.closed, Anomaly.close_due < at)
    return percent(count("duty_closed_on_time"), sum(count(f"duty_{kind}", decided) for kind in AnomalyKind))


INDICATORS = (
    Indicator("duty_anomalies_per_month", N_("Duty anomalies per month"), "count", False, anomalies_per_month,
              (10.0, 0.0)),
    Indicator("duty_closed_on_time", N_("Duty PDCAs closed on time"), "%", True, closed_on_time, (60.0, 100.0)),
)
