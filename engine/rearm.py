"""Re-arm waiting timers after the durations behind them changed.

SpiffWorkflow computes a timer's due time once, when the wait begins, and caches it; a rule
changed later only affects new waits. Re-arming recomputes the due time of each waiting timer
whose expression names a changed key as *when the wait began* + the new duration, so an order
accepted six days ago turns yellow at once when yellow moves from 7 to 5 days. Which keys a
timer names is read from its expression (the arguments of keyed helpers, e.g. rule keys).
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine import advance
from engine.actor import Actor
from engine.audit import record
from engine.audit_actions import AuditAction
from engine.host import Host
from engine.timers import due_time

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.task import Task

    from engine.models import ProcessInstance
    from engine.registry import Registry

# (key, wait start, task data) -> the new deadline of a wait on that key
Deadline = Callable[[str, datetime, dict[str, Any]], datetime]


@dataclass(frozen=True)
class TimerChange:
    timer: str
    keys: tuple[str, ...]
    before: datetime | None
    after: datetime


def timer_keys(expression: str, registry: Registry, kind: str) -> list[str]:
    """String literals passed as ``kind`` keys (or keys of a narrower kind within it, such as duration rules within
    rules) to registered helpers in a timer expression."""
    keys = []
    for node in ast.walk(ast.parse(expression.strip(), mode="eval")):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            helper = registry.helpers.get(node.func.id)
            if helper is not None and kind in (helper.key_kind, registry.key_within.get(helper.key_kind or "")):
                keys += [a.value for a in node.args[:helper.key_args] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return keys


def _waiting_timers(workflow: BpmnWorkflow) -> Iterator[tuple[Task, TimerEventDefinition]]:
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition) and task.internal_data.get("event_value") is not None:
            yield task, definition


def _plan(task: Task, definition: TimerEventDefinition, keys: list[str], deadline: Deadline) -> tuple[object, datetime | None, datetime]:
    """New event value for one waiting timer: (value, old due, new due)."""
    started = datetime.fromtimestamp(task.last_state_change, tz=UTC)
    value = task.internal_data["event_value"]
    if isinstance(definition, CycleTimerEventDefinition):
        first_key, repeat_key = (keys + keys)[:2]
        fired = -1 - value["cycles"] if value["cycles"] < 0 else 0
        repeat = deadline(repeat_key, started, task.data) - started
        new_next = deadline(first_key, started, task.data) + repeat * fired
        return ({**value, "next": new_next.isoformat(), "duration": repeat.total_seconds()},
                datetime.fromisoformat(value["next"]), new_next)
    new_due = deadline(keys[0], started, task.data)
    return new_due.isoformat(), due_time(value), new_due


def planned_changes(host: Host, workflow: BpmnWorkflow, changed: set[str], deadline: Deadline, *,
                    kind: str = "rule") -> list[tuple[Task, object, TimerChange]]:
    plans = []
    for task, definition in _waiting_timers(workflow):
        keys = timer_keys(definition.expression, host.registry, kind)
        if changed.intersection(keys):
            value, before, after = _plan(task, definition, keys, deadline)
            if before is None or abs(after - before) >= timedelta(seconds=1):
                plans.append((task, value, TimerChange(task.task_spec.bpmn_name or task.task_spec.name, tuple(keys), before, after)))
    return plans


def preview(host: Host, instance: ProcessInstance, changed: set[str], deadline: Deadline) -> list[TimerChange]:
    """What re-arming would change on one instance, without changing it."""
    workflow = advance.load_workflow(host, instance)
    return [change for _task, _value, change in planned_changes(host, workflow, changed, deadline)]


def rearm(host: Host, session: Session, *, instance_id: int, changed: set[str], deadline: Deadline, actor: Actor,
          note: dict[str, Any] | None = None) -> list[TimerChange]:
    """Re-arm one instance under its lock, audit each change, and fire whatever is now due."""
    def apply(instance: ProcessInstance, workflow: BpmnWorkflow) -> list[TimerChange]:
        changes = []
        for task, value, change in planned_changes(host, workflow, changed, deadline):
            task.internal_data["event_value"] = value
            changes.append(change)
            record(session, action=AuditAction.TIMER_REARMED, actor=actor.label, instance=instance, task_id=str(task.id),
                   task_name=change.timer, details={**(note or {}), "keys": list(change.keys),
                                                    "before": change.before.isoformat() if change.before else None,
                                                    "after": change.after.isoformat()})
        return changes

    return advance.modify(host, session, instance_id=instance_id, actor=actor, change=apply)
