"""Who may read duty records: the school's staff (anyone holding a role other than requester), and the person an
anomaly concerns; who may manage posts, equipment and rosters: the supervisor role of the rules, leaders, admins."""
from __future__ import annotations

from rules.book import RuleBook
from workflows.duty.models import Anomaly
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.service import role_names

MANAGERS = frozenset({Role.admin, Role.main_leader, Role.deputy_leader, Role.school_leader})
STAFF_ROLES = tuple(role.value for role in Role if role != Role.requester)  # who reads duty pages


def is_staff(user: User) -> bool:
    return bool(role_names(user) - {Role.requester})


def may_view(user: User, anomaly: Anomaly) -> bool:
    return anomaly.school_id == user.school_id and (is_staff(user) or anomaly.user_id == user.id)


def may_manage(book: RuleBook, user: User) -> bool:
    roles = role_names(user)
    return bool(roles & MANAGERS) or str(book.value("duty.supervisor.role")) in roles
