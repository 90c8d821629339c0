"""Keep long-lived instances small: drop finished branches spawned by cycle timers, and finished loop rounds.

A non-interrupting cycle timer (an hourly reminder) adds a branch to the tree every time it fires;
left alone, an order that waits 30 days carries hundreds of finished reminder branches, and every
load, step and save pays for them. A finished branch (every task in it COMPLETED or CANCELLED)
can never affect the workflow again, so it is removed after each advance; what it did stays in
the audit log and the outbox. The waiting timer itself, and any unfinished branch, are kept.

A loop through a gateway (rate → callback → rectify → follow-up → rate again) grows the tree by a
round each time: the library keeps every round as a deeper chain of finished tasks (5 KB a round
for the repair loop, and at depth 1,000 its task iterator stops finding the open task). Only the
newest finished round is kept (the instance viewer shows which elements the loop passes through);
older rounds are cut out and the round after them hangs where the first one began. A task's data
is whole in memory (the saved form is a difference from its parent), so nothing the next steps
read is lost; the rounds stay in the audit log.
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
_OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


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


def _chain(task: Task) -> list[Task]:
    """``task`` and its ancestors, the root first."""
    chain = []
    current: Task | None = task
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain[::-1]


def _older_rounds(chain: list[Task]) -> tuple[Task, Task] | None:
    """On one root-to-task chain, the loop entered earliest that has passed its entry three or more times: its
    first entry and its last finished round's entry (everything from the first up to that is older rounds)."""
    entries: dict[str, list[Task]] = {}
    for task in chain:
        entries.setdefault(task.task_spec.name, []).append(task)
    for task in chain:
        passes = entries[task.task_spec.name]
        if len(passes) >= 3:
            return passes[0], passes[-2]
    return None


def _splice(wf: BpmnWorkflow | BpmnSubWorkflow, first: Task, kept: Task) -> int:
    """Hang ``kept`` where ``first`` was and drop what lay between, if all of it is finished; return how many went."""
    parent = first.parent
    if parent is None:
        return 0
    below_kept = {t.id for t in _subtree(kept)}
    between = [t for t in _subtree(first) if t.id not in below_kept]
    if not _removable(between):
        return 0
    parent._children[parent._children.index(first.id)] = kept.id
    kept._parent = parent.id
    for gone in between:
        del wf.tasks[gone.id]
        if wf.last_task is gone:
            wf.last_task = kept
    return len(between)


def prune_loop_rounds(workflow: BpmnWorkflow) -> int:
    """Cut finished loop rounds but the newest out of every open path; return how many tasks went."""
    removed = 0
    for wf in (workflow, *workflow.subprocesses.values()):
        pruned = True
        while pruned:
            pruned = False
            for task in [t for t in wf.tasks.values() if t.state & _OPEN]:
                found = _older_rounds(_chain(task))
                if found is not None and (gone := _splice(wf, *found)):
                    removed, pruned = removed + gone, True
                    break
    return removed
