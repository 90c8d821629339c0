"""Form data sources for picking people and units (``choices_from``), resolved for the task being done.

``staff`` and ``everyone`` are person pickers' sources (:mod:`workflows.people.picker`): they can also be searched.

Each source takes the task's school, org unit and the page's locale and returns ``(value, label)`` pairs, or
``(value, label, parents)`` when an option belongs to values of another field (a worker to their teams).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from forms.sources import takes_argument
from workflows.modules.contract import Source
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, RoleAssignment, User
from workflows.people.picker import EVERYONE, STAFF, PeopleSource
from workflows.people.service import descendant_units, in_force_on, users_with_role
from workflows.people.timezone import local_today


def workers_by_unit(session: Session, *, school_id: int, org_unit_id: int | None) -> list[tuple[User, set[int]]]:
    """Active workers in the task's unit and every unit below it, each with the units (teams) where their worker
    role is in force today, ordered by name."""
    stmt = (select(User, RoleAssignment.org_unit_id).join(RoleAssignment)
            .where(RoleAssignment.role == Role.worker, User.active.is_(True), User.school_id == school_id,
                   in_force_on(local_today(session, school_id)))
            .options(lazyload(User.roles)))  # the roles that count are the joined ones, in force today
    if org_unit_id is not None:
        stmt = stmt.where(RoleAssignment.org_unit_id.in_(descendant_units(org_unit_id)))
    units: dict[int, set[int]] = {}
    people: dict[int, User] = {}
    for user, unit_id in session.execute(stmt.order_by(User.display_name, User.id)):
        people.setdefault(user.id, user)
        units.setdefault(user.id, set()).update({unit_id} if unit_id is not None else set())
    return [(user, units[user.id]) for user in people.values()]


def workers(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str, list[int]]]:
    """Workers in the task's unit and every unit below it, each with their teams (a field may depend on a team)."""
    return [(str(u.id), u.display_name, sorted(teams)) for u, teams in
            workers_by_unit(session, school_id=school_id, org_unit_id=org_unit_id)]


def teams(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    stmt = select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.kind == "team")
    if org_unit_id is not None:
        stmt = stmt.where(OrgUnit.id.in_(descendant_units(org_unit_id)))
    return [(str(u.id), u.name) for u in session.scalars(stmt.order_by(OrgUnit.name))]


def org_units(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    """Every org unit of the school (the org picker)."""
    stmt = select(OrgUnit).where(OrgUnit.school_id == school_id).order_by(OrgUnit.parent_id.is_not(None), OrgUnit.name)
    return [(str(u.id), u.name) for u in session.scalars(stmt)]


@takes_argument
def users_of_role(session: Session, *, school_id: int, org_unit_id: int | None, locale: str,
                  argument: str) -> list[tuple[str, str]]:
    """``users_of_role:auditor``: holders of the role in the task's unit or above it (school-wide holders too)."""
    users = users_with_role(session, role=argument, school_id=school_id, org_unit_id=org_unit_id)
    return [(str(u.id), u.display_name) for u in sorted(users, key=lambda u: u.display_name)]


SOURCES: dict[str, Source] = {"workers": workers, "teams": teams, "org_units": org_units, "users_of_role": users_of_role,
           STAFF: PeopleSource(), EVERYONE: PeopleSource(include_requesters=True)}
