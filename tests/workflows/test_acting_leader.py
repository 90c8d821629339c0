"""Holiday cover: an acting deputy leader receives the yellow escalation while the cover lasts, the regular
deputy leader after it (the real repair diagram, a frozen clock, the date-aware leader chain)."""
from __future__ import annotations

from datetime import date, timedelta

from seeded import START
from sqlalchemy import select

from engine.db import unit_of_work
from workflows.people.accounts import create_person, grant_role
from workflows.people.models import OrgUnit, User
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import actor_for

COVER = (date(2026, 11, 20), date(2026, 11, 25))  # local dates, inclusive


def _appoint_acting_deputy(scenario) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        deputy = session.scalar(select(User).where(User.username == "deputy"))
        company = session.scalar(select(OrgUnit).where(OrgUnit.kind == "service_unit"))
        acting = create_person(session, actor="admin", school_id=scenario.school_id, username="acting",
                               password="pw-acting", display_name="代理分管领导 钱")
        grant_role(session, actor="admin", user=acting, role="deputy_leader", org_unit_id=company.id,
                   starts_on=COVER[0], ends_on=COVER[1], covers_user_id=deputy.id)


def _may_chase(scenario, username: str, task) -> bool:
    with unit_of_work(scenario.host.session_factory) as session:
        actor = actor_for(session, session.scalar(select(User).where(User.username == username)))
    return TASK_POLICY.may_complete(actor, task)


def _yellow_notified(scenario, username: str) -> list[str]:
    return sorted(n.business_key for n in scenario.notifications(username, "repair.escalated")
                  if n.payload["colour"] == "yellow")


def test_acting_leader_gets_yellow_during_cover_and_the_regular_leader_after(scenario):
    _appoint_acting_deputy(scenario)
    during = scenario.report("一号楼水管漏水")
    scenario.do(during, "review", "auditor", decision="accept")  # yellow due 23 Nov: inside the cover
    scenario.wait(days=3)
    after = scenario.report("二号楼水管漏水")
    scenario.do(after, "review", "auditor", decision="accept")  # yellow due 26 Nov: the day after the cover
    scenario.advance_to(START + timedelta(days=7, hours=1))

    assert _yellow_notified(scenario, "acting") == [during]
    assert _yellow_notified(scenario, "deputy") == []
    urge = next(t for t in scenario.open_tasks(during) if t.task_name == "urge" and t.role == "deputy_leader")
    assert not _may_chase(scenario, "deputy", urge) and _may_chase(scenario, "acting", urge)  # the task moved too
    scenario.do_task(urge.id, "acting", action="已督促班组今天修好")
    assert [u.action_note for u in scenario.urgings(during)] == ["已督促班组今天修好"]

    scenario.advance_to(START + timedelta(days=10, hours=1))
    assert _yellow_notified(scenario, "deputy") == [after]
    assert _yellow_notified(scenario, "acting") == [during]
    urge = next(t for t in scenario.open_tasks(after) if t.task_name == "urge" and t.role == "deputy_leader")
    assert _may_chase(scenario, "deputy", urge) and not _may_chase(scenario, "acting", urge)  # the cover is over
