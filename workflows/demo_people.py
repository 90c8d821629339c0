"""The people and places a demo or generated school's orders are drawn from: its workers and requesters (created
here in bulk) and, around them, its catalogue, buildings and the staff who review, rectify and chase."""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.catalogue.models import Building, CatalogueItem
from workflows.catalogue.service import locations
from workflows.demo import DEMO_PASSWORD, demo_password_hash
from workflows.demo_names import person_names
from workflows.people.enums import PersonKind, Role, UnitKind
from workflows.people.models import OrgUnit, RoleAssignment, User

PASSWORD = DEMO_PASSWORD  # the generator's schools log in as the demo's does


STUDENTS_IN = 5  # of every five requesters four are students, the fifth a teacher or another member of staff


def school_people(session: Session, school_id: int, *, workers_per_team: int, requesters: int, prefix: str = "r",
                  seed: int = 1) -> tuple[list[User], dict[int, list[User]]]:
    """Workers for every team and a crowd of requesters with ordinary names (one password hash: hashing is slow
    on purpose), each requester a student or staff of a campus (see :func:`_campus_turns`). A worker the school
    already has in a team (the demo's ``worker``) is one of that team's."""
    password_hash = demo_password_hash()
    taken = set(session.scalars(select(User.display_name).where(User.school_id == school_id)))
    teams = list(session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.kind == UnitKind.team)
                                 .order_by(OrgUnit.id)))
    names = iter(person_names(random.Random(seed), workers_per_team * len(teams) + requesters, taken=taken))
    turns = _campus_turns(session, school_id)

    def user(username: str, role: str, unit: int | None, **profile: object) -> User:
        account = User(username=username, display_name=next(names), password_hash=password_hash, school_id=school_id,
                       **profile)
        account.roles = [RoleAssignment(role=role, org_unit_id=unit, school_id=school_id)]
        session.add(account)
        return account

    workers = {team.id: [*_workers_of(session, team.id),
                         *(user(f"w{team.id}_{i}", Role.worker, team.id) for i in range(1, workers_per_team + 1))]
               for team in teams}
    crowd = [user(f"{prefix}{i:03d}", Role.requester, None, phone=f"139{i:08d}",
                  kind=PersonKind.student if i % STUDENTS_IN else PersonKind.staff,
                  campus_id=turns[i % len(turns)] if turns else None) for i in range(1, requesters + 1)]
    session.flush()
    return crowd, workers


def _campus_turns(session: Session, school_id: int) -> list[int]:
    """Each active campus once for each of its active buildings: requesters, taken in turn, are spread over the
    campuses as the buildings they study, live and work in are (the demo's: 8 of 14 on the main campus)."""
    return [campus.id for campus, buildings in locations(session, school_id=school_id) for _building in buildings]


def _workers_of(session: Session, team_id: int) -> list[User]:
    return list(session.scalars(select(User).join(RoleAssignment).where(
        RoleAssignment.role == Role.worker, RoleAssignment.org_unit_id == team_id).order_by(User.id)))


@dataclass(frozen=True)
class Staff:
    """Who and where one school's orders are drawn from, and who acts on them."""

    school_id: int
    items: list[CatalogueItem]
    places: list[tuple[int, int, str]]  # (campus, building, building name)
    requesters: list[User]
    workers: dict[int, list[User]]
    unit_of: dict[int, int | None]  # team -> its service unit
    by_role: dict[str, User]  # the first holder of each role: the auditor, the repair centre, the chasers
    labels: dict[int, str]  # the audit log's name of each of these people (``username#id``, as the engine writes it)


def staff(session: Session, school_id: int, requesters: list[User], workers: dict[int, list[User]]) -> Staff:
    """The school's catalogue, buildings and staff around the given people."""
    items = list(session.scalars(select(CatalogueItem).where(CatalogueItem.school_id == school_id,
                                                             CatalogueItem.parent_id.is_not(None)).order_by(CatalogueItem.id)))
    places = [(b.campus_id, b.id, b.name) for b in session.scalars(
        select(Building).where(Building.school_id == school_id, Building.active.is_(True)).order_by(Building.id))]
    if not places:
        raise LookupError(f"school {school_id} has no building")
    holders = session.execute(select(RoleAssignment.role, User).join(User, User.id == RoleAssignment.user_id)
                              .where(User.school_id == school_id).order_by(User.id))
    by_role: dict[str, User] = {}
    for role, user in holders:
        by_role.setdefault(role, user)
    people = (*requesters, *(worker for team in workers.values() for worker in team), *by_role.values())
    return Staff(school_id=school_id, items=items, places=places, requesters=requesters, workers=workers,
                 unit_of={team: session.get_one(OrgUnit, team).parent_id for team in workers}, by_role=by_role,
                 labels={user.id: f"{user.username}#{user.id}" for user in people})
