"""Doing a task as a person outside a web request (the demo's and generated orders): the task's form checks the
data as the task page would, choice lists included, and the engine completes it, so a seeded step is one a person
could have taken on the page (the seeders find the task they do with :func:`workflows.demo_tasks.do_oldest`); a
module's demo seeder is handed :func:`demo_setting`."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from engine import advance
from engine.actor import Actor
from engine.models import HumanTask
from forms.builder import validate_mapping
from workflows.modules.contract import DemoSetting

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime


def task_choices(runtime: Runtime, session: Session, task: HumanTask, locale: str) -> Callable[[str], list[tuple]]:
    """The task's choice lists (teams, workers, places …) by source name, as its form offers them."""
    return lambda name: runtime.form_sources.for_task(name, task.business_key)(
        session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale=locale)


def checked(runtime: Runtime, session: Session, task: HumanTask, data: dict[str, Any], *,
            locale: str = "en") -> tuple[dict[str, Any], dict[str, Any]]:
    """``data`` checked with the task's form as its page would (choice lists included): (errors by field in
    ``locale``, the cleaned data). A task without a form takes ``data`` as it is."""
    definition = runtime.forms.get(task.form_key or "")
    if definition is None:
        return {}, data
    valid, errors, cleaned = validate_mapping(definition, data, locale=locale,
                                              source=task_choices(runtime, session, task, locale))
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
