"""What the attendance pages share: the school's staff, posts and buildings by id, a person of the school or 404."""
from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import db
from webapp.i18n import locale_code
from webapp.shared import school_id
from workflows.catalogue.models import Building
from workflows.staff.models import Post, StaffMember


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


def staff_names(session: Session, school: int) -> dict[int, str]:
    rows = session.execute(select(StaffMember.id, StaffMember.name, StaffMember.number)
                           .where(StaffMember.school_id == school, StaffMember.left_on.is_(None)).order_by(StaffMember.number))
    return {staff_id: f"{name} ({number})" for staff_id, name, number in rows}
