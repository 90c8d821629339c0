"""What an instance's task tree says, for the instance viewer: each element's state, waiting timers with
their due times, and the data each step left. Read only; the workflow is never saved back."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.timers import due_time

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.task import Task

# one mark per element; when several tasks share an element the most pressing state wins
PRECEDENCE = ("errored", "active", "waiting", "completed")


@dataclass(frozen=True)
class Step:
    task_id: str
    element: str
    name: str
    state: str
    data: dict[str, Any]
    updated: float


@dataclass(frozen=True)
class TimerDue:
    element: str
    name: str
    due: datetime


def _mark(task: Task) -> str | None:
    if task.state == TaskState.ERROR:
        return "errored"
    if task.state & (TaskState.READY | TaskState.STARTED):
        return "active"
    if task.state == TaskState.WAITING:
        return "waiting"
    if task.state == TaskState.COMPLETED:
        return "completed"
    return None


def _elements(workflow: BpmnWorkflow) -> Iterator[tuple[str, Task]]:
    for task in workflow.get_tasks():
        element = getattr(task.task_spec, "bpmn_id", None)
        if element:
            yield element, task


def element_marks(workflow: BpmnWorkflow) -> dict[str, str]:
    """BPMN element id → completed | active | waiting | errored."""
    marks: dict[str, str] = {}
    for element, task in _elements(workflow):
        mark = _mark(task)
        if mark and (element not in marks or PRECEDENCE.index(mark) < PRECEDENCE.index(marks[element])):
            marks[element] = mark
    return marks


def waiting_timers(workflow: BpmnWorkflow) -> list[TimerDue]:
    """Every waiting timer element and when it next fires, soonest first."""
    found = []
    for element, task in _elements(workflow):
        if task.state != TaskState.WAITING or not isinstance(getattr(task.task_spec, "event_definition", None),
                                                             TimerEventDefinition):
            continue
        value = task.internal_data.get("event_value")
        due = due_time(value.get("next") if isinstance(value, dict) else value)
        if due is not None:
            found.append(TimerDue(element, task.task_spec.bpmn_name or element, due))
    return sorted(found, key=lambda t: t.due)


def steps(workflow: BpmnWorkflow) -> list[Step]:
    """Tasks that ran, run or failed, in the order they last changed, with their data."""
    rows = [Step(str(task.id), element, task.task_spec.bpmn_name or element, mark, dict(task.data),
                 task.last_state_change)
            for element, task in _elements(workflow) if (mark := _mark(task)) in ("completed", "active", "errored")]
    return sorted(rows, key=lambda s: s.updated)
