"""Duty management's assessment indicators for a service unit: its duty anomalies per month of the period and the
share of its PDCAs closed on time (by the condition of the leaders' dashboard card,
:data:`workflows.duty.figures.CONDITIONS`), only the anomalies the unit is responsible for, in one query."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.duty.enums import Stage
from workflows.duty.figures import CLOSED_ON_TIME, CONDITIONS, detected_in
from workflows.duty.models import Anomaly
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import months_in, percent
from workflows.people.service import descendant_unit_ids


@dataclass(frozen=True)
class _Tally:
    """The unit's anomalies detected in the period: of every kind, of those the ones decided (closed or past their
    closing deadline), and the ones closed on time."""

    anomalies: int
    decided: int
    closed_on_time: int


def _tally(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime, at: datetime) -> _Tally:
    """The three counts of the unit's subtree in one query."""
    decided = or_(Anomaly.stage == Stage.closed, Anomaly.close_due < at)
    return _Tally(*session.execute(select(func.count(Anomaly.id), func.count(Anomaly.id).filter(decided),
                                          func.count(Anomaly.id).filter(CONDITIONS[CLOSED_ON_TIME][1]()))
                                   .where(*detected_in(school_id=school_id, start=start, end=end),
                                          Anomaly.unit_id.in_(descendant_unit_ids(session, unit_id)))).one())


def anomalies_per_month(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                        at: datetime, rules: RuleBook) -> Measured:
    """The unit's anomalies of every kind detected in the period, per month of it."""
    n = _tally(session, school_id=school_id, unit_id=unit_id, start=start, end=end, at=at).anomalies
    return Measured(round(n / months_in(start, end), 2), n)


def closed_on_time(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                   at: datetime, rules: RuleBook) -> Measured:
    """Of the unit's anomalies detected in the period whose PDCA is closed or past its closing deadline, the share
    closed by that deadline (one still within its time, or without a plan yet, counts neither way)."""
    found = _tally(session, school_id=school_id, unit_id=unit_id, start=start, end=end, at=at)
    return percent(found.closed_on_time, found.decided)


INDICATORS = (
    Indicator("duty_anomalies_per_month", N_("Duty anomalies per month"), "count", False, anomalies_per_month,
              (10.0, 0.0)),
    Indicator("duty_closed_on_time", N_("Duty PDCAs closed on time"), "%", True, closed_on_time, (60.0, 100.0)),
)
