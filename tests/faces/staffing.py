"""A school's staff for the attendance tests: a unit, a post, a building, people and check-in points."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows.attendance.enums import PointKind
from workflows.attendance.points import add_point
from workflows.catalogue.models import Building
from workflows.people.models import Campus
from workflows.staff.models import Post, StaffMember


@dataclass
class Staffing:
    school_id: int
    unit_id: int
    post_id: int
    building_id: int
    kiosk_id: int
    kiosk_token: str
    qr_id: int
    qr_code: str


def staff_school(session, people) -> Staffing:
    """A dormitory post with a kiosk and a QR code in building 1, in the school of ``people``."""
    post = Post(school_id=people.school_id, code=f"dorm{people.school_id}", name_zh="宿舍管理员", name_en="Dormitory keeper")
    campus = Campus(school_id=people.school_id, name="Main campus")
    session.add_all([post, campus])
    session.flush()
    building = Building(school_id=people.school_id, campus_id=campus.id, name="Dormitory 1")
    session.add(building)
    session.flush()
    kiosk, token = add_point(session, school_id=people.school_id, kind=PointKind.kiosk, name="Dorm 1 lobby tablet",
                             post_id=post.id, building_id=building.id, actor="admin", user_id=None)
    qr, _none = add_point(session, school_id=people.school_id, kind=PointKind.post_qr, name="Dorm 1 desk QR",
                          post_id=post.id, building_id=building.id, actor="admin", user_id=None)
    assert token is not None and qr.code is not None
    return Staffing(people.school_id, people.unit_id, post.id, building.id, kiosk.id, token, qr.id, qr.code)


def hire(session, staffing: Staffing, number: str, name: str, *, user_id: int | None = None,
         started_on: date = date(2024, 1, 1)) -> StaffMember:
    person = StaffMember(school_id=staffing.school_id, unit_id=staffing.unit_id, post_id=staffing.post_id, number=number,
                         name=name, user_id=user_id, started_on=started_on)
    session.add(person)
    session.flush()
    return person
