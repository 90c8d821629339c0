"""The demo's complaints, seeded on the demo school at any hour of the day: every case's steps lie before that day,
the open ones stand at their stages with green, yellow and red, each process where its complaint's status says,
nothing dated after the moment of seeding, and a second seeding creates nothing."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.db import unit_of_work
from engine.models import AuditEvent, HumanTask, ProcessInstance
from workflows.acting import demo_setting
from workflows.colours import ESCALATION
from workflows.complaints.figures import OPEN
from workflows.complaints.models import Complaint
from workflows.demo_complaints import CASES, DayTime, seed_complaints
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.service import create_user
from workflows.people.timezone import local_today

EARLY, LATE = datetime(2026, 11, 15, 16, 5, tzinfo=UTC), datetime(2026, 11, 16, 15, 55, tzinfo=UTC)  # 00:05, 23:55 in Beijing
DATED = (Complaint.created_at, Complaint.first_response_at, Complaint.replied_at, Complaint.closed_at)


def _seed(scenario) -> bool:
    with unit_of_work(scenario.runtime.host.session_factory) as session:
        return seed_complaints(session, demo_setting(scenario.runtime, scenario.school_id))


def test_every_step_of_a_case_lies_before_the_day_the_demo_is_seeded():
    """Whatever the hour of seeding, a case received some days ago has done its steps by the end of yesterday."""
    for case in CASES:
        if isinstance(case.received, DayTime):
            since_midnight = timedelta(hours=case.received.clock.hour, minutes=case.received.clock.minute)
            assert since_midnight + max(step.after for step in case.steps) < timedelta(days=case.received.days), case.place
        else:
            assert not case.steps, case.place  # one just in waits for its triage


@pytest.mark.parametrize("seeded", [EARLY, LATE], ids=["just-after-midnight", "just-before-midnight"])
def test_the_complaints_stand_at_their_stages_and_colours_whatever_the_hour(scenario, seeded):
    scenario.traveller.move_to(seeded)
    assert _seed(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        complaints = list(session.scalars(select(Complaint).where(Complaint.school_id == scenario.school_id)))
        assert len(complaints) == len(CASES)
        statuses = Counter(c.status for c in complaints)
        assert statuses == {"closed": 10, "forwarded": 1, "handling": 3, "replied": 1, "triage": 1}
        assert sorted(c.colour for c in complaints if c.status == "handling") == sorted(ESCALATION)
        for complaint in complaints:
            instance = session.get_one(ProcessInstance, complaint.instance_id)
            tasks = set(session.scalars(select(HumanTask.task_name).where(HumanTask.business_key == complaint.number)))
            if complaint.status in OPEN:
                assert instance.status == "running" and tasks, complaint.number
            else:
                assert instance.status == "completed" and not tasks, complaint.number
            if complaint.status == "handling":
                assert tasks == {"reply_task", "urge"}, complaint.number  # the chase of its colour is waiting
            assert all(at is None or at <= seeded for at in (getattr(complaint, column.key) for column in DATED))
        latest = session.scalar(select(func.max(AuditEvent.at)).where(AuditEvent.business_key.like("TS%")))
        assert latest <= seeded


def test_the_complaints_demo_is_seeded_once(scenario):
    assert _seed(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        made = session.scalar(select(func.count(Complaint.id)))
    assert not _seed(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(Complaint.id))) == made == len(CASES)


def test_the_cases_are_played_by_people_in_charge_today(scenario):
    """A requester who has left and a clerk whose role has ended play no case: the cast is who the pages would let
    act (:func:`workflows.people.service.users_with_role`)."""
    with unit_of_work(scenario.host.session_factory) as session:
        clerk = session.scalar(select(User).where(User.username == "clerk"))
        hall = clerk.roles[0].org_unit_id
        clerk.roles[0].ends_on = local_today(session, scenario.school_id) - timedelta(days=1)
        left = create_user(session, username="left", password="x" * 12, display_name="已离校", school_id=scenario.school_id,
                           roles=[(Role.requester, None)])
        left.active = False
        new_clerk = create_user(session, username="clerk2", password="x" * 12, display_name="新话务员",
                                school_id=scenario.school_id, roles=[(Role.clerk, hall)]).id
        requester = session.scalar(select(User.id).where(User.username == "requester"))
    assert _seed(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        played = session.execute(select(Complaint.complainant_id, Complaint.entered_by_id)
                                 .where(Complaint.school_id == scenario.school_id)).all()
    assert {complainant for complainant, _ in played} - {None} == {requester}
    assert {entered_by for _, entered_by in played} - {None} == {new_clerk}
