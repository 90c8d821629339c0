"""Which tasks of a workflow are in a given state, by a flat look at its task maps.

The library's ``get_tasks`` walks the task tree from the root, node by node with a filter object, and a step asks
it three times (is an engine task still ready, did one fail, which user tasks are open): a sixth of the library's
calls on a step. Every task of a workflow is also in its ``tasks`` map and in those of its subprocesses, so
asking those maps gives the same tasks for a fraction of the work. One difference, on purpose: the walk descends
only through tasks in a state at least as far along as the one asked for (for ERROR: finished ones), so it misses
a failed task whose parent is still running (a multi-instance task's); the maps do not.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.task import Task
    from SpiffWorkflow.util.task import TaskState


def tasks_in(workflow: BpmnWorkflow, state: TaskState, *, manual: bool | None = None) -> Iterator[Task]:
    """The tasks in exactly ``state`` (a single state, e.g. READY), user tasks only or engine tasks only when
    ``manual`` says so, in the workflow and its subprocesses."""
    for tasks in (workflow.tasks, *(sub.tasks for sub in workflow.subprocesses.values())):
        for task in tasks.values():
            if task.state == state and (manual is None or task.task_spec.manual == manual):
                yield task
