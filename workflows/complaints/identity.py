"""Who may read a complaint, and who may know who made it.

The complainant's identity is hidden from the unit complained about: only the supervision office (supervisors,
school leaders, administrators) that is not itself part of the target or responsible unit, and the complainant,
see the name and phone. An anonymous complaint shows its complainant to nobody but themselves. Everyone else who
may read the complaint (its handlers, the leaders it is raised to) reads "hidden".
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from rules.book import RuleBook
from rules.store import RuleStore
from workflows.complaints.models import Complaint
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.service import descendant_unit_ids, role_names, unit_and_above

OFFICE_ROLES = frozenset({Role.supervisor, Role.school_leader, Role.admin})
LEADER_ROLES = frozenset({Role.deputy_leader, Role.main_leader})
READER_ROLES = OFFICE_ROLES | LEADER_ROLES | {Role.clerk}


def _units_of(user: User) -> set[int]:
    return {a.org_unit_id for a in user.roles if a.org_unit_id is not None}


def in_complained_unit(session: Session, user: User, complaint: Complaint) -> bool:
    """Whether ``user`` holds a role in the target or responsible unit (or a unit below them)."""
    mine = _units_of(user)
    if not mine:
        return False
    units: set[int] = set()
    for unit_id in (complaint.target_unit_id, complaint.unit_id):
        if unit_id is not None:
            units |= descendant_unit_ids(session, unit_id)
    return bool(mine & units) or complaint.target_person_id == user.id


def read_scope(session: Session, user: User, store: RuleStore) -> set[int] | None:
    """The units whose complaints ``user`` reads by their role, ``None`` for the whole school.

    The office, the clerk who answers the hotline and whoever holds the role the rules raise complaints to read
    every complaint. A deputy or main leader reads the complaints handled by or made about the unit they lead and
    the units below it; one held for the whole school reads them all. A property company's leader thus never reads
    the complaints about the canteen company."""
    return _scope(session, user, store.book(session, user.school_id))


def _raised_to(book: RuleBook) -> str:
    """The role the school's rules raise complaints to: its holders read every complaint."""
    return str(book.value("complaints.leader.role"))


def _scope(session: Session, user: User, book: RuleBook) -> set[int] | None:
    """:func:`read_scope` under the school's rules read already (a caller reading them for more reads them once)."""
    names = role_names(user)
    if names & (OFFICE_ROLES | {Role.clerk}) or _raised_to(book) in names:
        return None
    scope: set[int] = set()
    for held in user.roles:
        if held.role in LEADER_ROLES and held.role in names:
            if held.org_unit_id is None:
                return None
            scope |= descendant_unit_ids(session, held.org_unit_id)
    return scope


def may_view(session: Session, user: User, complaint: Complaint, store: RuleStore) -> bool:
    """The complaint's school only: its complainant and the clerk who entered it, the readers within their
    :func:`read_scope`, and the holders of the handling role in the responsible unit (or above it in their
    school)."""
    if user.school_id != complaint.school_id:
        return False
    if user.id in (complaint.complainant_id, complaint.entered_by_id):
        return True
    book = store.book(session, complaint.school_id)
    names = role_names(user)
    if names & READER_ROLES or _raised_to(book) in names:
        scope = _scope(session, user, book)
        if scope is None or bool({complaint.unit_id, complaint.target_unit_id} & scope):
            return True
    handler = str(book.value("complaints.unit.role"))
    if handler not in names or complaint.unit_id is None:
        return False
    handling = {a.org_unit_id for a in user.roles if a.role == handler}
    return None in handling or bool(handling & unit_and_above(session, complaint.unit_id))


def sees_identity(session: Session, user: User, complaint: Complaint) -> bool:
    """Whether ``user`` may know who made the complaint (see the module's docstring)."""
    if user.school_id != complaint.school_id:
        return False
    if complaint.complainant_id is not None and user.id == complaint.complainant_id:
        return True
    if complaint.anonymous or not role_names(user) & OFFICE_ROLES:
        return False
    return not in_complained_unit(session, user, complaint)
