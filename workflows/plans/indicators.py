"""Work plans' assessment indicator: the share of a unit's plan occurrences due in the period that were carried
out and passed (closed), cancelled ones left out."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import percent
from workflows.people.service import descendant_unit_ids
from workflows.plans.enums import OccurrenceStatus
from workflows.plans.models import PlanOccurrence, WorkPlan


def completion_rate(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                    at: datetime, rules: RuleBook) -> Measured:
    due = [PlanOccurrence.school_id == school_id, PlanOccurrence.due_at >= start, PlanOccurrence.due_at < end,
           PlanOccurrence.status != OccurrenceStatus.cancelled,
           WorkPlan.unit_id.in_(descendant_unit_ids(session, unit_id))]
    count = lambda *where: session.scalar(select(func.count(PlanOccurrence.id)).join(  # noqa: E731
        WorkPlan, WorkPlan.id == PlanOccurrence.plan_id).where(*due, *where)) or 0
    return percent(count(PlanOccurrence.status == OccurrenceStatus.closed), count())


INDICATORS = (Indicator("plan_completion_rate", N_("Plan completion rate"), "%", True, completion_rate, (60.0, 100.0)),)
