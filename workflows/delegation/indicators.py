"""Delegated tasks' assessment indicator: of a unit's tasks whose deadline fell in the period, the share closed
by their deadline. A task is the unit's when handed to the unit or to someone holding a role in it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.delegation.enums import TaskStatus
from workflows.delegation.models import DelegatedTask
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import percent
from workflows.people.models import RoleAssignment
from workflows.people.service import descendant_unit_ids


def on_time(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime, at: datetime, rules: RuleBook) -> Measured:
    units = descendant_unit_ids(session, unit_id)
    staff = select(RoleAssignment.user_id).where(RoleAssignment.org_unit_id.in_(units))
    due = [DelegatedTask.school_id == school_id, DelegatedTask.deadline >= start, DelegatedTask.deadline < end,
           or_(DelegatedTask.unit_id.in_(units), DelegatedTask.assignee_id.in_(staff))]
    count = lambda *where: session.scalar(select(func.count(DelegatedTask.id)).where(*due, *where)) or 0  # noqa: E731
    return percent(count(DelegatedTask.status == TaskStatus.closed, DelegatedTask.closed_at <= DelegatedTask.deadline),
                   count())


INDICATORS = (Indicator("delegated_on_time", N_("Delegated tasks done on time"), "%", True, on_time, (50.0, 100.0)),)
