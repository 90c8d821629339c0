"""Claim, release and reassign open tasks: changes to the projection row, each audited.

These never touch workflow state, so they need no instance lock; the completing advance re-checks
the row under the lock anyway.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.advance import may_complete
from engine.audit import record
from engine.errors import NotAllowed, TaskNotReady
from engine.host import Actor
from engine.models import HumanTask, ProcessInstance


def _open_row(session: Session, task_id: str) -> HumanTask:
    row = session.get(HumanTask, task_id, with_for_update=session.get_bind().dialect.name != "sqlite")
    if row is None:
        raise TaskNotReady(f"task {task_id} is no longer open")
    return row


def _audit(session: Session, row: HumanTask, action: str, actor: Actor, **details) -> None:
    instance = session.get(ProcessInstance, row.instance_id)
    record(session, action=action, actor=actor.label, instance=instance, task_id=row.id, task_name=row.title,
           details={k: v for k, v in details.items() if v is not None})


def claim(session: Session, *, task_id: str, actor: Actor) -> HumanTask:
    row = _open_row(session, task_id)
    if row.assignee_id == actor.id:
        return row
    if row.assignee_id is not None or not may_complete(actor, row):
        raise NotAllowed(f"{actor.label} may not claim task {row.title!r}")
    row.assignee_id = actor.id
    _audit(session, row, "task.claimed", actor)
    return row


def release(session: Session, *, task_id: str, actor: Actor) -> HumanTask:
    row = _open_row(session, task_id)
    if row.assignee_id != actor.id:
        raise NotAllowed(f"{actor.label} does not hold task {row.title!r}")
    row.assignee_id = None
    _audit(session, row, "task.released", actor)
    return row


def reassign(session: Session, *, task_id: str, actor: Actor, assignee_id: int, note: str | None = None,
             manager_role: str | None = None) -> HumanTask:
    """Give the task to ``assignee_id``; allowed to its current holder or to ``manager_role`` in its unit."""
    row = _open_row(session, task_id)
    holds = row.assignee_id is not None and row.assignee_id == actor.id
    manages = manager_role is not None and actor.may(manager_role, row.org_unit_id)
    if not (holds or manages):
        raise NotAllowed(f"{actor.label} may not reassign task {row.title!r}")
    previous, row.assignee_id = row.assignee_id, assignee_id
    _audit(session, row, "task.reassigned", actor, from_user=previous, to_user=assignee_id, note=note)
    return row
