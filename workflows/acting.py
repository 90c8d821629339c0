"""Doing a task as a person outside a web request (the demo's and generated orders): the task's form checks the
data as the task page would, choice lists included, and the engine completes it, so a seeded step is one a person
could have taken on the page. The seeders find the task they do with :func:`do_oldest`; a module's demo seeder is
handed :func:`demo_setting`."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from engine import advance
from engine.actor import Actor
from engine.models import HumanTask
from forms.builder import validate_mapping
from workflows.modules.contract import CompleteAs, DemoSetting
from workflows.people.permissions import TASK_POLICY

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime


def task_choices(runtime: Runtime, session: Session, task: HumanTask, locale: str) -> Callable[[str], list[tuple]]:
    """The task's choice lists (teams, workers, places …) by source name, as its form offers them."""
    return lambda name: runtime.form_sources.for_task(name, task.business_key)(
        session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale=locale)


def checked(runtime: Runtime, session: Session, task: HumanTask, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``data`` checked with the task's form as its page would (choice lists included): (errors by field, the
    cleaned data). A task without a form takes ``data`` as it is."""
    definition = runtime.forms.get(task.form_key or "")
    if definition is None:
        return {}, data
    valid, errors, cleaned = validate_mapping(definition, data, source=task_choices(runtime, session, task, "en"))
    return ({} if valid else errors), cleaned


def complete_as(runtime: Runtime, session: Session, task: HumanTask, actor: Actor, data: dict[str, Any]) -> None:
    """``actor`` completes ``task`` with ``data``; a ValueError names the fields its form refused."""
    errors, cleaned = checked(runtime, session, task, data)
    if errors:
        raise ValueError(f"{task.task_name} of {task.business_key}: {errors}")
    advance.complete_task(runtime.host, session, task_id=task.id, actor=actor, data=cleaned)


def demo_setting(runtime: Runtime, school_id: int) -> DemoSetting:
    """What ``houqin demo-data`` hands the modules' demo seeders for the school: the runtime's host, rules and
    indicators, and its people doing tasks through :func:`complete_as`."""
    return DemoSetting(runtime.host, runtime.rules, runtime.modules.indicators, school_id, partial(complete_as, runtime))


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
