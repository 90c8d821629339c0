"""Claim, release and reassign open tasks: changes to the projection row, each audited.

These never touch workflow state, so they need no instance lock; the completing advance re-checks
the row under the lock anyway. Each asks the one :class:`~engine.policy.TaskPolicy` it is given.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.audit import record
from engine.audit_actions import AuditAction
from engine.db import get_locked
from engine.errors import NotAllowed, TaskNotReady
from engine.models import HumanTask, ProcessInstance
from engine.policy import TaskPolicy


def _open_row(session: Session, task_id: str) -> HumanTask:
    row = get_locked(session, HumanTask, task_id)
    if row is None:
        raise TaskNotReady(f"task {task_id} is no longer open")
    return row


def _audit(session: Session, row: HumanTask, action: str, actor: Actor, **details: Any) -> None:
    instance = session.get(ProcessInstance, row.instance_id)
    record(session, action=action, actor=actor.label, instance=instance, task_id=row.id, task_name=row.title,
           details={k: v for k, v in details.items() if v is not None})


def claim(session: Session, *, task_id: str, actor: Actor, policy: TaskPolicy) -> HumanTask:
    row = _open_row(session, task_id)
    if row.assignee_id == actor.id and actor.in_school(row.school_id):
        return row
    if not policy.rights(actor, row).claim:
        raise NotAllowed(f"{actor.label} may not claim task {row.title!r}")
    row.assignee_id = actor.id
    _audit(session, row, AuditAction.TASK_CLAIMED, actor)
    return row


def release(session: Session, *, task_id: str, actor: Actor, policy: TaskPolicy) -> HumanTask:
    row = _open_row(session, task_id)
    if not policy.rights(actor, row).release:
        raise NotAllowed(f"{actor.label} may not give task {row.title!r} back")
    row.assignee_id = None
    _audit(session, row, AuditAction.TASK_RELEASED, actor)
    return row


def reassign(session: Session, *, task_id: str, actor: Actor, assignee_id: int, policy: TaskPolicy,
             note: str | None = None) -> HumanTask:
    """Give the task to ``assignee_id``; allowed to its holder, a manager of its unit or an administrator of its school."""
    row = _open_row(session, task_id)
    if not policy.rights(actor, row).reassign:
        raise NotAllowed(f"{actor.label} may not reassign task {row.title!r}")
    previous, row.assignee_id = row.assignee_id, assignee_id
    _audit(session, row, AuditAction.TASK_REASSIGNED, actor, from_user=previous, to_user=assignee_id, note=note)
    return row
