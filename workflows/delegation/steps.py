"""What each step of the delegated-task diagram records on the task, called from diagram scripts.

``task_step("judged", task_id, acceptance)`` refuses to accept a task while one of its sub-tasks
is open: the verdict is then ``blocked`` and the diagram returns to the acceptance.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.context import AdvanceContext
from rules.book import RuleBook
from rules.keys import TaskParty, recipients
from workflows import stepping
from workflows.colours import ESCALATION
from workflows.delegation.enums import AcceptanceDecision, TaskStatus, Verdict
from workflows.delegation.models import DelegatedTask


def open_children(session: Session, task: DelegatedTask) -> list[DelegatedTask]:
    return list(session.scalars(select(DelegatedTask).where(DelegatedTask.parent_id == task.id,
                                                            DelegatedTask.status != TaskStatus.closed)))


def _report_due(task: DelegatedTask, ctx: AdvanceContext, rules: RuleBook) -> dict:
    last = task.last_report_at or task.created_at
    return {"due": ctx.at - last >= rules.duration("delegation.report.every"), "assignee_id": task.assignee_id}


def _completed(task: DelegatedTask, ctx: AdvanceContext, rules: RuleBook, completion: dict) -> dict:
    if task.assignee_id is None:
        task.assignee_id = ctx.actor.id
    task.status, task.progress = TaskStatus.submitted, 100
    task.attachments = [*task.attachments, *[f for f in completion.get("evidence") or [] if isinstance(f, dict)]]
    return {"assignee_id": task.assignee_id, "summary": completion.get("summary")}


def _judged(task: DelegatedTask, ctx: AdvanceContext, rules: RuleBook, acceptance: dict) -> dict:
    decision = acceptance.get("decision")
    if decision == AcceptanceDecision.send_back:
        task.status = TaskStatus.sent_back
        return {"verdict": Verdict.sent_back, "reasons": acceptance.get("reasons")}
    if decision != AcceptanceDecision.accept:
        raise stepping.StepRefused(f"unknown acceptance decision {decision!r}")
    still_open = open_children(ctx.session, task)
    if still_open:
        return {"verdict": Verdict.blocked, "open_subtasks": [t.number for t in still_open]}
    return {"verdict": Verdict.accepted}


def _slipped(task: DelegatedTask, ctx: AdvanceContext, rules: RuleBook, colour: str) -> dict:
    if colour not in ESCALATION:
        raise stepping.StepRefused(f"unknown colour {colour!r}")
    task.colour = colour
    users: list[int] = []
    roles: list[str] = []
    for recipient in recipients(rules.value(f"delegation.slip.{colour}.to")):
        if recipient == TaskParty.assigner:
            users.append(task.assigner_id)
        elif recipient == TaskParty.assignee and task.assignee_id is not None:
            users.append(task.assignee_id)
        else:  # a role in the task's unit; the assignee of a task nobody took yet is the unit's role
            roles.append(rules.value("delegation.unit.role") if recipient == TaskParty.assignee else recipient)
    return {"colour": colour, "users": list(dict.fromkeys(users)), "roles": list(dict.fromkeys(roles)),
            "org_unit": task.unit_id if roles else None}


def _closed(task: DelegatedTask, ctx: AdvanceContext, rules: RuleBook) -> dict:
    task.status, task.closed_at, task.progress = TaskStatus.closed, ctx.at, 100
    return {"colour": task.colour}


STEPS: dict[str, Callable[..., dict]] = {
    "report_due": _report_due, "completed": _completed, "judged": _judged, "slipped": _slipped, "closed": _closed,
}
QUIET = frozenset({"report_due"})  # asked on every reminder tick; nothing changes, so nothing to audit


def apply_step(rules: RuleBook, name: str, task_id: int, *args: Any) -> dict:
    """Run step ``name`` on the task inside the current advance and audit it."""
    return stepping.apply(STEPS, DelegatedTask, "delegation", rules, name, task_id, *args, quiet=QUIET)
