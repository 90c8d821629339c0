"""What the plan pages show: the calendar (generated occurrences in the state they are in, and the dates still
to come), the plan list, an occurrence with its evidence and timeline, and the choices the plan form offers."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from engine.models import HumanTask
from workflows.colours import Colour
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.plans.enums import OccurrenceState, OccurrenceStatus
from workflows.plans.models import PlanOccurrence, WorkPlan
from workflows.plans.recurrence import dates_between

_SETTLED = {OccurrenceStatus.under_review: OccurrenceState.under_review,
            OccurrenceStatus.rectifying: OccurrenceState.rectifying, OccurrenceStatus.closed: OccurrenceState.completed,
            OccurrenceStatus.failed: OccurrenceState.failed, OccurrenceStatus.cancelled: OccurrenceState.cancelled}


def state(occ: PlanOccurrence, at: datetime) -> OccurrenceState:
    """What ``occ`` is at ``at``: carried out, evaluated or cancelled as stored; otherwise not started, in
    progress, or overdue once its due time has passed undone."""
    if occ.status in _SETTLED:
        return _SETTLED[OccurrenceStatus(occ.status)]
    if at >= occ.due_at:
        return OccurrenceState.overdue
    return OccurrenceState.in_progress if at >= occ.starts_at else OccurrenceState.not_started


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    plan_id: int
    title: str
    state: OccurrenceState
    colour: str
    number: str | None = None


def plans_query(*, school_id: int, unit_id: int | None = None, recurrence: str | None = None,
                active: bool | None = None) -> Select[Any]:
    """The school's plans, optionally of one unit, recurrence or activity, by start date (the page and the API)."""
    stmt = select(WorkPlan).where(WorkPlan.school_id == school_id).order_by(WorkPlan.starts_on, WorkPlan.id)
    if unit_id:
        stmt = stmt.where(WorkPlan.unit_id == unit_id)
    if recurrence:
        stmt = stmt.where(WorkPlan.recurrence == recurrence)
    if active is not None:
        stmt = stmt.where(WorkPlan.active.is_(active))
    return stmt


def plans(session: Session, *, school_id: int, unit_id: int | None = None, recurrence: str | None = None,
          active: bool | None = None) -> list[WorkPlan]:
    return list(session.scalars(plans_query(school_id=school_id, unit_id=unit_id, recurrence=recurrence, active=active)))


def occurrences_query(*, school_id: int, plan_id: int) -> Select[Any]:
    """A plan's generated occurrences, by date."""
    return (select(PlanOccurrence).where(PlanOccurrence.school_id == school_id, PlanOccurrence.plan_id == plan_id)
            .order_by(PlanOccurrence.occurs_on, PlanOccurrence.id))


def calendar(session: Session, *, school_id: int, first: date, last: date, at: datetime, today: date,
             unit_id: int | None = None) -> dict[date, list[CalendarEntry]]:
    """Entries by day from ``first`` to ``last``: each generated occurrence in its state at ``at``, and each date
    from ``today`` (the school's) on of an active plan whose occurrence is not generated yet. A past date with no
    occurrence (before the plan was entered) is no entry: nothing was due then."""
    chosen = plans(session, school_id=school_id, unit_id=unit_id)
    by_day: dict[date, list[CalendarEntry]] = {}
    occurrences = session.scalars(select(PlanOccurrence).where(
        PlanOccurrence.plan_id.in_([p.id for p in chosen]), PlanOccurrence.occurs_on.between(first, last)))
    seen = set()
    for occ in occurrences:
        seen.add((occ.plan_id, occ.occurs_on))
        by_day.setdefault(occ.occurs_on, []).append(CalendarEntry(occ.occurs_on, occ.plan_id, occ.plan.title,
                                                                  state(occ, at), occ.colour, occ.number))
    for plan in chosen:
        if not plan.active:
            continue
        for day in dates_between(plan, max(first, today), last):
            if (plan.id, day) not in seen:
                by_day.setdefault(day, []).append(CalendarEntry(day, plan.id, plan.title, OccurrenceState.not_generated,
                                                                Colour.none))
    return by_day


def occurrence(session: Session, *, school_id: int, number: str) -> PlanOccurrence | None:
    return session.scalar(select(PlanOccurrence).where(PlanOccurrence.school_id == school_id, PlanOccurrence.number == number))


def open_tasks(session: Session, occ: PlanOccurrence) -> list[HumanTask]:
    return list(session.scalars(select(HumanTask).where(HumanTask.business_key == occ.number,
                                                        HumanTask.school_id == occ.school_id).order_by(HumanTask.created_at)))


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i}
    return {i: name for i, name in session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))} if ids else {}


def unit_names(session: Session, *, school_id: int) -> dict[int, str]:
    return {i: name for i, name in session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.school_id == school_id))}


def unit_choices(session: Session, *, school_id: int) -> list[tuple[int, str]]:
    """Service units and teams a plan or task may belong to."""
    rows = session.execute(select(OrgUnit.id, OrgUnit.name).where(
        OrgUnit.school_id == school_id, OrgUnit.kind.in_([UnitKind.service_unit, UnitKind.team, UnitKind.department]))
        .order_by(OrgUnit.id))
    return [(unit_id, name) for unit_id, name in rows]


def evidence_of(occ: PlanOccurrence) -> list[dict[str, Any]]:
    """Uploaded evidence, photos first."""
    return sorted(occ.evidence, key=lambda item: item.get("type") != "image/jpeg")


def is_stored_evidence(occ: PlanOccurrence, stored: str) -> dict[str, Any] | None:
    return next((item for item in occ.evidence if item.get("stored") == stored), None)
