"""Plans and delegated tasks in a scenario: entering them as the pages would, and finding their rows."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from engine.db import unit_of_work
from workflows.delegation import service as delegation
from workflows.delegation.models import DelegatedTask
from workflows.people.models import OrgUnit, User
from workflows.plans.models import PlanOccurrence, WorkPlan
from workflows.plans.service import PlanInput, create_plan


def add_plan(scenario, *, title: str = "消防器材月检", recurrence: str = "monthly", starts_on: date,
             responsible: str = "worker", **options) -> int:
    with unit_of_work(scenario.host.session_factory) as session:
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == scenario.school_id, OrgUnit.parent_id.is_(None)))
        person = session.scalar(select(User).where(User.username == responsible))
        creator = session.scalar(select(User).where(User.username == "supervisor"))
        entry = PlanInput(title=title, unit_id=unit, responsible_id=person.id, recurrence=recurrence, starts_on=starts_on,
                          checklist=options.pop("checklist", ["灭火器压力", "消防栓水带"]), **options)
        return create_plan(session, school_id=scenario.school_id, entry=entry, created_by=creator).id


def occurrences(scenario, plan_id: int) -> list[PlanOccurrence]:
    with unit_of_work(scenario.host.session_factory) as session:
        return list(session.scalars(select(PlanOccurrence).where(PlanOccurrence.plan_id == plan_id)
                                    .order_by(PlanOccurrence.occurs_on)))


def plan(scenario, plan_id: int) -> WorkPlan:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.get(WorkPlan, plan_id)


def assign(scenario, *, by: str, to: str, title: str, deadline: datetime, parent: str | None = None) -> str:
    """``by`` assigns (or, with ``parent``, splits off) a task for ``to``; returns its number."""
    with unit_of_work(scenario.host.session_factory) as session:
        assigner = session.scalar(select(User).where(User.username == by))
        assignee = session.scalar(select(User).where(User.username == to))
        entry = delegation.Assignment(title=title, deadline=deadline, assignee_id=assignee.id, acceptance_criteria="按时完成")
        if parent is None:
            task = delegation.assign(session, scenario.host, school_id=scenario.school_id, assigner=assigner, entry=entry)
        else:
            parent_task = session.scalar(select(DelegatedTask).where(DelegatedTask.number == parent))
            task = delegation.split(session, scenario.host, parent=parent_task, by=assigner, entry=entry)
        return task.number


def report(scenario, number: str, *, by: str, percent: int, note: str = "") -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        task = session.scalar(select(DelegatedTask).where(DelegatedTask.number == number))
        user = session.scalar(select(User).where(User.username == by))
        delegation.report(session, task=task, by=user, percent=percent, note=note)


def task(scenario, number: str) -> DelegatedTask:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.scalar(select(DelegatedTask).where(DelegatedTask.number == number))
