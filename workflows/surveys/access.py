"""Who writes surveys and who reads their results (always within the survey's school)."""
from __future__ import annotations

from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.service import role_names

MANAGER_ROLES = (Role.admin, Role.supervisor)  # the quality office: writes, publishes, hands out links
READER_ROLES = (*MANAGER_ROLES, Role.main_leader, Role.deputy_leader, Role.school_leader)  # reads the results


def may_read_results(user: User, school_id: int) -> bool:
    return user.school_id == school_id and bool(role_names(user) & set(READER_ROLES))
