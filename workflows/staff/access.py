"""Who may read and who may change the staff register, always within the user's own school.

Administrators manage every unit's staff; a unit's leaders (main or deputy) manage the staff of their unit and the
units below it, and review its certificate renewals; supervisors and school leaders read every unit's register.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from workflows.people.enums import Role
from workflows.people.models import RoleAssignment, User
from workflows.people.service import descendant_unit_ids
from workflows.people.timezone import local_today

SCHOOL_MANAGERS = frozenset({Role.admin})
UNIT_MANAGERS = frozenset({Role.main_leader, Role.deputy_leader})
READERS = frozenset({Role.supervisor, Role.school_leader})
STAFF_ROLES = tuple(SCHOOL_MANAGERS | UNIT_MANAGERS | READERS)  # the roles a staff page lets in


def _in_force(session: Session, user: User) -> list[RoleAssignment]:
    today = local_today(session, user.school_id)
    return [a for a in user.roles if a.in_force(today)]


def managed_units(session: Session, user: User) -> set[int] | None:
    """The units whose staff ``user`` may change: None for every unit of their school, else a set (maybe empty)."""
    held = _in_force(session, user)
    if any(a.role in SCHOOL_MANAGERS or (a.role in UNIT_MANAGERS and a.org_unit_id is None) for a in held):
        return None
    units: set[int] = set()
    for a in held:
        if a.role in UNIT_MANAGERS and a.org_unit_id is not None:
            units |= descendant_unit_ids(session, a.org_unit_id)
    return units


def readable_units(session: Session, user: User) -> set[int] | None:
    """The units whose staff ``user`` may read: None for every unit of their school."""
    if any(a.role in READERS for a in _in_force(session, user)):
        return None
    return managed_units(session, user)


def may_manage(session: Session, user: User, *, school_id: int, unit_id: int) -> bool:
    if user.school_id != school_id:
        return False
    units = managed_units(session, user)
    return units is None or unit_id in units


def may_read(session: Session, user: User, *, school_id: int, unit_id: int) -> bool:
    if user.school_id != school_id:
        return False
    units = readable_units(session, user)
    return units is None or unit_id in units
