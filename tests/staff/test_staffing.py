"""The staffing rate (满编率) per unit, post and campus after people join and leave, read on any day; a post
staffed below the rule's threshold tells the unit's leader once per shortfall episode."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from engine.db import unit_of_work
from engine.models import AuditEvent
from engine.wakeups import run_job
from workflows.people.models import OrgUnit
from workflows.staff import register, staffing
from workflows.staff.enums import StaffAction
from workflows.staff.models import Post, StaffingPlan, StaffingShortfall

SHORTFALL = "staff.shortfall"


def check(scenario) -> None:
    """One pass of the hourly staffing check, as the scheduler runs it."""
    run_job(scenario.host, "staff.staffing_check")


def _setup(scenario) -> tuple[int, int, int]:
    """Cleaners: the cleaning team plans 4 on the day shift and 1 at night; 4 people join on 1 November."""
    with unit_of_work(scenario.host.session_factory) as session:
        school_id = scenario.school_id
        team = session.scalar(select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.name == "保洁绿化班"))
        post = Post(school_id=school_id, code="cleaner", name_zh="保洁员", name_en="Cleaner")
        session.add(post)
        session.flush()
        session.add_all([StaffingPlan(school_id=school_id, unit_id=team.id, post_id=post.id, shift="白班", headcount=4,
                                      effective_from=date(2026, 1, 1)),
                         StaffingPlan(school_id=school_id, unit_id=team.id, post_id=post.id, shift="夜班", headcount=1,
                                      effective_from=date(2026, 1, 1))])
        for n in range(4):
            register.create(session, actor="admin", school_id=school_id, data=register.StaffInput(
                number=f"C{n:03d}", name=f"保洁员{n}", unit_id=team.id, post_id=post.id, started_on=date(2026, 11, 1)))
        return school_id, team.id, post.id


def _rate(scenario, school_id: int, unit_id: int, on: date) -> staffing.Staffing:
    with unit_of_work(scenario.host.session_factory) as session:
        return staffing.by_unit(staffing.by_unit_and_post(session, school_id=school_id, on=on))[unit_id]


def test_staffing_rate_follows_joins_and_leaves_over_time(scenario):
    school_id, unit_id, post_id = _setup(scenario)
    assert _rate(scenario, school_id, unit_id, date(2026, 10, 31)) == staffing.Staffing(planned=5, active=0)
    assert _rate(scenario, school_id, unit_id, date(2026, 11, 16)).rate == 0.8
    with unit_of_work(scenario.host.session_factory) as session:
        register.create(session, actor="admin", school_id=school_id, data=register.StaffInput(
            number="C100", name="新保洁员", unit_id=unit_id, post_id=post_id, started_on=date(2026, 11, 20)))
        leaver = register.by_number(session, school_id=school_id, number="C000")
        register.leave(session, actor="admin", person=leaver, left_on=date(2026, 12, 1), reason="合同到期")
    assert _rate(scenario, school_id, unit_id, date(2026, 11, 19)).rate == 0.8
    assert _rate(scenario, school_id, unit_id, date(2026, 11, 20)).rate == 1.0  # joined
    assert _rate(scenario, school_id, unit_id, date(2026, 12, 1)).rate == 0.8  # left: no longer counted …
    with unit_of_work(scenario.host.session_factory) as session:  # … but kept in the register, with its history
        kept = register.by_number(session, school_id=school_id, number="C000")
        assert kept.left_on == date(2026, 12, 1) and kept.leave_reason == "合同到期"
        rows = staffing.by_unit_and_post(session, school_id=school_id, on=date(2026, 12, 1))
        assert staffing.by_post(rows)[post_id] == staffing.Staffing(5, 4)
        campus = session.get(OrgUnit, unit_id).campus_id
        assert staffing.by_campus(session, rows)[campus] == staffing.Staffing(5, 4)
        assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == StaffAction.member_left))


def test_a_shortfall_tells_the_leader_once_per_episode(scenario):
    school_id, unit_id, post_id = _setup(scenario)
    check(scenario)  # 4 of 5 = 80 % < 90 %: the deputy leader is told
    assert len(scenario.notifications("deputy", SHORTFALL)) == 1
    scenario.traveller.shift(timedelta(hours=2))
    check(scenario)  # the check runs again: same episode, nobody told again
    scenario.traveller.shift(timedelta(days=1))
    check(scenario)
    assert len(scenario.notifications("deputy", SHORTFALL)) == 1

    with unit_of_work(scenario.host.session_factory) as session:
        register.create(session, actor="admin", school_id=school_id, data=register.StaffInput(
            number="C100", name="新保洁员", unit_id=unit_id, post_id=post_id, started_on=date(2026, 11, 17)))
    scenario.traveller.shift(timedelta(hours=2))
    check(scenario)  # full again: the episode ends
    with unit_of_work(scenario.host.session_factory) as session:
        episodes = list(session.scalars(select(StaffingShortfall).order_by(StaffingShortfall.id)))
        assert [(e.started_on, e.ended_on) for e in episodes] == [(date(2026, 11, 16), date(2026, 11, 17))]
        leaver = register.by_number(session, school_id=school_id, number="C001")
        register.leave(session, actor="admin", person=leaver, left_on=date(2026, 11, 18), reason="辞职")
    scenario.traveller.move_to(datetime(2026, 11, 18, 2, 0, tzinfo=UTC))
    check(scenario)  # short again: a new episode, told again
    assert len(scenario.notifications("deputy", SHORTFALL)) == 2
    assert scenario.notifications("deputy", SHORTFALL)[-1].payload["title"] == "保洁绿化班 · 保洁员 4/5"
