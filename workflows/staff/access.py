"""Who may read and who may change the staff register, always within the user's own school.

Administrators manage every unit's staff; a unit's leaders (main or deputy) manage the staff of their unit and the
units below it, and review its certificate renewals; supervisors and school leaders read every unit's register.
"""
from __future__ import annotations

from dataclasses import dataclass

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


def _managed(session: Session, held: list[RoleAssignment]) -> set[int] | None:
    """The units whose staff the roles ``held`` may change: None for every unit of the school."""
    if any(a.role in SCHOOL_MANAGERS or (a.role in UNIT_MANAGERS and a.org_unit_id is None) for a in held):
        return None
    units: set[int] = set()
    for a in held:
        if a.role in UNIT_MANAGERS and a.org_unit_id is not None:
            units |= descendant_unit_ids(session, a.org_unit_id)
    return units


@dataclass(frozen=True)
class Reach:
    """The units of ``school_id`` whose staff a user may change (``managed``) and read (``readable``): None for every
    unit of the school, else a set (maybe empty)."""

    school_id: int | None
    managed: set[int] | None
    readable: set[int] | None

    def may_manage(self, *, school_id: int, unit_id: int) -> bool:
        return school_id == self.school_id and (self.managed is None or unit_id in self.managed)

    def may_read(self, *, school_id: int, unit_id: int) -> bool:
        return school_id == self.school_id and (self.readable is None or unit_id in self.readable)


def reach(session: Session, user: User) -> Reach:
    """Both answers from one reading of the user's roles in force (a page asking both keeps it for the request)."""
    held = _in_force(session, user)
    managed = _managed(session, held)
    return Reach(school_id=user.school_id, managed=managed,
                 readable=None if any(a.role in READERS for a in held) else managed)


def readable_units(session: Session, user: User) -> set[int] | None:
    """The units whose staff ``user`` may read: None for every unit of their school."""
    return reach(session, user).readable


def may_read(session: Session, user: User, *, school_id: int, unit_id: int) -> bool:
    return reach(session, user).may_read(school_id=school_id, unit_id=unit_id)
