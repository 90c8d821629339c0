"""Inbox queries over the human-task projection (never over workflow state)."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.advance import may_complete
from engine.host import Actor
from engine.models import HumanTask


def tasks_for(session: Session, actor: Actor, *, limit: int = 200) -> list[HumanTask]:
    """Open tasks ``actor`` may complete: assigned to them, listing them, or open to their role."""
    roles = {role for role, _unit in actor.grants}
    stmt = select(HumanTask).where(or_(HumanTask.assignee_id == actor.id, HumanTask.role.in_(roles),
                                       HumanTask.assignee_id.is_(None)))
    if actor.school_id is not None:
        stmt = stmt.where(or_(HumanTask.school_id == actor.school_id, HumanTask.school_id.is_(None)))
    rows = session.scalars(stmt.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at).limit(limit * 2))
    return [row for row in rows if may_complete(actor, row)][:limit]
