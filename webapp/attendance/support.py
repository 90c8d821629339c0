"""What the attendance pages share: the school's staff in service, posts and buildings by id, a person of the school
or 404."""
from __future__ import annotations

from operator import attrgetter

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import db
from webapp.i18n import locale_code
from webapp.shared import school_id
from workflows.catalogue.models import Building
from workflows.people.timezone import local_today
from workflows.staff.models import Post, StaffMember
from workflows.staff.readmodel import in_service


def staff_of_school(staff_id: int) -> StaffMember:
    """The person ``staff_id`` of the reader's school; 404 for anyone else's (their existence does not leak)."""
    staff = db.session().get(StaffMember, staff_id)
    if staff is None or staff.school_id != school_id():
        abort(404)
    return staff


def post_names(session: Session, school: int) -> dict[int, str]:
    locale = locale_code()
    return {post.id: post.name(locale) for post in session.scalars(select(Post).where(Post.school_id == school)
                                                                    .order_by(Post.code))}


def building_names(session: Session, school: int) -> dict[int, str]:
    rows = session.execute(select(Building.id, Building.name).where(Building.school_id == school).order_by(Building.name))
    return {building_id: name for building_id, name in rows}


def staff_in_service(session: Session, school: int) -> list[StaffMember]:
    """The school's people in service on its day (:func:`~workflows.staff.readmodel.in_service`), by staff number:
    the attendance pages list people without their unit, by the number they are known by."""
    return sorted(in_service(session, school_id=school, on=local_today(session, school)), key=attrgetter("number"))


def staff_names(session: Session, school: int) -> dict[int, str]:
    return {person.id: f"{person.name} ({person.number})" for person in staff_in_service(session, school)}
