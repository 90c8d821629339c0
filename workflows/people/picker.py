"""Finding a person in a long list: what a person picker searches and offers (name, staff number, the last digits
of a phone; by unit and by role), always within one school.

A picker offers staff only: active people holding a role other than requester today who are not students. A picker
that says so (the ``everyone`` source) offers requesters and students too. The whole list is what a page without
script shows as a plain select; the search is what the picker asks for as the user types.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from engine.paging import Page, paged
from workflows.people.enums import PersonKind, Role
from workflows.people.models import OrgUnit, RoleAssignment, User
from workflows.people.service import descendant_unit_ids, in_force_on
from workflows.people.timezone import local_today

STAFF, EVERYONE = "staff", "everyone"  # the names person pickers' data sources are registered under
PER_PAGE = 20
WORDS_MAX = 40
_DIGITS = re.compile(r"\d{3,}")


@dataclass(frozen=True)
class PeopleSearch:
    """What the user typed and chose: words (name, number or phone tail), a unit, a role."""

    words: str = ""
    unit_id: int | None = None
    role: Role | None = None


@dataclass(frozen=True)
class PersonHit:
    """One person as a picker lists them: who, their number, and the units and roles they hold today."""

    id: int
    name: str
    number: str | None
    units: list[str]
    roles: list[Role]


def _holds(session: Session, school_id: int, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """The person holds a role in force today that meets ``conditions``."""
    return exists().where(RoleAssignment.user_id == User.id, RoleAssignment.school_id == school_id,
                          in_force_on(local_today(session, school_id)), *conditions)


def _where(session: Session, school_id: int, search: PeopleSearch, *, include_requesters: bool) -> list[ColumnElement[bool]]:
    where = [User.school_id == school_id, User.active.is_(True)]
    if not include_requesters:
        where += [or_(User.kind.is_(None), User.kind != PersonKind.student),
                  _holds(session, school_id, RoleAssignment.role != Role.requester)]
    words = search.words.strip()[:WORDS_MAX]
    if words:
        like = f"%{words}%"
        matches = [User.display_name.ilike(like), User.number.ilike(like)]
        digits = "".join(_DIGITS.findall(words))
        if digits and digits == re.sub(r"[\s-]", "", words):
            matches.append(User.phone.like(f"%{digits}"))
        where.append(or_(*matches))
    if search.unit_id is not None:
        where.append(_holds(session, school_id, RoleAssignment.org_unit_id.in_(descendant_unit_ids(session, search.unit_id))))
    if search.role is not None:
        where.append(_holds(session, school_id, RoleAssignment.role == search.role))
    return where


def _hits(session: Session, school_id: int, users: list[User]) -> list[PersonHit]:
    today = local_today(session, school_id)
    names = dict(session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.school_id == school_id)).all())
    hits = []
    for user in users:
        held = [a for a in user.roles if a.in_force(today)]
        units = sorted({names[a.org_unit_id] for a in held if a.org_unit_id in names})
        hits.append(PersonHit(user.id, user.display_name, user.number, units, sorted({Role(a.role) for a in held})))
    return hits


def search_people(session: Session, *, school_id: int, search: PeopleSearch, include_requesters: bool = False,
                  page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the people matching ``search`` in the school, by name; rows are :class:`PersonHit`."""
    where = _where(session, school_id, search, include_requesters=include_requesters)
    stmt = select(User).where(and_(*where)).order_by(User.display_name, User.id)
    return paged(session, stmt, page=page, per_page=per_page,
                 shape=lambda users: _hits(session, school_id, list(users)))


def label_of(name: str, number: str | None) -> str:
    return f"{name} · {number}" if number else name


@dataclass(frozen=True)
class PeopleSource:
    """A form data source for person pickers: the whole list (a page without script shows it as a plain select,
    and the server accepts only its values) and :meth:`search`, which the picker asks as the user types."""

    include_requesters: bool = False

    def __call__(self, session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
        where = _where(session, school_id, PeopleSearch(), include_requesters=self.include_requesters)
        rows = session.execute(select(User.id, User.display_name, User.number).where(and_(*where))
                               .order_by(User.display_name, User.id))
        return [(str(user_id), label_of(name, number)) for user_id, name, number in rows]

    def search(self, session: Session, *, school_id: int, search: PeopleSearch, page: int = 1,
               per_page: int = PER_PAGE) -> Page:
        return search_people(session, school_id=school_id, search=search, include_requesters=self.include_requesters,
                             page=page, per_page=per_page)

    def roles(self) -> list[Role]:
        """The roles a user may filter by."""
        return [role for role in Role if self.include_requesters or role != Role.requester]


def unit_options(session: Session, *, school_id: int) -> list[tuple[int, str]]:
    """The school's active units, for a picker's unit filter."""
    rows = session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.school_id == school_id, OrgUnit.active.is_(True))
                           .order_by(OrgUnit.parent_id.is_not(None), OrgUnit.name))
    return [(unit_id, name) for unit_id, name in rows]

