"""Inspections on PostgreSQL: the same round submitted twice at once is recorded once (the round's row lock), and
two planners running together plan a scheduled round once (the schedule and day are unique together)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from engine.db import get_locked
from workflows.catalogue.models import Building
from workflows.demo import seed
from workflows.inspections.checklists import ChecklistEntry, ItemEntry, save_checklist
from workflows.inspections.enums import WhyNotRecorded
from workflows.inspections.models import InspectionFinding, InspectionResult, InspectionRound
from workflows.inspections.rounds import (
    ItemResult,
    RoundError,
    RoundRefused,
    RoundReport,
    carry_out,
    round_to_record,
    start_spot_check,
)
from workflows.inspections.schedules import ScheduleEntry, create_schedule, plan_rounds
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.timezone import local_today

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(runtime, migrated_pg_url, clock):
    harness = runtime(migrated_pg_url)
    harness.deploy_path()
    with harness.session() as session:
        seed(session, harness.host)
    return harness


def _prepared(pg) -> tuple[int, str, list[int], int, int, int]:
    with pg.session() as session:
        inspector = session.scalar(select(User).where(User.username == "supervisor"))
        school = inspector.school_id
        book = pg.runtime.rules.book(session, school)
        template = save_checklist(session, school_id=school, actor="admin", entry=ChecklistEntry(
            name="宿舍楼检查", service_type="dormitory", items=[ItemEntry("楼道照明完好"), ItemEntry("消防通道畅通")]))
        building = session.scalar(select(Building.id).where(Building.school_id == school))
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school, OrgUnit.kind == UnitKind.service_unit))
        row = start_spot_check(session, book, inspector=inspector, template_id=template.id, building_id=building,
                               unit_id=unit)
        return school, row.number, [i.id for i in template.items], template.id, building, unit


def test_a_round_submitted_twice_at_once_is_recorded_once(pg):
    school, number, (lights, exits), _template, _building, _unit = _prepared(pg)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(note: str) -> None:
        session = pg.host.session_factory()
        try:
            inspector = session.scalar(select(User).where(User.username == "supervisor"))
            book = pg.runtime.rules.book(session, school)
            barrier.wait(timeout=10)
            carry_out(session, pg.host, book, inspector=inspector, number=number, report=RoundReport(
                results=[ItemResult(lights, passed=False, note=note), ItemResult(exits)]))
            session.commit()
            outcomes.append("recorded")
        except RoundError:
            session.rollback()
            outcomes.append("refused")
        finally:
            session.close()

    threads = [threading.Thread(target=submit, args=(note,)) for note in ("二楼灯不亮", "三楼灯不亮")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["recorded", "refused"]
    with pg.session() as session:
        assert session.scalar(select(func.count(InspectionResult.id))) == 2
        assert session.scalar(select(func.count(InspectionFinding.id))) == 1
        assert session.scalar(select(InspectionRound.status).where(InspectionRound.number == number)) == "done"


def test_a_round_recorded_while_the_api_read_its_body_is_refused_under_the_lock(pg):
    """The API asks without the lock, reads the body, then asks with it; a round another request recorded in
    between is refused, though this session already holds the copy it read first."""
    school, number, (lights, exits), _template, _building, _unit = _prepared(pg)
    session = pg.host.session_factory()
    try:
        inspector = session.scalar(select(User).where(User.username == "supervisor"))
        book = pg.runtime.rules.book(session, school)
        first = round_to_record(session, book, inspector=inspector, number=number, lock=False)  # kept in the session
        with pg.session() as other:  # another request records the round in between
            carry_out(other, pg.host, pg.runtime.rules.book(other, school),
                      inspector=other.scalar(select(User).where(User.username == "supervisor")),
                      number=number, report=RoundReport(results=[ItemResult(lights), ItemResult(exits)]))
        with pytest.raises(RoundRefused) as refused:
            round_to_record(session, book, inspector=inspector, number=number)
        assert refused.value.why == WhyNotRecorded.already_recorded and first.status == "done"
    finally:
        session.rollback()
        session.close()


def test_two_planners_at_once_plan_each_scheduled_round_once(pg):
    school, _number, _items, template, building, unit = _prepared(pg)
    with pg.session() as session:
        inspector = session.scalar(select(User.id).where(User.username == "supervisor"))
        today = local_today(session, school)
        create_schedule(session, pg.runtime.rules.book(session, school), school_id=school, actor="admin", entry=ScheduleEntry(
            template_id=template, building_id=building, unit_id=unit, inspector_id=inspector, recurrence="weekly",
            starts_on=today, weekdays=list(range(7))))  # every day
    barrier = threading.Barrier(2)
    planned: list[int] = []

    def plan() -> None:
        session = pg.host.session_factory()
        try:
            barrier.wait(timeout=10)
            planned.append(plan_rounds(session, pg.runtime.rules))
            session.commit()
        finally:
            session.close()

    threads = [threading.Thread(target=plan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with pg.session() as session:
        days = session.scalars(select(InspectionRound.planned_on).where(InspectionRound.schedule_id.is_not(None))).all()
    assert len(days) == len(set(days)) == 2  # today and tomorrow (a day ahead), each once
    assert sum(planned) == 2


def test_a_locked_read_keeps_changes_the_session_has_not_flushed_yet(pg):
    """get_locked reads a clean copy again, never one with changes still waiting for the flush."""
    _school, number, *_rest = _prepared(pg)
    with pg.session() as session:
        row = session.scalar(select(InspectionRound).where(InspectionRound.number == number))
        with session.no_autoflush:
            row.status = "cancelled"
            assert get_locked(session, InspectionRound, row.id).status == "cancelled"
        session.rollback()
