"""Assigning tasks, taking a task assigned to a unit, splitting them into sub-tasks, and progress reports.

Each task (and each sub-task, at any depth) is its own ``delegated_task`` process instance; the
tree lives in ``delegated_task.parent_id``. A sub-task is assigned by the parent's assignee and may
not end later than its parent. A task assigned to a unit has no assignee until a holder of the unit
role takes its carry-out step (from its page or the inbox): the task's assignee follows whoever holds
that step, so they can report and split at once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.advance import start
from engine.assignment import claim
from engine.audit import record
from engine.clock import now
from engine.host import Host
from engine.models import HumanTask, ProcessInstance
from workflows.delegation.enums import DelegationAction, Priority, TaskStatus
from workflows.delegation.models import DelegatedTask, ProgressReport
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.numbering import day_number, store_numbered
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.permissions import TASK_POLICY

PROCESS_KEY = "delegated_task"
CARRY_OUT = "carry_out"  # the diagram's step where the assignee works on the task
LEADER_ROLES = {Role.deputy_leader, Role.main_leader, Role.school_leader, Role.admin}


class TaskError(FieldError):
    """The task cannot be assigned or reported; ``field`` names the input at fault."""


@dataclass(frozen=True)
class Assignment:
    title: str
    deadline: datetime
    assignee_id: int | None = None
    unit_id: int | None = None
    description: str = ""
    acceptance_criteria: str = ""
    priority: str = Priority.normal
    attachments: list[dict] = field(default_factory=list)


def _check(session: Session, school_id: int, entry: Assignment, parent: DelegatedTask | None) -> None:
    if not entry.title.strip():
        raise TaskError("title", N_("a task needs a title"))
    if entry.priority not in set(Priority):
        raise TaskError("priority", N_("unknown priority"))
    if entry.assignee_id is None and entry.unit_id is None:
        raise TaskError("assignee_id", N_("assign the task to a person or a unit"))
    if entry.assignee_id is not None:
        person = session.get(User, entry.assignee_id)
        if person is None or person.school_id != school_id or not person.active:
            raise TaskError("assignee_id", N_("unknown assignee"))
    if entry.unit_id is not None:
        unit = session.get(OrgUnit, entry.unit_id)
        if unit is None or unit.school_id != school_id:
            raise TaskError("unit_id", N_("unknown unit"))
    if entry.deadline <= now():
        raise TaskError("deadline", N_("the deadline must be in the future"))
    if parent is not None and entry.deadline > parent.deadline:
        raise TaskError("deadline", N_("a sub-task cannot end later than its parent task"))


def _next_number(session: Session, school_id: int) -> str:
    """RW + the school's today + the day's running count; numbers are unique across schools."""
    return day_number(session, DelegatedTask, letters="RW", school_id=school_id, per_school=False)


def assign(session: Session, host: Host, *, school_id: int, assigner: User, entry: Assignment,
           parent: DelegatedTask | None = None) -> DelegatedTask:
    """Store the task and start its process. Sub-tasks come from :func:`split`."""
    _check(session, school_id, entry, parent)
    task = DelegatedTask(school_id=school_id, parent_id=parent.id if parent else None,
                         title=entry.title.strip(), description=entry.description, acceptance_criteria=entry.acceptance_criteria,
                         priority=entry.priority, deadline=entry.deadline, assigner_id=assigner.id,
                         assignee_id=entry.assignee_id, unit_id=entry.unit_id, attachments=list(entry.attachments),
                         created_at=now())
    store_numbered(session, task, lambda: _next_number(session, school_id))
    instance = start(host, session, process_key=PROCESS_KEY, business_key=task.number, school_id=school_id, data={
        "task_id": task.id, "number": task.number, "title": task.title, "assigner_id": assigner.id,
        "assignee_id": task.assignee_id, "unit_id": task.unit_id, "deadline": task.deadline.isoformat(),
        "acceptance_criteria": task.acceptance_criteria,
    })
    task.instance_id = instance.id
    return task


def may_work_on(user: User, task: DelegatedTask) -> bool:
    """The assignee works on (reports, splits) a task that is still with them."""
    return task.assignee_id == user.id and task.status in (TaskStatus.open, TaskStatus.sent_back)


def carry_out_step(session: Session, task: DelegatedTask) -> HumanTask | None:
    """The open carry-out step of ``task``'s process, if the task is being worked on."""
    return session.scalar(select(HumanTask).where(HumanTask.instance_id == task.instance_id, HumanTask.task_name == CARRY_OUT))


def may_take(session: Session, actor: Actor, task: DelegatedTask) -> bool:
    """A holder of the unit role may take a unit's task nobody holds yet."""
    row = carry_out_step(session, task) if task.assignee_id is None else None
    return row is not None and row.assignee_id is None and TASK_POLICY.may_complete(actor, row)


def follow_holder(session: Session, row: HumanTask, actor: Actor) -> None:
    """After the carry-out step of a delegated task was taken, given back or handed over, the task's
    assignee is whoever holds the step now (nobody: the unit again)."""
    if row.process_key != PROCESS_KEY or row.task_name != CARRY_OUT:
        return
    task = session.scalar(select(DelegatedTask).where(DelegatedTask.instance_id == row.instance_id))
    if task is None or task.assignee_id == row.assignee_id:
        return
    before, task.assignee_id = task.assignee_id, row.assignee_id
    record(session, action=DelegationAction.holder_changed, actor=actor.label, instance=session.get(ProcessInstance, row.instance_id),
           details={"before": {"assignee_id": before}, "after": {"assignee_id": task.assignee_id}})


def take(session: Session, *, task: DelegatedTask, actor: Actor) -> DelegatedTask:
    """``actor`` takes a task assigned to their unit and becomes its assignee."""
    row = carry_out_step(session, task)
    if row is None or task.assignee_id is not None or row.assignee_id is not None:
        raise TaskError("task", N_("this task is not waiting for someone of its unit to take it"))
    claim(session, task_id=row.id, actor=actor, policy=TASK_POLICY)  # NotAllowed unless the actor holds the unit role
    follow_holder(session, row, actor)
    return task


def split(session: Session, host: Host, *, parent: DelegatedTask, by: User, entry: Assignment) -> DelegatedTask:
    """Delegate part of ``parent`` further down, as a sub-task assigned by ``parent``'s assignee."""
    if not may_work_on(by, parent):
        raise TaskError("parent", N_("only the assignee of an open task can split it"))
    return assign(session, host, school_id=parent.school_id, assigner=by, entry=entry, parent=parent)


def report(session: Session, *, task: DelegatedTask, by: User, percent: int, note: str = "",
           evidence: Sequence[dict] = ()) -> ProgressReport:
    """Record a progress report on an open task (its assignee only)."""
    if not may_work_on(by, task):
        raise TaskError("task", N_("only the assignee of an open task can report on it"))
    if not 0 <= percent <= 100:
        raise TaskError("percent", N_("progress is a percentage from 0 to 100"))
    row = ProgressReport(school_id=task.school_id, task_id=task.id, percent=percent, note=note.strip(),
                         evidence=list(evidence), reported_by_id=by.id, created_at=now())
    session.add(row)
    task.progress, task.last_report_at = percent, row.created_at
    record(session, action=DelegationAction.reported, actor=f"{by.username}#{by.id}",
           instance=session.get(ProcessInstance, task.instance_id), details={"percent": percent, "note": row.note})
    return row
