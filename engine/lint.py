"""Deploy-time checks on parsed specs, so mistakes fail at deploy and not weeks later at a timer.

Checks: every condition, timer or event expression, user-task property (role, assignee, due…)
and script compiles under the restricted environment; timer and due literals are quoted (an
unquoted ``PT1H`` is a run-time ``NameError`` in SpiffWorkflow); service-task operations, form
keys and keyed helper arguments (rule keys…) are known to the registry; preScripts on events
(silently ignored by the library) are reported; unreachable elements and loops that never wait
(``engine.graph_lint``) are refused.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.specs.MultiChoice import MultiChoice

from engine.errors import Problem
from engine.graph_lint import endless_loops, unreachable
from engine.registry import Registry
from engine.scripting import UNSAFE_NAMES, ScriptRejected, compile_expression, compile_script, script_builtins

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
    from SpiffWorkflow.specs.base import TaskSpec

_ISO_LITERAL = re.compile(r"^\s*(R\d*/)?P(\d|T)[0-9YMWDTHS.]*\s*$")
# user-task properties the projection evaluates after every advance (engine.projection.describe)
PROJECTED_PROPERTIES = ("role", "orgUnit", "assignee", "candidates", "due")


def form_key_of(task_spec: TaskSpec) -> str | None:
    """The form key a user task declares as a ``spiffworkflow:property name="formKey"``."""
    key: str | None = (getattr(task_spec, "extensions", None) or {}).get("properties", {}).get("formKey")
    return key


def _snippets(task_spec: TaskSpec) -> Iterator[tuple[str, str, str]]:
    """Yield (kind, label, source) for every piece of code a task spec carries."""
    event_def: Any = getattr(task_spec, "event_definition", None)
    if isinstance(event_def, TimerEventDefinition):
        yield "timer", "timer expression", event_def.expression
    elif getattr(event_def, "expression", None):  # signal/message payloads, conditional events
        yield "expression", "event expression", event_def.expression
    if isinstance(task_spec, MultiChoice):
        for condition, target in task_spec.cond_task_specs:
            if condition is not None:
                yield "expression", f"condition to {target}", condition.args[0]
    script = getattr(task_spec, "script", None)
    if script:
        yield "script", "script", script
    for attr in ("prescript", "postscript"):
        code = getattr(task_spec, attr, None)
        if code:
            yield "script", attr, code
    if isinstance(task_spec, ServiceTask):
        for name, param in (getattr(task_spec, "operation_params", None) or {}).items():
            yield "expression", f"parameter {name}", param["value"]
    if task_spec.manual:
        properties = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
        for name in PROJECTED_PROPERTIES:
            if properties.get(name):
                yield "timer" if name == "due" else "expression", f"property {name}", properties[name]


@dataclass(frozen=True)
class Finding:
    """One problem in a piece of code, before it is placed (file, element, line); see :class:`Problem`."""

    message: str
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()


def _check_snippet(kind: str, label: str, source: str, registry: Registry) -> list[Finding]:
    if kind == "timer" and _ISO_LITERAL.match(source):
        return [Finding(f"{label} {source.strip()} must be quoted (\"{source.strip()}\") or come from a rule: "
                        "rule_duration('key')")]
    tree: ast.AST
    try:
        if kind == "script":
            compile_script(source)
            tree = ast.parse(source)
        else:
            compile_expression(source)
            tree = ast.parse(source.strip(), mode="eval")
    except (ScriptRejected, SyntaxError) as err:
        return [Finding(f"{label} is not allowed: {err}")]
    return [Finding(message) for message in _check_names(tree, label, registry)] + _check_keyed_calls(tree, label, registry)


def _check_names(tree: ast.AST, label: str, registry: Registry) -> list[str]:
    """Refuse a snippet that names something unsafe (``open``, ``eval``, ``getattr`` …) or calls a function that
    is neither a registered helper, a safe builtin nor defined in the snippet itself: today's diagram must not
    deploy and fail only when an instance reaches it."""
    problems: list[str] = []
    defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    defined |= {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name) and isinstance(node.value, ast.Lambda)}
    allowed = set(registry.helpers) | script_builtins() | defined
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in UNSAFE_NAMES:
            problems.append(f"{label} uses {node.id!r}, which diagrams may not use")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in allowed \
                and node.func.id not in UNSAFE_NAMES:
            problems.append(f"{label} calls {node.func.id!r}, which is neither a registered helper nor a safe builtin")
    return sorted(set(problems))


def _check_keyed_calls(tree: ast.AST, label: str, registry: Registry) -> list[Finding]:
    """Literal keys passed to keyed helpers must be known, and of the helper's kind: ``rule_duration`` counts a
    duration, so a threshold's key is refused as "a rule, but not a duration rule" (``key_of_another_kind``)."""
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        helper = registry.helpers.get(node.func.id)
        if helper is None or helper.key_kind is None:
            continue
        kind = helper.key_kind
        check, wider = registry.key_checks.get(kind), registry.key_within.get(kind)
        wider_check = registry.key_checks.get(wider) if wider else None
        for arg in node.args[:helper.key_args]:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)) or check is None or check(arg.value):
                continue
            key = arg.value
            params = (("helper", helper.name), ("key", key), ("kind", kind))
            if wider_check is not None and wider_check(key):
                problems.append(Finding(f"{label}: {helper.name}() needs a {kind} key, but {key!r} is not one "
                                        f"(it is a {wider} key of another kind)", "key_of_another_kind", params))
            else:
                problems.append(Finding(f"{label} names unknown {wider or kind} key {key!r}", "unknown_key", params))
    return problems


def lint_specs(specs: list[BpmnProcessSpec], registry: Registry, lines: dict[str, tuple[str, int | None]],
               flow_nodes: dict[str, str | None] | None = None) -> list[Problem]:
    """Return every problem found in ``specs`` (process specs); ``lines`` maps bpmn id → (file, line) and
    ``flow_nodes`` every flow node id in the sources → the id of the process or subprocess holding it."""
    problems: list[Problem] = []
    for spec in specs:
        for task_spec in spec.task_specs.values():
            bpmn_id = getattr(task_spec, "bpmn_id", None)
            if bpmn_id is None:
                continue
            file, line = lines.get(bpmn_id, (getattr(spec, "file", "") or "", None))
            element = f"{bpmn_id}" + (f" ({task_spec.bpmn_name})" if getattr(task_spec, "bpmn_name", None) else "")

            def add(message: str, file: str = file, element: str = element, line: int | None = line, code: str = "",
                    params: tuple[tuple[str, str], ...] = ()) -> None:
                problems.append(Problem(file, message, element=element, line=line, code=code, params=params))

            for kind, label, source in _snippets(task_spec):
                for finding in _check_snippet(kind, label, source, registry):
                    add(finding.message, code=finding.code, params=finding.params)
            if isinstance(task_spec, ServiceTask):
                op = getattr(task_spec, "operation_name", None)
                if op not in registry.services:
                    add(f"service task calls unknown handler {op!r}; known: {', '.join(sorted(registry.services)) or 'none'}")
            if isinstance(task_spec, UserTask):
                key = form_key_of(task_spec)
                check = registry.key_checks.get("form")
                if key and check is not None and not check(key):
                    add(f"user task names unknown form key {key!r}")
                for message in _role_problems(task_spec, registry):
                    add(message)
            if isinstance(task_spec, (CatchingEvent, ThrowingEvent)) and getattr(task_spec, "prescript", None):
                add("preScript on an event is ignored by the engine; move it to a task")
        problems.extend(_loop_problems(spec, lines))
    for node in unreachable(flow_nodes or {}, specs):
        file, line = lines.get(node, ("", None))
        problems.append(Problem(file, "no path from the start reaches this element", element=node, line=line))
    return problems


def _role_problems(task_spec: TaskSpec, registry: Registry) -> list[str]:
    """The role a user task is offered to must exist: a literal ``role`` property, or else the lane's name.

    A role computed by an expression (from a rule, say) is only known when the task opens; the lane of such
    a task is just a label on the drawing.
    """
    check = registry.key_checks.get("role")
    properties = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
    if check is None or properties.get("assignee") or properties.get("candidates"):
        return []  # offered to named people: the role is not what decides who may do it
    role, where = None, "its role property"
    if properties.get("role"):
        try:
            role = ast.literal_eval(properties["role"].strip())
        except (ValueError, SyntaxError):
            return []
    if not role:  # no role property, or an empty one: the projection falls back to the lane
        role, where = task_spec.lane, "its lane"
    if role is None or (isinstance(role, str) and check(role)):
        return []
    known = ", ".join(registry.key_listers["role"]()) if "role" in registry.key_listers else ""
    return [f"user task is offered to {role!r} ({where}), which is not a role; roles: {known}"]


def _loop_problems(spec: BpmnProcessSpec, lines: dict[str, tuple[str, int | None]]) -> list[Problem]:
    problems = []
    for loop in endless_loops(spec):
        first = loop[0]
        file, line = lines.get(first.bpmn_id, (getattr(spec, "file", "") or "", None))
        names = ", ".join(t.bpmn_id for t in loop)
        problems.append(Problem(file, f"the loop through {names} never waits for a person, a timer or a message: "
                                      "it would run without bound", element=first.bpmn_id, line=line))
    return problems
