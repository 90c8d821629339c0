"""A night shift across midnight with the clock frozen and moved: on time, late, early leave, absent and missing
check-out, who is on post at 02:00, and the on-post rate once the shift is over."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.faces.staffing import hire, staff_school
from workflows.attendance import checkins, rosters
from workflows.attendance.enums import Mark, PointKind
from workflows.attendance.points import add_point
from workflows.attendance.readmodel import on_post_now, rates, shift_rows
from workflows.attendance.settings import attendance_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = date(2025, 3, 3)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def night(runtime, migrated_pg_url, clock):
    pg = runtime(migrated_pg_url)
    with pg.session() as session:
        staffing = staff_school(session, pg.people())
        terminal, token = add_point(session, school_id=staffing.school_id, kind=PointKind.terminal, name="Vendor gate",
                                    post_id=staffing.post_id, building_id=staffing.building_id, actor="admin", user_id=None)
        shift = rosters.add_shift(session, school_id=staffing.school_id, post_id=staffing.post_id, name="Night",
                                  starts=time(22), ends=time(6), actor="admin")
        for number in ("on-time", "late", "early", "absent", "no-out"):
            person = hire(session, staffing, number, number.title())
            rosters.roster(session, staff=person, shift=shift, first=NIGHT, last=NIGHT, actor="admin")
    return pg, staffing, terminal.id


def scan(pg, point_id: int, number: str, clock, at: datetime) -> None:
    from workflows.attendance.models import CheckinPoint

    clock.to(at)
    with pg.session() as session:
        checkins.by_number(session, pg.runtime.rules, point=session.get(CheckinPoint, point_id), number=number)


def marks(pg, school_id: int, at: datetime) -> dict[str, frozenset[Mark]]:
    with pg.session() as session:
        grace = attendance_rules(pg.runtime.rules, session, school_id).grace
        return {row.staff.number: row.outcome.marks
                for row in shift_rows(session, school_id, grace, first=NIGHT, last=NIGHT, at=at)}


def test_a_night_shift_across_midnight(night, clock):
    pg, staffing, point = night
    assert set(marks(pg, staffing.school_id, local(3, 21)).values()) == {frozenset({Mark.upcoming})}
    scan(pg, point, "early", clock, local(3, 21, 55))
    scan(pg, point, "on-time", clock, local(3, 21, 58))
    scan(pg, point, "no-out", clock, local(3, 22, 0))
    scan(pg, point, "late", clock, local(3, 22, 20))
    scan(pg, point, "early", clock, local(4, 3, 0))  # after midnight: still the night of the 3rd

    at_two = local(4, 2)
    clock.to(at_two)
    now = marks(pg, staffing.school_id, at_two)
    assert now["late"] == {Mark.late, Mark.ongoing} and now["absent"] == {Mark.ongoing}
    with pg.session() as session:
        grace = attendance_rules(pg.runtime.rules, session, staffing.school_id).grace
        on_post = on_post_now(session, staffing.school_id, grace, at_two)
    assert {row.staff.number for row in on_post[staffing.building_id]} == {"on-time", "no-out", "late", "early"}

    scan(pg, point, "on-time", clock, local(4, 6, 2))
    scan(pg, point, "late", clock, local(4, 5, 58))
    morning = local(4, 10, 1)  # the shift ended at 06:00; check-outs counted until 10:00
    clock.to(morning)
    after = marks(pg, staffing.school_id, morning)
    assert after == {
        "on-time": {Mark.on_time}, "late": {Mark.late}, "early": {Mark.on_time, Mark.early_leave},
        "absent": {Mark.absent}, "no-out": {Mark.on_time, Mark.missing_checkout},
    }
    with pg.session() as session:
        grace = attendance_rules(pg.runtime.rules, session, staffing.school_id).grace
        rows = shift_rows(session, staffing.school_id, grace, first=NIGHT, last=NIGHT, at=morning)
    (per_post,) = rates(rows, "post")
    assert (per_post.rostered, per_post.present, per_post.rate) == (5, 4, 0.8)


def test_at_nine_the_no_out_person_is_still_open_and_a_grace_rule_changes_late(night, clock):
    pg, staffing, point = night
    scan(pg, point, "no-out", clock, local(3, 22, 4))  # within 5 minutes' grace
    nine = local(4, 9)
    clock.to(nine)
    assert marks(pg, staffing.school_id, nine)["no-out"] == {Mark.on_time, Mark.ongoing}
    with pg.session() as session:
        pg.runtime.rules.save(session, school_id=staffing.school_id, content={"school": {"attendance.shift.late_after": "2m"}},
                              author="admin", comment="stricter")
    assert marks(pg, staffing.school_id, nine)["no-out"] == {Mark.late, Mark.ongoing}
