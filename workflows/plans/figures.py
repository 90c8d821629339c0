"""The work plans' figures on the leaders' dashboard, and the list behind each.

Each figure counts the school's plan occurrences due in the period, cancelled ones left out, that meet one condition
(:data:`CONDITIONS`); its card links to the plan calendar narrowed to the same condition and period, which then
lists those occurrences instead of a month, so the list has as many rows as the card says.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from rules.store import RuleStore
from workflows.i18n import N_, Message
from workflows.modules.contract import Figure
from workflows.modules.counts import counts_meeting
from workflows.plans.enums import OccurrenceStatus
from workflows.plans.models import PlanOccurrence

CLOSED = (OccurrenceStatus.closed, OccurrenceStatus.failed)  # evaluated: passed, or failed for good


def _overdue(at: datetime) -> ColumnElement[bool]:
    return ~PlanOccurrence.status.in_(CLOSED) & (PlanOccurrence.due_at < at)


CONDITIONS: dict[str, tuple[Message, Callable[[datetime], ColumnElement[bool]]]] = {  # each reads the moment counted
    "plan_occurrences": (N_("Plan occurrences due"), lambda at: PlanOccurrence.id.is_not(None)),
    "plan_closed": (N_("Plan occurrences closed"), lambda at: PlanOccurrence.status.in_(CLOSED)),
    "plan_overdue": (N_("Plan occurrences overdue"), _overdue),
}


def _due_in(*, school_id: int, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """The school's occurrences due in the period, cancelled ones left out, which every figure narrows."""
    return [PlanOccurrence.school_id == school_id, PlanOccurrence.due_at >= start, PlanOccurrence.due_at < end,
            PlanOccurrence.status != OccurrenceStatus.cancelled]


def _where(key: str, *, school_id: int, start: datetime, end: datetime, at: datetime) -> list[ColumnElement[bool]]:
    return [*_due_in(school_id=school_id, start=start, end=end), CONDITIONS[key][1](at)]


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    """Occurrences due in the period: how many, closed, and still open past their due time; every card counted in
    one query rather than a query per card."""
    link = {"start": start.isoformat(), "end": end.isoformat()}
    counted = counts_meeting(session, PlanOccurrence.id, {key: condition(at) for key, (_label, condition)
                                                          in CONDITIONS.items()},
                             *_due_in(school_id=school_id, start=start, end=end))
    return [Figure(key, label, counted[key], ("plans.calendar", {"show": key, **link}))
            for key, (label, _condition) in CONDITIONS.items()]


def drilldown(session: Session, *, school_id: int, key: str, start: datetime, end: datetime,
              at: datetime) -> list[PlanOccurrence]:
    """The occurrences a figure counts, with their plans, soonest due first; KeyError for an unknown figure."""
    return list(session.scalars(select(PlanOccurrence).options(selectinload(PlanOccurrence.plan))
                                .where(*_where(key, school_id=school_id, start=start, end=end, at=at))
                                .order_by(PlanOccurrence.due_at, PlanOccurrence.id)))
