"""The seeders' way to a task: the oldest open one of a business object in a school, done by a person the task
policy lets do it. Apart from :mod:`workflows.acting` (which knows the runtime) so the modules' seeders, which the
bootstrap's modules import, reach it without looking back up at the bootstrap."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.models import HumanTask
from workflows.modules.contract import CompleteAs
from workflows.people.permissions import TASK_POLICY


def do_oldest(session: Session, complete: CompleteAs, *, school_id: int, business_key: str, which: ColumnElement[bool],
              doer: Actor | Callable[[HumanTask], Actor], data: dict[str, Any]) -> bool:
    """``doer`` (a person, or who the task finds: its assignee, a holder of its role) does the oldest open task of
    the school's ``business_key`` that ``which`` picks (its name or its form) with ``data``, through ``complete``.
    False, with nothing done, when no such task waits or the task policy does not give it to that person, as the
    pages would leave it. The school is part of the lookup: business numbers are counted per school, so another
    school's object may carry the same key."""
    task = session.scalar(select(HumanTask).where(HumanTask.school_id == school_id, HumanTask.business_key == business_key,
                                                  which).order_by(HumanTask.created_at, HumanTask.id).limit(1))
    if task is None:
        return False
    actor = doer if isinstance(doer, Actor) else doer(task)
    if not TASK_POLICY.may_complete(actor, task):
        return False
    complete(session, task, actor, data)
    return True
