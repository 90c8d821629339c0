"""Deactivating a worker who still holds open tasks: the tasks are listed and must be handed over first."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db import unit_of_work
from engine.models import AuditEvent
from workflows.people.accounts import OpenTasksFirst, create_person, deactivate_person, grant_role, open_tasks_of
from workflows.people.models import OrgUnit, User
from workflows.people.service import actor_for


def _user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def test_worker_with_open_tasks_is_deactivated_only_after_handing_them_over(scenario):
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="accept")
    worker = scenario.user("worker")
    scenario.do(number, "dispatch", "auditor", team_id=str(scenario.order(number).team_id), worker_id=str(worker.id))
    task_id = scenario.task(number, "accept_job").id
    with unit_of_work(scenario.host.session_factory) as session:
        team = session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "team").order_by(OrgUnit.id))
        other = create_person(session, actor="admin", school_id=scenario.school_id, username="worker2",
                              password="pw-worker2", display_name="维修工 马师傅")
        grant_role(session, actor="admin", user=other, role="worker", org_unit_id=team)
        other_id = other.id

    with unit_of_work(scenario.host.session_factory) as session:
        admin = actor_for(session, _user(session, "admin"))
        target = _user(session, "worker")
        assert [t.id for t in open_tasks_of(session, target)] == [task_id]
        with pytest.raises(OpenTasksFirst) as refused:
            deactivate_person(session, actor=admin, user=target)
        assert [t.id for t in refused.value.tasks] == [task_id]
        with pytest.raises(OpenTasksFirst):  # handing to an unknown person is no hand-over
            deactivate_person(session, actor=admin, user=target, hand_to={task_id: 999999})
        with pytest.raises(OpenTasksFirst):  # nor to someone who may not do the task (the clerk is no worker)
            deactivate_person(session, actor=admin, user=target, hand_to={task_id: _user(session, "clerk").id})
    assert scenario.user("worker").active

    with unit_of_work(scenario.host.session_factory) as session:
        admin = actor_for(session, _user(session, "admin"))
        deactivate_person(session, actor=admin, user=_user(session, "worker"), hand_to={task_id: other_id})

    assert not scenario.user("worker").active
    assert scenario.task(number, "accept_job").assignee_id == other_id
    scenario.do(number, "accept_job", "worker2", decision="accept")
    assert [t.task_name for t in scenario.open_tasks(number)] == ["complete_job"]
    with unit_of_work(scenario.host.session_factory) as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(
            ("task.reassigned", "admin.user.deactivate"))).order_by(AuditEvent.id)))
    assert actions == ["task.reassigned", "admin.user.deactivate"]
