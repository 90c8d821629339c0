"""Deploy-time checks on the shape of a process: elements no path reaches, and loops that never wait.

A loop through which the engine can go round without waiting for a person, a timer or a message would
run (and grow the task tree) without bound in one advance; a loop that waits somewhere is paced by that
wait and is fine (the rectification loop waits for people). Unreachable elements are usually a flow
deleted by mistake.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
    from SpiffWorkflow.specs.base import TaskSpec


def _bpmn(task_spec: TaskSpec) -> bool:
    return bool(getattr(task_spec, "bpmn_id", None))


def unreachable(flow_nodes: dict[str, str | None], specs: list[BpmnProcessSpec]) -> list[str]:
    """Ids of flow nodes (id → id of the process or subprocess holding them) that the parser never reached.

    The library builds a process by following flows from its start events, so a node no path reaches is
    simply absent from the parsed spec; only nodes of processes that were parsed are reported.
    """
    parsed = {t.bpmn_id for spec in specs for t in spec.task_specs.values() if _bpmn(t)}
    containers = {spec.name for spec in specs} | parsed
    return sorted(node for node, container in flow_nodes.items() if container in containers and node not in parsed)


def _strongly_connected(nodes: list[TaskSpec]) -> Iterator[list[TaskSpec]]:
    """Tarjan's algorithm over ``outputs`` (iterative, so deep diagrams cannot overflow the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[TaskSpec] = []
    counter = 0
    for root in nodes:
        if root.name in index:
            continue
        work = [(root, iter(root.outputs))]
        index[root.name] = low[root.name] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root.name)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child.name not in index:
                    index[child.name] = low[child.name] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child.name)
                    work.append((child, iter(child.outputs)))
                elif child.name in on_stack:
                    low[node.name] = min(low[node.name], index[child.name])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent.name] = min(low[parent.name], low[node.name])
            if low[node.name] == index[node.name]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member.name)
                    component.append(member)
                    if member is node:
                        break
                yield component


def _waits(task_spec: TaskSpec) -> bool:
    return bool(task_spec.manual) or isinstance(task_spec, CatchingEvent)


def endless_loops(spec: BpmnProcessSpec) -> list[list[TaskSpec]]:
    """Cycles of ``spec`` in which nothing waits: each as its BPMN task specs."""
    loops = []
    for component in _strongly_connected(list(spec.task_specs.values())):
        cyclic = len(component) > 1 or component[0] in component[0].outputs
        if cyclic and not any(_waits(t) for t in component):
            loops.append(sorted((t for t in component if _bpmn(t)), key=lambda t: t.bpmn_id))
    return loops
