"""Keep long-waiting instances small: drop finished branches spawned by cycle timers.

A non-interrupting cycle timer (an hourly reminder) adds a branch to the tree every time it fires;
left alone, an order that waits 30 days carries hundreds of finished reminder branches, and every
load, step and save pays for them. A finished branch (every task in it COMPLETED or CANCELLED)
can never affect the workflow again, so it is removed after each advance; what it did stays in
the audit log and the outbox. The waiting timer itself, and any unfinished branch, are kept.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.task import Task

_FINISHED = TaskState.COMPLETED | TaskState.CANCELLED


def _subtree(task: Task) -> list[Task]:
    found, stack = [], [task]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found


def _removable(tasks: list[Task]) -> bool:
    return all(t.state & _FINISHED and not isinstance(t.task_spec, SubWorkflowTask) for t in tasks)


def _redundant_joins(children: list[Task]) -> list[Task]:
    """Every firing also leaves a WAITING join thread; all but the newest per join are redundant."""
    newest: dict[str, object] = {}
    redundant = []
    for child in children:
        if child.state == TaskState.WAITING and not child._children and isinstance(child.task_spec, Join):
            if child.task_spec.name in newest:
                redundant.append(newest[child.task_spec.name])
            newest[child.task_spec.name] = child
    return redundant


def _detach(wf: BpmnWorkflow | BpmnSubWorkflow, parent: Task, child: Task) -> int:
    branch = _subtree(child)
    parent._children.remove(child.id)
    for gone in branch:
        del wf.tasks[gone.id]
        if wf.last_task is gone:
            wf.last_task = parent
    return len(branch)


def prune_cycle_branches(workflow: BpmnWorkflow) -> int:
    """Remove finished branches under waiting cycle-timer events; return how many tasks went."""
    removed = 0
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in list(wf.tasks.values()):
            definition = getattr(task.task_spec, "event_definition", None)
            if not (isinstance(definition, CycleTimerEventDefinition) and task.state == TaskState.WAITING):
                continue
            children = list(task.children)
            for child in children:
                if _removable(_subtree(child)):
                    removed += _detach(wf, task, child)
            for join in _redundant_joins(children):
                removed += _detach(wf, task, join)
    return removed
