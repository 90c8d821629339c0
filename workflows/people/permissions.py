"""Why a person may see and do what they can: each role assignment, whether it is in force today, and the units
it reaches (a role held in a unit covers that unit and every unit below it; without a unit, the whole school),
and the one task policy configured with this organisation's roles."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.policy import TaskPolicy
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, RoleAssignment, User
from workflows.people.service import descendant_unit_ids
from workflows.people.timezone import local_today

TASK_POLICY = TaskPolicy(
    manager_roles=frozenset({Role.auditor}),  # reassign any task in the units where they audit
    personal_roles=frozenset({Role.requester}),  # a requester's own task is never released or handed on
    admin_roles=frozenset({Role.admin}),  # hand over a leaving person's open work
)


@dataclass(frozen=True)
class Grant:
    assignment: RoleAssignment
    unit: OrgUnit | None
    reaches: list[str]  # names of the units the role covers (empty: the whole school)
    in_force: bool
    covers: User | None


def grants_of(session: Session, user: User, *, on: date | None = None) -> list[Grant]:
    day = on or local_today(session, user.school_id)
    grants = []
    for assignment in sorted(user.roles, key=lambda a: (a.role, a.org_unit_id or 0)):
        unit = session.get(OrgUnit, assignment.org_unit_id) if assignment.org_unit_id else None
        reaches = []
        if unit is not None:
            ids = descendant_unit_ids(session, unit.id)
            reaches = list(session.scalars(select(OrgUnit.name).where(OrgUnit.id.in_(ids)).order_by(OrgUnit.name)))
        covers = session.get(User, assignment.covers_user_id) if assignment.covers_user_id else None
        grants.append(Grant(assignment, unit, reaches, assignment.in_force(day), covers))
    return grants
