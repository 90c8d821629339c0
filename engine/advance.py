"""The one advance routine: every state change of an instance goes through here.

load under a row lock → (start | complete a task | wake timers | deliver an event) → run the
engine until it waits → save state, human-task projection, audit events and outbox rows in the
caller's transaction → hand thrown events and outbox sends to the dispatcher after commit.

PostgreSQL takes ``SELECT … FOR UPDATE`` (``SKIP LOCKED`` on the background path); SQLite
serialises writers with ``BEGIN IMMEDIATE``; on both the version counter refuses a stale write.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased, object_session
from sqlalchemy.orm.exc import StaleDataError

from engine import aftercommit, context, outbox, projection
from engine.actor import SYSTEM, Actor
from engine.audit import data_diff, record, write_advance_rows, write_enclosing_rows
from engine.audit_actions import AuditAction
from engine.clock import now
from engine.compaction import prune_cycle_branches, prune_loop_rounds
from engine.db import locking
from engine.deployments import active_definition
from engine.errors import ConcurrentUpdate, InstanceLocked, NotAllowed, NotFound, StateTooLarge, TaskNotReady
from engine.event_json import crosses_instances, from_bpmn_event, to_bpmn_event
from engine.host import Host
from engine.models import HumanTask, ProcessInstance
from engine.script_limits import check_state_size
from engine.serializer import SERIALIZER_VERSION, dumps, loads
from engine.statuses import InstanceStatus
from engine.task_scan import tasks_in
from engine.timers import next_due, wake_instant

if TYPE_CHECKING:
    from SpiffWorkflow.task import Task

MAX_ENGINE_PASSES = 100
_T = TypeVar("_T")
HELD = (InstanceStatus.SUSPENDED, InstanceStatus.TERMINATED)  # set by engine.instance_control; nothing advances these


@dataclass(frozen=True)
class Outcome:
    instance_id: int
    status: str  # advanced | idle | locked | gone
    ready_task_ids: tuple[str, ...] = ()


def start(host: Host, session: Session, *, process_key: str, actor: Actor = SYSTEM, business_key: str | None = None,
          school_id: int | None = None, data: dict[str, Any] | None = None) -> ProcessInstance:
    """Start the active version of ``process_key`` and run it until it waits."""
    definition = active_definition(session, process_key, school_id)
    bundle = host.specs.get(definition)
    workflow = BpmnWorkflow(bundle.spec, bundle.subprocess_specs, script_engine=host.script_engine)
    workflow.task_tree.set_data(**(data or {}))
    instance = ProcessInstance(definition=definition, definition_id=definition.id, process_key=process_key,
                               business_key=business_key, school_id=school_id, status=InstanceStatus.RUNNING, state="{}",
                               serializer_version=SERIALIZER_VERSION, started_at=now(), error=None)  # known, not re-written
    session.add(instance)
    session.flush()
    _run_and_save(host, session, instance, workflow, actor, task_rows={}, cause=Cause(
        AuditAction.INSTANCE_STARTED, details={"process_key": process_key, "version": definition.version}))
    return instance


def complete_task(host: Host, session: Session, *, task_id: str, actor: Actor, data: dict[str, Any] | None = None,
                  prepare: Callable[[HumanTask], dict[str, Any]] | None = None) -> ProcessInstance:
    """Complete a READY user task as ``actor`` with submitted ``data``, or with what ``prepare(row)`` makes of the
    task's row once it is locked (a caller that checks the data against the task's form needs no read of its own).

    Raises :class:`TaskNotReady` if the task is no longer open (completed by someone else, a double submission,
    cancelled by a timer) or belongs to another school, :class:`NotAllowed` if ``actor`` may not do it.
    """
    instance, row, open_titles = _lock_task(session, task_id)
    if row is None or instance is None or not actor.in_school(row.school_id):
        raise TaskNotReady(f"task {task_id} is no longer open")
    if instance.status in HELD:
        raise TaskNotReady(f"the process of task {task_id} is {instance.status}")
    if not host.registry.task_policy.may_complete(actor, row):
        raise NotAllowed(f"{actor.label} may not complete task {row.title!r}")
    if prepare is not None:
        data = prepare(row)
    workflow = _load(host, instance)
    task = workflow.get_task_from_id(_uuid(task_id))
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReady(f"task {task_id} is no longer open")
    before = copy.deepcopy(task.data)
    task.task_spec.add_data_from_form(task, data or {})
    actor_variable = projection.properties(task.task_spec).get("recordActorAs")
    if actor_variable:
        task.data[actor_variable] = actor.id
    task.run()
    _run_and_save(host, session, instance, workflow, actor, task_rows=open_titles, cause=Cause(
        AuditAction.TASK_COMPLETED, task_id=task_id, task_name=row.title, details=data_diff(before, task.data)))
    return instance


def wake(host: Host, session: Session, *, instance_id: int, background: bool = True) -> Outcome:
    """Fire whatever timers are due on one instance; a no-op (bar recomputing the wake time) if none."""
    try:
        instance = _lock(session, instance_id, skip_locked=background)
    except NotFound:
        return Outcome(instance_id, "gone")
    except InstanceLocked:
        return Outcome(instance_id, "locked")
    if instance.status != InstanceStatus.RUNNING:
        return Outcome(instance_id, "idle")
    workflow = _load(host, instance)
    due = next_due(workflow)
    if due is None or due >= now():
        instance.next_wake_at = wake_instant(due)
        instance.wake_enqueued_for = None  # woken early: let the next sweep enqueue it again
        return Outcome(instance_id, "idle")
    created = _run_in_background(host, session, instance, workflow)
    return Outcome(instance_id, "advanced", tuple(created))


def deliver(host: Host, session: Session, *, instance_id: int, event: dict[str, Any]) -> Outcome:
    """Deliver a thrown signal or message (host format: name, kind, payload) to one instance."""
    try:
        instance = _lock(session, instance_id, skip_locked=False)
    except NotFound:
        return Outcome(instance_id, "gone")
    if instance.status in HELD:
        return Outcome(instance_id, "idle")
    workflow = _load(host, instance)
    bpmn_event = to_bpmn_event(event)
    if not workflow.get_tasks(catches_event=bpmn_event, state=TaskState.WAITING):
        return Outcome(instance_id, "idle")
    workflow.send_event(bpmn_event)
    record(session, action=AuditAction.EVENT_RECEIVED, instance=instance, details={"event": event["name"], "kind": event["kind"]})
    created = _run_in_background(host, session, instance, workflow)
    return Outcome(instance_id, "advanced", tuple(created))


def modify(host: Host, session: Session, *, instance_id: int, actor: Actor,
           change: Callable[[ProcessInstance, BpmnWorkflow], _T]) -> _T:
    """Apply ``change(instance, workflow)`` under the instance lock, then run and save as any advance.

    For host-side corrections of waiting state (re-armed timers); returns what ``change`` returns.
    """
    instance = _lock(session, instance_id, skip_locked=False)
    workflow = _load(host, instance)
    result = change(instance, workflow)
    if result:
        _run_and_save(host, session, instance, workflow, actor)
    return result


def load_workflow(host: Host, instance: ProcessInstance) -> BpmnWorkflow:
    """Read-only view of an instance's workflow (for viewers; never saved back)."""
    return _load(host, instance)


def task_data(host: Host, session: Session, row: HumanTask) -> dict[str, Any]:
    """An open task's data, read-only: for the forms that show process data (the rating a callback is about)."""
    instance = session.get(ProcessInstance, row.instance_id)
    if instance is None:
        return {}
    task = _load(host, instance).get_task_from_id(UUID(row.id))
    return dict(task.data) if task is not None else {}


# --- internals ------------------------------------------------------------------------------

def _uuid(task_id: str) -> UUID:
    try:
        return UUID(task_id)
    except ValueError as err:
        raise TaskNotReady(f"task {task_id!r} does not exist") from err


def _lock(session: Session, instance_id: int, *, skip_locked: bool) -> ProcessInstance:
    stmt = select(ProcessInstance).where(ProcessInstance.id == instance_id).execution_options(populate_existing=True)
    stmt = locking(session, stmt, skip_locked=skip_locked, of=ProcessInstance)
    instance = session.scalar(stmt)
    if instance is None:
        if skip_locked and session.scalar(select(ProcessInstance.id).where(ProcessInstance.id == instance_id)):
            raise InstanceLocked(f"instance {instance_id} is being advanced elsewhere")
        raise NotFound(f"instance {instance_id} does not exist")
    return instance


def _task_with_siblings() -> Select[ProcessInstance, HumanTask, str, str]:
    sibling = aliased(HumanTask)
    return (select(ProcessInstance, HumanTask, sibling.id, sibling.title)
            .join(HumanTask, HumanTask.instance_id == ProcessInstance.id)
            .join(sibling, sibling.instance_id == ProcessInstance.id)
            .where(HumanTask.id == bindparam("task_id")).execution_options(populate_existing=True))


# Built once: the statement with its alias and joins costs more to build than to run, on every completion.
TASK_WITH_SIBLINGS = _task_with_siblings()


def _lock_task(session: Session, task_id: str) -> tuple[ProcessInstance | None, HumanTask | None, dict[str, str]]:
    """The task's row, its instance locked, and the titles of all the instance's task rows by id, in one round trip
    (the projection compares with those after the run, so it reads nothing of its own); (None, None, {}) if the task
    is not open. A task completed by someone else while this waited for the lock is caught after loading, by its
    state."""
    found = session.execute(locking(session, TASK_WITH_SIBLINGS, of=ProcessInstance), {"task_id": task_id}).all()
    if not found:
        return None, None, {}
    return found[0][0], found[0][1], {row_id: title for _, _, row_id, title in found}


def _load(host: Host, instance: ProcessInstance) -> BpmnWorkflow:
    bundle = host.specs.by_id(object_session(instance), instance.definition_id)
    workflow = loads(instance.state, bundle.spec, bundle.subprocess_specs)
    workflow.script_engine = host.script_engine
    workflow.bpmn_events = []  # thrown and sent already; states saved by earlier releases may still hold them
    return workflow


def _run_engine(workflow: BpmnWorkflow, on_step: Callable[[Task], None]) -> None:
    """Refresh timers and run engine steps until no engine task is READY (the library has no loop)."""
    for _ in range(MAX_ENGINE_PASSES):
        workflow.refresh_timers()
        workflow.do_engine_steps(did_complete_task=on_step)
        if next(tasks_in(workflow, TaskState.READY, manual=False), None) is None:
            return
    raise WorkflowException("workflow kept producing ready engine tasks; stopped after many passes")


@dataclass(frozen=True)
class Cause:
    """What set an advance going (an instance started, a task completed), audited as the first of its rows."""

    action: AuditAction
    task_id: str | None = None
    task_name: str | None = None
    details: dict[str, Any] | None = None


def _run_and_save(host: Host, session: Session, instance: ProcessInstance, workflow: BpmnWorkflow, actor: Actor, *,
                  task_rows: dict[str, str] | None = None, cause: Cause | None = None) -> list[str]:
    """Run the engine until it waits and save everything the run changed. ``task_rows``: the titles of the instance's
    task rows by id, when the caller read them already under the lock ({} for a just-started instance); else the
    projection reads them. ``cause``: what set the advance going, recorded before anything the run does."""
    at = now()
    write_enclosing_rows(session)
    ctx = context.AdvanceContext(session=session, instance=instance, actor=actor, at=at,
                                 savepoint=session.get_nested_transaction())

    def on_step(task: Task) -> None:
        spec = task.task_spec
        if getattr(spec, "bpmn_name", None) and not spec.manual:
            record(session, action=AuditAction.STEP_COMPLETED, actor=actor.label, instance=instance,
                   task_id=str(task.id), task_name=spec.bpmn_name, details={"element": spec.bpmn_id})

    # every audit row of the advance joins ctx.audit and goes out in one insert after the flush (engine.audit)
    with context.activate(ctx):
        if cause is not None:
            record(session, action=cause.action, actor=actor.label, instance=instance, task_id=cause.task_id,
                   task_name=cause.task_name, details=cause.details)
        with session.no_autoflush:
            try:
                _run_engine(workflow, on_step)
                prune_cycle_branches(workflow)
                prune_loop_rounds(workflow)
                instance.error = None
            except Exception as err:  # any failure inside the library marks the instance, never loops the sweep
                instance.error = str(err)[:4000]
                record(session, action=AuditAction.INSTANCE_ERROR, actor=actor.label, instance=instance,
                       task_name=getattr(getattr(getattr(err, "task", None), "task_spec", None), "bpmn_name", None),
                       details={"error": str(err)[:500]})
            created = projection.sync(session, instance, workflow, host.script_engine, at, existing=task_rows)
            messages = outbox.write(session, ctx)
        if instance.error is not None or next(tasks_in(workflow, TaskState.ERROR), None) is not None:
            instance.status = InstanceStatus.ERROR  # a failed step, or a failure outside one (a timer expression)
        else:
            instance.status = InstanceStatus.COMPLETED if workflow.is_completed() else InstanceStatus.RUNNING
        if instance.status == InstanceStatus.COMPLETED and instance.ended_at is None:
            instance.ended_at = at
            record(session, action=AuditAction.INSTANCE_COMPLETED, actor=actor.label, instance=instance)
        # taken before saving: thrown once, not on every load
        events = [from_bpmn_event(ev) for ev in workflow.get_events() if crosses_instances(ev)]
        for event in events:
            record(session, action=AuditAction.EVENT_THROWN, instance=instance,
                   details={"event": event["name"], "kind": event["kind"]})
        instance.state = dumps(workflow)
        check_state_size(instance.state)
        instance.serializer_version = SERIALIZER_VERSION
        instance.next_wake_at = wake_instant(next_due(workflow)) if instance.status == InstanceStatus.RUNNING else None
        instance.updated_at = at
        instance_id = instance.id  # a failed flush expires the instance; reading it then would raise instead
        try:
            session.flush()
        except StaleDataError as err:
            raise ConcurrentUpdate(f"instance {instance_id} was changed by someone else; try again") from err
        write_advance_rows(session, ctx)
    _after_commit(host, session, instance, events, [m.id for m in messages])  # ids given by that flush
    return created


def _run_in_background(host: Host, session: Session, instance: ProcessInstance, workflow: BpmnWorkflow) -> list[str]:
    """:func:`_run_and_save` for timers and events, which nobody is waiting on: a step whose data would outgrow
    its budget marks the instance errored (shown in the instance list, re-run from the viewer) instead of failing
    the same wake-up on every sweep. A person's step is refused instead (:func:`complete_task` raises)."""
    instance_id = instance.id
    write_enclosing_rows(session)
    savepoint = session.begin_nested()
    try:
        created = _run_and_save(host, session, instance, workflow, SYSTEM)
    except StateTooLarge as err:
        savepoint.rollback()
        stopped = session.get_one(ProcessInstance, instance_id)
        stopped.status, stopped.error, stopped.next_wake_at = InstanceStatus.ERROR, str(err)[:4000], None
        record(session, action=AuditAction.INSTANCE_ERROR, instance=stopped, details={"error": str(err)[:500]})
        return []
    savepoint.commit()
    return created


def _after_commit(host: Host, session: Session, instance: ProcessInstance, events: list[dict[str, Any]],
                  message_ids: list[int]) -> None:
    dispatcher = host.dispatcher
    business_key, instance_id = instance.business_key, instance.id

    def release() -> None:
        for message_id in message_ids:
            dispatcher.send_outbox(message_id)
        for event in events:
            dispatcher.broadcast_event(instance_id, business_key, event)

    if message_ids or events:
        aftercommit.defer(session, release)
