"""Helpers for the inbox tests (a module of its own: ``conftest`` is a name every test folder uses)."""
from __future__ import annotations

from sqlalchemy import select

from workflows.people.models import OrgUnit, User


def add_staff(site, username: str, role: str, *, unit_name: str | None = None) -> int:
    """Another member of the demo school: ``role`` in the unit whose name starts with ``unit_name`` (or the worker's
    team, the auditor's company)."""
    from workflows.demo import DEMO_PASSWORD
    from workflows.people.models import RoleAssignment
    from workflows.people.service import create_user

    with site.db() as session:
        if unit_name:
            unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id,
                                                              OrgUnit.name.startswith(unit_name)))
        else:
            like = "worker" if role == "worker" else "auditor"
            unit_id = session.scalar(select(RoleAssignment.org_unit_id).join(User).where(User.username == like))
        user = create_user(session, username=username, password=DEMO_PASSWORD, display_name=username,
                           school_id=site.school_id, roles=[(role, unit_id)])
        return user.id
