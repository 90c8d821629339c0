"""Scheduled rounds: a checklist walked at a place on a work-plan recurrence. The periodic job plans each date's
round once (the round's schedule and date are unique together, so two runs never plan it twice)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import audit
from engine.clock import now
from engine.db import get_locked
from rules.book import RuleBook
from rules.store import RuleStore
from workflows.adminlog import record_change
from workflows.catalogue.models import Building
from workflows.i18n import N_
from workflows.inspections.enums import InspectionAction, RoundKind, RoundStatus
from workflows.inspections.models import InspectionRound, InspectionSchedule, InspectionTemplate
from workflows.inspections.rounds import RoundError, is_inspector
from workflows.people.models import OrgUnit, User
from workflows.plans.enums import Recurrence
from workflows.plans.generation import generate


@dataclass(frozen=True)
class ScheduleEntry:
    template_id: int
    building_id: int
    unit_id: int
    inspector_id: int
    recurrence: str
    starts_on: date
    interval: int = 1
    weekdays: list[int] = field(default_factory=list)
    until: date | None = None


def create_schedule(session: Session, book: RuleBook, *, school_id: int, entry: ScheduleEntry, actor: str) -> InspectionSchedule:
    """A schedule of the school's checklist, place, unit and inspector; RoundError (nothing saved) otherwise."""
    found = {"template_id": session.get(InspectionTemplate, entry.template_id),
             "building_id": session.get(Building, entry.building_id), "unit_id": session.get(OrgUnit, entry.unit_id)}
    for name, row in found.items():
        if row is None or row.school_id != school_id:
            raise RoundError(name, N_("not of this school"))
    inspector = session.get(User, entry.inspector_id)
    if inspector is None or inspector.school_id != school_id or not is_inspector(book, inspector):
        raise RoundError("inspector_id", N_("not an inspector of this school"))
    if entry.recurrence not in set(Recurrence) or entry.recurrence == Recurrence.seasonal:
        raise RoundError("recurrence", N_("unknown recurrence"))
    if not 1 <= entry.interval <= 52:
        raise RoundError("interval", N_("interval out of range"))
    if entry.until is not None and entry.until < entry.starts_on:
        raise RoundError("until", N_("ends before it starts"))
    schedule = InspectionSchedule(school_id=school_id, template_id=entry.template_id, building_id=entry.building_id,
                                  unit_id=entry.unit_id, inspector_id=entry.inspector_id, recurrence=entry.recurrence,
                                  interval=entry.interval, weekdays=sorted(set(entry.weekdays)),
                                  starts_on=entry.starts_on, until=entry.until, created_at=now())
    session.add(schedule)
    session.flush()
    record_change(session, actor=actor, action=InspectionAction.schedule_created, school_id=school_id,
                  target=f"inspection_schedule:{schedule.id}",
                  after={"template_id": entry.template_id, "building_id": entry.building_id, "unit_id": entry.unit_id,
                         "inspector_id": entry.inspector_id, "recurrence": entry.recurrence,
                         "starts_on": entry.starts_on.isoformat()})
    return schedule


def stop_schedule(session: Session, *, school_id: int, schedule_id: int, actor: str) -> InspectionSchedule:
    """Plan no more rounds of the school's schedule (rounds planned already stay to be walked); RoundError otherwise."""
    found = session.scalar(select(InspectionSchedule.id).where(InspectionSchedule.id == schedule_id,
                                                               InspectionSchedule.school_id == school_id))
    schedule = get_locked(session, InspectionSchedule, found) if found is not None else None
    if schedule is None:
        raise RoundError("schedule", N_("no such schedule"))
    if schedule.active:
        schedule.active = False
        record_change(session, actor=actor, action=InspectionAction.schedule_stopped, school_id=school_id,
                      target=f"inspection_schedule:{schedule.id}", before={"active": True}, after={"active": False})
    return schedule


def _plan(session: Session, schedule: InspectionSchedule, day: date) -> InspectionRound | None:
    """The schedule's round on ``day``; None when it exists already (planned by an earlier or concurrent run)."""
    row = InspectionRound(school_id=schedule.school_id, number=f"XC{schedule.id:05d}-{day:%Y%m%d}",
                          kind=RoundKind.scheduled, status=RoundStatus.planned, template_id=schedule.template_id,
                          schedule_id=schedule.id, building_id=schedule.building_id, unit_id=schedule.unit_id,
                          inspector_id=schedule.inspector_id, planned_on=day, created_at=now())
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    audit.record(session, action=InspectionAction.round_planned, actor="system", school_id=row.school_id,
                 business_key=row.number, details={"planned_on": day.isoformat(), "schedule_id": schedule.id})
    return row


def plan_rounds(session: Session, store: RuleStore, at: datetime | None = None) -> int:
    """Plan every scheduled round from the schedule's start up to the look-ahead that is not planned yet, as the
    work plans' generator does; return how many were planned."""
    schedules = session.scalars(select(InspectionSchedule).where(InspectionSchedule.active.is_(True))
                                .order_by(InspectionSchedule.id)).all()
    return generate(session, store, schedules, ahead="inspections.generate.ahead_for", made_by=InspectionRound.schedule_id,
                    made_on=InspectionRound.planned_on, at=at or now(),
                    make=lambda _book, schedule, day: _plan(session, schedule, day))
