"""The org chart as admins edit it: a tree of units per school (departments, service units, teams, the
service hall) that can be created, renamed, moved and deactivated, and who is in charge of each unit.

"In charge" is a role assignment on the unit: ``main_leader`` (the leader) and ``deputy_leader`` (deputies), each
optionally dated; an acting leader is one of those roles held for a date range while covering a named holder.
Escalations find them through :func:`workflows.people.service.users_with_role`, which is date-aware.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.adminlog import changed, record_change
from workflows.people.enums import PeopleAction, Role, UnitKind
from workflows.people.models import Campus, OrgUnit, RoleAssignment, School, User
from workflows.people.service import unit_and_above
from workflows.people.timezone import is_zone

LEADER_ROLES = (Role.main_leader.value, Role.deputy_leader.value)


class OrgError(ValueError):
    """A refused org-chart change; ``code``: ``bad_kind``, ``bad_parent``, ``cycle``, ``empty_name``, ``too_long``,
    ``code_taken``, ``bad_timezone``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class TreeRow:
    unit: OrgUnit
    depth: int


@dataclass(frozen=True)
class InCharge:
    assignment: RoleAssignment
    user: User
    covers: User | None


def tree(session: Session, *, school_id: int, include_inactive: bool = True) -> list[TreeRow]:
    """Every unit in depth-first order under its parent, with its depth (one query)."""
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id).order_by(OrgUnit.name)))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        if include_inactive or unit.active:
            children.setdefault(unit.parent_id, []).append(unit)
    rows: list[TreeRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            rows.append(TreeRow(unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return rows


def rename_school(session: Session, *, actor: str, school: School, name: str) -> None:
    if not name.strip():
        raise OrgError("empty_name")
    if school.name != name.strip():
        record_change(session, actor=actor, action=PeopleAction.school_updated, school_id=school.id, target=f"school:{school.id}",
                      before={"name": school.name}, after={"name": name.strip()})
        school.name = name.strip()


def set_timezone(session: Session, *, actor: str, school: School, timezone: str) -> None:
    """Set the school's time zone (an IANA name): new order numbers, "today" and the figures' days follow it."""
    if not is_zone(timezone):
        raise OrgError("bad_timezone")
    if school.timezone != timezone:
        record_change(session, actor=actor, action=PeopleAction.school_updated, school_id=school.id, target=f"school:{school.id}",
                      before={"timezone": school.timezone}, after={"timezone": timezone})
        school.timezone = timezone


def create_school(session: Session, *, actor: str, code: str, name: str, campus: str) -> School:
    """Add a school with its first campus (a school without one could take no order), audited as one change."""
    values = {"code": code.strip(), "name": name.strip(), "campus": campus.strip()}
    if not all(values.values()):
        raise OrgError("empty_name")
    if len(values["code"]) > 40 or len(values["name"]) > 200 or len(values["campus"]) > 200:
        raise OrgError("too_long")
    if session.scalar(select(School.id).where(School.code == values["code"])) is not None:
        raise OrgError("code_taken")
    school = School(code=values["code"], name=values["name"])
    session.add(school)
    session.flush()
    session.add(Campus(school_id=school.id, name=values["campus"]))
    record_change(session, actor=actor, action=PeopleAction.school_created, school_id=school.id, target=f"school:{school.id}",
                  after=values)
    return school


def unit_of(session: Session, *, school_id: int, unit_id: int | None) -> OrgUnit | None:
    unit = session.get(OrgUnit, unit_id) if unit_id else None
    return unit if unit is not None and unit.school_id == school_id else None


def create_unit(session: Session, *, actor: str, school_id: int, name: str, kind: str, parent_id: int | None,
                campus_id: int | None = None) -> OrgUnit:
    _check(session, school_id=school_id, name=name, kind=kind, parent_id=parent_id)
    unit = OrgUnit(school_id=school_id, name=name.strip(), kind=kind, parent_id=parent_id, campus_id=campus_id, active=True)
    session.add(unit)
    session.flush()
    record_change(session, actor=actor, action=PeopleAction.unit_created, school_id=school_id, target=f"unit:{unit.id}",
                  after=_facts(unit))
    return unit


def update_unit(session: Session, *, actor: str, unit: OrgUnit, name: str, kind: str, parent_id: int | None) -> None:
    """Rename, re-kind or move ``unit``; moving it under itself or one of its descendants is refused."""
    _check(session, school_id=unit.school_id, name=name, kind=kind, parent_id=parent_id)
    if parent_id and unit.id in unit_and_above(session, parent_id):
        raise OrgError("cycle")
    before = _facts(unit)
    unit.name, unit.kind, unit.parent_id = name.strip(), kind, parent_id
    _record(session, actor, PeopleAction.unit_updated, unit, before)


def set_active(session: Session, *, actor: str, unit: OrgUnit, active: bool) -> None:
    """Deactivate or reactivate a unit; history (orders, tasks) keeps pointing at it."""
    if unit.active == active:
        return
    before = _facts(unit)
    unit.active = active
    _record(session, actor, PeopleAction.unit_activated if active else PeopleAction.unit_deactivated, unit, before)


def in_charge(session: Session, unit: OrgUnit) -> list[InCharge]:
    """The unit's leader and deputy appointments, dated and acting ones included, leader first."""
    rows = session.execute(select(RoleAssignment, User).join(User, User.id == RoleAssignment.user_id)
                           .where(RoleAssignment.org_unit_id == unit.id, RoleAssignment.role.in_(LEADER_ROLES))
                           .order_by(RoleAssignment.role.desc(), RoleAssignment.starts_on, User.display_name)).all()
    covered = {a.covers_user_id for a, _ in rows if a.covers_user_id}
    names: dict[int | None, User] = {u.id: u for u in session.scalars(select(User).where(User.id.in_(covered)))} if covered else {}
    return [InCharge(a, u, names.get(a.covers_user_id)) for a, u in rows]


def _check(session: Session, *, school_id: int, name: str, kind: str, parent_id: int | None) -> None:
    if not name.strip():
        raise OrgError("empty_name")
    if kind not in UnitKind.__members__:
        raise OrgError("bad_kind")
    if parent_id is not None and unit_of(session, school_id=school_id, unit_id=parent_id) is None:
        raise OrgError("bad_parent")


def _facts(unit: OrgUnit) -> dict:
    return {"name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id, "active": unit.active}


def _record(session: Session, actor: str, action: PeopleAction, unit: OrgUnit, before: dict) -> None:
    old, new = changed(before, _facts(unit))
    record_change(session, actor=actor, action=action, school_id=unit.school_id, target=f"unit:{unit.id}",
                  before=old, after=new)
