"""Move running instances to another version of their process, after a dry run that says which can move.

Safety is read from each instance's real task tree (the library's ``diff_workflow`` aligns its tasks with
the target version by BPMN id): an instance can move when no element it has already run, or is running,
was changed or removed, and no subprocess it is inside was dropped. Waiting and ready tasks whose element
changed are reset so they pick up the new definition (their timers re-arm); other timers keep their due
times. Each move happens under the instance lock and is audited.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from SpiffWorkflow.bpmn.util.diff import diff_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine import advance
from engine.actor import Actor
from engine.audit import record
from engine.audit_actions import AuditAction
from engine.errors import EngineError
from engine.host import Host
from engine.models import HumanTask, ProcessDefinition, ProcessInstance
from engine.serializer import spec_registry
from engine.statuses import InstanceStatus

if TYPE_CHECKING:
    from uuid import UUID

    from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
    from SpiffWorkflow.bpmn.util.diff import WorkflowDiff
    from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.task import Task

    from engine.deployments import ParsedBundle

FINISHED = (InstanceStatus.COMPLETED, InstanceStatus.TERMINATED)
RAN = TaskState.COMPLETED | TaskState.STARTED | TaskState.ERROR
HELD = RAN | TaskState.READY | TaskState.WAITING | TaskState.FUTURE


class MigrationRefused(EngineError):
    code = "migration_refused"


@dataclass(frozen=True)
class MoveCheck:
    """Whether one instance may move to the target version, and why not."""

    instance_id: int
    business_key: str | None
    from_version: int
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def safe(self) -> bool:
        return not self.reasons


def _label(task: Task) -> str:
    spec = task.task_spec
    return f"{spec.bpmn_id} ({spec.bpmn_name})" if getattr(spec, "bpmn_name", None) else str(spec.bpmn_id or spec.name)


def _conflicts(workflow_diff: WorkflowDiff) -> list[str]:
    reasons = []
    for task in workflow_diff.removed:
        if task.state & HELD and getattr(task.task_spec, "bpmn_id", None):
            reasons.append(f"{_label(task)} is {TaskState.get_name(task.state).lower()} but no longer exists")
    for task in workflow_diff.changed:
        if task.state & RAN and getattr(task.task_spec, "bpmn_id", None):
            reasons.append(f"{_label(task)} already ran ({TaskState.get_name(task.state).lower()}) and was changed")
    return reasons


def _diffs(host: Host, workflow: BpmnWorkflow,
           target: ProcessDefinition) -> tuple[ParsedBundle, WorkflowDiff, dict[UUID, WorkflowDiff | None]]:
    bundle = host.specs.get(target)
    top, subprocesses = diff_workflow(spec_registry(), workflow, bundle.spec, bundle.subprocess_specs)
    return bundle, top, subprocesses


def _reasons(host: Host, instance: ProcessInstance, workflow: BpmnWorkflow, target: ProcessDefinition) -> list[str]:
    if instance.definition_id == target.id:
        return [f"already on version {target.version}"]
    if instance.status in FINISHED:
        return [f"the instance is {instance.status}"]
    if target.school_id is not None and instance.school_id != target.school_id:
        return [f"version {target.version} belongs to another school"]
    _, top, subprocesses = _diffs(host, workflow, target)
    reasons = _conflicts(top)
    for sp_id, sp_diff in subprocesses.items():
        if sp_diff is None:
            reasons.append(f"subprocess {workflow.subprocesses[sp_id].spec.name} no longer exists")
        else:
            reasons.extend(_conflicts(sp_diff))
    return sorted(set(reasons))


def dry_run(host: Host, session: Session, *, target: ProcessDefinition, instance_ids: list[int] | None = None,
            school_id: int | None = None) -> list[MoveCheck]:
    """Check every unfinished instance of the target's process (or just ``instance_ids``), of ``school_id`` only when
    given; an instance the target version does not belong to (another school's version) is never offered.
    Nothing is changed."""
    stmt = select(ProcessInstance).where(ProcessInstance.process_key == target.process_key,
                                         ProcessInstance.definition_id != target.id)
    if school_id is not None:
        stmt = stmt.where(ProcessInstance.school_id == school_id)
    if target.school_id is not None:
        stmt = stmt.where(ProcessInstance.school_id == target.school_id)
    stmt = stmt.where(ProcessInstance.id.in_(instance_ids)) if instance_ids is not None else stmt.where(
        ProcessInstance.status.notin_(FINISHED))
    versions = dict(session.execute(select(ProcessDefinition.id, ProcessDefinition.version)
                                    .where(ProcessDefinition.process_key == target.process_key)).all())
    checks = []
    for instance in session.scalars(stmt.order_by(ProcessInstance.id)):
        reasons = _reasons(host, instance, advance.load_workflow(host, instance), target)
        checks.append(MoveCheck(instance.id, instance.business_key, versions.get(instance.definition_id, 0), tuple(reasons)))
    return checks


def _apply(workflow_diff: WorkflowDiff, workflow: BpmnWorkflow | BpmnSubWorkflow, spec: BpmnProcessSpec) -> list[str]:
    """Point the tree at ``spec``; reset ready/waiting tasks whose element changed; return their ids."""
    workflow.spec = spec
    for task in workflow.tasks.values():
        aligned = workflow_diff.alignment.get(task)
        if aligned is not None:
            task.task_spec = aligned
    reset = []
    for task in workflow_diff.changed:
        if task.id in workflow.tasks and task.state & (TaskState.READY | TaskState.WAITING):
            task.reset_branch(None)
            reset.append(str(task.id))
    if workflow.last_task not in workflow.tasks.values():
        workflow.last_task = None
    return reset


def migrate(host: Host, session: Session, *, instance_id: int, target: ProcessDefinition, actor: Actor,
            reason: str | None = None) -> ProcessInstance:
    """Move one instance to ``target``; raises :class:`MigrationRefused` (nothing changed) if it is not safe."""

    def change(instance: ProcessInstance, workflow: BpmnWorkflow) -> bool:
        if instance.process_key != target.process_key:
            raise MigrationRefused(f"instance {instance.id} runs {instance.process_key}, not {target.process_key}")
        reasons = _reasons(host, instance, workflow, target)
        if reasons:
            raise MigrationRefused(f"instance {instance.id} cannot move: " + "; ".join(reasons))
        bundle, top, subprocesses = _diffs(host, workflow, target)
        from_id = instance.definition_id
        reset = _apply(top, workflow, bundle.spec)
        workflow.subprocess_specs = bundle.subprocess_specs
        for sp_id, sp_diff in subprocesses.items():
            sub = workflow.subprocesses[sp_id]
            reset += _apply(sp_diff, sub, bundle.subprocess_specs[sub.spec.name])
        if reset:  # their projection rows describe the old element: rebuild them
            session.execute(delete(HumanTask).where(HumanTask.id.in_(reset)))
        instance.definition_id, instance.definition = target.id, target
        record(session, action=AuditAction.INSTANCE_MIGRATED, actor=actor.label, instance=instance,
               details={"from_definition": from_id, "to_version": target.version, "reset_tasks": len(reset),
                        "reason": reason})
        return True

    advance.modify(host, session, instance_id=instance_id, actor=actor, change=change)
    return session.get_one(ProcessInstance, instance_id)
