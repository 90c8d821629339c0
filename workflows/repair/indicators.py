"""Repair's assessment indicators for a service unit: the good-rating rate, the average time to complete and the
share completed before the first chasing colour, counted as the leaders' dashboard counts them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.colours import Colour
from workflows.dashboard.figures import Scope, additive_counts
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import percent
from workflows.repair.models import WorkOrder


def good_rate(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime, at: datetime, rules: RuleBook) -> Measured:
    counts = additive_counts(session, Scope(school_id, start, end, unit_id=unit_id))[()]
    return percent(int(counts["good_ratings"]), int(counts["good_ratings"] + counts["bad_ratings"]))


def completion_hours(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                     at: datetime, rules: RuleBook) -> Measured:
    counts = additive_counts(session, Scope(school_id, start, end, unit_id=unit_id))[()]
    worked = int(counts["worked"])
    return Measured(round(float(counts["complete_seconds"]) / worked / 3600, 2) if worked else None, worked)


def completed_in_time(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                      at: datetime, rules: RuleBook) -> Measured:
    """Orders accepted and completed in scope that never turned a chasing colour (done within the rule's time)."""
    worked = [*Scope(school_id, start, end, unit_id=unit_id).conditions(), WorkOrder.accepted_at.is_not(None),
              WorkOrder.completed_at.is_not(None)]
    count = lambda *where: session.scalar(select(func.count(WorkOrder.id)).where(*worked, *where)) or 0  # noqa: E731
    return percent(count(WorkOrder.colour == Colour.none), count())


INDICATORS = (
    Indicator("repair_good_rate", N_("Repair good-rating rate"), "%", True, good_rate, (80.0, 98.0)),
    Indicator("repair_completion_hours", N_("Repair average time to complete"), "h", False, completion_hours,
              (72.0, 12.0)),
    Indicator("repair_completed_in_time", N_("Repairs completed within the rule's time"), "%", True, completed_in_time,
              (60.0, 95.0)),
)
