"""Keep ``human_task`` equal to the READY manual tasks of an instance after every advance.

Who may do a task is declared in the diagram: the lane names the role by default, and
``spiffworkflow:property`` entries refine it — ``role``, ``orgUnit``, ``assignee``, ``candidates``
and ``due`` are expressions over task data (``due`` yields an ISO duration from now or an
instant; ``role`` may come from a rule so admins can change who chases), ``formKey`` names the
form and ``recordActorAs`` the variable that receives the completing user's id. Existing rows
are kept as they are, so claims and reassignments survive an advance.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.audit import record
from engine.audit_actions import AuditAction
from engine.lint import form_key_of
from engine.models import HumanTask, ProcessInstance
from engine.task_scan import tasks_in

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.specs.base import TaskSpec
    from SpiffWorkflow.task import Task

    from engine.scripting import HostScriptEngine


def properties(task_spec: TaskSpec) -> dict[str, str]:
    found: dict[str, str] = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
    return found


def _evaluate(script_engine: HostScriptEngine, task: Task, expression: str | None) -> Any:
    if not expression:
        return None
    return script_engine.evaluate(task, expression)


def _due(value: Any, at: datetime) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = TimerEventDefinition.parse_time_or_duration(str(value))
    except Exception as err:  # the library's parsers fail in several ways on bad text
        raise ValueError(f"task due {str(value)[:80]!r} is neither an ISO 8601 duration nor an instant") from err
    if isinstance(parsed, datetime):
        return parsed
    delta: timedelta = TimerEventDefinition.get_timedelta_from_start(parsed, at)
    return at + delta


def describe(task: Task, script_engine: HostScriptEngine, at: datetime) -> dict[str, Any]:
    """Projection fields for one READY manual task."""
    spec = task.task_spec
    props = properties(spec)
    candidates = _evaluate(script_engine, task, props.get("candidates")) or []
    assignee = _evaluate(script_engine, task, props.get("assignee"))
    unit = _evaluate(script_engine, task, props.get("orgUnit"))
    return {
        "task_name": spec.bpmn_id or spec.name,
        "title": spec.bpmn_name or spec.bpmn_id or spec.name,
        "lane": spec.lane,
        "role": _evaluate(script_engine, task, props.get("role")) or spec.lane,
        "org_unit_id": int(unit) if unit not in (None, "") else None,
        "candidate_ids": [int(c) for c in candidates],
        "assignee_id": int(assignee) if assignee not in (None, "") else None,
        "form_key": form_key_of(spec),
        "due_at": _due(_evaluate(script_engine, task, props.get("due")), at),
    }


def sync(session: Session, instance: ProcessInstance, workflow: BpmnWorkflow, script_engine: HostScriptEngine,
         at: datetime, *, existing: dict[str, str] | None = None) -> list[str]:
    """Insert rows for new READY manual tasks, delete rows for tasks gone; return new task ids. ``existing``: the
    titles of the instance's rows by id, read under the instance's lock by the caller (none for a new instance);
    read here when not given."""
    ready = {str(t.id): t for t in tasks_in(workflow, TaskState.READY, manual=True)}
    if existing is None:
        rows = session.execute(select(HumanTask.id, HumanTask.title).where(HumanTask.instance_id == instance.id))
        existing = {task_id: title for task_id, title in rows}
    gone = existing.keys() - ready.keys()
    if gone:  # a literal list: the session then drops the deleted rows it holds (a bound one it cannot evaluate)
        session.execute(delete(HumanTask).where(HumanTask.id.in_(gone)))
    created = []
    for task_id in ready.keys() - existing.keys():
        fields = describe(ready[task_id], script_engine, at)
        session.add(HumanTask(
            id=task_id, instance_id=instance.id, process_key=instance.process_key, business_key=instance.business_key,
            school_id=instance.school_id, created_at=at, **fields,
        ))
        record(session, action=AuditAction.TASK_CREATED, instance=instance, task_id=task_id, task_name=fields["title"],
               details={k: v for k, v in fields.items() if k in ("role", "org_unit_id", "assignee_id") and v is not None})
        created.append(task_id)
    for task_id in gone:
        record(session, action=AuditAction.TASK_CLOSED, instance=instance, task_id=task_id, task_name=existing[task_id])
    return created
