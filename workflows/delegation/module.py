"""Delegated tasks as a process module: the task (its number is the business key) beside its steps in the inbox
and on the task page, its timeline words, and who may see it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.delegation.enums import DelegationAction
from workflows.delegation.figures import figures
from workflows.delegation.history import TIMELINE
from workflows.delegation.indicators import INDICATORS
from workflows.delegation.models import DelegatedTask
from workflows.delegation.registration import register
from workflows.delegation.service import LEADER_ROLES, PROCESS_KEY, may_take
from workflows.i18n import N_
from workflows.modules import timeline
from workflows.modules.contract import Fact, Panel, ProcessModule, Summary
from workflows.modules.filters import by_colour
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.service import actor_for, role_names

BOARD_ROLES = frozenset({*LEADER_ROLES, Role.supervisor})


def may_view(session: Session, user: User, task: DelegatedTask) -> bool:
    """The board's leaders and supervisors of the task's school, whoever may take it for their unit, and the
    people along the chain of assigners and assignees above it."""
    if user.school_id is not None and user.school_id != task.school_id:
        return False
    if role_names(user) & BOARD_ROLES or may_take(session, actor_for(session, user), task):
        return True
    node: DelegatedTask | None = task
    while node is not None:
        if user.id in (node.assignee_id, node.assigner_id):
            return True
        node = session.get(DelegatedTask, node.parent_id) if node.parent_id else None
    return False


def _by_number(session: Session, school_id: int, number: str) -> DelegatedTask | None:
    return session.scalar(select(DelegatedTask).where(DelegatedTask.school_id == school_id, DelegatedTask.number == number))


def _link(number: str) -> tuple[str, dict[str, Any]]:
    return "supervision.detail", {"number": number}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    stmt = select(DelegatedTask.number, DelegatedTask.title, DelegatedTask.colour, DelegatedTask.priority).where(
        DelegatedTask.school_id == school_id, DelegatedTask.number.in_(keys))
    return {number: Summary(text=title, colour=colour, urgency=priority if priority in ("high", "urgent") else None,
                            link=_link(number))
            for number, title, colour, priority in session.execute(stmt)}


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    task = _by_number(session, school_id, key)
    if task is None or not may_view(session, user, task):
        return None
    people = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(
        {i for i in (task.assigner_id, task.assignee_id) if i})))}
    unit = session.get(OrgUnit, task.unit_id) if task.unit_id else None
    facts = [Fact(N_("Assigned by"), people.get(task.assigner_id, "")),
             Fact(N_("Owner"), people.get(task.assignee_id or 0) or (unit.name if unit else "")),
             Fact(N_("Progress"), f"{task.progress}%"), Fact(N_("Description"), task.description or ""),
             Fact(N_("Acceptance criteria"), task.acceptance_criteria or "")]
    return Panel(kind=N_("Delegated task"), number=task.number, link=_link(task.number),
                 facts=[Fact(N_("Title"), task.title), *(f for f in facts if f.value)], colour=task.colour,
                 timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale),
                 extra={"due_at": task.deadline})


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    task = _by_number(session, school_id, key)
    if task is None or not may_view(session, user, task):
        return None
    parent = session.get(DelegatedTask, task.parent_id) if task.parent_id else None
    return {"number": task.number, "title": task.title, "parent": parent.number if parent else None,
            "deadline": task.deadline.isoformat(), "priority": task.priority, "status": task.status,
            "colour": task.colour, "progress": task.progress, "assignee_id": task.assignee_id, "unit_id": task.unit_id,
            "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


MODULE = ProcessModule(
    register=register,
    name="delegation", label=N_("Delegated tasks"), process_keys=frozenset({PROCESS_KEY}),
    summaries=summaries, panel=panel, resource=resource, keys_where=by_colour(DelegatedTask), figures=figures, indicators=INDICATORS,
    timeline=TIMELINE,
    actions={
        DelegationAction.reported: N_("Progress reported"), DelegationAction.completed: N_("Reported done"),
        DelegationAction.judged: N_("Acceptance decided"), DelegationAction.slipped: N_("Supervision slip issued"),
        DelegationAction.closed: N_("Closed"), DelegationAction.holder_changed: N_("Task reassigned"),
    },
)
