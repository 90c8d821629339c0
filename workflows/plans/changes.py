"""Changing a plan after it was entered: editing it, deactivating it (optionally cancelling its open
occurrences) and reactivating it, each audited with what it was before and after.

Occurrences already generated keep the copy of the plan their process started with; an edit only
shapes the ones generated after it. A changed recurrence, and a reactivation, take effect on the day
they are made (``WorkPlan.recurs_from``), so the generator never fills in dates behind them.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.audit import record
from engine.clock import now
from engine.host import Host
from engine.instance_control import terminate
from rules.store import RuleStore
from workflows.i18n import N_
from workflows.people.models import User
from workflows.plans.enums import OccurrenceStatus, PlanAction
from workflows.plans.generation import local_day
from workflows.plans.models import PlanOccurrence, WorkPlan
from workflows.plans.service import PlanError, PlanInput, check, checklist_lines

RECURRENCE_FIELDS = ("recurrence", "interval", "starts_on", "until", "season_from", "season_to", "weekdays")
EDITABLE_FIELDS = ("title", "unit_id", "responsible_id", "places", "checklist", "evidence", "duration_days", *RECURRENCE_FIELDS)
FINISHED = (OccurrenceStatus.closed, OccurrenceStatus.failed, OccurrenceStatus.cancelled)
REASON_MAX = 500


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _actor_label(user: User) -> str:
    return f"{user.username}#{user.id}"


def _today(session: Session, store: RuleStore, plan: WorkPlan) -> date:
    return local_day(store.book(session, plan.school_id), now())


def edit_plan(session: Session, store: RuleStore, *, plan: WorkPlan, entry: PlanInput, by: User) -> dict[str, tuple]:
    """Apply ``entry`` to ``plan``; return the changed fields as ``{name: (before, after)}``. The checklist's links to
    standard items come from its lines' ``[code number]`` (``checklist_standards`` changes with them)."""
    check(session, plan.school_id, entry)
    checklist, standards = checklist_lines(session, plan.school_id, entry.checklist)
    after = {"title": entry.title.strip(), "unit_id": entry.unit_id, "responsible_id": entry.responsible_id,
             "places": [p for p in entry.places if p], "checklist": checklist, "checklist_standards": standards,
             "evidence": list(entry.evidence), "duration_days": entry.duration_days,
             **{name: getattr(entry, name) for name in RECURRENCE_FIELDS if name != "weekdays"},
             "weekdays": sorted(set(entry.weekdays))}  # in one order without repeats, so a reordering is no change
    changed = {name: (getattr(plan, name), value) for name, value in after.items() if getattr(plan, name) != value}
    if not changed:
        return changed
    for name, (_before, value) in changed.items():
        setattr(plan, name, value)
    if changed.keys() & set(RECURRENCE_FIELDS):
        plan.recurs_from = max(plan.recurs_from or date.min, _today(session, store, plan))
    record(session, action=PlanAction.edited, actor=_actor_label(by), details={
        "school_id": plan.school_id, "plan_id": plan.id,
        "before": {name: _plain(before) for name, (before, _after) in changed.items()},
        "after": {name: _plain(value) for name, (_before, value) in changed.items()},
        "recurs_from": _plain(plan.recurs_from)})
    return changed


def open_occurrences(session: Session, plan: WorkPlan) -> list[PlanOccurrence]:
    return list(session.scalars(select(PlanOccurrence).where(PlanOccurrence.plan_id == plan.id,
                                                             PlanOccurrence.status.not_in(list(FINISHED)))
                                .order_by(PlanOccurrence.occurs_on)))


def deactivate(session: Session, host: Host, *, plan: WorkPlan, by: User, actor: Actor, cancel_open: bool = False,
               reason: str = "") -> list[str]:
    """Stop generating occurrences of ``plan``; with ``cancel_open`` also end its open ones (a reason is
    then required). Returns the numbers of the cancelled occurrences."""
    reason = (reason or "").strip()[:REASON_MAX]
    if cancel_open and not reason:
        raise PlanError("reason", N_("cancelling the open occurrences needs a reason"))
    if not plan.active:
        raise PlanError("active", N_("the plan is already inactive"))
    cancelled = []
    for occ in open_occurrences(session, plan) if cancel_open else []:
        if occ.instance_id is not None:
            terminate(host, session, instance_id=occ.instance_id, actor=actor, reason=reason)
        occ.status, occ.closed_at = OccurrenceStatus.cancelled, now()
        cancelled.append(occ.number)
    plan.active = False
    record(session, action=PlanAction.deactivated, actor=_actor_label(by), details={
        "school_id": plan.school_id, "plan_id": plan.id, "before": {"active": True}, "after": {"active": False},
        "reason": reason or None, "cancelled": cancelled})
    return cancelled


def reactivate(session: Session, store: RuleStore, *, plan: WorkPlan, by: User) -> None:
    """Generate occurrences of ``plan`` again, from today on (none for the days it was inactive)."""
    if plan.active:
        raise PlanError("active", N_("the plan is already active"))
    plan.active = True
    plan.recurs_from = max(plan.recurs_from or date.min, _today(session, store, plan))
    record(session, action=PlanAction.reactivated, actor=_actor_label(by), details={
        "school_id": plan.school_id, "plan_id": plan.id, "before": {"active": False}, "after": {"active": True},
        "recurs_from": plan.recurs_from.isoformat()})
