"""The one task policy walked over every role × task kind × same or other school, on real tasks of the demo
school (every kind of step its seeded history leaves open) against people of the same school and of a second school whose every role is held "for the
whole school" (no unit), the grant that once reached across schools. Pages and the API answer the same."""
from __future__ import annotations

from sqlalchemy import select
from websupport import enter_plan_and_delegate

from engine.models import HumanTask
from engine.policy import NO_RIGHTS
from workflows.demo import DEMO_PASSWORD
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.orgchart import create_school
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import actor_for, create_user


def _second_school(site) -> list[str]:
    """School B with one user per role, each role held for the whole school."""
    with site.db() as session:
        school = create_school(session, actor="test", code="B", name="乙校", campus="本部")
        for role in Role:
            create_user(session, username=f"b_{role.value}", password=DEMO_PASSWORD, display_name=f"乙 {role.value}",
                        school_id=school.id, roles=[(role.value, None)])
    return [f"b_{role.value}" for role in Role]


def test_every_role_of_another_school_has_no_right_on_any_task_page_or_api(site):
    enter_plan_and_delegate(site)
    others = _second_school(site)
    with site.db() as session:
        tasks = list(session.scalars(select(HumanTask).where(HumanTask.school_id == site.school_id)))
        assert tasks, "the demo school has open tasks"
        for username in others:
            actor = actor_for(session, session.scalar(select(User).where(User.username == username)))
            for row in tasks:
                assert TASK_POLICY.rights(actor, row) == NO_RIGHTS, (username, row.title)
    for username in ("b_auditor", "b_admin", "b_worker"):
        client = site.client(username)
        for row in tasks[:10]:
            assert client.get(f"/tasks/{row.id}").status_code == 403, (username, row.title)
            assert client.http.post(f"/tasks/{row.id}/claim").status_code in (400, 403)


def test_in_its_own_school_each_task_kind_is_done_by_its_role_and_managed_only_by_auditors(site):
    enter_plan_and_delegate(site)
    with site.db() as session:
        tasks = list(session.scalars(select(HumanTask).where(HumanTask.school_id == site.school_id)))
        people = {u.username: actor_for(session, u) for u in session.scalars(select(User).where(User.school_id == site.school_id))}
        kinds = {row.task_name for row in tasks}
        for row in tasks:
            doers = {name for name, actor in people.items() if TASK_POLICY.rights(actor, row).complete}
            assert doers, f"nobody of the school may do {row.title!r}"
            for name, actor in people.items():
                rights = TASK_POLICY.rights(actor, row)
                if rights.manage:
                    assert actor.may(Role.auditor, row.org_unit_id), (name, row.title)
                if row.role == Role.requester:
                    assert not (rights.release or rights.hand_over or rights.manage), (name, row.title)
                assert rights.claim <= rights.complete and rights.release <= rights.complete
    assert len(kinds) >= 3, f"the walk saw only {kinds}"
