"""Form data sources for picking people and units (``choices_from``), resolved for the task being done.

Each source takes the task's school, org unit and the page's locale and returns ``(value, label)`` pairs.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.sources import takes_argument
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, RoleAssignment, User
from workflows.people.service import descendant_unit_ids, users_with_role


def workers(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    """Workers in the task's unit and every unit below it."""
    stmt = select(User).join(RoleAssignment).where(RoleAssignment.role == Role.worker, User.active.is_(True),
                                                   User.school_id == school_id)
    if org_unit_id is not None:
        stmt = stmt.where(RoleAssignment.org_unit_id.in_(descendant_unit_ids(session, org_unit_id)))
    return [(str(u.id), u.display_name) for u in session.scalars(stmt.distinct().order_by(User.display_name))]


def teams(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    stmt = select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.kind == "team")
    if org_unit_id is not None:
        stmt = stmt.where(OrgUnit.id.in_(descendant_unit_ids(session, org_unit_id)))
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


SOURCES = {"workers": workers, "teams": teams, "org_units": org_units, "users_of_role": users_of_role}
