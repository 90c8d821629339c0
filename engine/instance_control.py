"""An administrator's hand on one instance: suspend, resume, terminate, retry an errored task.

Each action takes the instance lock, needs a reason and leaves an audit row with it. A suspended
instance keeps its state but has no open tasks and no wake-ups until it is resumed; resuming runs
whatever fell due meanwhile. Terminating cancels every task. Retrying first merges corrected data
into the errored task, then runs it again.
"""
from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete
from sqlalchemy.orm import Session

from engine import advance
from engine.actor import Actor
from engine.audit import record
from engine.audit_actions import AuditAction
from engine.clock import now
from engine.errors import EngineError, TaskNotReady
from engine.host import Host
from engine.models import HumanTask, ProcessInstance
from engine.statuses import InstanceStatus
from engine.task_scan import tasks_in

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow


class Refused(StrEnum):
    """Which rule refused an action, so that a page can word the refusal in its reader's language."""

    NO_REASON = "no_reason"
    NOT_SUSPENDABLE = "not_suspendable"  # neither running nor in error
    NOT_SUSPENDED = "not_suspended"
    ENDED = "ended"  # completed or terminated already
    SUSPENDED = "suspended"  # a task is retried on a suspended instance
    NOT_IN_ERROR = "not_in_error"
    STEP_IN_ERROR = "step_in_error"  # the whole instance is run again while one step is in error


class ActionRefused(EngineError):
    """An action the instance's state does not allow; ``why`` names the rule, the message words it for logs."""

    code = "action_refused"

    def __init__(self, why: Refused, message: str):
        super().__init__(message)
        self.why = why


def _uuid(task_id: str) -> UUID:
    try:
        return UUID(task_id)
    except ValueError:
        raise TaskNotReady(f"task {task_id!r} does not exist") from None


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(Refused.NO_REASON, "a reason is required")
    return reason[:500]


def suspend(host: Host, session: Session, *, instance_id: int, actor: Actor, reason: str) -> ProcessInstance:
    reason = _require_reason(reason)

    def change(instance: ProcessInstance, workflow: BpmnWorkflow) -> bool:
        if instance.status not in (InstanceStatus.RUNNING, InstanceStatus.ERROR):
            raise ActionRefused(Refused.NOT_SUSPENDABLE, f"an instance that is {instance.status} cannot be suspended")
        instance.status, instance.next_wake_at, instance.wake_enqueued_for = InstanceStatus.SUSPENDED, None, None
        session.execute(delete(HumanTask).where(HumanTask.instance_id == instance.id))
        record(session, action=AuditAction.INSTANCE_SUSPENDED, actor=actor.label, instance=instance, details={"reason": reason})
        return False  # the workflow itself does not change: nothing to run or save

    advance.modify(host, session, instance_id=instance_id, actor=actor, change=change)
    instance = session.get_one(ProcessInstance, instance_id)
    session.flush()
    return instance


def resume(host: Host, session: Session, *, instance_id: int, actor: Actor, reason: str) -> ProcessInstance:
    reason = _require_reason(reason)

    def change(instance: ProcessInstance, workflow: BpmnWorkflow) -> bool:
        if instance.status != InstanceStatus.SUSPENDED:
            raise ActionRefused(Refused.NOT_SUSPENDED, f"an instance that is {instance.status} cannot be resumed")
        record(session, action=AuditAction.INSTANCE_RESUMED, actor=actor.label, instance=instance, details={"reason": reason})
        return True

    advance.modify(host, session, instance_id=instance_id, actor=actor, change=change)
    return session.get_one(ProcessInstance, instance_id)


def terminate(host: Host, session: Session, *, instance_id: int, actor: Actor, reason: str) -> ProcessInstance:
    reason = _require_reason(reason)

    def change(instance: ProcessInstance, workflow: BpmnWorkflow) -> bool:
        if instance.status in (InstanceStatus.COMPLETED, InstanceStatus.TERMINATED):
            raise ActionRefused(Refused.ENDED, f"an instance that is {instance.status} cannot be terminated")
        workflow.cancel()
        record(session, action=AuditAction.INSTANCE_TERMINATED, actor=actor.label, instance=instance, details={"reason": reason})
        return True

    advance.modify(host, session, instance_id=instance_id, actor=actor, change=change)
    instance = session.get_one(ProcessInstance, instance_id)
    instance.status, instance.next_wake_at, instance.ended_at = InstanceStatus.TERMINATED, None, instance.ended_at or now()
    session.flush()
    return instance


def retry(host: Host, session: Session, *, instance_id: int, task_id: str, actor: Actor, reason: str,
          data: dict[str, Any] | None = None) -> ProcessInstance:
    """Merge ``data`` into the errored task ``task_id`` and run it again."""
    reason = _require_reason(reason)

    def change(instance: ProcessInstance, workflow: BpmnWorkflow) -> bool:
        if instance.status == InstanceStatus.SUSPENDED:
            raise ActionRefused(Refused.SUSPENDED, "resume the instance before retrying a task")
        task = workflow.get_task_from_id(_uuid(task_id))
        if task is None or task.state != TaskState.ERROR:
            raise TaskNotReady(f"task {task_id} is not in error")
        task.data.update(data or {})
        task._set_state(TaskState.READY)  # the library offers no public retry; this is its documented path
        record(session, action=AuditAction.TASK_RETRIED, actor=actor.label, instance=instance, task_id=task_id,
               task_name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
               details={"reason": reason, "data": sorted((data or {}).keys())})
        return True

    advance.modify(host, session, instance_id=instance_id, actor=actor, change=change)
    return session.get_one(ProcessInstance, instance_id)


def rerun(host: Host, session: Session, *, instance_id: int, actor: Actor, reason: str) -> ProcessInstance:
    """Run an errored instance again when no single step failed (a timer expression that could not be read, data
    that outgrew its budget): the cause may have been repaired since (a rule, a diagram helper, a migration)."""
    reason = _require_reason(reason)

    def change(instance: ProcessInstance, workflow: BpmnWorkflow) -> bool:
        if instance.status != InstanceStatus.ERROR:
            raise ActionRefused(Refused.NOT_IN_ERROR, "only an instance in error can be run again")
        if next(tasks_in(workflow, TaskState.ERROR), None) is not None:  # as the advance decides ERROR
            raise ActionRefused(Refused.STEP_IN_ERROR, "retry the step in error instead")
        record(session, action=AuditAction.TASK_RETRIED, actor=actor.label, instance=instance,
               details={"reason": reason, "error": (instance.error or "")[:500]})
        return True

    advance.modify(host, session, instance_id=instance_id, actor=actor, change=change)
    return session.get_one(ProcessInstance, instance_id)
