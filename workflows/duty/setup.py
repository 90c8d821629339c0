"""Setting up duty: the equipment register, posts with their patrol points, and shift templates; each change
checked against the school (a building, unit or person of another school is refused) and audited."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import record as audit
from workflows.catalogue.models import Building
from workflows.duty.enums import DutyAction, EquipmentKind, Metric, PostKind
from workflows.duty.models import Equipment, Point, Post, Route, ShiftTemplate
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import OrgUnit, User


class SetupError(FieldError):
    """The entry is refused; ``field`` names the input at fault."""


def _of_school(session: Session, model: type, row_id: int | None, school_id: int, field: str) -> None:
    if row_id is None:
        return
    row = session.get(model, row_id)
    if row is None or row.school_id != school_id:
        raise SetupError(field, N_("not of this school"))


@dataclass(frozen=True)
class EquipmentEntry:
    code: str
    name: str
    kind: str
    place: str = ""
    building_id: int | None = None
    unit_id: int | None = None
    post_id: int | None = None
    maintenance_due: date | None = None
    limits: dict | None = None  # {metric: {"min": …, "max": …}}


def save_equipment(session: Session, *, school_id: int, entry: EquipmentEntry, actor: str,
                   equipment_id: int | None = None) -> Equipment:
    """Add a device to the register, or change one (its code stays unique in the school)."""
    code = entry.code.strip()
    if not code or not entry.name.strip():
        raise SetupError("code" if not code else "name", N_("required"))
    if entry.kind not in set(EquipmentKind):
        raise SetupError("kind", N_("unknown kind"))
    for metric, bounds in (entry.limits or {}).items():
        if metric not in set(Metric) or not isinstance(bounds, dict) or \
                not all(isinstance(v, int | float) for v in bounds.values()):
            raise SetupError("limits", N_("limits are numbers per metric"))
    _of_school(session, Building, entry.building_id, school_id, "building_id")
    _of_school(session, OrgUnit, entry.unit_id, school_id, "unit_id")
    _of_school(session, Post, entry.post_id, school_id, "post_id")
    taken = session.scalar(select(Equipment.id).where(Equipment.school_id == school_id, Equipment.code == code))
    if taken is not None and taken != equipment_id:
        raise SetupError("code", N_("this code is taken"))
    equipment = session.get(Equipment, equipment_id) if equipment_id else None
    if equipment_id and (equipment is None or equipment.school_id != school_id):
        raise SetupError("code", N_("no such equipment"))
    if equipment is None:
        equipment = Equipment(school_id=school_id, active=True, limits={})
        session.add(equipment)
    equipment.code, equipment.name, equipment.kind, equipment.place = code, entry.name.strip(), entry.kind, entry.place.strip()
    equipment.building_id, equipment.unit_id, equipment.post_id = entry.building_id, entry.unit_id, entry.post_id
    equipment.maintenance_due = entry.maintenance_due
    if entry.limits is not None:
        equipment.limits = entry.limits
    session.flush()
    audit(session, action=DutyAction.EQUIPMENT_SAVED, actor=actor, school_id=school_id,
          details={"equipment": equipment.id, "code": code, "kind": entry.kind, "limits": equipment.limits,
                   "maintenance_due": entry.maintenance_due.isoformat() if entry.maintenance_due else None})
    return equipment


def add_post(session: Session, *, school_id: int, code: str, name: str, kind: str, place: str = "",
             building_id: int | None = None, unit_id: int | None = None, night: bool = True, actor: str) -> Post:
    if not code.strip() or not name.strip():
        raise SetupError("code" if not code.strip() else "name", N_("required"))
    if kind not in set(PostKind):
        raise SetupError("kind", N_("unknown kind"))
    _of_school(session, Building, building_id, school_id, "building_id")
    _of_school(session, OrgUnit, unit_id, school_id, "unit_id")
    if session.scalar(select(Post.id).where(Post.school_id == school_id, Post.code == code.strip())):
        raise SetupError("code", N_("this code is taken"))
    post = Post(school_id=school_id, code=code.strip(), name=name.strip(), kind=kind, place=place.strip(),
                building_id=building_id, unit_id=unit_id, night=night, instructions="",
                token=secrets.token_urlsafe(12), active=True)
    session.add(post)
    session.flush()
    audit(session, action=DutyAction.POST_SAVED, actor=actor, school_id=school_id,
          details={"post": post.id, "code": post.code, "name": post.name, "kind": kind})
    return post


def add_point(session: Session, *, school_id: int, post_id: int, name: str, actor: str) -> Point:
    """A patrol point on the post's route (the route is made with its first point)."""
    _of_school(session, Post, post_id, school_id, "post_id")
    if not name.strip():
        raise SetupError("name", N_("required"))
    post = session.get(Post, post_id)
    assert post is not None
    route = session.scalar(select(Route).where(Route.post_id == post_id).order_by(Route.id))
    if route is None:
        route = Route(school_id=school_id, post_id=post_id, name=post.name)
        session.add(route)
        session.flush()
    position = (session.scalar(select(func.max(Point.position)).where(Point.route_id == route.id)) or 0) + 1
    point = Point(school_id=school_id, route_id=route.id, code=f"{post.code}-{position}", name=name.strip(),
                  position=position, token=secrets.token_urlsafe(12))
    session.add(point)
    session.flush()
    audit(session, action=DutyAction.POST_SAVED, actor=actor, school_id=school_id,
          details={"post": post_id, "point": point.id, "point_name": point.name})
    return point


def add_template(session: Session, *, school_id: int, post_id: int, name: str, starts: time, ends: time,
                 weekdays: list[int], rotation: list[int], valid_from: date, actor: str) -> ShiftTemplate:
    """A recurring shift of a post; ``rotation`` the people taking it week by week, in turn."""
    _of_school(session, Post, post_id, school_id, "post_id")
    if not weekdays or any(d not in range(7) for d in weekdays):
        raise SetupError("weekdays", N_("choose the days of the week"))
    if not rotation:
        raise SetupError("rotation", N_("name who takes the shift"))
    for person in rotation:
        _of_school(session, User, person, school_id, "rotation")
    if starts == ends:
        raise SetupError("ends", N_("a shift cannot end when it starts"))
    template = ShiftTemplate(school_id=school_id, post_id=post_id, name=name.strip() or "—", starts=starts, ends=ends,
                             weekdays=sorted(set(weekdays)), rotation=rotation, valid_from=valid_from)
    session.add(template)
    session.flush()
    audit(session, action=DutyAction.TEMPLATE_SAVED, actor=actor, school_id=school_id,
          details={"template": template.id, "post": post_id, "starts": starts.isoformat(), "ends": ends.isoformat(),
                   "weekdays": template.weekdays, "rotation": rotation})
    return template
