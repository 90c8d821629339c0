"""Each school's time zone: its own calendar day dates order numbers and is "today" for appointments.

The scenario clock starts on Monday 2026-11-16 at 01:00 UTC: 09:00 that Monday in Shanghai (the default zone), but
still Sunday the 15th, 20:00, in New York — the UTC date and New York's differ until 05:00 UTC.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from seeded import START
from sqlalchemy import select

from engine.db import unit_of_work
from workflows.people import orgchart
from workflows.people.enums import Role
from workflows.people.models import School, User
from workflows.people.service import create_user, role_names, users_with_role
from workflows.people.timezone import DEFAULT_ZONE, local_today, school_zone

NEW_YORK = "America/New_York"


def _move_school_to(scenario, zone: str) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        orgchart.set_timezone(session, actor="admin", school=session.get(School, scenario.school_id), timezone=zone)


def test_a_school_in_new_york_numbers_its_orders_by_its_own_day(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        assert str(school_zone(session, scenario.school_id)) == DEFAULT_ZONE
        assert local_today(session, scenario.school_id) == date(2026, 11, 16)
    assert scenario.report() == "BX202611160001"

    _move_school_to(scenario, NEW_YORK)
    with unit_of_work(scenario.host.session_factory) as session:
        assert local_today(session, scenario.school_id) == date(2026, 11, 15)
    assert [scenario.report(), scenario.report()] == ["BX202611150001", "BX202611150002"]
    scenario.traveller.move_to(START + timedelta(hours=3, minutes=59))  # 23:59 on Sunday in New York
    assert scenario.report() == "BX202611150003"
    scenario.traveller.move_to(START + timedelta(hours=4))  # midnight in New York: its Monday begins
    assert scenario.report() == "BX202611160002"  # after the order numbered on Shanghai's Monday


def test_an_appointment_from_monday_holds_on_the_schools_monday(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        leader = create_user(session, username="new-leader", password="pw-new-leader", display_name="新领导",
                             school_id=scenario.school_id, roles=[(Role.school_leader, None)])
        leader.roles[0].starts_on = date(2026, 11, 16)
    with unit_of_work(scenario.host.session_factory) as session:
        leader = session.scalar(select(User).where(User.username == "new-leader"))
        assert Role.school_leader in role_names(leader)  # Monday already in Shanghai
    _move_school_to(scenario, NEW_YORK)
    with unit_of_work(scenario.host.session_factory) as session:
        leader = session.scalar(select(User).where(User.username == "new-leader"))
        assert role_names(leader) == set()  # still Sunday in New York
        holders = users_with_role(session, role=Role.school_leader, school_id=scenario.school_id)
        assert leader.id not in {u.id for u in holders}


def test_an_unknown_time_zone_is_refused_and_the_school_keeps_its_own(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        school = session.get(School, scenario.school_id)
        for wrong in ("Mars/Olympus", "localtime", "", "Asia"):
            with pytest.raises(orgchart.OrgError, match="bad_timezone"):
                orgchart.set_timezone(session, actor="admin", school=school, timezone=wrong)
        assert school.timezone == DEFAULT_ZONE


def test_the_working_day_calendar_counts_in_the_schools_own_time_zone(scenario):
    rules = scenario.runtime.rules
    with unit_of_work(scenario.host.session_factory) as session:
        assert rules.book(session, scenario.school_id).calendar.timezone == DEFAULT_ZONE
    _move_school_to(scenario, NEW_YORK)
    with unit_of_work(scenario.host.session_factory) as session:
        assert rules.book(session, scenario.school_id).calendar.timezone == NEW_YORK, "one time zone per school"
