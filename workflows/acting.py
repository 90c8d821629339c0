"""Doing a task as a person outside a web request (the demo's and generated orders): the task's form checks the
data as the task page would, choice lists included, and the engine completes it, so a seeded step is one a person
could have taken on the page."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from engine import advance
from engine.actor import Actor
from engine.models import HumanTask
from forms.builder import validate_mapping

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime


def complete_as(runtime: Runtime, session: Session, task: HumanTask, actor: Actor, data: dict[str, Any]) -> None:
    """``actor`` completes ``task`` with ``data``; a ValueError names the fields its form refused."""
    cleaned = data
    definition = runtime.forms.get(task.form_key or "")
    if definition is not None:
        source = lambda name: runtime.form_sources.for_task(name, task.business_key)(  # noqa: E731
            session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale="en")
        valid, errors, cleaned = validate_mapping(definition, data, source=source)
        if not valid:
            raise ValueError(f"{task.task_name} of {task.business_key}: {errors}")
    advance.complete_task(runtime.host, session, task_id=task.id, actor=actor, data=cleaned)
